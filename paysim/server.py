"""The payment simulator's HTTP server: stdlib only, orders kept in memory.

Merchant API (signed by the portal: X-Pay-Merchant, X-Pay-Timestamp, X-Pay-Nonce, X-Pay-Signature):
  POST /v1/orders                          create an order (idempotent on merchant_order_no)
  GET  /v1/orders/<merchant_order_no>      query an order
  POST /v1/orders/<merchant_order_no>/refunds   refund it (idempotent on refund_no)
  GET  /v1/statements/<YYYY-MM-DD>         the day's statement (payments and refunds, Beijing time)
Payer's pages (what the applicant's browser sees):
  GET  /pay/<order_id>                     the hosted pay page
  POST /pay/<order_id>                     pay (action=pay) or cancel; redirects to the return URL
Operations:
  GET  /healthz                            liveness
  POST /_control                           faults, test-only statement divergences, forget_orders
                                           (X-Control-Token: the merchant secret)

After a payment or refund the simulator notifies the merchant's notify_url asynchronously, signed
like the merchant's requests, and retries a refused notification a few times, as providers do.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

from . import signing

CLOCK_SKEW_SECONDS = 300
BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass
class Faults:
    outage: bool = False  # every merchant request and pay page answered 503
    notify: bool = True  # send notifications (off: the merchant must query)
    duplicate_notify: bool = False  # send every notification twice
    # Test-only divergences of the statement, so reconciliation has something to find:
    statement_drop: list = field(default_factory=list)  # merchant order numbers left out
    statement_amount_delta: dict = field(default_factory=dict)  # merchant order number -> fen added
    statement_extra: list = field(default_factory=list)  # entries the merchant never made


@dataclass
class Order:
    order_id: str
    merchant_order_no: str
    amount_fen: int
    currency: str
    description: str
    notify_url: str
    return_url: str
    status: str = "created"  # created -> paid -> refunded; or cancelled
    created_at: str = ""
    paid_at: str = ""
    refunds: list = field(default_factory=list)


class State:
    def __init__(self, secret: str):
        self.secret = secret
        self.faults = Faults()
        self.lock = threading.Lock()
        self.orders: dict[str, Order] = {}  # by merchant order number
        self.by_id: dict[str, str] = {}  # provider order id -> merchant order number
        self.nonces: set[str] = set()
        self.notifications_sent = 0


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def beijing_day(iso: str) -> str:
    return dt.datetime.fromisoformat(iso).astimezone(BEIJING).date().isoformat()


def signed_headers(secret: str, method: str, path: str, body: bytes) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    return {
        "Content-Type": "application/json",
        "X-Pay-Timestamp": timestamp,
        "X-Pay-Nonce": nonce,
        "X-Pay-Signature": signing.signature(secret, method, path, timestamp, nonce, body),
    }


def notify(state: State, order: Order, payload: dict) -> None:
    """POST the signed notification to the merchant, retrying a refusal or a network error."""
    if not state.faults.notify or not order.notify_url:
        return
    body = json.dumps(payload).encode()
    if urllib.parse.urlsplit(order.notify_url).scheme not in ("http", "https"):
        return
    path = urllib.parse.urlsplit(order.notify_url).path
    copies = 2 if state.faults.duplicate_notify else 1

    def send() -> None:
        for _copy in range(copies):
            headers = signed_headers(state.secret, "POST", path, body)
            for attempt in range(5):
                try:
                    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
                        order.notify_url, data=body, headers=headers, method="POST"
                    )
                    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                        if response.status == 200:
                            with state.lock:
                                state.notifications_sent += 1
                            break
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.5 * 2**attempt)

    threading.Thread(target=send, daemon=True).start()


PAGE = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0; background: #f3f5f8; color: #1b1f24; }}
header {{ background: #0b4f8a; color: #fff; padding: 1rem 1.25rem; }}
main {{ max-width: 32rem; margin: 1.5rem auto; background: #fff; padding: 1.25rem; border-radius: 6px; }}
.amount {{ font-size: 2rem; font-weight: 700; margin: .5rem 0 1rem; }}
button {{ font-size: 1.05rem; padding: .7rem 1.2rem; border-radius: 4px; border: 2px solid #0b4f8a; margin: .25rem .5rem .25rem 0; cursor: pointer; }}
.pay {{ background: #0b4f8a; color: #fff; }} .cancel {{ background: #fff; color: #0b4f8a; }}
button:focus-visible {{ outline: 3px solid #e0a800; outline-offset: 2px; }}
dt {{ font-weight: 600; }} dd {{ margin: 0 0 .6rem 0; }}
</style></head>
<body><header><p style="margin:0">{provider}</p></header>
<main><h1>{heading}</h1>{content}</main></body></html>"""

WORDS = {
    "en": {
        "provider": "Payment provider (simulator)",
        "title": "Pay",
        "heading": "Confirm your payment",
        "merchant": "Merchant",
        "for": "For",
        "order": "Order",
        "pay": "Pay now",
        "cancel": "Cancel",
        "done": "This order is already {status}.",
        "back": "Back to the merchant",
        "missing": "No such order.",
    },
    "zh": {
        "provider": "支付服务商（模拟器）",
        "title": "支付",
        "heading": "确认付款",
        "merchant": "收款方",
        "for": "用途",
        "order": "订单号",
        "pay": "立即支付",
        "cancel": "取消",
        "done": "该订单已{status}。",
        "back": "返回商户",
        "missing": "订单不存在。",
    },
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "PaymentSimulator/1.0"
    state: State  # set by make_server

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        if os.environ.get("PAYSIM_LOG"):
            super().log_message(format, *args)

    def _send(self, status: int, payload: dict) -> None:
        self._raw(status, json.dumps(payload).encode(), "application/json")

    def _raw(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _authorised(self, method: str, body: bytes) -> bool:
        timestamp = self.headers.get("X-Pay-Timestamp", "")
        nonce = self.headers.get("X-Pay-Nonce", "")
        try:
            skew = abs(time.time() - float(timestamp))
        except ValueError:
            return False
        path = urllib.parse.urlsplit(self.path).path
        if skew > CLOCK_SKEW_SECONDS or not nonce:
            return False
        if not signing.valid(
            self.state.secret, method, path, timestamp, nonce, body, self.headers.get("X-Pay-Signature", "")
        ):
            return False
        with self.state.lock:
            if nonce in self.state.nonces:
                return False
            self.state.nonces.add(nonce)
        return True

    def _lang(self) -> str:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        lang = (query.get("lang") or [""])[0]
        return "zh" if lang.startswith("zh") else "en"

    # --- routing ---------------------------------------------------------------------------------
    def do_GET(self):  # noqa: N802 - the stdlib's name
        path = urllib.parse.urlsplit(self.path).path
        if path == "/healthz":
            return self._send(200, {"ok": True})
        if path == "/_control":
            with self.state.lock:
                return self._send(
                    200,
                    {
                        "faults": asdict(self.state.faults),
                        "notifications_sent": self.state.notifications_sent,
                    },
                )
        if path.startswith("/pay/"):
            return self._pay_page(path.removeprefix("/pay/"))
        if self.state.faults.outage:
            return self._send(503, {"error": "provider unavailable (simulated)"})
        if not self._authorised("GET", b""):
            return self._send(401, {"error": "bad signature, timestamp or nonce"})
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[:2] == ["v1", "orders"]:
            with self.state.lock:
                order = self.state.orders.get(parts[2])
                if order is None:
                    return self._send(404, {"error": "no such order"})
                return self._send(200, self._order_json(order))
        if len(parts) == 3 and parts[:2] == ["v1", "statements"]:
            return self._statement(parts[2])
        return self._send(404, {"error": "no such route"})

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = self._body()
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_control":
            if self.headers.get("X-Control-Token") != self.state.secret:
                return self._send(403, {"error": "bad control token"})
            changes = json.loads(body or b"{}")
            with self.state.lock:
                if changes.pop("reset", False):
                    self.state.faults = Faults()
                if changes.pop("forget_orders", False):  # test-only: a clean statement per test
                    self.state.orders.clear()
                    self.state.by_id.clear()
                for key, value in changes.items():
                    if hasattr(self.state.faults, key):
                        setattr(self.state.faults, key, value)
                return self._send(200, {"faults": asdict(self.state.faults)})
        if path.startswith("/pay/"):
            return self._pay(path.removeprefix("/pay/"), body)
        if self.state.faults.outage:
            return self._send(503, {"error": "provider unavailable (simulated)"})
        if not self._authorised("POST", body):
            return self._send(401, {"error": "bad signature, timestamp or nonce"})
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return self._send(400, {"error": "body must be JSON"})
        parts = path.strip("/").split("/")
        if parts == ["v1", "orders"]:
            return self._create(data)
        if len(parts) == 4 and parts[:2] == ["v1", "orders"] and parts[3] == "refunds":
            return self._refund(parts[2], data)
        return self._send(404, {"error": "no such route"})

    # --- merchant API ----------------------------------------------------------------------------
    def _order_json(self, order: Order) -> dict:
        return {
            "order_id": order.order_id,
            "merchant_order_no": order.merchant_order_no,
            "amount_fen": order.amount_fen,
            "currency": order.currency,
            "status": order.status,
            "paid_at": order.paid_at,
            "refunds": order.refunds,
            "pay_url": f"/pay/{order.order_id}",
        }

    def _create(self, data: dict):
        try:
            number = str(data["merchant_order_no"])
            amount = data["amount_fen"]
            if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
                raise ValueError
        except (KeyError, ValueError, TypeError):
            return self._send(
                400, {"error": "merchant_order_no and a positive integer amount_fen are needed"}
            )
        with self.state.lock:
            order = self.state.orders.get(number)
            if order is not None:
                if order.amount_fen != amount:
                    return self._send(409, {"error": "the order exists with another amount"})
                return self._send(200, self._order_json(order))
            order = Order(
                order_id="P" + secrets.token_hex(8).upper(),
                merchant_order_no=number,
                amount_fen=amount,
                currency=str(data.get("currency") or "CNY"),
                description=str(data.get("description") or "")[:200],
                notify_url=str(data.get("notify_url") or ""),
                return_url=str(data.get("return_url") or ""),
                created_at=now_iso(),
            )
            self.state.orders[number] = order
            self.state.by_id[order.order_id] = number
            return self._send(201, self._order_json(order))

    def _refund(self, number: str, data: dict):
        refund_no = str(data.get("refund_no") or "")
        if not refund_no:
            return self._send(400, {"error": "refund_no is needed"})
        with self.state.lock:
            order = self.state.orders.get(number)
            if order is None:
                return self._send(404, {"error": "no such order"})
            done = next((r for r in order.refunds if r["refund_no"] == refund_no), None)
            if done is not None:
                return self._send(200, self._order_json(order))
            if order.status != "paid":
                return self._send(409, {"error": f"the order is {order.status}, not paid"})
            refund = {"refund_no": refund_no, "amount_fen": order.amount_fen, "at": now_iso()}
            order.refunds.append(refund)
            order.status = "refunded"
            answer = self._order_json(order)
        notify(
            self.state,
            order,
            {
                "event": "refunded",
                "merchant_order_no": number,
                "order_id": order.order_id,
                "amount_fen": order.amount_fen,
                "refund_no": refund_no,
                "at": refund["at"],
            },
        )
        return self._send(200, answer)

    def _statement(self, day: str):
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            return self._send(400, {"error": "the day must be YYYY-MM-DD"})
        faults = self.state.faults
        entries = []
        with self.state.lock:
            for order in self.state.orders.values():
                if order.paid_at and beijing_day(order.paid_at) == day:
                    entries.append(
                        {
                            "merchant_order_no": order.merchant_order_no,
                            "order_id": order.order_id,
                            "kind": "payment",
                            "amount_fen": order.amount_fen,
                            "at": order.paid_at,
                        }
                    )
                for refund in order.refunds:
                    if beijing_day(refund["at"]) == day:
                        entries.append(
                            {
                                "merchant_order_no": order.merchant_order_no,
                                "order_id": order.order_id,
                                "kind": "refund",
                                "amount_fen": refund["amount_fen"],
                                "at": refund["at"],
                            }
                        )
            entries = [e for e in entries if e["merchant_order_no"] not in faults.statement_drop]
            for entry in entries:
                entry["amount_fen"] += int(faults.statement_amount_delta.get(entry["merchant_order_no"], 0))
            entries += [dict(extra) for extra in faults.statement_extra]
        return self._send(200, {"date": day, "entries": entries})

    # --- the payer's pages -----------------------------------------------------------------------
    def _page(self, status: int, lang: str, content: str) -> None:
        words = WORDS[lang]
        page = PAGE.format(
            lang="zh-Hans" if lang == "zh" else "en",
            title=words["title"],
            provider=words["provider"],
            heading=words["heading"],
            content=content,
        )
        self._raw(status, page.encode(), "text/html; charset=utf-8")

    def _pay_page(self, order_id: str):
        lang = self._lang()
        words = WORDS[lang]
        if self.state.faults.outage:
            return self._raw(503, b"provider unavailable (simulated)", "text/plain")
        with self.state.lock:
            number = self.state.by_id.get(order_id)
            order = self.state.orders.get(number or "")
        if order is None:
            return self._page(404, lang, f"<p>{words['missing']}</p>")
        yuan = f"{order.amount_fen // 100:,}.{order.amount_fen % 100:02d}"
        details = (
            f"<p class='amount'>¥ {yuan}</p><dl><dt>{words['for']}</dt><dd>{html.escape(order.description)}</dd>"
            f"<dt>{words['order']}</dt><dd>{html.escape(order.merchant_order_no)}</dd></dl>"
        )
        if order.status != "created":
            back = html.escape(order.return_url)
            return self._page(
                200,
                lang,
                details
                + f"<p>{words['done'].format(status=order.status)}</p><p><a href='{back}'>{words['back']}</a></p>",
            )
        form = (
            f"<form method='post' action='/pay/{order.order_id}?lang={lang}'>"
            f"<button class='pay' type='submit' name='action' value='pay' id='pay'>{words['pay']}</button>"
            f"<button class='cancel' type='submit' name='action' value='cancel' id='cancel'>{words['cancel']}</button>"
            "</form>"
        )
        return self._page(200, lang, details + form)

    def _pay(self, order_id: str, body: bytes):
        if self.state.faults.outage:
            return self._raw(503, b"provider unavailable (simulated)", "text/plain")
        action = (urllib.parse.parse_qs(body.decode()).get("action") or [""])[0]
        with self.state.lock:
            number = self.state.by_id.get(order_id)
            order = self.state.orders.get(number or "")
            if order is None:
                return self._raw(404, b"no such order", "text/plain")
            changed = order.status == "created"
            if changed and action == "pay":
                order.status, order.paid_at = "paid", now_iso()
            elif changed:
                order.status = "cancelled"
        if changed and order.status == "paid":
            notify(
                self.state,
                order,
                {
                    "event": "paid",
                    "merchant_order_no": order.merchant_order_no,
                    "order_id": order.order_id,
                    "amount_fen": order.amount_fen,
                    "at": order.paid_at,
                },
            )
        return self._raw(303, b"", "text/plain", {"Location": order.return_url or "/"})


def make_server(host: str, port: int, *, secret: str | None = None):
    state = State(secret or os.environ.get("PAYSIM_SECRET", "dev-paysim-secret"))
    handler = type("BoundHandler", (Handler,), {"state": state})
    return _Server((host, port), handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

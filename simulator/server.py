"""The simulator's HTTP server: stdlib only, one thread per connection, keep-alive.

Routes:
  POST /<agency>/<service>   a signed query -> 200 {"found": bool, "record": {...}|null}
  GET  /healthz              liveness
  GET  /_control             current fault settings and request counters
  POST /_control             change fault settings (X-Control-Token: the shared secret)
"""

from __future__ import annotations

import json
import os
import random
import socket
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import signing
from .records import DOWN, outcome_for, record_for

AGENCIES = ("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe", "credit")
REQUIRED_HEADERS = ("X-Road-Id", "X-Road-Client", "X-Road-UserId", "X-Road-Issue", "X-Timestamp")
CLOCK_SKEW_SECONDS = 300


@dataclass
class Faults:
    latency_ms: float = 0.0  # added to every query
    jitter_ms: float = 0.0  # uniformly random extra latency
    error_rate: float = 0.0  # share of queries answered 500
    timeout_rate: float = 0.0  # share of queries that hang for hang_seconds before answering
    hang_seconds: float = 30.0
    outage: bool = False  # every query refused with 503
    down: str = ""  # agencies (comma-separated codes) whose queries are refused with 503

    @classmethod
    def from_env(cls) -> Faults:
        return cls(
            latency_ms=float(os.environ.get("SIMULATOR_LATENCY_MS", 0)),
            jitter_ms=float(os.environ.get("SIMULATOR_JITTER_MS", 0)),
            error_rate=float(os.environ.get("SIMULATOR_ERROR_RATE", 0)),
            timeout_rate=float(os.environ.get("SIMULATOR_TIMEOUT_RATE", 0)),
            hang_seconds=float(os.environ.get("SIMULATOR_HANG_SECONDS", 30)),
            outage=os.environ.get("SIMULATOR_OUTAGE", "") in ("1", "true", "yes"),
            down=os.environ.get("SIMULATOR_DOWN", ""),
        )


class State:
    def __init__(self, secret: str, faults: Faults):
        self.secret = secret
        self.faults = faults
        self.lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.query_ids: Counter[str] = Counter()

    def secret_for(self, agency: str) -> str:
        # One shared development secret, or one per agency when SIMULATOR_SECRET_<AGENCY> is set.
        return os.environ.get(f"SIMULATOR_SECRET_{agency.upper()}", self.secret)

    def count(self, key: str, query_id: str = "") -> None:
        with self.lock:
            self.counts[key] += 1
            if query_id:
                self.query_ids[query_id] += 1


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AgencySimulator/1.0"
    state: State  # set by make_server

    def parse_request(self) -> bool:
        self._received = time.monotonic()  # the request line has just arrived
        return super().parse_request()

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        if os.environ.get("SIMULATOR_LOG"):
            super().log_message(format, *args)

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if "X-Road-Id" in self.headers:
            self.send_header("X-Road-Id", self.headers["X-Road-Id"])
        # Head and body in one write: a second small write would wait for the client's delayed
        # ACK (Nagle), adding some 40 ms to every answer.
        self._headers_buffer.append(b"\r\n")
        self._headers_buffer.append(body)
        self.flush_headers()

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/healthz":
            return self._send(200, {"ok": True})
        if self.path == "/_control":
            with self.state.lock:
                return self._send(
                    200,
                    {
                        "faults": asdict(self.state.faults),
                        "counts": dict(self.state.counts),
                        "queries": sum(self.state.query_ids.values()),
                        "distinct_queries": len(self.state.query_ids),
                    },
                )
        return self._send(404, {"error": "no such route"})

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = self._body()
        if self.path == "/_control":
            if self.headers.get("X-Control-Token") != self.state.secret:
                return self._send(403, {"error": "bad control token"})
            changes = json.loads(body or b"{}")
            with self.state.lock:
                if changes.pop("reset_counts", False):
                    self.state.counts.clear()
                    self.state.query_ids.clear()
                for key, value in changes.items():
                    if hasattr(self.state.faults, key):
                        setattr(self.state.faults, key, type(getattr(self.state.faults, key))(value))
                return self._send(200, {"faults": asdict(self.state.faults)})
        return self._query(body)

    def _query(self, body: bytes):
        parts = self.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] not in AGENCIES:
            return self._send(404, {"error": "no such service"})
        agency = parts[0]
        missing = [h for h in REQUIRED_HEADERS if not self.headers.get(h)]
        if missing:
            return self._send(400, {"error": f"missing headers: {', '.join(missing)}"})
        timestamp = self.headers["X-Timestamp"]
        try:
            skew = abs(time.time() - float(timestamp))
        except ValueError:
            skew = float("inf")
        given = (self.headers.get("Authorization") or "").removeprefix("HMAC-SHA256 ").strip()
        if skew > CLOCK_SKEW_SECONDS or not signing.valid(
            self.state.secret_for(agency), "POST", self.path, timestamp, body, given
        ):
            self.state.count(f"{agency}:unauthorised")
            return self._send(401, {"error": "bad signature or timestamp"})
        faults = self.state.faults
        query_id = self.headers["X-Road-Id"]
        self.state.count(agency, query_id)
        if faults.outage or agency in {code.strip() for code in faults.down.split(",")}:
            return self._send(503, {"error": "agency system unavailable"})
        delay = faults.latency_ms + (random.random() * faults.jitter_ms if faults.jitter_ms else 0)
        if delay:
            # The latency is counted from the request's arrival, so reading and checking it
            # take part of it rather than adding to it: an agency "answering in 50 ms" does.
            time.sleep(max(0.0, delay / 1000 - (time.monotonic() - self._received)))
        if faults.timeout_rate and random.random() < faults.timeout_rate:
            time.sleep(faults.hang_seconds)
        if faults.error_rate and random.random() < faults.error_rate:
            return self._send(500, {"error": "internal error (simulated)"})
        try:
            query = json.loads(body)
            subject, stated = query["subject"], query.get("stated") or {}
        except (ValueError, KeyError, TypeError):
            return self._send(400, {"error": "body must be JSON with subject and stated"})
        if outcome_for(agency, str(subject.get("passport_number", "")), parts[1]) == DOWN:
            return self._send(503, {"error": "agency system unavailable"})
        record = record_for(agency, subject, stated, parts[1])
        return self._send(
            200, {"agency": agency, "service": parts[1], "found": record is not None, "record": record}
        )


def make_server(host: str, port: int, *, secret: str | None = None, faults: Faults | None = None):
    state = State(
        secret or os.environ.get("SIMULATOR_SECRET", "dev-simulator-secret"), faults or Faults.from_env()
    )
    handler = type("BoundHandler", (Handler,), {"state": state})
    return _Server((host, port), handler)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of connections from many workers must not be refused

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

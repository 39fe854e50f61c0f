"""The payment provider's merchant API, over HTTP (the simulator in development and tests).

Every request is signed (payments/signing.py) with PAYMENTS_SECRET; any failure to get an answer
(connection refused, timeout, 5xx) is ProviderUnavailable, so callers leave the order as it is and
try again later.
"""

from __future__ import annotations

import json
import secrets
import time
from urllib.parse import urljoin

import requests
from django.conf import settings

from . import signing


class ProviderUnavailable(Exception):
    pass


class ProviderRefused(Exception):
    """The provider answered and said no (4xx): retrying the same request will not help."""


def _call(method: str, path: str, payload: dict | None = None) -> dict:
    body = json.dumps(payload).encode() if payload is not None else b""
    timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
    headers = {
        "Content-Type": "application/json",
        "X-Pay-Merchant": settings.PAYMENTS_MERCHANT_ID,
        "X-Pay-Timestamp": timestamp,
        "X-Pay-Nonce": nonce,
        "X-Pay-Signature": signing.signature(settings.PAYMENTS_SECRET, method, path, timestamp, nonce, body),
    }
    try:
        response = requests.request(
            method,
            urljoin(settings.PAYMENTS_PROVIDER_URL, path),
            data=body or None,
            headers=headers,
            timeout=settings.PAYMENTS_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise ProviderUnavailable(str(error)[:200]) from error
    if response.status_code >= 500:
        raise ProviderUnavailable(f"HTTP {response.status_code}")
    try:
        data = response.json()
    except ValueError as error:
        raise ProviderUnavailable("the provider's answer is not JSON") from error
    if response.status_code == 404:
        return {}
    if response.status_code >= 400:
        raise ProviderRefused(str(data.get("error", response.status_code))[:200])
    return data


def order_create(
    *, number: str, amount_fen: int, currency: str, description: str, notify_url: str, return_url: str
) -> dict:
    return _call(
        "POST",
        "/v1/orders",
        {
            "merchant_order_no": number,
            "amount_fen": amount_fen,
            "currency": currency,
            "description": description,
            "notify_url": notify_url,
            "return_url": return_url,
        },
    )


def order_query(*, number: str) -> dict:
    """The provider's view of the order, or {} when it has never heard of it."""
    return _call("GET", f"/v1/orders/{number}")


def order_refund(*, number: str, refund_no: str, reason: str) -> dict:
    return _call("POST", f"/v1/orders/{number}/refunds", {"refund_no": refund_no, "reason": reason[:200]})


def statement(*, day: str) -> list[dict]:
    return _call("GET", f"/v1/statements/{day}").get("entries", [])

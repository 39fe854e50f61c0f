"""Signing agency queries: HMAC-SHA256 over method, path, timestamp and the body's digest."""

from __future__ import annotations

import hashlib
import hmac


def canonical(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()]).encode()


def sign(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), canonical(method, path, timestamp, body), hashlib.sha256).hexdigest()

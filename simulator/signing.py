"""The request signature both ends compute: HMAC-SHA256 over method, path, timestamp and body digest."""

from __future__ import annotations

import hashlib
import hmac


def canonical(method: str, path: str, timestamp: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()]).encode()


def signature(secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), canonical(method, path, timestamp, body), hashlib.sha256).hexdigest()


def valid(secret: str, method: str, path: str, timestamp: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(secret, method, path, timestamp, body), given or "")

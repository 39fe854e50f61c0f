"""The signatures both ends compute (a copy of payments/signing.py: the simulator imports nothing
from the portal).

Merchant requests (portal -> provider) and notifications (provider -> portal) are signed alike:
HMAC-SHA256 with the shared merchant secret over method, path, timestamp, nonce and the body's
digest. The nonce lets the receiver refuse a replay of a notification it has already taken.
"""

from __future__ import annotations

import hashlib
import hmac


def canonical(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    return "\n".join([method.upper(), path, timestamp, nonce, hashlib.sha256(body).hexdigest()]).encode()


def signature(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(
        secret.encode(), canonical(method, path, timestamp, nonce, body), hashlib.sha256
    ).hexdigest()


def valid(secret: str, method: str, path: str, timestamp: str, nonce: str, body: bytes, given: str) -> bool:
    return hmac.compare_digest(signature(secret, method, path, timestamp, nonce, body), given or "")

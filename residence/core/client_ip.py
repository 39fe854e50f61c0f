"""The client's address: forwarded headers count only when the portal runs behind known proxies."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """The address ``TRUSTED_PROXY_COUNT`` proxies say they saw, else the peer's own.

    Each trusted proxy appends the address it saw to ``X-Forwarded-For``; anything to the left of
    those entries was written by the client and is ignored. The same rule as DRF's ``NUM_PROXIES``,
    so the login throttle and the lockout (axes) see one address.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return addresses[-min(count, len(addresses))]
    return request.META.get("REMOTE_ADDR")

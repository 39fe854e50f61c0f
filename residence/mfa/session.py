"""What the session says about the second factor and the log-in's age, in one place.

Keys: ``mfa_at`` (when a second factor was last given: at log-in or re-authentication),
``auth_at`` (when the password was given), ``seen_at`` (the last request, to the minute).
django-otp's own ``otp_device_id`` says which device verified the session.
"""

from __future__ import annotations

import time

import django_otp
from django.conf import settings

MFA_AT = "mfa_at"
AUTH_AT = "auth_at"
SEEN_AT = "seen_at"
# Set at log-in for an applicant who opted in (has a second factor), so no request needs to ask.
OPTED_IN = "mfa_opted_in"


def mark_verified(request, device) -> None:
    """The session is verified by ``device`` now; a new session key, as for any rise in privilege."""
    django_otp.login(request, device)
    request.session[MFA_AT] = time.time()
    request.session.cycle_key()


def mark_reauthenticated(request) -> None:
    request.session[MFA_AT] = time.time()


def is_verified(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def factor_age(request) -> float | None:
    """Seconds since the session's last second factor, or None if it has none."""
    at = request.session.get(MFA_AT)
    if not is_verified(request) or not isinstance(at, int | float):
        return None
    return time.time() - at


def factor_is_fresh(request) -> bool:
    age = factor_age(request)
    return age is not None and age <= settings.MFA_REAUTH_SECONDS

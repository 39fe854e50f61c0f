"""The one guard before sensitive actions: a second factor given within MFA_REAUTH_SECONDS.

Approving and refusing a case, deciding a revocation, a card request or a reconsideration, issuing
and revoking institution keys, changing users and roles in the admin, and removing one's own second
factors all need it, on the pages and in the API alike.

- Pages: ``@recent_second_factor`` (on POST). Without a fresh factor the request changes nothing and
  the officer is sent to confirm it is them, then back to the page they came from to act again.
- API: the ``RecentSecondFactor`` permission. A session counts if its factor is fresh; any client
  (session or token) may instead send a current code in the ``X-OTP`` header (a TOTP code, used up
  like any other, or a recovery code), checked and audited as a re-authentication.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode, urlparse

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from . import services
from . import session as mfa_session

OTP_HEADER = "HTTP_X_OTP"


def _return_to(request) -> str:
    """Where to go back after confirming: the page the form was on (same site only), else this one."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return request.path if request.method == "GET" else reverse("home")


def reauth_url(request) -> str:
    return f"{reverse('mfa:reauth')}?{urlencode({'next': _return_to(request)})}"


class SecondFactorRequired(PermissionDenied):
    """Raised by the guard; pages turn it into a redirect to re-authenticate, the API into a 403."""

    def __init__(self, message=None):
        super().__init__(message or RecentSecondFactor.message)


def require_recent_second_factor(request) -> None:
    """The guard: call it in a view after the object is found (so a stranger still gets a 404).

    Works with a Django request (pages: the session's factor must be fresh) and a DRF request (the
    API: a fresh session factor or a code in the X-OTP header).
    """
    if hasattr(request, "_request"):
        fresh = bool(request.user and request.user.is_authenticated and api_factor_is_fresh(request))
    else:
        fresh = mfa_session.factor_is_fresh(request)
    if not fresh:
        raise SecondFactorRequired


def recent_second_factor(view=None, *, methods: tuple[str, ...] = ("POST",)):
    """Decorate a view whose ``methods`` (POST) all need the guard and have no object to find first."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                require_recent_second_factor(request)
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def reauth_redirect(request):
    messages.warning(request, _("Confirm it is you with your second factor, then do this again."))
    return redirect(reauth_url(request))


def api_factor_is_fresh(request) -> bool:
    """For the API: a fresh session factor, or a valid code in the X-OTP header (audited)."""
    django_request = getattr(request, "_request", request)
    code = django_request.META.get(OTP_HEADER, "")
    if code:
        return (
            services.second_factor_verify(
                user=request.user,
                token=code,
                purpose="reauth",
                context={"path": django_request.path[:200], "via": "header"},
            )
            is not None
        )
    if request.auth is None and "_auth_user_id" in getattr(django_request, "session", {}):
        return mfa_session.factor_is_fresh(django_request)
    return False


class RecentSecondFactor(BasePermission):
    message = gettext_lazy(
        "This action needs a fresh second factor: send a current code in the X-OTP header, "
        "or confirm it is you in the browser first."
    )

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return bool(request.user and request.user.is_authenticated and api_factor_is_fresh(request))

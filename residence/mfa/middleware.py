"""Two middlewares after django-otp's: the session's lifetime, then the second factor's gate.

``SessionLifetimeMiddleware`` ends a session idle too long or older than its absolute lifetime
(staff: 15 minutes / 8 hours by default; applicants longer), audited as ``auth.session_timeout``.

``SecondFactorMiddleware`` keeps a signed-in user who must use a second factor (every staff account;
an applicant who enrolled one) away from every page and the session-authenticated API until the
session is verified: pages redirect to the verification page (or to enrolment, for staff with no
second factor yet), the API answers 403. Token-authenticated API requests carry no session: tokens
are issued only against a second factor (``residence.accounts.apis.TokenObtainApi``).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import services
from . import session as mfa_session

# Pages a signed-in user may reach before the second factor: the second factor's own pages, leaving,
# and choosing a language.
OPEN_URL_NAMES = frozenset({"logout", "set_language", "healthz", "login", "javascript-catalog"})


def _client(request) -> dict:
    return {"ip": request.META.get("REMOTE_ADDR", ""), "path": request.path[:200]}


def _is_open(request) -> bool:
    if request.path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return True  # a 404 shows nothing
    return match.namespace == "mfa" or match.url_name in OPEN_URL_NAMES


def _limits(user) -> tuple[int, int]:
    if services.is_staff_account(user):
        return settings.SESSION_STAFF_IDLE_SECONDS, settings.SESSION_STAFF_MAX_SECONDS
    return settings.SESSION_IDLE_SECONDS, settings.SESSION_MAX_SECONDS


class SessionLifetimeMiddleware:
    # The last-seen time is written at most this often, so most requests do not save the session.
    SEEN_RESOLUTION_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._expired(request, user)
            if expired:
                return self._end(request, user, expired)
        return self.get_response(request)

    def _expired(self, request, user) -> str:
        now = time.time()
        session = request.session
        auth_at = session.get(mfa_session.AUTH_AT)
        seen_at = session.get(mfa_session.SEEN_AT)
        if not isinstance(auth_at, int | float):
            # A session from before this middleware (or a test's force_login): its clock starts now.
            session[mfa_session.AUTH_AT] = session[mfa_session.SEEN_AT] = now
            return ""
        idle, lifetime = _limits(user)
        if now - auth_at > lifetime:
            return "absolute"
        if isinstance(seen_at, int | float) and now - seen_at > idle:
            return "idle"
        if not isinstance(seen_at, int | float) or now - seen_at >= self.SEEN_RESOLUTION_SECONDS:
            session[mfa_session.SEEN_AT] = now
        return ""

    def _end(self, request, user, reason: str):
        services.session_timeout_record(user=user, reason=reason, context=_client(request))
        logout(request)
        text = (
            _("You were logged out after a period without activity. Log in again to go on.")
            if reason == "idle"
            else _("Your session has ended: log-ins last a limited time. Log in again to go on.")
        )
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=401)
        messages.info(request, text)
        return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")


def mfa_required(request, user) -> bool:
    return services.is_staff_account(user) or bool(request.session.get(mfa_session.OPTED_IN))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not _is_open(request)
            and mfa_required(request, user)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    def process_exception(self, request, exception):
        from .guards import SecondFactorRequired, reauth_redirect

        if isinstance(exception, SecondFactorRequired) and not request.path.startswith("/api/"):
            return reauth_redirect(request)
        return None

    def _refuse(self, request, user):
        enrolled = services.has_second_factor(user)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _("Give your second factor first: this session is not verified.")
                    if enrolled
                    else _("Set up a second factor first: staff accounts must use one.")
                },
                status=403,
            )
        target = "mfa:verify" if enrolled else "mfa:enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

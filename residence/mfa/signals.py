"""At log-in: start the session's clocks and note whether an applicant opted in to a second factor."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in

from . import services
from . import session as mfa_session


def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[mfa_session.AUTH_AT] = now
    request.session[mfa_session.SEEN_AT] = now
    request.session.pop(mfa_session.MFA_AT, None)
    if not services.is_staff_account(user) and services.has_second_factor(user):
        request.session[mfa_session.OPTED_IN] = True


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="mfa.login")

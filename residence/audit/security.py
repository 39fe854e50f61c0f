"""Security events in the audit log (ASVS 16.3): log-ins and failed log-ins, lockouts, password,
user and role changes, API token issuance, refused requests (403) and signed-in requests for
someone else's record (404, bounded per user and minute).

Recorded from signals (connected in ``AuditConfig.ready``) and one middleware, so every path that
causes them is covered: the log-in page and the API, django-axes, the admin and the services. Each
event is its own small transaction, as these happen outside any change's transaction.
"""

from __future__ import annotations

import logging

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save

from .services import audit_record

logger = logging.getLogger(__name__)

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip": getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""),
        "path": request.path[:200],
    }


def _record(**kwargs) -> None:
    with transaction.atomic():
        audit_record(**kwargs)


def on_login(sender, request, user, **kwargs):
    _record(actor=user, action="auth.login", obj=user, after=_client(request))


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record(actor=user, action="auth.logout", obj=user, after=_client(request))


def on_login_failed(sender, credentials, request=None, **kwargs):
    # django's credentials are already cleansed (the password is masked); only the name tried is kept.
    tried = str(credentials.get("username") or credentials.get("email") or "")[:200]
    _record(actor=None, action="auth.login_failed", after={"username": tried, **_client(request)})


def on_locked_out(sender, request, username, ip_address, **kwargs):
    _record(
        actor=None,
        action="auth.lockout",
        after={"username": str(username or "")[:200], "ip": ip_address, **_client(request)},
    )


def on_user_pre_save(sender, instance, update_fields=None, **kwargs):
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._audit_password_changed = stored is not None and stored != instance.password


def on_user_saved(sender, instance, created, **kwargs):
    if created:
        _record(actor=None, action="accounts.user_create", obj=instance)
    elif getattr(instance, "_audit_password_changed", False):
        instance._audit_password_changed = False
        _record(actor=instance, action="auth.password_change", obj=instance)


def on_roles_changed(sender, instance, action, pk_set, model, reverse, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    names = sorted(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    change = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _record(actor=None, action="accounts.roles_change", obj=instance, after={change: names})


def on_admin_log(sender, instance: LogEntry, created, **kwargs):
    if not created:
        return
    _record(
        actor=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.change"),
        after={
            "model": instance.content_type.model if instance.content_type_id else "",
            "object_id": instance.object_id,
            "object": instance.object_repr[:200],
            "change": instance.get_change_message()[:1000],
        },
    )


def on_token_saved(sender, instance, created, **kwargs):
    # The key itself never goes into the log.
    if created:
        _record(actor=instance.user, action="auth.token_issue", obj=instance.user)


def connect() -> None:
    from axes.signals import user_locked_out
    from rest_framework.authtoken.models import Token

    user = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="audit.login")
    user_logged_out.connect(on_logout, dispatch_uid="audit.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="audit.lockout")
    pre_save.connect(on_user_pre_save, sender=user, dispatch_uid="audit.user_pre_save")
    post_save.connect(on_user_saved, sender=user, dispatch_uid="audit.user_saved")
    m2m_changed.connect(on_roles_changed, sender=user.groups.through, dispatch_uid="audit.roles")
    post_save.connect(on_admin_log, sender=LogEntry, dispatch_uid="audit.admin_log")
    post_save.connect(on_token_saved, sender=Token, dispatch_uid="audit.token")


def _denied_object(request, response) -> bool:
    """A signed-in user's request for one record that answered 404: someone else's record, or none.

    Object-level refusals are 404s by design (a 403 would confirm the record exists), so ASVS
    16.3's "denied access attempts" include them. Only URLs that name a record count (the URL
    resolved, with path arguments); a mistyped address, or anonymous scanning, is not an attempt
    on anyone's record.
    """
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return (
        response.status_code == 404
        and getattr(user, "is_authenticated", False)
        and match is not None
        and bool(match.kwargs)
    )


def _within_budget(user) -> bool:
    """At most AUDIT_DENIED_PER_MINUTE denied-object entries per user and minute (no flooding:
    enumerating ids writes a few entries a minute, and a log line says how many were left out)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.utils import timezone

    key = f"audit-denied:{user.pk}:{timezone.now():%Y%m%d%H%M}"
    try:
        cache.add(key, 0, timeout=120)
        count = cache.incr(key)
    except Exception:  # noqa: BLE001 - no cache: record it; losing the entry is worse than one more
        return True
    if count == settings.AUDIT_DENIED_PER_MINUTE + 1:
        logger.warning("user %s: more denied-object requests this minute; not all are recorded", user.pk)
    return count <= settings.AUDIT_DENIED_PER_MINUTE


class DeniedAccessMiddleware:
    """Record every refused request (403) and every signed-in request for a record that answered
    404 (someone else's record; at most AUDIT_DENIED_PER_MINUTE a user and minute): who asked for
    what, from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403:
            _record(
                actor=user if getattr(user, "is_authenticated", False) else None,
                action="access.denied",
                after={"method": request.method, **_client(request)},
            )
        elif _denied_object(request, response) and _within_budget(user):
            _record(
                actor=user,
                action="access.denied",
                after={
                    "method": request.method,
                    "status": 404,
                    "view": request.resolver_match.view_name[:200],
                    **_client(request),
                },
            )
        return response

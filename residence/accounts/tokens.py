"""API tokens and sessions: a token's lifetime, its owner's list and revocation, and the end of every
token and session when the password, the roles or the active state of an account change.

Credential changes are caught from signals, so every path that makes them is covered: the password
change and reset pages, the admin (user form, groups, permissions, staff status, deactivation), the
services and the shell. Sessions end through the user's ``credentials_stamp``, which is part of the
session hash (``User._get_session_auth_hash``): a new stamp and every older session is refused on its
next request, whatever the session store. Tokens are deleted. Each end is one audit entry.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from residence.audit.services import audit_record

from .models import User

# Why an account's sessions and tokens ended, as the audit log says it.
PASSWORD_CHANGE = "password_change"  # noqa: S105 - a reason, not a password
PASSWORD_RESET = "password_reset"  # noqa: S105
ROLE_CHANGE = "role_change"
PERMISSION_CHANGE = "permission_change"
DEACTIVATION = "deactivation"


class TokenRefused(exceptions.AuthenticationFailed):
    """A token that is unknown, expired or of an inactive account: a 401 (residence.core.api)."""

    www_authenticate = 'Token error="invalid_token"'


# --- tokens ---------------------------------------------------------------------------------------
def token_expires_at(token: Token) -> datetime:
    return token.created + settings.API_TOKEN_LIFETIME


def token_is_expired(token: Token, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) >= token_expires_at(token)


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The user's token: the one they have while it is valid, else a new one (audited on creation)."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_is_expired(token):
        _token_delete(token, action="auth.token_expire", actor=None)
        token = None
    # Creation is recorded by residence.audit.security (auth.token_issue).
    return token or Token.objects.create(user=user)


def user_tokens(*, user: User) -> list[Token]:
    """The tokens a user holds (DRF keeps one per account), newest first."""
    return list(Token.objects.filter(user=user).order_by("-created"))


@transaction.atomic
def token_revoke(*, actor: User, token: Token) -> None:
    """The owner ends one of their tokens; someone else's token does not exist for them."""
    if token.user_id != actor.pk:
        raise Token.DoesNotExist
    _token_delete(token, action="auth.token_revoke", actor=actor)


def _token_delete(token: Token, *, action: str, actor: User | None) -> None:
    user, label = token.user, token_label(token)
    token.delete()
    # The key never goes into the log: its first characters tell two tokens apart.
    audit_record(actor=actor, action=action, obj=user, after={"token": label})


def token_label(token: Token) -> str:
    return f"{token.key[:6]}…"


def token_check(token: Token) -> None:
    """Refuse (401) an expired token and delete it; called on every token-authenticated request."""
    if not token.user.is_active:
        raise TokenRefused(_("User inactive or deleted."))
    if token_is_expired(token):
        with transaction.atomic():
            _token_delete(token, action="auth.token_expire", actor=None)
        raise TokenRefused(
            _(
                "This API token has expired. Ask for a new one with your e-mail and password at /api/auth/token/."
            )
        )


# --- the end of every token and session -------------------------------------------------------
@transaction.atomic
def credentials_end(*, user: User, reasons: list[str], actor: User | None = None) -> int:
    """End all of a user's sessions (a new stamp) and delete their tokens; returns the tokens ended."""
    stamp = secrets.token_hex(16)
    User.objects.filter(pk=user.pk).update(credentials_stamp=stamp)
    # The object in memory too: the password-change page keeps its own session with the new hash.
    user.credentials_stamp = stamp
    tokens, _by_model = Token.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="auth.credentials_end",
        obj=user,
        after={"reasons": sorted(set(reasons)), "tokens": tokens, "sessions": "all"},
    )
    return tokens


def _has_credentials(user: User) -> bool:
    # A new account (groups set just after it is made) has no session or token yet to end.
    return user.last_login is not None or Token.objects.filter(user=user).exists()


def on_user_pre_save(sender, instance: User, update_fields=None, **kwargs):
    watched = {"password", "is_active", "is_staff", "is_superuser"}
    if instance.pk is None or (update_fields is not None and not watched & set(update_fields)):
        return
    stored = sender.objects.filter(pk=instance.pk).values(*watched).first()
    if stored is None:
        return
    reasons = []
    # A new password was set (set_password keeps the raw one until save), or made unusable; a hash
    # upgraded at log-in (the same password) is neither.
    if stored["password"] != instance.password and (
        instance._password is not None or not instance.has_usable_password()
    ):
        reasons.append(getattr(instance, "_credentials_reason", PASSWORD_CHANGE))
    if stored["is_active"] and not instance.is_active:
        reasons.append(DEACTIVATION)
    if (stored["is_staff"], stored["is_superuser"]) != (instance.is_staff, instance.is_superuser):
        reasons.append(ROLE_CHANGE)
    instance._credentials_end_reasons = reasons


def on_user_saved(sender, instance: User, created, **kwargs):
    reasons = getattr(instance, "_credentials_end_reasons", None)
    instance._credentials_end_reasons = None
    if reasons and not created and _has_credentials(instance):
        credentials_end(user=instance, reasons=reasons)


def _users_changed(action, instance, reverse, model, pk_set):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return []
    if not reverse:
        return [instance]
    # group.user_set.add(...) or permission.user_set.add(...): the users are the pk_set.
    if action == "pre_clear":
        return list(instance.user_set.all())
    return list(User.objects.filter(pk__in=pk_set or ()))


def _on_user_m2m(reason: str):
    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action in ("post_add", "post_remove") and not pk_set:
            return
        for user in _users_changed(action, instance, reverse, model, pk_set):
            if _has_credentials(user):
                credentials_end(user=user, reasons=[reason])

    return handler


def on_group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear") or (action != "pre_clear" and not pk_set):
        return
    groups = [instance] if not reverse else list(Group.objects.filter(pk__in=pk_set or ()))
    for user in User.objects.filter(groups__in=groups).distinct():
        if _has_credentials(user):
            credentials_end(user=user, reasons=[PERMISSION_CHANGE])


def connect() -> None:
    pre_save.connect(on_user_pre_save, sender=User, dispatch_uid="accounts.credentials_pre_save")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="accounts.credentials_saved")
    m2m_changed.connect(
        _on_user_m2m(ROLE_CHANGE),
        sender=User.groups.through,
        dispatch_uid="accounts.credentials_groups",
        weak=False,  # the handler is a closure: nothing else holds it
    )
    m2m_changed.connect(
        _on_user_m2m(PERMISSION_CHANGE),
        sender=User.user_permissions.through,
        dispatch_uid="accounts.credentials_permissions",
        weak=False,
    )
    m2m_changed.connect(
        on_group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="accounts.credentials_group_permissions",
    )

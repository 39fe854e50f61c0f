"""E-mail verification and a registration that does not tell whether an address is registered.

Registering answers the same page and sends one e-mail either way: a new account gets a link that
verifies its address; the owner of an address already registered is told that someone tried to
register with it. A new account may log in and draft at once, but submitting needs the verified
address (``require_verified_email``, called by the submission service). E-mail goes out through
``send_email_task`` after commit, in the recipient's language.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from residence.audit.services import audit_record
from residence.core.tasks import publish_after_commit, send_email_task

from .models import User
from .services import applicant_register

SALT = "residence.accounts.email-verification"


def verification_url(user: User) -> str:
    # The address is signed with the account: a link for an address the account no longer has fails.
    token = signing.dumps({"u": user.pk, "e": user.email}, salt=SALT, compress=True)
    return settings.SITE_URL.rstrip("/") + reverse("email_verify", args=[token])


def _send(*, user: User, template: str, context: dict) -> None:
    with translation.override(user.preferred_language or "en"):
        context = {"user": user, "site_url": settings.SITE_URL.rstrip("/"), **context}
        subject = "".join(render_to_string(f"accounts/email/{template}_subject.txt", context).splitlines())
        body = render_to_string(f"accounts/email/{template}.txt", context)
    publish_after_commit(send_email_task, to=[user.email], subject=subject, body=body)


@transaction.atomic
def email_verification_send(*, user: User, actor: User | None = None) -> None:
    """Send (again) the link that verifies the account's address."""
    _send(user=user, template="verify", context={"url": verification_url(user)})
    audit_record(actor=actor or user, action="account.email_verification_send", obj=user)


@transaction.atomic
def applicant_register_or_notify(*, email: str, password: str, full_name: str, language: str) -> User | None:
    """Register a new applicant and send the verification link, or tell the address's owner.

    Returns the new account, or None when the address was taken; the caller answers the same either
    way. The password is hashed in both cases, so the time taken does not tell them apart either.
    """
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = applicant_register(
                    email=email, password=password, full_name=full_name, language=language
                )
        except (IntegrityError, ValidationError):
            # Registered at the same moment by another request: that account is the existing one.
            existing = User.objects.get(email__iexact=email)
        else:
            email_verification_send(user=user)
            return user
    make_password(password)
    _send(
        user=existing,
        template="register_existing",
        context={"login_url": reverse("login"), "reset_url": reverse("password_reset")},
    )
    audit_record(actor=None, action="account.register_existing", obj=existing)
    return None


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the address of the link's account as verified; a bad or old link is a ValidationError."""
    invalid = ValidationError(
        _("This verification link is not valid or has expired. Log in and ask for a new one.")
    )
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
        user = User.objects.select_for_update().get(pk=int(data["u"]), is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError, ValueError):
        raise invalid from None
    if user.email != data.get("e"):
        raise invalid
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
        audit_record(actor=user, action="account.email_verify", obj=user, after={"email": user.email})
    return user


def require_verified_email(actor: User) -> None:
    """Refuse to submit for an account whose e-mail address is not verified yet."""
    if getattr(actor, "email_verified_at", None) is None:
        raise ValidationError(
            {
                "non_field_errors": [
                    _(
                        "Verify your e-mail address before you submit: open the link in the e-mail we sent "
                        "to %(email)s, or ask for a new one. Your draft is kept."
                    )
                    % {"email": actor.email}
                ]
            }
        )

"""Writes of the second factor: enrolment, verification, recovery codes, passkeys, removal.

Each runs in one transaction and writes its audit entry there. Verification writes its entry whether
it succeeds or not (a failed attempt is a security event, ASVS 16.3), so it returns ``None`` on a
wrong code instead of raising, which would roll the entry back.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from residence.accounts.models import Role, User
from residence.audit.services import audit_record

from .models import WebAuthnDevice

# Roles that are not staff: applicants and their intermediaries may opt in, everyone else must enrol.
APPLICANT_SIDE_ROLES = frozenset({Role.APPLICANT, Role.INTERMEDIARY})
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or copied by hand
TOTP_PATTERN = re.compile(r"^\d{6}$")


def is_staff_account(user) -> bool:
    """Every staff role must use a second factor (officers, administrators, agency staff)."""
    return bool(user.is_staff or user.is_superuser or (user.roles - APPLICANT_SIDE_ROLES))


def devices(user) -> list[Device]:
    """The user's confirmed second factors that verify a log-in (recovery codes are not one)."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"),
        *WebAuthnDevice.objects.filter(user=user, confirmed=True).order_by("id"),
    ]


def has_second_factor(user) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnDevice.objects.filter(user=user, confirmed=True).exists()
    )


def kind_of(device: Device) -> str:
    if isinstance(device, TOTPDevice):
        return "totp"
    if isinstance(device, WebAuthnDevice):
        return "passkey"
    return "recovery_code"


def _details(device: Device, context: dict | None) -> dict:
    return {"device": kind_of(device), "device_id": device.pk, "name": device.name, **(context or {})}


# --- recovery codes ----------------------------------------------------------------------------------
def recovery_code_normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def recovery_code_digest(code: str) -> str:
    """What the database keeps of a recovery code: 16 hex digits of its SHA-256 (64 bits).

    django-otp's static device would keep the codes themselves; a digest fits its 16-character
    column and its lookup, so a copy of the database does not give the codes away. The codes carry
    50 bits of randomness, so an unkeyed hash is enough and survives a change of SECRET_KEY.
    """
    return hashlib.sha256(recovery_code_normalise(code).encode()).hexdigest()[:16]


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_generate(*, user: User, context: dict | None = None) -> list[str]:
    """A new set of recovery codes (the old ones stop working); shown once, kept only as digests."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=recovery_code_digest(c)) for c in codes)
    audit_record(
        actor=user,
        action="mfa.recovery_codes_generate",
        obj=user,
        after={"count": len(codes), **(context or {})},
    )
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# --- TOTP --------------------------------------------------------------------------------------------
@transaction.atomic
def totp_enrol_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device with a new secret; it verifies nothing until confirmed with a code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def totp_enrol_confirm(*, user: User, device: TOTPDevice, token: str, context: dict | None = None) -> bool:
    """Confirm the device with its first code (which also counts as used: it cannot be replayed)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
    if not TOTP_PATTERN.match((token or "").strip()) or not device.verify_token(token.strip()):
        audit_record(
            actor=user, action="mfa.enrol_failed", obj=user, after={"device": "totp", **(context or {})}
        )
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="mfa.enrol", obj=user, after=_details(device, context))
    return True


# --- verification (log-in and re-authentication) ------------------------------------------------------
@dataclass(frozen=True)
class Verified:
    device: Device
    recovery_codes_left: int | None = None


@transaction.atomic
def second_factor_verify(
    *, user: User, token: str, purpose: str = "login", context: dict | None = None
) -> Verified | None:
    """Check a code from the authenticator app, or a recovery code (used up by this); audited either way.

    ``purpose`` is ``login`` (after the password) or ``reauth`` (a fresh factor before a sensitive
    action). A TOTP code is accepted once only: django-otp keeps the last time step verified.
    """
    token = (token or "").strip()
    action = "mfa.verify" if purpose == "login" else "mfa.reauth"
    verified: Device | None = None
    if TOTP_PATTERN.match(token):
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("id"):
            if device.verify_token(token):
                verified = device
                break
    elif token:
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(recovery_code_digest(token)):
                verified = device
                break
    if verified is None:
        audit_record(
            actor=user,
            action=f"{action}_failed",
            obj=user,
            after={
                "kind": "recovery_code" if token and not TOTP_PATTERN.match(token) else "totp",
                **(context or {}),
            },
        )
        return None
    left = None
    if isinstance(verified, StaticDevice):
        left = verified.token_set.count()
        audit_record(
            actor=user,
            action="mfa.recovery_code_used",
            obj=user,
            after={"left": left, "purpose": purpose, **(context or {})},
        )
    audit_record(actor=user, action=action, obj=user, after=_details(verified, context))
    return Verified(device=verified, recovery_codes_left=left)


# --- passkeys ----------------------------------------------------------------------------------------
def _webauthn():
    import webauthn
    from webauthn.helpers import structs

    return webauthn, structs


def passkey_registration_options(*, user: User, rp_id: str) -> tuple[str, bytes]:
    """The options for ``navigator.credentials.create`` (JSON) and the challenge to keep in the session."""
    webauthn, structs = _webauthn()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=str(settings.PORTAL_NAME),
        user_name=user.email,
        user_id=f"user-{user.pk}".encode(),
        user_display_name=user.full_name or user.email,
        exclude_credentials=[
            structs.PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(d.credential_id))
            for d in WebAuthnDevice.objects.filter(user=user)
        ],
        authenticator_selection=structs.AuthenticatorSelectionCriteria(
            resident_key=structs.ResidentKeyRequirement.PREFERRED,
            user_verification=structs.UserVerificationRequirement.PREFERRED,
        ),
    )
    return webauthn.options_to_json(options), options.challenge


@transaction.atomic
def passkey_register(
    *,
    user: User,
    credential: dict | str,
    challenge: bytes,
    rp_id: str,
    origin: str,
    name: str = "",
    context: dict | None = None,
) -> WebAuthnDevice:
    """Verify the browser's attestation and keep the new credential; refuses with a ValidationError."""
    webauthn, _structs = _webauthn()
    from webauthn.helpers import bytes_to_base64url
    from webauthn.helpers.exceptions import WebAuthnException

    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("The passkey could not be registered: %(error)s") % {"error": error}
        ) from None
    credential_id = bytes_to_base64url(verified.credential_id)
    if WebAuthnDevice.objects.filter(credential_id=credential_id).exists():
        raise ValidationError(_("This passkey is already registered."))
    transports = credential.get("response", {}).get("transports", []) if isinstance(credential, dict) else []
    device = WebAuthnDevice.objects.create(
        user=user,
        name=(name or _("Passkey"))[:64],
        confirmed=True,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t for t in transports if isinstance(t, str)][:8],
    )
    audit_record(actor=user, action="mfa.enrol", obj=user, after=_details(device, context))
    return device


def passkey_authentication_options(*, user: User, rp_id: str) -> tuple[str, bytes]:
    webauthn, structs = _webauthn()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=[
            structs.PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(d.credential_id))
            for d in WebAuthnDevice.objects.filter(user=user, confirmed=True)
        ],
        user_verification=structs.UserVerificationRequirement.PREFERRED,
    )
    return webauthn.options_to_json(options), options.challenge


@transaction.atomic
def passkey_verify(
    *,
    user: User,
    credential: dict,
    challenge: bytes,
    rp_id: str,
    origin: str,
    purpose: str = "login",
    context: dict | None = None,
) -> WebAuthnDevice | None:
    """Verify a signed assertion of one of the user's passkeys; audited either way."""
    webauthn, _structs = _webauthn()
    from webauthn.helpers.exceptions import WebAuthnException

    action = "mfa.verify" if purpose == "login" else "mfa.reauth"
    credential_id = credential.get("id") if isinstance(credential, dict) else None
    device = (
        WebAuthnDevice.objects.select_for_update()
        .filter(user=user, confirmed=True, credential_id=credential_id)
        .first()
        if isinstance(credential_id, str)
        else None
    )
    problem = "unknown passkey" if device is None else ""
    if device is not None:
        try:
            verified = webauthn.verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=rp_id,
                expected_origin=origin,
                credential_public_key=bytes(device.public_key),
                credential_current_sign_count=device.sign_count,
            )
        except (WebAuthnException, ValueError, KeyError, TypeError) as error:
            problem = str(error)[:200]
        else:
            device.sign_count = verified.new_sign_count
            device.set_last_used_timestamp(commit=False)
            device.save(update_fields=["sign_count", "last_used_at"])
    if problem:
        audit_record(
            actor=user,
            action=f"{action}_failed",
            obj=user,
            after={"kind": "passkey", "problem": problem, **(context or {})},
        )
        return None
    audit_record(actor=user, action=action, obj=user, after=_details(device, context))
    return device


# --- removal -----------------------------------------------------------------------------------------
@transaction.atomic
def device_remove(*, user: User, device: Device, context: dict | None = None) -> None:
    """Remove one of the user's own second factors; staff left with none must enrol again."""
    if device.user_id != user.pk:
        raise ValidationError(_("This is not one of your second factors."))
    details = _details(device, context)
    device.delete()
    if not has_second_factor(user):
        # Recovery codes only stand in for a second factor the person has.
        StaticDevice.objects.filter(user=user).delete()
        details["recovery_codes_removed"] = True
    audit_record(actor=user, action="mfa.device_remove", obj=user, before=details)


@transaction.atomic
def session_timeout_record(*, user: User, reason: str, context: dict | None = None) -> None:
    audit_record(
        actor=user, action="auth.session_timeout", obj=user, after={"reason": reason, **(context or {})}
    )


def token_second_factor_check(*, user: User, code: str, context: dict | None = None) -> None:
    """API tokens are issued only against a second factor, for everyone who has or must have one.

    Raises ``PermissionDenied`` (staff without a second factor: enrol in the browser first) or
    ``ValidationError`` (no code, or a wrong one; the attempt is audited by ``second_factor_verify``).
    """
    from django.core.exceptions import PermissionDenied

    enrolled = has_second_factor(user)
    if not enrolled and not is_staff_account(user):
        return
    if not enrolled:
        raise PermissionDenied(_("Set up a second factor in the browser before asking for an API token."))
    if not code:
        raise ValidationError(
            {"otp": _("Give a current code from your authenticator app, or a recovery code.")}
        )
    if (
        second_factor_verify(
            user=user, token=code, purpose="login", context={"via": "api_token", **(context or {})}
        )
        is None
    ):
        raise ValidationError({"otp": _("This code is not right, or it was already used.")})

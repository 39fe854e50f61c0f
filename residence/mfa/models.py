"""Second factors beside django-otp's own (TOTP, recovery codes): passkeys (WebAuthn)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin


class WebAuthnDevice(TimestampMixin, Device):
    """A passkey or security key registered through WebAuthn (py_webauthn).

    A django-otp device, so ``django_otp.login`` and ``user.is_verified()`` treat it like TOTP; it
    takes no typed token (``verify_token`` refuses every one): the browser's signed assertion is
    checked by ``residence.mfa.services.passkey_verify``.
    """

    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField(_("public key"))
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)

    class Meta:
        verbose_name = _("passkey")
        verbose_name_plural = _("passkeys")

    def verify_token(self, token) -> bool:
        return False

"""Pages of the second factor: enrolment (authenticator app or passkey), verification after the
password, re-authentication before sensitive actions, and the list of one's own second factors."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from . import session as mfa_session
from .forms import SecondFactorForm, TotpConfirmForm
from .guards import recent_second_factor
from .models import WebAuthnDevice

ENROL_DEVICE = "mfa_enrol_device"
CHALLENGE = "mfa_webauthn_challenge"
MAX_CREDENTIAL_BYTES = 64 * 1024


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _client(request) -> dict:
    return {"ip": request.META.get("REMOTE_ADDR", ""), "path": request.path[:200]}


def _relying_party(request) -> tuple[str, str]:
    """The WebAuthn relying party id and the origin the browser must report."""
    rp_id = settings.WEBAUTHN_RP_ID or request.get_host().rsplit(":", 1)[0].strip("[]")
    origin = settings.WEBAUTHN_ORIGIN or f"{request.scheme}://{request.get_host()}"
    return rp_id, origin


def _may_add_factor(request) -> bool:
    """A new factor needs a verified session, except the very first (right after the password)."""
    return mfa_session.is_verified(request) or not services.has_second_factor(request.user)


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _verified(request, device) -> None:
    mfa_session.mark_verified(request, device)
    if not services.is_staff_account(request.user):
        request.session[mfa_session.OPTED_IN] = True


# --- verification after the password, and re-authentication -------------------------------------------
def _factor_page(request, *, purpose: str):
    user = request.user
    if not services.has_second_factor(user):
        return redirect(f"{reverse('mfa:enrol')}?{urlencode({'next': _next(request)})}")
    if purpose == "login" and mfa_session.is_verified(request):
        return redirect(_next(request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        verified = services.second_factor_verify(
            user=user, token=form.cleaned_data["token"], purpose=purpose, context=_client(request)
        )
        if verified is not None:
            if purpose == "login":
                _verified(request, verified.device)
            else:
                mfa_session.mark_reauthenticated(request)
            if verified.recovery_codes_left is not None:
                messages.warning(
                    request,
                    _(
                        "You used a recovery code; %(left)s are left. Make new ones on your second factors page."
                    )
                    % {"left": verified.recovery_codes_left},
                )
            return redirect(_next(request))
        form.add_error("token", _("This code is not right, or it was already used. Try the next code."))
        status = 400
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "purpose": purpose,
            "next": _next(request),
            "has_passkey": WebAuthnDevice.objects.filter(user=user, confirmed=True).exists(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    return _factor_page(request, purpose="login")


@login_required
@require_http_methods(["GET", "POST"])
def reauth(request):
    return _factor_page(request, purpose="reauth")


# --- enrolment -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    if not _may_add_factor(request):
        return redirect(f"{reverse('mfa:verify')}?{urlencode({'next': reverse('mfa:enrol')})}")
    device = TOTPDevice.objects.filter(
        pk=request.session.get(ENROL_DEVICE), user=request.user, confirmed=False
    ).first()
    if device is None:
        device = services.totp_enrol_start(user=request.user)
        request.session[ENROL_DEVICE] = device.pk
    form = TotpConfirmForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if services.totp_enrol_confirm(
            user=request.user, device=device, token=form.cleaned_data["token"], context=_client(request)
        ):
            del request.session[ENROL_DEVICE]
            device.refresh_from_db()
            _verified(request, device)
            codes = services.recovery_codes_generate(user=request.user, context=_client(request))
            return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error(
            "token", _("This code is not right. Check the app's clock and enter the code it shows now.")
        )
        status = 400
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "mfa/enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": secret,
            "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next(request),
            "staff": services.is_staff_account(request.user),
        },
        status=status,
    )


# --- one's own second factors ------------------------------------------------------------------------
@login_required
@require_GET
def devices(request):
    user = request.user
    return render(
        request,
        "mfa/devices.html",
        {
            "totp_devices": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"),
            "passkeys": WebAuthnDevice.objects.filter(user=user, confirmed=True).order_by("id"),
            "recovery_left": services.recovery_codes_left(user),
            "has_factor": services.has_second_factor(user),
            "staff": services.is_staff_account(user),
            "verified": mfa_session.is_verified(request),
        },
    )


@login_required
@require_POST
@recent_second_factor
def device_remove(request, kind: str, pk: int):
    model = {"totp": TOTPDevice, "passkey": WebAuthnDevice}.get(kind)
    device = model.objects.filter(user=request.user, pk=pk).first() if model else None
    if device is None:
        raise Http404
    services.device_remove(user=request.user, device=device, context=_client(request))
    messages.success(request, _("The second factor was removed."))
    if services.is_staff_account(request.user) and not services.has_second_factor(request.user):
        return redirect("mfa:enrol")
    return redirect("mfa:devices")


@login_required
@require_POST
@recent_second_factor
def recovery_codes(request):
    if not services.has_second_factor(request.user):
        messages.error(request, _("Set up a second factor first: recovery codes stand in for it."))
        return redirect("mfa:devices")
    codes = services.recovery_codes_generate(user=request.user, context=_client(request))
    return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": reverse("mfa:devices")})


# --- passkeys (JSON, called by static/js/passkey.js) ----------------------------------------------------
def _json_body(request) -> dict | None:
    if len(request.body) > MAX_CREDENTIAL_BYTES:
        return None
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _challenge(request) -> bytes | None:
    value = request.session.pop(CHALLENGE, None)
    if not isinstance(value, dict):
        return None
    try:
        return base64.b64decode(value["challenge"])
    except (KeyError, ValueError, TypeError):
        return None


def _passkey_answer(request) -> tuple[dict | None, bytes | None]:
    """The browser's answer to a passkey challenge and the challenge it answers (taken from the
    session, so it is used once); (None, None) when either is missing or malformed."""
    body, challenge = _json_body(request), _challenge(request)
    if body is None or challenge is None or not isinstance(body.get("credential"), dict):
        return None, None
    return body, challenge


def _keep_challenge(request, challenge: bytes, purpose: str) -> None:
    request.session[CHALLENGE] = {"challenge": base64.b64encode(challenge).decode(), "purpose": purpose}


@login_required
@require_POST
def passkey_register_options(request):
    if not _may_add_factor(request):
        return JsonResponse({"detail": _("Give your second factor first.")}, status=403)
    rp_id, _origin = _relying_party(request)
    options, challenge = services.passkey_registration_options(user=request.user, rp_id=rp_id)
    _keep_challenge(request, challenge, "register")
    return JsonResponse(json.loads(options))


@login_required
@require_POST
def passkey_register(request):
    if not _may_add_factor(request):
        return JsonResponse({"detail": _("Give your second factor first.")}, status=403)
    body, challenge = _passkey_answer(request)
    if body is None:
        return HttpResponseBadRequest(_("Start again: the passkey request was not complete."))
    rp_id, origin = _relying_party(request)
    first = not services.has_second_factor(request.user)
    try:
        device = services.passkey_register(
            user=request.user,
            credential=body["credential"],
            challenge=challenge,
            rp_id=rp_id,
            origin=origin,
            name=str(body.get("name") or "")[:64],
            context=_client(request),
        )
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=400)
    if first:
        _verified(request, device)
        codes = services.recovery_codes_generate(user=request.user, context=_client(request))
        request.session["mfa_new_codes"] = codes
        return JsonResponse({"redirect": f"{reverse('mfa:new_codes')}?{urlencode({'next': _next(request)})}"})
    messages.success(request, _("The passkey was added."))
    return JsonResponse({"redirect": reverse("mfa:devices")})


@login_required
@require_GET
def new_codes(request):
    """The recovery codes made with a first passkey, shown once (the passkey page answers in JSON)."""
    codes = request.session.pop("mfa_new_codes", None)
    if not codes:
        return redirect("mfa:devices")
    return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": _next(request)})


@login_required
@require_POST
def passkey_login_options(request):
    if not WebAuthnDevice.objects.filter(user=request.user, confirmed=True).exists():
        return JsonResponse({"detail": _("You have no passkey here.")}, status=400)
    rp_id, _origin = _relying_party(request)
    options, challenge = services.passkey_authentication_options(user=request.user, rp_id=rp_id)
    _keep_challenge(request, challenge, "login")
    return JsonResponse(json.loads(options))


@login_required
@require_POST
def passkey_login(request):
    body, challenge = _passkey_answer(request)
    if body is None:
        return HttpResponseBadRequest(_("Start again: the passkey request was not complete."))
    purpose = "reauth" if body.get("purpose") == "reauth" else "login"
    rp_id, origin = _relying_party(request)
    device = services.passkey_verify(
        user=request.user,
        credential=body["credential"],
        challenge=challenge,
        rp_id=rp_id,
        origin=origin,
        purpose=purpose,
        context=_client(request),
    )
    if device is None:
        return JsonResponse(
            {"detail": _("The passkey was not accepted. Try again, or use a code.")}, status=400
        )
    if purpose == "login":
        _verified(request, device)
    else:
        mfa_session.mark_reauthenticated(request)
    return JsonResponse({"redirect": _next(request)})

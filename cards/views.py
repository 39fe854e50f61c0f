"""HTML pages: the public verification page, the holder's card, and the officers' pages."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.uploads import protect_served_upload
from residence.accounts.models import Role
from residence.core.forms import apply_service_errors, error_text
from residence.core.pagination import keyset_page_for_request
from residence.mfa.guards import require_recent_second_factor

from . import offline, selectors, services
from .forms import (
    CardRequestForm,
    CardRequestRefuseForm,
    CodeForm,
    InstitutionForm,
    PresenceImportForm,
    RevocationDecideForm,
    RevocationOpenForm,
)
from .models import Card, CardRequest, RevocationCase


def _require(user, *roles) -> None:
    if not user.has_role(*roles):
        raise Http404


# --- public -----------------------------------------------------------------------------------------
@require_GET
def public_verify(request, token: str):
    """What a service window sees: the status, the holder's name and photo, the expiry. Nothing else."""
    try:
        card = selectors.card_by_token(token=token)
    except Http404:
        # A counter clerk scanned an altered or home-made code: say so plainly, with no card shown.
        response = render(request, "cards/public_verify_failed.html", status=400)
    else:
        status = card.current_status
        # The day the card stopped being valid (revoked, replaced: when it happened; expired: its date).
        ended_on = card.expires_on if status == Card.Status.EXPIRED else card.ended_at
        response = render(
            request,
            "cards/public_verify.html",
            {"card": card, "status": status, "token": token, "ended_on": ended_on},
        )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_photo(request, token: str):
    card = selectors.card_by_token(token=token)
    response = FileResponse(card.photo.open("rb"), content_type=card.photo_content_type)
    return protect_served_upload(response, filename="photo", inline=True)


# --- the counter clerks' verifier (works offline after its first load) -----------------------------
def _verifier_texts() -> dict:
    return {
        "valid": pgettext("card status", "Valid"),
        "expired": pgettext("card status", "Expired"),
        "revoked": pgettext("card status", "Revoked"),
        "replaced": _("No longer valid: replaced by a newer card"),
        "not_verifiable": _("Not verifiable"),
        "not_verifiable_detail": _(
            "This code was not signed by the administration's keys, or it was altered. Do not accept the "
            "card on its code; ask for another document."
        ),
        "compare_photo": _("Compare the person with the photo and the name printed on the card."),
        "name": pgettext("person", "Name"),
        "birth_date": _("Date of birth"),
        "valid_until": _("Valid until"),
        "card_number": _("Card number"),
        "checked_online": _("Checked online just now."),
        "checked_offline": _("Checked offline against the revocation list issued %(date)s."),
        "no_list": _("Checked offline without a revocation list: the card may have been revoked."),
        "list_stale": _(
            "The revocation list is out of date (due for renewal %(date)s); connect to refresh it."
        ),
        "empty": _("Paste or type the scanned code first."),
        "ready": _("Ready to work offline."),
        "not_ready": _("This browser cannot keep the verifier for offline use; it works while online."),
        "scan": _("Scan with the camera"),
        "stop": _("Stop the camera"),
        "camera_failed": _("The camera could not be opened; paste or type the scanned code instead."),
        "list_issued": _("Revocation list issued %(date)s, next update %(next)s."),
        "no_crypto": _("This browser cannot verify signatures (Ed25519); use the online card check."),
    }


@require_GET
def offline_verifier(request):
    """A page that verifies a card's signed code in the browser, offline once loaded (a service worker)."""
    form = CodeForm(request.GET or None)
    # Without JavaScript, the form still works online: it opens the public card check of the code.
    if form.is_valid():
        token = offline.token_from_text(form.cleaned_data["code"])
        if token and "/" not in token:
            return redirect("cards:public_verify", token=token)
        form.add_error("code", _("This is not the code of a permanent residence card."))
    response = render(
        request,
        "cards/verifier.html",
        {
            "form": form,
            "verifier_config": {
                "worker": reverse("cards:offline_worker"),
                "scope": reverse("cards:offline_verifier"),
                "keys": reverse("cards:offline_keys"),
                "revocations": reverse("cards:offline_revocation_list"),
                "status": reverse("api_cards_status"),
                "texts": _verifier_texts(),
            },
        },
    )
    # The one page that may use the camera (to read the QR code); every other keeps it switched off.
    response["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace("camera=()", "camera=(self)")
    return response


@require_GET
def offline_worker(request):
    precache = [
        reverse("cards:offline_verifier"),
        reverse("cards:offline_keys"),
        reverse("cards:offline_revocation_list"),
        static("js/card-verifier.js"),
        static("css/portal.css"),
        static("favicon.svg"),
    ]
    response = render(
        request,
        "cards/verifier_worker.js",
        {"precache": json.dumps(precache)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline_keys(request):
    """The public keys that sign cards and revocation lists, current and retired (a JSON Web Key Set)."""
    response = JsonResponse(settings.CARDS_KEYS.key_set())
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def offline_revocation_list(request):
    """The signed list of revoked and replaced cards a counter downloads (at least) once a day."""
    now = timezone.now()
    revoked, replaced = selectors.invalid_card_numbers(today=timezone.localdate())
    body = offline.revocation_list(
        revoked=revoked,
        replaced=replaced,
        issued_at=now,
        valid_for=dt.timedelta(hours=settings.CARDS_REVOCATION_LIST_HOURS),
        keys=settings.CARDS_KEYS,
    )
    response = HttpResponse(body, content_type="application/cose; cose-type=cose-sign1")
    response["Cache-Control"] = "no-cache"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- holder ---------------------------------------------------------------------------------------
@login_required
def my_card(request):
    cards = list(
        selectors.card_list(user=request.user)
        .filter(profile__owner=request.user)
        .order_by("-issued_on", "-id")
    )
    current = next((c for c in cards if c.status in (Card.Status.ISSUED, Card.Status.EXPIRED)), None)
    in_window = current is not None and current.in_renewal_window()
    form = CardRequestForm(in_renewal_window=in_window)
    if request.method == "POST":
        form = CardRequestForm(request.POST, in_renewal_window=in_window)
        if current is None:
            raise Http404
        if form.is_valid():
            try:
                services.card_request_create(actor=request.user, card=current, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your request has been sent to the management officers."))
                return redirect("cards:my_card")
    standings = services.residence_standings(profile=current.profile) if current else []
    return render(
        request,
        "cards/my_card.html",
        {
            "cards": cards,
            "current": current,
            "form": form,
            "documents": selectors.holder_documents(user=request.user, cards=cards),
            "requests": CardRequest.objects.filter(card__in=cards).order_by("-requested_at"),
            "revocations": selectors.holder_revocations(user=request.user),
            "standings": standings[:3],
            "margin": services.settings.CARDS_RESIDENCE_WARNING_MARGIN_DAYS,
        },
    )


@login_required
@require_GET
def document_download(request, pk: int):
    document = selectors.document_get(user=request.user, pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )


@login_required
@require_GET
def card_photo(request, pk: int):
    card = selectors.card_get(user=request.user, pk=pk)
    response = FileResponse(card.photo.open("rb"), content_type=card.photo_content_type)
    return protect_served_upload(response, filename="photo", inline=True)


# --- renewal and replacement (management officers) ------------------------------------------------
@login_required
def card_requests(request):
    _require(request.user, Role.MANAGEMENT_OFFICER)
    page = keyset_page_for_request(
        request, selectors.card_request_queue(user=request.user), ordering=["requested_at", "id"]
    )
    return render(request, "cards/requests.html", {"requests": page.items, "page": page})


@login_required
@require_POST
def card_request_decide(request, pk: int):
    card_request = selectors.card_request_get(user=request.user, pk=pk)
    require_recent_second_factor(request)
    try:
        if request.POST.get("decision") == "issue":
            card = services.card_request_issue(actor=request.user, request=card_request)
            messages.success(request, _("New card %(number)s issued.") % {"number": card.number})
        else:
            form = CardRequestRefuseForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the reason for the refusal."))
                return redirect("cards:requests")
            services.card_request_refuse(
                actor=request.user, request=card_request, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The request was refused."))
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("cards:requests")


# --- revocation -----------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def revocations(request):
    _require(request.user, Role.MANAGEMENT_OFFICER, Role.APPROVER)
    form = RevocationOpenForm()
    if request.method == "POST":
        _require(request.user, Role.MANAGEMENT_OFFICER)
        form = RevocationOpenForm(request.POST)
        if form.is_valid():
            card = selectors.card_in_area(user=request.user, number=form.cleaned_data["card_number"])
            if card is None:
                form.add_error("card_number", _("No card has this number."))
            else:
                try:
                    case = services.revocation_open(
                        actor=request.user,
                        card=card,
                        ground=form.cleaned_data["ground"],
                        evidence=form.cleaned_data["evidence"],
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    messages.success(request, _("Revocation case opened; another person must decide it."))
                    return redirect("cards:revocation", pk=case.pk)
    cases = selectors.revocation_list(user=request.user)
    open_page = keyset_page_for_request(
        request, cases.filter(state=RevocationCase.State.OPEN), ordering=["opened_at", "id"]
    )
    return render(
        request,
        "cards/revocations.html",
        {
            "form": form,
            "open_cases": open_page.items,
            "page": open_page,
            "decided_cases": cases.exclude(state=RevocationCase.State.OPEN).order_by("-decided_at", "-id")[
                :50
            ],
            "may_open": request.user.has_role(Role.MANAGEMENT_OFFICER),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revocation(request, pk: int):
    case = selectors.revocation_get(user=request.user, pk=pk)
    form = RevocationDecideForm()
    if request.method == "POST":
        require_recent_second_factor(request)
        form = RevocationDecideForm(request.POST)
        if form.is_valid():
            try:
                services.revocation_decide(actor=request.user, case=case, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("cards:revocation", pk=case.pk)
    may_decide = (
        case.state == RevocationCase.State.OPEN
        and request.user.has_role(Role.APPROVER)
        and case.opened_by_id != request.user.pk
    )
    return render(request, "cards/revocation.html", {"case": case, "form": form, "may_decide": may_decide})


# --- residence tracking ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def residence(request):
    _require(request.user, Role.MANAGEMENT_OFFICER)
    form = PresenceImportForm()
    result = None
    if request.method == "POST":
        form = PresenceImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > 5 * 1024 * 1024:
                form.add_error("file", _("The file is larger than 5 MB; split it."))
            else:
                try:
                    result = services.presence_import_csv(actor=request.user, data=upload.read())
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    if not result.errors:
                        messages.success(
                            request,
                            _("%(created)s crossings recorded, %(duplicates)s already known.")
                            % {"created": result.created, "duplicates": result.duplicates},
                        )
                        return redirect("cards:residence")
    page = keyset_page_for_request(
        request, selectors.residence_alerts(user=request.user), ordering=["-created_at", "-id"]
    )
    return render(
        request, "cards/residence.html", {"form": form, "result": result, "alerts": page.items, "page": page}
    )


# --- institutions (system administrators) ---------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def institutions(request):
    _require(request.user, Role.SYSTEM_ADMIN)
    form = InstitutionForm()
    if request.method == "POST":
        form = InstitutionForm(request.POST)
        if form.is_valid():
            try:
                institution = services.institution_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("cards:institution", pk=institution.pk)
    return render(
        request, "cards/institutions.html", {"form": form, "institutions": selectors.institution_list()[:500]}
    )


@login_required
@require_http_methods(["GET", "POST"])
def institution(request, pk: int):
    institution = selectors.institution_get(user=request.user, pk=pk)
    new_key = None
    if request.method == "POST":
        require_recent_second_factor(request)
        try:
            if request.POST.get("action") == "revoke":
                key = selectors.api_key_get(user=request.user, pk=request.POST.get("key"))
                if key.institution_id != institution.pk:
                    raise Http404
                services.institution_api_key_revoke(actor=request.user, api_key=key)
                messages.success(request, _("The key was revoked; it no longer works."))
                return redirect("cards:institution", pk=institution.pk)
            _key, new_key = services.institution_api_key_issue(actor=request.user, institution=institution)
        except ValidationError as error:
            messages.error(request, error_text(error))
    response = render(
        request,
        "cards/institution.html",
        {
            "institution": institution,
            "keys": selectors.api_key_list(institution=institution),
            "new_key": new_key,
            "queries": selectors.query_log(institution=institution)[:50],
            "now": timezone.now(),
        },
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response

"""The person's privacy page (consents, export, corrections, who looked) and the officers' pages."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications import selectors as application_selectors
from residence.accounts.models import is_officer
from residence.core.forms import apply_service_errors, error_text

from . import consent_texts, export, selectors, services
from .forms import CorrectionAnswerForm, CorrectionForm, HoldForm, WithdrawConsentForm
from .models import LegalHold, Purpose


def _own_applications(user):
    from applications.models import Application

    return Application.objects.filter(applicant__owner=user).order_by("-created_at", "-id")


def _mine_context(request: HttpRequest, *, correction_form: CorrectionForm | None = None) -> dict:
    user = request.user
    language = get_language()
    return {
        "consents": selectors.consent_rows(person=user, language=language),
        "withdrawal_meanings": [
            (Purpose(text.purpose).label, text.withdrawal(language))
            for text in (consent_texts.current(p) for p in Purpose.values)
        ],
        "office_views": selectors.office_views_for(person=user),
        "corrections": selectors.corrections_for_person(person=user),
        "correction_form": correction_form or CorrectionForm(applications=_own_applications(user)),
    }


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/mine.html", _mine_context(request))


def _filename(suffix: str) -> str:
    return f"personal-data-{timezone.localdate().isoformat()}.{suffix}"


@login_required
@require_GET
def export_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(export.person_data(request.user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("json")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(export.person_pdf(request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename("pdf")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = selectors.consent_get(person=request.user, pk=pk)
    form = WithdrawConsentForm(request.POST)
    form.is_valid()
    try:
        services.consent_withdraw(
            actor=request.user,
            consent=consent,
            confirm_withdraw_application=bool(form.cleaned_data.get("confirm")),
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Your consent was withdrawn."))
    return redirect("privacy:mine")


@login_required
@require_POST
def correction_new(request: HttpRequest) -> HttpResponse:
    applications = _own_applications(request.user)
    form = CorrectionForm(request.POST, applications=applications)
    if form.is_valid():
        application = None
        if form.cleaned_data["application"]:
            application = applications.filter(pk=form.cleaned_data["application"]).first()
            if application is None:
                raise Http404
        try:
            services.correction_request_create(
                actor=request.user,
                application=application,
                what=form.cleaned_data["what"],
                correction=form.cleaned_data["correction"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your request was sent to the office that handles your case."))
            return redirect("privacy:mine")
    return render(request, "privacy/mine.html", _mine_context(request, correction_form=form), status=200)


# --- officers ---------------------------------------------------------------------------------------
@login_required
@require_GET
def corrections(request: HttpRequest) -> HttpResponse:
    if not services.may_answer_corrections(request.user):
        raise Http404
    rows = selectors.corrections_for_officer(user=request.user)[:200]
    return render(
        request, "privacy/corrections.html", {"requests": rows, "answer_form": CorrectionAnswerForm()}
    )


@login_required
@require_POST
def correction_answer(request: HttpRequest, pk: int) -> HttpResponse:
    correction = selectors.correction_get_for_officer(user=request.user, pk=pk)
    form = CorrectionAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome and write the answer to the person."))
        return redirect("privacy:corrections")
    try:
        services.correction_request_answer(
            actor=request.user,
            request=correction,
            outcome=form.cleaned_data["outcome"],
            answer=form.cleaned_data["answer"],
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The answer was recorded and sent to the person."))
    return redirect("privacy:corrections")


def _officer_case(request: HttpRequest, pk: int):
    if not is_officer(request.user):
        raise Http404
    application = application_selectors.application_get(user=request.user, pk=pk)
    if application.submitted_at is None:
        raise Http404
    return application


@login_required
@require_GET
def case(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    return render(
        request,
        "privacy/case.html",
        {
            "application": application,
            "accesses": selectors.case_accesses(application=application)[:300],
            "holds": selectors.holds_for(application=application),
            "active_hold": selectors.holds_for(application=application)
            .filter(released_at__isnull=True)
            .first(),
            "may_hold": services.may_hold(request.user, application),
            "hold_form": HoldForm(),
            "corrections": application.correction_requests.order_by("-created_at"),
        },
    )


@login_required
@require_POST
def hold_place(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the hold."))
        return redirect("privacy:case", pk=application.pk)
    try:
        services.legal_hold_place(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, _("The case is on hold: nothing of it will be purged until the hold is released.")
        )
    return redirect("privacy:case", pk=application.pk)


@login_required
@require_POST
def hold_release(request: HttpRequest, pk: int) -> HttpResponse:
    hold = LegalHold.objects.filter(pk=pk).select_related("application").first()
    if hold is None:
        raise Http404
    application = _officer_case(request, hold.application_id)
    form = HoldForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the release."))
        return redirect("privacy:case", pk=application.pk)
    try:
        services.legal_hold_release(actor=request.user, hold=hold, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The hold was released."))
    return redirect("privacy:case", pk=application.pk)

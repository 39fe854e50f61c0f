"""HTML pages: lodging (the person or their intermediary), the deciding office's queue and case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from residence.core.forms import apply_service_errors
from residence.mfa.guards import require_recent_second_factor

from . import selectors, services
from .forms import DecideForm, EvidenceAnswerForm, EvidenceRequestForm, LodgeForm, SuspendForm
from .models import Reconsideration


def _lodge(request, *, application=None, revocation=None):
    form = LodgeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.reconsideration_lodge(
                actor=request.user,
                application=application,
                revocation=revocation,
                grounds=form.cleaned_data["grounds"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your request for reconsideration was lodged."))
            return redirect("reconsideration:detail", pk=case.pk)
    decided_at = application.decided_at if application is not None else revocation.decided_at
    return render(
        request,
        "reconsideration/lodge.html",
        {
            "form": form,
            "application": application,
            "revocation": revocation,
            "last_day": services.period_end(decided_at) if decided_at else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lodge_application(request, pk: int):
    return _lodge(request, application=selectors.refusal_for_person(user=request.user, pk=pk))


@login_required
@require_http_methods(["GET", "POST"])
def lodge_revocation(request, pk: int):
    return _lodge(request, revocation=selectors.revocation_for_person(user=request.user, pk=pk))


@login_required
@require_GET
def index(request):
    queue = selectors.reconsideration_queue(user=request.user)
    return render(
        request,
        "reconsideration/index.html",
        {
            "open_cases": queue.filter(state=Reconsideration.State.LODGED).order_by("deadline", "id")[:200],
            "decided_cases": queue.exclude(state=Reconsideration.State.LODGED).order_by("-decided_at", "-id")[
                :50
            ],
            "my_cases": selectors.reconsiderations_of_person(user=request.user)[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk: int):
    case = selectors.reconsideration_get(user=request.user, pk=pk)
    in_queue = selectors.reconsideration_queue(user=request.user).filter(pk=pk).exists()
    form, suspend_form = DecideForm(), SuspendForm()
    evidence_form, answer_form = EvidenceRequestForm(), EvidenceAnswerForm()
    open_request = case.evidence_requests.filter(answered_at__isnull=True).first()
    person_side = selectors.reconsiderations_of_person(user=request.user).filter(pk=pk).exists()
    action = request.POST.get("action")
    if request.method == "POST" and action == "answer":
        if not person_side:
            raise Http404
        answer_form = EvidenceAnswerForm(request.POST, request.FILES)
        if answer_form.is_valid():
            try:
                services.reconsideration_answer_evidence(
                    actor=request.user, case=case, **answer_form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(answer_form, error)
            else:
                messages.success(request, _("Your answer was sent to the deciding office."))
                return redirect("reconsideration:detail", pk=case.pk)
    elif request.method == "POST" and action == "request_evidence":
        if not in_queue:
            raise PermissionDenied(
                _("This reconsideration is decided by %(office)s.") % {"office": case.office}
            )
        require_recent_second_factor(request)
        evidence_form = EvidenceRequestForm(request.POST)
        if evidence_form.is_valid():
            try:
                services.reconsideration_request_evidence(
                    actor=request.user, case=case, message=evidence_form.cleaned_data["message"]
                )
            except ValidationError as error:
                apply_service_errors(evidence_form, error)
            except PermissionDenied as error:
                evidence_form.add_error(None, str(error))
            else:
                messages.success(request, _("The evidence request was sent to the person."))
                return redirect("reconsideration:detail", pk=case.pk)
    elif request.method == "POST":
        if not in_queue:
            raise PermissionDenied(
                _("This reconsideration is decided by %(office)s.") % {"office": case.office}
            )
        require_recent_second_factor(request)
        suspending = request.POST.get("action") == "suspend"
        bound = SuspendForm(request.POST) if suspending else DecideForm(request.POST)
        if bound.is_valid():
            try:
                if suspending:
                    services.reconsideration_suspend_revocation(
                        actor=request.user, case=case, reason=bound.cleaned_data["reason"]
                    )
                else:
                    services.reconsideration_decide(actor=request.user, case=case, **bound.cleaned_data)
            except ValidationError as error:
                apply_service_errors(bound, error)
            except PermissionDenied as error:
                bound.add_error(None, str(error))
            else:
                messages.success(request, _("The decision was recorded."))
                return redirect("reconsideration:detail", pk=case.pk)
        if suspending:
            suspend_form = bound
        else:
            form = bound
    return render(
        request,
        "reconsideration/detail.html",
        {
            "case": case,
            "form": form,
            "suspend_form": suspend_form,
            "may_decide": in_queue and case.state == Reconsideration.State.LODGED,
            "evidence_form": evidence_form,
            "answer_form": answer_form,
            "open_request": open_request,
            "may_answer": person_side
            and open_request is not None
            and case.state == Reconsideration.State.LODGED,
            "evidence_requests": case.evidence_requests.select_related("requested_by", "answered_by"),
            "lodged_documents": case.documents.filter(evidence_request__isnull=True),
            "answer_documents": case.documents.filter(evidence_request__isnull=False),
        },
    )


@login_required
@require_GET
def letter(request, pk: int):
    case = selectors.reconsideration_get(user=request.user, pk=pk)
    if not case.letter:
        raise Http404
    return FileResponse(
        case.letter.open("rb"), as_attachment=True, filename=f"{case}.pdf", content_type="application/pdf"
    )


@login_required
@require_GET
@xframe_options_sameorigin
def document(request, pk: int, document_pk: int):
    """A file of the case: to the person, their authorised intermediary and the deciding office only."""
    from applications import uploads

    case = selectors.reconsideration_get(user=request.user, pk=pk)
    doc = case.documents.filter(pk=document_pk).first()
    if doc is None:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return uploads.serve_document(FileResponse(handle, content_type=doc.content_type), doc)

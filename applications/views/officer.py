"""The officers' pages: queues per stage, the case page and its actions, workload."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residence.accounts.models import Role, is_officer
from residence.core.forms import error_text
from residence.core.pagination import InvalidCursor
from residence.mfa.guards import require_recent_second_factor
from verification.selectors import checks_for_application

from .. import reasons as decision_reasons
from .. import selectors, services
from ..access import is_supervisor, may_see_workload
from ..actions import OFFICER_ACTIONS
from ..errors import TransitionConflict
from ..forms import CaseNoteForm, QueueFilterForm, ReasonForm
from ..models import FAR_FUTURE, Stage
from ..oversight import QUEUES
from .applicant import _outcome_label, _summary_context

OUTCOME_LABELS = {
    "met": gettext_lazy("met"),
    "not_met": gettext_lazy("not met"),
    "unknown": gettext_lazy("unknown"),
}
QUEUE_STAGES = [Stage.INTAKE, Stage.VERIFICATION, Stage.REVIEW, Stage.EVIDENCE, Stage.APPROVAL, Stage.QUOTA]
DEFAULT_STAGE_OF_ROLE = [
    (Role.APPROVER, Stage.APPROVAL),
    (Role.REVIEWER, Stage.REVIEW),
    (Role.INTAKE_OFFICER, Stage.INTAKE),
]
PAGE_SIZE = 25


def _require_officer(request: HttpRequest) -> None:
    if not is_officer(request.user):
        raise Http404


def _default_stage(user) -> str:
    for role, stage in DEFAULT_STAGE_OF_ROLE:
        if user.has_role(role):
            return stage
    return Stage.INTAKE


def stage_count_rows(user) -> list[dict]:
    counts = selectors.stage_counts(officer=user)
    return [{"stage": s.value, "label": s.label, "count": counts.get(s, 0)} for s in QUEUE_STAGES]


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    data = request.GET.copy()
    data.setdefault("stage", _default_stage(request.user))
    form = QueueFilterForm(data, officers=selectors.officers_for_assignment(supervisor=request.user))
    rows, next_url, cursor_error = [], None, ""
    stage = data["stage"] if data["stage"] in Stage.values else _default_stage(request.user)
    if form.is_valid():
        stage = form.cleaned_data["stage"] or stage
        assigned = form.cleaned_data["assigned"]
        filters = selectors.QueueFilters(
            channel=form.cleaned_data["channel"] or None,
            nationality=form.cleaned_data["nationality"] or None,
            province=form.cleaned_data["province"] or None,
            claimed_by={"me": request.user.pk, "none": 0}.get(assigned, int(assigned) if assigned else None),
            overdue=True if form.cleaned_data["overdue"] else None,
        )
        try:
            page = selectors.officer_queue_page(
                officer=request.user,
                stage=stage,
                filters=filters,
                cursor=request.GET.get("cursor") or None,
                page_size=PAGE_SIZE,
            )
        except InvalidCursor as error:
            cursor_error = str(error)
        else:
            rows = page.items
            if page.next_cursor:
                params = {k: v for k, v in request.GET.items() if k != "cursor"} | {"stage": stage}
                next_url = "?" + urlencode(params | {"cursor": page.next_cursor})
    return render(
        request,
        "applications/queue.html",
        {
            "form": form,
            "stage": stage,
            "stage_label": Stage(stage).label,
            "stage_counts": stage_count_rows(request.user),
            "rows": rows,
            "next_url": next_url,
            "cursor_error": cursor_error,
            "can_assign": is_supervisor(request.user) and bool(rows),
            # Each officer who may act at this stage, with what they hold now, to choose by load.
            "assignable": selectors.officer_loads(
                officers=selectors.officers_for_assignment(supervisor=request.user, stage=stage)
            )
            if rows and is_supervisor(request.user)
            else [],
        },
    )


def _row_id(value: str) -> int:
    """A database id from a form, or ValueError (an id the database cannot hold is not a 500)."""
    number = int(value)
    if not 0 < number < 2**31:
        raise ValueError(value)
    return number


@login_required
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    """A supervisor hands the ticked cases to one officer (all or none, checked by the service)."""
    _require_officer(request)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
        "/"
    ):
        back = reverse("applications:queue")
    try:
        ids = [_row_id(value) for value in request.POST.getlist("cases")]
        # The page offers the officers of the supervisor's own office and those below it (the system
        # administrator, with no office, assigns through the API); anyone else is None, which the
        # service refuses with its message, as it refuses one without the stage's role.
        officer = (
            selectors.officers_for_assignment(supervisor=request.user)
            .filter(pk=_row_id(request.POST.get("officer", "")))
            .first()
        )
    except (ValueError, TypeError):
        messages.error(request, _("Tick the cases and choose the officer to give them to."))
        return redirect(back)
    if not ids:
        messages.error(request, _("Tick the cases and choose the officer to give them to."))
        return redirect(back)
    try:
        assigned = services.applications_assign(actor=request.user, application_ids=ids, officer=officer)
    except (PermissionDenied, ValidationError, TransitionConflict) as error:
        messages.error(
            request, getattr(error, "detail", None) or " ".join(getattr(error, "messages", [str(error)]))
        )
    else:
        messages.success(
            request,
            _("%(count)s case(s) given to %(officer)s.") % {"count": len(assigned), "officer": officer},
        )
    return redirect(back)


def _decision_form(code: str, application, data=None) -> ReasonForm:
    """The form of one action, with the case's criteria (and, to refuse, the grounds) as checkboxes."""
    action = OFFICER_ACTIONS[code]
    criteria = grounds = None
    initial = {}
    if action.takes_criteria:
        rows = decision_reasons.criterion_choices(application)
        criteria = [
            (
                pk,
                _("%(criterion)s (%(outcome)s)") % {"criterion": label, "outcome": OUTCOME_LABELS[outcome]}
                if outcome in OUTCOME_LABELS
                else label,
            )
            for pk, label, outcome in rows
        ]
        if action.ticks_met_criteria:
            # An approval relies on what the case meets: ticked to start with, the officer may untick.
            initial["criteria"] = [pk for pk, _label, outcome in rows if outcome == "met"]
    if action.takes_grounds:
        grounds = decision_reasons.ground_choices()
    return ReasonForm(
        data,
        reason_required=action.reason_required,
        prefix=code,
        criteria=criteria,
        grounds=grounds,
        initial=initial,
    )


def _case_context(
    request: HttpRequest,
    application,
    *,
    bound: tuple[str, ReasonForm] | None = None,
    note_form: CaseNoteForm | None = None,
) -> dict:
    available = selectors.available_actions(user=request.user, application=application)
    actions = []
    for code, action in OFFICER_ACTIONS.items():
        if code not in available:
            continue
        form = _decision_form(code, application)
        if bound and bound[0] == code:
            form = bound[1]
        actions.append(
            {
                "code": code,
                "label": action.label,
                "reason_required": action.reason_required,
                "danger": action.dangerous,
                "offers_grounds": action.takes_grounds,
                "form": form,
                # The approver decides each dependant too; refusing the principal refuses them all.
                "dependants": list(application.dependants.select_related("profile"))
                if action.takes_dependant_decisions
                else [],
            }
        )
    zh = (get_language() or "en").startswith("zh")
    labels = {}
    try:
        labels = {
            d.code: (d.name_zh if zh else d.name_en) for d in services.required_documents_for(application)
        }
    # A policy without this channel (or no policy) must not break the case page.
    except (ValueError, ObjectDoesNotExist):
        labels = {}
    documents = [
        {
            "document": d,
            "label": labels.get(d.document_type)
            or (_("Other document") if d.document_type == "other" else d.document_type),
            "person": str(d.dependant.profile) if d.dependant_id else "",
        }
        for d in selectors.application_documents(application=application)
    ]
    events = selectors.application_timeline(application=application)
    checks = checks_for_application(application=application)
    registered = selectors.registered_codes(application)
    return {
        "registered_codes": registered,
        "with_registered_codes": selectors.eligibility_with_registered_codes(application, registered),
        "application": application,
        "case_summary": _case_summary(application, checks=checks, actions=actions, available=available),
        "actions": actions,
        **_recommendation_and_decision(events),
        "can_claim": "claim" in available,
        "can_release": "release" in available,
        "documents": documents,
        "evidence_requests": list(application.evidence_requests.all()),
        "events": events,
        "snapshot": application.eligibility_snapshot,
        "outcome_label": _outcome_label(application.eligibility_snapshot),
        "checks": checks,
        "checks_url": reverse("verification:application_checks", args=[application.pk]),
        "policy_label": decision_reasons.policy_label(application),
        "notes": selectors.case_notes(application=application),
        "note_form": note_form or CaseNoteForm(),
        "note_edit_minutes": settings.APPLICATIONS_NOTE_EDIT_MINUTES,
    } | _summary_context(application)


def _case_summary(application, *, checks: list, actions: list[dict], available) -> dict:
    """What the top of the case page says: the deadline, the checks (mismatches first) and what
    this officer may do next (each a link to its form below)."""
    deadline = application.stage_deadline
    flagged = [check for check in checks if getattr(check, "is_flagged", False)]
    done = [check for check in checks if check.completed_at is not None]
    next_steps = []
    if "claim" in available:
        next_steps.append({"label": _("Take this case"), "anchor": "actions-heading"})
    next_steps += [{"label": action["label"], "anchor": f"action-{action['code']}"} for action in actions]
    if "release" in available:
        next_steps.append({"label": _("Release this case"), "anchor": "actions-heading"})
    return {
        "deadline": None if deadline is None or deadline == FAR_FUTURE else deadline,
        "checks_total": len(checks),
        "checks_done": len(done),
        "checks_flagged": flagged,
        "checks_pending": len(checks) - len(done),
        "next_steps": next_steps,
    }


RECOMMENDED = {"recommended_approval": True, "recommended_refusal": False}
DECIDED = {"approved": True, "awaiting_quota": True, "refused": False}


def _recommendation_and_decision(events) -> dict:
    """The last recommendation (the reviewer's) and the decision after it (the approver's), from the timeline."""
    recommendation = decision = None
    for event in events:
        if event.to_status in RECOMMENDED:
            recommendation = {
                "for_approval": RECOMMENDED[event.to_status],
                "by": event.actor,
                "at": event.at,
                "reasons": event.reasons,
            }
            decision = None
        elif recommendation is not None and event.to_status in DECIDED and decision is None:
            decision = {
                "approved": DECIDED[event.to_status],
                "by": event.actor,
                "at": event.at,
                "reasons": event.reasons,
            }
        elif event.to_status in ("returned", "in_review"):
            # A case sent back or re-reviewed starts a new round; its old recommendation no longer stands.
            recommendation = decision = None
    return {"recommendation": recommendation, "decision": decision}


def _officer_case(request: HttpRequest, pk: int):
    _require_officer(request)
    application = selectors.application_get(user=request.user, pk=pk)
    if application.submitted_at is None:
        raise Http404
    return application


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    return render(request, "applications/case.html", _case_context(request, application))


def _dependant_decisions(post, application) -> dict[int, str]:
    """The approver's choice per dependant from the approval form (approved unless refused)."""
    decisions = {}
    for dependant_id in application.dependants.values_list("pk", flat=True):
        value = post.get(f"approve-dependant-{dependant_id}", "approved")
        decisions[dependant_id] = value if value in ("approved", "refused") else "approved"
    return decisions


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    officer_action = OFFICER_ACTIONS.get(action)
    if officer_action is None:
        raise Http404
    if not is_officer(request.user):
        # An applicant (or anyone else) posting an officer action: refused outright.
        raise PermissionDenied(_("Only officers may do this."))
    application = _officer_case(request, pk)
    if officer_action.needs_reauthentication:
        require_recent_second_factor(request)
    form = _decision_form(action, application, request.POST)
    status = 400
    if form.is_valid():
        try:
            officer_action.run(
                actor=request.user,
                application=application,
                reason=form.cleaned_data["reason"],
                dependant_decisions=_dependant_decisions(request.POST, application)
                if officer_action.takes_dependant_decisions
                else None,
                criteria=form.cleaned_data.get("criteria"),
                grounds=form.cleaned_data.get("grounds"),
            )
        except ValidationError as error:
            by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, texts in by_field.items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
            messages.error(request, error_text(error))
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this on this case."))
            status = 403
        except TransitionConflict as error:
            messages.error(request, str(error.detail))
            status = 409
        else:
            messages.success(request, officer_action.done_message)
            return redirect("applications:case", application.pk)
        application = selectors.application_get(user=request.user, pk=pk)
    context = _case_context(request, application, bound=(action, form))
    return render(request, "applications/case.html", context, status=status)


@login_required
@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    try:
        services.application_claim(actor=request.user, application=application)
    except (PermissionDenied, TransitionConflict, ValidationError) as error:
        messages.error(
            request, getattr(error, "detail", None) or " ".join(getattr(error, "messages", [str(error)]))
        )
    else:
        messages.success(request, _("You hold this case now."))
    return redirect("applications:case", application.pk)


@login_required
@require_POST
def case_release(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    try:
        services.application_release(actor=request.user, application=application)
    except (PermissionDenied, TransitionConflict, ValidationError) as error:
        messages.error(
            request, getattr(error, "detail", None) or " ".join(getattr(error, "messages", [str(error)]))
        )
    else:
        messages.success(request, _("You released this case."))
    return redirect("applications:case", application.pk)


@login_required
@require_POST
def case_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = _officer_case(request, pk)
    form = CaseNoteForm(request.POST)
    if form.is_valid():
        try:
            services.case_note_add(
                actor=request.user, application=application, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error("body", text)
        else:
            messages.success(request, _("Your note is added to the case."))
            return redirect(reverse("applications:case", args=[application.pk]) + "#notes-heading")
    return render(
        request, "applications/case.html", _case_context(request, application, note_form=form), status=400
    )


@login_required
def case_note_edit(request: HttpRequest, pk: int, note_pk: int) -> HttpResponse:
    """The author corrects their note within the grace period (the service refuses it after)."""
    application = _officer_case(request, pk)
    note = selectors.case_note_get(application=application, pk=note_pk)
    if note.author_id != request.user.pk:
        # Only its author corrects a note; to anyone else the correction page does not exist.
        raise Http404
    form = CaseNoteForm(request.POST or None, initial={"body": note.body})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.case_note_edit(actor=request.user, note=note, body=form.cleaned_data["body"])
            except ValidationError as error:
                for text in error.messages:
                    form.add_error("body", text)
            except PermissionDenied as error:
                form.add_error(None, str(error))
                status = 403
            else:
                messages.success(request, _("Your note is corrected."))
                return redirect(reverse("applications:case", args=[application.pk]) + "#notes-heading")
    return render(
        request,
        "applications/case_note_edit.html",
        {
            "application": application,
            "note": note,
            "form": form,
            "editable": timezone.now() <= note.editable_until,
            "note_edit_minutes": settings.APPLICATIONS_NOTE_EDIT_MINUTES,
        },
        status=status,
    )


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    if not may_see_workload(request.user):
        raise Http404
    figures = selectors.workload(officer=request.user)
    overview = selectors.workload_overview(officer=request.user)
    stage_label = {s.value: s.label for s in Stage}
    per_queue = [
        {"week": row["week"], "queue": stage_label.get(row["stage"], row["stage"]), "count": row["count"]}
        for row in figures["per_queue"]
    ]
    medians = [
        {
            "stage": stage_label.get(stage, stage),
            "median": _("%(days)s days") % {"days": days},
        }
        for stage, days in figures["median_days_per_stage"].items()
    ]
    return render(
        request,
        "applications/workload.html",
        {
            "per_officer": figures["per_officer"],
            "per_queue": per_queue,
            "medians": medians,
            "week_start": overview["week_start"],
            "queues": [
                row
                | {
                    "label": stage_label.get(row["queue"]) or QUEUES[row["queue"]].label,
                    "url": queue_url_for(row["queue"]) if row["queue"] in stage_label else None,
                }
                for row in overview["queues"]
            ],
            "officers": overview["officers"],
            "is_supervisor": is_supervisor(request.user),
        },
    )


def queue_url_for(stage: str) -> str:
    return reverse("applications:queue") + "?" + urlencode({"stage": stage})

"""The applicant's pages (also used by an intermediary acting for a client): drafts, steps, status."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from eligibility.carry import self_check_facts, self_check_forget
from residence.accounts.models import Role, User
from residence.core.forms import apply_service_errors, error_text

from .. import selectors, services
from ..channels import CHANNELS, facts_fields
from ..errors import TransitionConflict
from ..forms import (
    PROFILE_FIELDS,
    ApplicantProfileForm,
    ChannelChoiceForm,
    DeclarationForm,
    DependantForm,
    DocumentUploadForm,
    EvidenceAnswerForm,
    WithdrawForm,
    YearsInChinaFormSet,
    facts_form_class,
)
from ..models import FAR_FUTURE, Application, Channel, Nomination, Stage, Status
from ..policy_facts import form_value, initial_value, policy_fact_specs, policy_facts_rows
from ._common import field_rows

STEPS = [
    ("profile", gettext_lazy("Applicant")),
    ("facts", gettext_lazy("Channel facts")),
    ("dependants", gettext_lazy("Family members")),
    ("documents", gettext_lazy("Documents")),
    ("review", gettext_lazy("Review and submit")),
]
STEP_CODES = [code for code, _label in STEPS]

CHANNEL_HELP = {
    Channel.TALENT: gettext_lazy(
        "Members of registered key talent programmes, and talent recognised by the market through the points system."
    ),
    Channel.WORK: gettext_lazy(
        "Foreigners who have worked in China on a work residence permit, including outstanding graduates of Chinese universities."
    ),
    Channel.INVESTMENT: gettext_lazy(
        "Foreigners who have invested in China steadily for at least three years."
    ),
    Channel.CONTRIBUTION: gettext_lazy(
        "People nominated by a recognised body for an outstanding contribution to China."
    ),
    Channel.FAMILY: gettext_lazy(
        "Spouses, minor children and elderly parents of Chinese citizens and permanent residents, and former Chinese nationals."
    ),
}


def _is_applicant_side(user) -> bool:
    return user.has_role(Role.APPLICANT, Role.INTERMEDIARY)


def _own_application(request: HttpRequest, pk: int) -> Application:
    """An application of the user's own (or their client's) profiles; anyone else's is a 404."""
    try:
        return (
            selectors.applications_for_applicant(user=request.user)
            .select_related("applicant__owner", "policy_version")
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def _steps(application: Application | None, current: str) -> list[dict]:
    return [
        {
            "code": code,
            "label": label,
            "current": code == current,
            "url": reverse("applications:step", args=[application.pk, code]) if application else None,
        }
        for code, label in STEPS
    ]


def _next_step_url(application: Application, step: str) -> str:
    index = STEP_CODES.index(step)
    return reverse(
        "applications:step", args=[application.pk, STEP_CODES[min(index + 1, len(STEP_CODES) - 1)]]
    )


def _after_save(request: HttpRequest, application: Application, step: str) -> HttpResponse:
    if request.POST.get("then") == "draft":
        messages.success(request, _("Your draft is saved. You can come back to it at any time."))
        return redirect("applications:detail", application.pk)
    return redirect(_next_step_url(application, step))


# --- list and start ---------------------------------------------------------------------------
@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    if not _is_applicant_side(request.user):
        raise Http404
    applications = (
        selectors.applications_for_applicant(user=request.user)
        .filter(applicant__owner=request.user)
        .order_by("-updated_at", "-id")
    )
    return render(
        request,
        "applications/list.html",
        {"applications": applications[:200], "new_url": reverse("applications:new")},
    )


def _owner_for(request: HttpRequest):
    """The account the new application is for: the user, or a client who authorised them."""
    client_id = request.GET.get("for") or request.POST.get("for")
    if not client_id:
        return request.user
    try:
        return selectors.clients_of(intermediary=request.user).get(pk=int(client_id))
    except (ValueError, TypeError, User.DoesNotExist):
        raise Http404 from None


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    if not _is_applicant_side(request.user):
        raise Http404
    owner = _owner_for(request)
    form = ChannelChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = reverse("applications:new_profile", args=[form.cleaned_data["channel"]])
        if owner != request.user:
            url += f"?for={owner.pk}"
        return redirect(url)
    return render(
        request,
        "applications/channel_choice.html",
        {"form": form, "channel_help": list(CHANNEL_HELP.items()), "owner": owner},
    )


@login_required
def application_new_profile(request: HttpRequest, channel: str) -> HttpResponse:
    """Step 1 of a new application: the applicant's details; saving it creates the draft."""
    if not _is_applicant_side(request.user) or channel not in CHANNELS:
        raise Http404
    owner = _owner_for(request)
    existing = (
        selectors.profiles_for_user(user=request.user).filter(owner=owner).order_by("-updated_at").first()
    )
    carried = self_check_facts(request.session, channel) if owner == request.user else None
    initial = None
    if carried and existing is None:
        # A first profile: the date of birth and province given to the self-check, to be checked.
        initial = {name: carried[name] for name in ("birth_date", "province") if carried.get(name)}
    form = ApplicantProfileForm(request.POST or None, instance=existing, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = {name: form.cleaned_data[name] for name in PROFILE_FIELDS if name in form.cleaned_data}
            application = services.application_create_with_profile(
                actor=request.user,
                channel=channel,
                owner=owner,
                profile=existing,
                # An unchanged profile is used as it is (no update, no audit row).
                **(data if existing is None or form.has_changed() else {}),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except (PermissionDenied, TransitionConflict) as error:
            messages.error(request, error_text(error))
        else:
            if carried:
                # The self-check's answers now belong to this draft's facts form (until it is saved).
                _prefill_keep(request, application, carried)
                self_check_forget(request.session)
            return _after_save(request, application, "profile")
    return render(
        request,
        "applications/step_form.html",
        {
            "form": form,
            "steps": _steps(None, "profile"),
            "step_title": _("About the applicant"),
            "channel_label": Channel(channel).label,
        },
    )


PREFILL_KEY = "applications.prefill"


def _prefill_keep(request: HttpRequest, application: Application, facts: dict) -> None:
    kept = dict(request.session.get(PREFILL_KEY) or {})
    kept[str(application.pk)] = facts
    request.session[PREFILL_KEY] = kept


def _prefill_for(request: HttpRequest, application: Application) -> dict | None:
    facts = (request.session.get(PREFILL_KEY) or {}).get(str(application.pk))
    return facts if isinstance(facts, dict) else None


def _prefill_done(request: HttpRequest, application: Application) -> None:
    kept = dict(request.session.get(PREFILL_KEY) or {})
    if kept.pop(str(application.pk), None) is not None:
        request.session[PREFILL_KEY] = kept


def _prefilled_years(days_by_year) -> list[dict]:
    """The self-check's days per year (most recent first) as the facts page's rows: last year first."""
    if not isinstance(days_by_year, list):
        return []
    last_year = timezone.localdate().year - 1
    return [
        {"year": last_year - index, "days": days}
        for index, days in enumerate(days_by_year[:10])
        if isinstance(days, int)
    ]


def _save_profile(request, form, existing, owner):
    data = {name: form.cleaned_data[name] for name in PROFILE_FIELDS if name in form.cleaned_data}
    if existing is None:
        return services.profile_create(actor=request.user, owner=owner, **data)
    if not form.has_changed():
        return existing
    return services.profile_update(actor=request.user, profile=existing, **data)


# --- the steps of a draft -----------------------------------------------------------------------
@login_required
def application_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    application = _own_application(request, pk)
    if step not in STEP_CODES:
        raise Http404
    if application.status not in (Status.DRAFT, Status.RETURNED):
        messages.info(request, _("This application has been submitted and can no longer be changed."))
        return redirect("applications:detail", application.pk)
    return {
        "profile": _step_profile,
        "facts": _step_facts,
        "dependants": _step_dependants,
        "documents": _step_documents,
        "review": _step_review,
    }[step](request, application)


def _base_context(application: Application, step: str) -> dict:
    return {
        "application": application,
        "steps": _steps(application, step),
        "channel_label": application.get_channel_display(),
        "green_channel": services.green_channel_for(application),
        "next_url": _next_step_url(application, step),
    }


def _step_profile(request: HttpRequest, application: Application) -> HttpResponse:
    profile = application.applicant
    form = ApplicantProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            _save_profile(request, form, profile, profile.owner)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _after_save(request, application, "profile")
    return render(
        request,
        "applications/step_form.html",
        _base_context(application, "profile") | {"form": form, "step_title": _("About the applicant")},
    )


def _step_facts(request: HttpRequest, application: Application) -> HttpResponse:
    spec = CHANNELS[application.channel]
    # The policy version's own facts beyond the typed columns get fields too (policy_facts).
    specs = policy_fact_specs(application)
    form_class = facts_form_class(application.channel, specs)
    carried = _prefill_for(request, application) if request.method != "POST" else None
    prefill = None
    if carried:
        # Answers from the self-check, shown for the applicant to check; saved only when they save.
        names = set(form_class.base_fields)
        prefill = {name: value for name, value in carried.items() if name in names and value is not None}
        prefill |= {
            name: initial_value(specs[name], value)
            for name, value in carried.items()
            if name in specs and value is not None
        }
    form = form_class(request.POST or None, instance=application.facts, initial=prefill)
    formset = None
    if spec.uses_years_in_china:
        initial = [{"year": y.year, "days": y.days} for y in application.years_in_china.all()]
        if carried and not initial:
            initial = _prefilled_years(carried.get("days_in_china_by_year"))
        formset = YearsInChinaFormSet(request.POST or None, initial=initial, prefix="years")
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        facts = {name: form.cleaned_data[name] for name in facts_fields(application.channel)}
        facts |= {name: form_value(specs[name], form.cleaned_data[name]) for name in specs}
        years = None
        if formset is not None:
            years = [
                {"year": f.cleaned_data["year"], "days": f.cleaned_data["days"]}
                for f in formset
                if f.cleaned_data.get("year") is not None
            ]
        try:
            services.application_update(
                actor=request.user, application=application, facts=facts, years_in_china=years
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except TransitionConflict as error:
            messages.error(request, error_text(error))
        else:
            _prefill_done(request, application)
            return _after_save(request, application, "facts")
    return render(
        request,
        "applications/step_form.html",
        _base_context(application, "facts")
        | {
            "form": form,
            "formset": formset,
            "prefilled": bool(carried),
            "step_title": _("Facts for the %(channel)s channel")
            % {"channel": application.get_channel_display()},
        },
    )


def _step_dependants(request: HttpRequest, application: Application) -> HttpResponse:
    form = DependantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in DependantForm.Meta.fields}
        try:
            dependant = services.dependant_add_with_profile(
                actor=request.user,
                application=application,
                relationship=form.cleaned_data["relationship"],
                unmarried=form.cleaned_data["unmarried"],
                **data,
            )
        except ValidationError as error:
            apply_service_errors(form, error, rename={"profile": "birth_date"})
        except TransitionConflict as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("%(name)s is included in the application.") % {"name": dependant.profile}
            )
            return redirect("applications:step", application.pk, "dependants")
    return render(
        request,
        "applications/step_dependants.html",
        _base_context(application, "dependants")
        | {"form": form, "dependants": application.dependants.select_related("profile")},
    )


@login_required
@require_POST
def dependant_remove(request: HttpRequest, pk: int, dependant_pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    dependant = application.dependants.filter(pk=dependant_pk).select_related("profile").first()
    if dependant is None:
        raise Http404
    try:
        services.dependant_remove(actor=request.user, dependant=dependant)
    except (ValidationError, TransitionConflict) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(name)s is no longer included.") % {"name": dependant.profile})
    return redirect("applications:step", application.pk, "dependants")


def _document_slots(
    application: Application, bound: DocumentUploadForm | None = None, *, green_channel: bool | None = None
) -> list[dict]:
    """Each required document (of the principal, then each dependant's passport) with its versions."""
    zh = (get_language() or "en").startswith("zh")
    required = services.required_documents_for(application, green_channel=green_channel)
    documents = list(selectors.application_documents(application=application, include_superseded=True))
    people = [(None, "")] + [(d, str(d.profile)) for d in application.dependants.select_related("profile")]
    slots = []
    for dependant, person in people:
        types = (
            required
            if dependant is None
            else [t for t in required if t.code in services.DEPENDANT_DOCUMENT_CODES]
        )
        for doc_type in types:
            versions = [
                d
                for d in documents
                if d.document_type == doc_type.code
                and d.dependant_id == (dependant.pk if dependant else None)
            ]
            versions.sort(key=lambda d: -d.version)
            current = next((d for d in versions if not d.superseded), None)
            initial = {"document_type": doc_type.code, "dependant": dependant.pk if dependant else None}
            prefix = f"{doc_type.code}-{dependant.pk if dependant else 0}"
            form = DocumentUploadForm(initial=initial, prefix=prefix, document_type=doc_type.code)
            if bound is not None and bound.prefix == prefix:
                form = bound
            slots.append(
                {
                    "name": doc_type.name_zh if zh else doc_type.name_en,
                    "code": doc_type.code,
                    "prefix": prefix,
                    "person": person,
                    "current": current,
                    "older": [d for d in versions if d is not current],
                    "form": form,
                }
            )
    return slots


def _step_documents(request: HttpRequest, application: Application) -> HttpResponse:
    """Every upload of the case on one page. With htmx, a form posts on its own and only its
    section comes back (and the count at the top); without JavaScript the same form posts and
    the page reloads, as before."""
    bound = None
    uploaded = ""
    prefix = request.POST.get("prefix", "") if request.method == "POST" else ""
    if request.method == "POST":
        bound = DocumentUploadForm(
            request.POST,
            request.FILES,
            prefix=prefix,
            document_type=request.POST.get(f"{prefix}-document_type", ""),
        )
        if bound.is_valid():
            dependant = None
            if bound.cleaned_data.get("dependant"):
                dependant = application.dependants.filter(pk=bound.cleaned_data["dependant"]).first()
                if dependant is None:
                    raise Http404
            try:
                services.document_upload(
                    actor=request.user,
                    application=application,
                    document_type=bound.cleaned_data["document_type"],
                    file=bound.cleaned_data["file"],
                    dependant=dependant,
                )
            except ValidationError as error:
                apply_service_errors(bound, error, rename={"document_type": "file", "dependant": "file"})
            except TransitionConflict as error:
                messages.error(request, error_text(error))
                if request.htmx:
                    return HttpResponseClientRefresh()
            else:
                if not request.htmx:
                    messages.success(request, _("The document is uploaded."))
                    return redirect("applications:step", application.pk, "documents")
                uploaded, bound = prefix, None
    context = _base_context(application, "documents")
    slots = _document_slots(application, bound, green_channel=context["green_channel"])
    progress = {"done": sum(1 for slot in slots if slot["current"]), "total": len(slots)}
    if request.method == "POST" and request.htmx:
        slot = next((slot for slot in slots if slot["prefix"] == prefix), None)
        if slot is None:
            # A type this application does not ask for has no section to show its error in.
            for errors in (bound.errors if bound is not None else {}).values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseClientRefresh()
        return render(
            request,
            "applications/_document_slot.html",
            {
                "application": application,
                "slot": slot | {"uploaded": uploaded == prefix},
                "progress": progress,
                "out_of_band": True,
            },
        )
    if bound is not None and bound.errors and not any(slot["form"] is bound for slot in slots):
        # A type this application does not ask for has no slot to show its error beside: say it on top.
        for errors in bound.errors.values():
            for error in errors:
                messages.error(request, error)
    return render(
        request, "applications/step_documents.html", context | {"slots": slots, "progress": progress}
    )


STEP_OF_ERROR = {"documents": "documents", "dependants": "dependants", "declaration": "review"}


def _summary_context(application: Application) -> dict:
    language = get_language() or "en"
    facts = application.facts
    return {
        "profile_rows": field_rows(application.applicant, PROFILE_FIELDS, language),
        # The typed facts, then the ones the policy version defines beyond them (policy_facts).
        "facts_rows": [
            *field_rows(facts, facts_fields(application.channel), language),
            *((row["label"], row["value"]) for row in policy_facts_rows(application)),
        ],
        "years_in_china": list(application.years_in_china.all()),
        "dependants": list(application.dependants.select_related("profile")),
        "nomination": Nomination.objects.select_related("body").filter(application=application).first()
        if application.channel == Channel.CONTRIBUTION
        else None,
        # R7: the R visa given, and what the immigration records filled in (with their source).
        "talent_visa": facts
        if application.channel == Channel.TALENT and facts is not None and facts.talent_visa_number
        else None,
    }


def _step_review(request: HttpRequest, application: Application) -> HttpResponse:
    form = DeclarationForm(request.POST or None, initial={"statement": application.applicant_statement})
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            services.application_submit_with_statement(
                actor=request.user,
                application=application,
                declaration=form.cleaned_data["declaration"],
                applicant_statement=form.cleaned_data["statement"],
            )
        except ValidationError as error:
            problems = _problems(application, error)
        except (TransitionConflict, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Your application is submitted. We will tell you about every step."))
            return redirect("applications:detail", application.pk)
    context = _base_context(application, "review") | _summary_context(application)
    context["edit_urls"] = {
        code: reverse("applications:step", args=[application.pk, code]) for code in STEP_CODES
    }
    return render(
        request,
        "applications/step_review.html",
        context
        | {
            "form": form,
            "problems": problems,
            "slots": _document_slots(application, green_channel=context["green_channel"]),
        },
    )


def _problems(application: Application, error: ValidationError) -> list[dict]:
    """The submission's errors, each linked to the step where the applicant can fix it."""
    items = []
    details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    for name, texts in details.items():
        if name.startswith("profile."):
            step = "profile"
        else:
            step = STEP_OF_ERROR.get(
                name, "facts" if name not in ("", "non_field_errors", "__all__") else None
            )
        url = reverse("applications:step", args=[application.pk, step]) if step else None
        label = _field_label(application, name)
        for text in texts:
            items.append({"text": f"{label}: {text}" if label else text, "url": url})
    return items


def _field_label(application: Application, name: str) -> str:
    from ..models import ApplicantProfile

    model, field_name = (
        (ApplicantProfile, name[len("profile.") :])
        if name.startswith("profile.")
        else (
            CHANNELS[application.channel].model,
            name,
        )
    )
    try:
        label = str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:  # not a model field: documents, dependants, declaration
        return ""
    return label[:1].upper() + label[1:]


# --- after submission ---------------------------------------------------------------------------
def _expectation(application: Application) -> str:
    return {
        Status.DRAFT: _("Finish the steps of your application and submit it."),
        Status.RETURNED: _("Correct what the officer asks for, then submit the application again."),
        Status.SUBMITTED: _(
            "An intake officer checks that your application is complete. Nothing is needed from you now."
        ),
        Status.ACCEPTED: _("Your application was accepted. Nothing is needed from you now."),
        Status.VERIFYING: _(
            "Your facts are being checked with other agencies. Nothing is needed from you now."
        ),
        Status.IN_REVIEW: _("An officer reviews your application. Nothing is needed from you now."),
        Status.EVIDENCE_REQUESTED: _(
            "Send the evidence the officer asks for. The deadline is paused until you answer."
        ),
        Status.EVIDENCE_SUBMITTED: _(
            "An officer reviews the evidence you sent. Nothing is needed from you now."
        ),
        Status.RECOMMENDED_APPROVAL: _(
            "Your application waits for a decision. Nothing is needed from you now."
        ),
        Status.RECOMMENDED_REFUSAL: _(
            "Your application waits for a decision. Nothing is needed from you now."
        ),
        Status.AWAITING_QUOTA: _("Your application waits for a place in this year's family quota."),
        Status.APPROVED: _("Your application is approved. Your card is being prepared."),
        Status.REFUSED: _("Your application was refused. The reason is in the history below."),
        Status.CARD_ISSUED: _("Your permanent residence card has been issued."),
        Status.WITHDRAWN: _("You withdrew this application."),
    }[application.status]


LATER_STAGES = {
    Stage.INTAKE: ["verification", "review", "approval"],
    Stage.VERIFICATION: ["review", "approval"],
    Stage.REVIEW: ["approval"],
    Stage.EVIDENCE: ["approval"],
    Stage.APPROVAL: [],
}


def _draft_processing_days(application: Application, green_channel: bool) -> int | None:
    """Before submission: the policy's deadlines of every stage added up (the green ones if green)."""
    if application.status not in (Status.DRAFT, Status.RETURNED):
        return None
    rules = services.channel_rules_for(application, green_channel=green_channel)
    return sum(int(days or 0) for days in rules.stage_deadline_days.values()) or None


def _expected_decision(application: Application) -> dt.date | None:
    """The end of the current stage's deadline plus the policy's deadlines of the stages after it."""
    if application.stage not in LATER_STAGES:
        return None
    if application.paused_remaining is not None:
        end = timezone.now() + application.paused_remaining
    elif application.stage_deadline and application.stage_deadline != FAR_FUTURE:
        end = application.stage_deadline
    else:
        return None
    days = sum(
        int((application.stage_deadline_days or {}).get(key) or 0) for key in LATER_STAGES[application.stage]
    )
    return timezone.localdate(end + dt.timedelta(days=days))


def _outcome_label(snapshot: dict | None) -> str:
    if not snapshot:
        return ""
    return {
        "eligible": _("Eligible"),
        "not_eligible": _("Not eligible"),
        "needs_judgement": _("Needs an officer's judgement"),
    }.get(snapshot.get("outcome"), snapshot.get("outcome", ""))


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    actions = selectors.available_actions(user=request.user, application=application)
    open_request = None
    if application.status == Status.EVIDENCE_REQUESTED:
        open_request = (
            application.evidence_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
        )
    events = selectors.application_timeline(application=application)
    return_reason = next((e.reason for e in reversed(events) if e.to_status == Status.RETURNED), "")
    green_channel = services.green_channel_for(application)
    context = {
        "application": application,
        "green_channel": green_channel,
        "processing_days": _draft_processing_days(application, green_channel),
        "events": events,
        "expectation": _expectation(application),
        "expected_decision": _expected_decision(application),
        "can_edit": "edit" in actions,
        "can_withdraw": "withdraw" in actions,
        "open_request": open_request if "answer_evidence" in actions else None,
        "return_reason": return_reason,
        "snapshot": application.eligibility_snapshot,
        "outcome_label": _outcome_label(application.eligibility_snapshot),
    }
    return render(request, "applications/detail.html", context | _summary_context(application))


@login_required
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except (TransitionConflict, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("applications:detail", application.pk)
        else:
            messages.success(request, _("Your application is withdrawn."))
            return redirect("applications:detail", application.pk)
    return render(request, "applications/withdraw.html", {"application": application, "form": form})


@login_required
def evidence_answer(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    evidence_request = (
        application.evidence_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()
    )
    if application.status != Status.EVIDENCE_REQUESTED or evidence_request is None:
        messages.info(request, _("No evidence is requested for this application."))
        return redirect("applications:detail", application.pk)
    form = EvidenceAnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_answer_evidence_with_file(
                actor=request.user,
                application=application,
                answer=form.cleaned_data["answer"],
                file=form.cleaned_data.get("files"),
            )
        except ValidationError as error:
            apply_service_errors(form, error, rename={"file": "files", "document_type": "files"})
        except (TransitionConflict, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("applications:detail", application.pk)
        else:
            messages.success(request, _("Your answer is sent. The officer will continue the review."))
            return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/evidence.html",
        {"application": application, "evidence_request": evidence_request, "form": form},
    )

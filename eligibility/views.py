"""Pages: the public self-check and route pages (R13), and the policy administrators' pages."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residence.core.forms import apply_service_errors
from residence.core.pagination import keyset_page_for_request, keyset_paginate

from . import selectors, services
from .carry import self_check_keep
from .documents import dump_policy_text, parse_policy_text, policy_errors
from .engine.diff import policy_diff
from .engine.points import bracket_rows
from .engine.schema import POLICY_SCHEMA, reference_rows
from .forms import (
    BanForm,
    FamilyQuotaForm,
    NominatingBodyForm,
    PolicyImportForm,
    PolicyPublishForm,
    PolicyTextForm,
    PolicyThresholdsForm,
    ReferenceYearForm,
    RegisterEditionForm,
    RegisterPublishForm,
    SelfCheckForm,
    TalentProgramForm,
)
from .impact import policy_impact, submitted_cases
from .models import PolicyVersion, Register, localized
from .registers import entries_text, parse_entries_text

BAN_ROLES = services.BAN_ROLES


def _lang() -> str:
    return "zh" if (get_language() or "en").startswith("zh") else "en"


def policy_admin_required(view):
    """Policy pages are not advertised to anyone else: a 404, like the audit log."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.is_policy_admin(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- public: self-check and route pages ---------------------------------------------------------------


def _policy_in_force() -> PolicyVersion:
    try:
        return selectors.policy_version_in_force()
    except PolicyVersion.DoesNotExist:
        raise Http404 from None


def _channel_or_404(compiled, channel: str):
    if channel not in compiled.channels:
        raise Http404
    return compiled.channels[channel]


def self_check_start(request):
    version = _policy_in_force()
    compiled = version.compiled()
    return render(
        request,
        "eligibility/self_check_start.html",
        {"version": version, "channels": compiled.channels.values()},
    )


def self_check(request, channel: str):
    """Facts in, explained result out; nothing is stored."""
    version = _policy_in_force()
    compiled = version.compiled()
    channel_policy = _channel_or_404(compiled, channel)
    # Bound on every POST, even an empty one (an empty QueryDict is falsy).
    form = SelfCheckForm(request.POST if request.method == "POST" else None, specs=channel_policy.env.specs)
    result = None
    if request.method == "POST" and form.is_valid() and not form.facts():
        # Nothing to judge: an answer ("needs an officer's judgement, 0 points") would only mislead.
        form.add_error(None, _("Enter at least one fact about yourself; the check then explains the result."))
    elif request.method == "POST" and form.is_valid():
        try:
            assessment = services.eligibility_assess(
                channel=channel, facts=form.facts(), as_of=timezone.localdate(), policy_version=version
            )
            result = assessment.snapshot
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if request.POST.get("start") and result["outcome"] in ("eligible", "needs_judgement"):
                # The person asked to apply: their answers go with them (session only) to the forms.
                self_check_keep(request.session, channel=channel, facts=form.facts())
                return redirect("applications:new_profile", channel=channel)
    return render(
        request,
        "eligibility/self_check.html",
        {"version": version, "channel": channel_policy, "form": form, "result": result},
    )


def routes(request):
    version = _policy_in_force()
    return render(
        request,
        "eligibility/routes.html",
        {"version": version, "channels": version.compiled().channels.values()},
    )


def route_detail(request, channel: str):
    version = _policy_in_force()
    channel_policy = _channel_or_404(version.compiled(), channel)
    # Each points line's brackets in words ("20 % or more", "eastern region", "Yes"), never codes.
    points_rows = [
        (criterion.label, bracket_rows(criterion, channel_policy.env))
        for criterion in channel_policy.criteria
    ]
    return render(
        request,
        "eligibility/route_detail.html",
        {
            "version": version,
            "channel": channel_policy,
            "doc": channel_policy.doc,
            "points_rows": points_rows,
        },
    )


# --- policy administration --------------------------------------------------------------------------


@policy_admin_required
def policy_list(request):
    page = keyset_paginate(
        selectors.policy_version_list(user=request.user),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("cursor") or None,
        page_size=25,
    )
    try:
        in_force = selectors.policy_version_in_force()
    except PolicyVersion.DoesNotExist:
        in_force = None
    return render(
        request,
        "eligibility/policy_list.html",
        {"page": page, "in_force": in_force, "import_form": PolicyImportForm()},
    )


@policy_admin_required
@require_POST
def policy_draft_create(request):
    draft = services.policy_draft_create(actor=request.user)
    messages.success(
        request, _("Draft %(label)s created from the version in force.") % {"label": draft.label}
    )
    return redirect("eligibility:policy_detail", pk=draft.pk)


@policy_admin_required
def policy_import(request):
    form = PolicyImportForm(request.POST or None, request.FILES or None)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read(2 * 1024 * 1024 + 1)
        try:
            document = parse_policy_text(content, fmt=form.cleaned_data["fmt"])
            errors = policy_errors(document)
            if not errors:
                draft = services.policy_import(
                    actor=request.user, text=content, fmt=form.cleaned_data["fmt"], lang=_lang()
                )
                messages.success(request, _("Imported as draft %(label)s.") % {"label": draft.label})
                return redirect("eligibility:policy_detail", pk=draft.pk)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(request, "eligibility/policy_import.html", {"form": form, "errors": errors})


def _reference_tables(document: dict[str, Any]) -> list[dict[str, Any]]:
    tables = []
    for name, table in (document.get("reference", {}).get("tables") or {}).items():
        values = table.get("values") or {}
        if table.get("by_year"):
            years = sorted({str(y) for by_year in values.values() for y in by_year})
            rows = [
                (key, [by_year.get(y, by_year.get(int(y)) if y.isdigit() else None) for y in years])
                for key, by_year in values.items()
            ]
        else:
            years = []
            labels = table.get("value_labels") or {}
            rows = [(key, [localized(labels.get(value)) or value]) for key, value in values.items()]
        tables.append(
            {
                "name": name,
                "label": localized(table.get("label")),
                "unit": table.get("unit"),
                "years": years,
                "rows": rows,
            }
        )
    return tables


@policy_admin_required
def policy_detail(request, pk: int):
    version = selectors.policy_version_get(user=request.user, pk=pk)
    document = version.document
    context = {
        "version": version,
        "document_channels": [
            (name, localized(ch.get("label")), (ch.get("points") or {}).get("pass_mark"))
            for name, ch in (document.get("channels") or {}).items()
        ],
        "tables": _reference_tables(document),
        "errors": policy_errors(document) if version.is_draft else [],
        "publish_form": PolicyPublishForm(initial={"effective_from": timezone.localdate()})
        if version.is_draft
        else None,
    }
    return render(request, "eligibility/policy_detail.html", context)


@policy_admin_required
def policy_export(request, pk: int, fmt: str):
    version = selectors.policy_version_get(user=request.user, pk=pk)
    if fmt not in ("yaml", "json"):
        raise Http404
    content_type = "application/json" if fmt == "json" else "application/yaml"
    response = HttpResponse(
        dump_policy_text(version.document, fmt=fmt), content_type=f"{content_type}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="policy-{version.label}.{fmt}"'
    return response


@policy_admin_required
def policy_edit(request, pk: int):
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    errors: list[dict[str, Any]] = []
    if request.method == "POST":
        form = PolicyTextForm(request.POST)
        if form.is_valid():
            try:
                document = parse_policy_text(form.cleaned_data["text"], fmt=form.cleaned_data["fmt"])
                errors = policy_errors(document)
                if not errors:
                    services.policy_draft_update(
                        actor=request.user, draft=draft, document=document, lang=_lang()
                    )
                    messages.success(request, _("The draft was saved."))
                    return redirect("eligibility:policy_detail", pk=draft.pk)
            except ValidationError as error:
                apply_service_errors(form, error)
    else:
        fmt = request.GET.get("fmt") if request.GET.get("fmt") in ("yaml", "json") else "yaml"
        form = PolicyTextForm(initial={"fmt": fmt, "text": dump_policy_text(draft.document, fmt=fmt)})
    return render(request, "eligibility/policy_edit.html", {"version": draft, "form": form, "errors": errors})


@policy_admin_required
def policy_thresholds(request, pk: int):
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    form = PolicyThresholdsForm(request.POST or None, document=draft.document)
    errors: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        document = form.apply()
        errors = policy_errors(document)
        if not errors:
            try:
                services.policy_draft_update(actor=request.user, draft=draft, document=document, lang=_lang())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("eligibility:policy_detail", pk=draft.pk)
    return render(
        request, "eligibility/policy_thresholds.html", {"version": draft, "form": form, "errors": errors}
    )


@policy_admin_required
def policy_reference_year(request, pk: int, table: str):
    """Add a year's figures to a by-year reference table of a draft (e.g. a new year of wages)."""
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    doc = ((draft.document.get("reference") or {}).get("tables") or {}).get(table)
    if not isinstance(doc, dict) or not doc.get("by_year"):
        raise Http404
    form = ReferenceYearForm(request.POST or None, table=doc)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_reference_year_add(
                actor=request.user,
                draft=draft,
                table=table,
                year=form.cleaned_data["year"],
                figures=form.figures(),
                lang=_lang(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The figures were added to the draft."))
            return redirect("eligibility:policy_detail", pk=draft.pk)
    years = sorted({int(year) for by_year in doc["values"].values() for year in by_year})
    return render(
        request,
        "eligibility/policy_reference_year.html",
        {
            "version": draft,
            "form": form,
            "table": table,
            "label": localized(doc.get("label")),
            "years": years,
        },
    )


@policy_admin_required
@require_POST
def policy_publish(request, pk: int):
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    form = PolicyPublishForm(request.POST)
    if form.is_valid():
        try:
            services.policy_publish(
                actor=request.user, draft=draft, effective_from=form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Version %(label)s is published.") % {"label": draft.label})
    else:
        messages.error(request, _("Enter the date the version takes effect."))
    return redirect("eligibility:policy_detail", pk=draft.pk)


@policy_admin_required
@require_POST
def policy_delete(request, pk: int):
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    services.policy_draft_delete(actor=request.user, draft=draft)
    messages.success(request, _("The draft was deleted."))
    return redirect("eligibility:policy_list")


@policy_admin_required
def policy_impact_view(request, pk: int):
    draft = selectors.policy_draft_get(user=request.user, pk=pk)
    report = policy_impact(draft=draft, cases=submitted_cases())
    return render(request, "eligibility/policy_impact.html", {"version": draft, "report": report})


@policy_admin_required
def policy_diff_view(request, pk: int):
    """What a version changes against another (by default the one it was based on), in words."""
    version = selectors.policy_version_get(user=request.user, pk=pk)
    against_pk = request.GET.get("against")
    if against_pk:
        if not against_pk.isdigit():
            raise Http404
        against = selectors.policy_version_get(user=request.user, pk=int(against_pk))
    else:
        against = version.based_on
        if against is None:
            try:
                against = selectors.policy_version_in_force()
            except PolicyVersion.DoesNotExist:
                against = None
    changes = policy_diff(against.document, version.document) if against is not None else []
    report = None
    if version.is_draft and changes:
        cases = submitted_cases()
        report = policy_impact(draft=version, cases=cases) if cases is not None else None
    return render(
        request,
        "eligibility/policy_diff.html",
        {
            "version": version,
            "against": against,
            "changes": changes,
            "report": report,
            "versions": selectors.policy_version_list(user=request.user).exclude(pk=version.pk)[:50],
        },
    )


# --- talent programs, family quota, bans ----------------------------------------------------------


@policy_admin_required
def talent_programs(request):
    form = TalentProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            program = services.talent_program_create(
                actor=request.user,
                code=data["code"],
                name_en=data["name_en"],
                name_zh=data["name_zh"],
                agency=data["agency"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Talent program %(code)s registered.") % {"code": program.code})
            return redirect("eligibility:talent_programs")
    page = keyset_paginate(
        selectors.talent_program_list(),
        ordering=["code", "id"],
        cursor=request.GET.get("cursor") or None,
        page_size=50,
    )
    return render(
        request,
        "eligibility/talent_programs.html",
        {"page": page, "form": form, "today": timezone.localdate()},
    )


@policy_admin_required
def talent_program_edit(request, pk: int):
    program = selectors.talent_program_get(pk=pk)
    form = TalentProgramForm(request.POST or None, instance=selectors.talent_program_get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_program_update(
                actor=request.user,
                program=program,
                **{name: form.cleaned_data[name] for name in form.changed_data},
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Talent program %(code)s updated.") % {"code": program.code})
            return redirect("eligibility:talent_programs")
    return render(request, "eligibility/talent_program_edit.html", {"program": program, "form": form})


@policy_admin_required
def family_quotas(request):
    form = FamilyQuotaForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            services.family_quota_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("The quota was saved."))
            return redirect("eligibility:family_quotas")
    quotas = list(selectors.family_quota_list())
    page = keyset_page_for_request(
        request, selectors.family_quota_waiting_list(), ordering=["submitted_at", "id"]
    )
    return render(
        request,
        "eligibility/family_quotas.html",
        {"quotas": quotas, "waiting": page.items, "page": page, "form": form},
    )


@login_required
def bans(request):
    if not request.user.has_role(*BAN_ROLES):
        raise Http404
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ban_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            apply_service_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            messages.success(request, _("The ban was recorded."))
            return redirect("eligibility:bans")
    page = keyset_paginate(
        selectors.ban_list(),
        ordering=["-created_at", "-id"],
        cursor=request.GET.get("cursor") or None,
        page_size=50,
    )
    return render(
        request,
        "eligibility/bans.html",
        {
            "page": page,
            "form": form,
            "today": timezone.localdate(),
            "policy_admin": selectors.is_policy_admin(request.user),
        },
    )


def policy_schema_json(request):
    """The policy document's JSON Schema, public so administrators' own tools can validate with it."""
    response = JsonResponse(POLICY_SCHEMA, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    return response


def policy_schema_reference(request):
    """Every key of a policy document with its type and meaning, generated from the schema."""
    rows = reference_rows()
    places: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        places.setdefault(row["place"], []).append(row)
    return render(request, "eligibility/policy_schema.html", {"places": places, "count": len(rows)})


# --- reference registers (issue 13) -----------------------------------------------------------------


@policy_admin_required
def registers(request):
    return render(request, "eligibility/registers.html", {"overview": selectors.register_overview()})


@policy_admin_required
@require_POST
def register_draft_create(request, register: str):
    if register not in Register.values:
        raise Http404
    try:
        draft = services.register_draft_create(actor=request.user, register=register)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("eligibility:registers")
    messages.success(request, _("A draft edition was made from the newest published one."))
    return redirect("eligibility:register_edition", pk=draft.pk)


@policy_admin_required
def register_edition(request, pk: int):
    edition = selectors.register_edition_get(user=request.user, pk=pk)
    form = None
    if edition.is_draft:
        initial = {"label": edition.label, "source": edition.source, "entries": entries_text(edition.entries)}
        form = RegisterEditionForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                entries = parse_entries_text(form.cleaned_data["entries"])
                services.register_draft_update(
                    actor=request.user,
                    draft=edition,
                    entries=entries,
                    label=form.cleaned_data["label"],
                    source=form.cleaned_data["source"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect("eligibility:register_edition", pk=edition.pk)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "eligibility/register_edition.html",
        {
            "edition": edition,
            "form": form,
            "publish_form": RegisterPublishForm(initial={"effective_from": timezone.localdate()})
            if edition.is_draft
            else None,
            "entries": [(e["code"], e["en"], e["zh"]) for e in edition.entries],
        },
    )


@policy_admin_required
@require_POST
def register_publish(request, pk: int):
    edition = selectors.register_edition_get(user=request.user, pk=pk)
    form = RegisterPublishForm(request.POST)
    if not edition.is_draft:
        messages.error(request, _("Only a draft can be published."))
    elif form.is_valid():
        try:
            services.register_publish(
                actor=request.user, draft=edition, effective_from=form.cleaned_data["effective_from"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Edition %(label)s is published.") % {"label": edition.label})
    else:
        messages.error(request, _("Enter the date the edition takes effect."))
    return redirect("eligibility:register_edition", pk=edition.pk)


@policy_admin_required
@require_POST
def register_delete(request, pk: int):
    edition = selectors.register_edition_get(user=request.user, pk=pk)
    try:
        services.register_draft_delete(actor=request.user, draft=edition)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("eligibility:register_edition", pk=edition.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("eligibility:registers")


# --- nominating bodies (R11) ------------------------------------------------------------------------


@policy_admin_required
def nominating_bodies(request, pk: int | None = None):
    """The registry of nominating bodies: the list, a form to register one, or to adjust one (pk)."""
    body = None
    if pk is not None:
        body = selectors.nominating_body_list().filter(pk=pk).first()
        if body is None:
            raise Http404
    methods = services.nomination_methods()
    form = NominatingBodyForm(request.POST or None, instance=body, methods=methods)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = {name: data[name] for name in ("code", "name_en", "name_zh", "agency", "methods", "status")}
        if body is not None:
            values = {name: value for name, value in values.items() if name in form.changed_data}
            # A ModelForm has already set the changes on the instance; the service re-reads the row.
        try:
            saved = services.nominating_body_save(actor=request.user, body=body, **values)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Nominating body %(code)s saved.") % {"code": saved.code})
            return redirect("eligibility:nominating_bodies")
    return render(
        request,
        "eligibility/nominating_bodies.html",
        {
            "bodies": [
                (b, [localized(methods.get(m)) or m for m in b.methods])
                for b in selectors.nominating_body_list()
            ],
            "form": form,
            "body": body,
        },
    )

"""HTML pages: the public catalogue, the agency workspace, coverage, and what a card lets one do."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from residence import languages
from residence.core.forms import apply_service_errors, error_text
from residence.core.pagination import InvalidCursor, keyset_paginate
from residence.dbrouter import lag_tolerant, lag_tolerant_view

from . import selectors, services
from .forms import BenefitItemForm, CatalogueSearchForm, CommentForm, EditLanguageForm, WithdrawForm
from .models import (
    SHARED_FIELDS,
    BenefitContent,
    BenefitItem,
    Kind,
    content_field_label,
    split_text_field_name,
)

PAGE_SIZE = 20
PUBLIC_ORDERING = ("category", "id")


def _page(queryset, request, ordering, size=PAGE_SIZE):
    try:
        return keyset_paginate(
            queryset, ordering=ordering, cursor=request.GET.get("cursor") or None, page_size=size
        )
    except InvalidCursor:
        # A broken or stale cursor: start again from the first page rather than fail.
        return keyset_paginate(queryset, ordering=ordering, cursor=None, page_size=size)


def _query_without_cursor(request) -> str:
    params = request.GET.copy()
    params.pop("cursor", None)
    return params.urlencode()


def _catalogue_filters(request) -> tuple[CatalogueSearchForm, selectors.CatalogueFilters]:
    form = CatalogueSearchForm(request.GET or None, agencies=selectors.agencies_with_items())
    return form, selectors.CatalogueFilters(**form.filters())


# --- public ----------------------------------------------------------------------------------
@require_GET
@lag_tolerant_view
def catalogue(request):
    form, filters = _catalogue_filters(request)
    page = _page(selectors.published_versions(filters=filters), request, PUBLIC_ORDERING)
    query = _query_without_cursor(request)
    api_params = {
        k: v
        for k, v in (
            ("q", filters.q),
            ("category", filters.category),
            ("agency", filters.agency),
            ("applies_to", filters.applies_to),
            ("kind", filters.kind),
        )
        if v
    }
    return render(
        request,
        "benefits/catalogue.html",
        {
            "form": form,
            "versions": page.items,
            "next_cursor": page.next_cursor,
            "query": query,
            "searched": any(vars(filters).values()),
            "json_url": reverse("api_benefits_catalogue")
            + ("?" + urlencode(api_params) if api_params else ""),
            "csv_url": reverse("benefits:export_csv") + ("?" + query if query else ""),
        },
    )


@require_GET
@lag_tolerant_view
def item_detail(request, pk: int):
    item = selectors.public_item_get(pk=pk)
    if item.state == BenefitItem.State.WITHDRAWN:
        # The permanent URL keeps answering, but only to say the item is gone.
        return render(request, "benefits/item_withdrawn.html", {"item": item}, status=410)
    return render(request, "benefits/item.html", {"item": item, "version": item.published_version})


@require_GET
@lag_tolerant_view
def item_history(request, pk: int):
    item = selectors.public_item_get(pk=pk)
    if item.state != BenefitItem.State.PUBLISHED:
        raise Http404
    return render(
        request,
        "benefits/history.html",
        {"item": item, "version": item.published_version, "history": selectors.item_history(item=item)},
    )


# Every text in every configured language (title_en, title_zh, title_ja, ...): a new language
# adds its columns by itself.
CSV_COLUMNS = (
    "id",
    "version",
    "agency",
    *BenefitContent.CONTENT_FIELDS,
    "published_at",
    "url",
)


class _Echo:
    def write(self, value):
        return value


def _csv_safe(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ is a formula to spreadsheets: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@require_GET
@lag_tolerant_view
def export_csv(request):
    _form, filters = _catalogue_filters(request)
    versions = selectors.published_versions(filters=filters).order_by(*PUBLIC_ORDERING)
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so spreadsheet programs read the Chinese as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        # Streamed after the view returned: mark the rows' reads as lag-tolerant here too.
        with lag_tolerant():
            yield from _csv_rows()

    def _csv_rows():
        for v in versions.iterator(chunk_size=500):
            values = {
                "id": v.item_id,
                "version": v.number,
                "agency": v.agency.code,
                "effective_date": v.effective_date.isoformat() if v.effective_date else "",
                "published_at": v.published_at.isoformat(),
                "url": request.build_absolute_uri(reverse("benefits:item", args=[v.item_id])),
            }
            yield writer.writerow([_csv_safe(values[c] if c in values else v.value(c)) for c in CSV_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="benefits.csv"'
    return response


@login_required
@require_GET
def my_card(request):
    situation = selectors.holder_situation(user=request.user)
    versions = []
    if situation is not None:
        versions = list(selectors.items_for_holder(situation=situation)[:300])
    return render(
        request,
        "benefits/my_card.html",
        {
            "situation": situation,
            "treatments": [v for v in versions if v.kind == Kind.TREATMENT],
            "services": [v for v in versions if v.kind == Kind.SERVICE],
        },
    )


# --- agency workspace -------------------------------------------------------------------------
def _require_workspace(request) -> None:
    if not selectors.user_has_workspace(user=request.user):
        # Staff pages are not advertised to those who may not see them.
        raise Http404


WORKSPACE_TABS = (
    ("draft", BenefitItem.State.DRAFT.label),
    ("pending", None),
    ("published", BenefitItem.State.PUBLISHED.label),
    ("withdrawn", BenefitItem.State.WITHDRAWN.label),
)


@login_required
@require_GET
def workspace(request):
    _require_workspace(request)
    items = selectors.workspace_items(user=request.user)
    counts = {row["state"]: row["n"] for row in items.values("state").annotate(n=Count("id")).order_by()}
    pending = items.filter(state=BenefitItem.State.PUBLISHED, has_pending_changes=True).count()
    tab = request.GET.get("state", "draft")
    if tab not in dict(WORKSPACE_TABS):
        tab = "draft"
    if tab == "pending":
        shown = items.filter(state=BenefitItem.State.PUBLISHED, has_pending_changes=True)
    else:
        shown = items.filter(state=tab)
    page = _page(shown, request, ("-id",))
    tabs = [
        {
            "key": key,
            "label": label if label is not None else _("Changes waiting to be published"),
            "count": pending if key == "pending" else counts.get(key, 0),
        }
        for key, label in WORKSPACE_TABS
    ]
    return render(
        request,
        "benefits/workspace.html",
        {
            "items": page.items,
            "next_cursor": page.next_cursor,
            "tabs": tabs,
            "tab": tab,
            "can_draft": request.user.agency_id is not None
            and selectors.user_can_draft(user=request.user, agency_id=request.user.agency_id),
            "is_reviewer": selectors.user_is_reviewer(user=request.user),
        },
    )


def _edit_language(request) -> str:
    """The language edited beside English (?language=ja); Chinese unless another is picked."""
    picker = EditLanguageForm(request.GET if "language" in request.GET else None)
    if picker.is_bound and picker.is_valid():
        return picker.cleaned_data["language"]
    posted = request.POST.get("edit_language", "")
    if posted in languages.codes() and posted != languages.FALLBACK:
        return posted
    return "zh-hans" if languages.is_known("zh-hans") else languages.codes()[-1]


def _edit(request, item: BenefitItem | None):
    second = _edit_language(request)
    form = BenefitItemForm(request.POST or None, instance=item, languages_shown=(languages.FALLBACK, second))
    picker = EditLanguageForm(initial={"language": second})
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            values = form.values()
            preview = BenefitItem(**{name: values[name] for name in SHARED_FIELDS})
            # The preview shows every language the item will have: the saved ones, with the
            # two being edited as typed.
            texts = {code: dict(row) for code, row in (item.texts() if item else {}).items()}
            for name in form.text_names():
                field, code = split_text_field_name(name)
                texts.setdefault(code, {})[field] = values[name] or ""
            preview.set_texts({code: row for code, row in texts.items() if any(row.values())})
        else:
            values = form.values()
            try:
                if item is None:
                    item = services.benefit_item_create(actor=request.user, values=values)
                else:
                    services.benefit_item_update(
                        actor=request.user,
                        item=item,
                        values=values,
                        lock_version=form.cleaned_data.get("lock_version"),
                    )
            except services.StateConflict as error:
                messages.error(request, error_text(error))
                return redirect("benefits:workspace_item", pk=item.pk)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("benefits:workspace_item", pk=item.pk)
    return render(
        request,
        "benefits/edit.html",
        {"form": form, "item": item, "preview": preview, "picker": picker, "edit_language": second},
    )


@login_required
def workspace_new(request):
    _require_workspace(request)
    if request.user.agency_id is None or not selectors.user_can_draft(
        user=request.user, agency_id=request.user.agency_id
    ):
        raise Http404
    return _edit(request, None)


@login_required
def workspace_edit(request, pk: int):
    item = selectors.workspace_item_get(user=request.user, pk=pk)
    if not selectors.user_can_draft(user=request.user, agency_id=item.agency_id):
        raise Http404 if not selectors.user_is_reviewer(user=request.user) else _forbidden()
    if not item.is_editable:
        messages.error(request, _("A withdrawn item cannot be edited."))
        return redirect("benefits:workspace_item", pk=item.pk)
    return _edit(request, item)


def _forbidden():
    return PermissionDenied(_("Policy administrators comment on items; only the agency edits them."))


@login_required
@require_GET
def workspace_item(request, pk: int):
    item = selectors.workspace_item_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "benefits/workspace_item.html",
        {
            "item": item,
            "comments": selectors.item_comments(item=item)[:200],
            "versions": item.versions.order_by("-number")[:50],
            "can_draft": selectors.user_can_draft(user=user, agency_id=item.agency_id) and item.is_editable,
            "can_publish": selectors.user_can_publish(user=user, agency_id=item.agency_id),
            "is_reviewer": selectors.user_is_reviewer(user=user),
            "publish_problems": _publish_problems(item),
            "withdraw_form": WithdrawForm(),
            "comment_form": CommentForm(),
        },
    )


def _publish_problems(item: BenefitItem) -> list[str]:
    if not item.is_editable or (item.state == BenefitItem.State.PUBLISHED and not item.has_pending_changes):
        return []
    problems = services.publish_problems(item)
    return _messages(ValidationError(problems)) if problems else []


def _run(request, item: BenefitItem, call, success: str):
    try:
        call()
    except services.StateConflict as error:
        messages.error(request, error_text(error))
    except ValidationError as error:
        messages.error(request, " ".join(f"{m}" for m in _messages(error)))
    else:
        messages.success(request, success)
    return redirect("benefits:workspace_item", pk=item.pk)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        out = []
        for name, errors in error.message_dict.items():
            try:
                label = capfirst(content_field_label(name))
            except FieldDoesNotExist:
                label = ""
            out.extend(f"{label}: {e}" if label else e for e in errors)
        return out
    return error.messages


@login_required
@require_POST
def workspace_publish(request, pk: int):
    item = selectors.workspace_item_get(user=request.user, pk=pk)
    return _run(
        request, item, lambda: services.benefit_item_publish(actor=request.user, item=item), _("Published.")
    )


@login_required
@require_POST
def workspace_withdraw(request, pk: int):
    item = selectors.workspace_item_get(user=request.user, pk=pk)
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else request.POST.get("reason", "")
    return _run(
        request,
        item,
        lambda: services.benefit_item_withdraw(actor=request.user, item=item, reason=reason),
        _("Withdrawn from the catalogue."),
    )


@login_required
@require_POST
def workspace_comment(request, pk: int):
    item = selectors.workspace_item_get(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    body = form.cleaned_data["body"] if form.is_valid() else request.POST.get("body", "")
    return _run(
        request,
        item,
        lambda: services.benefit_comment_create(actor=request.user, item=item, body=body),
        _("Comment sent to the agency."),
    )


@login_required
@require_GET
def coverage(request):
    if not selectors.user_is_reviewer(user=request.user):
        raise Http404
    return render(request, "benefits/coverage.html", {"report": selectors.coverage()})

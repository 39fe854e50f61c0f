"""The public statistics page, the experts' research extracts and the population feed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Channel
from eligibility.selectors import policy_version_list
from residence.accounts.models import Role
from residence.core.forms import apply_service_errors

from . import comparison, counts, research, services
from .charts import bar_chart, table_rows
from .forms import PolicyComparisonDownloadForm, PolicyComparisonForm, ResearchExtractForm
from .models import ProcessingTime
from .tables import TOTAL


def _year(request: HttpRequest, years: list[int]) -> tuple[int, str | None]:
    """The year asked for, or the latest with cases and why the one asked for was not shown."""
    default = years[0] if years else timezone.localdate().year
    raw = request.GET.get("year")
    if raw is None or raw == "":
        return default, None
    if not raw.isdigit() or int(raw) not in years:
        return default, _("There are no figures for the year %(year)s. Showing %(default)s instead.") % {
            "year": raw[:10],
            "default": default,
        }
    return int(raw), None


def statistics_page(request: HttpRequest) -> HttpResponse:
    years = counts.years_with_cases()
    year, year_error = _year(request, years)
    limit = counts.threshold()
    route = counts.by_route(year)
    province = counts.by_province(year)
    nationality = counts.by_nationality(year)
    trend = counts.applications_by_year(years or [year])
    today = timezone.localdate()
    cards = counts.cards_in_force(today)
    latest = ProcessingTime.objects.filter(office__isnull=True).order_by("-computed_on").first()
    times = (
        [
            (Channel(figure.channel).label if figure.channel in Channel.values else figure.channel, figure)
            for figure in ProcessingTime.objects.filter(office__isnull=True, computed_on=latest.computed_on)
        ]
        if latest
        else []
    )
    context = {
        "year": year,
        "years": years,
        "year_error": year_error,
        "limit": limit,
        "trend": table_rows(trend, limit=limit),
        "trend_chart": bar_chart(trend, TOTAL, limit=limit),
        "route": table_rows(route, limit=limit),
        "route_chart": bar_chart(route, "submitted", limit=limit),
        "province": table_rows(province, limit=limit),
        "province_chart": bar_chart(province, "submitted", limit=limit),
        "nationality": table_rows(nationality, limit=limit),
        "cards_day": cards.day,
        "cards_province": table_rows(cards.by_province, limit=limit),
        "cards_chart": bar_chart(cards.by_province, "holders", limit=limit),
        "cards_cities": [
            (name, table_rows(table, limit=limit), f"table-cities-{index}")
            for index, (name, table) in enumerate(cards.by_city, start=1)
        ],
        "times": times,
        "times_computed_on": latest.computed_on if latest else None,
    }
    return render(request, "figures/statistics.html", context, status=400 if year_error else 200)


@login_required
def research_page(request: HttpRequest) -> HttpResponse:
    """Policy experts and policy administrators download anonymised case rows (R5)."""
    if not request.user.has_role(Role.POLICY_EXPERT, Role.POLICY_ADMIN):
        raise Http404
    form = ResearchExtractForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = services.research_extract(
                actor=request.user,
                purpose=data["purpose"],
                start=data["start"],
                end=data["end"],
                file_format=data["file_format"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            name = f"pr-cases-{data['start']:%Y-%m}-{data['end']:%Y-%m}.{data['file_format']}"
            response = HttpResponse(
                content,
                content_type="text/csv; charset=utf-8"
                if data["file_format"] == "csv"
                else "application/vnd.apache.parquet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(
        request,
        "figures/research.html",
        {"form": form, "columns": research.COLUMNS},
        status=400 if request.method == "POST" else 200,
    )


COMPARISON_FIELDS = ("version_a", "version_b", "start", "end")


@login_required
def policy_comparison_page(request: HttpRequest) -> HttpResponse:
    """Two policy versions' outcomes for the cases decided in a period (R5), for policy experts
    (published versions) and policy administrators (drafts too); GET shows, POST downloads."""
    if not request.user.has_role(Role.POLICY_EXPERT, Role.POLICY_ADMIN):
        raise Http404
    versions = policy_version_list(user=request.user).order_by("-created_at", "-id")
    data = request.POST if request.method == "POST" else request.GET
    asked = any(name in data for name in COMPARISON_FIELDS)
    form = PolicyComparisonForm(data if asked else None, versions=versions)
    download = None
    result = None
    if asked and form.is_valid():
        choice = {name: form.cleaned_data[name] for name in COMPARISON_FIELDS}
        if request.method == "POST":
            download = PolicyComparisonDownloadForm(request.POST, versions=versions)
            if download.is_valid():
                try:
                    content = services.policy_comparison_download(
                        actor=request.user, purpose=download.cleaned_data["purpose"], **choice
                    )
                except ValidationError as error:
                    apply_service_errors(download, error)
                else:
                    name = f"policy-comparison-{choice['start']:%Y%m%d}-{choice['end']:%Y%m%d}.csv"
                    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
                    response["Content-Disposition"] = f'attachment; filename="{name}"'
                    return response
        try:
            result = comparison.compare(**choice)
        except ValidationError as error:
            apply_service_errors(form, error)
            download = None
        else:
            if download is None:
                download = PolicyComparisonDownloadForm(
                    initial={name: data.get(name) for name in COMPARISON_FIELDS}, versions=versions
                )
    limit = counts.threshold()
    context = {
        "form": form,
        "download": download,
        "result": result,
        "limit": limit,
        "max_cases": comparison.max_cases(),
        "route": table_rows(result.by_route, limit=limit) if result else None,
        "lane": table_rows(result.by_lane, limit=limit) if result else None,
    }
    failed = (asked and not form.is_valid()) or (download is not None and download.errors)
    return render(request, "figures/comparison.html", context, status=400 if failed else 200)

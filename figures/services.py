"""Writes of the published figures: the scheduled refresh of processing times."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Status
from residence.accounts.models import Role
from residence.audit.services import audit_record

from . import comparison, research
from .models import ProcessingTime

# A case is decided when the decision is made; a card issued later does not lengthen it.
DECIDED = (Status.APPROVED, Status.REFUSED, Status.CARD_ISSUED)
PURPOSE_MIN_LENGTH = 20


def window_start(today: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (the last day of a shorter month)."""
    month = today.month - months
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for day in range(today.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(today.day, 28))


def nearest_rank(sorted_days: list[int], share: float) -> int:
    """The smallest number of days within which ``share`` of the cases were decided."""
    return sorted_days[max(0, math.ceil(share * len(sorted_days)) - 1)]


def _figure(days: list[int], minimum: int) -> tuple[int | None, int | None]:
    if len(days) < minimum:
        return None, None
    days = sorted(days)
    return nearest_rank(days, 0.5), nearest_rank(days, 0.8)


@transaction.atomic
def processing_times_refresh(*, today: dt.date | None = None) -> list[ProcessingTime]:
    """Compute today's figures per route and office, and per route for the whole country, from the
    cases decided in the window (``FIGURES_WINDOW_MONTHS``). Running it twice a day replaces the
    day's figures, so the published numbers are always those of the last run."""
    today = today or timezone.localdate()
    start = window_start(today, settings.FIGURES_WINDOW_MONTHS)
    minimum = settings.FIGURES_MINIMUM_CASES
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = Application.objects.filter(
        status__in=DECIDED,
        decided_at__gte=since,
        decided_at__lt=until,
        submitted_at__isnull=False,
    ).values_list("channel", "office_id", "submitted_at", "decided_at")
    by_office: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for channel, office_id, submitted_at, decided_at in rows.iterator(chunk_size=5000):
        # Calendar days from submission to decision, a part of a day counting as a day.
        days = max(0, math.ceil((decided_at - submitted_at).total_seconds() / 86400))
        by_office[(channel, office_id)].append(days)
        if office_id is not None:
            by_office[(channel, None)].append(days)
    ProcessingTime.objects.filter(computed_on=today).delete()
    figures = []
    for (channel, office_id), days in sorted(
        by_office.items(), key=lambda item: (item[0][0], item[0][1] or 0)
    ):
        p50, p80 = _figure(days, minimum)
        figures.append(
            ProcessingTime(
                channel=channel,
                office_id=office_id,
                computed_on=today,
                window_start=start,
                window_end=today,
                cases=len(days),
                p50_days=p50,
                p80_days=p80,
            )
        )
    ProcessingTime.objects.bulk_create(figures)
    audit_record(
        actor=None,
        action="figures.processing_times_refresh",
        after={
            "computed_on": today.isoformat(),
            "window_start": start.isoformat(),
            "figures": len(figures),
            "cases": sum(len(days) for (_channel, office), days in by_office.items() if office is not None),
        },
    )
    return figures


@transaction.atomic
def research_extract(*, actor, purpose: str, start: dt.date, end: dt.date, file_format: str) -> bytes:
    """The anonymised case rows of ``research.rows`` as CSV or Parquet, for a policy expert or a
    policy administrator; the download is audited with its purpose, period and size."""
    if not actor.has_role(Role.POLICY_EXPERT, Role.POLICY_ADMIN):
        raise PermissionDenied
    purpose = purpose.strip()
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ValidationError(
            {
                "purpose": _("Say what the data is for, in at least %(n)s characters.")
                % {"n": PURPOSE_MIN_LENGTH}
            }
        )
    if end < start:
        raise ValidationError({"end": _("The last month cannot be before the first.")})
    if file_format not in ("csv", "parquet"):
        raise ValidationError({"file_format": _("Choose CSV or Parquet.")})
    data = research.rows(start, end)
    content = research.as_csv(data) if file_format == "csv" else research.as_parquet(data)
    audit_record(
        actor=actor,
        action="figures.research_extract",
        after={
            "purpose": purpose,
            "from": start.strftime("%Y-%m"),
            "to": end.strftime("%Y-%m"),
            "format": file_format,
            "rows": len(data),
            "bytes": len(content),
        },
        reason=purpose,
    )
    return content


@transaction.atomic
def policy_comparison_download(
    *, actor, purpose: str, version_a, version_b, start: dt.date, end: dt.date
) -> bytes:
    """The published counts of ``comparison.compare`` as CSV, for a policy expert or a policy
    administrator; the download is audited with its purpose, versions, period and case count."""
    if not actor.has_role(Role.POLICY_EXPERT, Role.POLICY_ADMIN):
        raise PermissionDenied
    purpose = purpose.strip()
    if len(purpose) < PURPOSE_MIN_LENGTH:
        raise ValidationError(
            {
                "purpose": _("Say what the data is for, in at least %(n)s characters.")
                % {"n": PURPOSE_MIN_LENGTH}
            }
        )
    result = comparison.compare(version_a=version_a, version_b=version_b, start=start, end=end)
    content = comparison.as_csv(result)
    audit_record(
        actor=actor,
        action="figures.policy_comparison",
        after={
            "purpose": purpose,
            "version_a": {"id": version_a.pk, "label": version_a.label, "status": version_a.status},
            "version_b": {"id": version_b.pk, "label": version_b.label, "status": version_b.status},
            "from": start.isoformat(),
            "to": end.isoformat(),
            "cases": result.cases,
            "bytes": len(content),
        },
        reason=purpose,
    )
    return content

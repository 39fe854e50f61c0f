"""Two policy versions side by side (R5): the cases decided in a period, re-evaluated from their
stored facts under each version through the engine, counted per route and per channel (ordinary or
green channel) and suppressed like every published count.

A case is re-evaluated as it was submitted: its facts as stored, the register facts as the
registers gave them on the day it was submitted, and each version compiled without its effective
period (``eligibility.impact.timeless_policy``), so a draft can judge last year's cases.

The work is bounded: a period with more decided cases than ``FIGURES_COMPARE_MAX_CASES`` is refused
with a message asking for a shorter one, before anything is evaluated. The comparison runs in the
request; at the default limit it takes a few seconds (docs/benchmarks.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.channels import CHANNELS as FACTS_CHANNELS
from applications.channels import FACTS_RELATED_NAMES
from applications.models import Application, Channel, Status
from eligibility.impact import NOT_EVALUATED, outcome_under, timeless_policy
from eligibility.registers import editions_remembered

from .tables import SMALL, TOTAL, Table, suppress

DECIDED = (Status.APPROVED, Status.CARD_ISSUED, Status.REFUSED)
APPROVED = (Status.APPROVED, Status.CARD_ISSUED)
ELIGIBLE = "eligible"

MEASURES = [
    ("cases", gettext_lazy("Decided cases")),
    ("eligible_a", gettext_lazy("Eligible under A")),
    ("eligible_b", gettext_lazy("Eligible under B")),
    ("lost", gettext_lazy("Eligible under A, not under B")),
    ("gained", gettext_lazy("Not eligible under A, eligible under B")),
    ("approved", gettext_lazy("Approved")),
    ("refused", gettext_lazy("Refused")),
]
LANES = [
    ("ordinary", gettext_lazy("Ordinary channel")),
    ("green", gettext_lazy("Green channel")),
]


def max_cases() -> int:
    return settings.FIGURES_COMPARE_MAX_CASES


def period_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, the day after end) in the portal's zone: both days are included."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def decided_cases(start: dt.date, end: dt.date):
    since, until = period_range(start, end)
    return Application.objects.filter(
        status__in=DECIDED, decided_at__gte=since, decided_at__lt=until, submitted_at__isnull=False
    )


def check_request(*, version_a, version_b, start: dt.date, end: dt.date) -> int:
    """The number of decided cases the comparison would read; a ValidationError keyed by field for
    a request that cannot be answered (the same version twice, a period backwards, too many cases)."""
    errors = {}
    if version_a is not None and version_b is not None and version_a.pk == version_b.pk:
        errors["version_b"] = _("Choose two different versions: A and B are the same.")
    if start and end and end < start:
        errors["end"] = _("The end of the period cannot be before its start.")
    if errors:
        raise ValidationError(errors)
    count = decided_cases(start, end).count()
    if count > max_cases():
        raise ValidationError(
            {
                "end": _(
                    "%(count)s cases were decided in this period; a comparison reads at most %(limit)s. "
                    "Choose a shorter period."
                )
                % {"count": f"{count:,}", "limit": f"{max_cases():,}"}
            }
        )
    return count


@dataclass
class Comparison:
    version_a: object
    version_b: object
    start: dt.date
    end: dt.date
    by_route: Table
    by_lane: Table
    not_evaluated: int  # cases a version could not read (counted as not eligible under it)

    @property
    def cases(self) -> int:
        return self.by_route.value(TOTAL, "cases")


def _table(rows, counts: Counter) -> Table:
    columns = [(key, str(label)) for key, label in MEASURES]
    linked = [
        # eligible under B = eligible under A - moved out + moved in; cases = approved + refused.
        [(row, "eligible_a"), (row, "eligible_b"), (row, "lost"), (row, "gained")]
        for row in [*(key for key, _label in rows), TOTAL]
    ] + [[(row, "cases"), (row, "approved"), (row, "refused")] for row in [*(k for k, _l in rows), TOTAL]]
    return Table(rows=rows, columns=columns, counts=dict(counts), column_totals=True, linked=linked)


def _count(application, policy_a, policy_b, by_route: Counter, by_lane: Counter, not_evaluated: set) -> None:
    """Add one decided case to the counts: its outcome under each version and its decision."""
    spec = FACTS_CHANNELS.get(application.channel)
    facts_row = getattr(application, spec.related_name, None) if spec else None
    if facts_row is None:  # no facts stored: nothing to judge, under either version
        outcome_a = outcome_b = NOT_EVALUATED
    else:
        facts = facts_row.to_engine_facts()
        as_of = timezone.localdate(application.submitted_at)
        outcome_a = outcome_under(policy_a, channel=application.channel, facts=facts, as_of=as_of)
        outcome_b = outcome_under(policy_b, channel=application.channel, facts=facts, as_of=as_of)
    if NOT_EVALUATED in (outcome_a, outcome_b):
        not_evaluated.add(application.pk)
    a, b = outcome_a == ELIGIBLE, outcome_b == ELIGIBLE
    measures = ["cases", "approved" if application.status in APPROVED else "refused"]
    measures += ["eligible_a"] * a + ["eligible_b"] * b + ["lost"] * (a and not b)
    measures += ["gained"] * (b and not a)
    lane = "green" if application.green_channel else "ordinary"
    for measure in measures:
        by_route[(application.channel, measure)] += 1
        by_lane[(lane, measure)] += 1


def compare(*, version_a, version_b, start: dt.date, end: dt.date) -> Comparison:
    """Re-evaluate the period's decided cases under both versions and count them, suppressed."""
    check_request(version_a=version_a, version_b=version_b, start=start, end=end)
    policy_a = timeless_policy(version_a.document)
    policy_b = timeless_policy(version_b.document)
    by_route: Counter = Counter()
    by_lane: Counter = Counter()
    not_evaluated_cases: set[int] = set()
    cases = (
        decided_cases(start, end)
        .select_related("applicant", *FACTS_RELATED_NAMES)
        .prefetch_related("years_in_china")
        .order_by("id")
    )
    with editions_remembered():
        for application in cases.iterator(chunk_size=500):
            _count(application, policy_a, policy_b, by_route, by_lane, not_evaluated_cases)
    not_evaluated = len(not_evaluated_cases)
    limit = settings.FIGURES_SUPPRESS_BELOW
    routes = suppress(_table([(value, str(label)) for value, label in Channel.choices], by_route), limit)
    # The two tables print the same totals: what one withholds, the other withholds too.
    shared = {cell: mark for cell, mark in routes.hidden.items() if cell[0] == TOTAL}
    lanes = suppress(_table([(key, str(label)) for key, label in LANES], by_lane), limit, already=shared)
    for cell, mark in lanes.hidden.items():
        if cell[0] == TOTAL and cell not in routes.hidden:
            routes.hidden[cell] = mark
            suppress(routes, limit, already=routes.hidden)
    return Comparison(
        version_a=version_a,
        version_b=version_b,
        start=start,
        end=end,
        by_route=routes,
        by_lane=lanes,
        not_evaluated=not_evaluated,
    )


def csv_cell(table: Table, row, column, limit: int) -> str:
    kind, value = table.display(row, column)
    if kind == "count":
        return str(value)
    return f"<{limit}" if kind == SMALL else "withheld"


CSV_COLUMNS = ["version_a", "version_b", "decided_from", "decided_to", "breakdown", "group"] + [
    key for key, _label in MEASURES
]


def as_csv(comparison: Comparison) -> bytes:
    """The published (suppressed) counts of both tables, one line per route, channel and total."""
    limit = settings.FIGURES_SUPPRESS_BELOW
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    head = [
        comparison.version_a.label,
        comparison.version_b.label,
        comparison.start.isoformat(),
        comparison.end.isoformat(),
    ]
    for breakdown, table in (("route", comparison.by_route), ("channel", comparison.by_lane)):
        for key, _label in [*table.rows, (TOTAL, "")]:
            group = "total" if key == TOTAL else key
            writer.writerow(
                [*head, breakdown, group, *(csv_cell(table, key, c, limit) for c, _l in table.columns)]
            )
    return out.getvalue().encode("utf-8")

"""The public statistics (R13, R19, R24): counts of cases and cards, computed from the portal's own
records with grouped queries and suppressed with ``tables.suppress`` before anything is shown.

Applications are counted in the year they were submitted, decisions in the year they were made.
An application approved and then given its card counts as approved. Cards in force are counted
where their holder lives now (the profile's province and city), as the population register counts
residents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from applications.countries import country_name
from applications.models import Application, Channel, Status
from cards.models import Card
from residence.cities import city_name
from residence.regions import PROVINCES, province_name

from .tables import Table, suppress

APPROVED = (Status.APPROVED, Status.CARD_ISSUED)
REFUSED = (Status.REFUSED,)
MEASURES = [
    ("submitted", _("Applications")),
    ("approved", _("Approvals")),
    ("refused", _("Refusals")),
]


def threshold() -> int:
    return settings.FIGURES_SUPPRESS_BELOW


def years_with_cases() -> list[int]:
    years = (
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(year=ExtractYear("submitted_at"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({year for year in years if year}, reverse=True)


def _year_range(year: int) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=zone),
        dt.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _outcome_counts(group: str, year: int) -> dict[tuple[str, str], int]:
    """{(group value, measure): count} for the year: submitted, approved and refused."""
    start, end = _year_range(year)
    counts: dict[tuple[str, str], int] = {}
    submitted = (
        Application.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values(group)
        .annotate(n=Count("id"))
    )
    for row in submitted:
        counts[(row[group], "submitted")] = row["n"]
    decided = (
        Application.objects.filter(decided_at__gte=start, decided_at__lt=end)
        .values(group)
        .annotate(
            approved=Count("id", filter=Q(status__in=APPROVED)),
            refused=Count("id", filter=Q(status__in=REFUSED)),
        )
    )
    for row in decided:
        counts[(row[group], "approved")] = row["approved"]
        counts[(row[group], "refused")] = row["refused"]
    return counts


def _table(rows, counts, *, column_totals=True, row_totals=False) -> Table:
    table = Table(
        rows=rows,
        columns=[(key, str(label)) for key, label in MEASURES],
        counts=counts,
        column_totals=column_totals,
        row_totals=row_totals,
    )
    return suppress(table, threshold())


def by_route(year: int) -> Table:
    counts = _outcome_counts("channel", year)
    return _table([(value, str(label)) for value, label in Channel.choices], counts)


def by_province(year: int) -> Table:
    counts = _outcome_counts("province", year)
    language = get_language() or "en"
    present = {key for key, _measure in counts if key}
    rows = [(p.code, province_name(p.code, language)) for p in PROVINCES if p.code in present]
    return _table(rows, counts)


def by_nationality(year: int) -> Table:
    counts = _outcome_counts("nationality", year)
    present = sorted({key for key, _measure in counts if key}, key=lambda code: country_name(code))
    return _table([(code, country_name(code)) for code in present], counts)


def applications_by_year(years: list[int]) -> Table:
    """Applications submitted per year and route, with the totals of both."""
    rows = (
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(year=ExtractYear("submitted_at"))
        .values("year", "channel")
        .annotate(n=Count("id"))
    )
    counts = {(row["year"], row["channel"]): row["n"] for row in rows}
    table = Table(
        rows=[(year, str(year)) for year in sorted(years)],
        columns=[(value, str(label)) for value, label in Channel.choices],
        counts=counts,
        row_totals=True,
        column_totals=True,
    )
    return suppress(table, threshold())


def cards_in_force_q(day: dt.date) -> Q:
    """Cards valid on ``day``: issued by then, not expired, and not ended (revoked, replaced)."""
    zone = timezone.get_current_timezone()
    end_of_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return Q(issued_on__lte=day, expires_on__gte=day) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=end_of_day)
    )


def holders_by_city(day: dt.date) -> dict[tuple[str, str], int]:
    """{(province code, city code): holders} of cards in force on ``day``, where they live now."""
    rows = (
        Card.objects.filter(cards_in_force_q(day))
        .values("profile__province", "profile__city_code")
        .annotate(n=Count("profile", distinct=True))
    )
    return {(row["profile__province"], row["profile__city_code"]): row["n"] for row in rows}


@dataclass
class CardsInForce:
    day: dt.date
    by_province: Table
    by_city: list[tuple[str, Table]]  # (province name, its cities)


def cards_in_force(day: dt.date) -> CardsInForce:
    """Holders per province, and per city within each province, suppressed together: a city's
    count cannot be worked out from its province's count and its other cities."""
    counts = holders_by_city(day)
    language = get_language() or "en"
    limit = threshold()
    column = [("holders", str(_("Card holders")))]
    city_tables: dict[str, Table] = {}
    province_hidden: dict = {}
    for province in PROVINCES:
        cities = sorted(city for (p, city) in counts if p == province.code)
        if not cities:
            continue
        table = suppress(
            Table(
                rows=[(city, city_label(city)) for city in cities],
                columns=column,
                counts={(city, "holders"): counts[(province.code, city)] for city in cities},
                column_totals=True,
            ),
            limit,
        )
        city_tables[province.code] = table
        if ("__total__", "holders") in table.hidden:
            province_hidden[(province.code, "holders")] = table.hidden[("__total__", "holders")]
    provinces = suppress(
        Table(
            rows=[(p.code, province_name(p.code, language)) for p in PROVINCES if p.code in city_tables],
            columns=column,
            counts={
                (code, "holders"): sum(n for (p, _city), n in counts.items() if p == code)
                for code in city_tables
            },
            column_totals=True,
        ),
        limit,
        already=province_hidden,
    )
    # A province withheld to protect another is withheld in its own city table too, and suppressed
    # again there: its cities, all shown, would otherwise add up to it.
    for (code, _column), mark in provinces.hidden.items():
        table = city_tables.get(code)
        if table is not None and ("__total__", "holders") not in table.hidden:
            suppress(table, limit, already={**table.hidden, ("__total__", "holders"): mark})
    return CardsInForce(
        day=day,
        by_province=provinces,
        by_city=[(province_name(code, language), table) for code, table in city_tables.items()],
    )


def city_label(code: str) -> str:
    return city_name(code, get_language() or "en")

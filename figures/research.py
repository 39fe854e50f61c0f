"""Case-level research extracts for the policy experts (R5): one row per application, with nothing
that names or numbers a person. No names, passport or reference numbers, no free text (reasons,
notes, addresses); ages in five-year bands at submission; dates as months; the place as a province.
Rows come in a random order so that their order says nothing about ids or dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets

from django.db.models import Count
from django.utils import timezone

from applications.models import Application, Status
from eligibility.engine.dates import whole_years

COLUMNS = [
    "route",
    "outcome",
    "green_channel",
    "province",
    "nationality",
    "sex",
    "age_band",
    "submitted_month",
    "decided_month",
    "days_to_decision",
    "dependants",
]

OUTCOMES = {
    Status.APPROVED: "approved",
    Status.CARD_ISSUED: "approved",
    Status.REFUSED: "refused",
    Status.WITHDRAWN: "withdrawn",
}


def age_band(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    years = whole_years(birth, on)
    low = max(0, years // 5 * 5)
    return "80+" if low >= 80 else f"{low}-{low + 4}"


def month_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[first day of start's month, first day of the month after end's) in the portal's zone."""
    zone = timezone.get_current_timezone()
    after = dt.date(end.year + end.month // 12, end.month % 12 + 1, 1)
    return dt.datetime(start.year, start.month, 1, tzinfo=zone), dt.datetime(
        after.year, after.month, 1, tzinfo=zone
    )


def rows(start: dt.date, end: dt.date) -> list[dict]:
    """Applications submitted in the months from ``start`` to ``end`` (both included)."""
    since, until = month_range(start, end)
    zone = timezone.get_current_timezone()
    cases = (
        Application.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .annotate(dependant_count=Count("dependants"))
        .values(
            "channel",
            "status",
            "green_channel",
            "province",
            "nationality",
            "applicant__sex",
            "applicant__birth_date",
            "submitted_at",
            "decided_at",
            "dependant_count",
        )
    )
    result = []
    for case in cases.iterator(chunk_size=2000):
        submitted = case["submitted_at"].astimezone(zone)
        decided = case["decided_at"].astimezone(zone) if case["decided_at"] else None
        outcome = OUTCOMES.get(case["status"], "open")
        result.append(
            {
                "route": case["channel"],
                "outcome": outcome,
                "green_channel": bool(case["green_channel"]),
                "province": case["province"],
                "nationality": case["nationality"],
                "sex": case["applicant__sex"],
                "age_band": age_band(case["applicant__birth_date"], submitted.date()),
                "submitted_month": submitted.strftime("%Y-%m"),
                "decided_month": decided.strftime("%Y-%m") if decided and outcome != "open" else "",
                "days_to_decision": (decided.date() - submitted.date()).days
                if decided and outcome != "open"
                else None,
                "dependants": case["dependant_count"],
            }
        )
    secrets.SystemRandom().shuffle(result)
    return result


def as_csv(data: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in data:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def as_parquet(data: list[dict]) -> bytes:
    import pyarrow as pa  # noqa: PLC0415 - a large library, loaded only for this download
    import pyarrow.parquet as pq  # noqa: PLC0415

    schema = pa.schema(
        [
            ("route", pa.string()),
            ("outcome", pa.string()),
            ("green_channel", pa.bool_()),
            ("province", pa.string()),
            ("nationality", pa.string()),
            ("sex", pa.string()),
            ("age_band", pa.string()),
            ("submitted_month", pa.string()),
            ("decided_month", pa.string()),
            ("days_to_decision", pa.int32()),
            ("dependants", pa.int32()),
        ]
    )
    table = pa.Table.from_pylist(data, schema=schema)
    out = io.BytesIO()
    pq.write_table(table, out, compression="zstd")
    return out.getvalue()

from __future__ import annotations

from django import template

from verification.checks import AGENCY_NAMES, CheckKind
from verification.selectors import checks_for_applicant

register = template.Library()

STATUS_BADGE = {
    "verified": "ok",
    "mismatch": "bad",
    "not_found": "warn",
    "error": "bad",
    "timed_out": "bad",
    "pending": "",
    "in_flight": "",
    "passed": "ok",
    "not_passed": "bad",
    "could_not_check": "warn",
}


@register.simple_tag
def applicant_checks(application):
    """The applicant's view of the application's checks (no agency answers)."""
    return checks_for_applicant(application=application)


@register.filter
def badge_class(status: str) -> str:
    return STATUS_BADGE.get(status, "")


@register.filter
def kind_label(kind: str) -> str:
    try:
        return CheckKind(kind).label
    except ValueError:
        return kind


@register.filter
def agency_label(code: str) -> str:
    return str(AGENCY_NAMES.get(code, code))


@register.filter
def field_label(name: str) -> str:
    from verification.labels import FIELD_LABELS

    return str(FIELD_LABELS.get(name, name))


@register.filter
def credit_entry_label(kind: str) -> str:
    from verification.labels import CREDIT_ENTRY_LABELS

    return str(CREDIT_ENTRY_LABELS.get(kind, kind))


@register.filter
def iso_minute(value) -> str:
    """An ISO date-time kept in a finding, in local time to the minute ("2026-12-03 23:40")."""
    from verification.services import local_minute

    return local_minute(value)

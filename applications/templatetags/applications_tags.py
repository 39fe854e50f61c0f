"""Presentation helpers for the applications pages: bilingual texts, names, deadlines."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from residence.regions import province_name

from ..countries import country_name
from ..models import FAR_FUTURE, Channel, Status

register = template.Library()


def _chinese() -> bool:
    return (get_language() or "en").startswith("zh")


@register.filter
def bilingual(value) -> str:
    """A {"en": ..., "zh": ...} text in the reader's language."""
    if isinstance(value, dict):
        return value.get("zh" if _chinese() else "en") or value.get("en") or ""
    return "" if value is None else str(value)


@register.filter
def country(code: str) -> str:
    return country_name(code, get_language()) if code else ""


@register.filter
def province(code: str) -> str:
    return province_name(code, get_language() or "en") if code else ""


def _duration(seconds: float) -> str:
    days = int(seconds // 86400)
    if days >= 1:
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    hours = max(1, int(seconds // 3600))
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


@register.simple_tag
def deadline_badge(application) -> str:
    """Time left in the stage, overdue, or paused while the applicant owes evidence."""
    if getattr(application, "paused_remaining", None) is not None:
        return format_html(
            '<span class="badge">{}</span>',
            _("Clock stopped: %(left)s left")
            % {"left": _duration(application.paused_remaining.total_seconds())},
        )
    if application.stage_deadline is None or application.stage_deadline == FAR_FUTURE:
        return ""
    left = (application.stage_deadline - timezone.now()).total_seconds()
    if left < 0:
        return format_html(
            '<span class="badge bad">{}</span>', _("Overdue by %(late)s") % {"late": _duration(-left)}
        )
    css = "warn" if left < 2 * 86400 else "ok"
    return format_html(
        '<span class="badge {}">{}</span>', css, _("%(left)s left") % {"left": _duration(left)}
    )


@register.simple_tag
def status_badge(application) -> str:
    css = {
        "approved": "ok",
        "card_issued": "ok",
        "refused": "bad",
        "withdrawn": "bad",
        "returned": "warn",
        "evidence_requested": "warn",
    }.get(application.status, "")
    return format_html('<span class="badge {}">{}</span>', css, Status(application.status).label)


@register.filter
def channel_label(code: str) -> str:
    return Channel(code).label if code in Channel.values else code


# --- panels of the project's home pages (templates/home/*.html) ----------------------------------
@register.inclusion_tag("applications/_home_applicant.html", takes_context=True)
def applicant_home(context) -> dict:
    from .. import selectors

    user = context["user"]
    applications = selectors.applications_for_applicant(user=user).filter(applicant__owner=user)
    return {
        "user": user,
        "applications": list(applications.order_by("-updated_at", "-id")[:20]),
        "unread_count": selectors.unread_notification_count(user=user),
    }


@register.inclusion_tag("applications/_home_officer.html", takes_context=True)
def officer_home(context) -> dict:
    from ..views.officer import stage_count_rows

    user = context["user"]
    return {"user": user, "stage_counts": stage_count_rows(user)}


@register.inclusion_tag("applications/_home_intermediary.html", takes_context=True)
def intermediary_home(context) -> dict:
    from ..views.other import client_rows

    user = context["user"]
    return {"user": user, "clients": client_rows(user)}


@register.simple_tag(takes_context=True)
def who_acts_instead(context, case) -> str:
    """For an officer who may not act on the case at its stage: who does (empty otherwise)."""
    from ..access import who_acts_instead as sentence

    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return sentence(user, stage=case.stage, office_levels=case.office_levels)

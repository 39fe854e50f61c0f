"""Template helpers for policy data: pick the current language of a {"en", "zh", ...} text."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from eligibility.engine.labels import render_label
from residence.core.templatetags.languages import translated

register = template.Library()


@register.filter
def loc(value):
    """The current language's entry of a policy text, or the value itself.

    A text the version has not translated into the reader's language shows in English, marked
    lang="en"; base.html then says once, after the content, that some text is shown in English.
    """
    return translated(value)


@register.filter
def rule_label(node) -> str:
    """A rule's label in the current language, its placeholders filled from the rule's figures."""
    return translated(render_label(node.get("label") or {}, node))


@register.filter
def outcome_label(outcome: str) -> str:
    return {
        "eligible": _("Eligible"),
        "not_eligible": _("Not eligible"),
        "needs_judgement": _("Needs an officer's judgement"),
        "not_evaluated": _("Cannot be evaluated"),
        "met": _("Met"),
        "not_met": _("Not met"),
        "unknown": _("Not known"),
    }.get(outcome, outcome)


@register.filter
def outcome_badge(outcome: str) -> str:
    return {"eligible": "ok", "met": "ok", "not_eligible": "bad", "not_met": "bad"}.get(outcome, "warn")


@register.filter
def stage_label(stage: str) -> str:
    return {
        "intake": _("Intake"),
        "verification": _("Verification"),
        "review": _("Review"),
        "approval": _("Approval"),
        "standard": _("Standard"),
        "green_channel": _("Green channel"),
    }.get(stage, stage)


@register.filter
def level_label(level: str) -> str:
    return {"municipal": _("Municipal"), "provincial": _("Provincial"), "national": _("National")}.get(
        level, level or "—"
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def fact_sources(snapshot) -> list:
    """(fact, value, source) rows of the facts an assessment took from the registers."""
    from eligibility.registers import fact_source_rows

    return fact_source_rows(snapshot if isinstance(snapshot, dict) else None)

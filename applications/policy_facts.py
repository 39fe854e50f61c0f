"""Facts a policy version defines beyond the typed columns of a channel's facts model (issue 14).

A policy administrator may give a channel a new fact (type, unit, bounds, labels) and a route that
reads it, as data. Such a fact has no column: the applicant's facts step and the API collect it,
the engine's own fact check (type and bounds, `eligibility.engine.facts.make_checker`) validates
it, and it is stored in the facts row's `extra_facts` JSON. The typed columns stay for the facts
the queue and the reports query, and always win over a stored value of the same name.

Which facts are "policy facts": those of the channel in the application's policy version (the
version in force today for a draft) that are not typed facts, not derived by the engine (`derive`)
and not set from a registry (the talent programme, the industry and address registers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from eligibility.engine import FactError
from eligibility.engine.facts import make_checker
from eligibility.forms import HIDDEN_FACTS
from eligibility.models import localized
from residence.core.validators import validate_no_nul, validate_visible_text

from .models import Application

# Set by eligibility_assess from the registers and the talent-programme registry, never typed.
REGISTER_FACTS = HIDDEN_FACTS


def policy_version_for(application: Application):
    """The version the application is judged under: its own once submitted, else the one in force."""
    from eligibility.selectors import policy_version_in_force

    if application.policy_version_id is not None:
        return application.policy_version
    return policy_version_in_force()


def policy_fact_specs(application: Application, *, facts_row=None) -> dict[str, dict[str, Any]]:
    """The channel's policy facts (name -> the policy's fact definition), in the policy's order."""
    facts_row = facts_row if facts_row is not None else application.facts
    if facts_row is None:
        return {}
    channel = application.channel
    compiled = policy_version_for(application).compiled().channels.get(channel)
    if compiled is None:
        return {}
    typed = set(facts_row.typed_engine_facts())
    return {
        name: spec
        for name, spec in compiled.env.specs.items()
        if name not in typed and name not in REGISTER_FACTS and "derive" not in spec
    }


def _localized_fact_error(error: FactError) -> str:
    language = get_language() or "en"
    detail = error.message["zh" if language.startswith("zh") else "en"]
    return _("This value is not valid: %(detail)s") % {"detail": detail}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def clean_policy_facts(specs: dict[str, dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """Each given policy fact checked by the engine, as it is stored (JSON); None or "" removes it.

    Raises ValidationError keyed by fact name: an unknown fact, or one the engine refuses.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        spec = specs.get(name)
        if spec is None:
            errors[name] = [_("Unknown field.")]
            continue
        if value is None or value == "":
            cleaned[name] = None
            continue
        if isinstance(value, str):
            # PostgreSQL's JSON cannot hold a NUL character; text of invisible characters is no answer.
            try:
                validate_no_nul(value)
                validate_visible_text(value)
            except ValidationError as error:
                errors[name] = error.messages
                continue
            if len(value) > 400:
                errors[name] = [_("Enter at most 400 characters.")]
                continue
        if spec["type"] == "int" and isinstance(value, str):
            # A form or a JSON client may send digits as text; the engine wants a whole number.
            try:
                value = int(value.strip())
            except ValueError:
                errors[name] = [_("Enter a whole number.")]
                continue
        try:
            cleaned[name] = _jsonable(make_checker(name, spec)(value))
        except FactError as error:
            errors[name] = [_localized_fact_error(error)]
    if errors:
        raise ValidationError(errors)
    return cleaned


# --- the facts step's fields ---------------------------------------------------------------------

YES_NO = (("", gettext_lazy("Not answered")), ("true", gettext_lazy("Yes")), ("false", gettext_lazy("No")))


def _help(spec: dict[str, Any]) -> str:
    parts = []
    if spec.get("unit"):
        parts.append(_("Unit: %(unit)s.") % {"unit": spec["unit"]})
    low, high = spec.get("min"), spec.get("max")
    if low is not None and high is not None:
        parts.append(_("From %(low)s to %(high)s.") % {"low": low, "high": high})
    elif low is not None:
        parts.append(_("At least %(low)s.") % {"low": low})
    elif high is not None:
        parts.append(_("At most %(high)s.") % {"high": high})
    if spec["type"] == "list_int":
        parts.append(_("Whole numbers separated by commas."))
    return " ".join(parts)


def form_field(spec: dict[str, Any]) -> forms.Field:
    """A form field for one policy fact. The field only parses; the engine's check judges the value."""
    label = localized(spec.get("label")) or ""
    common = {"label": label, "required": False, "help_text": _help(spec)}
    kind = spec["type"]
    if kind == "int":
        return forms.IntegerField(**common)
    if kind == "decimal":
        return forms.DecimalField(**common)
    if kind == "date":
        from .forms import DateInput

        return forms.DateField(widget=DateInput(), **common)
    if kind == "bool":
        return forms.TypedChoiceField(
            choices=YES_NO, coerce=lambda v: v == "true", empty_value=None, **common
        )
    if kind == "enum":
        choices = spec["choices"]
        return forms.ChoiceField(
            choices=[("", _("Not answered"))]
            + [
                (code, localized(text) if isinstance(text, dict) else code)
                for code, text in _choices(choices)
            ],
            **common,
        )
    if kind == "list_int":
        return forms.CharField(max_length=400, **common)
    return forms.CharField(max_length=400, **common)


def _choices(choices: Any) -> list[tuple[str, Any]]:
    if isinstance(choices, dict):
        return list(choices.items())
    return [(code, code) for code in choices]


def form_value(spec: dict[str, Any], value: Any) -> Any:
    """A form field's cleaned value as the engine's check takes it."""
    if spec["type"] == "list_int" and isinstance(value, str) and value.strip():
        try:
            return [int(part) for part in value.replace("，", ",").split(",") if part.strip()]
        except ValueError:
            return value  # refused by the engine's check with its own message
    return value


def initial_value(spec: dict[str, Any], value: Any) -> Any:
    """A stored value as the form shows it."""
    if value is None:
        return None
    if spec["type"] == "bool":
        return "true" if value else "false"
    if spec["type"] == "list_int":
        return ", ".join(str(item) for item in value)
    return value


# --- display (the officer's case page, the applicant's summary) ----------------------------------


def display_value(spec: dict[str, Any], value: Any) -> str:
    if value is None:
        return ""
    kind = spec["type"]
    if kind == "bool":
        return str(_("Yes") if value else _("No"))
    if kind == "enum":
        text = dict(_choices(spec["choices"])).get(value)
        return localized(text) if isinstance(text, dict) else str(value)
    if kind == "list_int":
        return ", ".join(str(item) for item in value)
    unit = spec.get("unit")
    return f"{value} {unit}" if unit else str(value)


def policy_facts_rows(application: Application) -> list[dict[str, str]]:
    """The stored policy facts with their labels in the reader's language, in the policy's order."""
    facts_row = application.facts
    if facts_row is None or not facts_row.extra_facts:
        return []
    specs = policy_fact_specs(application, facts_row=facts_row)
    rows = []
    for name, value in facts_row.extra_facts.items():
        spec = specs.get(name) or {"type": "str", "label": {"en": name}}
        rows.append(
            {"name": name, "label": localized(spec.get("label")) or name, "value": display_value(spec, value)}
        )
    order = list(specs)
    rows.sort(key=lambda row: order.index(row["name"]) if row["name"] in order else len(order))
    return rows


def policy_facts_snapshot(application: Application, facts_row, *, policy_version) -> list[dict[str, Any]]:
    """The policy facts the assessment was given, for the eligibility snapshot (kept with the case:
    the label and the shown value in each language, as the policy version had them)."""
    from django.utils import translation

    stored = facts_row.extra_facts or {}
    if not stored:
        return []
    compiled = policy_version.compiled().channels.get(application.channel)
    specs = compiled.env.specs if compiled is not None else {}
    typed = set(facts_row.typed_engine_facts())
    out = []
    for name, spec in specs.items():
        if name in typed or name not in stored:
            continue
        shown = {}
        for code, language in (("en", "en"), ("zh", "zh-hans")):
            with translation.override(language):
                shown[code] = display_value(spec, stored[name])
        out.append(
            {
                "name": name,
                "label": dict(spec.get("label") or {"en": name}),
                "value": stored[name],
                "shown": shown,
            }
        )
    return out

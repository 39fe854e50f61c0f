"""Reference registers (issue 13): editions in force, look-ups, and the facts derived from them.

The applicant gives codes (an industry code of GB/T 4754, an address code of GB/T 2260); whether
the industry is encouraged or a priority one, and the region class of an address, come from the
register editions in force on the date that matters, never from the applicant. Each derived fact
carries its source (which register, which edition, from when), which the officer sees.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Register, RegisterEdition, localized

DEFAULTS_PATH = Path(__file__).parent / "policy" / "registers.yaml"

CODE_PATTERNS = {
    Register.INDUSTRIES: re.compile(r"^[A-T]\d{4}$"),
    Register.ENCOURAGED_INDUSTRIES: re.compile(r"^[A-T]\d{4}$"),
    Register.PRIORITY_INDUSTRIES: re.compile(r"^[A-T]\d{4}$"),
    Register.DIVISIONS: re.compile(r"^[1-8]\d{5}$"),
    Register.POVERTY_COUNTIES: re.compile(r"^[1-8]\d{5}$"),
}
# A list whose codes must exist in another register (the catalogues name classification codes).
CODES_FROM = {
    Register.ENCOURAGED_INDUSTRIES: Register.INDUSTRIES,
    Register.PRIORITY_INDUSTRIES: Register.INDUSTRIES,
    Register.POVERTY_COUNTIES: Register.DIVISIONS,
}
IN_FORCE = (RegisterEdition.Status.PUBLISHED, RegisterEdition.Status.RETIRED)
MAX_ENTRIES = 20000

_codes_cache: dict[tuple, dict[str, dict[str, str]]] = {}
_codes_lock = threading.Lock()


def read_defaults() -> dict[str, list[dict[str, Any]]]:
    """The shipped editions (eligibility/policy/registers.yaml), by register."""
    return yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))


def normalise_code(register: str, code: Any) -> str:
    return str(code or "").strip().upper().replace(" ", "")


# --- editions in force --------------------------------------------------------------------------


_editions_memo: ContextVar[dict | None] = ContextVar("register_editions_memo", default=None)


@contextmanager
def editions_remembered() -> Iterator[None]:
    """Within the block each (register, day) edition is read once: for a batch that derives the
    register facts of many cases (a policy comparison), not for a request that may publish one."""
    token = _editions_memo.set({})
    try:
        yield
    finally:
        _editions_memo.reset(token)


def edition_in_force(register: str, *, on: date | None = None) -> RegisterEdition | None:
    """The published edition of `register` whose effective period contains `on`; an edition that
    takes effect later is never applied early."""
    on = on or timezone.localdate()
    memo = _editions_memo.get()
    if memo is not None:
        key = (register, on)
        if key not in memo:
            memo[key] = _edition_in_force(register, on=on)
        return memo[key]
    return _edition_in_force(register, on=on)


def _edition_in_force(register: str, *, on: date) -> RegisterEdition | None:
    query = RegisterEdition.objects.filter(
        register=register, status__in=IN_FORCE, effective_from__lte=on
    ).filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
    edition = query.order_by("-effective_from", "-id").first()
    if (
        edition is None
        and not RegisterEdition.objects.filter(register=register, status__in=IN_FORCE).exists()
    ):
        # A database emptied after migrating (a flushed test database) has no register at all; the
        # shipped editions are what a fresh installation has, as for the default policy.
        from .services import registers_install_default

        registers_install_default()
        return query.order_by("-effective_from", "-id").first()
    return edition


def edition_codes(edition: RegisterEdition) -> dict[str, dict[str, str]]:
    """{code: names} of an edition, cached per (id, revision) in this process."""
    key = (edition.pk, edition.revision, edition.created_at)
    with _codes_lock:
        found = _codes_cache.get(key)
    if found is None:
        found = edition.codes()
        with _codes_lock:
            if len(_codes_cache) > 64:
                _codes_cache.clear()
            _codes_cache[key] = found
    return found


def source_of(edition: RegisterEdition | None) -> dict[str, Any]:
    """What the officer reads as a fact's source: register, edition, effective date."""
    if edition is None:
        return {"source": "register", "register": None, "edition": None}
    return {
        "source": "register",
        "register": edition.register,
        "edition": edition.label,
        "edition_id": edition.pk,
        "effective_from": edition.effective_from.isoformat() if edition.effective_from else None,
    }


# --- entries: parsing and checking --------------------------------------------------------------


def parse_entries_text(text: str) -> list[dict[str, str]]:
    """Lines of "code | English name | Chinese name" (a tab works too); errors name the line."""
    entries = []
    errors = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in re.split(r"\t|\|", line)]
        if len(parts) != 3 or not all(parts):
            errors.append(
                _("Line %(n)s: write the code, the English name and the Chinese name, separated by |.")
                % {"n": number}
            )
            continue
        entries.append({"code": parts[0], "en": parts[1], "zh": parts[2]})
    if errors:
        raise ValidationError({"entries": errors[:20]})
    return entries


def entries_text(entries: list[dict[str, str]]) -> str:
    return "\n".join(f"{e['code']} | {e['en']} | {e['zh']}" for e in entries)


def check_entries(
    register: str, entries: list[dict[str, str]], *, on: date | None = None
) -> list[dict[str, str]]:
    """The entries normalised and sorted by code, or a ValidationError listing every bad one."""
    pattern = CODE_PATTERNS[register]
    errors: list[str] = []
    seen: dict[str, dict[str, str]] = {}
    if len(entries) > MAX_ENTRIES:
        raise ValidationError({"entries": [_("At most %(n)s entries.") % {"n": MAX_ENTRIES}]})
    parent = None
    if register in CODES_FROM:
        parent_edition = edition_in_force(CODES_FROM[register], on=on)
        parent = edition_codes(parent_edition) if parent_edition else {}
    for entry in entries:
        code = normalise_code(register, entry.get("code"))
        en, zh = str(entry.get("en") or "").strip(), str(entry.get("zh") or "").strip()
        if not pattern.match(code):
            errors.append(_("%(code)s is not a code of this register.") % {"code": code or "?"})
        elif code in seen:
            errors.append(_("%(code)s is listed twice.") % {"code": code})
        elif not en or not zh or len(en) > 200 or len(zh) > 200:
            errors.append(
                _("%(code)s needs an English and a Chinese name (200 characters at most).") % {"code": code}
            )
        elif parent is not None and code not in parent:
            errors.append(
                _("%(code)s is not in the %(register)s in force.")
                % {"code": code, "register": Register(CODES_FROM[register]).label}
            )
        elif register == Register.POVERTY_COUNTIES and code.endswith("00"):
            errors.append(_("%(code)s is not a county: county codes do not end in 00.") % {"code": code})
        else:
            seen[code] = {"code": code, "en": en, "zh": zh}
    if errors:
        raise ValidationError({"entries": errors[:20]})
    if not seen:
        raise ValidationError({"entries": [_("An edition needs at least one entry.")]})
    return [seen[code] for code in sorted(seen)]


# --- derived facts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndustryFacts:
    code: str
    name: dict[str, str]
    encouraged: bool
    priority: bool
    sources: dict[str, dict[str, Any]]


def industry_facts(code: str, *, on: date) -> IndustryFacts:
    """Whether `code` is encouraged / a priority industry on `on`; an unknown code is a ValidationError."""
    given, code = str(code or "").strip(), normalise_code(Register.INDUSTRIES, code)
    classification = edition_in_force(Register.INDUSTRIES, on=on)
    names = edition_codes(classification) if classification else {}
    if code not in names:
        raise ValidationError(unknown_industry_message(given))
    encouraged_edition = edition_in_force(Register.ENCOURAGED_INDUSTRIES, on=on)
    priority_edition = edition_in_force(Register.PRIORITY_INDUSTRIES, on=on)
    return IndustryFacts(
        code=code,
        name=names[code],
        encouraged=bool(encouraged_edition) and code in edition_codes(encouraged_edition),
        priority=bool(priority_edition) and code in edition_codes(priority_edition),
        sources={
            "industry_code": source_of(classification),
            "encouraged_industry": source_of(encouraged_edition),
            "priority_industry": source_of(priority_edition),
        },
    )


def unknown_industry_message(code: str) -> str:
    return _(
        "%(code)s is not an industry code of the national classification (GB/T 4754) in force: "
        "give the letter and four digits of the class, for example C3973."
    ) % {"code": code or "?"}


def unknown_address_message(code: str) -> str:
    return _(
        "%(code)s is not an administrative division code (GB/T 2260) in force: give the six digits "
        "of the county or city, for example 440106."
    ) % {"code": code or "?"}


@dataclass(frozen=True)
class AddressFacts:
    code: str
    name: dict[str, str]
    province: str
    region_class: str | None
    sources: dict[str, dict[str, Any]]


def address_facts(code: str, *, on: date, region_table: dict[str, Any]) -> AddressFacts:
    """The region class of an address: a key poverty-alleviation county in the list in force, else
    the class of its province in the policy's `region_class` table. Unknown codes are refused."""
    from residence.regions import PROVINCES

    code = str(code or "").strip()
    divisions = edition_in_force(Register.DIVISIONS, on=on)
    names = edition_codes(divisions) if divisions else {}
    if code not in names:
        raise ValidationError(unknown_address_message(code))
    province = next((p.code for p in PROVINCES if p.gb_prefix == code[:2]), "")
    poverty_edition = edition_in_force(Register.POVERTY_COUNTIES, on=on)
    sources = {"address_code": source_of(divisions)}
    if poverty_edition is not None and code in edition_codes(poverty_edition):
        region_class = "poverty_county"
        sources["region_class"] = source_of(poverty_edition)
    else:
        region_class = (region_table.get("values") or {}).get(province)
        sources["region_class"] = {"source": "policy", "table": "region_class", "province": province}
    return AddressFacts(
        code=code, name=names[code], province=province, region_class=region_class, sources=sources
    )


def code_name(register: str, code: str, *, on: date | None = None) -> str:
    edition = edition_in_force(register, on=on)
    entry = edition_codes(edition).get(code) if edition else None
    return localized(entry) if entry else ""


def validate_industry_code(value: str) -> None:
    """Field validator: the code is in the classification in force today."""
    if not value:
        return
    edition = edition_in_force(Register.INDUSTRIES)
    if edition is None or normalise_code(Register.INDUSTRIES, value) not in edition_codes(edition):
        raise ValidationError(unknown_industry_message(value), code="unknown_industry")


def validate_address_code(value: str) -> None:
    """Field validator: the code is in the administrative divisions in force today."""
    if not value:
        return
    edition = edition_in_force(Register.DIVISIONS)
    if edition is None or value.strip() not in edition_codes(edition):
        raise ValidationError(unknown_address_message(value), code="unknown_address")


# --- what the officer reads: each fact with its source --------------------------------------------


def fact_label(name: str) -> str:
    return {
        "industry_code": _("Industry code (GB/T 4754)"),
        "enterprise_address_code": _("Enterprise's address code (GB/T 2260)"),
        "encouraged_industry": _("In the encouraged-industry catalogue"),
        "priority_industry": _("In the priority-industry list"),
        "region_class": _("Region class"),
    }.get(name, name)


def _shown_value(name: str, source: dict[str, Any]) -> str:
    value = source.get("value")
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name == "region_class":
        return {
            "eastern": _("Eastern region"),
            "central": _("Central region"),
            "western": _("Western region"),
            "poverty_county": _("Key poverty-alleviation county"),
            None: _("Not known"),
        }.get(value, str(value))
    if source.get("name"):
        return f"{value} {localized(source['name'])}"
    return "" if value is None else str(value)


def source_text(source: dict[str, Any], *, policy_label: str = "") -> str:
    kind = source.get("source")
    if kind == "declared":
        return _("Declared by the applicant")
    if kind == "register":
        if not source.get("edition"):
            return _("No edition of the register was in force")
        return _("%(register)s, edition %(edition)s (in force from %(date)s)") % {
            "register": Register(source["register"]).label,
            "edition": source["edition"],
            "date": source.get("effective_from") or "—",
        }
    if kind == "policy":
        return _("Region table of policy version %(label)s (province %(province)s)") % {
            "label": policy_label or "—",
            "province": source.get("province") or "—",
        }
    if kind == "agency":
        return _("%(agency)s, checked %(when)s") % {
            "agency": source.get("agency_name") or source.get("agency") or "—",
            "when": source.get("when") or "—",
        }
    if kind == "not_given":
        return _("No code given: taken as not met")
    return str(kind or "—")


def fact_source_rows(snapshot: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(fact, value, source) for the register-derived facts of a stored assessment."""
    if not snapshot:
        return []
    label = snapshot.get("policy_version_label") or ""
    return [
        (fact_label(name), _shown_value(name, source), source_text(source, policy_label=label))
        for name, source in (snapshot.get("fact_sources") or {}).items()
    ]

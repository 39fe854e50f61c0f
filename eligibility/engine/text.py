"""Formatting of values and bilingual sentences for explanations and suggestions."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

# How a unit reads around a number in each language; other units are appended as given.
_UNITS: dict[str, tuple[str, str]] = {
    "CNY": ("CNY {n}", "人民币{n}元"),
    "USD": ("USD {n}", "{n}美元"),
    "days": ("{n} days", "{n}天"),
    "years": ("{n} years", "{n}年"),
}


def number(value: Any) -> str:
    """Thousands separators; decimals only when the value has a fraction."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()):
        return f"{int(value):,}"
    return f"{Decimal(value):,.2f}"


def _truncated(value: Decimal, places: str) -> str:
    # Rounded down, so a value just under a threshold never reads as the threshold itself.
    shown = format(Decimal(value).quantize(Decimal(places), rounding=ROUND_DOWN), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def multiple(value: Decimal) -> str:
    return _truncated(value, "0.01")


def percent(value: Decimal) -> str:
    return _truncated(value * 100, "0.1") + "%"


def with_unit(value: Any, unit: str | None) -> tuple[str, str]:
    """The value with its unit, as (en, zh)."""
    shown = number(value)
    if unit is None:
        return shown, shown
    en, zh = _UNITS.get(unit, ("{n} " + unit, "{n}" + unit))
    return en.format(n=shown), zh.format(n=shown)


def fact_value(value: Any, spec: dict[str, Any] | None) -> tuple[str, str]:
    """A fact value as an applicant reads it, as (en, zh)."""
    if value is None:
        return "not provided", "未提供"
    if isinstance(value, bool):
        return ("yes", "是") if value else ("no", "否")
    if isinstance(value, date):
        iso = value.isoformat()
        return iso, iso
    if isinstance(value, (list, tuple)):
        shown = ", ".join(str(item) for item in value)
        return f"[{shown}]", f"[{shown}]"
    if spec is not None and spec.get("type") == "enum":
        label = spec["choices"].get(value)
        if label is not None:
            return label["en"], label["zh"]
    if isinstance(value, (int, Decimal)):
        return with_unit(value, spec.get("unit") if spec else None)
    return str(value), str(value)


def basis(legal_basis: dict[str, str] | None) -> tuple[str, str]:
    """The ' Basis: …' suffix of an explanation, empty when the rule cites nothing."""
    if not legal_basis:
        return "", ""
    return f" Basis: {legal_basis['en']}.", f"依据：{legal_basis['zh']}。"


def sentence(en: str, zh: str, legal_basis: dict[str, str] | None = None) -> dict[str, str]:
    basis_en, basis_zh = basis(legal_basis)
    return {"en": en + basis_en, "zh": zh + basis_zh}

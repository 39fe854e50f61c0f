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
_SINGULAR = {"days": "{n} day", "years": "{n} year"}


# What a code used as a fact or a table key is called (e.g. "CN-GD" -> Guangdong), as (en, zh).
# The engine has no Django: the eligibility app registers the provinces when it starts.
_NAMES: dict[str, tuple[str, str]] = {}


def register_names(names: dict[str, tuple[str, str]]) -> None:
    _NAMES.update(names)


def key_name(key: Any) -> tuple[str, str]:
    """A table key or code fact as a person reads it, as (en, zh); unknown codes as they are."""
    return _NAMES.get(key, (str(key), str(key)))


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


def band(low: Any, high: Any, shown, bare=None) -> tuple[str, str]:
    """A points band [low, high) in words, each end through `shown(value) -> (en, zh)`.

    "20 % or more", "2 to under 4 times" (the low end through `bare`, without its unit, in
    English), "under 10 %"; an open or zero low end is left out.
    """
    has_low = low is not None and low != 0
    if high is None:
        if low is None:
            return "any value", "任意值"
        low_en, low_zh = shown(low)
        return f"{low_en} or more", f"{low_zh}及以上"
    high_en, high_zh = shown(high)
    if not has_low:
        return f"under {high_en}", f"不足{high_zh}"
    low_en, low_zh = shown(low)
    if bare is not None:
        low_en = bare(low)
    return f"{low_en} to under {high_en}", f"{low_zh}以上、不足{high_zh}"


def with_unit(value: Any, unit: str | None) -> tuple[str, str]:
    """The value with its unit, as (en, zh)."""
    shown = number(value)
    if unit is None:
        return shown, shown
    en, zh = _UNITS.get(unit, ("{n} " + unit, "{n}" + unit))
    if shown == "1" and unit in _SINGULAR:
        en = _SINGULAR[unit]
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
    return key_name(value)


def basis(legal_basis: dict[str, str] | None) -> tuple[str, str]:
    """The ' Basis: …' suffix of an explanation, empty when the rule cites nothing."""
    if not legal_basis:
        return "", ""
    return f" Basis: {legal_basis['en']}.", f"依据：{legal_basis['zh']}。"


def sentence(en: str, zh: str, legal_basis: dict[str, str] | None = None) -> dict[str, str]:
    basis_en, basis_zh = basis(legal_basis)
    return {"en": en + basis_en, "zh": zh + basis_zh}

"""Type checks for the facts given to evaluate(), built once per policy from its fact schema."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import FactError

FACT_TYPES = ("int", "decimal", "bool", "date", "str", "enum", "list_int")
NUMERIC_TYPES = ("int", "decimal")

Checker = Callable[[Any], Any]


def _fail(name: str, expected_en: str, expected_zh: str, value: Any) -> FactError:
    got = f"{type(value).__name__} {value!r}"
    return FactError(
        fact=name,
        message_en=f"expected {expected_en}, got {got}",
        message_zh=f"应为{expected_zh}，实际为 {got}",
    )


def _bounds(name: str, spec: dict[str, Any], value: Any) -> None:
    low, high = spec.get("min"), spec.get("max")
    if (low is not None and value < low) or (high is not None and value > high):
        raise FactError(
            fact=name,
            message_en=f"{value!r} is outside the allowed range {low}..{high}",
            message_zh=f"{value!r} 超出允许范围 {low}..{high}",
        )


def make_checker(name: str, spec: dict[str, Any]) -> Checker:
    """A function that returns the value normalised for comparison, or raises FactError."""
    kind = spec["type"]
    bounded = "min" in spec or "max" in spec

    if kind == "int":

        def check_int(value: Any) -> int:
            if type(value) is not int:
                raise _fail(name, "an integer", "整数", value)
            if bounded:
                _bounds(name, spec, value)
            return value

        return check_int

    if kind == "decimal":

        def check_decimal(value: Any) -> Decimal | int:
            kind_of = type(value)
            if kind_of is not Decimal and kind_of is not int:
                # Money arrives as Decimal from the models and as text or float from JSON snapshots;
                # going through str() keeps 0.1 as 0.1 instead of its binary approximation.
                if kind_of is not float and kind_of is not str:
                    raise _fail(name, "a decimal number", "十进制数", value)
                try:
                    value = Decimal(str(value))
                except InvalidOperation:
                    raise _fail(name, "a decimal number", "十进制数", value) from None
            if type(value) is Decimal and not value.is_finite():
                raise _fail(name, "a finite decimal number", "有限的十进制数", value)
            if bounded:
                _bounds(name, spec, value)
            return value

        return check_decimal

    if kind == "bool":

        def check_bool(value: Any) -> bool:
            if type(value) is not bool:
                raise _fail(name, "true or false", "是或否（布尔值）", value)
            return value

        return check_bool

    if kind == "date":

        def check_date(value: Any) -> date:
            if type(value) is date:
                return value
            # A datetime cannot be compared with dates, so it is refused rather than truncated;
            # ISO text is accepted because JSON snapshots store dates that way.
            if isinstance(value, str):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            raise _fail(name, "a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）", value)

        return check_date

    if kind == "str":

        def check_str(value: Any) -> str:
            if not isinstance(value, str):
                raise _fail(name, "text", "文本", value)
            return value

        return check_str

    if kind == "enum":
        choices = tuple(spec["choices"])
        shown = ", ".join(choices)

        def check_enum(value: Any) -> str:
            if value not in choices or not isinstance(value, str):
                raise _fail(name, f"one of {shown}", f"以下之一：{shown}", value)
            return value

        return check_enum

    if kind == "list_int":

        def check_list(value: Any) -> tuple[int, ...]:
            if not isinstance(value, (list, tuple)) or any(type(item) is not int for item in value):
                raise _fail(name, "a list of integers", "整数列表", value)
            if bounded:
                for item in value:
                    _bounds(name, spec, item)
            return tuple(value)

        return check_list

    raise ValueError(f"unknown fact type {kind!r}")  # validate_policy rejects this first


def make_deriver(spec: dict[str, Any]) -> Callable[[dict[str, Any]], Any]:
    """A derived fact over a days-per-year fact (most recent year first): last year, or an
    average, minimum, maximum or total over the most recent N years; None while fewer are known.
    """
    source, aggregate, years = (
        spec["derive"]["from"],
        spec["derive"]["aggregate"],
        spec["derive"].get("years", 1),
    )
    whole = spec["type"] == "int"

    def derive(cleaned: dict[str, Any]) -> Any:
        rows = cleaned.get(source)
        if rows is None:
            return None
        if aggregate == "last":
            return rows[0] if rows else None
        if len(rows) < years:
            return None
        window = rows[:years]
        if aggregate == "minimum":
            return min(window)
        if aggregate == "maximum":
            return max(window)
        if aggregate == "total":
            return sum(window)
        # An average of days is rounded down for a whole-number fact: it never claims a day more.
        return sum(window) // years if whole else Decimal(sum(window)) / years

    return derive


def make_fact_cleaner(channel: str, specs: dict[str, dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    """A function that checks every given fact and returns them normalised; None means not provided."""
    checkers = {name: make_checker(name, spec) for name, spec in specs.items() if "derive" not in spec}
    derived = tuple((name, make_deriver(spec)) for name, spec in specs.items() if "derive" in spec)
    known = ", ".join(sorted(checkers))

    def clean(facts: Any) -> dict[str, Any]:
        cleaned = {}
        for name, value in facts.items():
            checker = checkers.get(name)
            if checker is None:
                if value is None and name in specs:
                    continue  # a derived fact echoed back empty, e.g. from a stored snapshot
                raise FactError(
                    fact=name,
                    message_en=f"is not a fact of channel '{channel}' (known: {known})",
                    message_zh=f"不是申请类别“{channel}”的事实项（已知：{known}）",
                )
            if value is not None:
                cleaned[name] = checker(value)
        for name, derive in derived:
            value = derive(cleaned)
            if value is not None:
                cleaned[name] = value
        return cleaned

    return clean

"""Reference tables (e.g. local average wage by province and year) compiled for fast look-up."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def as_decimal(value: Any) -> Decimal | int:
    """YAML numbers as exact values: ints stay ints, floats go through their shortest text form."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return value
    return Decimal(str(value))


class ReferenceTable:
    """A published figure per key (e.g. province code), optionally per year."""

    __slots__ = ("name", "label", "unit", "by_year", "value_labels", "past_last_year", "_values", "_memo")

    def __init__(self, name: str, doc: dict[str, Any]) -> None:
        self.name = name
        self.label: dict[str, str] = doc["label"]
        self.unit: str | None = doc.get("unit")
        self.by_year: bool = bool(doc.get("by_year", False))
        # Tables of codes (e.g. region classes) name each code in both languages.
        self.value_labels: dict[str, dict[str, str]] = doc.get("value_labels", {})
        # Past a key's last published year: use the latest figure and say so, or leave it to an officer.
        self.past_last_year: str = doc.get("past_last_year", "latest_with_warning")
        if self.by_year:
            self._values = {
                key: sorted((int(year), as_decimal(amount)) for year, amount in by_year.items())
                for key, by_year in doc["values"].items()
            }
        else:
            self._values = dict(doc["values"])
        self._memo: dict[tuple[Any, int], tuple[int, Any] | None] = {}

    def lookup(self, key: Any, year: int) -> tuple[int, Any] | None:
        """The figure for `year`, or the latest earlier one when `year` is not yet published.

        Statistics bureaux publish a year's average wage months into the next year, so the
        "prior year" figure is often missing early in the year; the latest one is then used.
        """
        memo_key = (key, year)
        try:
            return self._memo[memo_key]
        except KeyError:
            pass
        found = None
        rows = self._values.get(key, ())
        for figure_year, amount in rows:
            if figure_year <= year:
                found = (figure_year, amount)
        if found is not None and self.past_last_year == "needs_judgement" and found[0] < year:
            found = None
        self._memo[memo_key] = found
        return found

    def stale(self, key: Any, year: int) -> int | None:
        """The figure's year when `year` is past the key's last published one (a stale figure), else None."""
        rows = self._values.get(key, ())
        if not rows or rows[-1][0] >= year:
            return None
        return rows[-1][0]

    def get(self, key: Any) -> Any:
        """The figure for a key of a table without years (e.g. a province's region class)."""
        return self._values.get(key)

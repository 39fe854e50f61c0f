"""Horizontal bar charts drawn on the server as SVG: readable without JavaScript, printable, and
always followed on the page by the same numbers as a table (the chart itself is one image with a
title for screen readers). Hidden cells get no bar, only their words."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .tables import SMALL, TOTAL, Table

# Positions in per cent of the chart's width and heights in pixels, so that the chart fills a phone
# or a desktop column with its text at the page's size (a scaled drawing shrinks its text).
LABEL_END = 38  # labels end here, right-aligned
BAR_START = 40
BAR_AREA = 44  # the longest bar; its number follows it
ROW_HEIGHT = 28


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    width: float
    value_x: float
    text: str


def hidden_text(mark: str, limit: int) -> str:
    if mark == SMALL:
        return _("fewer than %(limit)s") % {"limit": limit}
    return _("withheld")


def bar_chart(table: Table, column: Hashable = TOTAL, *, limit: int, rows=None) -> dict:
    """The geometry of one bar per row of ``table`` for ``column`` (the row totals by default)."""
    rows = rows if rows is not None else table.rows
    shown = [table.display(key, column) for key, _label in rows]
    largest = max((value for kind, value in shown if kind == "count"), default=0) or 1
    bars = []
    for index, ((_key, label), (kind, value)) in enumerate(zip(rows, shown, strict=True)):
        width = BAR_AREA * value / largest if kind == "count" else 0
        y = 8 + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                y=y,
                text_y=y + 15,
                width=round(width, 2),
                value_x=round(BAR_START + width + 1, 2),
                text=f"{value:,}" if kind == "count" else hidden_text(kind, limit),
            )
        )
    return {
        "bars": bars,
        "height": 16 + len(bars) * ROW_HEIGHT,
        "label_end": LABEL_END,
        "bar_start": BAR_START,
    }


def table_rows(table: Table, *, limit: int) -> dict:
    """The table as the page prints it: header, body rows and the totals row, each cell a text."""

    def text(row, column) -> str:
        kind, value = table.display(row, column)
        return f"{value:,}" if kind == "count" else hidden_text(kind, limit)

    columns = [key for key, _label in table.columns] + ([TOTAL] if table.row_totals else [])
    header = [label for _key, label in table.columns] + ([_("Total")] if table.row_totals else [])
    body = [(label, [text(key, column) for column in columns]) for key, label in table.rows]
    totals = [text(TOTAL, column) for column in columns] if table.column_totals else None
    return {"header": header, "body": body, "totals": totals}

"""Count tables with small-cell suppression, so that no person can be singled out (R13, R24).

A count above zero and under the threshold is *small*: it is shown as "fewer than N". A table that
prints totals would still give a small cell away by subtraction (the row total minus the cells
shown), so in every line (a row or a column) with a shown total and exactly one hidden cell, one
more cell is *withheld*: the smallest other cell above zero, or the total itself when there is
none. This repeats until no line gives a hidden cell away. Tables that share a total (the cities of
a province and the province's own count) are suppressed together: ``suppress`` takes the cells a
related table already hides (a total hidden that way gets one of its members withheld too, or the
members would add up to it). Cells linked by a sum within a row (``Table.linked``) are kept the
same way: never exactly one of them hidden.

Pure functions of counts: no database, no request, easy to test with known answers.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

TOTAL = "__total__"
SMALL = "small"
WITHHELD = "withheld"


@dataclass
class Table:
    """Counts by (row, column), with the totals of the lines the page prints."""

    rows: list[tuple[Hashable, str]]
    columns: list[tuple[Hashable, str]]
    counts: dict[tuple[Hashable, Hashable], int]
    row_totals: bool = False
    column_totals: bool = False
    hidden: dict[tuple[Hashable, Hashable], str] = field(default_factory=dict)
    # Groups of cells any one of which follows from the others (a + b = c printed in one row):
    # like a line, a group never hides exactly one of its cells.
    linked: list[list[tuple[Hashable, Hashable]]] = field(default_factory=list)

    def value(self, row: Hashable, column: Hashable) -> int:
        if row == TOTAL and column == TOTAL:
            return sum(self.counts.get((r, c), 0) for r, _ in self.rows for c, _ in self.columns)
        if row == TOTAL:
            return sum(self.counts.get((r, column), 0) for r, _ in self.rows)
        if column == TOTAL:
            return sum(self.counts.get((row, c), 0) for c, _ in self.columns)
        return self.counts.get((row, column), 0)

    def lines(self) -> list[tuple[list[tuple[Hashable, Hashable]], tuple[Hashable, Hashable]]]:
        """Each printed line with a total: (its cells, its total cell)."""
        row_keys = [r for r, _ in self.rows]
        column_keys = [c for c, _ in self.columns]
        lines = []
        if self.row_totals:
            lines += [([(r, c) for c in column_keys], (r, TOTAL)) for r in row_keys]
        if self.column_totals:
            lines += [([(r, c) for r in row_keys], (TOTAL, c)) for c in column_keys]
        if self.row_totals and self.column_totals:
            lines.append(([(TOTAL, c) for c in column_keys], (TOTAL, TOTAL)))
            lines.append(([(r, TOTAL) for r in row_keys], (TOTAL, TOTAL)))
        return lines

    def cells(self) -> Iterable[tuple[Hashable, Hashable]]:
        row_keys = [r for r, _ in self.rows] + ([TOTAL] if self.column_totals else [])
        column_keys = [c for c, _ in self.columns] + ([TOTAL] if self.row_totals else [])
        for r in row_keys:
            for c in column_keys:
                yield r, c

    def display(self, row: Hashable, column: Hashable) -> tuple[str, int | None]:
        """(how the cell is shown, its value when shown): ("count", 12), ("small", None)..."""
        mark = self.hidden.get((row, column))
        if mark:
            return mark, None
        return "count", self.value(row, column)


def suppress(table: Table, threshold: int, *, already: dict | None = None) -> Table:
    """Mark the table's small cells and the cells withheld to protect them; returns the table."""
    hidden: dict[tuple[Hashable, Hashable], str] = dict(already or {})
    if threshold > 1:
        for cell in table.cells():
            value = table.value(*cell)
            if 0 < value < threshold and cell not in hidden:
                hidden[cell] = SMALL
    changed = True
    while changed:
        changed = False
        for members, total in [*table.lines(), *((group, None) for group in table.linked)]:
            hidden_members = [cell for cell in members if cell in hidden]
            if total is not None and total in hidden:
                # A total hidden for a related table is given away by its members all shown.
                shown = sorted(
                    (table.value(*cell), index, cell)
                    for index, cell in enumerate(members)
                    if cell not in hidden and table.value(*cell) > 0
                )
                if not hidden_members and shown:
                    hidden[shown[0][2]] = WITHHELD
                    changed = True
                continue
            if len(hidden_members) != 1:
                continue
            candidates = sorted(
                (table.value(*cell), index, cell)
                for index, cell in enumerate(members)
                if cell not in hidden and table.value(*cell) > 0
            )
            if candidates:
                victim = candidates[0][2]
            elif total is not None:
                victim = total
            else:
                # The others are all zero, which gives the hidden cell away as well: hide one more.
                rest = [cell for cell in members if cell not in hidden]
                if not rest:
                    continue
                victim = rest[0]
            hidden[victim] = WITHHELD
            changed = True
    table.hidden = hidden
    return table

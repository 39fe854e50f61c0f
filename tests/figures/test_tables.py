"""Small cells are hidden, and no hidden cell can be worked out from the totals printed beside it."""

from __future__ import annotations

import itertools

from figures.tables import SMALL, TOTAL, WITHHELD, Table, suppress


def table(counts: dict, *, rows, columns, row_totals=True, column_totals=True) -> Table:
    return Table(
        rows=[(r, str(r)) for r in rows],
        columns=[(c, str(c)) for c in columns],
        counts=counts,
        row_totals=row_totals,
        column_totals=column_totals,
    )


def solvable(t: Table) -> list:
    """Every hidden cell that one printed line gives away: its total shown and all else shown."""
    found = []
    for members, total in t.lines():
        hidden = [cell for cell in members if cell in t.hidden]
        if total not in t.hidden and len(hidden) == 1:
            found.append(hidden[0])
    return found


def test_a_count_under_the_threshold_is_small_and_zero_and_larger_counts_are_shown():
    t = suppress(
        table(
            {("a", "x"): 0, ("a", "y"): 9, ("b", "x"): 10, ("b", "y"): 40},
            rows="ab",
            columns="xy",
            row_totals=False,
            column_totals=False,
        ),
        10,
    )
    assert t.display("a", "x") == ("count", 0)
    assert t.display("a", "y") == (SMALL, None)
    assert t.display("b", "x") == ("count", 10)


def test_one_small_cell_in_a_line_with_a_total_takes_the_smallest_other_cell_with_it():
    # Row a: 3 + 50 + 20 = 73. Hiding 3 alone would leave 73 - 50 - 20 = 3.
    t = suppress(
        table({("a", "x"): 3, ("a", "y"): 50, ("a", "z"): 20}, rows="a", columns="xyz", column_totals=False),
        10,
    )
    assert t.hidden == {("a", "x"): SMALL, ("a", "z"): WITHHELD}
    assert t.display("a", TOTAL) == ("count", 73)
    assert not solvable(t)


def test_when_nothing_else_can_be_hidden_the_total_is_withheld():
    # Row a: 7 + 0 = 7, and 7 is small under 10; under a threshold of 5 it is shown, and so is the total.
    t = suppress(table({("a", "x"): 7, ("a", "y"): 0}, rows="a", columns="xy", column_totals=False), 5)
    assert t.hidden == {}
    # A table whose only other cell is 0: hiding 3 needs the total withheld too.
    t = suppress(
        table({("a", "x"): 3, ("a", "y"): 0, ("b", "x"): 0, ("b", "y"): 20}, rows="ab", columns="xy"), 10
    )
    assert t.hidden[("a", "x")] == SMALL
    assert not solvable(t)


def test_secondary_suppression_settles_across_rows_and_columns():
    counts = {
        ("a", "x"): 2,
        ("a", "y"): 30,
        ("a", "z"): 40,
        ("b", "x"): 25,
        ("b", "y"): 35,
        ("b", "z"): 45,
        ("c", "x"): 50,
        ("c", "y"): 60,
        ("c", "z"): 70,
    }
    t = suppress(table(counts, rows="abc", columns="xyz"), 10)
    assert t.hidden[("a", "x")] == SMALL
    assert not solvable(t)
    # Column x now has a second hidden cell, and row a too: nothing is given away.
    assert sum(1 for cell in t.hidden if cell[1] == "x") >= 2


def test_random_tables_never_leave_a_hidden_cell_solvable():
    import random

    rng = random.Random(2026)
    for _ in range(300):
        rows, columns = "abcd"[: rng.randint(1, 4)], "wxyz"[: rng.randint(1, 4)]
        counts = {cell: rng.choice([0, 1, 3, 8, 12, 40, 200]) for cell in itertools.product(rows, columns)}
        t = suppress(
            table(
                counts,
                rows=rows,
                columns=columns,
                row_totals=rng.random() < 0.7,
                column_totals=rng.random() < 0.7,
            ),
            10,
        )
        assert not solvable(t), (counts, t.hidden)
        for cell in t.cells():
            value = t.value(*cell)
            if 0 < value < 10:
                assert cell in t.hidden


def test_cells_a_related_table_hides_stay_hidden_and_are_protected():
    t = suppress(
        table({("p", "n"): 40, ("q", "n"): 50, ("r", "n"): 60}, rows="pqr", columns="n", row_totals=False),
        10,
        already={("q", "n"): WITHHELD},
    )
    assert t.hidden[("q", "n")] == WITHHELD
    assert t.hidden[("p", "n")] == WITHHELD  # the smallest other province, or 150 - 40 - 60 = 50
    assert not solvable(t)


def test_cells_linked_by_a_sum_in_a_row_never_hide_alone():
    # eligible under B = eligible under A - moved out + moved in: 40 = 45 - 8 + 3.
    cells = {("r", "a"): 45, ("r", "b"): 40, ("r", "out"): 8, ("r", "in"): 3}
    t = Table(
        rows=[("r", "r")],
        columns=[(c, c) for c in ("a", "b", "out", "in")],
        counts=cells,
        linked=[[("r", "a"), ("r", "b"), ("r", "out"), ("r", "in")]],
    )
    suppress(t, 10)
    # Both small cells hidden: two hidden in the group, nothing more needed.
    assert t.hidden == {("r", "out"): SMALL, ("r", "in"): SMALL}
    t = Table(
        rows=[("r", "r")],
        columns=[(c, c) for c in ("a", "b", "out", "in")],
        counts=cells | {("r", "in"): 13, ("r", "b"): 50},
        linked=[[("r", "a"), ("r", "b"), ("r", "out"), ("r", "in")]],
    )
    suppress(t, 10)
    # 8 alone would follow from 45 + 13 - 50: the smallest other (13) is withheld with it.
    assert t.hidden == {("r", "out"): SMALL, ("r", "in"): WITHHELD}


def test_a_total_hidden_for_a_related_table_is_not_given_away_by_its_members():
    t = table({("a", "x"): 30, ("b", "x"): 0}, rows="ab", columns="x", row_totals=False)
    suppress(t, 10, already={(TOTAL, "x"): WITHHELD})
    # 30 + 0 would print the hidden total: the only member above zero is withheld as well.
    assert t.hidden == {(TOTAL, "x"): WITHHELD, ("a", "x"): WITHHELD}

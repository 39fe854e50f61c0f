"""Points criteria (R8): one fact or derived value mapped through brackets to points."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from . import text
from .changes import AT_LEAST, MORE_RESIDENCE, SET, WAIT, Change
from .conditions import ChannelEnv, ceil_amount, consecutive_count, threshold_for
from .dates import anniversary, latest_start_for, whole_years
from .reference import as_decimal
from .schema import duration_days

DERIVATIONS = (
    "fact",
    "multiple_of_reference",
    "ratio",
    "years_since",
    "consecutive_years",
    "reference_lookup",
)
# The fact types each derivation reads as its main fact.
DERIVATION_FACT_TYPES: dict[str, tuple[str, ...]] = {
    "fact": ("int", "decimal", "bool", "enum"),
    "multiple_of_reference": ("int", "decimal"),
    "ratio": ("int", "decimal"),
    "years_since": ("date",),
    "consecutive_years": ("list_int",),
    "reference_lookup": ("str", "enum"),
}


class Criterion:
    """One line of the points table, e.g. 'education: doctorate 15 points'."""

    __slots__ = (
        "id",
        "label",
        "legal_basis",
        "derive",
        "fact",
        "facts",
        "params",
        "value",
        "points_for",
        "max_points",
        "numeric",
        "bands",
    )

    def __init__(self, doc: dict[str, Any], env: ChannelEnv) -> None:
        if "min_stay" in doc:
            doc = {**doc, "min_days": duration_days(doc["min_stay"])}
        self.id: str = doc["id"]
        self.label: dict[str, str] = doc["label"]
        self.legal_basis: dict[str, str] | None = doc.get("legal_basis")
        self.derive: str = doc.get("derive", "fact")
        self.params = doc
        self.fact: str = doc["fact"] if self.derive != "reference_lookup" else doc["key_fact"]
        others = [doc[key] for key in ("of", "key_fact") if key in doc and doc[key] != self.fact]
        self.facts: tuple[str, ...] = (self.fact, *others)
        self.value: Callable[[dict[str, Any], date], Any] = _DERIVERS[self.derive](doc, env)
        brackets = doc["brackets"] if "scale" not in doc else scale_brackets(doc["scale"])
        if "cap" in doc:
            # A line's cap is applied to its brackets once, so scoring stays one look-up.
            brackets = [{**bracket, "points": min(bracket["points"], doc["cap"])} for bracket in brackets]
        self.numeric = "equals" not in brackets[0]
        self.max_points: int = max(0, *(bracket["points"] for bracket in brackets))
        # (min, max, points) per band of a numeric line; (value, points) per value of an equals line.
        self.bands: tuple[tuple[Any, ...], ...]
        if self.numeric:
            # Half-open bands [min, max); an open end is infinite.
            self.bands = tuple(
                (
                    -math.inf if bracket.get("min") is None else as_decimal(bracket["min"]),
                    math.inf if bracket.get("max") is None else as_decimal(bracket["max"]),
                    bracket["points"],
                )
                for bracket in brackets
            )
            lows = tuple(band[0] for band in self.bands)
            bands = self.bands

            def numeric_points(value: Any) -> int:
                index = bisect_right(lows, value) - 1
                if index < 0:
                    return 0
                band = bands[index]
                return band[2] if value < band[1] else 0

            self.points_for = numeric_points
        else:
            spec = env.specs[self.fact] if self.derive == "fact" else None
            self.bands = tuple(
                (threshold_for(spec, bracket["equals"]) if spec else bracket["equals"], bracket["points"])
                for bracket in brackets
            )
            by_value: dict[Any, int] = dict(self.bands)

            def equals_points(value: Any) -> int:
                return by_value.get(value, 0)

            self.points_for = equals_points


def scale_brackets(scale: dict[str, Any]) -> list[dict[str, Any]]:
    """A linear scale as the brackets it stands for: 'start' points at 'from', 'per' more for each
    further whole unit, never more than 'max'; below 'from' nothing.
    """
    start_at, start, per, most = (
        as_decimal(scale["from"]),
        scale["start"],
        as_decimal(scale["per"]),
        scale["max"],
    )
    brackets: list[dict[str, Any]] = [{"min": None, "max": start_at, "points": 0}]
    step = 0
    while True:
        points = min(most, int(start + per * step))
        low = start_at + step
        if points >= most:
            brackets.append({"min": low, "max": None, "points": most})
            return brackets
        brackets.append({"min": low, "max": low + 1, "points": points})
        step += 1


def _derive_fact(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    fact = doc["fact"]

    def value(facts: dict[str, Any], as_of: date) -> Any:
        return facts.get(fact)

    return value


def _derive_multiple(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    fact, key_fact = doc["fact"], doc["key_fact"]
    lookup = env.tables[doc["reference"]].lookup
    year_offset = doc.get("year_offset", 0)

    def value(facts: dict[str, Any], as_of: date) -> Decimal | None:
        amount = facts.get(fact)
        key = facts.get(key_fact)
        if amount is None or key is None:
            return None
        figure = lookup(key, as_of.year + year_offset)
        if figure is None:
            return None
        return Decimal(amount) / figure[1]

    return value


def _derive_ratio(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    fact, of = doc["fact"], doc["of"]

    def value(facts: dict[str, Any], as_of: date) -> Decimal | None:
        part = facts.get(fact)
        whole = facts.get(of)
        if part is None or whole is None:
            return None
        # A zero salary has no meaningful tax share; it scores as a share of zero.
        return Decimal(part) / whole if whole > 0 else Decimal(0)

    return value


def _derive_years_since(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    fact = doc["fact"]

    def value(facts: dict[str, Any], as_of: date) -> int | None:
        start = facts.get(fact)
        return None if start is None else whole_years(start, as_of)

    return value


def _derive_consecutive(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    fact, min_days = doc["fact"], doc["min_days"]

    def value(facts: dict[str, Any], as_of: date) -> int | None:
        days_by_year = facts.get(fact)
        return None if days_by_year is None else consecutive_count(days_by_year, min_days)

    return value


def _derive_lookup(doc: dict[str, Any], env: ChannelEnv) -> Callable:
    key_fact = doc["key_fact"]
    table = env.tables[doc["reference"]]

    def value(facts: dict[str, Any], as_of: date) -> Any:
        key = facts.get(key_fact)
        return None if key is None else table.get(key)

    return value


_DERIVERS: dict[str, Callable[[dict[str, Any], ChannelEnv], Callable]] = {
    "fact": _derive_fact,
    "multiple_of_reference": _derive_multiple,
    "ratio": _derive_ratio,
    "years_since": _derive_years_since,
    "consecutive_years": _derive_consecutive,
    "reference_lookup": _derive_lookup,
}


# --- explanations -----------------------------------------------------------------------------


def _bare(value: Any) -> str:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return text.multiple(value)
    return text.number(value)


def _bare_end(criterion: Criterion) -> Callable[[Any], str]:
    if criterion.derive == "ratio":
        return lambda value: _truncated_percent(value)
    return _bare


def _truncated_percent(value: Any) -> str:
    return text.percent(Decimal(value)).rstrip("%")


def _band_end(criterion: Criterion, env: ChannelEnv) -> Callable[[Any], dict[str, str]]:
    """How one end of a numeric band reads for this line: 20 %, 4 times, 10 years, CNY 100,000."""
    derive = criterion.derive
    if derive == "ratio":
        return lambda value: text.percent_texts(Decimal(value))
    if derive == "multiple_of_reference":
        return lambda value: text.times_texts(Decimal(value))
    if derive in ("years_since", "consecutive_years"):
        return lambda value: text.with_unit_texts(value, "years")
    spec = env.specs.get(criterion.fact) or {}
    return lambda value: text.with_unit_texts(value, spec.get("unit"))


def _equals_name(criterion: Criterion, value: Any, env: ChannelEnv) -> dict[str, str]:
    """A value of an 'equals' bracket by its name: eastern region, doctorate, yes."""
    if criterion.derive == "reference_lookup":
        named = env.tables[criterion.params["reference"]].value_labels.get(value)
        if named:
            return dict(named)
        return text.key_name_texts(value)
    return text.fact_value_texts(value, env.specs.get(criterion.fact))


def _band_words(criterion: Criterion, low: Any, high: Any, env: ChannelEnv) -> dict[str, str]:
    return text.band_texts(
        None if low == -math.inf else low,
        None if high == math.inf else high,
        _band_end(criterion, env),
        _bare_end(criterion),
    )


def bracket_rows(criterion: Criterion, env: ChannelEnv) -> list[tuple[dict[str, str], int]]:
    """Each bracket of a points line in words with its points, for the public route pages (R13).

    Every language the engine has words for (text.py), so a Japanese page reads "2倍以上4倍未満"
    rather than the English stand-in.
    """
    rows = []
    if criterion.numeric:
        for low, high, points in criterion.bands:
            rows.append((_band_words(criterion, low, high, env), points))
    else:
        for value, points in criterion.bands:
            rows.append((_equals_name(criterion, value, env), points))
    return rows


def _band_text(criterion: Criterion, value: Any, env: ChannelEnv) -> tuple[str, str]:
    if not criterion.numeric:
        return "", ""
    for low, high, _points in criterion.bands:
        if low <= value < high:
            words = _band_words(criterion, low, high, env)
            return f" ({words['en']})", f"（{words['zh']}）"
    return " (outside every band)", "（不在任何区间内）"


def explain_criterion(
    criterion: Criterion, points: int, value: Any, *, facts: dict[str, Any], as_of: date, env: ChannelEnv
) -> dict[str, str]:
    label = criterion.label
    head_en, head_zh = f"{label['en']}: ", f"{label['zh']}："
    if value is None:
        missing = [name for name in criterion.facts if facts.get(name) is None]
        if missing:
            names_en = ", ".join(env.specs[name]["label"]["en"] for name in missing)
            names_zh = "、".join(env.specs[name]["label"]["zh"] for name in missing)
            return text.sentence(
                f"{head_en}{names_en} not provided; up to {criterion.max_points} points are open.",
                f"{head_zh}未提供{names_zh}；最多{criterion.max_points}分待定。",
                criterion.legal_basis,
            )
        return text.sentence(
            f"{head_en}no reference figure applies; up to {criterion.max_points} points are open.",
            f"{head_zh}没有适用的参考数据；最多{criterion.max_points}分待定。",
            criterion.legal_basis,
        )
    params, derive = criterion.params, criterion.derive
    spec = env.specs[criterion.fact]
    fact_en, fact_zh = spec["label"]["en"], spec["label"]["zh"]
    if derive == "fact":
        shown_en, shown_zh = text.fact_value(value, spec)
        en, zh = f"{fact_en} {shown_en}", f"{fact_zh}{shown_zh}"
    elif derive == "multiple_of_reference":
        table = env.tables[params["reference"]]
        key = facts[params["key_fact"]]
        figure = table.lookup(key, as_of.year + params.get("year_offset", 0))
        if figure is None:
            # The value was derived from this figure: without one it is None, explained above.
            raise ValueError(f"no {table.name} figure for {key}")
        year, amount = figure
        amount_en, amount_zh = text.fact_value(facts[criterion.fact], spec)
        ref_en, ref_zh = text.with_unit(amount, table.unit)
        times = text.multiple(value)
        place_en, place_zh = text.key_name(key)
        en = f"{fact_en} {amount_en} is {times} × the {table.label['en']} of {place_en} ({year}: {ref_en})"
        zh = f"{fact_zh}{amount_zh}为{place_zh}{table.label['zh']}（{year}年：{ref_zh}）的{times}倍"
    elif derive == "ratio":
        base_spec = env.specs[params["of"]]
        en = f"{fact_en} is {text.percent(value)} of {base_spec['label']['en']}"
        zh = f"{fact_zh}占{base_spec['label']['zh']}的{text.percent(value)}"
    elif derive == "years_since":
        start = facts[criterion.fact].isoformat()
        en = f"{fact_en} {start}: {value} whole year(s) before {as_of.isoformat()}"
        zh = f"{fact_zh}{start}：距{as_of.isoformat()}已满{value}年"
    elif derive == "consecutive_years":
        min_days = params["min_days"]
        en = f"{fact_en}: {value} consecutive recent year(s) with at least {min_days} days"
        zh = f"{fact_zh}：最近连续{value}年每年不少于{min_days}天"
    else:  # reference_lookup
        table = env.tables[params["reference"]]
        key = facts[criterion.fact]
        named = _equals_name(criterion, value, env)
        named_en, named_zh = named["en"], named.get("zh", named["en"])
        place_en, place_zh = text.key_name(key)
        en = f"{fact_en} {place_en}: {named_en}"
        zh = f"{fact_zh}{place_zh}：{named_zh}"
    band_en, band_zh = _band_text(criterion, value, env)
    return text.sentence(
        f"{head_en}{en}{band_en} → {points} points.",
        f"{head_zh}{zh}{band_zh}，得{points}分。",
        criterion.legal_basis,
    )


# --- what-if ----------------------------------------------------------------------------------

Move = tuple[int, int, Change]  # (points gained, bands moved, change)


def criterion_moves(
    criterion: Criterion, *, facts: dict[str, Any], as_of: date, env: ChannelEnv, current: Any, points: int
) -> list[Move]:
    """Every better-scoring band this criterion can reach by changing its own fact, nearest first."""
    spec = env.specs[criterion.fact]
    if (
        current is None
        or not spec.get("what_if", "derive" not in spec)
        or criterion.derive == "reference_lookup"
    ):
        return []
    fact = criterion.fact
    if not criterion.numeric:
        better = sorted(
            ((band_points - points, value) for value, band_points in criterion.bands if band_points > points),
            key=lambda pair: pair[0],
        )
        return [(gain, rank + 1, Change(fact, value, SET)) for rank, (gain, value) in enumerate(better)]
    moves: list[Move] = []
    current_index = next(
        (index for index, (low, high, _p) in enumerate(criterion.bands) if low <= current < high), -1
    )
    for index, (low, _high, band_points) in enumerate(criterion.bands):
        # Only upward moves: a what-if never suggests earning less or getting younger.
        if band_points <= points or low == -math.inf or not low > current:
            continue
        change = _change_to_reach(criterion, low, facts=facts, as_of=as_of, env=env, spec=spec)
        if change is not None:
            moves.append((band_points - points, index - current_index, change))
    return moves


def _change_to_reach(
    criterion: Criterion,
    low: Any,
    *,
    facts: dict[str, Any],
    as_of: date,
    env: ChannelEnv,
    spec: dict[str, Any],
) -> Change | None:
    params, derive, fact = criterion.params, criterion.derive, criterion.fact
    if derive == "fact":
        target = math.ceil(low) if spec["type"] == "int" else low
        return Change(fact, target, AT_LEAST)
    if derive == "multiple_of_reference":
        figure = env.tables[params["reference"]].lookup(
            facts[params["key_fact"]], as_of.year + params.get("year_offset", 0)
        )
        # No figure: no amount reaches the band (the value itself is then unknown).
        return Change(fact, ceil_amount(low * figure[1], spec), AT_LEAST) if figure is not None else None
    if derive == "ratio":
        whole = facts[params["of"]]
        return Change(fact, ceil_amount(low * whole, spec), AT_LEAST) if whole > 0 else None
    years = math.ceil(low)
    if derive == "years_since":
        current_date = facts[fact]
        return Change(
            fact,
            latest_start_for(years, as_of=as_of),
            WAIT,
            more_years=years - whole_years(current_date, as_of),
            eligible_from=anniversary(current_date, years),
        )
    # consecutive_years
    min_days = params["min_days"]
    days_by_year = facts[fact]
    more = years - consecutive_count(days_by_year, min_days)
    return Change(
        fact, (min_days,) * more + tuple(days_by_year), MORE_RESIDENCE, more_years=more, min_days=min_days
    )


def point_alternatives(
    criteria: tuple[Criterion, ...], *, facts: dict[str, Any], as_of: date, env: ChannelEnv, gap: int
) -> list[dict[str, Change]]:
    """Fewest and smallest criterion moves that close a points gap: single moves, else pairs."""
    per_criterion = []
    for criterion in criteria:
        current = criterion.value(facts, as_of)
        points = 0 if current is None else criterion.points_for(current)
        per_criterion.append(
            criterion_moves(criterion, facts=facts, as_of=as_of, env=env, current=current, points=points)
        )
    singles = []
    for order, moves in enumerate(per_criterion):
        closing = [move for move in moves if move[0] >= gap]
        if closing:
            gain, steps, change = min(closing, key=lambda move: move[1])
            singles.append((steps, order, {change.fact: change}))
    if singles:
        return [combo for _steps, _order, combo in sorted(singles, key=lambda item: item[:2])]
    pairs = []
    for first in range(len(per_criterion)):
        for second in range(first + 1, len(per_criterion)):
            best = None
            for gain_a, steps_a, change_a in per_criterion[first]:
                for gain_b, steps_b, change_b in per_criterion[second]:
                    if gain_a + gain_b >= gap and (best is None or steps_a + steps_b < best[0]):
                        best = (steps_a + steps_b, change_a, change_b)
            if best is not None:
                steps, change_a, change_b = best
                combo = {change_a.fact: change_a}
                combo[change_b.fact] = (
                    change_b.stronger(combo[change_b.fact]) if change_b.fact in combo else change_b
                )
                pairs.append((steps, first, second, combo))
    return [combo for *_order, combo in sorted(pairs, key=lambda item: item[:3])]

"""Requirement trees: `all`/`any` nodes and leaf conditions compiled into closures.

Each leaf is compiled once into `check(facts, as_of, score) -> (status, value)`; explanations and
what-if changes are derived later from the same leaf, only when someone asks for them.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import text
from .changes import AT_LEAST, AT_MOST, MORE_RESIDENCE, SET, WAIT, Change
from .dates import anniversary, latest_start_for, whole_years
from .facts import NUMERIC_TYPES
from .labels import render_label
from .reference import ReferenceTable, as_decimal
from .schema import duration_days

MET = "met"
NOT_MET = "not_met"
UNKNOWN = "unknown"

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge,
    "lte": operator.le,
    "gt": operator.gt,
    "lt": operator.lt,
    "eq": operator.eq,
}
OPERATORS = (
    *COMPARISONS,
    "in",
    "is_true",
    "is_false",
    "present",
    "years_since_gte",
    "years_since_lt",
    "consecutive_years_min_days",
    "multiple_of_reference",
    "ratio_gte",
    "points_pass",
)
# Which fact types each operator accepts (for validation); points_pass reads no fact.
OPERATOR_FACT_TYPES: dict[str, tuple[str, ...]] = {
    "gte": ("int", "decimal", "date", "enum"),
    "lte": ("int", "decimal", "date", "enum"),
    "gt": ("int", "decimal", "date", "enum"),
    "lt": ("int", "decimal", "date", "enum"),
    "eq": ("int", "decimal", "date", "enum", "bool", "str"),
    "in": ("int", "enum", "str"),
    "is_true": ("bool",),
    "is_false": ("bool",),
    "present": ("int", "decimal", "bool", "date", "str", "enum", "list_int"),
    "years_since_gte": ("date",),
    "years_since_lt": ("date",),
    "consecutive_years_min_days": ("list_int",),
    "multiple_of_reference": ("int", "decimal"),
    "ratio_gte": ("int", "decimal"),
    "points_pass": (),
}
_RELATION = {
    "gte": ("at least", "不少于"),
    "lte": ("at most", "不超过"),
    "gt": ("more than", "多于"),
    "lt": ("less than", "少于"),
    "eq": ("exactly", "为"),
}

# (points, points still open because of missing facts, pass mark); a table of classes only has no
# pass mark, and then each points_pass names its class (validation).
Score = tuple[int, int, int | None]


def scored(score: Score | None) -> Score:
    """The score of a channel with a points table: a points_pass leaf exists only in one (validation)."""
    if score is None:
        raise ValueError("a points condition in a channel without a points table")
    return score


class ChannelEnv:
    """What a channel's rules can refer to: its fact schema and the reference tables."""

    __slots__ = ("channel", "specs", "tables", "tiers")

    def __init__(
        self,
        channel: str,
        specs: dict[str, dict[str, Any]],
        tables: dict[str, ReferenceTable],
        tiers: dict[str, int] | None = None,
    ):
        self.channel = channel
        self.specs = specs
        self.tables = tables
        # The points table's classes: id -> points needed (for points_pass with a tier).
        self.tiers = tiers or {}


class Leaf:
    """One hard condition, e.g. 'married at least 5 years'."""

    __slots__ = ("id", "op", "fact", "facts", "label", "legal_basis", "params", "missing", "check", "run")
    kind = "leaf"

    def __init__(self, doc: dict[str, Any], env: ChannelEnv) -> None:
        self.id: str = doc["id"]
        self.op: str = doc["op"]
        self.fact: str | None = doc.get("fact")
        others = [doc[key] for key in ("of", "key_fact") if key in doc]
        self.facts: tuple[str, ...] = tuple(name for name in (self.fact, *others) if name)
        if "min_stay" in doc:
            # A stay given with its unit is compiled to days once, so every use reads min_days.
            doc = {**doc, "min_days": duration_days(doc["min_stay"])}
        self.label: dict[str, str] = render_label(doc["label"], doc)
        self.legal_basis: dict[str, str] | None = doc.get("legal_basis")
        self.params = doc
        # Missing facts normally leave the condition open for an officer; a policy may instead
        # say that a missing fact simply fails (e.g. no graduation date means no graduate route).
        self.missing = NOT_MET if doc.get("on_missing") == "not_met" else UNKNOWN
        self.check = _COMPILERS[self.op](self, env)

        def run(facts: dict[str, Any], as_of: date, score: Score | None, records: list) -> str:
            status, value = self.check(facts, as_of, score)
            records.append((self, status, value))
            return status

        self.run = run

    @property
    def subject(self) -> str:
        """The fact of a leaf about one fact (every operator but points_pass; validation ensures it)."""
        if self.fact is None:
            raise ValueError(f"condition {self.id} ({self.op}) names no fact")
        return self.fact


class AllNode:
    """Met when every child is met; an optional `when` leaf decides whether the branch applies."""

    __slots__ = ("children", "gate", "run")
    kind = "all"

    def __init__(self, children: tuple, gate: Leaf | None) -> None:
        self.children = children
        self.gate = gate
        runs = tuple(child.run for child in children)
        gate_check = gate.check if gate is not None else None

        def run(facts: dict[str, Any], as_of: date, score: Score | None, records: list) -> str:
            if gate_check is not None:
                status, value = gate_check(facts, as_of, score)
                if status is not MET:
                    # A branch for someone else (e.g. the spouse rules for a parent) is not reported;
                    # an unknown gate is, so the officer sees which fact is missing.
                    if status is UNKNOWN:
                        records.append((gate, status, value))
                    return status
            result = MET
            for child_run in runs:
                status = child_run(facts, as_of, score, records)
                if status is NOT_MET:
                    result = NOT_MET
                elif status is UNKNOWN and result is MET:
                    result = UNKNOWN
            return result

        self.run = run


class AnyNode:
    """Met when at least one child is met; every child is still run so all criteria are reported."""

    __slots__ = ("children", "run")
    kind = "any"

    def __init__(self, children: tuple) -> None:
        self.children = children
        runs = tuple(child.run for child in children)

        def run(facts: dict[str, Any], as_of: date, score: Score | None, records: list) -> str:
            result = NOT_MET
            for child_run in runs:
                status = child_run(facts, as_of, score, records)
                if status is MET:
                    result = MET
                elif status is UNKNOWN and result is NOT_MET:
                    result = UNKNOWN
            return result

        self.run = run


Node = Leaf | AllNode | AnyNode


def compile_condition(doc: dict[str, Any], env: ChannelEnv) -> Node:
    if "all" in doc:
        gate = Leaf(doc["when"], env) if "when" in doc else None
        return AllNode(tuple(compile_condition(child, env) for child in doc["all"]), gate)
    if "any" in doc:
        return AnyNode(tuple(compile_condition(child, env) for child in doc["any"]))
    return Leaf(doc, env)


def threshold_for(spec: dict[str, Any], value: Any) -> Any:
    """A threshold from the policy document in the same form as the cleaned fact."""
    kind = spec["type"]
    if kind == "decimal":
        return as_decimal(value)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _enum_order(spec: dict[str, Any]) -> dict[str, int]:
    return {choice: index for index, choice in enumerate(spec["choices"])}


# --- compilers: one per operator --------------------------------------------------------------


def _compile_comparison(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, missing, compare = leaf.subject, leaf.missing, COMPARISONS[leaf.op]
    spec = env.specs[fact]
    threshold = threshold_for(spec, leaf.params["value"])
    if spec["type"] == "enum" and leaf.op != "eq":
        # Enums such as education compare by the order their choices are declared in.
        order = _enum_order(spec)
        rank = order[threshold]

        def check_ranked(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
            value = facts.get(fact)
            if value is None:
                return missing, None
            return (MET if compare(order[value], rank) else NOT_MET), value

        return check_ranked

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        if value is None:
            return missing, None
        return (MET if compare(value, threshold) else NOT_MET), value

    return check


def _compile_in(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, missing = leaf.subject, leaf.missing
    allowed = frozenset(leaf.params["values"])

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        if value is None:
            return missing, None
        return (MET if value in allowed else NOT_MET), value

    return check


def _compile_flag(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, missing = leaf.subject, leaf.missing
    wanted = leaf.op == "is_true"

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        if value is None:
            return missing, None
        return (MET if value is wanted else NOT_MET), value

    return check


def _compile_present(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact = leaf.subject

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        # Absence is itself the answer here, so it fails rather than staying unknown.
        return (NOT_MET if value is None or value == "" else MET), value

    return check


def _compile_years_since(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, missing, years = leaf.subject, leaf.missing, leaf.params["years"]
    at_least = leaf.op == "years_since_gte"

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        if value is None:
            return missing, None
        return (MET if (whole_years(value, as_of) >= years) is at_least else NOT_MET), value

    return check


def _compile_consecutive(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, missing = leaf.subject, leaf.missing
    years, min_days = leaf.params["years"], leaf.params["min_days"]

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        if value is None:
            return missing, None
        if len(value) < years:
            return NOT_MET, value
        return (MET if min(value[:years]) >= min_days else NOT_MET), value

    return check


def _compile_multiple(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, key_fact, missing = leaf.subject, leaf.params["key_fact"], leaf.missing
    table = env.tables[leaf.params["reference"]]
    factor = as_decimal(leaf.params["multiple"])
    year_offset = leaf.params.get("year_offset", 0)
    lookup = table.lookup

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        key = facts.get(key_fact)
        if value is None or key is None:
            return missing, value
        figure = lookup(key, as_of.year + year_offset)
        if figure is None:
            # No published figure for that province: the rule cannot be applied mechanically.
            return UNKNOWN, value
        return (MET if value >= factor * figure[1] else NOT_MET), value

    return check


def _compile_ratio(leaf: Leaf, env: ChannelEnv) -> Callable:
    fact, of, missing = leaf.subject, leaf.params["of"], leaf.missing
    ratio = as_decimal(leaf.params["ratio"])

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        value = facts.get(fact)
        base = facts.get(of)
        if value is None or base is None:
            return missing, value
        # Multiplying instead of dividing keeps the boundary exact (tax of exactly 20% passes).
        return (MET if base > 0 and value >= ratio * base else NOT_MET), value

    return check


def points_needed(leaf: Leaf, env: ChannelEnv, score: Score) -> int:
    """The points a points_pass leaf asks for: its class's threshold, else the pass mark."""
    tier = leaf.params.get("tier")
    needed = score[2] if tier is None else env.tiers[tier]
    if needed is None:
        raise ValueError(f"condition {leaf.id}: no pass mark and no class to reach")
    return needed


def _compile_points_pass(leaf: Leaf, env: ChannelEnv) -> Callable:
    tier = leaf.params.get("tier")
    needed = None if tier is None else env.tiers[tier]

    def check(facts: dict[str, Any], as_of: date, score: Score | None) -> tuple[str, Any]:
        points, open_points, _pass_mark = current = scored(score)
        pass_mark = needed if needed is not None else points_needed(leaf, env, current)
        if points >= pass_mark:
            return MET, points
        if points + open_points >= pass_mark:
            return UNKNOWN, points
        return NOT_MET, points

    return check


_COMPILERS: dict[str, Callable[[Leaf, ChannelEnv], Callable]] = {
    **dict.fromkeys(COMPARISONS, _compile_comparison),
    "in": _compile_in,
    "is_true": _compile_flag,
    "is_false": _compile_flag,
    "present": _compile_present,
    "years_since_gte": _compile_years_since,
    "years_since_lt": _compile_years_since,
    "consecutive_years_min_days": _compile_consecutive,
    "multiple_of_reference": _compile_multiple,
    "ratio_gte": _compile_ratio,
    "points_pass": _compile_points_pass,
}


# --- explanations -----------------------------------------------------------------------------


def consecutive_count(days_by_year: tuple[int, ...], min_days: int) -> int:
    """How many of the most recent years in a row have at least `min_days` days."""
    count = 0
    for days in days_by_year:
        if days < min_days:
            break
        count += 1
    return count


def explain_leaf(
    leaf: Leaf,
    status: str,
    value: Any,
    *,
    facts: dict[str, Any],
    as_of: date,
    env: ChannelEnv,
    score: Score | None,
) -> dict[str, str]:
    label = leaf.label
    head_en, head_zh = f"{label['en']}: ", f"{label['zh']}："
    if leaf.op == "points_pass":
        points, open_points, _pass_mark = scored(score)
        needed = points_needed(leaf, env, scored(score))
        if leaf.params.get("tier") is None:
            en = f"{head_en}{points} points; the pass mark is {needed}"
            zh = f"{head_zh}积分{points}分；合格线为{needed}分"
        else:
            tier = leaf.params["tier"]
            en = f"{head_en}{points} points; class {tier} needs {needed}"
            zh = f"{head_zh}积分{points}分；{tier}类须达到{needed}分"
        if status is UNKNOWN:
            en += f", and up to {open_points} more points depend on facts not yet provided"
            zh += f"，另有最多{open_points}分取决于尚未提供的事实"
        return text.sentence(en + ".", zh + "。", leaf.legal_basis)

    spec = env.specs[leaf.subject]
    fact_en, fact_zh = spec["label"]["en"], spec["label"]["zh"]
    missing = [name for name in leaf.facts if facts.get(name) is None]
    if missing:
        names_en = ", ".join(env.specs[name]["label"]["en"] for name in missing)
        names_zh = "、".join(env.specs[name]["label"]["zh"] for name in missing)
        if status is NOT_MET:
            return text.sentence(
                f"{head_en}{names_en} not provided, so this condition is not met.",
                f"{head_zh}未提供{names_zh}，不符合本条件。",
                leaf.legal_basis,
            )
        return text.sentence(
            f"{head_en}{names_en} not provided, so an officer must assess this condition.",
            f"{head_zh}未提供{names_zh}，须由审批人员判断。",
            leaf.legal_basis,
        )
    shown_en, shown_zh = text.fact_value(value, spec)
    op, params = leaf.op, leaf.params

    if op == "eq" and spec["type"] not in NUMERIC_TYPES:
        want_en, want_zh = text.fact_value(threshold_for(spec, params["value"]), spec)
        en = f"{fact_en} is {shown_en}; the rule requires {want_en}."
        zh = f"{fact_zh}为{shown_zh}；规则要求为{want_zh}。"
    elif op in COMPARISONS:
        want_en, want_zh = text.fact_value(threshold_for(spec, params["value"]), spec)
        rel_en, rel_zh = _RELATION[op]
        en = f"{fact_en} is {shown_en}; the rule requires {rel_en} {want_en}."
        zh = f"{fact_zh}为{shown_zh}；规则要求{rel_zh}{want_zh}。"
    elif op == "in":
        options = [text.fact_value(option, spec) for option in params["values"]]
        en = f"{fact_en} is {shown_en}; the rule requires one of: {', '.join(o[0] for o in options)}."
        zh = f"{fact_zh}为{shown_zh}；规则要求为以下之一：{'、'.join(o[1] for o in options)}。"
    elif op in ("is_true", "is_false"):
        # The leaf label already names the fact, so only the answer and the requirement follow.
        want_en, want_zh = text.fact_value(op == "is_true", spec)
        en = f"{shown_en} (required: {want_en})."
        zh = f"{shown_zh}（要求：{want_zh}）。"
    elif op == "present":
        en, zh = f"{fact_en}: {shown_en}.", f"{fact_zh}：{shown_zh}。"
    elif op in ("years_since_gte", "years_since_lt"):
        elapsed, years = whole_years(value, as_of), params["years"]
        when = as_of.isoformat()
        if op == "years_since_gte":
            want_en, want_zh = f"at least {years}", f"至少满{years}年"
        else:
            want_en, want_zh = f"fewer than {years}", f"不满{years}年"
        en = f"{fact_en} {shown_en} is {elapsed} whole year(s) before {when}; the rule requires {want_en} years."
        zh = f"{fact_zh}{shown_zh}距{when}已满{elapsed}年；规则要求{want_zh}。"
    elif op == "consecutive_years_min_days":
        years, min_days = params["years"], params["min_days"]
        count = consecutive_count(value, min_days)
        en = (
            f"{fact_en} {shown_en}: the most recent {count} year(s) in a row have at least {min_days} days; "
            f"the rule requires {years}."
        )
        zh = f"{fact_zh}{shown_zh}：最近连续{count}年每年不少于{min_days}天；规则要求连续{years}年。"
    elif op == "multiple_of_reference":
        table = env.tables[params["reference"]]
        key = facts[params["key_fact"]]
        figure = table.lookup(key, as_of.year + params.get("year_offset", 0))
        factor = text.multiple(Decimal(as_decimal(params["multiple"])))
        place_en, place_zh = text.key_name(key)
        if figure is None:
            en = f"{fact_en} is {shown_en}; there is no {table.label['en']} figure for {place_en}, so an officer must assess it."
            zh = f"{fact_zh}为{shown_zh}；{table.label['zh']}中没有{place_zh}的数据，须由审批人员判断。"
        else:
            year, amount = figure
            ref_en, ref_zh = text.with_unit(amount, table.unit)
            times = text.multiple(Decimal(value) / Decimal(amount))
            en = (
                f"{fact_en} {shown_en} is {times} × the {table.label['en']} of {place_en} ({year}: {ref_en}); "
                f"the rule requires at least {factor} ×."
            )
            zh = f"{fact_zh}{shown_zh}为{place_zh}{table.label['zh']}（{year}年：{ref_zh}）的{times}倍；规则要求不低于{factor}倍。"
    else:  # ratio_gte
        base_spec = env.specs[params["of"]]
        base = facts[params["of"]]
        base_en, base_zh = text.fact_value(base, base_spec)
        share = text.percent(Decimal(value) / Decimal(base)) if base > 0 else "—"
        want = text.percent(Decimal(as_decimal(params["ratio"])))
        en = (
            f"{fact_en} {shown_en} is {share} of {base_spec['label']['en']} {base_en}; "
            f"the rule requires at least {want}."
        )
        zh = f"{fact_zh}{shown_zh}占{base_spec['label']['zh']}{base_zh}的{share}；规则要求不低于{want}。"
    return text.sentence(head_en + en, head_zh + zh, leaf.legal_basis)


# --- what-if ----------------------------------------------------------------------------------


def _step(spec: dict[str, Any]) -> Any:
    """The smallest increment of a fact, used to turn 'more than x' into a concrete target."""
    kind = spec["type"]
    if kind == "int":
        return 1
    if kind == "date":
        return timedelta(days=1)
    return Decimal("0.01")


def ceil_amount(value: Decimal | int, spec: dict[str, Any]) -> Decimal | int:
    """Round a needed amount up to a whole unit (whole yuan or dollars) so it really passes."""
    whole = math.ceil(value)
    return whole if spec["type"] == "int" else Decimal(whole)


def leaf_change(leaf: Leaf, *, facts: dict[str, Any], as_of: date, env: ChannelEnv) -> Change | None:
    """The smallest change to one fact that meets this unmet leaf, or None if no fact change can."""
    if leaf.fact is None or any(facts.get(name) is None for name in leaf.facts):
        return None
    spec = env.specs[leaf.fact]
    if not spec.get("what_if", "derive" not in spec):
        return None
    op, params, fact = leaf.op, leaf.params, leaf.fact
    if op in COMPARISONS:
        threshold = threshold_for(spec, params["value"])
        if spec["type"] == "enum" and op != "eq":
            choices = list(spec["choices"])
            index = choices.index(threshold) + {"gte": 0, "gt": 1, "lte": 0, "lt": -1}[op]
            if not 0 <= index < len(choices):
                return None
            # Enum targets are set, not compared: "at least" has no meaning for text codes when merging.
            return Change(fact, choices[index], SET)
        if op == "gte":
            return Change(fact, threshold, AT_LEAST)
        if op == "gt":
            return Change(fact, threshold + _step(spec), AT_LEAST)
        if op == "lte":
            return Change(fact, threshold, AT_MOST)
        if op == "lt":
            return Change(fact, threshold - _step(spec), AT_MOST)
        return Change(fact, threshold, SET)
    if op == "in":
        return Change(fact, params["values"][0], SET)
    if op in ("is_true", "is_false"):
        return Change(fact, op == "is_true", SET)
    if op == "years_since_gte":
        years, current = params["years"], facts[fact]
        return Change(
            fact,
            latest_start_for(years, as_of=as_of),
            WAIT,
            more_years=years - whole_years(current, as_of),
            eligible_from=anniversary(current, years),
        )
    if op == "consecutive_years_min_days":
        years, min_days = params["years"], params["min_days"]
        current = facts[fact]
        more = years - consecutive_count(current, min_days)
        return Change(
            fact, (min_days,) * more + tuple(current), MORE_RESIDENCE, more_years=more, min_days=min_days
        )
    if op == "multiple_of_reference":
        figure = env.tables[params["reference"]].lookup(
            facts[params["key_fact"]], as_of.year + params.get("year_offset", 0)
        )
        if figure is None:
            return None
        return Change(fact, ceil_amount(as_decimal(params["multiple"]) * figure[1], spec), AT_LEAST)
    if op == "ratio_gte":
        base = facts[params["of"]]
        if base <= 0:
            return None
        return Change(fact, ceil_amount(as_decimal(params["ratio"]) * base, spec), AT_LEAST)
    # years_since_lt cannot be reached by waiting, and present needs the fact itself.
    return None

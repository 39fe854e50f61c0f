"""The result of one evaluation; criteria, explanations and what-if are built when first read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from . import text
from .conditions import MET, NOT_MET, UNKNOWN, explain_leaf
from .points import explain_criterion
from .routes import eligible_through
from .whatif import suggest

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_JUDGEMENT = "needs_judgement"


def json_safe(value: Any) -> Any:
    """Dates as ISO text, decimals as text (exact), tuples as lists."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    if isinstance(value, Mapping):
        return {key: json_safe(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class CriterionResult:
    id: str
    kind: str  # "requirement" or "points"
    outcome: str  # "met", "not_met" or "unknown"
    points: int | None
    facts: tuple[str, ...]
    values: dict[str, Any]
    label: dict[str, str]
    explanation: dict[str, str]
    legal_basis: dict[str, str] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "outcome": self.outcome,
            "points": self.points,
            "facts": list(self.facts),
            "values": json_safe(self.values),
            "label": self.label,
            "explanation": self.explanation,
            "legal_basis": self.legal_basis,
        }


@dataclass(frozen=True)
class FactChange:
    fact: str
    current: Any
    target: Any
    text: dict[str, str]
    eligible_from: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "fact": self.fact,
                "current": self.current,
                "target": self.target,
                "text": self.text,
                "eligible_from": self.eligible_from,
            }
        )


@dataclass(frozen=True)
class Suggestion:
    """One way to become eligible: apply every change together."""

    changes: tuple[FactChange, ...]
    text: dict[str, str]
    points_after: int | None

    def apply(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The facts with this suggestion's changes applied (for 'try it' screens and tests)."""
        return {**facts, **{change.fact: change.target for change in self.changes}}

    def to_dict(self) -> dict[str, Any]:
        return {
            "changes": [change.to_dict() for change in self.changes],
            "text": self.text,
            "points_after": self.points_after,
        }


@dataclass(frozen=True)
class Result:
    channel: str
    outcome: str
    points: int | None
    pass_mark: int | None
    green_channel: bool
    policy_version: str
    as_of: date
    # The class the points reach when the points table has classes (e.g. "A"), else None.
    tier: str | None = None
    tier_label: dict[str, str] | None = None
    # The raw trace of the evaluation; criteria and what_if are derived from it on first access,
    # because most callers (queues, statistics, the benchmark) only need the outcome.
    _trace: tuple = field(default=(), repr=False, compare=False)

    @cached_property
    def criteria(self) -> tuple[CriterionResult, ...]:
        channel, facts, score, records, point_records = self._trace
        env = channel.env
        built = []
        if channel.judgement_always:
            built.append(
                CriterionResult(
                    id="officer_judgement",
                    kind="requirement",
                    outcome=UNKNOWN,
                    points=None,
                    facts=(),
                    values={},
                    label={"en": "Officer's judgement", "zh": "审批人员判断"},
                    explanation=channel.judgement_reason,
                    legal_basis=None,
                )
            )
        for leaf, status, value in records:
            built.append(
                CriterionResult(
                    id=leaf.id,
                    kind="requirement",
                    outcome=status,
                    points=None,
                    facts=leaf.facts,
                    values={name: facts.get(name) for name in leaf.facts}
                    if leaf.facts
                    else {"points": value},
                    label=leaf.label,
                    explanation=explain_leaf(
                        leaf, status, value, facts=facts, as_of=self.as_of, env=env, score=score
                    ),
                    legal_basis=leaf.legal_basis,
                )
            )
        for criterion, points, value in point_records:
            built.append(
                CriterionResult(
                    id=criterion.id,
                    kind="points",
                    outcome=UNKNOWN if value is None else (MET if points else NOT_MET),
                    points=points,
                    facts=criterion.facts,
                    values={**{name: facts.get(name) for name in criterion.facts}, "derived": value},
                    label=criterion.label,
                    explanation=explain_criterion(
                        criterion, points, value, facts=facts, as_of=self.as_of, env=env
                    ),
                    legal_basis=criterion.legal_basis,
                )
            )
        return tuple(built)

    @cached_property
    def through(self) -> dict[str, str] | None:
        """The way of qualifying that made the result eligible (None unless eligible)."""
        if self.outcome != ELIGIBLE:
            return None
        channel, _facts, _score, records, _point_records = self._trace
        return eligible_through(channel.doc["requirements"], records)

    @cached_property
    def warnings(self) -> tuple[dict[str, str], ...]:
        """Figures read past a reference table's last published year (shown to officers and applicants)."""
        channel, facts, _score, records, point_records = self._trace
        uses = [leaf.params for leaf, _status, _value in records if leaf.op == "multiple_of_reference"]
        uses += [
            criterion.params
            for criterion, _p, _v in point_records
            if criterion.derive == "multiple_of_reference"
        ]
        found: dict[tuple, dict[str, str]] = {}
        for params in uses:
            table = channel.env.tables[params["reference"]]
            key = facts.get(params["key_fact"])
            year = self.as_of.year + params.get("year_offset", 0)
            last = None if key is None else table.stale(key, year)
            if last is None or (table.name, key) in found:
                continue
            place_en, place_zh = text.key_name(key)
            if table.past_last_year == "needs_judgement":
                en = (
                    f"The {table.label['en']} for {place_en} is published up to {last}; without the {year} "
                    f"figure an officer decides the rules that need it."
                )
                zh = f"{place_zh}的{table.label['zh']}仅公布至{last}年；缺少{year}年数据，相关条件须由审批人员判断。"
            else:
                en = (
                    f"The {table.label['en']} for {place_en} is published up to {last}; the {year} figure is "
                    f"not yet available, so the {last} figure is used and the result may change."
                )
                zh = f"{place_zh}的{table.label['zh']}仅公布至{last}年，尚无{year}年数据，暂按{last}年数据计算，结果可能变化。"
            found[(table.name, key)] = {"en": en, "zh": zh}
        return tuple(found.values())

    @cached_property
    def what_if(self) -> tuple[Suggestion, ...]:
        channel, facts, *_rest = self._trace
        # Nothing to suggest when already eligible, or when only an officer can decide anyway.
        if self.outcome == ELIGIBLE or channel.judgement_always:
            return ()
        suggestions = []
        for combo, score in suggest(channel, facts, self.as_of):
            changes = tuple(
                FactChange(
                    fact=fact,
                    current=facts.get(fact),
                    target=change.target,
                    text=change.text(channel.env.specs[fact]),
                    eligible_from=change.detail.get("eligible_from"),
                )
                for fact, change in combo.items()
            )
            suggestions.append(
                Suggestion(
                    changes=changes,
                    text={
                        "en": "; ".join(change.text["en"] for change in changes),
                        "zh": "；".join(change.text["zh"] for change in changes),
                    },
                    points_after=None if score is None else score[0],
                )
            )
        return tuple(suggestions)

    @property
    def summary(self) -> dict[str, str]:
        """One line for queues and notifications."""
        outcome_en, outcome_zh = _OUTCOME_TEXT[self.outcome]
        points_en = f" ({self.points}/{self.pass_mark} points)" if self.pass_mark is not None else ""
        points_zh = f"（{self.points}/{self.pass_mark}分）" if self.pass_mark is not None else ""
        if self.tier_label is not None:
            points_en += f", class {self.tier_label['en']} ({self.points} points)"
            points_zh += f"，{self.tier_label['zh']}（{self.points}分）"
        return text.sentence(
            f"{outcome_en}{points_en} under policy {self.policy_version}.",
            f"{outcome_zh}{points_zh}，适用政策版本{self.policy_version}。",
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe snapshot to store with a decision (R6)."""
        return {
            "channel": self.channel,
            "outcome": self.outcome,
            "points": self.points,
            "pass_mark": self.pass_mark,
            "tier": self.tier,
            "tier_label": self.tier_label,
            "green_channel": self.green_channel,
            "policy_version": self.policy_version,
            "as_of": self.as_of.isoformat(),
            "summary": self.summary,
            "through": self.through,
            "criteria": [criterion.to_dict() for criterion in self.criteria],
            "what_if": [suggestion.to_dict() for suggestion in self.what_if],
            "warnings": list(self.warnings),
        }


_OUTCOME_TEXT = {
    ELIGIBLE: ("Eligible", "符合条件"),
    NOT_ELIGIBLE: ("Not eligible", "不符合条件"),
    NEEDS_JUDGEMENT: ("Needs an officer's judgement", "须由审批人员判断"),
}

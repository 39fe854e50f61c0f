"""Compiling a validated policy document into closures that evaluate() runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .conditions import MET, ChannelEnv, Node, Score, compile_condition
from .errors import PolicyInvalid
from .facts import make_fact_cleaner
from .points import Criterion
from .reference import ReferenceTable
from .validation import parse_date, validate_policy

DEFAULT_POLICY_PATH = Path(__file__).resolve().parent.parent / "policy" / "default_policy.yaml"


class CompiledChannel:
    """One route (talent, work, ...) ready to evaluate; also the source for public pages (R13)."""

    def __init__(self, name: str, doc: dict[str, Any], env: ChannelEnv) -> None:
        self.name = name
        self.doc = doc
        self.env = env
        self.label: dict[str, str] = doc["label"]
        self.clean = make_fact_cleaner(name, env.specs)
        self.requirements: Node = compile_condition(doc["requirements"], env)
        points = doc.get("points")
        self.criteria: tuple[Criterion, ...] = (
            tuple(Criterion(criterion, env) for criterion in points["criteria"]) if points else ()
        )
        self.pass_mark: int | None = points.get("pass_mark") if points else None
        self.scored: bool = bool(points)
        # Ordered classes, highest first: (id, points needed, label). Pass/fail is one class.
        self.tiers: tuple[tuple[str, int, dict[str, str]], ...] = tuple(
            (tier["id"], tier["min"], tier["label"]) for tier in (points or {}).get("tiers", ())
        )
        self.cap: int | None = (points or {}).get("cap")
        green = doc.get("green_channel") or {}
        self.green_always: bool = bool(green.get("always", False))
        self.green_rule: Node | None = compile_condition(green["when"], env) if "when" in green else None
        judgement = doc.get("judgement") or {}
        self.judgement_always: bool = bool(judgement.get("always", False))
        self.judgement_reason: dict[str, str] | None = judgement.get("reason")
        self.documents: dict[str, list[dict[str, Any]]] = doc["documents"]
        self.deadlines: dict[str, dict[str, int]] = doc["deadlines"]
        self.office_levels: dict[str, str] = doc["office_levels"]

    def score(self, facts: dict[str, Any], as_of: date, records: list | None) -> Score | None:
        """(points, points still open because facts are missing, pass mark), or None if unscored."""
        if not self.scored:
            return None
        total = open_points = 0
        for criterion in self.criteria:
            value = criterion.value(facts, as_of)
            if value is None:
                open_points += criterion.max_points
                if records is not None:
                    records.append((criterion, 0, None))
                continue
            points = criterion.points_for(value)
            total += points
            if records is not None:
                # Statuses and explanations are derived from (points, value) only when asked for.
                records.append((criterion, points, value))
        cap = self.cap
        if cap is not None:
            total = min(total, cap)
            open_points = min(open_points, cap - total)
        return total, open_points, self.pass_mark

    def tier_for(self, points: int) -> tuple[str, int, dict[str, str]] | None:
        """The highest class these points reach, or None (no classes, or below the lowest)."""
        for tier in self.tiers:
            if points >= tier[1]:
                return tier
        return None

    def run(self, facts: dict[str, Any], as_of: date) -> tuple[str, Score | None, list, list]:
        point_records: list = []
        score = self.score(facts, as_of, point_records)
        records: list = []
        status = self.requirements.run(facts, as_of, score, records)
        return status, score, records, point_records

    def status(self, facts: dict[str, Any], as_of: date) -> tuple[str, Score | None]:
        """Only the requirement status, for re-checking what-if suggestions."""
        score = self.score(facts, as_of, None)
        return self.requirements.run(facts, as_of, score, []), score

    def is_green(self, facts: dict[str, Any], as_of: date, score: Score | None) -> bool:
        if self.green_always:
            return True
        if self.green_rule is None:
            return False
        return self.green_rule.run(facts, as_of, score, []) is MET

    def required_documents(self, *, green_channel: bool) -> list[dict[str, Any]]:
        return self.documents["green_channel" if green_channel else "standard"]

    def stage_deadlines(self, *, green_channel: bool) -> dict[str, int]:
        return self.deadlines["green_channel" if green_channel else "standard"]


class CompiledPolicy:
    """A policy version compiled once; immutable in use and shareable between threads."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc
        self.version: str = str(doc["version"])
        self.effective_from: date = parse_date(doc["effective_from"])
        self.effective_to: date | None = (
            parse_date(doc["effective_to"]) if doc.get("effective_to") is not None else None
        )
        self.legal_basis: dict[str, str] = doc["legal_basis"]
        self.ban_years: dict[str, int] = doc["ban_years"]
        self.card_validity_years: dict[str, int] = doc["card_validity_years"]
        self.family_quota: dict[str, int] = doc["family_quota"]
        reference = doc["reference"]
        self.tables = {name: ReferenceTable(name, table) for name, table in reference["tables"].items()}
        self.catalogues: dict[str, list[dict[str, Any]]] = reference.get("catalogues", {})
        common = doc["facts"].get("common", {})
        self.channels: dict[str, CompiledChannel] = {
            name: CompiledChannel(
                name,
                channel,
                ChannelEnv(
                    name,
                    {**common, **doc["facts"][name]},
                    self.tables,
                    {tier["id"]: tier["min"] for tier in (channel.get("points") or {}).get("tiers", ())},
                ),
            )
            for name, channel in doc["channels"].items()
        }

    def in_effect(self, as_of: date) -> bool:
        """effective_to is the first day the policy no longer applies."""
        return self.effective_from <= as_of and (self.effective_to is None or as_of < self.effective_to)


def load_policy(doc: dict[str, Any]) -> CompiledPolicy:
    """Validate and compile a policy document; raises PolicyInvalid listing every error."""
    errors = validate_policy(doc)
    if errors:
        raise PolicyInvalid(errors)
    return CompiledPolicy(doc)


def read_policy_document(path: Path = DEFAULT_POLICY_PATH) -> dict[str, Any]:
    """The YAML policy document at `path` as plain dicts (the shipped default by default)."""
    import yaml  # imported here so evaluate() and load_policy() work without PyYAML

    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)

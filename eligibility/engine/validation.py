"""validate_policy(): every problem in a policy document, each located by a path, in en and zh."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from jsonschema import Draft202012Validator

from .conditions import COMPARISONS, OPERATOR_FACT_TYPES, OPERATORS
from .errors import PolicyError, policy_error
from .facts import FACT_TYPES, NUMERIC_TYPES
from .labels import unknown_placeholders
from .points import DERIVATION_FACT_TYPES, DERIVATIONS
from .schema import (
    BAN_GROUNDS,
    CHANNELS,
    DAYS_PER_UNIT,
    LANGUAGE_ALIASES,
    POLICY_SCHEMA,
    REQUIRED_TEXT_LANGUAGES,
    TEXT_LANGUAGES,
    VERIFICATION_CHECK_KINDS,
    duration_days,
)

STAGES = ("intake", "verification", "review", "approval")
OFFICE_LEVELS = ("municipal", "provincial", "national")


def parse_date(value: Any) -> date:
    """A date from YAML (already a date) or JSON (ISO text)."""
    if type(value) is date:
        return value
    if isinstance(value, str):
        return date.fromisoformat(value)
    raise ValueError(f"not a date: {value!r}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Validator:
    def __init__(self) -> None:
        self.errors: list[PolicyError] = []

    def add(self, path: str, code: str, **params: Any) -> None:
        self.errors.append(policy_error(path, code, **params))

    def bad(self, path: str, en: str, zh: str) -> None:
        self.add(path, "bad_value", detail=en, detail_zh=zh)

    def mapping(self, value: Any, path: str) -> bool:
        if isinstance(value, dict):
            return True
        self.add(path, "not_a_mapping")
        return False

    def listing(self, value: Any, path: str) -> bool:
        if isinstance(value, list):
            return True
        self.add(path, "not_a_list")
        return False

    def required(self, doc: dict[str, Any], keys: tuple[str, ...], path: str) -> bool:
        missing = [key for key in keys if key not in doc]
        for key in missing:
            self.add(path, "missing_key", key=key)
        return not missing

    def translated(self, value: Any, path: str) -> None:
        if not self.mapping(value, path):
            return
        for lang in REQUIRED_TEXT_LANGUAGES:
            text = value.get(lang)
            if not isinstance(text, str) or not text.strip():
                self.add(f"{path}.{lang}", "missing_translation", lang=lang)
        for lang in TEXT_LANGUAGES:
            # An optional language, if given, must say something: an empty string would hide the
            # English fallback behind a blank.
            if lang not in REQUIRED_TEXT_LANGUAGES and lang in value:
                text = value[lang]
                if not isinstance(text, str) or not text.strip():
                    self.add(f"{path}.{lang}", "missing_translation", lang=lang)

    def a_date(self, value: Any, path: str) -> date | None:
        try:
            return parse_date(value)
        except ValueError:
            self.add(path, "bad_date", value=value)
            return None

    def positive_int(self, value: Any, path: str, *, allow_zero: bool = False) -> None:
        if not _is_int(value) or value < 0 or (value == 0 and not allow_zero):
            lowest = 0 if allow_zero else 1
            self.bad(
                path,
                f"expected a whole number of at least {lowest}, got {value!r}",
                f"应为不小于{lowest}的整数，实际为 {value!r}",
            )

    # --- top level ----------------------------------------------------------------------------

    def fees(self, doc: dict) -> None:
        """The optional fee schedule: whole fen, and waivers with distinct ids (the schema checks types)."""
        fees = doc.get("fees")
        if fees is None or not self.mapping(fees, "fees"):
            return
        for kind, item in (fees.get("items") or {}).items():
            if isinstance(item, dict) and "amount_fen" in item:
                self.positive_int(item["amount_fen"], f"fees.items.{kind}.amount_fen", allow_zero=True)
        if "legal_basis" in fees:
            self.translated(fees["legal_basis"], "fees.legal_basis")
        seen: set[object] = set()
        for index, waiver in enumerate(fees.get("waivers") or []):
            if not isinstance(waiver, dict):
                continue
            if waiver.get("id") in seen:
                self.bad(f"fees.waivers[{index}].id", "the waiver id is used twice", "减免编号重复")
            seen.add(waiver.get("id"))
            if "label" in waiver:
                self.translated(waiver["label"], f"fees.waivers[{index}].label")

    def holder_rules(self, doc: dict) -> None:
        """Optional rules for after approval: the residence rule (R22) and the checks per channel (R15)."""
        residence = doc.get("holder_residence")
        if residence is not None and self.mapping(residence, "holder_residence"):
            if self.required(residence, ("min_days_per_year",), "holder_residence"):
                days = residence["min_days_per_year"]
                if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 366:
                    self.bad(
                        "holder_residence.min_days_per_year",
                        "must be a whole number of days from 0 to 366",
                        "须为0至366之间的整数天数",
                    )
            if "legal_basis" in residence:
                self.translated(residence["legal_basis"], "holder_residence.legal_basis")
        counters = doc.get("counters")
        if counters is not None and self.mapping(counters, "counters"):
            intake = counters.get("in_person_intake")
            if (
                intake is not None
                and self.mapping(intake, "counters.in_person_intake")
                and self.required(intake, ("required",), "counters.in_person_intake")
            ):
                for key in ("required", "waived_for_green_channel"):
                    if key in intake and not isinstance(intake[key], bool):
                        self.bad(
                            f"counters.in_person_intake.{key}",
                            "must be true or false",
                            "须为 true 或 false",
                        )
            if "card_collection_days" in counters:
                days = counters["card_collection_days"]
                if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 3650:
                    self.bad(
                        "counters.card_collection_days",
                        "must be a whole number of days from 1 to 3650",
                        "须为1至3650之间的整数天数",
                    )
        verification = doc.get("verification")
        if verification is not None and self.mapping(verification, "verification"):
            checks = verification.get("checks", {})
            if self.mapping(checks, "verification.checks"):
                for channel, kinds in checks.items():
                    path = f"verification.checks.{channel}"
                    if channel not in CHANNELS:
                        self.add(path, "unknown_channel", name=channel, known=", ".join(CHANNELS))
                    if not isinstance(kinds, list):
                        self.bad(path, "must be a list of check kinds", "须为核查类型列表")
                        continue
                    for kind in kinds:
                        if kind not in VERIFICATION_CHECK_KINDS:
                            self.bad(path, f"unknown check kind {kind!r}", f"未知核查类型“{kind}”")

    def policy(self, doc: Any) -> None:
        if not self.mapping(doc, "(policy)"):
            return
        keys = ("version", "effective_from", "legal_basis", "ban_years", "card_validity_years")
        self.required(doc, (*keys, "family_quota", "reference", "facts", "channels"), "(policy)")
        if "version" in doc and not str(doc["version"]).strip():
            self.bad("version", "the version label is empty", "版本号为空")
        start = self.a_date(doc["effective_from"], "effective_from") if "effective_from" in doc else None
        end = doc.get("effective_to")
        if end is not None:
            end = self.a_date(end, "effective_to")
            if start and end and end <= start:
                self.add("effective_to", "bad_date_range", start=start, end=end)
        if "legal_basis" in doc:
            self.translated(doc["legal_basis"], "legal_basis")
        if self.mapping(doc.get("ban_years", {}), "ban_years"):
            bans = doc.get("ban_years", {})
            for ground in BAN_GROUNDS:
                if ground in bans:
                    self.positive_int(bans[ground], f"ban_years.{ground}", allow_zero=True)
                elif "ban_years" in doc:
                    self.add("ban_years", "missing_key", key=ground)
        if "card_validity_years" in doc and self.mapping(doc["card_validity_years"], "card_validity_years"):
            validity = doc["card_validity_years"]
            if self.required(validity, ("adult", "minor"), "card_validity_years"):
                self.positive_int(validity["adult"], "card_validity_years.adult")
                self.positive_int(validity["minor"], "card_validity_years.minor")
        quota = doc.get("family_quota")
        if (
            quota is not None
            and self.mapping(quota, "family_quota")
            and self.required(quota, ("annual",), "family_quota")
        ):
            self.positive_int(quota["annual"], "family_quota.annual", allow_zero=True)
        self.holder_rules(doc)
        self.fees(doc)
        tables = self.reference(doc["reference"]) if "reference" in doc else {}
        facts = self.facts(doc["facts"]) if "facts" in doc else {}
        if "channels" in doc and self.mapping(doc["channels"], "channels"):
            for name, channel in doc["channels"].items():
                path = f"channels.{name}"
                if name not in CHANNELS:
                    self.add(path, "unknown_channel", name=name, known=", ".join(CHANNELS))
                elif name not in facts:
                    self.add("facts", "missing_key", key=name)
                else:
                    self.channel(channel, path, name, {**facts.get("common", {}), **facts[name]}, tables)

    def reference(self, doc: Any) -> dict[str, dict[str, Any]]:
        if not self.mapping(doc, "reference") or not self.required(doc, ("tables",), "reference"):
            return {}
        if not self.mapping(doc["tables"], "reference.tables"):
            return {}
        tables = {}
        for name, table in doc["tables"].items():
            path = f"reference.tables.{name}"
            if not self.mapping(table, path) or not self.required(table, ("label", "values"), path):
                continue
            self.translated(table["label"], f"{path}.label")
            for code, label in table.get("value_labels", {}).items():
                self.translated(label, f"{path}.value_labels.{code}")
            if not self.mapping(table["values"], f"{path}.values"):
                continue
            named = table.get("value_labels")
            if isinstance(named, dict) and named and not table.get("by_year"):
                # A table of codes names each code; an entry it does not name would make every
                # bracket on the table miss that key without a word.
                allowed = [str(code) for code in named]
                for key, value in table["values"].items():
                    if str(value) not in allowed:
                        close = suggestion(str(value), allowed)
                        hint_en, hint_zh = (
                            (f"; did you mean '{close}'?", f"；是否应为“{close}”？") if close else ("", "")
                        )
                        self.bad(
                            f"{path}.values.{key}",
                            f"{value!r} is not one of the table's value_labels ({', '.join(allowed)}){hint_en}",
                            f"{value!r} 不在本表的 value_labels 之中（{'、'.join(allowed)}）{hint_zh}",
                        )
            if table.get("by_year"):
                for key, by_year in table["values"].items():
                    if not self.mapping(by_year, f"{path}.values.{key}"):
                        continue
                    for year, amount in by_year.items():
                        where = f"{path}.values.{key}.{year}"
                        if not _is_int(year) and not str(year).isdigit():
                            self.bad(where, f"year {year!r} is not a whole number", f"年份 {year!r} 不是整数")
                        if not _is_number(amount) or amount <= 0:
                            self.bad(
                                where,
                                f"figure {amount!r} is not a positive number",
                                f"数值 {amount!r} 不是正数",
                            )
            tables[name] = table
        for name, entries in doc.get("catalogues", {}).items():
            path = f"reference.catalogues.{name}"
            if self.listing(entries, path):
                for index, entry in enumerate(entries):
                    self.coded_entry(entry, f"{path}[{index}]")
        return tables

    def coded_entry(self, entry: Any, path: str) -> None:
        if self.mapping(entry, path) and self.required(entry, ("code", "name"), path):
            self.translated(entry["name"], f"{path}.name")

    def facts(self, doc: Any) -> dict[str, dict[str, Any]]:
        if not self.mapping(doc, "facts"):
            return {}
        schema: dict[str, dict[str, Any]] = {}
        for group, specs in doc.items():
            path = f"facts.{group}"
            if group != "common" and group not in CHANNELS:
                self.add(path, "unknown_channel", name=group, known=", ".join(CHANNELS))
                continue
            if not self.mapping(specs, path):
                continue
            schema[group] = {}
            for name, spec in specs.items():
                if self.fact_spec(spec, f"{path}.{name}"):
                    schema[group][name] = spec
        for group, specs in schema.items():
            visible = {**schema.get("common", {}), **specs}
            for name, spec in specs.items():
                if isinstance(spec.get("derive"), dict):
                    self.derived_fact(spec, f"facts.{group}.{name}", visible)
        return schema

    def derived_fact(self, spec: dict[str, Any], path: str, visible: dict[str, Any]) -> None:
        source = spec["derive"].get("from")
        if spec["type"] not in NUMERIC_TYPES:
            self.bad(
                f"{path}.type",
                "a derived fact is a number (int or decimal)",
                "派生事实项须为数值（int 或 decimal）",
            )
        origin = visible.get(source)
        if origin is None or origin.get("type") != "list_int" or "derive" in origin:
            self.bad(
                f"{path}.derive.from",
                f"{source!r} is not a days-per-year fact (list_int) of this channel",
                f"“{source}”不是本类别的每年天数事实项（list_int）",
            )

    def fact_spec(self, spec: Any, path: str) -> bool:
        if not self.mapping(spec, path) or not self.required(spec, ("type", "label"), path):
            return False
        self.translated(spec["label"], f"{path}.label")
        if spec["type"] not in FACT_TYPES:
            self.add(f"{path}.type", "unknown_fact_type", value=spec["type"])
            return False
        if spec["type"] == "enum":
            choices = spec.get("choices")
            if not isinstance(choices, dict) or not choices:
                self.bad(
                    f"{path}.choices",
                    "an enum needs choices, each with en and zh names",
                    "枚举类型须列出可选值及其中英文名称",
                )
                return False
            for choice, label in choices.items():
                self.translated(label, f"{path}.choices.{choice}")
        for bound in ("min", "max"):
            if bound in spec and not _is_number(spec[bound]):
                self.bad(f"{path}.{bound}", f"{bound} must be a number", f"{bound} 必须是数字")
        return True

    # --- channels -----------------------------------------------------------------------------

    def channel(
        self, doc: Any, path: str, name: str, facts: dict[str, dict[str, Any]], tables: dict[str, Any]
    ) -> None:
        if not self.mapping(doc, path):
            return
        keys = ("label", "requirements", "documents", "deadlines", "office_levels")
        self.required(doc, keys, path)
        if "label" in doc:
            self.translated(doc["label"], f"{path}.label")
        ids: set[str] = set()
        points = doc.get("points") if isinstance(doc.get("points"), dict) else None
        context = (name, facts, tables, ids, points)
        if "points" in doc:
            self.points(doc["points"], f"{path}.points", context)
        if "requirements" in doc:
            self.node(doc["requirements"], f"{path}.requirements", context)
        if "documents" in doc and self.mapping(doc["documents"], f"{path}.documents"):
            for kind in ("standard", "green_channel"):
                where = f"{path}.documents.{kind}"
                if self.required(doc["documents"], (kind,), f"{path}.documents") and self.listing(
                    doc["documents"][kind], where
                ):
                    for index, entry in enumerate(doc["documents"][kind]):
                        self.coded_entry(entry, f"{where}[{index}]")
        if "deadlines" in doc and self.mapping(doc["deadlines"], f"{path}.deadlines"):
            for kind in ("standard", "green_channel"):
                where = f"{path}.deadlines.{kind}"
                deadlines = doc["deadlines"].get(kind)
                if not self.required(doc["deadlines"], (kind,), f"{path}.deadlines") or not self.mapping(
                    deadlines, where
                ):
                    continue
                for stage in STAGES:
                    if self.required(deadlines, (stage,), where):
                        self.positive_int(deadlines[stage], f"{where}.{stage}")
        if "office_levels" in doc and self.mapping(doc["office_levels"], f"{path}.office_levels"):
            levels = doc["office_levels"]
            for stage in ("intake", "review", "approval"):
                if (
                    self.required(levels, (stage,), f"{path}.office_levels")
                    and levels[stage] not in OFFICE_LEVELS
                ):
                    close = suggestion(str(levels[stage]), OFFICE_LEVELS)
                    hint_en, hint_zh = (
                        (f"; did you mean '{close}'?", f"；是否应为“{close}”？") if close else ("", "")
                    )
                    self.bad(
                        f"{path}.office_levels.{stage}",
                        f"{levels[stage]!r} is not one of {', '.join(OFFICE_LEVELS)}{hint_en}",
                        f"{levels[stage]!r} 不是以下之一：{', '.join(OFFICE_LEVELS)}{hint_zh}",
                    )
        green = doc.get("green_channel")
        if green is not None and self.mapping(green, f"{path}.green_channel"):
            if "when" in green:
                self.node(green["when"], f"{path}.green_channel.when", (*context[:3], set(), points))
            elif not isinstance(green.get("always"), bool):
                self.bad(
                    f"{path}.green_channel",
                    "needs 'always: true/false' or a 'when' condition",
                    "须设置“always”或“when”条件",
                )
        judgement = doc.get("judgement")
        if (
            judgement is not None
            and self.mapping(judgement, f"{path}.judgement")
            and judgement.get("always")
            and self.required(judgement, ("reason",), f"{path}.judgement")
        ):
            self.translated(judgement["reason"], f"{path}.judgement.reason")

    def node(self, doc: Any, path: str, context: tuple) -> None:
        if not self.mapping(doc, path):
            return
        forms = [key for key in ("all", "any", "op") if key in doc]
        if len(forms) != 1:
            self.add(path, "bad_node")
            return
        form = forms[0]
        if form == "op":
            self.leaf(doc, path, context)
            return
        children = doc[form]
        if not self.listing(children, f"{path}.{form}"):
            return
        if not children:
            self.bad(f"{path}.{form}", "needs at least one condition", "至少需要一个条件")
        for index, child in enumerate(children):
            self.node(child, f"{path}.{form}[{index}]", context)
        if "route" in doc:
            self.translated(doc["route"], f"{path}.route")
        if "when" in doc:
            if form == "all":
                self.leaf(doc["when"], f"{path}.when", context)
            else:
                self.add(f"{path}.when", "unknown_key", key="when")

    def leaf(self, doc: Any, path: str, context: tuple) -> None:
        channel, facts, tables, ids, points = context
        if not self.mapping(doc, path) or not self.required(doc, ("id", "op", "label"), path):
            return
        self.unique_id(doc["id"], path, ids)
        self.translated(doc["label"], f"{path}.label")
        if isinstance(doc["label"], dict):
            shown = doc
            stay = doc.get("min_stay")
            if (
                isinstance(stay, dict)
                and _is_number(stay.get("amount"))
                and stay.get("unit") in DAYS_PER_UNIT
            ):
                shown = {**doc, "min_days": duration_days(stay)}
            for name in unknown_placeholders(doc["label"], shown):
                self.bad(
                    f"{path}.label",
                    f"the placeholder {{{name}}} names no figure of this rule",
                    f"占位符{{{name}}}不对应本规则的任何数值",
                )
        if "legal_basis" in doc:
            self.translated(doc["legal_basis"], f"{path}.legal_basis")
        if "route" in doc:
            self.translated(doc["route"], f"{path}.route")
        if doc.get("on_missing", "needs_judgement") not in ("needs_judgement", "not_met"):
            self.bad(
                f"{path}.on_missing", "must be needs_judgement or not_met", "须为 needs_judgement 或 not_met"
            )
        op = doc["op"]
        if op not in OPERATORS:
            self.add(f"{path}.op", "unknown_operator", op=op, known=", ".join(OPERATORS))
            return
        if op == "points_pass":
            if points is None:
                self.add(path, "points_without_table")
            elif "tier" in doc:
                known = [tier.get("id") for tier in points.get("tiers") or () if isinstance(tier, dict)]
                if doc["tier"] not in known:
                    close = suggestion(str(doc["tier"]), [str(name) for name in known])
                    hint_en, hint_zh = (
                        (f"; did you mean '{close}'?", f"；是否应为“{close}”？") if close else ("", "")
                    )
                    self.bad(
                        f"{path}.tier",
                        f"the points table has no class {doc['tier']!r} (its classes: "
                        f"{', '.join(map(str, known)) or 'none'}){hint_en}",
                        f"积分表中没有等级“{doc['tier']}”（已有等级：{'、'.join(map(str, known)) or '无'}）{hint_zh}",
                    )
            elif "pass_mark" not in points:
                self.bad(
                    path,
                    "the points table has classes but no pass_mark: name the class to reach with 'tier'",
                    "积分表只设等级而无合格线：请用“tier”指明须达到的等级",
                )
            return
        spec = self.fact_ref(doc, "fact", path, channel, facts, OPERATOR_FACT_TYPES[op], op)
        if spec is None:
            return
        if op in COMPARISONS:
            if self.required(doc, ("value",), path):
                self.threshold(doc["value"], spec, f"{path}.value", doc["fact"])
        elif op == "in":
            if self.required(doc, ("values",), path) and self.listing(doc["values"], f"{path}.values"):
                if not doc["values"]:
                    self.bad(f"{path}.values", "needs at least one value", "至少需要一个值")
                for index, value in enumerate(doc["values"]):
                    self.threshold(value, spec, f"{path}.values[{index}]", doc["fact"])
        elif op in ("years_since_gte", "years_since_lt"):
            if self.required(doc, ("years",), path):
                self.positive_int(doc["years"], f"{path}.years")
        elif op == "consecutive_years_min_days":
            if self.required(doc, ("years",), path):
                self.positive_int(doc["years"], f"{path}.years")
            self.stay(doc, path)
        elif op == "multiple_of_reference":
            self.reference_use(doc, path, channel, facts, tables)
            if self.required(doc, ("multiple",), path):
                self.positive_number(doc["multiple"], f"{path}.multiple")
        elif op == "ratio_gte":
            self.fact_ref(doc, "of", path, channel, facts, NUMERIC_TYPES, op)
            if self.required(doc, ("ratio",), path):
                self.positive_number(doc["ratio"], f"{path}.ratio")

    def unique_id(self, value: Any, path: str, ids: set[str]) -> None:
        if value in ids:
            self.add(f"{path}.id", "duplicate_id", id=value)
        ids.add(value)

    def fact_ref(
        self, doc: dict, key: str, path: str, channel: str, facts: dict, types: tuple[str, ...], op: str
    ) -> dict[str, Any] | None:
        if not self.required(doc, (key,), path):
            return None
        name = doc[key]
        spec = facts.get(name)
        if spec is None:
            self.add(f"{path}.{key}", "unknown_fact", name=name, channel=channel)
            return None
        if spec["type"] not in types:
            self.add(f"{path}.{key}", "fact_type_mismatch", op=op, name=name, type=spec["type"])
            return None
        return spec

    def reference_use(
        self, doc: dict, path: str, channel: str, facts: dict, tables: dict, *, by_year: bool = True
    ) -> None:
        if self.required(doc, ("reference", "key_fact"), path):
            table = tables.get(doc["reference"])
            if table is None:
                self.add(f"{path}.reference", "unknown_reference", name=doc["reference"])
            elif bool(table.get("by_year")) != by_year:
                self.bad(
                    f"{path}.reference",
                    f"table '{doc['reference']}' must {'' if by_year else 'not '}be by year here",
                    f"参考表“{doc['reference']}”在此{'须' if by_year else '不可'}按年份",
                )
            self.fact_ref(doc, "key_fact", path, channel, facts, ("str", "enum"), "reference")
        if "year_offset" in doc and not _is_int(doc["year_offset"]):
            self.bad(f"{path}.year_offset", "must be a whole number", "必须是整数")

    def threshold(self, value: Any, spec: dict[str, Any], path: str, fact: str) -> None:
        kind = spec["type"]
        if kind == "enum":
            if value not in spec["choices"]:
                self.add(path, "unknown_choice", value=value, name=fact)
        elif kind == "date":
            self.a_date(value, path)
        elif kind == "bool":
            if not isinstance(value, bool):
                self.bad(path, f"{value!r} is not true or false", f"{value!r} 不是布尔值")
        elif kind in NUMERIC_TYPES:
            if not _is_number(value):
                self.bad(path, f"{value!r} is not a number", f"{value!r} 不是数字")
        elif not isinstance(value, str):
            self.bad(path, f"{value!r} is not text", f"{value!r} 不是文本")

    def reference_value(self, value: Any, path: str, table: str | None, allowed: list[str]) -> None:
        close = suggestion(str(value), allowed)
        hint_en, hint_zh = (f"; did you mean '{close}'?", f"；是否应为“{close}”？") if close else ("", "")
        self.bad(
            path,
            f"{value!r} is not a value of reference table '{table}' (its values: {', '.join(allowed)}), "
            f"so this bracket could never match{hint_en}",
            f"{value!r} 不是参考表“{table}”中的值（可用值：{'、'.join(allowed)}），该区间永远无法匹配{hint_zh}",
        )

    def positive_number(self, value: Any, path: str) -> None:
        if not _is_number(value) or value <= 0:
            self.bad(path, f"{value!r} is not a positive number", f"{value!r} 不是正数")

    def days(self, value: Any, path: str) -> None:
        if not _is_int(value) or not 0 < value <= 366:
            self.bad(
                path,
                f"{value!r} is not a number of days in a year (1-366)",
                f"{value!r} 不是一年内的天数（1-366）",
            )

    # --- points -------------------------------------------------------------------------------

    def points(self, doc: Any, path: str, context: tuple) -> None:
        channel, facts, tables, ids, _points = context
        if not self.mapping(doc, path) or not self.required(doc, ("criteria",), path):
            return
        if "pass_mark" in doc:
            self.positive_int(doc["pass_mark"], f"{path}.pass_mark")
        self.tiers(doc.get("tiers"), f"{path}.tiers")
        if not self.listing(doc["criteria"], f"{path}.criteria"):
            return
        for index, criterion in enumerate(doc["criteria"]):
            where = f"{path}.criteria[{index}]"
            if not self.mapping(criterion, where) or not self.required(criterion, ("id", "label"), where):
                continue
            self.unique_id(criterion["id"], where, ids)
            self.translated(criterion["label"], f"{where}.label")
            if "legal_basis" in criterion:
                self.translated(criterion["legal_basis"], f"{where}.legal_basis")
            derive = criterion.get("derive", "fact")
            if derive not in DERIVATIONS:
                self.add(f"{where}.derive", "unknown_operator", op=derive, known=", ".join(DERIVATIONS))
                continue
            allowed = None
            if derive == "reference_lookup":
                self.reference_use(criterion, where, channel, facts, tables, by_year=False)
                spec = None
                table = tables.get(criterion.get("reference"))
                if table is not None and isinstance(table.get("values"), dict):
                    allowed = sorted({str(value) for value in table["values"].values()})
            else:
                spec = self.fact_ref(
                    criterion, "fact", where, channel, facts, DERIVATION_FACT_TYPES[derive], derive
                )
                if spec is None:
                    continue
            if derive == "multiple_of_reference":
                self.reference_use(criterion, where, channel, facts, tables)
            elif derive == "ratio":
                self.fact_ref(criterion, "of", where, channel, facts, NUMERIC_TYPES, derive)
            elif derive == "consecutive_years":
                self.stay(criterion, where)
            if "scale" in criterion:
                self.scale(criterion["scale"], f"{where}.scale", spec, derive)
            elif self.required(criterion, ("brackets",), where):
                self.brackets(
                    criterion["brackets"],
                    f"{where}.brackets",
                    spec,
                    criterion.get("fact", ""),
                    allowed,
                    criterion,
                )

    def tiers(self, tiers: Any, path: str) -> None:
        if tiers is None or not self.listing(tiers, path):
            return
        previous = None
        seen: set[Any] = set()
        for index, tier in enumerate(tiers):
            where = f"{path}[{index}]"
            if not self.mapping(tier, where) or not self.required(tier, ("id", "min", "label"), where):
                continue
            self.translated(tier["label"], f"{where}.label")
            if tier["id"] in seen:
                self.add(f"{where}.id", "duplicate_id", id=tier["id"])
            seen.add(tier["id"])
            if not _is_int(tier["min"]):
                continue
            if previous is not None and tier["min"] >= previous:
                self.bad(
                    f"{where}.min",
                    f"classes go from highest to lowest: {tier['min']} is not below {previous}",
                    f"等级须从高到低排列：{tier['min']} 不低于 {previous}",
                )
            previous = tier["min"]

    def scale(self, scale: Any, path: str, spec: dict[str, Any] | None, derive: str) -> None:
        if not self.mapping(scale, path):
            return
        if derive == "reference_lookup" or (
            spec is not None and spec["type"] not in NUMERIC_TYPES + ("date", "list_int")
        ):
            self.bad(path, "a scale needs a numeric value", "线性计分须基于数值")
            return
        per = scale.get("per")
        bounded = _is_int(scale.get("start")) and _is_int(scale.get("max")) and _is_number(per) and per > 0
        if bounded and (scale["max"] - scale["start"]) / per > 500:
            self.bad(
                f"{path}.per",
                "the scale takes more than 500 steps to reach its max; use brackets",
                "线性计分超过500级才达到最高分，请改用区间",
            )
        if _is_int(scale.get("start")) and _is_int(scale.get("max")) and scale["max"] < scale["start"]:
            self.bad(
                f"{path}.max",
                f"max {scale['max']} is below start {scale['start']}",
                f"最高分 {scale['max']} 低于起始分 {scale['start']}",
            )

    def stay(self, doc: dict[str, Any], path: str) -> None:
        """A yearly minimum stay: min_days, or min_stay with a unit that says what it means."""
        given = [key for key in ("min_days", "min_stay") if key in doc]
        if len(given) != 1:
            self.bad(
                path,
                "give the minimum stay once: min_days or min_stay",
                "每年最少居住时间须且只能以 min_days 或 min_stay 之一给出",
            )
            return
        if given == ["min_days"]:
            self.days(doc["min_days"], f"{path}.min_days")
            return
        duration = doc["min_stay"]
        if (
            isinstance(duration, dict)
            and _is_number(duration.get("amount"))
            and duration.get("unit")
            in (
                "days",
                "months",
                "half_year",
                "years",
            )
        ):
            days = duration_days(duration)
            if not 0 < days <= 366:
                self.bad(
                    f"{path}.min_stay",
                    f"{days} days is not a stay within one year (1-366)",
                    f"{days}天不是一年内的居住天数（1-366）",
                )

    def brackets(
        self,
        brackets: Any,
        path: str,
        spec: dict[str, Any] | None,
        fact: str,
        allowed: list[str] | None = None,
        criterion: dict[str, Any] | None = None,
    ) -> None:
        if not self.listing(brackets, path):
            return
        if not brackets:
            self.bad(path, "needs at least one bracket", "至少需要一个区间")
            return
        by_equality = all(isinstance(bracket, dict) and "equals" in bracket for bracket in brackets)
        seen: list[Any] = []
        previous_end: Any = None
        for index, bracket in enumerate(brackets):
            where = f"{path}[{index}]"
            if not self.mapping(bracket, where) or not self.required(bracket, ("points",), where):
                continue
            if not _is_int(bracket["points"]) or bracket["points"] < 0:
                self.bad(
                    f"{where}.points", "points must be a whole number of at least 0", "分值须为不小于0的整数"
                )
            if by_equality:
                value = bracket["equals"]
                if value in seen:
                    self.bad(where, f"{value!r} is listed twice", f"{value!r} 重复列出")
                seen.append(value)
                if spec is not None:
                    self.threshold(value, spec, f"{where}.equals", fact)
                elif allowed is not None and str(value) not in allowed:
                    self.reference_value(
                        value, f"{where}.equals", (criterion or {}).get("reference"), allowed
                    )
                continue
            if "equals" in bracket:
                self.bad(where, "mixes 'equals' with min/max brackets", "不可混用“equals”与区间")
                continue
            start, end = bracket.get("min"), bracket.get("max")
            for bound, value in (("min", start), ("max", end)):
                if value is not None and not _is_number(value):
                    self.bad(f"{where}.{bound}", f"{value!r} is not a number", f"{value!r} 不是数字")
                    return
            if start is not None and end is not None and start >= end:
                self.add(where, "empty_bracket", start=start, end=end)
            if index > 0:
                # Brackets must tile the number line in order: each starts where the previous ends.
                if previous_end is None or start is None or start < previous_end:
                    shown_end = "∞" if previous_end is None else previous_end
                    self.add(
                        where, "overlapping_brackets", start="-∞" if start is None else start, end=shown_end
                    )
                elif start > previous_end:
                    self.add(where, "gapped_brackets", start=start, end=previous_end)
            previous_end = end


# --- the schema pass ------------------------------------------------------------------------------

_SCHEMA = Draft202012Validator(POLICY_SCHEMA)


def as_json(value: Any) -> Any:
    """The document as JSON would carry it: ISO dates, text keys (YAML years are ints), lists."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def format_path(parts: Iterable[Any]) -> str:
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(policy)"


def suggestion(word: str, known: Iterable[str]) -> str | None:
    """The closest known name to a misspelt one, if any is close enough."""
    alias = LANGUAGE_ALIASES.get(str(word).lower())
    known = list(known)
    if alias is not None and alias in known:
        return alias
    matches = difflib.get_close_matches(str(word), [str(name) for name in known], n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_key_error(path: str, key: str, known: Iterable[str]) -> PolicyError:
    close = suggestion(key, known)
    en, zh = f"unknown key '{key}'", f"未知的键“{key}”"
    if close:
        en, zh = f"{en}; did you mean '{close}'?", f"{zh}；是否应为“{close}”？"
    return PolicyError(path=path, code="unknown_key", message={"en": en, "zh": zh})


_JSON_TYPES_ZH: dict[str, str] = {
    "object": "映射",
    "array": "列表",
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔值",
    "null": "空值",
}


def _schema_errors(doc: Any) -> list[PolicyError]:
    found: list[PolicyError] = []
    for error in _SCHEMA.iter_errors(as_json(doc)):
        where = list(error.absolute_path)
        path = format_path(where)
        kind, instance, schema = error.validator, error.instance, error.schema
        if kind == "additionalProperties":
            known = list(schema.get("properties", {}))
            patterns = list(schema.get("patternProperties", {}))
            for key in instance:
                if key in known or any(key.startswith(pattern.lstrip("^")) for pattern in patterns):
                    continue
                found.append(unknown_key_error(format_path([*where, key]), key, known))
        elif kind == "required":
            found.extend(
                policy_error(path, "missing_key", key=key)
                for key in error.validator_value
                if key not in instance
            )
        elif kind == "type":
            wanted: list[str] = (
                error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            )
            found.append(
                policy_error(
                    path,
                    "bad_value",
                    detail=f"expected {' or '.join(wanted)}, got {instance!r}",
                    detail_zh=f"应为{'或'.join(_JSON_TYPES_ZH.get(w, w) for w in wanted)}，实际为 {instance!r}",
                )
            )
        elif kind == "enum":
            choices = [str(choice) for choice in error.validator_value]
            close = suggestion(instance, choices) if isinstance(instance, str) else None
            hint_en, hint_zh = (f"; did you mean '{close}'?", f"；是否应为“{close}”？") if close else ("", "")
            found.append(
                policy_error(
                    path,
                    "bad_value",
                    detail=f"{instance!r} is not one of: {', '.join(choices)}{hint_en}",
                    detail_zh=f"{instance!r} 不是以下之一：{'、'.join(choices)}{hint_zh}",
                )
            )
        elif kind == "oneOf" and "brackets" in str(error.validator_value):
            found.append(
                policy_error(
                    path,
                    "bad_value",
                    detail="a points line needs either 'brackets' or 'scale', not both",
                    detail_zh="积分项须设置“brackets”或“scale”之一，不可同时设置",
                )
            )
        elif kind == "anyOf" and "tiers" in str(error.validator_value):
            found.append(
                policy_error(
                    path,
                    "bad_value",
                    detail="a points table needs a 'pass_mark' or 'tiers'",
                    detail_zh="积分表须设置“pass_mark”或“tiers”",
                )
            )
        elif kind == "propertyNames":
            continue  # names (channels of facts, years) are reported by the semantic pass
        else:
            found.append(
                policy_error(
                    path,
                    "bad_value",
                    detail=error.message,
                    detail_zh=f"不符合策略文件格式：{error.message}",
                )
            )
    return found


def _covered(path: str, by: set[str]) -> bool:
    """Whether a semantic error already speaks of this path or something inside it."""
    if path in by:
        return True
    return any(other.startswith(path + ".") or other.startswith(path + "[") for other in by)


def validate_policy(doc: Any) -> list[PolicyError]:
    """Every problem found in a policy document; an empty list means load_policy() will accept it.

    First the schema (every key known, every value of its type), then the cross-references; where
    both speak of the same place, the semantic error is kept because it says more.
    """
    validator = _Validator()
    validator.policy(doc)
    semantic = validator.errors
    paths = {error.path for error in semantic}
    unique: dict[tuple[str, str], PolicyError] = {}
    for error in _schema_errors(doc):
        if not _covered(error.path, paths):
            # A key can be checked by two branches of the schema; it is reported once.
            unique.setdefault((error.path, error.message["en"]), error)
    return [*unique.values(), *semantic]

"""The JSON Schema of a policy document: every key, its type and what it means.

`POLICY_SCHEMA` is what `validate_policy` checks first (through the `jsonschema` library) and what
the portal publishes at /policy/schema.json so administrators can validate with their own tools.
Every object is closed (`additionalProperties: false`), so a key the engine would not read is an
error wherever it is. Cross-references (a fact a rule names, a table a criterion looks up, a value
of that table) are checked afterwards by the semantic pass in validation.py, which needs the whole
document at once.
"""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "https://pr-portal.invalid/policy/schema.json"

CHANNELS = ("talent", "work", "investment", "contribution", "family")
FACT_TYPES = ("int", "decimal", "bool", "date", "str", "enum", "list_int")
COMPARISON_OPS = ("gte", "lte", "gt", "lt", "eq")
DURATION_UNITS = ("days", "months", "half_year", "years")
AGGREGATES = ("last", "average", "minimum", "maximum", "total")
# The languages a policy text may carry, by the key residence.languages.field_key gives each of
# settings.LANGUAGES (a system check keeps the two in step). English and Chinese are required:
# the engine writes its own explanations in both. The others are optional: a version published
# without one shows English there, saying so.
TEXT_LANGUAGES = ("en", "zh", "ja", "ko", "ru", "ar")
REQUIRED_TEXT_LANGUAGES = ("en", "zh")
_LANGUAGE_NAMES = {
    "en": "English",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ru": "Russian",
    "ar": "Arabic",
}
# Codes people write for these languages that are not ours (country codes, locales): each gets
# "did you mean" the right one, which string similarity alone would miss ("jp" is not close to "ja").
LANGUAGE_ALIASES = {
    "jp": "ja",
    "jpn": "ja",
    "kr": "ko",
    "kor": "ko",
    "cn": "zh",
    "zh-hans": "zh",
    "zh_hans": "zh",
    "zh-cn": "zh",
    "zh_cn": "zh",
    "chi": "zh",
    "rus": "ru",
    "ara": "ar",
    "sa": "ar",
    "eng": "en",
}
FEE_KINDS = ("issuance", "renewal", "replacement")
FEE_DUE_POINTS = ("after_approval", "on_request")


def _text(description: str) -> dict[str, Any]:
    return {"$ref": "#/$defs/translated", "description": description}


def _obj(description: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = list(required)
    return schema


def _int(description: str, minimum: int | None = None, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "description": description}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    return schema


def _number(description: str, **bounds: float) -> dict[str, Any]:
    return {"type": "number", "description": description, **bounds}


def _name(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _date(description: str) -> dict[str, Any]:
    return {"type": "string", "format": "date", "description": description}


# --- conditions (requirement trees) -----------------------------------------------------------

ROUTE_TEXT = _text(
    "How an eligible result names this way of qualifying ('Eligible through ...'); {placeholders} "
    "quote the figures of the rule (of a group: of its first rules). Without it, the first rule's label."
)
LEAF_COMMON: dict[str, Any] = {
    "id": _name("Identifier of the rule, unique within its channel; results and snapshots name it."),
    "op": _name("The test this rule applies; the keys allowed beside it depend on it."),
    "label": _text(
        "What the rule requires, in English and Chinese; {placeholders} quote the rule's own figures."
    ),
    "legal_basis": _text("Where the rule comes from (article of the Opinions or Measures)."),
    "route": ROUTE_TEXT,
    "on_missing": {
        "enum": ["needs_judgement", "not_met"],
        "description": "What a missing fact means: an officer decides (default), or the rule simply fails.",
    },
}
FACT_KEY = _name("Name of the fact the rule reads (declared under facts for the channel).")
STAY = {
    "$ref": "#/$defs/duration",
    "description": "Minimum stay a year as a duration with its unit (alternative to min_days).",
}

LEAF_PARAMS: dict[str, dict[str, Any]] = {
    **{
        op: {
            "fact": FACT_KEY,
            "value": {
                "description": "The figure the fact is compared with (a number, date, choice or text).",
                "type": ["number", "string", "boolean"],
            },
        }
        for op in COMPARISON_OPS
    },
    "in": {
        "fact": FACT_KEY,
        "values": {
            "type": "array",
            "minItems": 1,
            "items": {"type": ["string", "integer"]},
            "description": "The accepted values; the rule is met when the fact is one of them.",
        },
    },
    "is_true": {"fact": FACT_KEY},
    "is_false": {"fact": FACT_KEY},
    "present": {"fact": FACT_KEY},
    "years_since_gte": {
        "fact": FACT_KEY,
        "years": _int("Whole years that must have passed since the date in the fact.", 1),
    },
    "years_since_lt": {
        "fact": FACT_KEY,
        "years": _int("Whole years that must not yet have passed since the date in the fact.", 1),
    },
    "consecutive_years_min_days": {
        "fact": FACT_KEY,
        "years": _int("How many most recent years in a row must each meet the minimum stay.", 1),
        "min_days": _int("Minimum days in China in each of those years.", 1, 366),
        "min_stay": STAY,
    },
    "multiple_of_reference": {
        "fact": FACT_KEY,
        "reference": _name("Reference table (by year) the fact is divided by, e.g. local_average_wage."),
        "key_fact": _name("Fact giving the table's key, e.g. the province of work."),
        "year_offset": _int(
            "Which year of the table to read, relative to the evaluation year (-1: prior year)."
        ),
        "multiple": _number("How many times the reference figure the fact must reach.", exclusiveMinimum=0),
    },
    "ratio_gte": {
        "fact": FACT_KEY,
        "of": _name("Fact the first fact is a share of."),
        "ratio": _number("Share the fact must reach (0.2 is 20%).", exclusiveMinimum=0),
    },
    "points_pass": {
        "tier": _name(
            "Class of the channel's points table that must be reached (e.g. B: B or better); "
            "without it, the pass mark."
        ),
    },
}
OPERATORS = tuple(LEAF_PARAMS)


def _leaf_schema() -> dict[str, Any]:
    """A leaf is closed per operator: only the keys its op reads are allowed."""
    known = {**LEAF_COMMON}
    for params in LEAF_PARAMS.values():
        known.update(params)
    branches = []
    for op, params in LEAF_PARAMS.items():
        branches.append(
            {
                "if": {"properties": {"op": {"const": op}}, "required": ["op"]},
                "then": {
                    "properties": {**LEAF_COMMON, **params},
                    "additionalProperties": False,
                },
            }
        )
    return {
        "type": "object",
        "description": "One condition, e.g. 'married at least 5 years'.",
        "properties": {**known, "op": {**LEAF_COMMON["op"], "enum": list(OPERATORS)}},
        "required": ["id", "op", "label"],
        "allOf": branches,
    }


def _node_schema() -> dict[str, Any]:
    children = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/condition"}}
    return {
        "description": "A condition: a group of all, a group of any, or one rule (with op).",
        "if": {"type": "object", "required": ["all"]},
        "then": _obj(
            "Met when every condition listed is met; 'when' limits the group to the cases it applies to.",
            {
                "all": {**children, "description": "Conditions that must all be met."},
                "when": {"$ref": "#/$defs/leaf", "description": "Rule deciding whether this group applies."},
                "route": ROUTE_TEXT,
            },
            ("all",),
        ),
        "else": {
            "if": {"type": "object", "required": ["any"]},
            "then": _obj(
                "Met when at least one condition listed is met.",
                {
                    "any": {**children, "description": "Conditions of which one suffices."},
                    "route": ROUTE_TEXT,
                },
                ("any",),
            ),
            "else": {"$ref": "#/$defs/leaf"},
        },
    }


# --- points tables -----------------------------------------------------------------------------

CRITERION_COMMON: dict[str, Any] = {
    "id": _name("Identifier of the points line, unique within its channel."),
    "label": _text("What the line scores, in English and Chinese."),
    "legal_basis": _text("Where the line comes from."),
    "derive": _name("How the scored value is obtained from the facts (default: the fact itself)."),
    "brackets": {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": "#/$defs/bracket"},
        "description": "Points per value: ranges [min, max) in order, or one bracket per exact value.",
    },
    "scale": {"$ref": "#/$defs/scale", "description": "A linear scale instead of brackets."},
    "cap": _int("Most points this line can give, whatever its brackets or scale say.", 0),
}
DERIVATION_PARAMS: dict[str, dict[str, Any]] = {
    "fact": {"fact": _name("Fact scored as it is.")},
    "multiple_of_reference": {
        "fact": _name("Fact divided by the reference figure (e.g. the salary)."),
        "reference": _name("Reference table by year (e.g. local_average_wage)."),
        "key_fact": _name("Fact giving the table's key (e.g. the province of work)."),
        "year_offset": _int("Year of the table to read relative to the evaluation year (-1: prior year)."),
    },
    "ratio": {
        "fact": _name("Fact that is a share (e.g. the income tax)."),
        "of": _name("Fact it is a share of (e.g. the salary)."),
    },
    "years_since": {"fact": _name("Date fact; whole years since it are scored.")},
    "consecutive_years": {
        "fact": _name("Days-per-year fact (most recent first)."),
        "min_days": _int("Days a year counts from; the most recent such years in a row are scored.", 1, 366),
        "min_stay": STAY,
    },
    "reference_lookup": {
        "reference": _name("Reference table without years (e.g. region_class)."),
        "key_fact": _name("Fact giving the table's key (e.g. the province); the table's value is scored."),
    },
}
DERIVATIONS = tuple(DERIVATION_PARAMS)


def _criterion_schema() -> dict[str, Any]:
    known = {**CRITERION_COMMON}
    for params in DERIVATION_PARAMS.values():
        known.update(params)
    branches = []
    for derive, params in DERIVATION_PARAMS.items():
        # No derive key at all means the fact itself.
        selector: dict[str, Any] = {"properties": {"derive": {"const": derive}}, "required": ["derive"]}
        if derive == "fact":
            selector = {"anyOf": [{"not": {"required": ["derive"]}}, selector]}
        then = {"properties": {**CRITERION_COMMON, **params}, "additionalProperties": False}
        branches.append({"if": selector, "then": then})
    return {
        "type": "object",
        "description": "One line of a points table, e.g. 'education: doctorate 15 points'.",
        "properties": {**known, "derive": {**CRITERION_COMMON["derive"], "enum": list(DERIVATIONS)}},
        "required": ["id", "label"],
        "oneOf": [{"required": ["brackets"]}, {"required": ["scale"]}],
        "allOf": branches,
    }


BRACKET = {
    "description": "Points for one value or one range of values.",
    "if": {"type": "object", "required": ["equals"]},
    "then": _obj(
        "Points for one exact value (a choice, true/false, or a reference table's value).",
        {
            "equals": {"type": ["string", "boolean", "number"], "description": "The value that scores."},
            "points": _int("Points for that value.", 0),
        },
        ("equals", "points"),
    ),
    "else": _obj(
        "Points for values from min (included) up to max (excluded); an empty end is open.",
        {
            "min": {"type": ["number", "null"], "description": "Lowest value of the range (included)."},
            "max": {"type": ["number", "null"], "description": "End of the range (excluded); null for none."},
            "points": _int("Points for a value in the range.", 0),
        },
        ("points",),
    ),
}
SCALE = _obj(
    "A linear scale instead of brackets: 'start points at from, per more for each further unit, at most max'.",
    {
        "from": _number("Value from which the line scores; below it the line gives 0."),
        "start": _int("Points at exactly 'from'.", 0),
        "per": _number("Points added for each whole unit above 'from'.", exclusiveMinimum=0),
        "max": _int("Most points the scale gives.", 0),
    },
    ("from", "start", "per", "max"),
)
TIER = _obj(
    "One class of outcome, e.g. 'A at 85 or more'.",
    {
        "id": _name("Name of the class, as the result gives it (e.g. A)."),
        "min": _int("Points from which this class is reached.", 0),
        "label": _text("What the class is called, in English and Chinese."),
    },
    ("id", "min", "label"),
)
POINTS = {
    **_obj(
        "The channel's points table: lines, and how their total becomes an outcome.",
        {
            "pass_mark": _int("Points needed to pass (what points_pass tests without a tier).", 1),
            "tiers": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/tier"},
                "description": "Ordered classes, highest first, each with the points it needs; the "
                "result names the highest class reached (a class at 0 catches the rest).",
            },
            "cap": _int("Most points the whole table can give (the total is cut to it).", 1),
            "criteria": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/$defs/criterion"},
                "description": "The lines of the table; their points are added up.",
            },
        },
        ("criteria",),
    ),
    "anyOf": [{"required": ["pass_mark"]}, {"required": ["tiers"]}],
}


# --- facts, reference tables, the rest ------------------------------------------------------------

FACT_SPEC = _obj(
    "One fact an applicant gives (or the portal derives), with its type and bounds.",
    {
        "type": {"enum": list(FACT_TYPES), "description": "The value's type; list_int is days per year."},
        "label": _text("What the fact is called on forms and in explanations."),
        "unit": _name("Unit of the value (CNY, USD, years, days), shown with it."),
        "min": _number("Smallest value accepted (for lists: each item)."),
        "max": _number("Largest value accepted (for lists: each item)."),
        "choices": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"$ref": "#/$defs/translated"},
            "description": "For an enum: each code, in order from lowest to highest, with its name.",
        },
        "what_if": {"type": "boolean", "description": "Whether what-if suggestions may propose changing it."},
        "derive": _obj(
            "Makes this a derived fact computed from a days-per-year fact instead of asked for.",
            {
                "from": _name("The days-per-year fact (list_int, most recent year first)."),
                "aggregate": {
                    "enum": list(AGGREGATES),
                    "description": "last: the most recent year; average, minimum, maximum or total over 'years'.",
                },
                "years": _int("How many most recent years the aggregate covers (default 1).", 1),
            },
            ("from", "aggregate"),
        ),
    },
    ("type", "label"),
)

REFERENCE_TABLE = _obj(
    "A published table the rules look figures up in (e.g. the local average wage).",
    {
        "label": _text("What the table holds."),
        "unit": _name("Unit of its figures."),
        "by_year": {"type": "boolean", "description": "Whether each key has one figure per year."},
        "value_labels": {
            "type": "object",
            "additionalProperties": {"$ref": "#/$defs/translated"},
            "description": "For a table of codes (e.g. region classes): each code's name.",
        },
        "values": {
            "type": "object",
            "description": "The figures per key (e.g. province code); by year: a figure per year.",
            "additionalProperties": {
                "anyOf": [
                    {"type": ["string", "number"]},
                    {
                        "type": "object",
                        "propertyNames": {"pattern": "^[0-9]{4}$"},
                        "additionalProperties": {"type": "number"},
                    },
                ]
            },
        },
        "past_last_year": {
            "enum": ["latest_with_warning", "needs_judgement"],
            "description": "When a year after the table's last one is asked for: use the latest figure "
            "and warn the officer and the applicant (default), or leave the rule to an officer.",
        },
    },
    ("label", "values"),
)

CODED_ENTRY = _obj(
    "An entry with a code and a name.",
    {"code": _name("Stable code of the entry."), "name": _text("Its name.")},
    ("code", "name"),
)

STAGE_DAYS = _obj(
    "Working days allowed at each stage.",
    {
        stage: _int(f"Working days for the {stage} stage.", 1)
        for stage in ("intake", "verification", "review", "approval")
    },
    ("intake", "verification", "review", "approval"),
)

OFFICE_LEVEL = {"enum": ["municipal", "provincial", "national"]}

CHANNEL = _obj(
    "One route to permanent residence and everything the portal needs to run it.",
    {
        "label": _text("Name of the channel."),
        "requirements": {"$ref": "#/$defs/condition", "description": "The conditions of the channel."},
        "points": {"$ref": "#/$defs/points", "description": "The channel's points table, if it has one."},
        "documents": _obj(
            "Documents the applicant uploads.",
            {
                kind: {"type": "array", "items": {"$ref": "#/$defs/coded_entry"}, "description": description}
                for kind, description in (
                    ("standard", "Documents for the standard procedure."),
                    ("green_channel", "Documents for the green channel."),
                )
            },
            ("standard", "green_channel"),
        ),
        "deadlines": _obj(
            "Working days per stage.",
            {
                "standard": {**STAGE_DAYS, "description": "Deadlines of the standard procedure."},
                "green_channel": {**STAGE_DAYS, "description": "Deadlines of the green channel."},
            },
            ("standard", "green_channel"),
        ),
        "office_levels": _obj(
            "The office level that acts at each stage.",
            {
                stage: {**OFFICE_LEVEL, "description": f"Office level of the {stage} stage."}
                for stage in ("intake", "review", "approval")
            },
            ("intake", "review", "approval"),
        ),
        "green_channel": _obj(
            "When a case goes through the faster green channel.",
            {
                "always": {"type": "boolean", "description": "Every case of the channel is green channel."},
                "when": {"$ref": "#/$defs/leaf", "description": "Rule that makes a case green channel."},
            },
        ),
        "judgement": _obj(
            "Whether an officer always decides this channel.",
            {
                "always": {"type": "boolean", "description": "The outcome is always 'needs judgement'."},
                "reason": _text("Why, shown with the outcome."),
            },
        ),
    },
    ("label", "requirements", "documents", "deadlines", "office_levels"),
)

BAN_GROUNDS = (
    "national_security",
    "deportation",
    "fraud",
    "insufficient_residence",
    "talent_program_terminated",
)
VERIFICATION_CHECK_KINDS = (
    "talent_program",
    "employment",
    "income_tax",
    "enterprise",
    "criminal_record",
    "days_in_china",
    "family_tie",
    "degree",
    "talent_visa",
)

POLICY_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Permanent-residence policy document",
    "description": "One version of the policy: its dates, figures, facts and the rules of each channel.",
    "type": "object",
    "properties": {
        "version": {"type": ["string", "number"], "description": "Label of this version, e.g. 2016.1."},
        "effective_from": _date("First day the version applies."),
        "effective_to": {
            "type": ["string", "null"],
            "format": "date",
            "description": "First day it no longer applies; null for until further notice.",
        },
        "legal_basis": _text("The legal texts the version implements."),
        "ban_years": _obj(
            "Years before a person whose residence was revoked may apply again, per ground.",
            {ground: _int(f"Years of ban for {ground.replace('_', ' ')}.", 0) for ground in BAN_GROUNDS},
            BAN_GROUNDS,
        ),
        "card_validity_years": _obj(
            "Years a card is valid.",
            {"adult": _int("For adults.", 1), "minor": _int("For minors.", 1)},
            ("adult", "minor"),
        ),
        "family_quota": _obj(
            "Family reunion places a year.",
            {"annual": _int("Places a year.", 0)},
            ("annual",),
        ),
        "reference": _obj(
            "Published figures and catalogues the rules refer to.",
            {
                "tables": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/$defs/reference_table"},
                    "description": "Tables by name.",
                },
                "catalogues": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/coded_entry"}},
                    "description": "Lists of coded entries by name (e.g. encouraged industries).",
                },
            },
            ("tables",),
        ),
        "facts": {
            "type": "object",
            "description": "The facts of each channel (common: shared by all), by name.",
            "propertyNames": {"enum": ["common", *CHANNELS]},
            "additionalProperties": {"type": "object", "additionalProperties": {"$ref": "#/$defs/fact"}},
        },
        "channels": {
            "type": "object",
            "description": "The channels by name.",
            "properties": {name: {"$ref": "#/$defs/channel"} for name in CHANNELS},
            "additionalProperties": False,
        },
        "fees": _obj(
            "The card fees (payments app): amounts in fen (1 yuan = 100 fen), whole numbers, never "
            "fractions; when this block is absent no fee is charged.",
            {
                "currency": {"enum": ["CNY"], "description": "The currency of every amount."},
                "legal_basis": _text("The published fee standard the amounts come from."),
                "items": {
                    "type": "object",
                    "description": "The fee of each kind of card issue.",
                    "properties": {
                        kind: _obj(
                            f"The {kind} fee.",
                            {
                                "amount_fen": _int("The fee in fen.", 0),
                                "due": {
                                    "enum": list(FEE_DUE_POINTS),
                                    "description": "When the fee falls due: after_approval (before the "
                                    "card is made) or on_request (when the holder asks for the card).",
                                },
                            },
                            ("amount_fen", "due"),
                        )
                        for kind in FEE_KINDS
                    },
                    "additionalProperties": False,
                },
                "waivers": {
                    "type": "array",
                    "description": "Categories of applicant who pay nothing; the first that matches applies.",
                    "items": _obj(
                        "One waiver: it applies when every condition given matches.",
                        {
                            "id": _name("Identifier of the waiver, unique in the list."),
                            "label": _text("What the waiver is, as the applicant reads it."),
                            "legal_basis": _text("Where the waiver comes from."),
                            "kinds": {
                                "type": "array",
                                "items": {"enum": list(FEE_KINDS)},
                                "description": "The fees it waives.",
                            },
                            "channels": {
                                "type": "array",
                                "items": {"enum": list(CHANNELS)},
                                "description": "Only applications of these channels (absent: any).",
                            },
                            "minor": {"type": "boolean", "description": "Only applicants under 18 (true)."},
                            "green_channel": {
                                "type": "boolean",
                                "description": "Only applications on the green channel (true).",
                            },
                        },
                        ("id", "label", "kinds"),
                    ),
                },
            },
            ("currency", "items"),
        ),
        "holder_residence": _obj(
            "The rule for holders after approval.",
            {
                "min_days_per_year": _int("Least days a year a holder must live in China.", 0, 366),
                "legal_basis": _text("Where the rule comes from."),
            },
            ("min_days_per_year",),
        ),
        "counters": _obj(
            "Service windows: the in-person intake and card collection.",
            {
                "in_person_intake": _obj(
                    "Whether a case needs the in-person checks (passport original, photo, fingerprints) "
                    "before it leaves intake.",
                    {
                        "required": {"type": "boolean", "description": "The checks are needed."},
                        "waived_for_green_channel": {
                            "type": "boolean",
                            "description": "Green-channel cases may leave intake without them.",
                        },
                    },
                    ("required",),
                ),
                "card_collection_days": _int("Days after which an uncollected card is flagged.", 1, 3650),
            },
        ),
        "verification": _obj(
            "Cross-agency checks per channel.",
            {
                "checks": {
                    "type": "object",
                    "description": "The check kinds each channel needs.",
                    "properties": {
                        name: {
                            "type": "array",
                            "items": {"enum": list(VERIFICATION_CHECK_KINDS)},
                            "description": f"Checks for the {name} channel.",
                        }
                        for name in CHANNELS
                    },
                    "additionalProperties": False,
                }
            },
        ),
    },
    "patternProperties": {
        "^x-": {"description": "Shared blocks for YAML anchors; the engine ignores them."},
    },
    "additionalProperties": False,
    "required": [
        "version",
        "effective_from",
        "legal_basis",
        "ban_years",
        "card_validity_years",
        "family_quota",
        "reference",
        "facts",
        "channels",
    ],
    "$defs": {
        "translated": _obj(
            "Text in each language: English and Chinese required, the others optional.",
            {key: _name(f"{_LANGUAGE_NAMES.get(key, key)} text.") for key in TEXT_LANGUAGES},
            REQUIRED_TEXT_LANGUAGES,
        ),
        "duration": _obj(
            "A length of time with a unit that says what it means: months are 30 days, a half_year "
            "is 183 days (more than half of 365), a year is 365 days.",
            {
                "amount": _number("How many units.", exclusiveMinimum=0),
                "unit": {"enum": list(DURATION_UNITS), "description": "days, months, half_year or years."},
            },
            ("amount", "unit"),
        ),
        "condition": _node_schema(),
        "leaf": _leaf_schema(),
        "points": POINTS,
        "criterion": _criterion_schema(),
        "bracket": BRACKET,
        "scale": SCALE,
        "tier": TIER,
        "fact": FACT_SPEC,
        "reference_table": REFERENCE_TABLE,
        "coded_entry": CODED_ENTRY,
        "channel": CHANNEL,
    },
}

DAYS_PER_UNIT = {"days": 1, "months": 30, "half_year": 183, "years": 365}


def duration_days(duration: dict[str, Any]) -> int:
    """A duration as whole days, rounded up so '6 months' never accepts less than 180 days."""
    import math

    return math.ceil(duration["amount"] * DAYS_PER_UNIT[duration["unit"]])


def reference_rows(schema: dict[str, Any] = POLICY_SCHEMA) -> list[dict[str, str]]:
    """Every key of the document with its place, type and description, for the reference page."""
    defs = schema["$defs"]
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def type_of(sub: dict[str, Any]) -> str:
        if "$ref" in sub:
            return sub["$ref"].rsplit("/", 1)[-1]
        if "enum" in sub:
            return " | ".join(map(str, sub["enum"]))
        kind = sub.get("type", "")
        return " | ".join(kind) if isinstance(kind, list) else str(kind)

    def walk(where: str, sub: dict[str, Any]) -> None:
        for branch in ("then", "else"):
            if isinstance(sub.get(branch), dict):
                walk(where, sub[branch])
        for item in sub.get("allOf", ()):
            walk(where, item.get("then", {}))
        for name, prop in sub.get("properties", {}).items():
            if (where, name) in seen or "description" not in prop:
                continue
            seen.add((where, name))
            rows.append(
                {"place": where, "key": name, "type": type_of(prop), "description": prop["description"]}
            )
            if "properties" in prop:
                walk(name if where == "(policy)" else f"{where}.{name}", prop)

    walk("(policy)", schema)
    for name, sub in defs.items():
        walk(name, sub)
    return rows

"""The policy schema: every unknown key at any depth is refused with its path and a suggestion."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest

from eligibility.engine import PolicyInvalid, load_policy, read_policy_document, validate_policy
from eligibility.engine.schema import POLICY_SCHEMA
from eligibility.engine.validation import as_json

DEFAULT = read_policy_document()


def errors_after(change) -> list:
    doc = copy.deepcopy(DEFAULT)
    change(doc)
    return validate_policy(doc)


def _talent_points(doc):
    return doc["channels"]["talent"]["points"]


def _family_spouse_residence(doc):
    return doc["channels"]["family"]["requirements"]["any"][0]["all"][2]


# Each of these validated before and was then silently without effect (issue 14).
SILENT_KEYS = [
    pytest.param(
        lambda doc: _talent_points(doc).update(classes=[{"id": "A", "min": 85}]),
        "channels.talent.points.classes",
        None,
        id="points.classes",
    ),
    pytest.param(
        lambda doc: _talent_points(doc).update(max_total=100),
        "channels.talent.points.max_total",
        None,
        id="points.max_total",
    ),
    pytest.param(
        lambda doc: doc["channels"]["talent"]["requirements"]["any"][2].update(pass_mark=85),
        "channels.talent.requirements.any[2].pass_mark",
        None,
        id="pass_mark on points_pass",
    ),
    pytest.param(
        lambda doc: _talent_points(doc)["criteria"][0]["brackets"][1].update(per_year=1),
        "channels.talent.points.criteria[0].brackets[1].per_year",
        None,
        id="per_year on a bracket",
    ),
    pytest.param(
        lambda doc: _talent_points(doc)["criteria"][0]["brackets"][1].update(max_points=20),
        "channels.talent.points.criteria[0].brackets[1].max_points",
        "points",
        id="max_points on a bracket",
    ),
    pytest.param(
        lambda doc: _talent_points(doc)["criteria"][1].update(formula="tax / salary"),
        "channels.talent.points.criteria[1].formula",
        None,
        id="formula on a criterion",
    ),
    pytest.param(
        lambda doc: _family_spouse_residence(doc).update(yeers=6),
        "channels.family.requirements.any[0].all[2].yeers",
        "years",
        id="yeers on a family rule",
    ),
    pytest.param(
        lambda doc: doc["facts"]["talent"]["experience_years"].update(maximum=60),
        "facts.talent.experience_years.maximum",
        "max",
        id="maximum on a fact",
    ),
    pytest.param(
        lambda doc: doc["reference"]["tables"]["region_class"].update(valeus={}),
        "reference.tables.region_class.valeus",
        "values",
        id="typo in a reference table",
    ),
    pytest.param(
        lambda doc: doc["channels"]["work"]["deadlines"]["standard"].update(reveiw=10),
        "channels.work.deadlines.standard.reveiw",
        "review",
        id="typo in a deadline",
    ),
    pytest.param(
        lambda doc: doc["channels"]["talent"]["documents"]["standard"][0].update(optional=True),
        "channels.talent.documents.standard[0].optional",
        None,
        id="unknown key on a document",
    ),
    pytest.param(
        lambda doc: doc["channels"]["talent"]["label"].update(fr="Talent"),
        "channels.talent.label.fr",
        None,
        id="unknown language",
    ),
    pytest.param(
        lambda doc: doc.update(efective_from="2016-02-18"),
        "efective_from",
        "effective_from",
        id="typo at the top level",
    ),
]


@pytest.mark.parametrize(("change", "path", "suggested"), SILENT_KEYS)
def test_an_unknown_key_at_any_depth_is_refused_with_its_path(change, path, suggested):
    errors = errors_after(change)

    found = [error for error in errors if error.path == path]
    assert [error.code for error in found] == ["unknown_key"], errors
    if suggested:
        assert f"did you mean '{suggested}'" in found[0].message["en"]
        assert f"“{suggested}”" in found[0].message["zh"]


@pytest.mark.parametrize(("change", "path", "suggested"), SILENT_KEYS)
def test_load_policy_refuses_a_document_with_an_unknown_key(change, path, suggested):
    doc = copy.deepcopy(DEFAULT)
    change(doc)

    with pytest.raises(PolicyInvalid) as raised:
        load_policy(doc)
    assert path in str(raised.value)


def test_a_key_of_another_operator_is_refused_on_a_rule():
    # 'min_days' belongs to consecutive_years_min_days, not to years_since_gte.
    errors = errors_after(
        lambda doc: doc["channels"]["work"]["requirements"]["any"][0]["all"][0].update(min_days=183)
    )

    assert [(e.path, e.code) for e in errors] == [
        ("channels.work.requirements.any[0].all[0].min_days", "unknown_key")
    ]


def test_a_bracket_that_names_no_value_of_its_reference_table_is_refused():
    def northeast(doc):
        region = next(c for c in _talent_points(doc)["criteria"] if c["id"] == "points_region")
        region["brackets"].append({"equals": "northeast", "points": 10})

    errors = errors_after(northeast)

    # The region line is shared by talent and work through a YAML alias, so both report it.
    assert {error.path for error in errors} == {
        "channels.talent.points.criteria[7].brackets[3].equals",
        "channels.work.points.criteria[7].brackets[3].equals",
    }, errors
    assert "region_class" in errors[0].message["en"]
    assert "eastern" in errors[0].message["en"]


def test_a_misspelt_reference_value_gets_a_suggestion():
    def westren(doc):
        region = next(c for c in _talent_points(doc)["criteria"] if c["id"] == "points_region")
        region["brackets"][-1]["equals"] = "westren"

    errors = errors_after(westren)

    assert errors and all("did you mean 'western'" in error.message["en"] for error in errors)


def test_a_wrongly_typed_value_is_refused_with_its_path_in_both_languages():
    (error,) = errors_after(lambda doc: doc["family_quota"].update(annual="many"))

    assert error.path == "family_quota.annual"
    assert error.message["en"] and error.message["zh"]


def test_a_misspelt_choice_of_a_closed_list_gets_a_suggestion():
    errors = errors_after(lambda doc: doc["channels"]["work"]["office_levels"].update(review="provincal"))

    assert any(
        e.path == "channels.work.office_levels.review" and "did you mean 'provincial'" in e.message["en"]
        for e in errors
    ), errors


def test_the_default_policy_validates_against_the_published_schema_with_plain_jsonschema():
    # What an administrator's own tool does: the schema alone, on the document as JSON.
    jsonschema.Draft202012Validator.check_schema(POLICY_SCHEMA)
    jsonschema.validate(as_json(DEFAULT), POLICY_SCHEMA)


def test_the_published_schema_refuses_what_validate_policy_refuses_for_unknown_keys():
    doc = copy.deepcopy(DEFAULT)
    _family_spouse_residence(doc)["yeers"] = 6

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(as_json(doc), POLICY_SCHEMA)


def _properties(schema, path=""):
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            yield f"{path}.{name}", sub
        for key, sub in schema.items():
            # An "if" only selects a branch; the keys it names are described in the branch.
            if key not in ("properties", "if"):
                yield from _properties(sub, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, sub in enumerate(schema):
            yield from _properties(sub, f"{path}[{index}]")


def test_every_key_of_the_schema_is_described():
    undescribed = [path for path, sub in _properties(POLICY_SCHEMA) if not sub.get("description")]

    assert undescribed == []
    assert json.dumps(POLICY_SCHEMA)  # publishable as it is

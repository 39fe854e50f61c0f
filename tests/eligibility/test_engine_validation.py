"""validate_policy(): each kind of error, located by path, in English and Chinese."""

from __future__ import annotations

import copy

import pytest

from eligibility.engine import PolicyInvalid, load_policy, read_policy_document, validate_policy

DEFAULT = read_policy_document()


def broken(change) -> dict:
    doc = copy.deepcopy(DEFAULT)
    change(doc)
    return doc


def _work_points(doc):
    return doc["channels"]["work"]["points"]["criteria"]


def _set_leaf(doc, **values):
    doc["channels"]["work"]["requirements"]["any"][0]["all"][0].update(values)


CASES = [
    pytest.param(
        lambda doc: _set_leaf(doc, fact="salary"),
        "unknown_fact",
        "channels.work.requirements.any[0].all[0].fact",
        id="unknown fact name",
    ),
    pytest.param(
        lambda doc: _work_points(doc)[0]["brackets"][1].update(min=1),
        "overlapping_brackets",
        "channels.work.points.criteria[0].brackets[1]",
        id="overlapping brackets",
    ),
    pytest.param(
        lambda doc: _work_points(doc)[0]["brackets"][2].update(min=5),
        "gapped_brackets",
        "channels.work.points.criteria[0].brackets[2]",
        id="gapped brackets",
    ),
    pytest.param(
        lambda doc: doc["channels"]["family"]["label"].pop("zh"),
        "missing_translation",
        "channels.family.label.zh",
        id="missing Chinese translation",
    ),
    pytest.param(
        lambda doc: _set_leaf(doc, op="approximately"),
        "unknown_operator",
        "channels.work.requirements.any[0].all[0].op",
        id="unknown operator",
    ),
    pytest.param(
        lambda doc: doc["channels"].update(tourism=copy.deepcopy(doc["channels"]["work"])),
        "unknown_channel",
        "channels.tourism",
        id="unknown channel",
    ),
    pytest.param(
        lambda doc: doc.update(effective_from="2016-13-01"),
        "bad_date",
        "effective_from",
        id="bad date",
    ),
    pytest.param(
        lambda doc: doc.update(effective_to="2015-01-01"),
        "bad_date_range",
        "effective_to",
        id="end before start",
    ),
    pytest.param(
        lambda doc: _set_leaf(doc, id="work_residence"),
        "duplicate_id",
        "channels.work.requirements.any[0].all[1].id",
        id="duplicate id",
    ),
    pytest.param(
        lambda doc: _set_leaf(doc, op="is_true"),
        "fact_type_mismatch",
        "channels.work.requirements.any[0].all[0].fact",
        id="operator on a fact of the wrong type",
    ),
    pytest.param(
        lambda doc: doc["channels"]["family"]["requirements"]["any"].append(
            {"id": "family_points", "op": "points_pass", "label": {"en": "Points", "zh": "积分"}}
        ),
        "points_without_table",
        "channels.family.requirements.any[4]",
        id="points pass without a points table",
    ),
    pytest.param(
        lambda doc: doc["reference"]["tables"].pop("local_average_wage"),
        "unknown_reference",
        "channels.talent.requirements.any[1].all[0].reference",
        id="unknown reference table",
    ),
    pytest.param(
        lambda doc: doc["channels"]["investment"]["requirements"]["all"][2].update(values=["lottery"]),
        "unknown_choice",
        "channels.investment.requirements.all[2].values[0]",
        id="value that is not an enum choice",
    ),
    pytest.param(
        lambda doc: doc.pop("ban_years"),
        "missing_key",
        "(policy)",
        id="missing ban years",
    ),
]


@pytest.mark.parametrize(("change", "code", "path"), CASES)
def test_invalid_policy_reports_the_error_kind_at_its_path(change, code, path):
    errors = validate_policy(broken(change))

    assert (path, code) in {(error.path, error.code) for error in errors}, errors


@pytest.mark.parametrize(("change", "code", "path"), CASES)
def test_every_policy_error_has_english_and_chinese_messages(change, code, path):
    for error in validate_policy(broken(change)):
        assert error.message["en"].strip()
        assert error.message["zh"].strip()


def test_the_default_policy_is_valid():
    assert validate_policy(DEFAULT) == []


def test_load_policy_refuses_an_invalid_document_and_lists_its_errors():
    with pytest.raises(PolicyInvalid) as raised:
        load_policy(broken(lambda doc: _set_leaf(doc, fact="salary")))

    assert raised.value.errors[0].code == "unknown_fact"
    assert "channels.work.requirements.any[0].all[0].fact" in str(raised.value)


def test_validating_something_that_is_not_a_mapping_does_not_crash():
    assert [error.code for error in validate_policy(["not", "a", "policy"])] == ["not_a_mapping"]


def test_policy_documents_from_json_with_text_dates_are_accepted():
    doc = broken(lambda doc: doc.update(effective_from="2016-02-18", effective_to="2030-01-01"))

    assert validate_policy(doc) == []
    assert load_policy(doc).effective_to.isoformat() == "2030-01-01"

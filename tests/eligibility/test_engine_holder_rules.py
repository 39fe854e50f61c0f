"""The policy's rules for after approval: the holders' residence rule and the checks per channel."""

from __future__ import annotations

import copy

import pytest

from eligibility.engine import read_policy_document, validate_policy

DEFAULT = read_policy_document()


def errors_after(change) -> list[tuple[str, str]]:
    doc = copy.deepcopy(DEFAULT)
    change(doc)
    return [(e.path, e.code) for e in validate_policy(doc)]


def test_the_default_policy_sets_a_ninety_day_residence_rule_and_checks_for_every_channel():
    assert DEFAULT["holder_residence"]["min_days_per_year"] == 90
    assert set(DEFAULT["verification"]["checks"]) == {
        "talent",
        "work",
        "investment",
        "contribution",
        "family",
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["holder_residence"].update(min_days_per_year=367),
            ("holder_residence.min_days_per_year", "bad_value"),
        ),
        (
            lambda d: d["holder_residence"].update(min_days_per_year="90"),
            ("holder_residence.min_days_per_year", "bad_value"),
        ),
        (lambda d: d["holder_residence"].update(max_days=5), ("holder_residence.max_days", "unknown_key")),
        (
            lambda d: d["verification"]["checks"]["work"].append("horoscope"),
            ("verification.checks.work", "bad_value"),
        ),
        (
            lambda d: d["verification"]["checks"].update(tourism=["degree"]),
            ("verification.checks.tourism", "unknown_channel"),
        ),
    ],
)
def test_a_bad_holder_rule_is_a_clear_error(change, expected):
    assert expected in errors_after(change)


def test_both_sections_are_optional():
    assert errors_after(lambda d: (d.pop("holder_residence"), d.pop("verification"))) == []


def test_a_rule_label_quotes_the_rules_own_figure_so_a_new_threshold_shows_everywhere():
    from eligibility.engine.labels import render_label

    doc = copy.deepcopy(DEFAULT)
    western = doc["channels"]["investment"]["requirements"]
    leaf = _find_leaf(western, "amount_500k_western")
    leaf["value"] = 600000
    rendered = render_label(leaf["label"], leaf)
    assert {lang: rendered[lang] for lang in ("en", "zh")} == {
        "en": "At least USD 600,000 (western region or key poverty-alleviation county)",
        "zh": "投资不少于60万美元（西部地区或国家扶贫开发工作重点县）",
    }
    # The other languages the default policy carries (ja, ko, ru, ar) quote the same new figure.
    assert all("600,000" in text for lang, text in rendered.items() if lang not in ("en", "zh"))


def test_a_placeholder_naming_no_figure_of_the_rule_is_a_clear_error():
    def change(d):
        leaf = _find_leaf(d["channels"]["investment"]["requirements"], "amount_500k_western")
        leaf["label"] = {"en": "At least USD {amount}", "zh": "不少于{amount}美元"}

    assert any(path.endswith(".label") and code == "bad_value" for path, code in errors_after(change))


def _find_leaf(node, leaf_id):
    if isinstance(node, dict):
        if node.get("id") == leaf_id:
            return node
        children = node.get("all") or node.get("any") or []
        for child in children:
            found = _find_leaf(child, leaf_id)
            if found:
                return found
    if isinstance(node, list):
        for child in node:
            found = _find_leaf(child, leaf_id)
            if found:
                return found
    return None

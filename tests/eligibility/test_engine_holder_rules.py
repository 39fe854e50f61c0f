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

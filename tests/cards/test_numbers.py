from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cards import numbers


def test_the_check_character_follows_iso_7064_mod_11_2_as_the_resident_identity_number():
    # A published example of a resident identity number: 11010519491231002X.
    assert numbers.check_character("11010519491231002") == "X"


def test_a_composed_number_has_18_characters_and_starts_with_9():
    number = numbers.compose(province="CN-GD", nationality="FRA", birth_date=dt.date(1985, 4, 12), sequence=2)
    assert len(number) == 18
    assert number.startswith("944250" + "19850412" + "002")
    numbers.validate_new_card_number(number)


@pytest.mark.parametrize(
    "typed",
    ["944250198504120028", "9442 5019 8504 1200 28", "fra123456789012"],
)
def test_both_formats_are_accepted_where_a_number_is_typed(typed):
    numbers.validate_card_number(typed)


@pytest.mark.parametrize(
    "bad",
    [
        "944250198504120027",  # wrong check character
        "844250198504120028",  # not 9
        "999250198504120028",  # no province 99
        "944000198504120028",  # no nationality 000... and check
        "9442501985133100",  # too short
        "QQQ123456789012",  # not a nationality
        "FRA12345678901",  # 14 characters
        "",
    ],
)
def test_mistyped_numbers_are_refused(bad):
    with pytest.raises(ValidationError):
        numbers.validate_card_number(bad)


def test_sequence_numbers_are_odd_for_men_and_even_for_women(db):
    from cards.services import card_number_draw

    day = dt.date(1990, 1, 1)
    men = [card_number_draw(province="CN-SC", nationality="DEU", birth_date=day, sex="M") for _ in range(2)]
    women = [card_number_draw(province="CN-SC", nationality="DEU", birth_date=day, sex="F") for _ in range(2)]
    assert [n[14:17] for n in men] == ["001", "003"]
    assert [n[14:17] for n in women] == ["002", "004"]
    assert all(numbers.is_valid(n) for n in men + women)

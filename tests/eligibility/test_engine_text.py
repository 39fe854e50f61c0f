"""Engine-written words (points bands, values with units) in every policy language, so a Japanese,
Korean, Russian or Arabic route page shows its bands in its own language, not the English stand-in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from eligibility.engine import text
from eligibility.engine.schema import TEXT_LANGUAGES


def _years(value):
    return text.with_unit_texts(value, "years")


def test_a_band_between_two_multiples_reads_in_every_language():
    words = text.band_texts(Decimal(2), Decimal(4), text.times_texts, text.multiple)
    assert words == {
        "en": "2 to under 4 times",
        "zh": "2倍以上、不足4倍",
        "ja": "2倍以上4倍未満",
        "ko": "2배 이상 4배 미만",
        "ru": "не менее 2 раз, но менее 4 раз",
        "ar": "من 2 إلى أقل من 4 أضعاف",
    }


def test_open_bands_of_a_percentage():
    assert text.band_texts(Decimal("0.2"), None, text.percent_texts)["ja"] == "20%以上"
    assert text.band_texts(None, Decimal("0.1"), text.percent_texts)["ko"] == "10% 미만"
    assert text.band_texts(None, Decimal("0.1"), text.percent_texts)["ru"] == "менее 10\u00a0%"
    assert text.band_texts(Decimal("0.2"), None, text.percent_texts)["ar"] == "20% أو أكثر"
    assert set(text.band_texts(None, None, text.percent_texts)) == set(TEXT_LANGUAGES)


@pytest.mark.parametrize(
    ("years", "ru", "ar"),
    [
        (1, "менее 1 года", "أقل من سنة واحدة"),
        (2, "менее 2 лет", "أقل من سنتين"),
        (5, "менее 5 лет", "أقل من 5 سنوات"),
        (21, "менее 21 года", "أقل من 21 سنة"),
    ],
)
def test_russian_and_arabic_count_years_by_the_number(years, ru, ar):
    words = text.band_texts(None, years, _years)
    assert words["ru"] == ru and words["ar"] == ar
    assert words["ja"] == f"{years}年未満" and words["ko"] == f"{years}년 미만"


def test_russian_writes_thousands_with_a_space_and_a_decimal_comma():
    words = text.band_texts(Decimal(100000), None, lambda v: text.with_unit_texts(v, "CNY"))
    assert words["ru"] == "не менее 100\u00a0000 юаней"
    assert words["ja"] == "100,000人民元以上"
    assert text.times_texts(Decimal("1.5"))["ru"] == "1,5 раза"


def test_the_two_language_functions_are_unchanged():
    assert text.band(None, 10, lambda v: text.with_unit(v, "years")) == ("under 10 years", "不足10年")
    assert text.with_unit(1, "days") == ("1 day", "1天")
    assert text.fact_value(True, None) == ("yes", "是")
    assert text.fact_value(None, None) == ("not provided", "未提供")


def test_a_unit_without_words_falls_back_to_english_on_the_page():
    # No Japanese for a unit the module does not know: the key is absent, so pick() shows English.
    assert set(text.with_unit_texts(3, "widgets")) == {"en", "zh"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("ja", ("20%以上", "10%未満", "2倍以上4倍未満")),
        ("ko", ("20% 이상", "10% 미만", "2배 이상 4배 미만")),
        ("ru", ("не менее 20\u00a0%", "менее 10\u00a0%", "не менее 2 раз, но менее 4 раз")),
        ("ar", ("20% أو أكثر", "أقل من 10%", "من 2 إلى أقل من 4 أضعاف")),
    ],
)
def test_route_page_bands_are_in_the_readers_language(client, language, shown):
    client.cookies["django_language"] = language
    page = client.get(reverse("eligibility:route_detail", args=["talent"])).content.decode()
    lowered = page.lower()
    for words in shown:
        assert words.lower() in lowered, words
    assert "or more" not in page and "to under" not in page

"""Nationalities come from pycountry, with the Ministry of Foreign Affairs' names kept as overrides."""

from __future__ import annotations

from applications.countries import COUNTRIES, COUNTRY_CHOICES, NOT_FOREIGN, country_name
from cards.nationality_codes import ALPHA3_BY_NUMERIC, NUMERIC_BY_ALPHA3


def test_names_from_pycountry_and_its_chinese_catalogue():
    assert COUNTRIES["DEU"] == ("Germany", "德国")
    # The common name's translation, not the formal ISO name's (老挝人民民主共和国).
    assert COUNTRIES["LAO"] == ("Lao People's Democratic Republic", "老挝")


def test_ministry_usage_overrides_pycountry():
    assert COUNTRIES["COG"] == ("Congo", "刚果（布）")
    assert COUNTRIES["COD"] == ("Congo, Democratic Republic of the", "刚果（金）")
    assert COUNTRIES["BGD"][1] == "孟加拉国"
    assert COUNTRIES["USA"] == ("United States of America", "美国")


def test_icao_codes_for_stateless_persons_and_refugees():
    assert COUNTRIES["XXA"] == ("Stateless person", "无国籍人")
    assert COUNTRIES["XXB"] == ("Refugee", "难民")
    assert {"XXC", "XXX"} <= COUNTRIES.keys()
    assert NUMERIC_BY_ALPHA3["XXA"] == "999" and NUMERIC_BY_ALPHA3["XXB"] == "998"
    assert ALPHA3_BY_NUMERIC["997"] == "XXC" and ALPHA3_BY_NUMERIC["996"] == "XXX"


def test_chinese_citizens_are_no_nationality_choice_but_decode_in_card_numbers():
    assert not NOT_FOREIGN & COUNTRIES.keys()
    assert NUMERIC_BY_ALPHA3["CHN"] == "156"


def test_every_choice_has_a_numeric_code_and_choices_sort_by_english_name():
    assert all(code in NUMERIC_BY_ALPHA3 for code in COUNTRIES)
    english = [COUNTRIES[code][0] for code, _label in COUNTRY_CHOICES]
    assert english == sorted(english)


def test_country_name_by_language():
    assert country_name("FRA", "zh-hans") == "法国"
    assert country_name("FRA", "en") == "France"
    assert country_name("QQQ", "en") == "QQQ"

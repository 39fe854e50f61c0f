"""Nationalities: ISO 3166-1 alpha-3 codes with English and Chinese names.

The codes and names come from pycountry (ISO 3166-1, and its zh_CN translations from Debian's
iso-codes) so that a new or renamed country arrives with a dependency update, not a hand edit.
Names are data (like residence.regions), not translatable strings. Where the Ministry of Foreign
Affairs' usage (or the name this portal has always shown) differs from pycountry's, the name is
kept in country_names.txt beside this module, as are the ICAO Doc 9303 codes for stateless
persons and refugees, which are not ISO countries but appear in travel documents.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pycountry
from django.utils.translation import get_language

# Chinese citizens (including the Hong Kong and Macao SARs and Taiwan) do not apply as foreigners.
NOT_FOREIGN = frozenset({"CHN", "HKG", "MAC", "TWN"})

_OVERRIDES = Path(__file__).with_name("country_names.txt")


def _overrides() -> dict[str, tuple[str, str]]:
    """CODE|English|Chinese lines, "#" to the line's end a comment; an empty name means pycountry's."""
    rows: dict[str, tuple[str, str]] = {}
    for line in _OVERRIDES.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            code, en, zh = line.split("|")
            rows[code] = (en, zh)
    return rows


def _load() -> dict[str, tuple[str, str]]:
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    overrides = _overrides()
    names: dict[str, tuple[str, str]] = {}
    for country in pycountry.countries:
        if country.alpha_3 in NOT_FOREIGN:
            continue
        # The Chinese catalogue translates the common name ("Laos" 老挝) closer to the Ministry's
        # usage than the formal ISO name ("Lao People's Democratic Republic" 老挝人民民主共和国).
        zh = chinese.gettext(getattr(country, "common_name", None) or country.name)
        en_override, zh_override = overrides.pop(country.alpha_3, ("", ""))
        names[country.alpha_3] = (en_override or country.name, zh_override or zh)
    # What is left are the ICAO codes, which have no ISO entry: both names are given.
    names.update(overrides)
    return names


COUNTRIES: dict[str, tuple[str, str]] = _load()
COUNTRY_CHOICES = [
    (code, f"{en} {zh}") for code, (en, zh) in sorted(COUNTRIES.items(), key=lambda i: i[1][0])
]


def country_choices() -> list[tuple[str, str]]:
    """The model field's choices as a callable, so a pycountry update needs no migration."""
    return COUNTRY_CHOICES


def country_name(code: str, language: str | None = None) -> str:
    names = COUNTRIES.get(code)
    if names is None:
        return code
    return names[1] if (language or get_language() or "en").startswith("zh") else names[0]

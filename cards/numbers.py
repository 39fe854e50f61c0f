"""Permanent residence card numbers: the 18-character number issued since December 2023, and the
older 15-character one that verification still accepts.

The 18-character number (17 digits and a check character, ISO 7064 MOD 11-2, as the resident
identity number) is laid out as:

=========  =====  ====================================================================
positions  width  content
=========  =====  ====================================================================
1          1      ``9``: a foreigner
2-3        2      province of acceptance, GB/T 2260 prefix (``residence.regions``)
4-6        3      nationality, ISO 3166-1 numeric code (``cards.nationality_codes``)
7-14       8      date of birth, YYYYMMDD
15-17      3      sequence number among holders with the same first 14 digits; odd for
                  men, even for women, as in the resident identity number
18         1      check character, 0-9 or X
=========  =====  ====================================================================

The birth date is written with four-digit years (as in the resident identity number), which
leaves three digits for the sequence: 500 holders per province, nationality, birth date and sex.

The older number: three capital letters (the nationality, ICAO/ISO alpha-3) and twelve digits.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from residence.regions import PROVINCES, PROVINCES_BY_CODE

from .nationality_codes import ALPHA3_BY_NUMERIC, NUMERIC_BY_ALPHA3

WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
CHECK_CHARACTERS = "10X98765432"  # indexed by the weighted sum modulo 11
NEW_FORMAT = re.compile(r"^9[0-9]{16}[0-9X]$")
OLD_FORMAT = re.compile(r"^[A-Z]{3}[0-9]{12}$")
GB_PREFIXES = frozenset(p.gb_prefix for p in PROVINCES)
SEQUENCE_MAX = 999


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("17 digits expected")
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(number: str) -> str:
    """Upper case without spaces or dashes, as people type and scanners read."""
    return re.sub(r"[\s\-]", "", number or "").upper()


def compose(*, province: str, nationality: str, birth_date: dt.date, sequence: int) -> str:
    """The 18-character number; ``province`` is ISO 3166-2 (CN-GD), ``nationality`` alpha-3."""
    prefix = PROVINCES_BY_CODE[province].gb_prefix
    numeric = NUMERIC_BY_ALPHA3[nationality]
    if not 1 <= sequence <= SEQUENCE_MAX:
        raise ValueError("sequence out of range")
    first17 = f"9{prefix}{numeric}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)


def stem(*, province: str, nationality: str, birth_date: dt.date) -> str:
    """The first 14 digits that a sequence number completes."""
    return f"9{PROVINCES_BY_CODE[province].gb_prefix}{NUMERIC_BY_ALPHA3[nationality]}{birth_date:%Y%m%d}"


def new_format_errors(number: str) -> list[str]:
    """Why an 18-character number is wrong (empty when it is well formed)."""
    if not NEW_FORMAT.match(number):
        return [str(_("A card number has 18 characters: 9, then 16 digits, then a digit or X."))]
    errors = []
    if number[1:3] not in GB_PREFIXES:
        errors.append(str(_("Digits 2 and 3 are not a province code.")))
    if number[3:6] not in ALPHA3_BY_NUMERIC:
        errors.append(str(_("Digits 4 to 6 are not a nationality code.")))
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        errors.append(str(_("Digits 7 to 14 are not a date of birth.")))
    if number[14:17] == "000":
        errors.append(str(_("The sequence number cannot be 000.")))
    if not errors and check_character(number[:17]) != number[17]:
        errors.append(str(_("The check character does not match: the number has been mistyped.")))
    return errors


def old_format_errors(number: str) -> list[str]:
    if not OLD_FORMAT.match(number):
        return [str(_("An older card number has 15 characters: 3 capital letters, then 12 digits."))]
    if number[:3] not in NUMERIC_BY_ALPHA3:
        return [str(_("The first 3 letters are not a nationality code."))]
    return []


def validate_card_number(value: str) -> None:
    """Validator for anywhere a card number is typed: either format."""
    number = normalise(value)
    errors = old_format_errors(number) if number[:1].isalpha() else new_format_errors(number)
    if errors:
        raise ValidationError(errors, code="card_number")


def validate_new_card_number(value: str) -> None:
    errors = new_format_errors(normalise(value))
    if errors:
        raise ValidationError(errors, code="card_number")


def is_valid(number: str) -> bool:
    try:
        validate_card_number(number)
    except ValidationError:
        return False
    return True

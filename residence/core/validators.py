"""Plausibility checks every app shares: text a person can see, dates in the policy's era."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Format, control, separator and combining characters: a "name" made only of these looks empty.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn"}
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)
EARLIEST_FACT_DATE = dt.date(1950, 1, 1)


def validate_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError(_("Text may not contain a NUL character."), code="null_characters_not_allowed")


def validate_visible_text(value: str) -> None:
    """Refuse a non-empty text made only of invisible characters (zero-width spaces and the like)."""
    if value and all(unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in value):
        raise ValidationError(_("Enter visible text, not only invisible characters."), code="invisible")


def validate_birth_date_plausible(value: dt.date) -> None:
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("Enter a date of birth after 1900."), code="implausible_date")


def validate_fact_date_plausible(value: dt.date) -> None:
    if value < EARLIEST_FACT_DATE:
        raise ValidationError(_("Enter a date after 1950."), code="implausible_date")

"""What the applications pages share: values of a record as a page shows them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from residence.cities import city_name
from residence.regions import province_name

from ..countries import country_name


def display_value(instance: models.Model, name: str, language: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return ""
    if name in ("nationality",):
        return country_name(value, language)
    if name in ("province", "work_province"):
        return province_name(value, language)
    if name == "city_code":
        return city_name(value, language)
    if isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(field, models.DateField):
        return value.isoformat()
    return str(value)


def field_rows(instance: models.Model | None, names: list[str], language: str) -> list[tuple[str, str]]:
    """(label, shown value) pairs for a summary list; the template escapes the values."""
    if instance is None:
        return []
    rows = []
    for name in names:
        field = instance._meta.get_field(name)
        label = str(field.verbose_name)
        rows.append((label[:1].upper() + label[1:], display_value(instance, name, language)))
    return rows

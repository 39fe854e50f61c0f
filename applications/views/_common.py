"""What the applications pages share: turning service errors into form errors and messages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from residence.cities import city_name
from residence.regions import province_name

from ..countries import country_name


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one, else on top."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = rename.get(name, name)
        field = name if name in form.fields else None
        for message in messages:
            form.add_error(field, message)


def error_text(error: Exception) -> str:
    """One readable sentence for a PermissionDenied, TransitionConflict or ValidationError."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    detail = getattr(error, "detail", None)
    if detail:
        return str(detail)
    return str(error) or _("This action is not allowed.")


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

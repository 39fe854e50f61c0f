"""What every app's HTML views share about forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext as _

INVALID_CLASS = "invalid"


class PortalBoundField(BoundField):
    """Every widget of a field with errors is marked the same way, whatever its kind.

    Text inputs, selects, text areas, date and file inputs alike get the ``invalid`` class,
    ``aria-invalid="true"`` and ``aria-describedby`` naming the field's error (and help text), the ids
    that ``templates/_field.html`` gives them.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden or not self.errors:
            return attrs
        attrs["aria-invalid"] = "true"
        classes = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
        if INVALID_CLASS not in classes:
            classes.append(INVALID_CLASS)
        attrs["class"] = " ".join(dict.fromkeys(classes))
        if self.auto_id and not self.use_fieldset:
            described = (attrs.get("aria-describedby") or widget.attrs.get("aria-describedby") or "").split()
            for wanted in (f"{self.auto_id}_helptext" if self.help_text else "", f"{self.auto_id}_error"):
                if wanted and wanted not in described:
                    described.append(wanted)
            attrs["aria-describedby"] = " ".join(described)
        return attrs


class PortalFormRenderer(DjangoTemplates):
    """The project's form renderer (settings.FORM_RENDERER): every form's fields marked alike.

    Pages lay fields out with templates/_form_fields.html (or _field.html for one field) and
    summarise errors with templates/_error_summary.html.
    """

    bound_field_class = PortalBoundField


def apply_service_errors(form, error: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """A service's ValidationError shown on the form: by field where the form has it, else on top.

    ``rename`` maps a service's field name to the form's where the two differ (the service's
    ``profile`` is the form's ``birth_date``).
    """
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            name = rename.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def error_text(error: Exception) -> str:
    """One readable sentence for a view's message: a ValidationError, PermissionDenied or Conflict."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    detail = getattr(error, "detail", None)
    if detail:
        return str(detail)
    return str(error) or _("This action is not allowed.")

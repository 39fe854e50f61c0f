"""What every app's HTML views share about forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def apply_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where the form has it, else on top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )


class TotpConfirmForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the 6 digits the app shows.")},
        help_text=_("The 6 digits the app shows for this portal."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )

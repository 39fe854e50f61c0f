from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IdentityDecision


class DecisionForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Your decision"), choices=IdentityDecision.Verdict.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason (required for different people)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

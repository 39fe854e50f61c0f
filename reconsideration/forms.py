from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class LodgeForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds for reconsideration"),
        help_text=_("Say which part of the decision is wrong and why; name any new facts."),
        max_length=8000,
        widget=forms.Textarea,
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            ("upheld", _("Uphold the decision")),
            ("overturned", _("Overturn the decision")),
            ("varied", _("Vary the decision")),
            ("remitted", _("Remit for a new decision")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons for the decision"), max_length=8000, widget=forms.Textarea)
    ban_until = forms.DateField(
        label=_("New end of the ban (varying a revocation)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for suspending the revocation"), max_length=4000, widget=forms.Textarea
    )

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CorrectionRequest


class CorrectionForm(forms.Form):
    application = forms.ChoiceField(label=_("Which application (if it is about one)"), required=False)
    what = forms.CharField(label=_("Which information is wrong"), max_length=300)
    correction = forms.CharField(
        label=_("What it should say"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, applications=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [
            ("", _("Not about one application")),
            *((str(a.pk), str(a)) for a in applications),
        ]


class WithdrawConsentForm(forms.Form):
    confirm = forms.BooleanField(label=_("I understand what withdrawing means"), required=False)


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionAnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (CorrectionRequest.Status.CORRECTED, CorrectionRequest.Status.CORRECTED.label),
            (CorrectionRequest.Status.REFUSED, CorrectionRequest.Status.REFUSED.label),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer to the person"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

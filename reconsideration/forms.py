from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


FILES_HELP = _("Optional: up to 5 PDF, JPEG or PNG files, each at most 10 MB.")


class LodgeForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds for reconsideration"),
        help_text=_("Say which part of the decision is wrong and why; name any new facts."),
        max_length=8000,
        widget=forms.Textarea,
    )
    files = MultipleFileField(label=_("Attached documents"), help_text=FILES_HELP)


class EvidenceRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Evidence needed"),
        help_text=_(
            "The person is told by e-mail and in the portal; the deadline is paused until they answer."
        ),
        max_length=4000,
        widget=forms.Textarea,
    )


class EvidenceAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), max_length=4000, widget=forms.Textarea)
    files = MultipleFileField(label=_("Attached documents"), help_text=FILES_HELP)


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

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CardRequest, Institution, RevocationCase
from .numbers import normalise, validate_card_number


class CardRequestForm(forms.Form):
    """Renewal or replacement. Nothing is chosen for the holder, except in the renewal window,
    where "renewal, the card expires soon" is what they most likely came for."""

    kind = forms.ChoiceField(
        label=_("What do you need?"), choices=[("", _("Choose one"))] + CardRequest.Kind.choices
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose one"))] + CardRequest.Reason.choices
    )
    statement = forms.CharField(
        label=_("Anything the officer should know"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, in_renewal_window: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if in_renewal_window:
            self.fields["kind"].initial = CardRequest.Kind.RENEWAL
            self.fields["reason"].initial = CardRequest.Reason.EXPIRING


class CardRequestRefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the refusal"), max_length=2000, widget=forms.Textarea)


class RevocationOpenForm(forms.Form):
    card_number = forms.CharField(
        label=_("Card number"),
        max_length=40,
        validators=[validate_card_number],
        help_text=_("18 characters (or an older 15-character number)."),
    )
    ground = forms.ChoiceField(label=_("Ground"), choices=RevocationCase.Ground.choices)
    evidence = forms.CharField(label=_("Evidence"), max_length=8000, widget=forms.Textarea)

    def clean_card_number(self) -> str:
        return normalise(self.cleaned_data["card_number"])


class RevocationDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("revoke", _("Revoke the card and set the ban")),
            ("cancel", _("Cancel the case: the card stays valid")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Reasons for the decision"), max_length=4000, widget=forms.Textarea)


class PresenceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Entry and exit records (CSV)"),
        help_text=_("Columns: card_number, direction (entry or exit), date (YYYY-MM-DD), port."),
    )


class InstitutionForm(forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Scanned code"),
        help_text=_(
            "Paste or type what the scanner read from the card's QR code, or scan it with the camera."
        ),
        max_length=2000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
    )

"""Forms of the service windows: they only collect input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.forms import ApplicantProfileForm
from applications.models import Channel

from .models import CardCollection


class WalkInForm(ApplicantProfileForm):
    """The walk-in's passport details, the route, and their consent read out at the window."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    consent = forms.BooleanField(
        label=_("The applicant has read the consent above and agrees"),
        required=False,
    )

    class Meta(ApplicantProfileForm.Meta):
        help_texts = {
            "passport_number": _("Capital letters and digits, as printed in the passport."),
            "email": _("The one-time claim code is sent to this address."),
            "city_code": _("The city (or prefecture) the applicant lives in."),
        }


class IntakeForm(forms.Form):
    passport_checked = forms.BooleanField(
        label=_("Identity checked against the passport original"), required=False
    )
    photo_taken = forms.BooleanField(label=_("Photo taken"), required=False)
    fingerprints_taken = forms.BooleanField(label=_("Fingerprints taken"), required=False)


class CollectionForm(forms.Form):
    collector = forms.ChoiceField(
        label=_("Who collects the card"), choices=CardCollection.Collector.choices, widget=forms.RadioSelect
    )
    id_checked = forms.BooleanField(label=_("Identity document of the collector checked"), required=False)
    authorised_name = forms.CharField(label=_("Authorised person's name"), max_length=200, required=False)
    authorised_id_number = forms.CharField(
        label=_("Authorised person's ID number"), max_length=40, required=False
    )
    letter_reference = forms.CharField(
        label=_("Letter of authorisation reference"), max_length=60, required=False
    )


class ClaimForm(forms.Form):
    code = forms.CharField(
        label=_("Claim code"),
        max_length=20,
        help_text=_("The code in the e-mail from the service window, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

"""Forms of the appointment pages: choose a service and a day (GET), then a time (POST)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Booking, Service


class DayForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"), choices=Service.choices)
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services is not None:
            self.fields["service"].choices = [(s, Service(s).label) for s in services]


class SlotForm(forms.Form):
    """The chosen start, as the ISO date-time of a listed slot."""

    slot = forms.ChoiceField(label=_("Time"), widget=forms.RadioSelect)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = choices

    def clean_slot(self) -> dt.datetime:
        try:
            value = dt.datetime.fromisoformat(self.cleaned_data["slot"])
        except ValueError:
            raise forms.ValidationError(_("Choose one of the times listed.")) from None
        # The listed values carry their offset; a hand-made one without it is read as office time.
        return value if timezone.is_aware(value) else timezone.make_aware(value)


class MarkForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[
            (Booking.State.ATTENDED, Booking.State.ATTENDED.label),
            (Booking.State.NO_SHOW, Booking.State.NO_SHOW.label),
        ]
    )

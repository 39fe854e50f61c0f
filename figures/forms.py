from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MONTH_FORMATS = ["%Y-%m"]


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self):
        super().__init__(format="%Y-%m")


class ResearchExtractForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the research"),
        help_text=_("Recorded with the download. Say which question the data will help to answer."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start = forms.DateField(
        label=_("Applications submitted from (month)"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(),
        help_text=_("Year and month, for example 2025-01."),
    )
    end = forms.DateField(
        label=_("Until (month, included)"),
        input_formats=MONTH_FORMATS,
        widget=MonthInput(),
        help_text=_("Year and month, for example 2025-12."),
    )
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[("csv", _("CSV (a spreadsheet)")), ("parquet", _("Parquet (for data tools)"))],
        widget=forms.RadioSelect,
        initial="csv",
    )

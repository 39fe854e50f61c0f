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


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.label} ({obj.get_status_display()})"


class PolicyComparisonForm(forms.Form):
    """Two versions the user may read (drafts for policy administrators only) and a period."""

    version_a = VersionChoiceField(
        label=_("Version A"),
        queryset=None,
        empty_label=_("Choose a version"),
        error_messages={
            "invalid_choice": _("There is no such policy version to compare; choose one from the list.")
        },
    )
    version_b = VersionChoiceField(
        label=_("Version B"),
        queryset=None,
        empty_label=_("Choose a version"),
        error_messages={
            "invalid_choice": _("There is no such policy version to compare; choose one from the list.")
        },
    )
    start = forms.DateField(
        label=_("Cases decided from"),
        widget=DayInput(),
        help_text=_("A date, for example 2025-01-01."),
    )
    end = forms.DateField(
        label=_("Until (included)"),
        widget=DayInput(),
        help_text=_("A date, for example 2025-12-31."),
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version_a"].queryset = versions
        self.fields["version_b"].queryset = versions


class PolicyComparisonDownloadForm(PolicyComparisonForm):
    purpose = forms.CharField(
        label=_("Purpose of the download"),
        help_text=_("Recorded with the download. Say which question the comparison will help to answer."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "download_%s")  # the page shows both forms: no id twice
        super().__init__(*args, **kwargs)
        for name in ("version_a", "version_b", "start", "end"):
            self.fields[name].widget = forms.HiddenInput()

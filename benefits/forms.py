"""Forms of the benefits pages: they shape input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SHORT_TEXT_MAX, AppliesTo, BenefitItem, Category, Kind
from .services import EDITABLE_FIELDS


def _with_blank(choices, label) -> list[tuple[str, str]]:
    return [("", label), *choices]


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=())
    agency = forms.ChoiceField(label=_("Agency"), required=False, choices=())
    applies_to = forms.ChoiceField(
        label=_("Applies to"), required=False, choices=_with_blank(AppliesTo.choices, _("Anyone"))
    )
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=_with_blank(Kind.choices, _("Both")))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _with_blank(Category.choices, _("All categories"))
        self.fields["agency"].choices = _with_blank([(a.code, a.name) for a in agencies], _("All agencies"))

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


LANGUAGE_GROUPS = (
    ("en", _("In English"), "en"),
    ("zh", _("In Chinese"), "zh-Hans"),
)


def _link_field() -> forms.URLField:
    return forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")


class BenefitItemForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    link = _link_field()

    class Meta:
        model = BenefitItem
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "description_zh": forms.Textarea(attrs={"rows": 6}),
            "legal_basis_en": forms.Textarea(attrs={"rows": 2}),
            "legal_basis_zh": forms.Textarea(attrs={"rows": 2}),
            "procedure_en": forms.Textarea(attrs={"rows": 4}),
            "procedure_zh": forms.Textarea(attrs={"rows": 4}),
            "documents_en": forms.Textarea(attrs={"rows": 3}),
            "documents_zh": forms.Textarea(attrs={"rows": 3}),
            "where_en": forms.Textarea(attrs={"rows": 3}),
            "where_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version
        for name, field in self.fields.items():
            # The Chinese fields are typed in Chinese: tell browsers and screen readers.
            if name.endswith("_zh"):
                field.widget.attrs["lang"] = "zh-Hans"
        self.fields["title_en"].required = False
        self.fields["title_zh"].required = False

    def _post_clean(self):
        # Model validation belongs to the service (which knows drafts from publications); the
        # form only checks types and sizes.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}

    def groups(self) -> list[tuple[str, str, list]]:
        """Fields as the page shows them: what the item is, then each language side by side."""
        general = [self[n] for n in ("kind", "category", "applies_to", "effective_date", "link")]
        languages = [
            (str(label), lang, [self[n] for n in EDITABLE_FIELDS if n.endswith(f"_{suffix}")])
            for suffix, label, lang in LANGUAGE_GROUPS
        ]
        return [(str(_("About the item")), "", general), *languages]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for withdrawal"),
        required=False,
        max_length=SHORT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Review comment"), max_length=SHORT_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

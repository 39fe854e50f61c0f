"""Forms of the benefits pages: they shape input; the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from residence import languages

from .models import (
    SHARED_FIELDS,
    SHORT_TEXT_MAX,
    TEXT_FIELDS,
    AppliesTo,
    BenefitItem,
    BenefitItemTranslation,
    Category,
    Kind,
    content_field_label,
    text_field_name,
)


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


# Rows of the text boxes, by field; the others are one line.
_TEXT_ROWS = {"description": 6, "legal_basis": 2, "procedure": 4, "documents": 3, "where": 3}


def text_form_field(field: str, code: str) -> forms.Field:
    """The form field of one text in one language, sized like its translation column."""
    column = BenefitItemTranslation._meta.get_field(field)
    rows = _TEXT_ROWS.get(field)
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    # The texts are typed in their language: tell browsers, spell checkers and screen readers.
    widget.attrs["lang"] = languages.html_tag(code)
    if languages.is_rtl(code):
        widget.attrs["dir"] = "rtl"
    return forms.CharField(
        label=capfirst(content_field_label(text_field_name(field, code))),
        help_text=column.help_text,
        required=False,
        max_length=column.max_length,
        widget=widget,
    )


def _link_field() -> forms.URLField:
    return forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")


class BenefitItemForm(forms.ModelForm):
    """The shared fields and the texts in English plus one more language (the editor picks it).

    Only the languages shown are sent to the service, so the others stay as they are.
    """

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    link = _link_field()

    class Meta:
        model = BenefitItem
        fields = list(SHARED_FIELDS)
        widgets = {"effective_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, languages_shown: tuple[str, ...] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages_shown = languages_shown or tuple(languages.codes())
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version
        texts = self.instance.texts() if self.instance.pk else {}
        for code in self.languages_shown:
            for field in TEXT_FIELDS:
                name = text_field_name(field, code)
                self.fields[name] = text_form_field(field, code)
                self.initial.setdefault(name, (texts.get(code) or {}).get(field, ""))

    def _post_clean(self):
        # Model validation belongs to the service (which knows drafts from publications); the
        # form only checks types and sizes.
        pass

    def text_names(self) -> list[str]:
        return [text_field_name(f, code) for code in self.languages_shown for f in TEXT_FIELDS]

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in (*SHARED_FIELDS, *self.text_names())}

    def groups(self) -> list[tuple[str, str, list]]:
        """Fields as the page shows them: what the item is, then each language side by side."""
        general = [self[n] for n in ("kind", "category", "applies_to", "effective_date", "link")]
        groups = [
            (
                _("In %(language)s") % {"language": languages.name(code)},
                languages.html_tag(code),
                [self[text_field_name(f, code)] for f in TEXT_FIELDS],
            )
            for code in self.languages_shown
        ]
        return [(str(_("About the item")), "", general), *groups]


class EditLanguageForm(forms.Form):
    """Which language to edit beside English."""

    language = forms.ChoiceField(label=_("Second language"), choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, languages.name(code)) for code in languages.codes() if code != languages.FALLBACK
        ]


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

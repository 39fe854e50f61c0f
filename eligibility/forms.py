"""Forms of the eligibility pages; the self-check form is generated from the policy's declared facts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Agency
from residence.regions import PROVINCE_CHOICES

from .models import Ban, NominatingBody, TalentProgram, localized

# Set by the registries (talent programs, industry catalogues, divisions), never by the person checking.
HIDDEN_FACTS = frozenset(
    {"talent_program_registered", "encouraged_industry", "priority_industry", "region_class"}
)
PROVINCE_FACTS = frozenset({"province", "work_province"})
YES_NO = [("", _("Not sure / not given")), ("yes", _("Yes")), ("no", _("No"))]


class DateInput(forms.DateInput):
    input_type = "date"


def _fact_field(name: str, spec: dict[str, Any]) -> forms.Field:
    label = localized(spec.get("label")) or name
    kind = spec["type"]
    unit = spec.get("unit")
    help_text = f"{unit}" if unit and unit not in ("years",) else ""
    if kind == "int":
        return forms.IntegerField(
            label=label, required=False, min_value=spec.get("min"), max_value=spec.get("max")
        )
    if kind == "decimal":
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=Decimal(str(spec["min"])) if spec.get("min") is not None else None,
            max_digits=16,
            decimal_places=2,
            help_text=help_text,
        )
    if kind == "bool":
        return forms.ChoiceField(label=label, required=False, choices=YES_NO)
    if kind == "date":
        return forms.DateField(label=label, required=False, widget=DateInput)
    if kind == "enum":
        choices = [("", _("Not sure / not given"))] + [
            (value, localized(text)) for value, text in spec["choices"].items()
        ]
        return forms.ChoiceField(label=label, required=False, choices=choices)
    if kind == "list_int":
        return forms.CharField(
            label=label,
            required=False,
            max_length=200,
            help_text=_("Whole numbers separated by commas, the most recent year first, e.g. 300, 280, 250"),
        )
    if name in PROVINCE_FACTS:
        return forms.ChoiceField(
            label=label, required=False, choices=[("", _("Not sure / not given")), *PROVINCE_CHOICES]
        )
    return forms.CharField(label=label, required=False, max_length=100)


class SelfCheckForm(forms.Form):
    """One optional field per fact the policy declares for the channel; blank means not known."""

    def __init__(self, *args, specs: dict[str, dict[str, Any]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Derived facts (e.g. days in China last year) are computed from other answers, never asked.
        self.specs = {
            name: spec for name, spec in specs.items() if name not in HIDDEN_FACTS and "derive" not in spec
        }
        for name, spec in self.specs.items():
            self.fields[name] = _fact_field(name, spec)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name, spec in self.specs.items():
            if spec["type"] == "list_int" and cleaned.get(name):
                try:
                    days = [
                        int(part) for part in str(cleaned[name]).replace("，", ",").split(",") if part.strip()
                    ]
                except ValueError:
                    self.add_error(name, _("Enter whole numbers separated by commas."))
                    continue
                if any(d < 0 or d > 366 for d in days):
                    self.add_error(name, _("Each year has between 0 and 366 days."))
                    continue
                cleaned[name] = days
        return cleaned

    def facts(self) -> dict[str, Any]:
        """The answers as engine facts; blanks are left out (unknown)."""
        facts: dict[str, Any] = {}
        for name, spec in self.specs.items():
            value = self.cleaned_data.get(name)
            if value in (None, "", []):
                continue
            if spec["type"] == "bool":
                value = value == "yes"
            facts[name] = value
        return facts


class PolicyTextForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=[("yaml", "YAML"), ("json", "JSON")], initial="yaml")
    text = forms.CharField(
        label=_("Policy document"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        max_length=2 * 1024 * 1024,
    )


class PolicyImportForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=[("yaml", "YAML"), ("json", "JSON")], initial="yaml")
    file = forms.FileField(label=_("Policy file"))


class PolicyPublishForm(forms.Form):
    effective_from = forms.DateField(
        label=_("Takes effect on"),
        widget=DateInput,
        help_text=_("Today or later. The current version ends the day before."),
    )


NUMERIC_PARAMS = ("value", "multiple", "ratio", "years", "min_days")


def threshold_leaves(document: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(channel, leaf id, parameter, leaf) for every numeric threshold in the requirements."""
    found = []

    def walk(channel: str, node: Any) -> None:
        if not isinstance(node, dict):
            return
        for key in ("all", "any"):
            for child in node.get(key) or []:
                walk(channel, child)
        if isinstance(node.get("when"), dict):
            walk(channel, node["when"])
        if "op" in node and "id" in node:
            for param in NUMERIC_PARAMS:
                value = node.get(param)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    found.append((channel, node["id"], param, node))

    for channel, doc in (document.get("channels") or {}).items():
        walk(channel, doc.get("requirements"))
    return found


class PolicyThresholdsForm(forms.Form):
    """The most common changes: pass marks, every numeric threshold, the annual family quota."""

    def __init__(self, *args, document: dict[str, Any], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self.groups: list[tuple[str, list[str]]] = []
        for channel, doc in (document.get("channels") or {}).items():
            names = []
            points = doc.get("points")
            if points and "pass_mark" in points:
                name = f"{channel}__pass_mark"
                self.fields[name] = forms.IntegerField(
                    label=_("Pass mark (points)"), min_value=0, initial=points["pass_mark"]
                )
                names.append(name)
            for _channel, leaf_id, param, leaf in threshold_leaves({"channels": {channel: doc}}):
                name = f"{channel}__{leaf_id}__{param}"
                value = leaf[param]
                field_class = forms.IntegerField if isinstance(value, int) else forms.FloatField
                self.fields[name] = field_class(
                    label=f"{localized(leaf.get('label'))} ({param})", min_value=0, initial=value
                )
                names.append(name)
            self.groups.append((localized(doc.get("label")) or channel, names))
        quota = (document.get("family_quota") or {}).get("annual")
        if quota is not None:
            self.fields["family_quota__annual"] = forms.IntegerField(
                label=_("Annual family-reunion quota"), min_value=0, initial=quota
            )
            self.groups.append((_("Family quota"), ["family_quota__annual"]))

    def grouped(self):
        return [(title, [self[name] for name in names]) for title, names in self.groups]

    def apply(self) -> dict[str, Any]:
        """A copy of the document with the submitted values written in."""
        import copy

        document = copy.deepcopy(self.document)
        leaves = {(c, i, p): leaf for c, i, p, leaf in threshold_leaves(document)}
        for name, value in self.cleaned_data.items():
            parts = name.split("__")
            if parts == ["family_quota", "annual"]:
                document["family_quota"]["annual"] = value
            elif len(parts) == 2 and parts[1] == "pass_mark":
                document["channels"][parts[0]]["points"]["pass_mark"] = value
            elif len(parts) == 3 and tuple(parts) in leaves:
                leaves[tuple(parts)][parts[2]] = value
        return document


class TalentProgramForm(forms.ModelForm):
    agency = forms.ModelChoiceField(label=_("Owning agency"), queryset=Agency.objects.filter(is_active=True))

    class Meta:
        model = TalentProgram
        fields = ["code", "name_en", "name_zh", "agency", "valid_from", "valid_to", "status"]
        widgets = {"valid_from": DateInput, "valid_to": DateInput}


class FamilyQuotaForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Whole country")), *PROVINCE_CHOICES]
    )
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=1_000_000)


class BanForm(forms.ModelForm):
    until = forms.DateField(
        label=_("Banned until"),
        required=False,
        widget=DateInput,
        help_text=_("Leave blank to use the policy's number of years for the ground."),
    )

    class Meta:
        model = Ban
        fields = ["passport_number", "nationality", "birth_date", "ground", "until", "reason"]
        widgets = {"birth_date": DateInput, "reason": forms.Textarea(attrs={"rows": 3})}


class ReferenceYearForm(forms.Form):
    """One year's figures of a by-year reference table (e.g. the local average wage), per key."""

    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    def __init__(self, *args, table: dict[str, Any], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.keys = sorted(table.get("values") or {})
        unit = table.get("unit") or ""
        for key in self.keys:
            self.fields[f"figure__{key}"] = forms.DecimalField(
                label=f"{key} ({unit})" if unit else key,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
            )

    def figures(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(f"figure__{key}") for key in self.keys}


class RegisterEditionForm(forms.Form):
    label = forms.CharField(label=_("Edition"), max_length=60)
    source = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The instrument that publishes this edition, e.g. its order number."),
    )
    entries = forms.CharField(
        label=_("Entries"),
        max_length=2 * 1024 * 1024,
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false", "class": "code"}),
        help_text=_("One entry a line: code | English name | Chinese name."),
    )


class RegisterPublishForm(forms.Form):
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput)


class NominatingBodyForm(forms.ModelForm):
    agency = forms.ModelChoiceField(
        label=_("Agency account"),
        queryset=Agency.objects.filter(is_active=True),
        help_text=_("Its staff with the nominating-body role confirm the body's nominations."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Nomination methods"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = NominatingBody
        fields = ["code", "name_en", "name_zh", "agency", "methods", "status"]

    def __init__(self, *args, methods: dict, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["methods"].choices = [(code, localized(label)) for code, label in methods.items()]

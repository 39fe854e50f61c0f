"""Forms of the applications pages: input validation only; every write goes through services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from residence.cities import city_choices
from residence.regions import PROVINCE_CHOICES

from . import services
from .channels import CHANNELS, facts_fields
from .models import ApplicantProfile, Channel, Dependant, Stage


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _dates_as_pickers(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DateInput()


class ChannelChoiceForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, widget=forms.RadioSelect)


# The same fields the profile services accept: one list, so the form and the service never drift.
PROFILE_FIELDS = services.PROFILE_FIELDS


class ApplicantProfileForm(forms.ModelForm):
    class Meta:
        model = ApplicantProfile
        fields = PROFILE_FIELDS
        labels = {"city_code": _("City")}
        help_texts = {
            "passport_number": _("Capital letters and digits, as printed in your passport."),
            "city_code": _("The city (or prefecture) you live in, listed under its province."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _dates_as_pickers(self)
        if "city_code" in self.fields:
            # Asked by name, grouped by province; stored as the GB/T 2260 code.
            field = self.fields["city_code"]
            self.fields["city_code"] = forms.ChoiceField(
                label=field.label,
                help_text=field.help_text,
                choices=[("", _("Choose your city")), *city_choices()],
                error_messages={"invalid_choice": _("Choose your city from the list.")},
            )
        autocomplete = {
            "given_names": "given-name",
            "family_name": "family-name",
            "email": "email",
            "phone": "tel",
        }
        for name, token in autocomplete.items():
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = token

    def clean_passport_number(self) -> str:
        return (self.cleaned_data.get("passport_number") or "").replace(" ", "").upper()

    def validate_unique(self) -> None:
        # One active profile per passport is enforced by the service (which may reuse a profile).
        return


FACTS_HELP = {
    Channel.FAMILY: {
        name: _("Leave empty if you are a former Chinese national: you apply on your own residence.")
        for name in ("sponsor_kind", "sponsor_id_number", "sponsor_name")
    },
    Channel.TALENT: {
        "talent_visa_number": _(
            "If you hold a talent (R) visa: its number. The visa's talent category and approval "
            "reference are then taken from the immigration records; you need not type them."
        )
    },
}


def facts_form_class(channel: str, policy_facts: dict | None = None) -> type[forms.ModelForm]:
    """A ModelForm over the channel's own facts model (typed fields, the model's validators),
    with a field for each fact the policy version defines beyond them (applications.policy_facts)."""
    from .policy_facts import form_field, initial_value

    model = CHANNELS[channel].model
    fields = facts_fields(channel)
    policy_facts = dict(policy_facts or {})

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        _dates_as_pickers(self)
        stored = (self.instance.extra_facts or {}) if self.instance.pk else {}
        for name, spec in policy_facts.items():
            self.fields[name] = form_field(spec)
            if name in stored and name not in self.initial:
                self.initial[name] = initial_value(spec, stored[name])
        self.policy_fact_names = list(policy_facts)

    meta = type("Meta", (), {"model": model, "fields": fields, "help_texts": FACTS_HELP.get(channel, {})})
    return type(f"{model.__name__}Form", (forms.ModelForm,), {"Meta": meta, "__init__": __init__})


class YearInChinaForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1950, max_value=2100)
    days = forms.IntegerField(label=_("Days in China"), required=False, min_value=0, max_value=366)

    def clean(self):
        data = super().clean()
        if (data.get("year") is None) != (data.get("days") is None):
            missing = "days" if data.get("days") is None else "year"
            self.add_error(missing, _("Give both the year and the number of days, or leave both empty."))
        return data


class _YearsFormSet(forms.BaseFormSet):
    def __init__(self, *args, initial=None, **kwargs):
        # Five rows to fill, the years already given first.
        self.extra = max(0, 5 - len(initial or []))
        super().__init__(*args, initial=initial, **kwargs)


YearsInChinaFormSet = forms.formset_factory(YearInChinaForm, formset=_YearsFormSet, extra=5, max_num=10)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why you withdraw (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DependantForm(ApplicantProfileForm):
    """A spouse or child: their own profile, plus the relationship to the principal."""

    relationship = forms.ChoiceField(label=_("Relationship"), choices=Dependant.Relationship.choices)
    unmarried = forms.BooleanField(label=_("Unmarried"), required=False, initial=True)

    class Meta(ApplicantProfileForm.Meta):
        fields = [
            "family_name",
            "given_names",
            "chinese_name",
            "sex",
            "birth_date",
            "nationality",
            "passport_number",
            "passport_expiry",
            "email",
            "address",
            "province",
            "city_code",
        ]


class DocumentUploadForm(forms.Form):
    document_type = forms.CharField(widget=forms.HiddenInput)
    dependant = forms.IntegerField(widget=forms.HiddenInput, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, document_type: str = "", **kwargs):
        from .uploads import upload_rules

        super().__init__(*args, **kwargs)
        # The rules are shown before the first attempt, not only in the error after it.
        photo = document_type == "photo"
        self.fields["file"].help_text = upload_rules(photo=photo)
        if photo:
            self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,image/jpeg,image/png"


class DeclarationForm(forms.Form):
    statement = forms.CharField(
        label=_("Anything you want the officers to know (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    declaration = forms.BooleanField(
        label=_(
            "I declare that the information I have given is true and complete, and I understand that "
            "false information may lead to refusal or revocation. I agree to the use of my personal "
            "information described above."
        ),
        required=True,
        error_messages={"required": _("Tick the declaration to submit your application.")},
    )


class EvidenceAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    files = forms.FileField(
        label=_("Supporting document (optional)"),
        help_text=_("PDF, JPEG or PNG."),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
    )


class CheckboxList(forms.CheckboxSelectMultiple):
    """Checkboxes whose group answers to the field's id, so the error summary links to the fieldset."""

    def id_for_label(self, id_, index=None):
        return id_ if index is None else super().id_for_label(id_, index)


class ReasonForm(forms.Form):
    """The reason an officer gives with an action; required where the action needs one."""

    reason = forms.CharField(
        label=_("Reason"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args,
        reason_required: bool = False,
        prefix: str | None = None,
        criteria: list[tuple[str, str]] | None = None,
        grounds: list[tuple[str, str]] | None = None,
        **kwargs,
    ):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["reason"].required = reason_required
        # A decision's structured reasons (R6): the criteria of the case's eligibility result it
        # relies on and, for a refusal, the listed grounds. The service checks what a refusal needs.
        if criteria is not None:
            self.fields["criteria"] = forms.MultipleChoiceField(
                label=_("Criteria relied on"),
                choices=criteria,
                required=False,
                widget=CheckboxList,
            )
        if grounds is not None:
            self.fields["grounds"] = forms.MultipleChoiceField(
                label=_("Grounds for refusal"),
                choices=grounds,
                required=False,
                widget=CheckboxList,
            )


class CaseNoteForm(forms.Form):
    """An internal note on a case (officers only); @ followed by an officer's e-mail address tells them."""

    body = forms.CharField(
        label=_("Note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Seen only by officers. To tell a colleague of this case's area, write @ and their e-mail "
            "address, for example @li.wei@gz.nia.example."
        ),
    )


class AuthoriseIntermediaryForm(forms.Form):
    email = forms.EmailField(label=_("The intermediary's e-mail address"))


class QueueFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[
            (s.value, s.label)
            for s in (
                Stage.INTAKE,
                Stage.VERIFICATION,
                Stage.REVIEW,
                Stage.EVIDENCE,
                Stage.APPROVAL,
                Stage.QUOTA,
            )
        ],
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All channels")), *Channel.choices]
    )
    nationality = forms.CharField(label=_("Nationality (ISO code)"), required=False, max_length=3)
    province = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("All regions")), *PROVINCE_CHOICES]
    )
    assigned = forms.ChoiceField(
        label=_("Assigned officer"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Officers of the user's area, so a supervisor can see who holds what.
        self.fields["assigned"].choices += [(str(o.pk), str(o)) for o in officers]

    def clean_nationality(self) -> str:
        return (self.cleaned_data.get("nationality") or "").strip().upper()

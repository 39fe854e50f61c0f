"""The nominating body's pages (R11): the nominations that name it, each confirmed or declined with a reference."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from residence.accounts.models import Role
from residence.core.forms import apply_service_errors

from .. import selectors, services
from ..errors import TransitionConflict


class NominationAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[
            ("confirm", gettext_lazy("Confirm: the body nominates this person")),
            ("decline", gettext_lazy("Decline: the body does not nominate this person")),
        ],
        widget=forms.RadioSelect,
    )
    reference = forms.CharField(
        label=gettext_lazy("Your reference"),
        max_length=60,
        help_text=gettext_lazy("The number of the body's letter or decision."),
    )
    note = forms.CharField(
        label=gettext_lazy("Note (required when you decline)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _require_body_staff(request: HttpRequest) -> None:
    if not request.user.has_role(Role.NOMINATING_BODY_STAFF):
        raise Http404


@login_required
def nominations(request: HttpRequest) -> HttpResponse:
    _require_body_staff(request)
    rows = list(selectors.nominations_for_body_staff(user=request.user)[:200])
    return render(request, "applications/nominations.html", {"nominations": rows})


@login_required
def nomination(request: HttpRequest, pk: int) -> HttpResponse:
    _require_body_staff(request)
    item = selectors.nomination_for_body_staff(user=request.user, pk=pk)
    form = NominationAnswerForm(request.POST or None) if item.state == item.State.PENDING else None
    if request.method == "POST":
        if form is None:
            if item.state == item.State.LAPSED:
                messages.error(
                    request,
                    _(
                        "The deadline for this nomination passed on %(due)s; the case went on without an answer."
                    )
                    % {"due": item.due_on.isoformat()},
                )
            else:
                messages.error(request, _("This nomination has already been answered."))
            return redirect("applications:nomination", pk=item.pk)
        if form.is_valid():
            try:
                services.nomination_answer(
                    actor=request.user,
                    nomination=item,
                    confirmed=form.cleaned_data["decision"] == "confirm",
                    reference=form.cleaned_data["reference"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except TransitionConflict as error:
                messages.error(request, str(error))
                return redirect("applications:nomination", pk=item.pk)
            else:
                messages.success(request, _("Your answer is recorded."))
                return redirect("applications:nominations")
    facts = item.application.contribution_facts
    return render(
        request,
        "applications/nomination.html",
        {"item": item, "facts": facts, "endorsers": facts.endorser_lines(), "form": form},
    )

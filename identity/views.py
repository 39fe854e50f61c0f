"""Side by side: the case's applicant and a record that may be the same person; the officer decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import selectors as application_selectors
from residence.accounts.models import is_officer
from residence.core.forms import apply_service_errors

from . import selectors, services
from .forms import DecisionForm

ROWS = [
    ("family_name", gettext_lazy("Family name")),
    ("given_names", gettext_lazy("Given names")),
    ("chinese_name", gettext_lazy("Chinese name")),
    ("birth_date", gettext_lazy("Date of birth")),
    ("sex", gettext_lazy("Sex")),
    ("nationality", gettext_lazy("Nationality")),
    ("passport_number", gettext_lazy("Passport number")),
    ("passport_expiry", gettext_lazy("Passport expiry date")),
    ("province", gettext_lazy("Province of residence")),
]


def _case(request: HttpRequest, pk: int):
    """A submitted case the officer may see (someone else's jurisdiction: 404)."""
    if not is_officer(request.user):
        raise Http404
    application = application_selectors.application_get(user=request.user, pk=pk)
    if application.submitted_at is None:
        raise Http404
    return application


def _display(profile, name: str) -> str:
    getter = getattr(profile, f"get_{name}_display", None)
    value = getter() if getter else getattr(profile, name)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value or "")


def _comparison(flag) -> list[dict]:
    return [
        {
            "label": label,
            "this": _display(flag.profile, name),
            "other": _display(flag.candidate, name),
            "differs": getattr(flag.profile, name) != getattr(flag.candidate, name),
        }
        for name, label in ROWS
    ]


@login_required
def case_duplicates(request: HttpRequest, pk: int) -> HttpResponse:
    application = _case(request, pk)
    flags = list(selectors.flags_for_application(application=application))
    return render(request, "identity/case_duplicates.html", {"application": application, "flags": flags})


@login_required
def case_duplicate(request: HttpRequest, pk: int, flag_pk: int) -> HttpResponse:
    application = _case(request, pk)
    flag = selectors.flag_get(application=application, pk=flag_pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and flag.decision_id is None and form.is_valid():
        try:
            decision = services.identity_decide(
                actor=request.user,
                flag=flag,
                verdict=form.cleaned_data["verdict"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not decide this."))
        else:
            messages.success(
                request,
                _("Recorded: same person. The records are linked.")
                if decision.verdict == decision.Verdict.SAME
                else _("Recorded: different people."),
            )
            return redirect("identity:case_duplicates", pk=application.pk)
    elif request.method == "POST" and flag.decision_id is not None:
        form.is_valid()
        form.add_error(None, _("This pair has already been decided."))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "identity/case_duplicate.html",
        {
            "application": application,
            "flag": flag,
            "rows": _comparison(flag),
            "this_record": selectors.record_of(flag.profile),
            "other_record": selectors.record_of(flag.candidate),
            "form": form,
        },
        status=status,
    )

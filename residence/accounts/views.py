from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.debug import sensitive_post_parameters

from .forms import ApplicantRegistrationForm
from .models import Role
from .verification import applicant_register_or_notify


@sensitive_post_parameters("password1", "password2")
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = ApplicantRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The same answer whether or not the address had an account (residence/accounts/verification.py).
        applicant_register_or_notify(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
            language=get_language() or "en",
        )
        return redirect("registration_sent")
    return render(request, "registration/register.html", {"form": form})


# Each role's home page (the most specific role's, User.primary_role).
HOME_TEMPLATES = {
    Role.APPLICANT: "home/applicant.html",
    Role.INTERMEDIARY: "home/intermediary.html",
    Role.INTAKE_OFFICER: "home/officer.html",
    Role.REVIEWER: "home/officer.html",
    Role.APPROVER: "home/officer.html",
    Role.MANAGEMENT_OFFICER: "home/officer.html",
    Role.POLICY_ADMIN: "home/policy_admin.html",
    Role.AGENCY_STAFF: "home/agency.html",
    Role.AGENCY_SUPERVISOR: "home/agency.html",
    Role.NOMINATING_BODY_STAFF: "home/nominating_body.html",
    Role.COUNTER_STAFF: "home/counter.html",
    Role.SYSTEM_ADMIN: "home/system_admin.html",
    Role.POLICY_EXPERT: "home/policy_expert.html",
}


def landing(request):
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "home/landing.html")


@login_required
def home(request):
    role = request.user.primary_role
    template = HOME_TEMPLATES.get(role, "home/no_role.html")
    return render(request, template, {"role": role, "role_label": Role(role).label if role else None})

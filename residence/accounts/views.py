from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.debug import sensitive_post_parameters

from .forms import ApplicantRegistrationForm
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

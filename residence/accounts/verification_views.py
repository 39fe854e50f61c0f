"""Pages of e-mail verification: after registering, the link from the e-mail, and asking again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .tokens import PASSWORD_RESET
from .verification import email_verification_send, email_verify

# One new link a minute per account: enough for a lost message, too few to flood a mailbox.
RESEND_INTERVAL_SECONDS = 60


def registration_sent(request):
    """The one answer to a registration, whether or not the address already had an account."""
    return render(request, "accounts/registration_sent.html")


def verify(request, token: str):
    try:
        user = email_verify(token=token)
    except ValidationError as error:
        return render(request, "accounts/verify_failed.html", {"error": error.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is verified. You can submit your application."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("home")
    return redirect("login")


@login_required
@require_POST
def verification_resend(request):
    user = request.user
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "home"
    if user.email_verified_at is not None:
        messages.info(request, _("Your e-mail address is already verified."))
    elif not cache.add(f"accounts:verification-resend:{user.pk}", 1, RESEND_INTERVAL_SECONDS):
        messages.error(
            request, _("We sent you a link less than a minute ago. Wait a moment, then ask again.")
        )
    else:
        email_verification_send(user=user)
        messages.success(
            request,
            _("We sent a new verification link to %(email)s. It can take a few minutes.")
            % {"email": user.email},
        )
    return redirect(target)


class PasswordResetSetForm(SetPasswordForm):
    """Django's form to choose a new password, telling the audit log it was a reset, not a change."""

    def save(self, commit=True):
        self.user._credentials_reason = PASSWORD_RESET
        # The link came by e-mail, so it proves the address as well as the verification link does.
        if self.user.email_verified_at is None:
            self.user.email_verified_at = timezone.now()
        return super().save(commit)

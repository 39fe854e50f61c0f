"""HTML pages: monitoring (administrators), a case's checks (officers), the management queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from residence.core.forms import apply_service_errors, error_text
from residence.core.pagination import keyset_page_for_request

from . import extensions, selectors, services
from .forms import FindingRevokeForm, finding_forms
from .models import ManagementCase


@login_required
def monitor(request):
    if not selectors.may_monitor(request.user):
        raise Http404
    return render(
        request,
        "verification/monitor.html",
        {"figures": selectors.agency_figures(), "attention": list(selectors.checks_needing_attention())},
    )


@login_required
def application_checks(request, pk: int):
    if not request.user.is_officer:
        raise Http404
    application = extensions.cases().get(request.user, pk)
    return render(
        request,
        "verification/application_checks.html",
        {"application": application, "checks": selectors.checks_for_application(application=application)},
    )


@login_required
@require_POST
def check_rerun(request, pk: int):
    check = selectors.check_get_for_rerun(user=request.user, pk=pk)
    try:
        services.check_rerun(actor=request.user, check=check, reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The check was sent to the agency again."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("verification:application_checks", pk=check.application_id)


@login_required
def management_queue(request):
    if not request.user.has_role("management_officer", "system_admin"):
        raise Http404
    show = request.GET.get("status", ManagementCase.Status.OPEN)
    if show not in ManagementCase.Status.values:
        show = ManagementCase.Status.OPEN
    page = keyset_page_for_request(
        request,
        selectors.management_cases_for(user=request.user, status=show),
        ordering=["-opened_at", "-id"],
    )
    return render(
        request, "verification/management_queue.html", {"cases": page.items, "show": show, "page": page}
    )


def _management_case_page(request, case, *, error: str = "", bound=None):
    may_revoke = (
        case.status == ManagementCase.Status.OPEN
        and case.revocation_id is None
        and request.user.has_role("management_officer")
    )
    findings = list(zip(case.findings, finding_forms(case, bound=bound), strict=True))
    return render(
        request,
        "verification/management_case.html",
        {"case": case, "error": error, "findings": findings, "may_revoke": may_revoke},
        status=400 if bound is not None else 200,
    )


@login_required
def management_case(request, pk: int):
    case = selectors.management_case_get(user=request.user, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.management_case_close(
                actor=request.user, case=case, resolution=request.POST.get("resolution", "")
            )
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The management case is closed."))
            return redirect("verification:management_queue")
    return _management_case_page(request, case, error=error)


@login_required
@require_POST
def management_finding_revoke(request, pk: int, index: int):
    """One step from a finding to a revocation case: the ground chosen, the finding its evidence."""
    case = selectors.management_case_get(user=request.user, pk=pk)
    if index >= len(case.findings):
        raise Http404  # no such finding of this case
    form = FindingRevokeForm(request.POST, prefix=f"finding-{index}", initial={"finding": index})
    if form.is_valid():
        if form.cleaned_data["finding"] != index:
            raise Http404
        try:
            revocation = services.management_finding_revoke(
                actor=request.user, case=case, finding_index=index, ground=form.cleaned_data["ground"]
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Revocation case opened from the finding; another person must decide it.")
            )
            return redirect("cards:revocation", pk=revocation.pk)
    return _management_case_page(request, case, bound=form)

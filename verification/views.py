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

from residence.core.pagination import keyset_page_for_request

from . import selectors, services
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
    from applications.selectors import application_get

    if not request.user.is_officer:
        raise Http404
    application = application_get(user=request.user, pk=pk)
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
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The management case is closed."))
            return redirect("verification:management_queue")
    return render(request, "verification/management_case.html", {"case": case, "error": error})

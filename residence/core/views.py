from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404
from django.utils.crypto import constant_time_compare
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from residence.accounts.models import Role
from residence.audit.models import AuditEntry

from .health import health_report

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


@never_cache
@require_GET
def healthz(request):
    """Only "ok" (or "unavailable") in public; the checks' details for monitoring with ``HEALTH_TOKEN``.

    The details name the database vendor, broker driver and worker host names, which tell an attacker
    what to aim at; the status code alone is what a load balancer needs.
    """
    report = health_report(worker_timeout=settings.HEALTHZ_WORKER_TIMEOUT)
    status = 200 if report["status"] == "ok" else 503
    token = request.headers.get("X-Health-Token", "")
    if settings.HEALTH_TOKEN and constant_time_compare(token, settings.HEALTH_TOKEN):
        return JsonResponse(report, status=status)
    return JsonResponse({"status": report["status"]}, status=status)


AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    if not request.user.has_role(Role.SYSTEM_ADMIN, Role.POLICY_ADMIN):
        # Staff pages are not advertised to those who may not see them.
        raise Http404
    entries = AuditEntry.objects.select_related("content_type").order_by("-id")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        entries = entries.filter(
            Q(action__icontains=query) | Q(actor_label__icontains=query) | Q(object_label__icontains=query)
        )
    # Keyset pagination on the id: each page costs the same however deep it is.
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(id__lt=int(before))
    rows = list(entries[: AUDIT_PAGE_SIZE + 1])
    next_before = rows[AUDIT_PAGE_SIZE - 1].id if len(rows) > AUDIT_PAGE_SIZE else None
    return render(
        request,
        "core/audit_log.html",
        {"entries": rows[:AUDIT_PAGE_SIZE], "query": query, "next_before": next_before},
    )


def _not_found_detail(exception) -> str:
    """A view's own 404 message; a URL that matches no route is only "Not found.".

    The resolver's 404 carries every URL pattern it tried, which must never reach a client.
    """
    if isinstance(exception, Resolver404) or not isinstance(exception, Http404) or not exception.args:
        return "Not found."
    message = exception.args[0]
    return message if isinstance(message, str) else "Not found."


def page_not_found(request, exception):
    """API clients get the API's JSON error shape for any 404, including URLs that match no route."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _not_found_detail(exception)},
            status=404,
        )
    return defaults.page_not_found(request, exception)

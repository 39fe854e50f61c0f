from __future__ import annotations

from django.conf import settings
from django.http import Http404, JsonResponse
from django.urls import Resolver404
from django.utils.crypto import constant_time_compare
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report


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

"""Staff reads of a case's personal data are logged: one row per staff member, case and hour.

A middleware rather than a line in each view, so the case page, its documents and checks, and the
API's views of the same records are logged alike, and only when they were actually served (200).
Cost per staff read: one cache ``add`` (Redis); a database INSERT at most once per user, case and
hour. Reads by the person or their intermediary are not logged (they are not "someone looking").
"""

from __future__ import annotations

import logging

from . import services

logger = logging.getLogger(__name__)

# View name -> how to find the case: "pk" is the application, "document" a document's pk.
WATCHED = {
    "applications:case": "pk",
    "applications:document": "pk",
    "verification:application_checks": "pk",
    "privacy:case": "pk",
    "api_application": "pk",
    "api_application_timeline": "pk",
    "api_application_documents": "pk",
    "api_document_download": "document",
}


def _application_id(kind: str, kwargs: dict) -> int | None:
    value = kwargs.get("pk")
    if value is None:
        return None
    if kind == "pk":
        return int(value)
    from applications.models import ApplicationDocument

    return ApplicationDocument.objects.filter(pk=value).values_list("application_id", flat=True).first()


class CaseAccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 200
            and request.method == "GET"
            and match is not None
            and match.view_name in WATCHED
        ):
            user = getattr(request, "user", None)
            if user is not None and services.is_staff_reader(user):
                try:
                    application_id = _application_id(WATCHED[match.view_name], match.kwargs)
                    if application_id:
                        services.case_access_record(
                            user=user, application_id=application_id, view_name=match.view_name
                        )
                except Exception:
                    # The read was served; a failed log line must not turn it into an error page.
                    logger.exception("could not log a staff read of a case")
        return response

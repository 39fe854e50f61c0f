"""What verification needs to know about the cases it checks, registered with it from
`ApplicationsConfig.ready()` (verification.extensions), so that the dependency runs one way:
applications asks verification to check a case and is told when its checks are complete;
verification never imports applications nor names its states (issue 18).
"""

from __future__ import annotations

from django.db.models import QuerySet

from verification.checks import CheckKind
from verification.extensions import CaseHooks

from . import selectors, services
from .channels import FACTS_RELATED_NAMES
from .models import Application, Status

# Daily management (R21) re-checks the permanent residents: an approved case, with or without its card.
HOLDER_STATUSES = (Status.APPROVED, Status.CARD_ISSUED)


def _sent_by(application: Application):
    """Who moved the case into verification (the intake officer): the checks are asked in their name."""
    change = application.status_changes.filter(to_status=Status.VERIFYING).order_by("-at", "-id").first()
    return change.actor if change is not None else None


def _holders() -> QuerySet[Application]:
    return Application.objects.filter(status__in=HOLDER_STATUSES).select_related(
        "applicant", *FACTS_RELATED_NAMES
    )


def _check_answered(check) -> None:
    # R7: a talent visa's answer fills (or, no longer matching, empties) the case's talent facts.
    if check.kind == CheckKind.TALENT_VISA:
        services.talent_visa_record(application_id=check.application_id, check=check)


HOOKS = CaseHooks(
    visible_to=lambda user: selectors.applications_visible_to(user=user),
    applicant_side=lambda user: selectors.applications_for_applicant(user=user),
    get=lambda user, pk: selectors.application_get(user=user, pk=pk),
    in_verification=lambda application: application.status == Status.VERIFYING,
    sent_by=_sent_by,
    waiting=lambda: Application.objects.filter(status=Status.VERIFYING),
    holders=_holders,
    checks_complete=lambda ids: services.applications_verification_completed(application_ids=ids),
    check_answered=_check_answered,
)

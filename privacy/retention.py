"""Retention: each kind of record is kept for its period (policy data), then purged by beat.

The periods are rows of `RetentionPeriod` (defaults below, installed by a migration, with their
reasoning in docs/policy-defaults.md); a case under a legal hold is skipped by every category, and
so is a refusal whose reconsideration is still open. Each batch is one transaction with one audit
entry saying what went: the category, the cut-off, counts and ids, never a name or a number from a
passport. Files are deleted from storage after the batch commits, so a rolled-back batch loses none.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, OuterRef, ProtectedError, Q, Subquery
from django.utils import timezone

from residence.audit.services import audit_record

from .models import CaseAccess, LegalHold, RetentionCategory, RetentionPeriod

logger = logging.getLogger(__name__)

BATCH = 500


@dataclass(frozen=True)
class Default:
    days: int
    basis: str


DEFAULTS: dict[str, Default] = {
    RetentionCategory.ABANDONED_DRAFTS: Default(
        180, "Six months without a change: longer than any document takes to obtain; nobody examined it."
    ),
    RetentionCategory.REFUSED_DOCUMENTS: Default(
        730,
        "Two years after the refusal: 60 days to seek reconsideration, then six months to sue, and the "
        "court's time; the decision itself and its reasons stay.",
    ),
    RetentionCategory.WITHDRAWN_DOCUMENTS: Default(
        365,
        "One year after the withdrawal: questions about the case come within months; nothing was decided.",
    ),
    RetentionCategory.VERIFICATION_ANSWERS: Default(
        730,
        "Two years after the check of a closed case, as refused documents; the digest of each answer stays.",
    ),
    RetentionCategory.VERIFICATION_LOGS: Default(
        365, "One year: long enough to trace an incident with an agency across both systems' logs."
    ),
    RetentionCategory.ACCESS_LOGS: Default(
        1095, "Three years: the limitation period for a claim about misuse (Civil Code art. 188)."
    ),
}


def period_days(category: str) -> int:
    row = RetentionPeriod.objects.filter(category=category).values_list("days", flat=True).first()
    return row if row is not None else DEFAULTS[category].days


def held_application_ids():
    return LegalHold.objects.filter(released_at__isnull=True).values("application_id")


def _open_reconsiderations():
    if not apps.is_installed("reconsideration"):
        return None
    from reconsideration.models import Reconsideration

    return Reconsideration.objects.filter(
        state=Reconsideration.State.LODGED, application__isnull=False
    ).values("application_id")


def _delete_files_after_commit(names: list[str]) -> None:
    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                # The row is gone; an orphaned object is found by the storage audit, not lost data.
                logger.exception("could not delete a purged file")

    transaction.on_commit(delete)


def _record(category: str, cutoff: dt.datetime, details: dict) -> None:
    audit_record(
        actor=None,
        action="privacy.retention_purge",
        after={"category": category, "cutoff": cutoff.isoformat(), **details},
    )


def _purge_drafts(cutoff: dt.datetime) -> dict:
    from applications.models import Application, ApplicationDocument, Status

    ids = list(
        Application.objects.filter(status=Status.DRAFT, submitted_at__isnull=True, updated_at__lt=cutoff)
        .exclude(pk__in=held_application_ids())
        .order_by("id")
        .values_list("id", flat=True)[:BATCH]
    )
    if not ids:
        return {}
    names = list(ApplicationDocument.objects.filter(application_id__in=ids).values_list("file", flat=True))
    purged, kept = [], []
    for pk in ids:
        try:
            with transaction.atomic():
                Application.objects.filter(pk=pk).delete()
            purged.append(pk)
        except ProtectedError:
            kept.append(pk)  # something else refers to it (should not happen for a draft): keep it
    _delete_files_after_commit(
        list(
            set(names)
            - set(ApplicationDocument.objects.filter(application_id__in=kept).values_list("file", flat=True))
        )
    )
    return {"applications": purged, "count": len(purged), "kept": kept, "files": len(names)} if ids else {}


def _purge_documents(cutoff: dt.datetime, *, status: str) -> dict:
    from applications.models import Application, ApplicationDocument, StatusChange

    if status == "refused":
        cases = Application.objects.filter(status=status, decided_at__lt=cutoff)
        blocked = _open_reconsiderations()
        if blocked is not None:
            cases = cases.exclude(pk__in=blocked)
    else:
        withdrawn_at = (
            StatusChange.objects.filter(application=OuterRef("pk"), to_status=status)
            .values("application")
            .annotate(at=Max("at"))
            .values("at")
        )
        cases = (
            Application.objects.filter(status=status)
            .annotate(ended=Subquery(withdrawn_at))
            .filter(ended__lt=cutoff)
        )
    documents = ApplicationDocument.objects.filter(
        application__in=cases.exclude(pk__in=held_application_ids()).values("pk")
    ).order_by("id")
    rows = list(documents.values_list("id", "application_id", "file")[:BATCH])
    if not rows:
        return {}
    ApplicationDocument.objects.filter(pk__in=[r[0] for r in rows]).delete()
    _delete_files_after_commit([r[2] for r in rows if r[2]])
    return {
        "documents": [r[0] for r in rows],
        "applications": sorted({r[1] for r in rows}),
        "count": len(rows),
    }


def _purge_verification_answers(cutoff: dt.datetime) -> dict:
    if not apps.is_installed("verification"):
        return {}
    from applications.models import FINAL_STATUSES
    from verification.models import Purpose, VerificationCheck

    checks = (
        VerificationCheck.objects.filter(
            purpose=Purpose.APPLICATION,
            completed_at__lt=cutoff,
            application__status__in=list(FINAL_STATUSES),
        )
        .exclude(application_id__in=held_application_ids())
        .exclude(Q(answer_fields={}) & Q(subject={}) & Q(stated={}))
        .order_by("id")
    )
    ids = list(checks.values_list("id", flat=True)[:BATCH])
    if not ids:
        return {}
    VerificationCheck.objects.filter(pk__in=ids).update(answer_fields={}, subject={}, stated={})
    return {"checks": ids, "count": len(ids)}


def _purge_verification_logs(cutoff: dt.datetime) -> dict:
    if not apps.is_installed("verification"):
        return {}
    from verification.models import VerificationAttempt

    rows = (
        VerificationAttempt.objects.filter(started_at__lt=cutoff)
        .exclude(Q(finished_at__isnull=False) & Q(finished_at__gte=cutoff))
        .exclude(verification_check__application_id__in=held_application_ids())
        .order_by("id")
    )
    ids = list(rows.values_list("id", flat=True)[:BATCH])
    if not ids:
        return {}
    VerificationAttempt.objects.filter(pk__in=ids).delete()
    return {"attempts": ids, "count": len(ids)}


def _purge_access_logs(cutoff: dt.datetime) -> dict:
    rows = (
        CaseAccess.objects.filter(hour__lt=cutoff)
        .exclude(application_id__in=held_application_ids())
        .order_by("id")
    )
    ids = list(rows.values_list("id", flat=True)[:BATCH])
    if not ids:
        return {}
    CaseAccess.objects.filter(pk__in=ids).delete()
    return {"access_rows": ids, "count": len(ids)}


PURGES = {
    RetentionCategory.ABANDONED_DRAFTS: _purge_drafts,
    RetentionCategory.REFUSED_DOCUMENTS: lambda cutoff: _purge_documents(cutoff, status="refused"),
    RetentionCategory.WITHDRAWN_DOCUMENTS: lambda cutoff: _purge_documents(cutoff, status="withdrawn"),
    RetentionCategory.VERIFICATION_ANSWERS: _purge_verification_answers,
    RetentionCategory.VERIFICATION_LOGS: _purge_verification_logs,
    RetentionCategory.ACCESS_LOGS: _purge_access_logs,
}


def retention_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Purge everything past its period, batch by batch; returns the count per category."""
    now = now or timezone.now()
    totals: dict[str, int] = {}
    for category, purge in PURGES.items():
        cutoff = now - dt.timedelta(days=period_days(category))
        totals[category] = 0
        while True:
            with transaction.atomic():
                details = purge(cutoff)
                if not details:
                    break
                _record(category, cutoff, details)
            totals[category] += details["count"]
            if details["count"] < BATCH:
                break
    return totals

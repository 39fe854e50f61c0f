"""Writing the audit log. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from . import alerts, chain
from .middleware import current_request_id
from .models import AuditEntry

logger = logging.getLogger(__name__)


# Details the log does not need in full: the object and its history say whose record it is.
MASKED_KEYS = frozenset({"passport_number"})


def _is_masked(key: Any) -> bool:
    """passport_number, and any other key naming a passport number (old_passport, passport_no)."""
    name = str(key).lower()
    return name in MASKED_KEYS or ("passport" in name and not any(w in name for w in ("expiry", "country")))


def mask_passport(value: Any) -> Any:
    """A passport number as the log keeps it: its last three characters, enough to tell two apart."""
    if not isinstance(value, str) or not value:
        return value
    return "*" * max(len(value) - 3, 3) + value[-3:]


def _masked(details: Any) -> Any:
    if isinstance(details, dict):
        return {
            k: mask_passport(v) if _is_masked(k) and isinstance(v, str) else _masked(v)
            for k, v in details.items()
        }
    if isinstance(details, list):
        return [_masked(v) for v in details]
    return details


def _entry(fields: dict[str, Any]) -> AuditEntry:
    """An unsaved entry from the keyword arguments of ``audit_record``."""
    actor, obj = fields.get("actor"), fields.get("obj")
    # An institution's API key is authenticated too (DRF's request.user), but it is not a user:
    # it is recorded by its label ("ab12cd34…"), with no actor.
    is_user = isinstance(actor, AuditEntry._meta.get_field("actor").related_model)
    request_id = fields.get("request_id")
    return AuditEntry(
        created_at=timezone.now(),
        actor=actor if is_user else None,
        actor_label=(actor.email if is_user else (str(actor) if actor else "system"))[:200],
        action=fields["action"],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        before=_masked(fields.get("before")),
        after=_masked(fields.get("after")),
        reason=fields.get("reason", ""),
        request_id=request_id if request_id is not None else current_request_id(),
    )


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        # An entry written outside the change's transaction could survive a rolled-back change.
        raise RuntimeError("audit_record must be called inside the transaction of the change it records")


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
    request_id: str | None = None,
) -> AuditEntry:
    """Append one entry; ``actor`` is a user, or None for the system (Celery, beat)."""
    _require_transaction()
    entry = _entry(
        {
            "actor": actor,
            "action": action,
            "obj": obj,
            "before": before,
            "after": after,
            "reason": reason,
            "request_id": request_id,
        }
    )
    head = chain.chain_lock()
    chain.chain([entry], head)
    entry.save()
    chain.advance(head, entry)
    return entry


def audit_record_many(entries: list[dict]) -> list[AuditEntry]:
    """Append many entries (each the keyword arguments of ``audit_record``) with one INSERT."""
    _require_transaction()
    if not entries:
        return []
    made = [_entry(fields) for fields in entries]
    head = chain.chain_lock()
    chain.chain(made, head)
    created = AuditEntry.objects.bulk_create(made)
    chain.advance(head, created[-1])
    return created


def audit_chain_check() -> chain.ChainReport:
    """Verify the chain; when it is broken, log an error, record it, and tell the registered notifiers
    (accounts e-mails the system administrators) in the same transaction, sent after commit."""
    report = chain.verify()
    if report.ok:
        return report
    logger.error(
        "Audit chain broken at entry #%s: %s (%s entries before it verified)",
        report.broken.entry_id,
        report.broken.problem,
        report.checked,
    )
    with transaction.atomic():
        # Recorded in the log it concerns, so the audit page shows it to every system administrator.
        audit_record(
            actor=None,
            action="audit.chain_broken",
            after={
                "entry": report.broken.entry_id,
                "problem": report.broken.problem,
                "checked": report.checked,
            },
        )
        # Who is told, and how, is the staff's (registered by accounts: residence.audit.alerts).
        for notify in alerts.chain_broken_notifiers:
            notify(report)
    return report

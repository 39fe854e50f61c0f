"""Writing the audit log. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .middleware import current_request_id
from .models import AuditEntry


def _entry(fields: dict[str, Any]) -> AuditEntry:
    """An unsaved entry from the keyword arguments of ``audit_record``."""
    actor, obj = fields.get("actor"), fields.get("obj")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    request_id = fields.get("request_id")
    return AuditEntry(
        actor=actor if is_user else None,
        actor_label=(actor.email if is_user else (str(actor) if actor else "system"))[:200],
        action=fields["action"],
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        before=fields.get("before"),
        after=fields.get("after"),
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
    entry.save()
    return entry


def audit_record_many(entries: list[dict]) -> list[AuditEntry]:
    """Append many entries (each the keyword arguments of ``audit_record``) with one INSERT."""
    _require_transaction()
    return AuditEntry.objects.bulk_create([_entry(fields) for fields in entries]) if entries else []

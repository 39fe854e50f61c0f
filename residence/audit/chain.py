"""The hash chain of the audit log: how an entry's hash is made, and how the chain is checked.

hash = SHA-256(prev_hash + "\\n" + canonical JSON of the entry's content). Writers take the chain
head row FOR UPDATE (``chain_lock``), so entries are chained one after another in id order even
with many concurrent transactions; the head also holds the last id, so removing entries from the
end is detected too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder

from .models import AuditChainHead, AuditEntry

HEAD_PK = 1


def _plain(value):
    """JSON as the database gives it back (dates and decimals as text), so both sides hash alike."""
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def entry_digest(entry: AuditEntry, prev_hash: str) -> str:
    created = entry.created_at.astimezone(dt.UTC).isoformat()
    content = {
        "created_at": created,
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "content_type_id": entry.content_type_id,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "before": _plain(entry.before),
        "after": _plain(entry.after),
        "reason": entry.reason,
        "request_id": entry.request_id,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def chain_lock() -> AuditChainHead:
    """The head row, locked until the transaction ends; made (from the last entry) if missing."""
    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is None:
        last = AuditEntry.objects.order_by("-id").only("id", "hash").first()
        AuditChainHead.objects.bulk_create(
            [AuditChainHead(pk=HEAD_PK, last_id=last.id if last else 0, last_hash=last.hash if last else "")],
            ignore_conflicts=True,
        )
        head = AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)
    return head


def chain(entries: Iterable[AuditEntry], head: AuditChainHead) -> None:
    """Give each unsaved entry its prev_hash and hash, continuing from the head."""
    previous = head.last_hash
    for entry in entries:
        entry.prev_hash = previous
        entry.hash = entry_digest(entry, previous)
        previous = entry.hash


def advance(head: AuditChainHead, last: AuditEntry) -> None:
    head.last_id, head.last_hash = last.pk, last.hash
    head.save(update_fields=["last_id", "last_hash"])


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, chunk_size: int = 2000) -> ChainReport:
    """Recompute the whole chain in id order; the first entry that does not fit is reported."""
    previous, checked, last_id = "", 0, 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        if entry.prev_hash != previous:
            return ChainReport(
                checked, ChainBreak(entry.pk, "its previous hash is not the hash of the entry before it")
            )
        if entry.hash != entry_digest(entry, previous):
            return ChainReport(checked, ChainBreak(entry.pk, "its content does not match its hash"))
        previous, last_id, checked = entry.hash, entry.pk, checked + 1
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is not None and (head.last_id, head.last_hash) != (last_id, previous):
        return ChainReport(
            checked,
            ChainBreak(head.last_id, f"the chain ends at #{last_id} but its head names #{head.last_id}"),
        )
    return ChainReport(checked, None)

"""The daily check of the audit log's hash chain (beat: ``audit-chain-verify``)."""

from __future__ import annotations

from celery import shared_task

from .services import audit_chain_check


@shared_task
def audit_chain_verify_task() -> dict:
    report = audit_chain_check()
    return {"ok": report.ok, "checked": report.checked, "broken": report.broken and report.broken.entry_id}

"""The staff told of an audit chain break: every active system administrator with an e-mail address
(registered with residence.audit.alerts from AccountsConfig.ready)."""

from __future__ import annotations

from django.conf import settings

from residence.core.tasks import publish_after_commit, send_email_task

from .models import Role, User


def audit_chain_broken_email(report) -> None:
    recipients = list(
        User.objects.filter(is_active=True, groups__name=Role.SYSTEM_ADMIN)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if recipients:
        publish_after_commit(
            send_email_task,
            to=recipients,
            subject=f"[{settings.PORTAL_NAME}] audit log tampering detected",
            body=(
                f"The daily check of the audit log's hash chain failed at entry "
                f"#{report.broken.entry_id}: {report.broken.problem}.\n"
                f"{report.checked} entries before it verified. Run `manage.py audit_verify` "
                "and compare with the latest backup."
            ),
        )

"""Recompute the audit log's hash chain; exit non-zero at the first entry that does not fit."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from residence.audit.chain import verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log and report the first broken entry."

    def handle(self, *args, **options):
        report = verify()
        if not report.ok:
            raise CommandError(
                f"Audit chain broken at entry #{report.broken.entry_id}: {report.broken.problem} "
                f"({report.checked} entries before it verified)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries verified.")

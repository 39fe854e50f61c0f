"""Index every profile for identity resolution (once, for profiles written before the identity app)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from applications.models import ApplicantProfile
from identity.services import identity_key_refresh


class Command(BaseCommand):
    help = "Write the identity index row of every applicant profile."

    def handle(self, *args, **options) -> None:
        count = 0
        for profile in ApplicantProfile.objects.iterator(chunk_size=2000):
            identity_key_refresh(profile=profile)
            count += 1
        self.stdout.write(f"indexed {count} profiles")

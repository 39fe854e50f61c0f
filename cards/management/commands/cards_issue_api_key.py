"""Issue a new API key to an institution from the command line (it is printed once)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cards.models import Institution
from cards.services import institution_api_key_issue


class Command(BaseCommand):
    help = "Issue an API key to the institution with the given id (or English name) and print it once."

    def add_arguments(self, parser):
        parser.add_argument("institution", help="id or exact English name")

    def handle(self, *args, institution: str, **options):
        found = Institution.objects.filter(
            **({"pk": int(institution)} if institution.isdigit() else {"name_en": institution})
        ).first()
        if found is None:
            raise CommandError(f"No institution {institution!r}.")
        _key, raw = institution_api_key_issue(actor=None, institution=found)
        self.stdout.write(raw)

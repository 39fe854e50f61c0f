"""Print a new card signing key, or the public key of one being retired (docs/security.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cards import offline


class Command(BaseCommand):
    help = (
        "Print a fresh Ed25519 seed for CARDS_SIGNING_KEYS, or with --public SEED the public key to keep in "
        "CARDS_RETIRED_KEYS once that seed is retired."
    )

    def add_arguments(self, parser):
        parser.add_argument("--public", metavar="SEED", help="the base64 seed of the key being retired")

    def handle(self, *args, public: str | None = None, **options):
        if public is None:
            self.stdout.write(offline.new_key())
            return
        try:
            self.stdout.write(offline.public_key_of(public))
        except ValueError as error:
            raise CommandError(f"Not a 32-byte base64 Ed25519 seed: {error}") from None

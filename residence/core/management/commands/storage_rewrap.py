"""Re-wrap every stored file's data key under the current key-encryption key; seal files stored before encryption.

After a rotation (a new key first in STORAGE_ENCRYPTION_KEYS, the old ones kept after it) new files
are sealed with the new key at once and old ones stay readable; this command then moves the old
ones over, after which the old key can be removed from the configuration. Only each object's
header is rewritten (the content's ciphertext stays), and it is safe to run again: objects already
under the current key are left alone.
"""

from __future__ import annotations

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from residence import encryption
from residence.audit.services import audit_record
from residence.storage import EncryptedStorageMixin


def stored_names() -> list[str]:
    """Every file name a model's FileField points at (each once)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    name
                    for name in model._base_manager.exclude(**{field.name: ""})
                    .values_list(field.name, flat=True)
                    .iterator()
                    if name
                )
    return sorted(names)


class Command(BaseCommand):
    help = (
        "Re-wrap stored files' data keys under the current key (and encrypt files stored before encryption)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="Print a new random key and exit.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change, change nothing.")

    def handle(self, *args, new_key=False, dry_run=False, **options):
        if new_key:
            self.stdout.write(encryption.new_key())
            return
        storage = default_storage
        if not isinstance(storage, EncryptedStorageMixin):
            raise CommandError("The default storage is not an encrypted storage (residence.storage).")
        keyring = encryption.configured_keyring()
        counts = {"sealed": 0, "rewrapped": 0, "current": 0, "missing": 0}
        for name in stored_names():
            try:
                raw = storage.read_raw(name)
            except FileNotFoundError:
                counts["missing"] += 1
                continue
            sealed_before = encryption.is_sealed(raw)
            updated = encryption.rewrap(raw, keyring)
            if updated is None:
                counts["current"] += 1
                continue
            counts["rewrapped" if sealed_before else "sealed"] += 1
            if not dry_run:
                storage.replace_raw(name, updated)
        if not dry_run:
            with transaction.atomic():
                audit_record(actor=None, action="storage.rewrap", after={"key_id": keyring.current, **counts})
        self.stdout.write(
            ("Would change: " if dry_run else "")
            + f"sealed {counts['sealed']} plaintext, re-wrapped {counts['rewrapped']}, "
            f"{counts['current']} already under key {keyring.current!r}, {counts['missing']} missing"
        )

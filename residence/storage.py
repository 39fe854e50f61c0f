"""Private S3-compatible storage for uploads, scans and generated documents (see residence/objectstore.py).

Objects are written with the private ACL and never served from the bucket's own address: the portal
streams them after its permission check (FileResponse). Where a URL is asked for, it is signed and
lives five minutes. A store that does not answer raises StorageUnavailable (an OSError) quickly,
instead of botocore's own errors after a minute of retries, so callers can say so plainly.
"""

from __future__ import annotations

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage


class StorageUnavailable(OSError):
    """The object store did not answer or refused the request; nothing was stored."""


def _missing(error: ClientError) -> bool:
    return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404


class PrivateS3Storage(S3Storage):
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
        file = self._call(super()._open, name, mode)
        # Fetch now, so an outage surfaces here and not in the middle of a streamed response.
        self._call(file._get_file)
        return file

    def exists(self, name):
        return self._call(super().exists, name)

    def delete(self, name):
        return self._call(super().delete, name)

    def size(self, name):
        return self._call(super().size, name)

"""Which storage holds uploads and generated documents, from the environment (no Django imports here).

The local disk is the embedded default. ``STORAGE_URL`` names an S3-compatible bucket:
``s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX][?region=REGION&scheme=http]`` (https unless
``scheme=http``, for a store on loopback or a private network). Without it, the usual
``AWS_STORAGE_BUCKET_NAME`` (with ``AWS_S3_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_S3_REGION_NAME``) does the same; credentials may then also come
from the machine's role, as boto3 finds them.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

S3_BACKEND = "residence.storage.PrivateS3Storage"
LOCAL_BACKEND = "residence.storage.EncryptedFileSystemStorage"


class StorageURLError(ValueError):
    pass


def s3_options(environ: Mapping[str, str]) -> dict | None:
    """The options of the private S3 storage, or None when files stay on the local disk."""
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.hostname:
            raise StorageURLError("STORAGE_URL must look like s3://KEY:SECRET@HOST[:PORT]/BUCKET[/PREFIX]")
        bucket, _, prefix = parts.path.lstrip("/").partition("/")
        if not bucket:
            raise StorageURLError("STORAGE_URL names no bucket (s3://KEY:SECRET@HOST/BUCKET)")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        scheme = query.get("scheme", "https")
        if scheme not in ("http", "https"):
            raise StorageURLError("STORAGE_URL's scheme= must be http or https")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        options = {
            "bucket_name": bucket,
            "location": prefix.strip("/"),
            "endpoint_url": f"{scheme}://{netloc}",
            "region_name": query.get("region", "us-east-1"),
        }
        if parts.username:
            options["access_key"] = unquote(parts.username)
            options["secret_key"] = unquote(parts.password or "")
        return options
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return None
    options = {"bucket_name": bucket, "location": environ.get("AWS_LOCATION", "").strip("/")}
    for option, name in (
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ):
        if environ.get(name):
            options[option] = environ[name]
    return options


def default_storage(environ: Mapping[str, str], *, local_dir: str) -> dict:
    """The STORAGES["default"] entry: the private bucket when one is named, else the private folder."""
    options = s3_options(environ)
    if options is None:
        return {
            "BACKEND": LOCAL_BACKEND,
            "OPTIONS": {"location": local_dir, "base_url": None},
        }
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}

"""Upload checks by content, never by name: PDF, JPEG and PNG only, within the size limit, really parsed."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Magic bytes -> (content type, stored extension)
SIGNATURES = (
    (b"%PDF-", "application/pdf", "document.pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "image.jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "image.png"),
)


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def _read_all(file) -> bytes:
    file.seek(0)
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    file.seek(0)
    return data


def _parses_as_image(data: bytes, fmt: str) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != fmt:
                return False
            image.verify()
        # verify() skips the pixel data; decoding it finds truncated files.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for broken files
        return False
    return True


def _parses_as_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if len(reader.pages) < 1:
            return False
        reader.pages[0].mediabox  # noqa: B018 - touching the first page parses its dictionary
    except Exception:  # noqa: BLE001 - pypdf raises many kinds for broken files
        return False
    return True


def check_upload(file) -> CheckedUpload:
    """Raise ValidationError({"file": [...]}) with a clear message, or describe the checked file."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
                ]
            }
        )
    data = _read_all(file)
    if len(data) > limit:
        raise ValidationError(
            {
                "file": [
                    _("The file is too large (%(size)s); the limit is %(limit)s.")
                    % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
                ]
            }
        )
    if not data:
        raise ValidationError({"file": [_("The file is empty.")]})
    match = next((sig for sig in SIGNATURES if data.startswith(sig[0])), None)
    if match is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Only PDF, JPEG and PNG files are accepted; this file is none of them, whatever its name says."
                    )
                ]
            }
        )
    _magic, content_type, extension = match
    if content_type == "application/pdf":
        ok = _parses_as_pdf(data)
    else:
        ok = _parses_as_image(data, "JPEG" if content_type == "image/jpeg" else "PNG")
    if not ok:
        raise ValidationError(
            {
                "file": [
                    _(
                        "The file looks like a %(kind)s but cannot be read: it is damaged or not what it claims to be."
                    )
                    % {"kind": extension.rsplit(".", 1)[1].upper()}
                ]
            }
        )
    return CheckedUpload(
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )


# --- the applicant's photo (also printed on the card) -----------------------------------------
# A 26 x 32 mm card photo printed at 300 dpi, rounded down: the minimum the card can be made from.
PHOTO_MIN_WIDTH = 300
PHOTO_MIN_HEIGHT = 370


def check_photo(data: bytes) -> str:
    """A JPEG or PNG of at least the card's size: the content type, or ValidationError({"file": [...]})."""
    from PIL import Image

    if data.startswith(b"\xff\xd8\xff"):
        content_type, fmt = "image/jpeg", "JPEG"
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type, fmt = "image/png", "PNG"
    else:
        raise ValidationError({"file": [_("The photo must be a JPEG or PNG image.")]})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != fmt:
                raise ValueError(image.format)
            image.load()
            width, height = image.size
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise ValidationError({"file": [_("The photo cannot be read: it is damaged.")]}) from error
    if width < PHOTO_MIN_WIDTH or height < PHOTO_MIN_HEIGHT:
        raise ValidationError(
            {
                "file": [
                    _(
                        "The photo is %(width)s × %(height)s pixels; it must be at least %(min_w)s × %(min_h)s."
                    )
                    % {"width": width, "height": height, "min_w": PHOTO_MIN_WIDTH, "min_h": PHOTO_MIN_HEIGHT}
                ]
            }
        )
    return content_type

"""The one upload checker of the portal: every uploaded document and photo goes through ``check_upload``.

Files are judged by their content, never by their name: PDF, JPEG and PNG only, within the size limit.
Images are measured from their header before any pixel is decoded (a small PNG can claim 13,000 x
13,000 pixels and take gigabytes to decode), then decoded and re-encoded, so what is stored holds
no trailing bytes and no metadata (EXIF, GPS, comments). PDFs are parsed and refused when they carry
JavaScript, actions that start programs or submit data, or embedded files, or when their streams
expand beyond a bound. Any upload that also reads as a web page (HTML or script markers) is refused:
a polyglot is not what it claims to be. Users of the portal: application documents (including the
answers to an evidence request), the applicant's photo and the photos of card requests.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zlib
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
IMAGE_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}

# What a browser would take for a web page. Matched anywhere in the file: a JPEG with a page
# appended, or a PDF that is also an HTML document, is refused whatever its first bytes say.
HTML_MARKERS = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|meta|form|img\s|a\s+href)[\s>/]",
    re.IGNORECASE,
)

# PDF names that run code, start programs, send data out or carry files, wherever they appear.
PDF_FORBIDDEN_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded",
    "/EmbeddedFile": "embedded",
    "/EF": "embedded",
    "/RichMediaContent": "embedded",
    "/XFA": "javascript",
}
PDF_FORBIDDEN_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/ImportData": "launch",
    "/SubmitForm": "launch",
    "/GoToE": "embedded",
    "/RichMediaExecute": "launch",
}
# Checked on the raw bytes too, for objects a lenient reader might find but pypdf skips.
PDF_RAW_MARKERS = ((b"/JavaScript", "javascript"), (b"/Launch", "launch"), (b"/EmbeddedFile", "embedded"))


@dataclass(frozen=True)
class CheckedUpload:
    """A checked file: ``data`` is what to store (images re-encoded), with its type, size and digest."""

    content_type: str
    extension: str
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _read_all(file) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    file.seek(0)
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    file.seek(0)
    return data


def _too_large(size: int, limit: int) -> ValidationError:
    return _refuse(
        _("The file is too large (%(size)s); the limit is %(limit)s.")
        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _damaged(kind: str) -> ValidationError:
    return _refuse(
        _("The file looks like a %(kind)s but cannot be read: it is damaged or not what it claims to be.")
        % {"kind": kind}
    )


# --- images --------------------------------------------------------------------------------------
def _image_reencoded(data: bytes, content_type: str) -> CheckedUpload:
    """Measure from the header, refuse too many pixels, then decode and write a clean copy."""
    from PIL import Image, ImageOps

    fmt = IMAGE_FORMATS[content_type]
    max_pixels = settings.UPLOAD_MAX_IMAGE_PIXELS
    try:
        # Image.open reads the header only; nothing is decoded before the size is known. Pillow's
        # own bomb warning (at 89 million pixels) is superseded by the stricter limit below.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[fmt])
        with opened as image:
            width, height = image.size
            if width * height > max_pixels:
                raise _refuse(
                    _(
                        "The image is %(width)s × %(height)s pixels; at most %(max)s million pixels are "
                        "accepted. Scan or photograph it at a lower resolution."
                    )
                    % {"width": width, "height": height, "max": f"{max_pixels / 1_000_000:g}"}
                )
            image.load()
            # Turn the picture as its camera said, since the EXIF that says so is dropped.
            clean = ImageOps.exif_transpose(image)
            transparency = clean.info.get("transparency")
            clean.info = {}
            out = io.BytesIO()
            if fmt == "JPEG":
                if clean.mode not in ("RGB", "L"):
                    clean = clean.convert("RGB")
                clean.save(out, format="JPEG", quality=92)
            else:
                options = {"transparency": transparency} if transparency is not None else {}
                clean.save(out, format="PNG", **options)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise _refuse(
            _(
                "The image has too many pixels to be opened safely. Scan or photograph it at a lower resolution."
            )
        ) from None
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for broken files
        raise _damaged(fmt) from None
    return CheckedUpload(
        content_type=content_type,
        extension=f"image.{'jpg' if fmt == 'JPEG' else 'png'}",
        data=out.getvalue(),
        width=clean.width,
        height=clean.height,
    )


# --- PDF -----------------------------------------------------------------------------------------
def _pdf_refusal(reason: str) -> ValidationError:
    messages = {
        "javascript": _(
            "The PDF contains JavaScript or an interactive form that runs code; such PDFs are not accepted. "
            "Print it to a new PDF (or scan the paper) and upload that."
        ),
        "launch": _(
            "The PDF contains an action that starts a program or sends data; such PDFs are not accepted. "
            "Print it to a new PDF (or scan the paper) and upload that."
        ),
        "embedded": _(
            "The PDF carries embedded files; such PDFs are not accepted. Upload each document on its own."
        ),
    }
    return _refuse(messages[reason])


def _pdf_walk(value, seen: set[int], depth: int = 0) -> str | None:
    """The first forbidden name in a direct PDF object (indirect ones are visited on their own)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    if depth > 50 or id(value) in seen:
        return None
    seen.add(id(value))
    if isinstance(value, DictionaryObject):
        for key in value:
            if key in PDF_FORBIDDEN_KEYS:
                return PDF_FORBIDDEN_KEYS[key]
        action = value.get("/S")
        if isinstance(action, str) and action in PDF_FORBIDDEN_ACTIONS:
            return PDF_FORBIDDEN_ACTIONS[action]
        if value.get("/Type") == "/EmbeddedFile":
            return "embedded"
        children = value.values()
    elif isinstance(value, ArrayObject):
        children = value
    else:
        return None
    for child in children:
        found = _pdf_walk(child, seen, depth + 1)
        if found:
            return found
    return None


PDF_IMAGE_CODECS = {"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"}
EXPAND_CHUNK = 1024 * 1024


def _pdf_stream_expanded(stream, remaining: int) -> int:
    """How many bytes a stream decodes to, counted up to just past ``remaining`` without keeping them."""
    encoded = stream._data  # the stream's bytes as stored, before its filters
    filters = stream.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else ([str(filters)] if filters else [])
    if not names or set(names) <= PDF_IMAGE_CODECS:
        # Image codecs stay encoded; viewers decode them at the image's declared size.
        return len(encoded)
    if names == ["/FlateDecode"]:
        # Nearly every stream is plain deflate: decoded in chunks and only counted, so a
        # 200 MiB stream costs a megabyte of memory, not 200.
        inflater = zlib.decompressobj()
        total, pending = 0, encoded
        try:
            while pending and total <= remaining:
                total += len(inflater.decompress(pending, EXPAND_CHUNK))
                pending = inflater.unconsumed_tail
        except zlib.error:
            return len(encoded)
        return total
    # Other filter chains are rare; pypdf decodes them under the configured limits.
    return len(stream.get_data())


def _pdf_checked(data: bytes) -> CheckedUpload:
    """Parse the PDF, visit every object, refuse active content and bound what its streams expand to."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError
    from pypdf.generic import StreamObject

    for marker, reason in PDF_RAW_MARKERS:
        if marker in data:
            raise _pdf_refusal(reason)
    budget = settings.UPLOAD_MAX_PDF_EXPANDED_BYTES
    limits = {
        "zlib_maximum_output_length": budget,
        "lzw_maximum_output_length": budget,
        "run_length_maximum_output_length": budget,
        "jbig2_maximum_output_length": budget,
        "brotli_maximum_output_length": budget,
        "array_based_stream_maximum_output_length": budget,
        "stream_decoding_work_maximum_length": budget,
        "zlib_maximum_recovery_input_length": 100_000,
        "jbig2dec_binary": None,
    }
    expanded = 0
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                raise _damaged("PDF")
            reader.pages[0].mediabox  # noqa: B018 - touching the first page parses its dictionary
            found = _pdf_walk(reader.trailer, set())
            numbers = {num for by_number in reader.xref.values() for num in by_number}
            numbers |= set(reader.xref_objStm)
            for number in sorted(numbers):
                obj = reader.get_object(number)
                found = found or _pdf_walk(obj, set())
                if found:
                    raise _pdf_refusal(found)
                if isinstance(obj, StreamObject):
                    expanded += _pdf_stream_expanded(obj, budget - expanded)
                    if expanded > budget:
                        raise LimitReachedError("total")
    except ValidationError:
        raise
    except LimitReachedError:
        raise _refuse(
            _(
                "The PDF expands to more than %(limit)s when opened, so it is refused as unsafe. "
                "Save it again as a smaller PDF or scan the paper."
            )
            % {"limit": filesizeformat(budget)}
        ) from None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds for broken files
        raise _damaged("PDF") from None
    return CheckedUpload(content_type="application/pdf", extension="document.pdf", data=data)


# --- the checker ---------------------------------------------------------------------------------
def check_upload(file, *, photo: bool = False) -> CheckedUpload:
    """Check an uploaded file (or its bytes): raise ValidationError({"file": [...]}) or return what to store.

    With ``photo``, only a JPEG or PNG at least the card's size is accepted.
    """
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise _too_large(size, limit)
    data = _read_all(file)
    if len(data) > limit:
        raise _too_large(len(data), limit)
    if not data:
        raise _refuse(_("The file is empty."))
    match = next((sig for sig in SIGNATURES if data.startswith(sig[0])), None)
    if photo and (match is None or match[1] not in IMAGE_FORMATS):
        raise _refuse(_("The photo must be a JPEG or PNG image."))
    if match is None:
        raise _refuse(
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them, whatever its name says.")
        )
    content_type = match[1]
    if HTML_MARKERS.search(data):
        raise _refuse(
            _(
                "The file also contains web page code (HTML or script) besides its %(kind)s content, "
                "so it is not what it claims to be and is refused."
            )
            % {"kind": "PDF" if content_type == "application/pdf" else IMAGE_FORMATS[content_type]}
        )
    if content_type == "application/pdf":
        checked = _pdf_checked(data)
    else:
        checked = _image_reencoded(data, content_type)
    if checked.size > limit:
        raise _too_large(checked.size, limit)
    if photo:
        _require_card_size(checked)
    return checked


# --- the applicant's photo (also printed on the card) -----------------------------------------
# A 26 x 32 mm card photo printed at 300 dpi, rounded down: the minimum the card can be made from.
PHOTO_MIN_WIDTH = 300
PHOTO_MIN_HEIGHT = 370


def _require_card_size(checked: CheckedUpload) -> None:
    if checked.width < PHOTO_MIN_WIDTH or checked.height < PHOTO_MIN_HEIGHT:
        raise _refuse(
            _("The photo is %(width)s × %(height)s pixels; it must be at least %(min_w)s × %(min_h)s.")
            % {
                "width": checked.width,
                "height": checked.height,
                "min_w": PHOTO_MIN_WIDTH,
                "min_h": PHOTO_MIN_HEIGHT,
            }
        )


def upload_rules(*, photo: bool = False) -> str:
    """What an upload must be, said before the first attempt (the same limits check_upload applies)."""
    megabytes = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    if photo:
        return _(
            "A JPEG or PNG image, at least %(min_w)s × %(min_h)s pixels (the card's 26 × 32 mm at "
            "300 dpi), up to %(mb)s MB. It is printed on your card."
        ) % {"min_w": PHOTO_MIN_WIDTH, "min_h": PHOTO_MIN_HEIGHT, "mb": megabytes}
    return _("A PDF, JPEG or PNG file, up to %(mb)s MB.") % {"mb": megabytes}


def check_photo(data: bytes) -> CheckedUpload:
    """A JPEG or PNG of at least the card's size, re-encoded, or ValidationError({"file": [...]})."""
    return check_upload(data, photo=True)


# --- serving -------------------------------------------------------------------------------------
# Whatever a stored file turns out to be, the browser runs nothing from it: no scripts, no plugins,
# no forms, no same-origin access (and nosniff, set for every response, keeps its declared type).
SANDBOX_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"


def protect_served_upload(response, *, filename: str, inline: bool):
    """Headers for serving an upload: PDFs always as attachments, images inline only under the sandbox."""
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def serve_document(response, document, *, inline: bool | None = None):
    """An application document's response: named by type and version, never by the uploader's name."""
    extension = EXTENSIONS.get(document.content_type, "bin")
    if inline is None:
        inline = document.content_type in IMAGE_FORMATS
    return protect_served_upload(
        response, filename=f"{document.document_type}-v{document.version}.{extension}", inline=inline
    )

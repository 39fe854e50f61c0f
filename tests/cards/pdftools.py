"""Reading rendered PDFs back with independent tools: poppler's pdftotext and pdftoppm, zbarimg."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_text(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout


def pdf_pages_png(pdf: bytes, folder: Path, *, dpi: int = 300) -> list[Path]:
    path = folder / "doc.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / "page")], check=True)
    return sorted(folder.glob("page*.png"))


def qr_codes(pdf: bytes) -> list[str]:
    """Every QR code zbarimg finds on the pages rasterised at 300 dpi."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        for page in pdf_pages_png(pdf, Path(folder)):
            result = subprocess.run(
                ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True
            )
            found += [line for line in result.stdout.splitlines() if line]
    return found

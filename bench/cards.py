"""Benchmark of card and letter rendering: python bench/cards.py [--n 200] [--small]

Renders N cards (front and back: photo, QR code, bilingual particulars) and N approval letters
through the same code the worker runs (context with QR code and photo, Django template, weasyprint
with the shared font configuration), and two floors with the same fonts and page size: the same
document as static HTML (weasyprint alone, no template logic: `card_over_floor`, goal at most 2),
and a bare page with the same amount of text and no markup or images (`card_over_plain_page`).
Prints the median time per document. No database is used. --small (or BENCH_SMALL=1): 3 of each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

# bench/ holds a queue.py that would shadow the standard library: put the repository first instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residence.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

from bench import _kit  # noqa: E402

django.setup()

from cards import documents, numbers  # noqa: E402
from cards.tokens import verification_token  # noqa: E402
from tests.cards.factories import photo_bytes  # noqa: E402

PHOTO = photo_bytes()


def card_context(i: int) -> dict:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i * 37)
    number = numbers.compose(
        province="CN-GD", nationality="FRA", birth_date=birth, sequence=1 + 2 * (i % 400)
    )
    # The URL as cards.tokens.verification_url builds it, without loading the project's URLconf.
    url = f"http://localhost:8000/cards/verify/{verification_token(number)}/"
    return {
        "number": number,
        "latin_name": f"MARTIN Alice Claire {i}",
        "chinese_name": "马丽丝",
        "birth_date": birth.isoformat(),
        "nationality": "FRA",
        "nationality_en": "France",
        "nationality_zh": "法国",
        "passport_number": f"18AB{i:05d}",
        "sex_en": "Female",
        "sex_zh": "女",
        "issued_on": "2025-03-01",
        "expires_on": "2035-03-01",
        "authority_en": "Guangdong Provincial Exit-Entry Administration",
        "authority_zh": "广东省出入境管理局",
        "photo_uri": documents.data_uri(PHOTO, "image/jpeg"),
        "qr_uri": documents.data_uri(documents.qr_png(url), "image/png"),
        "verify_url": url,
    }


def letter_context(i: int) -> dict:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i * 37)
    number = numbers.compose(
        province="CN-GD", nationality="FRA", birth_date=birth, sequence=1 + 2 * (i % 400)
    )
    card = {
        "number": number,
        "latin_name": f"MARTIN Alice Claire {i}",
        "chinese_name": "马丽丝",
        "birth_date": birth.isoformat(),
        "nationality_en": "France",
        "nationality_zh": "法国",
        "passport_number": f"18AB{i:05d}",
        "issued_on": "2025-03-01",
        "expires_on": "2035-03-01",
        "authority_en": "Guangdong Provincial Exit-Entry Administration",
        "authority_zh": "广东省出入境管理局",
    }
    return {
        **card,
        "reference": f"PR-A-{card['number']}",
        "letter_date": "2025-03-01",
        "application_reference": f"PR-2025-{i:06d}",
        "card_number": card["number"],
        "decided_on": "2025-02-27",
        "legal_basis_en": "Opinions on Strengthening the Service and Management of Foreign Permanent Residence (2016)",
        "legal_basis_zh": "《关于加强外国人永久居留服务管理的意见》（2016）",
    }


def floor_html(text_length: int) -> str:
    filler = ("永久居留 Permanent residence " * (text_length // 20 + 1))[:text_length]
    return f"<!doctype html><html><body><p>{filler}</p></body></html>"


def visible_text_length(html: str) -> int:
    import re

    body = re.sub(r"<[^>]+>|data:[^\"]+", "", html)
    return len(" ".join(body.split()))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--n", type=int, default=3 if _kit.small() else 200)
    n = parser.parse_args().n
    # Warm up: fonts, stylesheets and templates are loaded once per process.
    documents.render_pdf("card", card_context(0))
    documents.render_pdf("approval_letter", letter_context(0))
    card_len = visible_text_length(documents.html_for("card", card_context(0)))
    letter_len = visible_text_length(documents.html_for("approval_letter", letter_context(0)))
    # The floor: the same card and letter as static HTML (rendered once), so weasyprint does the
    # same layout with no template, QR code or context work; and a bare page of the same text.
    card_floor = documents.html_for("card", card_context(0))
    letter_floor = documents.html_for("approval_letter", letter_context(0))
    card_plain, letter_plain = floor_html(card_len), floor_html(letter_len)
    documents.pdf_from_html(card_floor, kind="card")

    cards, letters, card_floors, letter_floors, card_plains, letter_plains = [], [], [], [], [], []
    for i in range(n):  # interleaved, so drift in the machine's speed hits every series alike
        cards.append(timed(lambda i=i: documents.render_pdf("card", card_context(i))))
        card_floors.append(timed(lambda: documents.pdf_from_html(card_floor, kind="card")))
        letters.append(timed(lambda i=i: documents.render_pdf("approval_letter", letter_context(i))))
        letter_floors.append(timed(lambda: documents.pdf_from_html(letter_floor, kind="letter")))
        card_plains.append(timed(lambda: documents.pdf_from_html(card_plain, kind="card")))
        letter_plains.append(timed(lambda: documents.pdf_from_html(letter_plain, kind="letter")))

    med = statistics.median
    print(f"documents={2 * n} cards={n} letters={n}")
    print(f"card_median_ms={med(cards) * 1000:.1f} card_floor_median_ms={med(card_floors) * 1000:.1f}")
    print(
        f"letter_median_ms={med(letters) * 1000:.1f} letter_floor_median_ms={med(letter_floors) * 1000:.1f}"
    )
    print(f"median_ms_per_document={med(cards + letters) * 1000:.1f}")
    print(f"card_over_floor={med(cards) / med(card_floors):.2f}")
    print(f"letter_over_floor={med(letters) / med(letter_floors):.2f}")
    print(f"plain_page_median_ms card={med(card_plains) * 1000:.1f} letter={med(letter_plains) * 1000:.1f}")
    print(f"card_over_plain_page={med(cards) / med(card_plains):.2f}")
    print(f"letter_over_plain_page={med(letters) / med(letter_plains):.2f}")


if __name__ == "__main__":
    main()

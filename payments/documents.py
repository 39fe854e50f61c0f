"""The receipt of a paid fee as a bilingual PDF, rendered like the cards' letters (cards/documents.py)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation

from cards.documents import pdf_from_html

from .fees import yuan
from .models import PaymentOrder


def receipt_context(order: PaymentOrder) -> dict:
    from cards.services import _authority

    application = order.application
    if order.card_request_id is not None:
        # A renewal or replacement: the payer is the card's holder, the authority the card's.
        card = order.card_request.card
        profile = card.profile
        authority_en, authority_zh = card.authority_en, card.authority_zh
    else:
        profile = application.applicant
        authority_en, authority_zh = _authority(application.office)
    paid = timezone.localtime(order.paid_at) if order.paid_at else None
    return {
        "order": order,
        "authority_en": authority_en,
        "authority_zh": authority_zh,
        "paid_at": f"{paid:%Y-%m-%d %H:%M}" if paid else "",
        "amount": yuan(order.amount_fen),
        "payer_latin": f"{profile.family_name} {profile.given_names}".strip(),
        "payer_chinese": profile.chinese_name,
        "passport": profile.passport_number,
        "application": application,
        "kind_en": {
            "issuance": "Permanent residence card (first issue)",
            "renewal": "Card renewal",
            "replacement": "Card replacement",
        }[order.kind],
        "kind_zh": {"issuance": "外国人永久居留身份证（首次签发）", "renewal": "换发", "replacement": "补发"}[
            order.kind
        ],
    }


def receipt_pdf(order: PaymentOrder) -> bytes:
    # Bilingual by design: both languages are in the template, whatever the payer's language.
    with translation.override("en"):
        html = render_to_string("payments/pdf/receipt.html", receipt_context(order))
    return pdf_from_html(html, kind="receipt")

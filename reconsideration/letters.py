"""The outcome letter: bilingual by design, from stored records only (rendering twice gives the same text)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from cards.context import _person

from .models import Reconsideration

OUTCOME_TEXT = {
    Reconsideration.State.UPHELD: ("维持原决定。", "The decision is upheld."),
    Reconsideration.State.OVERTURNED: (
        "撤销原决定；原案件按规定恢复办理，已作废的证件恢复有效。",
        "The decision is overturned; the case resumes as the rules provide and a revoked card is valid again.",
    ),
    Reconsideration.State.VARIED: (
        "变更原决定，变更内容见理由。",
        "The decision is varied as the reasons set out.",
    ),
    Reconsideration.State.REMITTED: (
        "撤销原决定，责令原机关重新作出决定。",
        "The decision is set aside and the matter is remitted for a new decision.",
    ),
}


def letter_context(case: Reconsideration) -> dict:
    if case.application_id:
        application = case.application
        source = application.applicant
        challenged = (f"不予批准永久居留申请{application}的决定", f"Refusal of application {application}")
        first_decided = application.decided_at
        extra = {"application_reference": str(application)}
    else:
        card = case.revocation.card
        source = card
        challenged = (f"取消永久居留资格、证件{card.number}作废的决定", f"Revocation of card {card.number}")
        first_decided = case.revocation.decided_at
        extra = {"card_number": card.number}
    outcome_zh, outcome_en = OUTCOME_TEXT[case.state]
    return {
        **_person(source),
        **extra,
        "reference": f"RC-{case.lodged_at:%Y}-{case.pk:06d}",
        "letter_date": f"{case.decided_at:%Y-%m-%d}",
        "authority_en": case.office.name_en,
        "authority_zh": case.office.name_zh,
        "challenged_zh": challenged[0],
        "challenged_en": challenged[1],
        "first_decided_on": f"{first_decided:%Y-%m-%d}" if first_decided else "",
        "grounds": case.grounds,
        "outcome_zh": outcome_zh,
        "outcome_en": outcome_en,
        "reason": case.decision_reason,
        "legal_basis": case.legal_basis,
    }


def letter_pdf(case: Reconsideration) -> bytes:
    from cards.documents import pdf_from_html

    with translation.override("en"):
        html = render_to_string("reconsideration/pdf/letter.html", letter_context(case))
    return pdf_from_html(html, kind="letter")

"""What each document prints, built from stored records only (so a re-render gives the same text)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from applications.countries import COUNTRIES
from applications.reasons import letter_rules

from .documents import data_uri, qr_png
from .models import CardDocument
from .tokens import signed_token, verification_url

SEX = {"F": ("Female", "女"), "M": ("Male", "男"), "X": ("Unspecified", "未说明")}


def _date(day: dt.date | None) -> str:
    return day.strftime("%Y-%m-%d") if day else ""


def _person(source) -> dict:
    """Particulars common to cards and letters, from a card or an applicant profile."""
    en, zh = COUNTRIES.get(source.nationality, (source.nationality, source.nationality))
    sex_en, sex_zh = SEX.get(source.sex, ("", ""))
    return {
        "latin_name": f"{source.family_name.upper()} {source.given_names}".strip(),
        "chinese_name": source.chinese_name,
        "birth_date": _date(source.birth_date),
        "nationality": source.nationality,
        "nationality_en": en,
        "nationality_zh": zh,
        "passport_number": source.passport_number,
        "sex_en": sex_en,
        "sex_zh": sex_zh,
    }


def _policy_basis(policy_version) -> tuple[str, str]:
    basis = (policy_version.document or {}).get("legal_basis") or {} if policy_version else {}
    return basis.get("en", ""), basis.get("zh", "")


def _decision_reasons(application, statuses: tuple[str, ...]) -> dict:
    """The structured reasons (R6) of the application's last transition into one of ``statuses``."""
    if application is None:
        return {}
    change = (
        application.status_changes.filter(to_status__in=statuses)
        .exclude(reasons={})
        .order_by("-at", "-id")
        .first()
    )
    return change.reasons if change else {}


def _review(decided_on: dt.date) -> dict:
    days = settings.CARDS_RECONSIDERATION_DAYS
    return {
        "reconsideration_days": days,
        "reconsideration_deadline": _date(decided_on + dt.timedelta(days=days)),
    }


def card_context(card) -> dict:
    with card.photo.open("rb") as handle:
        photo = handle.read()
    url = verification_url(signed_token(card, photo=photo))
    return {
        **_person(card),
        "number": card.number,
        "issued_on": _date(card.issued_on),
        "expires_on": _date(card.expires_on),
        "authority_en": card.authority_en,
        "authority_zh": card.authority_zh,
        "photo_uri": data_uri(photo, card.photo_content_type),
        "qr_uri": data_uri(qr_png(url), "image/png"),
        "verify_url": url,
    }


def context_for(document: CardDocument) -> dict:
    kind = document.kind
    if kind == CardDocument.Kind.CARD:
        return card_context(document.card)
    if kind == CardDocument.Kind.APPROVAL_LETTER:
        card, application = document.card, document.application
        decided = (
            (application.decided_at or card.created_at).astimezone().date() if application else card.issued_on
        )
        basis_en, basis_zh = _policy_basis(card.policy_version)
        reasons = _decision_reasons(application, ("approved", "awaiting_quota"))
        return {
            **_person(card),
            "policy_version": reasons.get("policy_version")
            or (card.policy_version.label if card.policy_version else ""),
            "rules": letter_rules(reasons),
            "reference": f"PR-A-{card.number}",
            "letter_date": _date(card.issued_on),
            "authority_en": card.authority_en,
            "authority_zh": card.authority_zh,
            "application_reference": application.reference if application else "",
            "card_number": card.number,
            "decided_on": _date(decided),
            "issued_on": _date(card.issued_on),
            "expires_on": _date(card.expires_on),
            "legal_basis_en": basis_en,
            "legal_basis_zh": basis_zh,
        }
    if kind == CardDocument.Kind.REFUSAL_LETTER:
        application = document.application
        profile = application.applicant
        decided = (application.decided_at or application.updated_at).astimezone().date()
        office = application.office
        snapshot = application.eligibility_snapshot or {}
        reasons = _decision_reasons(application, ("refused",))
        # Refusals decided before reasons were structured cite what the engine found not met.
        rules = letter_rules(reasons) or [
            {
                "label_en": (c.get("label") or {}).get("en", ""),
                "label_zh": (c.get("label") or {}).get("zh", ""),
                "basis_en": (c.get("legal_basis") or {}).get("en", ""),
                "basis_zh": (c.get("legal_basis") or {}).get("zh", ""),
            }
            for c in snapshot.get("criteria", [])
            if c.get("outcome") == "not_met"
        ]
        policy_version = getattr(application, "policy_version", None)
        basis_en, basis_zh = _policy_basis(policy_version)
        return {
            **_person(profile),
            "policy_version": reasons.get("policy_version")
            or (policy_version.label if policy_version else snapshot.get("policy_version", "")),
            "reference": f"PR-R-{application.reference or application.pk}",
            "letter_date": _date(decided),
            "authority_en": office.name_en if office else "National Immigration Administration",
            "authority_zh": office.name_zh if office else "国家移民管理局",
            "application_reference": application.reference or f"#{application.pk}",
            "card_number": "",
            "decided_on": _date(decided),
            "reason": application.decision_reason,
            "rules": rules,
            "legal_basis_en": basis_en
            or "Measures for the Administration of Examination and Approval of Foreigners' Permanent Residence in China",
            "legal_basis_zh": basis_zh or "《外国人在中国永久居留审批管理办法》",
            **_review(decided),
        }
    # Revocation decision.
    case, card = document.revocation, document.card
    decided = case.decided_at.astimezone().date()
    basis_zh, _newline, basis_en = case.legal_basis.partition("\n")
    return {
        **_person(card),
        "policy_version": (case.reasons or {}).get("policy_version")
        or (card.policy_version.label if card.policy_version else ""),
        "reference": f"PR-C-{card.number}-{case.pk}",
        "letter_date": _date(decided),
        "authority_en": card.authority_en,
        "authority_zh": card.authority_zh,
        "application_reference": "",
        "card_number": card.number,
        "decided_on": _date(decided),
        "ground_en": str(case.Ground(case.ground).label),
        "ground_zh": GROUND_ZH.get(case.ground, ""),
        "reason": case.decision_reason,
        "legal_basis_en": basis_en,
        "legal_basis_zh": basis_zh,
        "ban_until": _date(case.ban.until) if case.ban else "",
        **_review(decided),
    }


GROUND_ZH = {
    "national_security": "危害中国国家安全和利益",
    "deportation": "被处驱逐出境",
    "fraud": "以弄虚作假等不正当手段取得永久居留资格",
    "insufficient_residence": "在中国境内居留未达到规定时限",
    "talent_program_terminated": "引才计划终止",
}

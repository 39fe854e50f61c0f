"""Reads of the privacy app, each already limited to what the user may see."""

from __future__ import annotations

from django.db.models import Min, QuerySet
from django.http import Http404

from residence.accounts.jurisdiction import area_q

from . import consent_texts
from .models import CaseAccess, Consent, CorrectionRequest, LegalHold
from .services import may_answer_corrections


def consents_for(*, person) -> QuerySet[Consent]:
    return Consent.objects.filter(person=person).select_related(
        "application", "authorisation__intermediary", "given_by"
    )


def consent_get(*, person, pk: int) -> Consent:
    consent = consents_for(person=person).filter(pk=pk).first()
    if consent is None:
        raise Http404
    return consent


def consent_rows(*, person, language: str | None = None) -> list[dict]:
    rows = []
    for consent in consents_for(person=person):
        text = consent_texts.version(consent.text_version, consent.purpose)
        rows.append(
            {
                "consent": consent,
                "text": text.text(language) if text else "",
                "withdrawal": text.withdrawal(language) if text else "",
                "about": consent.authorisation.intermediary
                if consent.authorisation_id
                else (consent.application or ""),
                "by_someone_else": consent.given_by_id != person.pk,
            }
        )
    return rows


def office_views_for(*, person) -> list[dict]:
    """Which office (or agency) read the person's cases, by day: never which officer."""
    rows = (
        CaseAccess.objects.filter(application__applicant__owner=person)
        .values(
            "application__reference",
            "office__name_en",
            "office__name_zh",
            "agency__name_en",
            "agency__name_zh",
            "hour__date",
        )
        .annotate(first=Min("hour"))
        .order_by("-hour__date", "application__reference", "office__name_en", "agency__name_en")
    )
    return list(rows[:500])


def case_accesses(*, application) -> QuerySet[CaseAccess]:
    """Who read the case, for its officers (names included: they are staff of the administration)."""
    return CaseAccess.objects.filter(application=application).select_related("user", "office", "agency")


def corrections_for_person(*, person) -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.filter(person=person).select_related("application")


def corrections_for_officer(*, user) -> QuerySet[CorrectionRequest]:
    if not may_answer_corrections(user):
        return CorrectionRequest.objects.none()
    return (
        CorrectionRequest.objects.filter(area_q(user, province="province", city="city_code"))
        .select_related("person", "application", "answered_by")
        .order_by("status", "created_at", "id")
    )


def correction_get_for_officer(*, user, pk: int) -> CorrectionRequest:
    request = corrections_for_officer(user=user).filter(pk=pk).first()
    if request is None:
        raise Http404
    return request


def holds_for(*, application) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(application=application).select_related("placed_by", "released_by")

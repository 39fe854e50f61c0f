"""Every read of the cards app, already limited to what the user may see (otherwise a 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from residence.accounts.jurisdiction import area_q
from residence.accounts.models import Role

from .models import (
    Card,
    CardDocument,
    CardRequest,
    Institution,
    InstitutionApiKey,
    PresenceRecord,
    ResidenceAlert,
    RevocationCase,
    VerificationQuery,
)
from .tokens import number_from_token

STAFF_ROLES = (Role.MANAGEMENT_OFFICER, Role.APPROVER, Role.SYSTEM_ADMIN)


def is_card_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*STAFF_ROLES))


def holder_area_q(user, prefix: str = "") -> Q:
    """A card is managed where its holder lives now (daily management, R21): the holder's profile's
    province and city, by the one jurisdiction rule every app uses."""
    return area_q(user, province=f"{prefix}profile__province", city=f"{prefix}profile__city_code")


def card_list(*, user) -> QuerySet[Card]:
    """The holder's own cards; staff with rights see every card."""
    cards = Card.objects.select_related("profile")
    if not (user and user.is_authenticated):
        return cards.none()
    if is_card_staff(user):
        return cards.filter(holder_area_q(user))
    return cards.filter(profile__owner=user)


def card_get(*, user, pk) -> Card:
    try:
        return card_list(user=user).get(pk=pk)
    except (Card.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def card_by_token(*, token: str) -> Card:
    number = number_from_token(token)
    card = Card.objects.filter(number=number).first() if number else None
    if card is None:
        raise Http404
    return card


def card_in_area(*, user, number: str) -> Card | None:
    """The card with exactly this number, if it is in the officer's area (otherwise as if unknown)."""
    if not is_card_staff(user):
        return None
    return Card.objects.select_related("profile").filter(holder_area_q(user), number=number).first()


def document_list(*, user) -> QuerySet[CardDocument]:
    documents = CardDocument.objects.select_related("card", "application")
    if not (user and user.is_authenticated):
        return documents.none()
    if is_card_staff(user):
        # A card's documents follow its holder; a refusal letter (no card) follows the application.
        return documents.filter(
            holder_area_q(user, "card__")
            | Q(card__isnull=True)
            & area_q(user, province="application__province", city="application__city_code")
        )
    return documents.filter(recipient=user)


def document_get(*, user, pk) -> CardDocument:
    try:
        return document_list(user=user).get(pk=pk, state=CardDocument.State.READY)
    except (CardDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def holder_documents(*, user, cards) -> QuerySet[CardDocument]:
    return CardDocument.objects.filter(recipient=user).select_related("card", "application")


def card_request_queue(*, user) -> QuerySet[CardRequest]:
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER)):
        return CardRequest.objects.none()
    return CardRequest.objects.filter(
        holder_area_q(user, "card__"), state=CardRequest.State.REQUESTED
    ).select_related("card", "requested_by")


def card_request_get(*, user, pk) -> CardRequest:
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER)):
        raise Http404
    try:
        return (
            CardRequest.objects.select_related("card__profile")
            .filter(holder_area_q(user, "card__"))
            .get(pk=pk)
        )
    except (CardRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def revocation_list(*, user) -> QuerySet[RevocationCase]:
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER, Role.APPROVER)):
        return RevocationCase.objects.none()
    return RevocationCase.objects.filter(holder_area_q(user, "card__")).select_related(
        "card", "opened_by", "decided_by", "ban"
    )


def revocation_get(*, user, pk) -> RevocationCase:
    try:
        return revocation_list(user=user).get(pk=pk)
    except (RevocationCase.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def holder_revocations(*, user) -> QuerySet[RevocationCase]:
    """What the holder is told: decided revocations of their cards."""
    return RevocationCase.objects.filter(
        card__profile__owner=user, state=RevocationCase.State.REVOKED
    ).select_related("card", "ban")


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.all()


def institution_get(*, user, pk) -> Institution:
    if not (user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN)):
        raise Http404
    try:
        return Institution.objects.get(pk=pk)
    except (Institution.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def api_key_list(*, institution) -> QuerySet[InstitutionApiKey]:
    return InstitutionApiKey.objects.filter(institution=institution)


def api_key_get(*, user, pk) -> InstitutionApiKey:
    if not (user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN)):
        raise Http404
    try:
        return InstitutionApiKey.objects.select_related("institution").get(pk=pk)
    except (InstitutionApiKey.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def query_log(*, institution=None) -> QuerySet[VerificationQuery]:
    queries = VerificationQuery.objects.select_related("institution", "card")
    if institution is not None:
        queries = queries.filter(institution=institution)
    return queries


def residence_alerts(*, user) -> QuerySet[ResidenceAlert]:
    if not (user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER)):
        return ResidenceAlert.objects.none()
    return ResidenceAlert.objects.filter(
        area_q(user, province="profile__province", city="profile__city_code")
    ).select_related("profile", "card", "revocation")


def presence_records(*, profile) -> QuerySet[PresenceRecord]:
    return PresenceRecord.objects.filter(profile=profile)


def invalid_card_numbers(*, today) -> tuple[list[str], list[str]]:
    """Numbers of revoked and of replaced cards not yet past their date, for the signed revocation list
    (an expired card fails the offline check on its printed date, so it need not be listed)."""
    unexpired = Card.objects.filter(expires_on__gte=today)
    revoked = unexpired.filter(status=Card.Status.REVOKED).values_list("number", flat=True)
    replaced = unexpired.filter(status=Card.Status.REPLACED).values_list("number", flat=True)
    return list(revoked), list(replaced)

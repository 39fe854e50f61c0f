"""Reads, limited to what the user may see: the person's own (or their client's), or the deciding office's."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from applications.models import Application, Authorisation
from cards.models import RevocationCase
from residence.accounts.models import Office, Role

from .models import Reconsideration


def _people_of(user) -> list[int]:
    """The user and everyone who authorises them as intermediary."""
    ids = [user.pk]
    if user.has_role(Role.INTERMEDIARY):
        ids += list(
            Authorisation.objects.filter(intermediary=user, revoked_at__isnull=True).values_list(
                "applicant_id", flat=True
            )
        )
    return ids


def _base() -> QuerySet[Reconsideration]:
    return Reconsideration.objects.select_related(
        "office", "person", "lodged_by", "decided_by", "application", "revocation__card"
    )


def reconsiderations_of_person(*, user) -> QuerySet[Reconsideration]:
    return _base().filter(person_id__in=_people_of(user)).order_by("-lodged_at", "-id")


def reconsideration_queue(*, user) -> QuerySet[Reconsideration]:
    """What the user's office decides: its own level and the offices below it in its area."""
    if user.is_superuser:
        return _base()
    office = user.office
    if not user.has_role(Role.APPROVER) or office is None:
        return Reconsideration.objects.none()
    if office.level == Office.Level.NATIONAL:
        return _base()
    if office.level == Office.Level.PROVINCIAL:
        return _base().filter(
            Q(office__level__in=[Office.Level.PROVINCIAL, Office.Level.MUNICIPAL]),
            office__province=office.province,
        )
    return _base().filter(office__level=Office.Level.MUNICIPAL, office__city_code=office.city_code)


def reconsiderations_in_area(*, user) -> QuerySet[Reconsideration]:
    """For the workload counts: what the user's office or one below it decides, whatever the role."""
    office = user.office
    if user.is_superuser or (office is not None and office.level == Office.Level.NATIONAL):
        return Reconsideration.objects.all()
    if office is None:
        return Reconsideration.objects.none()
    if office.level == Office.Level.PROVINCIAL:
        return Reconsideration.objects.filter(office__province=office.province)
    return Reconsideration.objects.filter(office__city_code=office.city_code)


def reconsideration_get(*, user, pk: int) -> Reconsideration:
    """The person's own (or client's), or one in the user's deciding queue; otherwise a 404."""
    case = reconsideration_queue(user=user).filter(pk=pk).first()
    if case is None:
        case = reconsiderations_of_person(user=user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def refusal_for_person(*, user, pk: int) -> Application:
    application = (
        Application.objects.select_related("applicant")
        .filter(pk=pk, applicant__owner_id__in=_people_of(user))
        .first()
    )
    if application is None:
        raise Http404
    return application


def revocation_for_person(*, user, pk: int) -> RevocationCase:
    case = (
        RevocationCase.objects.select_related("card")
        .filter(pk=pk, card__profile__owner_id__in=_people_of(user))
        .first()
    )
    if case is None:
        raise Http404
    return case

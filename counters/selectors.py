"""Every read of the service windows, already limited to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from applications.access import officer_may_act
from applications.models import Application, Stage
from residence.accounts.jurisdiction import office_covers
from residence.accounts.models import Role

from .models import CardCollection, IntakeRecord, WalkIn


@dataclass(frozen=True)
class CounterRules:
    intake_required: bool
    waived_for_green_channel: bool
    collection_days: int


DEFAULT_COLLECTION_DAYS = 90


def counter_rules(policy_version) -> CounterRules:
    """The policy's `counters` section; a version without one asks for the in-person intake."""
    doc = (policy_version.compiled().doc.get("counters") or {}) if policy_version else {}
    intake = doc.get("in_person_intake") or {}
    return CounterRules(
        intake_required=bool(intake.get("required", True)),
        waived_for_green_channel=bool(intake.get("waived_for_green_channel", False)),
        collection_days=int(doc.get("card_collection_days", DEFAULT_COLLECTION_DAYS)),
    )


def intake_waived(application: Application) -> bool:
    rules = counter_rules(application.policy_version)
    return not rules.intake_required or (rules.waived_for_green_channel and bool(application.green_channel))


def is_counter_staff(user) -> bool:
    return bool(user and user.is_authenticated and user.office_id and user.has_role(Role.COUNTER_STAFF))


def held_owner_ids(user) -> QuerySet:
    """The placeholder owners of the unclaimed walk-ins of the user's window (empty for anyone else)."""
    if not is_counter_staff(user):
        return WalkIn.objects.none().values("holder_id")
    return WalkIn.objects.filter(window_id=user.office_id, claimed_at__isnull=True).values("holder_id")


def window_holds(*, user, owner_id: int) -> bool:
    return is_counter_staff(user) and held_owner_ids(user).filter(holder_id=owner_id).exists()


def walk_ins_of_window(*, user) -> QuerySet[WalkIn]:
    if not is_counter_staff(user):
        return WalkIn.objects.none()
    return WalkIn.objects.filter(window_id=user.office_id).select_related(
        "profile", "application", "staff", "claimed_by"
    )


def walk_ins_today(*, user) -> QuerySet[WalkIn]:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return walk_ins_of_window(user=user).filter(created_at__gte=start)


def walk_ins_unclaimed(*, user) -> QuerySet[WalkIn]:
    return walk_ins_of_window(user=user).filter(claimed_at__isnull=True)


def walk_in_profile_find(*, user, passport_number: str, nationality: str):
    """A profile this window already holds for the passport (the person came back), else None."""
    passport = (passport_number or "").replace(" ", "").upper()
    walk_in = (
        walk_ins_unclaimed(user=user)
        .filter(profile__passport_number=passport, profile__nationality=(nationality or "").upper())
        .first()
    )
    return walk_in.profile if walk_in else None


def may_record_intake(user, application: Application) -> bool:
    """The window's staff for its own walk-in case, or an intake officer who may act on the case."""
    if not user.is_authenticated or application.submitted_at is None:
        return False
    walk_in = WalkIn.objects.filter(application=application).first()
    if walk_in and is_counter_staff(user) and walk_in.window_id == user.office_id and not walk_in.claimed_at:
        return True
    return officer_may_act(user, application, Stage.INTAKE)


def intake_case_get(*, user, pk: int) -> Application:
    """A submitted case the user may record the in-person intake of; anyone else's is a 404."""
    try:
        application = Application.objects.select_related("applicant", "policy_version", "office").get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not may_record_intake(user, application):
        raise Http404
    return application


def intake_record_of(application: Application) -> IntakeRecord | None:
    return IntakeRecord.objects.filter(application=application).select_related("operator", "place").first()


def may_hand_over(user, collection: CardCollection) -> bool:
    """Counter staff of the place where the card waits, or a management officer over its area."""
    if not user.is_authenticated:
        return False
    if is_counter_staff(user) and user.office_id == collection.place_id:
        return True
    application = collection.card.application
    return user.has_role(Role.MANAGEMENT_OFFICER) and office_covers(
        user.office, province=application.province, city_code=application.city_code
    )


def collections_awaiting(*, user) -> QuerySet[CardCollection]:
    """Cards waiting at the user's window (counter staff) or in their area (management officers)."""
    qs = CardCollection.objects.filter(collected_at__isnull=True).select_related(
        "card", "card__application", "place"
    )
    if is_counter_staff(user):
        return qs.filter(place_id=user.office_id)
    if user.is_authenticated and user.has_role(Role.MANAGEMENT_OFFICER) and user.office_id:
        from residence.accounts.jurisdiction import area_q

        return qs.filter(
            area_q(user, province="card__application__province", city="card__application__city_code")
        )
    return qs.none()


def collection_get(*, user, pk: int) -> CardCollection:
    try:
        collection = CardCollection.objects.select_related("card", "card__application", "place").get(pk=pk)
    except (CardCollection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not may_hand_over(user, collection):
        raise Http404
    return collection


def collections_overdue(*, now: dt.datetime, days: int) -> QuerySet[CardCollection]:
    return CardCollection.objects.filter(
        collected_at__isnull=True,
        flagged_uncollected_at__isnull=True,
        awaiting_since__lte=now - dt.timedelta(days=days),
    ).filter(~Q(card__status="revoked"))

"""The family quota (R12): places in submission order, a fair waiting list, no over-allocation."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from eligibility.models import FamilyQuota, FamilyQuotaEntry
from eligibility.selectors import family_quota_list, family_quota_waiting_list
from eligibility.services import (
    family_quota_allocate_waiting,
    family_quota_release_place,
    family_quota_set,
    family_quota_take_place,
)
from eligibility.signals import quota_place_granted
from residence.audit.models import AuditEntry
from tests.eligibility.factories import FamilyQuotaFactory, policy_admin

T0 = datetime(2025, 3, 1, 9, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.fixture
def granted():
    calls: list[int] = []

    def receiver(sender, application_id, actor, **kwargs):
        calls.append(application_id)

    quota_place_granted.connect(receiver, weak=False)
    yield calls
    quota_place_granted.disconnect(receiver)


@pytest.mark.django_db
def test_cases_take_places_until_the_year_is_full_then_wait(granted):
    FamilyQuotaFactory(year=2025, places=2)
    results = [
        family_quota_take_place(actor=None, application_id=i, region="CN-GD", year=2025, submitted_at=at(i))
        for i in (1, 2, 3)
    ]
    assert results == [True, True, False]
    assert list(family_quota_waiting_list().values_list("application_id", flat=True)) == [3]
    quota = family_quota_list().get(year=2025)
    assert (quota.used, quota.waiting) == (2, 1)
    assert granted == []


@pytest.mark.django_db
def test_taking_a_place_twice_is_harmless():
    FamilyQuotaFactory(year=2025, places=1)
    assert family_quota_take_place(actor=None, application_id=7, region="", year=2025, submitted_at=at(0))
    assert family_quota_take_place(actor=None, application_id=7, region="", year=2025, submitted_at=at(5))
    assert FamilyQuotaEntry.objects.count() == 1


@pytest.mark.django_db
def test_a_released_place_goes_to_the_earliest_submitted_waiting_case(granted):
    FamilyQuotaFactory(year=2025, places=1)
    family_quota_take_place(actor=None, application_id=1, region="", year=2025, submitted_at=at(0))
    # Approved in the other order than submitted: the waiting list follows submission order.
    family_quota_take_place(actor=None, application_id=3, region="", year=2025, submitted_at=at(30))
    family_quota_take_place(actor=None, application_id=2, region="", year=2025, submitted_at=at(10))
    family_quota_release_place(actor=None, application_id=1)
    assert granted == [2]
    assert FamilyQuotaEntry.objects.get(application_id=2).state == "allocated"
    assert FamilyQuotaEntry.objects.get(application_id=3).state == "waiting"
    assert AuditEntry.objects.filter(action="eligibility.family_quota_release").count() == 1


@pytest.mark.django_db
def test_a_new_case_does_not_jump_the_waiting_list_when_places_are_added(granted):
    FamilyQuotaFactory(year=2025, places=0)
    family_quota_take_place(actor=None, application_id=1, region="", year=2025, submitted_at=at(0))
    FamilyQuota.objects.filter(year=2025).update(places=1)  # as if raised without allocating
    assert not family_quota_take_place(actor=None, application_id=2, region="", year=2025, submitted_at=at(5))
    assert granted == [1]


@pytest.mark.django_db
def test_the_next_years_places_go_to_last_years_waiting_cases(granted):
    FamilyQuotaFactory(year=2025, places=0)
    family_quota_take_place(actor=None, application_id=1, region="", year=2025, submitted_at=at(0))
    family_quota_take_place(actor=None, application_id=2, region="", year=2025, submitted_at=at(1))
    FamilyQuotaFactory(year=2026, places=1)
    assert family_quota_allocate_waiting(year=2026) == [1]
    assert FamilyQuotaEntry.objects.get(application_id=1).quota.year == 2026
    assert granted == [1]


@pytest.mark.django_db
def test_setting_more_places_lets_waiting_cases_in(granted):
    admin = policy_admin()
    family_quota_set(actor=admin, year=2025, places=0)
    family_quota_take_place(actor=None, application_id=1, region="", year=2025, submitted_at=at(0))
    family_quota_set(actor=admin, year=2025, places=3)
    assert granted == [1]
    assert AuditEntry.objects.filter(action="eligibility.family_quota_set").count() == 2


@pytest.mark.django_db
def test_a_regional_quota_is_used_for_its_region_only():
    FamilyQuotaFactory(year=2025, places=0)
    FamilyQuotaFactory(year=2025, region="CN-SC", places=1)
    assert family_quota_take_place(
        actor=None, application_id=1, region="CN-SC", year=2025, submitted_at=at(0)
    )
    assert not family_quota_take_place(
        actor=None, application_id=2, region="CN-GD", year=2025, submitted_at=at(1)
    )


@pytest.mark.django_db
def test_without_a_quota_the_policy_figure_is_used():
    assert family_quota_take_place(actor=None, application_id=1, region="", year=2031, submitted_at=at(0))
    assert FamilyQuota.objects.get(year=2031, region="").places == 5000


@pytest.mark.django_db
def test_only_policy_admins_set_the_quota(alice):
    with pytest.raises(PermissionDenied):
        family_quota_set(actor=alice, year=2025, places=10)
    assert not FamilyQuota.objects.exists()


@pytest.mark.django_db
def test_a_quota_for_a_silly_year_is_refused():
    with pytest.raises(ValidationError):
        family_quota_set(actor=policy_admin(), year=1900, places=10)
    assert not FamilyQuota.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_approvers_at_the_same_moment_never_over_allocate(postgres):
    FamilyQuotaFactory(year=2025, places=2)
    approvers = 6
    barrier = threading.Barrier(approvers)
    outcomes: dict[int, bool] = {}
    errors: list[BaseException] = []

    def approve(application_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes[application_id] = family_quota_take_place(
                actor=None,
                application_id=application_id,
                region="",
                year=2025,
                submitted_at=at(application_id),
            )
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(i,)) for i in range(1, approvers + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sum(outcomes.values()) == 2
    assert FamilyQuotaEntry.objects.filter(state="allocated").count() == 2
    assert FamilyQuotaEntry.objects.filter(state="waiting").count() == approvers - 2

"""Processing times are computed from decided cases, with known answers, and too few cases say so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from figures.models import ProcessingTime
from figures.selectors import processing_time_for
from figures.services import nearest_rank, processing_times_refresh, window_start
from residence.audit.models import AuditEntry
from tests.applications.factories import offices
from tests.cards.factories import profile_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)


def decided(profile, office, *, days: int, decided_on: dt.date, channel="work", status=Status.APPROVED):
    zone = timezone.get_current_timezone()
    decided_at = dt.datetime.combine(decided_on, dt.time(15), tzinfo=zone)
    return Application(
        channel=channel,
        status=status,
        applicant=profile,
        created_by=profile.owner,
        office=office,
        province=office.province or "CN-GD",
        city_code="440100",
        nationality="FRA",
        submitted_at=decided_at - dt.timedelta(days=days),
        decided_at=decided_at,
    )


@pytest.fixture
def tree(db):
    return offices()


@pytest.fixture
def profile(db):
    return profile_for(UserFactory(roles=["applicant"]))


def test_the_window_goes_back_six_calendar_months_to_the_same_day_or_the_month_end():
    assert window_start(dt.date(2026, 11, 30), 6) == dt.date(2026, 5, 30)
    assert window_start(dt.date(2026, 8, 31), 6) == dt.date(2026, 2, 28)
    assert window_start(dt.date(2026, 3, 15), 6) == dt.date(2025, 9, 15)


def test_the_nearest_rank_is_the_time_within_which_that_share_was_decided():
    days = list(range(1, 11))  # 1..10 days
    assert (nearest_rank(days, 0.5), nearest_rank(days, 0.8)) == (5, 8)
    assert nearest_rank([7], 0.8) == 7


def test_figures_per_office_and_for_the_country_from_known_cases(tree, profile):
    # Guangdong decided 10 work cases in 10, 20, ... 100 days; Sichuan 10 in 30 days each.
    cases = [
        decided(profile, tree["gd"], days=10 * n, decided_on=TODAY - dt.timedelta(days=n))
        for n in range(1, 11)
    ]
    cases += [
        decided(profile, tree["sc"], days=30, decided_on=TODAY - dt.timedelta(days=3)) for _ in range(10)
    ]
    # Outside the window, not decided, or withdrawn: not counted.
    cases.append(decided(profile, tree["gd"], days=999, decided_on=dt.date(2026, 5, 29)))
    cases.append(decided(profile, tree["gd"], days=999, decided_on=TODAY, status=Status.WITHDRAWN))
    Application.objects.bulk_create(cases)

    processing_times_refresh(today=TODAY)

    gd = ProcessingTime.objects.get(channel="work", office=tree["gd"], computed_on=TODAY)
    assert (gd.cases, gd.p50_days, gd.p80_days) == (10, 50, 80)
    sc = ProcessingTime.objects.get(channel="work", office=tree["sc"], computed_on=TODAY)
    assert (sc.cases, sc.p50_days, sc.p80_days) == (10, 30, 30)
    country = ProcessingTime.objects.get(channel="work", office__isnull=True, computed_on=TODAY)
    # 20 cases: 30 x10, 10..100; sorted, the 10th is 30 and the 16th is 60.
    assert (country.cases, country.p50_days, country.p80_days) == (20, 30, 60)
    assert (country.window_start, country.window_end) == (dt.date(2026, 5, 30), TODAY)
    entry = AuditEntry.objects.get(action="figures.processing_times_refresh")
    assert entry.after["cases"] == 20


def test_too_few_cases_publish_no_number_and_the_route_page_says_so(client, tree, profile, settings):
    settings.FIGURES_MINIMUM_CASES = 10
    Application.objects.bulk_create(
        [decided(profile, tree["gd"], days=12, decided_on=TODAY - dt.timedelta(days=1), channel="family")] * 1
    )
    processing_times_refresh(today=TODAY)
    figure = ProcessingTime.objects.get(channel="family", office=tree["gd"])
    assert (figure.cases, figure.p50_days, figure.p80_days) == (1, None, None)
    text = client.get(reverse("eligibility:route_detail", args=["family"])).content.decode()
    assert "Too few applications were decided" in text
    assert "decided within" not in text


def test_the_route_page_publishes_the_country_figure(client, tree, profile):
    Application.objects.bulk_create(
        [decided(profile, tree["sc"], days=n, decided_on=TODAY - dt.timedelta(days=1)) for n in range(20, 40)]
    )
    processing_times_refresh(today=TODAY)
    text = client.get(reverse("eligibility:route_detail", args=["work"])).content.decode()
    assert "Most applications (8 in 10) are decided within 35 days." in text
    assert "from 20 applications decided in the whole country since 2026-05-30" in text


def test_an_office_with_too_few_cases_falls_back_to_the_country_figure(tree, profile):
    cases = [
        decided(profile, tree["sc"], days=40, decided_on=TODAY - dt.timedelta(days=2)) for _ in range(12)
    ]
    cases.append(decided(profile, tree["gd"], days=5, decided_on=TODAY - dt.timedelta(days=2)))
    Application.objects.bulk_create(cases)
    processing_times_refresh(today=TODAY)
    figure = processing_time_for(channel="work", office_id=tree["gd"].pk)
    assert figure.office is None and figure.cases == 13 and figure.p80_days == 40


def test_refreshing_twice_a_day_replaces_the_days_figures(tree, profile):
    Application.objects.bulk_create(
        [decided(profile, tree["gd"], days=9, decided_on=TODAY - dt.timedelta(days=1)) for _ in range(10)]
    )
    processing_times_refresh(today=TODAY)
    processing_times_refresh(today=TODAY)
    assert ProcessingTime.objects.filter(computed_on=TODAY).count() == 2  # Guangdong and the country


def test_the_status_page_shows_the_figure_beside_the_applicants_own_case(client, tree, profile):
    Application.objects.bulk_create(
        [decided(profile, tree["gd"], days=21, decided_on=TODAY - dt.timedelta(days=1)) for _ in range(10)]
    )
    processing_times_refresh(today=TODAY)
    own = Application.objects.create(
        channel="work",
        status=Status.IN_REVIEW,
        stage="review",
        applicant=profile,
        created_by=profile.owner,
        office=tree["gd"],
        province="CN-GD",
        city_code="440100",
        nationality="FRA",
        submitted_at=timezone.now() - dt.timedelta(days=3),
    )
    client.force_login(profile.owner)
    text = client.get(reverse("applications:detail", args=[own.pk])).content.decode()
    assert "Most applications (8 in 10) are decided within 21 days." in text
    assert "decided by Guangdong" in text

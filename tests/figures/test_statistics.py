"""The public statistics count cases and cards with known answers, and never print a small count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Channel, Status
from cards.models import Card
from eligibility.selectors import policy_version_in_force
from figures import counts
from figures.tables import SMALL, TOTAL, WITHHELD
from tests.applications.factories import offices
from tests.cards.factories import profile_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ZONE = dt.timezone(dt.timedelta(hours=8))


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


def case(
    profile,
    office,
    *,
    channel="work",
    submitted: dt.date,
    decided: dt.date | None = None,
    status=Status.IN_REVIEW,
    nationality="FRA",
    province=None,
):
    return Application(
        channel=channel,
        status=status,
        applicant=profile,
        created_by=profile.owner,
        office=office,
        province=province or office.province or "CN-GD",
        city_code="440100",
        nationality=nationality,
        submitted_at=at(submitted),
        decided_at=at(decided) if decided else None,
    )


@pytest.fixture
def world(db):
    tree = offices()
    profile = profile_for(UserFactory(roles=["applicant"]))
    cases = []
    # 2025: 12 work cases submitted in Guangdong, 11 approved (5 with their card) and 1 refused;
    # 3 talent cases submitted in Sichuan, still open.
    for n in range(12):
        status = Status.REFUSED if n == 0 else (Status.CARD_ISSUED if n < 6 else Status.APPROVED)
        cases.append(
            case(
                profile,
                tree["gd"],
                submitted=dt.date(2025, 3, 1),
                decided=dt.date(2025, 9, 1),
                status=status,
                nationality="FRA" if n % 2 else "DEU",
            )
        )
    for _ in range(3):
        cases.append(
            case(profile, tree["sc"], channel="talent", submitted=dt.date(2025, 5, 1), nationality="JPN")
        )
    # 2026: 20 family cases in Guangdong, undecided.
    for _ in range(20):
        cases.append(case(profile, tree["gd"], channel="family", submitted=dt.date(2026, 2, 1)))
    Application.objects.bulk_create(cases)
    return tree


def test_applications_and_decisions_by_route_with_known_answers(world, settings):
    settings.FIGURES_SUPPRESS_BELOW = 10
    table = counts.by_route(2025)
    assert table.value("work", "submitted") == 12
    assert table.value("work", "approved") == 11  # approved, with or without their card
    assert table.value("work", "refused") == 1
    assert table.value("talent", "submitted") == 3
    assert table.value(TOTAL, "submitted") == 15
    # 3 and 1 are small; each column total is printed, so one more cell of the column goes with them.
    assert table.hidden[("talent", "submitted")] == SMALL
    assert table.hidden[("work", "refused")] == SMALL
    assert table.hidden[("work", "submitted")] == WITHHELD
    assert table.display(TOTAL, "submitted") == ("count", 15)


def test_by_year_province_and_nationality(world):
    trend = counts.applications_by_year([2025, 2026])
    assert trend.value(2025, TOTAL) == 15 and trend.value(2026, "family") == 20
    provinces = counts.by_province(2025)
    assert [code for code, _name in provinces.rows] == ["CN-GD", "CN-SC"]
    assert provinces.value("CN-SC", "submitted") == 3
    nationalities = counts.by_nationality(2025)
    assert nationalities.value("DEU", "submitted") == 6 and nationalities.value("JPN", "submitted") == 3
    assert counts.years_with_cases() == [2026, 2025]


def card(profile, number: str, *, issued: dt.date, expires: dt.date, status=Card.Status.ISSUED, ended=None):
    return Card(
        number=number,
        status=status,
        profile=profile,
        family_name=profile.family_name,
        sex=profile.sex,
        birth_date=profile.birth_date,
        nationality=profile.nationality,
        passport_number=profile.passport_number,
        province=profile.province,
        photo="none.jpg",
        issued_on=issued,
        expires_on=expires,
        authority_en="National Immigration Administration",
        authority_zh="国家移民管理局",
        policy_version=policy_version_in_force(),
        ended_at=at(ended) if ended else None,
    )


def test_cards_in_force_count_each_holder_once_where_they_live(db, settings):
    settings.FIGURES_SUPPRESS_BELOW = 2
    day = dt.date(2026, 6, 1)
    people = [
        profile_for(
            UserFactory(roles=["applicant"]), passport_number=f"P{n:07d}", city_code=city, province=province
        )
        for n, (province, city) in enumerate(
            [("CN-GD", "440100")] * 4 + [("CN-GD", "440300")] * 2 + [("CN-SC", "510100")] * 5
        )
    ]
    special = {
        # Not in force on the day: expired before, revoked before, issued after.
        0: {"expires": dt.date(2026, 5, 31)},
        1: {"status": Card.Status.REVOKED, "ended": dt.date(2026, 1, 1)},
        2: {"issued": dt.date(2026, 6, 2)},
        # A replacement: the old card ended on the day of the new one; the holder counts once.
        3: {"status": Card.Status.REPLACED, "ended": dt.date(2026, 6, 1)},
    }
    cards = [
        card(
            p,
            f"{156000000000000000 + n}",
            **({"issued": dt.date(2020, 1, 1), "expires": dt.date(2030, 1, 1)} | special.get(n, {})),
        )
        for n, p in enumerate(people)
    ]
    cards.append(
        card(people[3], "156000000000000099", issued=dt.date(2026, 6, 1), expires=dt.date(2036, 6, 1))
    )
    Card.objects.bulk_create(cards)

    by_city = counts.holders_by_city(day)
    assert by_city == {("CN-GD", "440100"): 1, ("CN-GD", "440300"): 2, ("CN-SC", "510100"): 5}
    result = counts.cards_in_force(day)
    assert result.by_province.value("CN-GD", "holders") == 3
    assert result.by_province.value("CN-SC", "holders") == 5
    guangdong = dict(result.by_city)["Guangdong"]
    assert [label for _code, label in guangdong.rows] == ["Guangzhou", "Shenzhen"]
    # 1 is small (threshold 2); the province total is printed, so 440300 is withheld with it.
    assert guangdong.hidden == {("440100", "holders"): SMALL, ("440300", "holders"): WITHHELD}


def test_a_province_withheld_to_protect_another_has_a_city_withheld_too(db, settings):
    # Sichuan's 5 holders are small, so Guangdong's 35 is withheld beside them (the national total
    # is printed). Guangdong's two cities, both large, must not add up to its 35 on the page.
    settings.FIGURES_SUPPRESS_BELOW = 10
    places = [("CN-GD", "440100")] * 15 + [("CN-GD", "440300")] * 20 + [("CN-SC", "510100")] * 5
    people = [
        profile_for(
            UserFactory(roles=["applicant"]), passport_number=f"W{n:07d}", city_code=city, province=province
        )
        for n, (province, city) in enumerate(places)
    ]
    Card.objects.bulk_create(
        card(p, f"{157000000000000000 + n}", issued=dt.date(2020, 1, 1), expires=dt.date(2030, 1, 1))
        for n, p in enumerate(people)
    )
    result = counts.cards_in_force(dt.date(2026, 6, 1))
    assert result.by_province.hidden == {("CN-SC", "holders"): SMALL, ("CN-GD", "holders"): WITHHELD}
    guangdong = dict(result.by_city)["Guangdong"]
    assert ("__total__", "holders") in guangdong.hidden
    assert guangdong.hidden.get(("440100", "holders")) == WITHHELD
    assert ("440300", "holders") not in guangdong.hidden


def test_the_page_shows_the_figures_and_never_a_small_count(world, client, settings):
    settings.FIGURES_SUPPRESS_BELOW = 10
    response = client.get(reverse("figures:statistics"), {"year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "fewer than 10" in html and "withheld" in html
    route = response.context["route"]
    talent = dict(route["body"])[str(Channel.TALENT.label)]
    assert talent[0] == "fewer than 10"
    assert "<svg" in html and 'role="img"' in html


@pytest.mark.parametrize("year", ["1999", "abc", "2025; DROP", "9" * 40])
def test_a_year_without_figures_is_a_clear_400(world, client, year):
    response = client.get(reverse("figures:statistics"), {"year": year})
    assert response.status_code == 400
    assert "There are no figures for the year" in response.content.decode()


def test_the_page_in_chinese(world, client):
    response = client.get(reverse("figures:statistics"), {"year": "2025"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200

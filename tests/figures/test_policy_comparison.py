"""Comparing two policy versions on the cases decided in a period (R5): generated decided cases with
known answers, versions that move a known set of them, bad requests, suppression and the audited
download."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, InvestmentFacts, Status
from eligibility.selectors import policy_version_in_force
from eligibility.services import policy_draft_create, policy_draft_update, policy_publish
from figures import comparison
from figures.tables import SMALL, TOTAL
from residence.audit.models import AuditEntry
from tests.applications.factories import offices
from tests.cards.factories import profile_for
from tests.factories import UserFactory
from tests.figures.test_statistics import case

pytestmark = pytest.mark.django_db

PURPOSE = "What a 600,000 dollar minimum would have done to the 2024 investors."
PERIOD = {"start": "2024-07-01", "end": "2024-12-31"}


def draft_with_investment_minimum(admin, amount: int, label: str):
    draft = policy_draft_create(actor=admin, label=label)
    document = draft.document
    document["channels"]["investment"]["requirements"]["all"][3]["any"][1]["all"][0]["value"] = amount
    return policy_draft_update(actor=admin, draft=draft, document=document)


def investors(profile, office, amounts_and_statuses, *, decided=dt.date(2024, 9, 1), green=False):
    """Decided investment cases submitted on 2024-05-01, with the facts the engine reads."""
    rows = []
    for _amount, status in amounts_and_statuses:
        application = case(
            profile,
            office,
            channel="investment",
            submitted=dt.date(2024, 5, 1),
            decided=decided,
            status=status,
        )
        application.green_channel = green
        rows.append(application)
    Application.objects.bulk_create(rows)
    InvestmentFacts.objects.bulk_create(
        [
            InvestmentFacts(
                application=application,
                amount_usd=amount,
                method="direct",
                first_investment_date=dt.date(2018, 1, 1),
                enterprise_address_code="510100",  # Chengdu: western region
                industry_code="C3011",  # cement: not encouraged
                tax_record_good=True,
            )
            for application, (amount, _status) in zip(rows, amounts_and_statuses, strict=True)
        ]
    )


@pytest.fixture
def world(db):
    tree = offices()
    profile = profile_for(UserFactory(roles=["applicant"]))
    admin = UserFactory(roles=["policy_admin"])
    # Decided in the second half of 2024: 12 investors of 500,000 dollars approved (eligible today,
    # not with a 600,000 minimum), 22 of 700,000 approved (10 of them in the green channel) and
    # 3 of 400,000 refused (eligible under neither).
    investors(profile, tree["gd"], [(500000, Status.APPROVED)] * 12 + [(400000, Status.REFUSED)] * 3)
    investors(profile, tree["gd"], [(700000, Status.APPROVED)] * 12)
    investors(profile, tree["gd"], [(700000, Status.CARD_ISSUED)] * 10, green=True)
    # Not in the period: decided in 2023, or not decided yet.
    investors(profile, tree["gd"], [(500000, Status.APPROVED)] * 4, decided=dt.date(2023, 9, 1))
    Application.objects.bulk_create(
        [case(profile, tree["gd"], channel="investment", submitted=dt.date(2024, 8, 1)) for _ in range(2)]
    )
    return {
        "admin": admin,
        "in_force": policy_version_in_force(),
        "stricter": draft_with_investment_minimum(admin, 600000, "2026 draft: 600k"),
        "looser": draft_with_investment_minimum(admin, 300000, "2026 draft: 300k"),
    }


def policy_version_create_published(admin):
    """A second published version (retiring the one in force from its date: both stay readable)."""
    draft = draft_with_investment_minimum(admin, 550000, "2027: 550k")
    return policy_publish(
        actor=admin, draft=draft, effective_from=timezone.localdate() + dt.timedelta(days=30)
    )


def raw(table, row, column):
    return table.value(row, column)


def measures(table, row) -> dict:
    return {key: table.value(row, key) for key, _label in comparison.MEASURES}


def run(a, b, start=dt.date(2024, 7, 1), end=dt.date(2024, 12, 31)):
    return comparison.compare(version_a=a, version_b=b, start=start, end=end)


def test_a_higher_minimum_moves_exactly_the_500k_investors_out(world, settings):
    settings.FIGURES_SUPPRESS_BELOW = 1  # the raw counts first
    result = run(world["in_force"], world["stricter"])
    assert result.cases == 37 and result.not_evaluated == 0
    assert measures(result.by_route, "investment") == {
        "cases": 37,
        "eligible_a": 34,
        "eligible_b": 22,
        "lost": 12,
        "gained": 0,
        "approved": 34,
        "refused": 3,
    }
    assert measures(result.by_route, "work") == dict.fromkeys(measures(result.by_route, "work"), 0)
    assert measures(result.by_lane, "green") == {
        "cases": 10,
        "eligible_a": 10,
        "eligible_b": 10,
        "lost": 0,
        "gained": 0,
        "approved": 10,
        "refused": 0,
    }
    assert measures(result.by_lane, "ordinary")["lost"] == 12
    assert not result.by_route.hidden


def test_the_other_way_round_they_move_in_and_a_lower_minimum_lets_the_400k_in(world, settings):
    settings.FIGURES_SUPPRESS_BELOW = 1
    back = run(world["stricter"], world["in_force"])
    assert (raw(back.by_route, "investment", "lost"), raw(back.by_route, "investment", "gained")) == (0, 12)
    looser = run(world["in_force"], world["looser"])
    assert measures(looser.by_route, "investment") == {
        "cases": 37,
        "eligible_a": 34,
        "eligible_b": 37,
        "lost": 0,
        "gained": 3,
        "approved": 34,
        "refused": 3,
    }


def test_a_period_without_the_cases_counts_none(world):
    result = run(world["in_force"], world["stricter"], dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert result.cases == 0


def test_small_cells_are_hidden_and_no_line_or_sum_gives_one_away(world):
    result = run(world["in_force"], world["stricter"])
    for table in (result.by_route, result.by_lane):
        for cell in table.cells():
            kind, value = table.display(*cell)
            assert kind != "count" or not 0 < value < 10, cell
        groups = [members + [total] for members, total in table.lines()] + table.linked
        for group in groups:
            assert sum(cell in table.hidden for cell in group) != 1, group
    # The three refusals are "fewer than 10"; the eligible counts are published.
    assert result.by_route.display("investment", "refused") == (SMALL, None)
    assert result.by_route.display("investment", "lost") == ("count", 12)
    assert result.by_route.display("investment", "eligible_b") == ("count", 22)
    # 34 approvals would give the 3 refusals away from the 37 cases: withheld.
    assert result.by_route.display("investment", "approved") == ("withheld", None)
    assert result.by_lane.display("ordinary", "refused") == (SMALL, None)
    assert result.by_lane.display("green", "eligible_b") == ("count", 10)


@pytest.mark.parametrize(
    "change, field, message",
    [
        (lambda w: {"version_b": w["in_force"].pk}, "version_b", "Choose two different versions"),
        (lambda w: {"start": "2024-12-31", "end": "2024-07-01"}, "end", "cannot be before its start"),
        (lambda w: {"version_a": "999999"}, "version_a", "There is no such policy version"),
        # A draft is for policy administrators: to an expert it does not exist.
        (lambda w: {"version_a": w["stricter"].pk}, "version_a", "There is no such policy version"),
        (lambda w: {"start": "yesterday"}, "start", "Enter a valid date"),
    ],
    ids=["same version", "end before start", "unknown version", "draft for an expert", "bad date"],
)
def test_bad_requests_get_a_clear_message_and_change_nothing(world, client, change, field, message):
    client.force_login(UserFactory(roles=["policy_expert"]))
    published = policy_version_create_published(world["admin"])
    data = {"version_a": world["in_force"].pk, "version_b": published.pk, **PERIOD} | change(world)
    url = reverse("figures:policy_comparison")
    response = client.get(url, data)
    assert response.status_code == 400
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert response.context["result"] is None
    response = client.post(url, data | {"purpose": PURPOSE})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action="figures.policy_comparison").exists()


def test_a_period_with_too_many_cases_is_refused_with_the_limit(world, client, settings):
    settings.FIGURES_COMPARE_MAX_CASES = 20
    client.force_login(world["admin"])
    response = client.get(
        reverse("figures:policy_comparison"),
        {"version_a": world["in_force"].pk, "version_b": world["stricter"].pk, **PERIOD},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["end"] == [
        "37 cases were decided in this period; a comparison reads at most 20. Choose a shorter period."
    ]


def test_an_administrator_compares_a_draft_and_downloads_the_audited_csv(world, client):
    client.force_login(world["admin"])
    url = reverse("figures:policy_comparison")
    choice = {"version_a": world["in_force"].pk, "version_b": world["stricter"].pk, **PERIOD}
    page = client.get(url, choice)
    assert page.status_code == 200
    assert "2026 draft: 600k" in page.content.decode() and "fewer than 10" in page.content.decode()
    assert not AuditEntry.objects.filter(action="figures.policy_comparison").exists()  # viewing
    short = client.post(url, choice | {"purpose": "curious"})
    assert short.status_code == 400 and short.context["download"].errors["purpose"]
    response = client.post(url, choice | {"purpose": PURPOSE})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="policy-comparison-20240701-20241231.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert list(rows[0]) == comparison.CSV_COLUMNS
    investment = next(r for r in rows if r["breakdown"] == "route" and r["group"] == "investment")
    assert investment["lost"] == "12" and investment["refused"] == "<10"
    assert investment["version_b"] == "2026 draft: 600k" and investment["decided_from"] == "2024-07-01"
    assert [r["group"] for r in rows if r["breakdown"] == "channel"] == ["ordinary", "green", "total"]
    assert "3" not in {r["refused"] for r in rows}
    entry = AuditEntry.objects.get(action="figures.policy_comparison")
    assert entry.actor_id == world["admin"].pk and entry.reason == PURPOSE
    assert entry.after["cases"] == 37 and entry.after["version_b"]["label"] == "2026 draft: 600k"


def test_an_expert_chooses_among_published_versions_only(world, client):
    client.force_login(UserFactory(roles=["policy_expert"]))
    page = client.get(reverse("figures:policy_comparison"))
    assert page.status_code == 200
    choices = {str(option) for option in page.context["form"].fields["version_a"].queryset}
    assert world["in_force"].label in choices and "2026 draft: 600k" not in choices


@pytest.mark.parametrize("roles", [["applicant"], ["approver"], ["system_admin"], ["agency_staff"]])
def test_only_experts_and_policy_administrators_compare(world, client, roles):
    client.force_login(UserFactory(roles=roles))
    url = reverse("figures:policy_comparison")
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404


def test_total_marks_are_shared_between_the_two_tables(world):
    result = run(world["in_force"], world["stricter"])
    for column, _label in comparison.MEASURES:
        assert ((TOTAL, column) in result.by_route.hidden) == ((TOTAL, column) in result.by_lane.hidden)


def test_a_case_a_version_cannot_read_is_counted_and_said(world, settings, client):
    settings.FIGURES_SUPPRESS_BELOW = 1
    profile = Application.objects.first().applicant
    # A decided work case whose facts were never stored: neither version can judge it.
    Application.objects.bulk_create(
        [
            case(
                profile,
                offices()["gd"],
                channel="work",
                submitted=dt.date(2024, 5, 1),
                decided=dt.date(2024, 8, 1),
                status=Status.REFUSED,
            )
        ]
    )
    result = run(world["in_force"], world["stricter"])
    assert result.not_evaluated == 1
    assert measures(result.by_route, "work") == {
        "cases": 1,
        "eligible_a": 0,
        "eligible_b": 0,
        "lost": 0,
        "gained": 0,
        "approved": 0,
        "refused": 1,
    }
    client.force_login(world["admin"])
    page = client.get(
        reverse("figures:policy_comparison"),
        {"version_a": world["in_force"].pk, "version_b": world["stricter"].pk, **PERIOD},
    )
    assert "1 case could not be judged under one of the versions" in page.content.decode()

"""The officer queue: order, filters, keyset pages without repeats, constant queries, counts, claims."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from applications import selectors, services
from applications.errors import TransitionConflict
from applications.models import FAR_FUTURE, Application, Stage, Status

from .factories import ProfileFactory, accept_and_verify, submitted

pytestmark = pytest.mark.django_db


def fill_queue(n: int, *, stage=Stage.REVIEW, status=Status.IN_REVIEW, seed: int = 7) -> None:
    priorities = random.Random(seed + 1)
    """n cases straight into the table, with many equal priorities and deadlines (the hard case for cursors)."""
    rng = random.Random(seed)
    profile = ProfileFactory()
    base = timezone.now().replace(microsecond=0)
    Application.objects.bulk_create(
        [
            Application(
                channel=rng.choice(["talent", "work", "investment", "contribution", "family"]),
                status=status,
                stage=stage,
                applicant=profile,
                created_by=profile.owner,
                province="CN-GD",
                city_code="440100",
                nationality=rng.choice(["FRA", "DEU", "USA"]),
                priority=(priority := priorities.choice([0, 1, 1, 1])),
                green_channel=priority == 0,
                stage_deadline=rng.choice([FAR_FUTURE, base + dt.timedelta(days=rng.randint(-3, 5))]),
                submitted_at=base,
                reference=f"PR-T{seed:03d}-{i:06d}",
            )
            for i in range(n)
        ],
        batch_size=1000,
    )


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_following_next_through_5000_rows_returns_each_row_exactly_once(rita):
    fill_queue(5000)
    client = client_for(rita)
    seen: list[int] = []
    cursor = None
    while True:
        params = {"stage": "review", "page_size": 200}
        if cursor:
            params["cursor"] = cursor
        body = client.get("/api/queue/", params).json()
        seen += [row["id"] for row in body["results"]]
        cursor = body["next"]
        if not cursor:
            break
    assert len(seen) == 5000
    assert len(set(seen)) == 5000
    expected = list(
        Application.objects.filter(stage="review")
        .order_by("priority", "stage_deadline", "id")
        .values_list("id", flat=True)
    )
    assert seen == expected


@pytest.mark.parametrize("page_size", [10, 100])
def test_a_queue_page_costs_the_same_queries_whatever_its_size(rita, django_assert_num_queries, page_size):
    fill_queue(300)
    rita = type(rita).objects.get(pk=rita.pk)
    rita.roles  # noqa: B018 - the roles are read once per request, like the auth lookup
    rita.office  # noqa: B018
    with django_assert_num_queries(1):
        page = selectors.officer_queue_page(officer=rita, stage="review", page_size=page_size)
    assert len(page.items) == page_size
    with django_assert_num_queries(1):
        selectors.officer_queue_page(
            officer=rita, stage="review", page_size=page_size, cursor=page.next_cursor
        )


@pytest.mark.parametrize("page_size", [10, 100])
def test_the_queue_api_runs_a_constant_number_of_queries(rita, page_size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fill_queue(300)
    client = client_for(rita)
    client.get("/api/queue/", {"stage": "review", "page_size": 1})  # the forced user caches roles and office
    counts = []
    for size in (page_size, 1, 200):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/queue/", {"stage": "review", "page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts == [1, 1, 1]


def test_green_channel_comes_first_then_the_nearest_deadline(rita):
    fill_queue(200)
    rows = client_for(rita).get("/api/queue/", {"stage": "review", "page_size": 200}).json()["results"]
    keys = [(not r["green_channel"], r["stage_deadline"] or "9999") for r in rows]
    assert keys == sorted(keys)


def test_filters_narrow_the_queue(rita):
    fill_queue(300)
    client = client_for(rita)
    rows = client.get(
        "/api/queue/", {"stage": "review", "nationality": "FRA", "channel": "work", "page_size": 200}
    ).json()["results"]
    assert rows and all(r["nationality"] == "FRA" and r["channel"] == "work" for r in rows)
    overdue = client.get("/api/queue/", {"stage": "review", "overdue": "true", "page_size": 200}).json()[
        "results"
    ]
    assert overdue and all(r["overdue"] for r in overdue)


def test_counts_per_stage(rita, sam):
    fill_queue(30)
    fill_queue(5, stage=Stage.APPROVAL, status=Status.RECOMMENDED_APPROVAL, seed=2)
    counts = client_for(rita).get("/api/queue/counts/").json()
    assert counts["review"] == 30
    assert counts["approval"] == 5
    assert client_for(sam).get("/api/queue/counts/").json()["review"] == 0  # Sichuan sees none of Guangdong's


def test_an_officer_outside_the_area_sees_an_empty_queue(sam):
    fill_queue(20)
    assert client_for(sam).get("/api/queue/", {"stage": "review"}).json()["results"] == []


def test_a_forged_cursor_is_a_404(rita):
    response = client_for(rita).get("/api/queue/", {"stage": "review", "cursor": "not-a-cursor"})
    assert response.status_code == 404


def test_one_officer_holds_a_case_at_a_time_and_the_hold_lapses(ivan, office_tree):
    from .factories import officer

    other = officer("intake_officer", office_tree["gd-gz"])
    application = submitted(ProfileFactory())
    services.application_claim(actor=ivan, application=application)
    with pytest.raises(TransitionConflict):
        services.application_claim(actor=other, application=application)
    with pytest.raises(TransitionConflict):
        accept_and_verify(application, other)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    Application.objects.filter(pk=application.pk).update(
        claimed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    services.application_claim(actor=other, application=application)
    assert Application.objects.get(pk=application.pk).claimed_by == other


def test_a_supervisor_assigns_in_bulk_and_an_intake_officer_may_not(ivan, office_tree):
    from .factories import officer

    supervisor = officer("management_officer", office_tree["gd"])
    cases = [submitted(ProfileFactory()) for _ in range(3)]
    response = client_for(supervisor).post(
        "/api/queue/assign/", {"application_ids": [c.pk for c in cases], "officer": ivan.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert set(Application.objects.values_list("claimed_by", flat=True)) == {ivan.pk}
    response = client_for(ivan).post(
        "/api/queue/assign/", {"application_ids": [cases[0].pk], "officer": ivan.pk}, format="json"
    )
    assert response.status_code == 403


def test_the_workload_counts_decisions_and_time_per_stage(ivan, rita):
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    data = client_for(rita).get("/api/workload/").json()
    assert any(row["count"] >= 1 for row in data["per_officer"])
    assert "intake" in data["median_days_per_stage"]


def test_the_deadline_stops_while_evidence_is_owed(ivan, rita):
    application = submitted(ProfileFactory())
    accept_and_verify(application, ivan)
    before = Application.objects.get(pk=application.pk).stage_deadline
    services.application_request_evidence(actor=rita, application=application, message="More")
    paused = Application.objects.get(pk=application.pk)
    assert paused.stage_deadline == FAR_FUTURE
    Application.objects.filter(pk=application.pk).update(paused_remaining=paused.paused_remaining)
    services.application_answer_evidence(
        actor=application.applicant.owner, application=application, answer="Here"
    )
    resumed = Application.objects.get(pk=application.pk)
    # Resumed with the time that was left: later than the original deadline by the time paused.
    assert resumed.stage_deadline >= before
    assert resumed.stage_deadline - before < dt.timedelta(minutes=1)

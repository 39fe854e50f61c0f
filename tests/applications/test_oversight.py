"""Oversight (R24): the workload per queue and officer, escalation of overdue cases, bulk reassignment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from applications import selectors, services
from applications.models import FAR_FUTURE, Application, Escalation, Notification, Stage, Status, StatusChange
from applications.notifications import OVERDUE, OVERDUE_PAST_MARGIN
from applications.tasks import escalate_overdue_task
from residence.audit.models import AuditEntry
from residence.core.models import OutboxMessage

from .factories import ProfileFactory, officer

pytestmark = pytest.mark.django_db

EMAIL_TASK = "residence.core.tasks.send_email_task"


def case(*, stage=Stage.REVIEW, status=Status.IN_REVIEW, province="CN-GD", city_code="440100", **fields):
    """A case straight into the table in a given stage, deadline and hold."""
    profile = fields.pop("profile", None) or ProfileFactory(province=province, city_code=city_code)
    values = {
        "channel": "work",
        "status": status,
        "stage": stage,
        "applicant": profile,
        "created_by": profile.owner,
        "province": province,
        "city_code": city_code,
        "nationality": "FRA",
        "submitted_at": timezone.now() - dt.timedelta(days=30),
        "stage_entered_at": timezone.now() - dt.timedelta(days=20),
    }
    values.update(fields)
    application = Application.objects.create(**values)
    application.reference = f"PR-O-{application.pk:06d}"
    application.save(update_fields=["reference"])
    return application


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def ahead(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


# --- the workload, with known answers ---------------------------------------------------------------
@pytest.fixture
def known_world(office_tree, ivan, rita, mona, sam):
    """Guangdong's cases and decisions whose figures are known; one Sichuan case that must not count."""
    from cards.models import CardRequest, RevocationCase
    from reconsideration.models import Reconsideration
    from tests.cards.factories import issued_card
    from verification.models import HolderReview, ManagementCase

    week_start = selectors._week_start(timezone.now())
    # Review: one held by Rita and overdue, one she held whose hold lapsed, one overdue nobody holds.
    case(claimed_by=rita, claimed_until=ahead(hours=1), stage_deadline=ago(days=1))
    case(claimed_by=rita, claimed_until=ago(minutes=5), stage_deadline=ahead(days=3))
    case(stage_deadline=ago(hours=2))
    # Intake: held by Ivan, on time.
    case(stage=Stage.INTAKE, status=Status.SUBMITTED, claimed_by=ivan, claimed_until=ahead(hours=1))
    # Elsewhere: Sichuan's overdue review case.
    case(province="CN-SC", city_code="510100", stage_deadline=ago(days=1))
    # Two decided cases: intake took 2 days (this week) and 4 days (last week), both by Ivan.
    for accepted_at, days in (
        (week_start + dt.timedelta(minutes=1), 2),
        (week_start - dt.timedelta(days=1), 4),
    ):
        done = case(stage=Stage.CLOSED, status=Status.APPROVED)
        StatusChange.objects.create(
            application=done,
            from_status=Status.DRAFT,
            to_status=Status.SUBMITTED,
            from_stage=Stage.DRAFT,
            actor=done.created_by,
            at=accepted_at - dt.timedelta(days=days),
        )
        StatusChange.objects.create(
            application=done,
            from_status=Status.SUBMITTED,
            to_status=Status.ACCEPTED,
            from_stage=Stage.INTAKE,
            actor=ivan,
            at=accepted_at,
        )
    # Cards in Guangdong: one open request, two decided by Mona (1 day this week, 3 days before).
    card = issued_card()
    CardRequest.objects.create(card=card, kind="replacement", reason="lost", requested_by=card.profile.owner)
    for requested_at, decided_at in (
        (week_start - dt.timedelta(days=1), week_start + dt.timedelta(seconds=30)),
        (week_start - dt.timedelta(days=5), week_start - dt.timedelta(days=2)),
    ):
        CardRequest.objects.create(
            card=card,
            kind="replacement",
            reason="damaged",
            state=CardRequest.State.ISSUED,
            requested_by=card.profile.owner,
            requested_at=requested_at,
            decided_by=mona,
            decided_at=decided_at,
        )
    RevocationCase.objects.create(card=card, ground="fraud", evidence="A forged diploma.", opened_by=mona)
    review = HolderReview.objects.create(application=card.application, min_days_per_year=90)
    ManagementCase.objects.create(application=card.application, review=review)
    ManagementCase.objects.create(
        application=card.application,
        review=review,
        status=ManagementCase.Status.CLOSED,
        opened_at=week_start - dt.timedelta(days=2),
        closed_at=week_start + dt.timedelta(seconds=30),
        closed_by=mona,
    )
    refused = case(stage=Stage.CLOSED, status=Status.REFUSED)
    Reconsideration.objects.create(
        application=refused,
        lodged_by=refused.created_by,
        person=refused.created_by,
        grounds="The income was misread.",
        office=office_tree["gd"],
        deadline=ago(days=1),
    )
    return {"week_start": week_start}


def test_the_workload_gives_open_held_overdue_decided_and_medians_per_queue(known_world, mona):
    figures = selectors.workload_overview(officer=mona)
    queues = {row["queue"]: row for row in figures["queues"]}
    assert queues[Stage.REVIEW] == {
        "queue": Stage.REVIEW,
        "open": 3,
        "claimed": 1,
        "overdue": 2,
        "decided_week": 0,
        "median_days": None,
    }
    assert queues[Stage.INTAKE] | {"median_days": round(queues[Stage.INTAKE]["median_days"])} == {
        "queue": Stage.INTAKE,
        "open": 1,
        "claimed": 1,
        "overdue": 0,
        "decided_week": 1,
        "median_days": 3,
    }
    assert queues["card_requests"] == {
        "queue": "card_requests",
        "open": 1,
        "claimed": None,
        "overdue": None,
        "decided_week": 1,
        "median_days": 2.0,
    }
    assert (queues["revocations"]["open"], queues["revocations"]["decided_week"]) == (1, 0)
    assert queues["revocations"]["median_days"] is None
    assert (queues["management_cases"]["open"], queues["management_cases"]["decided_week"]) == (1, 1)
    assert queues["management_cases"]["median_days"] == 2.0
    assert (queues["reconsiderations"]["open"], queues["reconsiderations"]["overdue"]) == (1, 1)


def test_the_workload_gives_each_officers_load_and_decisions(known_world, mona, rita, ivan, sam):
    people = {row["officer"].email: row for row in selectors.workload_overview(officer=mona)["officers"]}
    assert (people[rita.email]["open"], people[rita.email]["claimed"], people[rita.email]["overdue"]) == (
        2,
        1,
        1,
    )
    assert (
        people[ivan.email]["open"],
        people[ivan.email]["claimed"],
        people[ivan.email]["decided_week"],
    ) == (
        1,
        1,
        1,
    )
    assert round(people[ivan.email]["median_days"]) == 3
    # Mona decided a card request and closed a management case this week.
    assert people[mona.email]["decided_week"] == 2
    # Sichuan's officer is not in Guangdong's tree.
    assert sam.email not in people


def test_an_officer_of_another_area_sees_none_of_it(known_world, office_tree):
    sichuan = officer("reviewer", office_tree["sc"])
    queues = {row["queue"]: row for row in selectors.workload_overview(officer=sichuan)["queues"]}
    assert queues[Stage.REVIEW]["open"] == 1  # only Sichuan's own case
    assert queues[Stage.INTAKE]["open"] == 0
    assert queues["card_requests"]["open"] == 0
    assert queues["reconsiderations"]["open"] == 0


def test_the_workload_page_costs_the_same_queries_however_many_cases_and_officers(
    client, office_tree, mona, django_assert_max_num_queries
):
    client.force_login(mona)
    client.get(reverse("applications:workload"))  # warm the session and caches
    for i in range(12):
        someone = officer("reviewer", office_tree["gd"])
        case(claimed_by=someone, claimed_until=ahead(hours=1), stage_deadline=ago(days=i % 3))
        case(stage=Stage.APPROVAL, status=Status.RECOMMENDED_APPROVAL)
    with django_assert_max_num_queries(40) as few:
        response = client.get(reverse("applications:workload"))
    assert response.status_code == 200
    for i in range(30):
        someone = officer("reviewer", office_tree["gd"])
        case(claimed_by=someone, claimed_until=ahead(hours=1), stage_deadline=ago(days=i % 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("applications:workload"))
    assert response.status_code == 200
    assert "Load per officer" in response.content.decode()


# --- escalation ----------------------------------------------------------------------------------
@pytest.fixture
def supervisor_gz(office_tree):
    """The supervisor of Guangzhou's office: a holder of the assign permission there."""
    from django.contrib.auth.models import Permission

    boss = officer("intake_officer", office_tree["gd-gz"], email="boss-gz@example.org")
    boss.user_permissions.add(Permission.objects.get(codename="assign_application"))
    return boss


def emails_to(user) -> int:
    return sum(1 for m in OutboxMessage.objects.filter(task=EMAIL_TASK) if user.email in m.kwargs["to"])


@override_settings(ESCALATION_MARGIN_DAYS=5)
def test_an_overdue_case_is_escalated_once_at_the_deadline_and_once_past_the_margin(
    office_tree, supervisor_gz, ivan
):
    late = case(office=office_tree["gd-gz"], stage_deadline=ago(hours=1))
    on_time = case(office=office_tree["gd-gz"], stage_deadline=ahead(days=1))

    assert escalate_overdue_task() == 1
    assert escalate_overdue_task() == 0  # the beat again: nothing new
    assert list(Escalation.objects.values_list("application_id", "level")) == [(late.pk, 1)]
    assert Notification.objects.filter(recipient=supervisor_gz, application=late, status=OVERDUE).count() == 1
    assert emails_to(supervisor_gz) == 1
    assert not Notification.objects.filter(recipient=ivan).exists()  # not a supervisor
    assert Application.objects.get(pk=late.pk).queue_band == 0
    assert Application.objects.get(pk=on_time.pk).queue_band == 1
    assert AuditEntry.objects.filter(action="applications.escalate").count() == 1

    # Six days on, the margin has passed: the second level, once.
    Application.objects.filter(pk=late.pk).update(stage_deadline=ago(days=6))
    assert escalate_overdue_task() == 1
    assert escalate_overdue_task() == 0
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2]
    assert Notification.objects.filter(recipient=supervisor_gz, status=OVERDUE_PAST_MARGIN).count() == 1
    assert emails_to(supervisor_gz) == 2


def test_a_case_found_long_overdue_is_told_once_of_the_higher_level(office_tree, supervisor_gz):
    late = case(office=office_tree["gd-gz"], stage_deadline=ago(days=30))
    made = services.overdue_cases_escalate()
    assert sorted(e.level for e in made) == [1, 2]
    assert list(Notification.objects.filter(application=late).values_list("status", flat=True)) == [
        OVERDUE_PAST_MARGIN
    ]
    assert emails_to(supervisor_gz) == 1


def test_a_new_visit_of_the_stage_escalates_again(office_tree, supervisor_gz):
    late = case(office=office_tree["gd-gz"], stage_deadline=ago(hours=1))
    services.overdue_cases_escalate()
    Application.objects.filter(pk=late.pk).update(
        stage_entered_at=ago(minutes=1), stage_deadline=ago(seconds=1)
    )
    assert len(services.overdue_cases_escalate()) == 1
    assert Escalation.objects.filter(application=late, level=1).count() == 2


def test_an_office_without_a_supervisor_passes_the_case_up(office_tree, mona):
    late = case(office=office_tree["gd-gz"], stage_deadline=ago(hours=1))
    (escalation,) = services.overdue_cases_escalate()
    assert escalation.office == office_tree["gd"]
    assert list(escalation.supervisors.all()) == [mona]
    assert Notification.objects.get(recipient=mona).link == reverse("applications:case", args=[late.pk])


def test_paused_or_closed_cases_are_not_escalated(office_tree, supervisor_gz):
    case(office=office_tree["gd-gz"], stage=Stage.EVIDENCE, status=Status.EVIDENCE_REQUESTED,
         stage_deadline=FAR_FUTURE, paused_remaining=dt.timedelta(days=2))  # fmt: skip
    case(office=office_tree["gd-gz"], stage=Stage.CLOSED, status=Status.REFUSED, stage_deadline=ago(days=3))
    assert services.overdue_cases_escalate() == []


def test_the_supervisors_e_mail_is_in_their_language_and_names_the_case(
    office_tree, supervisor_gz, django_capture_on_commit_callbacks
):
    supervisor_gz.preferred_language = "zh-hans"
    supervisor_gz.save(update_fields=["preferred_language"])
    late = case(office=office_tree["gd-gz"], stage_deadline=ago(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.overdue_cases_escalate()
    (message,) = [m for m in mail.outbox if supervisor_gz.email in m.to]
    assert late.reference in message.subject
    assert "广州" in message.body


def test_the_queue_shows_overdue_cases_first(office_tree, rita, supervisor_gz):
    green = case(priority=0, green_channel=True, stage_deadline=ahead(days=1))
    late = case(priority=1, stage_deadline=ago(hours=1))
    services.overdue_cases_escalate()
    rows = selectors.officer_queue_page(officer=rita, stage=Stage.REVIEW).items
    assert [row.id for row in rows] == [late.pk, green.pk]


# --- bulk reassignment -----------------------------------------------------------------------------
def post_assign(client, cases, officer_id, stage=Stage.REVIEW):
    back = reverse("applications:queue") + f"?stage={stage}"
    return client.post(
        reverse("applications:queue_assign"),
        {"cases": [c.pk for c in cases], "officer": officer_id, "back": back},
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_supervisor_reassigns_several_cases_and_each_is_audited(client, office_tree, mona, rita):
    other = officer("reviewer", office_tree["gd-gz"])
    cases = [case(claimed_by=rita, claimed_until=ahead(hours=1)) for _ in range(3)]
    client.force_login(mona)
    response = post_assign(client, cases, other.pk)
    assert response.status_code == 302
    assert set(
        Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("claimed_by", flat=True)
    ) == {other.pk}
    entries = AuditEntry.objects.filter(action="applications.assign")
    assert entries.count() == 3
    assert {e.before["claimed_by"] for e in entries} == {rita.pk}


def test_the_queue_lists_the_officers_who_may_act_with_their_load(client, office_tree, mona, rita, ivan):
    case(claimed_by=rita, claimed_until=ahead(hours=1), stage_deadline=ago(days=1))
    client.force_login(mona)
    response = client.get(reverse("applications:queue") + "?stage=review")
    loads = {row["officer"].pk: row for row in response.context["assignable"]}
    assert ivan.pk not in loads  # an intake officer may not review
    assert (loads[rita.pk]["held"], loads[rita.pk]["overdue"]) == (1, 1)
    assert "holds 1, 1 overdue" in response.content.decode()


@pytest.mark.parametrize("who", ["outside_area", "wrong_role", "unknown", "nonsense", "huge"])
def test_reassigning_to_someone_who_may_not_take_the_cases_is_refused_and_changes_nothing(
    client, office_tree, mona, rita, ivan, sam, who
):
    cases = [case(claimed_by=rita, claimed_until=ahead(hours=1)) for _ in range(2)]
    sichuan_reviewer = officer("reviewer", office_tree["sc"])
    target = {
        "outside_area": sichuan_reviewer.pk,
        "wrong_role": ivan.pk,
        "unknown": 999999,
        "nonsense": "rita",
        "huge": "99999999999999999999",
    }[who]
    before = AuditEntry.objects.count()
    client.force_login(mona)
    response = post_assign(client, cases, target)
    assert response.status_code == 302
    assert set(
        Application.objects.filter(pk__in=[c.pk for c in cases]).values_list("claimed_by", flat=True)
    ) == {rita.pk}
    assert AuditEntry.objects.filter(action="applications.assign").count() == 0
    assert AuditEntry.objects.count() >= before
    (text,) = messages_of(response)
    expected = {
        "outside_area": "office or an office below it",
        "wrong_role": "may not act on",
        "unknown": "office or an office below it",
        "nonsense": "Tick the cases",
        "huge": "Tick the cases",
    }[who]
    assert expected in text


def test_one_case_the_officer_may_not_take_leaves_all_of_them_unassigned(client, office_tree, mona, rita):
    reviewer = officer("reviewer", office_tree["gd"])
    review = case(claimed_by=rita, claimed_until=ahead(hours=1))
    approval = case(stage=Stage.APPROVAL, status=Status.RECOMMENDED_APPROVAL)
    client.force_login(mona)
    response = post_assign(client, [review, approval], reviewer.pk)
    assert Application.objects.get(pk=review.pk).claimed_by == rita
    assert Application.objects.get(pk=approval.pk).claimed_by is None
    assert "may not act on" in messages_of(response)[0]


def test_an_officer_who_is_not_a_supervisor_may_not_reassign(client, office_tree, rita):
    other = officer("reviewer", office_tree["gd"])
    held = case(claimed_by=rita, claimed_until=ahead(hours=1))
    client.force_login(rita)
    response = post_assign(client, [held], other.pk)
    assert Application.objects.get(pk=held.pk).claimed_by == rita
    assert "Only supervisors" in messages_of(response)[0]


def test_the_workload_api_gives_the_same_figures(known_world, mona, rita):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(mona)
    data = api.get("/api/workload/").json()
    review = next(row for row in data["queues"] if row["queue"] == "review")
    assert (review["open"], review["claimed"], review["overdue"]) == (3, 1, 2)
    rita_row = next(row for row in data["officers"] if row["id"] == rita.pk)
    assert (rita_row["open"], rita_row["claimed"], rita_row["overdue"]) == (2, 1, 1)


def test_the_api_refuses_an_officer_of_another_area_and_changes_nothing(office_tree, mona, rita):
    from rest_framework.test import APIClient

    held = case(claimed_by=rita, claimed_until=ahead(hours=1))
    api = APIClient()
    api.force_authenticate(mona)
    response = api.post(
        "/api/queue/assign/",
        {"application_ids": [held.pk], "officer": officer("reviewer", office_tree["sc"]).pk},
        format="json",
    )
    assert response.status_code == 400
    assert "office or an office below it" in str(response.json())
    assert Application.objects.get(pk=held.pk).claimed_by == rita


def test_the_beat_runs_the_escalation_sweep(settings):
    from residence.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["applications-escalate-overdue"]
    assert entry["task"] == escalate_overdue_task.name
    assert entry["task"] in app.tasks

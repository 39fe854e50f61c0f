"""Oversight (R24): an open reconsideration past its deadline escalates to the deciding office's
supervisors, at the deadline and again past the margin, and its queue shows it first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from applications.models import Notification, Status
from reconsideration.models import Reconsideration, ReconsiderationEscalation
from reconsideration.notifications import OVERDUE, OVERDUE_PAST_MARGIN
from reconsideration.services import (
    overdue_reconsiderations_escalate,
    reconsideration_decide,
    reconsideration_lodge,
)
from reconsideration.tasks import escalate_overdue_task
from residence.accounts.models import Office
from residence.audit.models import AuditEntry
from residence.core.models import OutboxMessage
from tests.applications.factories import officer
from tests.cards.factories import approved_application, profile_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL_TASK = "residence.core.tasks.send_email_task"


def ago(**delta) -> dt.datetime:
    return timezone.now() - dt.timedelta(**delta)


def ahead(**delta) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


def refusal():
    """A refusal of a new person's application, decided by a Guangdong approver."""
    person = UserFactory(roles=["applicant"])
    passport = f"P{person.pk:08d}"
    application = approved_application(profile_for(person, passport_number=passport), status=Status.REFUSED)
    city = Office.objects.get(code="gd-gz")  # one level below the deciding office
    application.decided_by = UserFactory(roles=["approver"], office=city)
    application.decided_at = timezone.now()
    application.decision_reason = "The salary threshold is not met."
    application.save()
    return application


def reconsideration(office, *, deadline, state=Reconsideration.State.LODGED) -> Reconsideration:
    application = refusal()
    person = application.applicant.owner
    case = Reconsideration.objects.create(
        application=application,
        lodged_by=person,
        person=person,
        grounds="My salary was misread.",
        office=office,
        deadline=deadline,
    )
    if state != Reconsideration.State.LODGED:
        Reconsideration.objects.filter(pk=case.pk).update(state=state, decided_at=timezone.now())
    return case


def emails_to(user) -> int:
    return sum(1 for m in OutboxMessage.objects.filter(task=EMAIL_TASK) if user.email in m.kwargs["to"])


@pytest.fixture
def boss_gd(office_tree):
    """The supervisor of Guangdong's bureau: an approver there."""
    return officer("approver", office_tree["gd"], email="boss-gd@example.org")


@override_settings(ESCALATION_MARGIN_DAYS=5)
def test_an_overdue_reconsideration_is_escalated_once_at_the_deadline_and_once_past_the_margin(
    office_tree, boss_gd
):
    reviewer = officer("reviewer", office_tree["gd"], email="reviewer-gd@example.org")
    late = reconsideration(office_tree["gd"], deadline=ago(hours=1))
    reconsideration(office_tree["gd"], deadline=ahead(days=1))

    assert escalate_overdue_task() == 1
    assert escalate_overdue_task() == 0  # the beat again: nothing new
    assert list(ReconsiderationEscalation.objects.values_list("reconsideration_id", "level")) == [
        (late.pk, 1)
    ]
    (notice,) = Notification.objects.filter(recipient=boss_gd)
    assert (notice.status, notice.application_id) == (OVERDUE, None)
    assert notice.link == reverse("reconsideration:detail", args=[late.pk])
    assert str(late) in notice.message and notice.for_officer
    assert emails_to(boss_gd) == 1
    assert not Notification.objects.filter(recipient=reviewer).exists()  # not a supervisor
    entry = AuditEntry.objects.get(action="reconsideration.escalate")
    assert entry.object_id == str(late.pk)

    # Six days on, the margin has passed: the second level, once.
    Reconsideration.objects.filter(pk=late.pk).update(deadline=ago(days=6))
    assert escalate_overdue_task() == 1
    assert escalate_overdue_task() == 0
    assert sorted(ReconsiderationEscalation.objects.values_list("level", flat=True)) == [1, 2]
    assert Notification.objects.filter(recipient=boss_gd, status=OVERDUE_PAST_MARGIN).count() == 1
    assert emails_to(boss_gd) == 2
    assert AuditEntry.objects.filter(action="reconsideration.escalate").count() == 2


def test_a_reconsideration_found_long_overdue_is_told_once_of_the_higher_level(office_tree, boss_gd):
    late = reconsideration(office_tree["gd"], deadline=ago(days=30))
    made = overdue_reconsiderations_escalate()
    assert sorted(e.level for e in made) == [1, 2]
    assert list(Notification.objects.filter(recipient=boss_gd).values_list("status", flat=True)) == [
        OVERDUE_PAST_MARGIN
    ]
    assert emails_to(boss_gd) == 1
    assert AuditEntry.objects.filter(action="reconsideration.escalate", object_id=str(late.pk)).count() == 2
    assert overdue_reconsiderations_escalate() == []


def test_an_office_without_a_supervisor_passes_the_reconsideration_up(office_tree):
    # Guangdong's management officer supervises applications but cannot open a reconsideration.
    manager = officer("management_officer", office_tree["gd"], email="manager-gd@example.org")
    national = officer("approver", office_tree["nia"], email="boss-nia@example.org")
    reconsideration(office_tree["gd"], deadline=ago(hours=1))
    (escalation,) = overdue_reconsiderations_escalate()
    assert escalation.office == office_tree["nia"]
    assert list(escalation.supervisors.all()) == [national]
    assert Notification.objects.filter(recipient=national, status=OVERDUE).count() == 1
    assert not Notification.objects.filter(recipient=manager).exists() and emails_to(manager) == 0


def test_the_supervisors_e_mail_is_in_their_language_and_names_the_reconsideration(
    office_tree, boss_gd, django_capture_on_commit_callbacks
):
    boss_gd.preferred_language = "zh-hans"
    boss_gd.save(update_fields=["preferred_language"])
    late = reconsideration(office_tree["gd"], deadline=ago(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        overdue_reconsiderations_escalate()
    (message,) = [m for m in mail.outbox if boss_gd.email in m.to]
    assert str(late) in message.subject and "超期" in message.subject
    assert "广东" in message.body and "复议" in message.body


def test_a_decided_reconsideration_is_never_escalated(office_tree, boss_gd):
    holder = UserFactory(roles=["applicant"])
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    application.decided_by = UserFactory(roles=["approver"], office=office_tree["gd-gz"])
    application.decided_at = timezone.now()
    application.save()
    case = reconsideration_lodge(actor=holder, application=application, grounds="Misread.")
    decider = officer("approver", office_tree["nia"], email="decider@example.org")
    reconsideration_decide(actor=decider, case=case, outcome="upheld", reason="Correct.")
    assert case.office == office_tree["gd"]
    Reconsideration.objects.filter(pk=case.pk).update(deadline=ago(days=30))
    for state in ("overturned", "varied", "remitted"):
        reconsideration(office_tree["gd"], deadline=ago(days=30), state=state)
    assert overdue_reconsiderations_escalate() == []
    assert not Notification.objects.filter(recipient=boss_gd).exists()
    assert not ReconsiderationEscalation.objects.exists()


def test_the_queue_shows_overdue_reconsiderations_first(client, office_tree, boss_gd):
    soon = reconsideration(office_tree["gd"], deadline=ahead(days=1))
    late = reconsideration(office_tree["gd"], deadline=ago(days=2))
    later = reconsideration(office_tree["gd"], deadline=ahead(days=30))
    client.force_login(boss_gd)
    response = client.get(reverse("reconsideration:index"))
    assert [c.pk for c in response.context["open_cases"]] == [late.pk, soon.pk, later.pk]


def test_the_inbox_links_the_notice_to_the_reconsideration(client, office_tree, boss_gd):
    late = reconsideration(office_tree["gd"], deadline=ago(hours=1))
    overdue_reconsiderations_escalate()
    client.force_login(boss_gd)
    response = client.get(reverse("applications:inbox"))
    assert f'href="{reverse("reconsideration:detail", args=[late.pk])}"' in response.content.decode()
    assert client.get(reverse("reconsideration:detail", args=[late.pk])).status_code == 200


def test_the_beat_runs_the_reconsideration_sweep(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reconsideration-escalate-overdue"]
    assert entry["task"] == escalate_overdue_task.name
    assert entry["schedule"] == settings.CELERY_BEAT_SCHEDULE["applications-escalate-overdue"]["schedule"]


def test_the_inbox_notice_reads_in_chinese(client, office_tree, boss_gd):
    late = reconsideration(office_tree["gd"], deadline=ago(hours=1))
    overdue_reconsiderations_escalate()
    boss_gd.preferred_language = "zh-hans"
    boss_gd.save(update_fields=["preferred_language"])
    client.force_login(boss_gd)
    response = client.get(reverse("applications:inbox"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert f"行政复议{late}已超过办理期限" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_tell_each_supervisor_once(postgres, office_tree):
    import threading

    from django.db import connection

    boss = officer("approver", office_tree["gd"], email="boss-gd@example.org")
    late = [reconsideration(office_tree["gd"], deadline=ago(hours=h + 1)) for h in range(3)]
    barrier = threading.Barrier(2)
    made: list[int] = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            made.append(len(overdue_reconsiderations_escalate(now=timezone.now())))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sum(made) == 3
    assert ReconsiderationEscalation.objects.count() == 3
    assert Notification.objects.filter(recipient=boss).count() == 3
    assert sorted(ReconsiderationEscalation.objects.values_list("reconsideration_id", flat=True)) == sorted(
        c.pk for c in late
    )

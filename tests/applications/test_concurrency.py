"""Two officers act on the same case at the same moment: exactly one wins (PostgreSQL, two connections)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from applications import services
from applications.errors import TransitionConflict
from applications.models import Application, Status, StatusChange

from .factories import ProfileFactory, intake_done, officer, submitted

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_intake_officers_accepting_at_once_exactly_one_wins(postgres, office_tree):
    first = officer("intake_officer", office_tree["gd-gz"])
    second = officer("intake_officer", office_tree["gd-gz"])
    application = submitted(ProfileFactory())
    intake_done(application, first)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user, method, **kwargs):
        try:
            barrier.wait(timeout=10)
            method(actor=user, application=Application.objects.get(pk=application.pk), **kwargs)
            outcomes.append("won")
        except TransitionConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(first, services.application_accept)),
        threading.Thread(
            target=act, args=(second, services.application_return), kwargs={"reason": "Missing pages"}
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    final = Application.objects.get(pk=application.pk)
    assert final.status in (Status.IN_REVIEW, Status.RETURNED)
    # Only the winner's path is in the history: one move out of "submitted".
    assert StatusChange.objects.filter(application=final, from_status=Status.SUBMITTED).count() == 1


def test_two_escalation_sweeps_at_once_tell_each_supervisor_once(postgres, office_tree):
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from applications.models import Escalation, Notification
    from tests.applications.test_oversight import ago, case

    boss = officer("intake_officer", office_tree["gd-gz"])
    boss.user_permissions.add(Permission.objects.get(codename="assign_application"))
    late = [case(office=office_tree["gd-gz"], stage_deadline=ago(hours=h + 1)) for h in range(3)]
    barrier = threading.Barrier(2)
    made: list[int] = []

    def sweep():
        try:
            barrier.wait(timeout=10)
            made.append(len(services.overdue_cases_escalate(now=timezone.now())))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sum(made) == 3
    assert Escalation.objects.count() == 3
    assert sorted(
        Notification.objects.filter(recipient=boss).values_list("application_id", flat=True)
    ) == sorted(c.pk for c in late)

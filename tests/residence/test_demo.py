"""The demo data of `make run`: every stage of a case, one login of every role, safe to load twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from applications.models import Application, Status
from residence.accounts.models import Role, User


@pytest.mark.django_db
def test_the_demo_loads_twice_and_shows_every_stage_of_a_case(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", stdout=io.StringIO())
    count = Application.objects.count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)

    assert Application.objects.count() == count
    # "accepted" passes straight on to verification, and "approved" on to "card issued".
    expected = set(Status.values) - {Status.ACCEPTED, Status.APPROVED}
    assert expected <= set(Application.objects.values_list("status", flat=True))
    assert set(Application.objects.values_list("channel", flat=True)) == {
        "talent",
        "work",
        "investment",
        "contribution",
        "family",
    }
    printed = out.getvalue()
    for role in Role.values:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "nadia@approve.demo" in printed and "sysadmin@portal.demo" in printed

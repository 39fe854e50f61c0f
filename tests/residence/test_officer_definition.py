"""One definition of "officer" (residence.accounts.models.CASE_OFFICER_ROLES), one test per role.

Case officers (intake, review, approval, management) and superusers are officers; the policy
administrator sets the rules but handles no case, so is not; nor is anyone outside the administration.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from residence.accounts.models import Role, is_officer
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    Role.APPLICANT: False,
    Role.INTERMEDIARY: False,
    Role.INTAKE_OFFICER: True,
    Role.REVIEWER: True,
    Role.APPROVER: True,
    Role.MANAGEMENT_OFFICER: True,
    Role.POLICY_ADMIN: False,
    Role.AGENCY_STAFF: False,
    Role.AGENCY_SUPERVISOR: False,
    Role.NOMINATING_BODY_STAFF: False,
    # Counter staff file walk-ins and record intake at a window; they decide no case (issue 15).
    Role.COUNTER_STAFF: False,
    Role.SYSTEM_ADMIN: False,
    Role.POLICY_EXPERT: False,
}


def test_every_role_is_decided():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(EXPECTED), ids=str)
def test_role(role):
    user = UserFactory(roles=[role])
    assert user.is_officer is EXPECTED[role]
    assert is_officer(user) is EXPECTED[role]


def test_applicant_is_no_officer():
    assert is_officer(UserFactory()) is False


def test_superuser_is_an_officer():
    assert is_officer(UserFactory(is_superuser=True)) is True


def test_anonymous_and_none_are_no_officers():
    assert is_officer(AnonymousUser()) is False
    assert is_officer(None) is False

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from residence.accounts.models import Role, User
from residence.accounts.services import staff_user_create
from residence.audit.models import AuditEntry
from tests.factories import PASSWORD, AgencyFactory, OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def register(client, **overrides):
    data = {
        "full_name": "Carol Diaz",
        "email": "carol@example.org",
        "password1": "a-Long-pass-2026",
        "password2": "a-Long-pass-2026",
    }
    return client.post(reverse("register"), data | overrides)


def test_an_applicant_registers_logs_in_and_lands_on_the_applicant_home(client):
    response = register(client)
    assert response.status_code == 302
    user = User.objects.get(email="carol@example.org")
    assert user.roles == {Role.APPLICANT}
    assert AuditEntry.objects.filter(action="account.register", object_id=str(user.pk)).count() == 1
    client.force_login(user)
    home = client.get(reverse("home"))
    assert "home/applicant.html" in [t.name for t in home.templates]


def test_registration_with_a_taken_email_in_any_case_creates_nothing(client, alice):
    response = register(client, email="ALICE@example.org")
    assert response.status_code == 302
    assert User.objects.count() == 1


def test_registration_refuses_mismatched_or_weak_passwords(client):
    assert "do not match" in register(client, password2="other-pass-2026x").content.decode()
    assert register(client, password1="12345678901", password2="12345678901").status_code == 200
    assert not User.objects.exists()


def test_login_is_by_email_case_insensitively(client, alice):
    response = client.post(reverse("login"), {"username": "Alice@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_repeated_failed_logins_lock_the_account_out(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": alice.email, "password": "wrong"})
    response = client.post(reverse("login"), {"username": alice.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed" in response.content.decode()


@pytest.mark.parametrize(
    ("roles", "template", "needs"),
    [
        (["applicant"], "home/applicant.html", None),
        (["intermediary"], "home/intermediary.html", None),
        (["intake_officer"], "home/officer.html", "office"),
        (["reviewer"], "home/officer.html", "office"),
        (["approver"], "home/officer.html", "office"),
        (["management_officer"], "home/officer.html", "office"),
        (["policy_admin"], "home/policy_admin.html", "office"),
        (["agency_staff"], "home/agency.html", "agency"),
        (["agency_supervisor"], "home/agency.html", "agency"),
        (["system_admin"], "home/system_admin.html", None),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, roles, template, needs):
    extra = (
        {"office": OfficeFactory()}
        if needs == "office"
        else {"agency": AgencyFactory(code="sta")}
        if needs == "agency"
        else {}
    )
    user = UserFactory(roles=roles, **extra)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]


def test_agency_staff_must_belong_to_an_agency(sysadmin):
    with pytest.raises(ValidationError):
        staff_user_create(
            actor=sysadmin, email="x@example.org", password=None, full_name="X", roles=["agency_staff"]
        )
    assert not User.objects.filter(email="x@example.org").exists()


def test_officers_must_belong_to_an_office(sysadmin):
    with pytest.raises(ValidationError):
        staff_user_create(
            actor=sysadmin, email="y@example.org", password=None, full_name="Y", roles=["reviewer"]
        )


def test_staff_accounts_are_created_with_their_roles_and_audited(sysadmin):
    agency = AgencyFactory(code="sta")
    user = staff_user_create(
        actor=sysadmin,
        email="s@example.org",
        password=None,
        full_name="S",
        roles=["agency_staff"],
        agency=agency,
    )
    assert user.roles == {"agency_staff"} and user.agency == agency
    entry = AuditEntry.objects.get(action="account.staff_create")
    assert entry.actor == sysadmin and entry.after["agency"] == "sta"


def test_password_reset_mail_is_sent_through_a_task_after_commit(
    client, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": alice.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_logout_is_a_post_and_ends_the_session(client, alice):
    client.force_login(alice)
    response = client.post(reverse("logout"))
    assert response.status_code == 200
    assert client.get(reverse("home")).status_code == 302

"""Walk-in filing at a window, the claim code, and who sees the case before and after the claim."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from applications import selectors as application_selectors
from applications import services as application_services
from applications.models import ApplicantProfile, Application, Status
from counters import services
from counters.models import WalkIn
from privacy.models import Consent
from residence.audit.models import AuditEntry
from tests.applications.factories import fill_draft

from .conftest import WALK_IN, claim_code_from_mail, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_attempts():
    cache.clear()


def open_walk_in(staff, django_capture_on_commit_callbacks, **overrides) -> WalkIn:
    with django_capture_on_commit_callbacks(execute=True):
        return services.walk_in_open(actor=staff, channel="work", consent=True, **{**WALK_IN, **overrides})


def test_counter_staff_file_a_walk_in_through_the_online_services(cora, django_capture_on_commit_callbacks):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    application = fill_draft(walk_in.application, actor=cora)
    application = application_services.application_submit(
        actor=cora, application=application, declaration=True
    )
    assert application.status == Status.SUBMITTED
    assert walk_in.profile.owner == walk_in.holder and not walk_in.holder.is_active
    consent = Consent.objects.get(purpose="counter")
    assert (consent.person, consent.given_by, consent.grantee) == (walk_in.holder, cora, cora)
    entry = AuditEntry.objects.get(action="counters.walk_in_open")
    assert entry.after["window"] == "gd-ftsc" and entry.after["staff"] == "cora@example.org"
    # The code went to the applicant's address, and is not stored: only its keyed hash is.
    assert mail.outbox[-1].to == ["grace@example.org"]
    code = claim_code_from_mail()
    assert code.replace("-", "") not in walk_in.code_hash
    # The placeholder owner gets no e-mail: only the claim e-mail was sent.
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]


def test_the_same_passport_at_the_same_window_finds_the_draft_again(cora, django_capture_on_commit_callbacks):
    first = open_walk_in(cora, django_capture_on_commit_callbacks)
    again = open_walk_in(cora, django_capture_on_commit_callbacks)
    assert again.pk == first.pk
    assert WalkIn.objects.count() == 1 and ApplicantProfile.objects.count() == 1


def test_only_counter_staff_file_walk_ins_and_a_refusal_writes_nothing(ivan, alice):
    entries = AuditEntry.objects.count()
    for actor in (ivan, alice):
        with pytest.raises(PermissionDenied):
            services.walk_in_open(actor=actor, channel="work", consent=True, **WALK_IN)
    assert not WalkIn.objects.exists() and AuditEntry.objects.count() == entries


def test_a_walk_in_without_consent_is_refused_and_nothing_is_written(cora):
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.walk_in_open(actor=cora, channel="work", consent=False, **WALK_IN)
    assert "consent" in error.value.message_dict
    assert not WalkIn.objects.exists() and not ApplicantProfile.objects.exists()
    assert AuditEntry.objects.count() == entries and not Consent.objects.exists()


def test_the_applicant_claims_the_case_and_sees_it_as_if_filed_online(
    cora, grace, django_capture_on_commit_callbacks
):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    application = fill_draft(walk_in.application, actor=cora)
    application_services.application_submit(actor=cora, application=application, declaration=True)
    code = claim_code_from_mail()
    claimed = services.walk_in_claim(actor=grace, code=code.lower())
    assert claimed.claimed_by == grace
    assert ApplicantProfile.objects.get(pk=walk_in.profile_id).owner == grace
    assert application_selectors.application_get(user=grace, pk=application.pk).pk == application.pk
    assert Consent.objects.filter(person=grace).count() == 2  # the counter's and the declaration's
    assert AuditEntry.objects.filter(action="counters.walk_in_claim").get().after["window"] == "gd-ftsc"
    # The window's access ends with the claim.
    with pytest.raises(Http404):
        application_selectors.application_get(user=cora, pk=application.pk)


def test_a_wrong_code_is_refused_clearly_and_changes_nothing(cora, grace, django_capture_on_commit_callbacks):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.walk_in_claim(actor=grace, code="AAAA-BBBB-CCCC")
    assert "not valid" in error.value.message_dict["code"][0]
    walk_in.refresh_from_db()
    assert walk_in.claimed_at is None and AuditEntry.objects.count() == entries


def test_an_expired_code_is_refused(cora, grace, django_capture_on_commit_callbacks):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    WalkIn.objects.filter(pk=walk_in.pk).update(code_expires_at=in_days(-1))
    with pytest.raises(ValidationError) as error:
        services.walk_in_claim(actor=grace, code=claim_code_from_mail())
    assert "expired" in error.value.message_dict["code"][0]
    assert WalkIn.objects.get(pk=walk_in.pk).claimed_at is None


def test_a_used_code_cannot_be_used_again_by_anyone(cora, grace, bob, django_capture_on_commit_callbacks):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    code = claim_code_from_mail()
    services.walk_in_claim(actor=grace, code=code)
    bob.groups.add(*grace.groups.all())
    for actor in (grace, bob):
        with pytest.raises(ValidationError):
            services.walk_in_claim(actor=actor, code=code)
    assert ApplicantProfile.objects.get(pk=walk_in.profile_id).owner == grace


def test_staff_cannot_claim_a_case(cora, ivan, django_capture_on_commit_callbacks):
    open_walk_in(cora, django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        services.walk_in_claim(actor=ivan, code=claim_code_from_mail())


def test_claims_are_rate_limited_even_with_the_right_code(cora, grace, django_capture_on_commit_callbacks):
    open_walk_in(cora, django_capture_on_commit_callbacks)
    for _ in range(services.CLAIM_ATTEMPTS):
        with pytest.raises(ValidationError):
            services.walk_in_claim(actor=grace, code="AAAA-BBBB-CCCC")
    with pytest.raises(ValidationError) as error:
        services.walk_in_claim(actor=grace, code=claim_code_from_mail())
    assert "Too many" in error.value.message_dict["code"][0]


def test_a_new_code_replaces_the_old_one(cora, grace, django_capture_on_commit_callbacks):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    old = claim_code_from_mail()
    with django_capture_on_commit_callbacks(execute=True):
        services.walk_in_code_reissue(actor=cora, walk_in=walk_in)
    new = claim_code_from_mail()
    with pytest.raises(ValidationError):
        services.walk_in_claim(actor=grace, code=old)
    assert services.walk_in_claim(actor=grace, code=new).claimed_by == grace


def test_another_windows_staff_and_other_applicants_get_a_404(
    cora, cody, alice, django_capture_on_commit_callbacks
):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    for user in (cody, alice):
        with pytest.raises(Http404):
            application_selectors.application_get(user=user, pk=walk_in.application_id)
        with pytest.raises(Http404):
            application_services.application_update(
                actor=user, application=walk_in.application, facts={"position": "Cook"}
            )
    assert application_selectors.application_get(user=cora, pk=walk_in.application_id)


def test_the_workspace_lists_the_windows_walk_ins_only(
    client, cora, cody, django_capture_on_commit_callbacks
):
    walk_in = open_walk_in(cora, django_capture_on_commit_callbacks)
    client.force_login(cora)
    page = client.get("/counters/").content.decode()
    assert walk_in.application.reference in page
    client.force_login(cody)
    assert walk_in.application.reference not in client.get("/counters/").content.decode()
    assert client.post(f"/counters/walk-ins/{walk_in.pk}/code/").status_code == 404


def test_the_claim_page_answers_a_wrong_code_with_a_message(client, grace):
    client.force_login(grace)
    response = client.post("/counters/claim/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_the_walk_in_api_files_and_the_claim_api_hands_over(cora, grace, django_capture_on_commit_callbacks):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(cora)
    body = {
        **WALK_IN,
        "birth_date": "1979-06-14",
        "passport_expiry": "2035-01-01",
    }
    body.pop("province")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/counters/walk-ins/", {**body, "channel": "work", "consent": True}, format="json"
        )
    assert response.status_code == 201, response.content
    client.force_authenticate(grace)
    response = client.post("/api/counters/claim/", {"code": claim_code_from_mail()}, format="json")
    assert response.status_code == 200, response.content
    assert Application.objects.get(pk=response.json()["application"]).applicant.owner == grace

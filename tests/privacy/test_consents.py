"""Consents: recorded with purpose, text version and time; withdrawable, with what that means."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, Status
from privacy import consent_texts, services
from privacy.models import Consent, Purpose
from residence.audit.models import AuditEntry
from tests.applications.factories import submitted

pytestmark = pytest.mark.django_db


def test_submitting_records_consent_to_the_current_text_with_its_time(world):
    application = submitted(world["profile"])
    consent = Consent.objects.get(application=application)
    assert consent.purpose == Purpose.APPLICATION
    assert consent.person == world["alice"] == consent.given_by
    assert consent.text_version == consent_texts.current("application").version
    assert abs((consent.given_at - application.submitted_at).total_seconds()) < 5
    assert AuditEntry.objects.filter(action="privacy.consent_give", object_id=str(consent.pk)).exists()


def test_authorising_an_intermediary_records_consent_and_withdrawing_ends_their_access_at_once(world, client):
    alice, agent = world["alice"], world["agent"]
    application = submitted(world["profile"])
    authorisation = application_services.authorisation_grant(actor=alice, intermediary_email=agent.email)
    consent = Consent.objects.get(authorisation=authorisation)
    assert consent.text_version == "intermediary-2026-1"
    client.force_login(agent)
    detail = reverse("applications:detail", args=[application.pk])
    assert client.get(detail).status_code == 200

    client.force_login(alice)
    response = client.post(reverse("privacy:consent_withdraw", args=[consent.pk]), follow=True)
    assert "Your consent was withdrawn." in response.content.decode()
    consent.refresh_from_db()
    authorisation.refresh_from_db()
    assert consent.withdrawn_at is not None and authorisation.revoked_at is not None

    client.force_login(agent)
    assert client.get(detail).status_code == 404


def test_revoking_the_authorisation_elsewhere_also_withdraws_its_consent(world):
    authorisation = application_services.authorisation_grant(
        actor=world["alice"], intermediary_email="agent@example.org"
    )
    application_services.authorisation_revoke(actor=world["alice"], authorisation=authorisation)
    assert Consent.objects.get(authorisation=authorisation).withdrawn_at is not None


def test_withdrawing_the_application_consent_needs_confirmation_and_withdraws_the_application(world):
    application = submitted(world["profile"])
    consent = Consent.objects.get(application=application)
    with pytest.raises(ValidationError, match="withdraws the application"):
        services.consent_withdraw(actor=world["alice"], consent=consent)
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None

    services.consent_withdraw(actor=world["alice"], consent=consent, confirm_withdraw_application=True)
    assert Application.objects.get(pk=application.pk).status == Status.WITHDRAWN
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is not None


def test_a_decided_application_consent_cannot_be_withdrawn_and_the_page_says_why(world, client):
    application = submitted(world["profile"])
    Application.objects.filter(pk=application.pk).update(status=Status.REFUSED)
    consent = Consent.objects.get(application=application)
    client.force_login(world["alice"])
    response = client.post(
        reverse("privacy:consent_withdraw", args=[consent.pk]), {"confirm": "on"}, follow=True
    )
    assert "can no longer be withdrawn" in response.content.decode()
    assert Consent.objects.get(pk=consent.pk).withdrawn_at is None


def test_someone_elses_consent_is_not_found(world, client):
    application = submitted(world["profile"])
    consent = Consent.objects.get(application=application)
    with pytest.raises(Http404):
        services.consent_withdraw(actor=world["bob"], consent=consent, confirm_withdraw_application=True)
    client.force_login(world["bob"])
    assert (
        client.post(reverse("privacy:consent_withdraw", args=[consent.pk]), {"confirm": "on"}).status_code
        == 404
    )
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_the_privacy_page_shows_each_consent_its_text_and_what_withdrawal_means(world, client):
    submitted(world["profile"])
    application_services.authorisation_grant(actor=world["alice"], intermediary_email="agent@example.org")
    client.force_login(world["alice"])
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "application-2026-1" in page and "intermediary-2026-1" in page
    assert consent_texts.current("application").en[:60] in page
    assert "the intermediary can no longer see or act on your" in page
    assert "withdrawing it means withdrawing the application" in page

    page_zh = client.get(reverse("privacy:mine"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert consent_texts.current("intermediary").zh[:20] in page_zh


def test_the_review_step_and_the_authorisation_form_show_the_consent_text(world, client):
    from tests.applications.factories import complete_draft

    draft = complete_draft(world["profile"])
    client.force_login(world["alice"])
    review = client.get(reverse("applications:step", args=[draft.pk, "review"])).content.decode()
    assert consent_texts.current("application").en[:60] in review
    form = client.get(reverse("applications:authorisations")).content.decode()
    assert consent_texts.current("intermediary").en[:60] in form

"""The officer's pages for a case's possible duplicates: who sees them, the side-by-side, the decision."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from applications.models import Status
from identity.models import IdentityDecision
from tests.applications.factories import ProfileFactory, submitted

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_the_case_page_says_possible_duplicate_and_links_the_comparison(client, ivan, flagged):
    application, _ = flagged
    page = login(client, ivan).get(reverse("applications:case", args=[application.pk]))
    assert page.status_code == 200
    assert "Possible duplicate" in page.content.decode()
    assert reverse("identity:case_duplicates", args=[application.pk]) in page.content.decode()


def test_the_officer_sees_both_records_side_by_side_with_the_ban(client, ivan, flagged):
    application, flag = flagged
    page = login(client, ivan).get(reverse("identity:case_duplicate", args=[application.pk, flag.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ivanoff" in body and "Ivanov" in body and "KZ5555555" in body and "RU1111111" in body
    assert "Banned from applying" in body and "<mark>" in body


def test_someone_elses_jurisdiction_is_a_404_on_both_pages(client, sam, flagged):
    application, flag = flagged
    login(client, sam)
    assert client.get(reverse("identity:case_duplicates", args=[application.pk])).status_code == 404
    url = reverse("identity:case_duplicate", args=[application.pk, flag.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"verdict": "same"}).status_code == 404
    assert not IdentityDecision.objects.exists()


def test_a_flag_of_another_case_is_a_404(client, ivan, flagged, office_tree):
    application, flag = flagged
    other = submitted(
        ProfileFactory(family_name="Nobody", given_names="Else", birth_date=dt.date(1970, 1, 9))
    )
    url = reverse("identity:case_duplicate", args=[other.pk, flag.pk])
    assert login(client, ivan).get(url).status_code == 404


def test_an_applicant_cannot_see_the_pages(client, flagged):
    application, flag = flagged
    login(client, application.applicant.owner)
    assert client.get(reverse("identity:case_duplicates", args=[application.pk])).status_code == 404


def test_different_people_without_a_reason_is_a_clear_error_and_changes_nothing(client, ivan, flagged):
    application, flag = flagged
    url = reverse("identity:case_duplicate", args=[application.pk, flag.pk])
    response = login(client, ivan).post(url, {"verdict": "different", "reason": ""})
    assert response.status_code == 400
    assert "Say why these are different people." in response.content.decode()
    assert not IdentityDecision.objects.exists()
    response = client.post(url, {"verdict": "perhaps"})
    assert response.status_code == 400 and not IdentityDecision.objects.exists()


def test_same_person_returns_the_case_with_the_ban_and_the_page_shows_the_decision(client, ivan, flagged):
    application, flag = flagged
    url = reverse("identity:case_duplicate", args=[application.pk, flag.pk])
    response = login(client, ivan).post(url, {"verdict": "same", "reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    again = client.post(url, {"verdict": "different", "reason": "Changed my mind"})
    assert again.status_code == 400 and "already been decided" in again.content.decode()
    assert IdentityDecision.objects.get().verdict == "same"

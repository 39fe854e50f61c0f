"""The probe's bad inputs, kept as a corpus: each is a clear 400 (a forged cursor a 404), never a 500,
and changes nothing."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from applications.models import Application, WorkFacts
from residence.audit.models import AuditEntry
from tests.applications.factories import ProfileFactory, complete_draft

pytestmark = pytest.mark.django_db


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


FORGED_CURSORS = {
    "a string": '["abc"]',
    "null": "[null]",
    "an infinite number": "[1e400]",
    "a number too large": "[1e30]",
    "a boolean": "[true]",
    "three values where two are expected": "[1, 2, 3]",
    "three strings": '["a", "b", "c"]',
    "null and a string": '[null, "x"]',
    "a bad date": '[{"dt": "not a date"}, 1]',
    "a number where a date is": "[12345, 1]",
    "not a list": '{"a": 1}',
    "a bare number": "7",
}


@pytest.fixture
def personas(alice, rita):
    return {"applicant": alice, "officer": rita}


@pytest.mark.parametrize(
    ("path", "persona"),
    [
        ("/api/applications/", "applicant"),
        ("/api/queue/", "officer"),
        ("/api/notifications/", "applicant"),
        ("/api/notifications/", "officer"),
    ],
)
@pytest.mark.parametrize("payload", FORGED_CURSORS.values(), ids=FORGED_CURSORS.keys())
def test_a_forged_cursor_on_an_api_list_is_a_clear_404_not_a_500(personas, path, persona, payload):
    client = APIClient()
    client.force_authenticate(personas[persona])
    response = client.get(path, {"cursor": _cursor(payload)})
    assert response.status_code == 404, response.content
    assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/notifications/", "/cases/"])
@pytest.mark.parametrize("payload", FORGED_CURSORS.values(), ids=FORGED_CURSORS.keys())
def test_a_forged_cursor_on_an_html_list_is_never_a_500(client: Client, alice, rita, path, payload):
    client.force_login(rita if path == "/cases/" else alice)
    response = client.get(path, {"cursor": _cursor(payload)})
    # The page starts again from the top, in place or by a redirect to it.
    assert response.status_code in (200, 302)


@pytest.fixture
def draft(alice):
    return complete_draft(ProfileFactory(owner=alice))


BAD_FACTS = {
    "a date as a number": ({"start_date": 12345}, "start_date"),
    "a date as a boolean": ({"start_date": True}, "start_date"),
    "a date before 1950": ({"start_date": "1949-12-31"}, "start_date"),
    "a number as a boolean": ({"hsk_level": True}, "hsk_level"),
    "an amount as a boolean": ({"annual_salary_cny": False}, "annual_salary_cny"),
    "an infinite amount": ({"annual_salary_cny": "<1e400>"}, "annual_salary_cny"),
    "a NUL byte in a text fact": ({"employer_name": "Canton\x00Robotics"}, "employer_name"),
    "a NUL byte in a choice fact": ({"work_province": "CN-GD\x00"}, "work_province"),
    "invisible characters as a name": ({"employer_name": "\u200b\u200b\u2060"}, "employer_name"),
}


@pytest.mark.parametrize(("facts", "field"), BAD_FACTS.values(), ids=BAD_FACTS.keys())
def test_a_bad_fact_is_a_clear_400_and_changes_nothing(alice, draft, facts, field):
    before = WorkFacts.objects.filter(application=draft).values().get()
    audit_count = AuditEntry.objects.count()
    client = APIClient()
    client.force_authenticate(alice)
    # Sent as raw JSON: ``1e400`` is valid JSON that Python decodes to infinity.
    body = json.dumps({"facts": facts}).replace('"<1e400>"', "1e400")
    response = client.patch(f"/api/applications/{draft.pk}/", body, content_type="application/json")
    assert response.status_code == 400, response.content
    payload = response.json()
    assert payload["errors"].get(field) or payload["errors"].get(f"facts.{field}")
    assert WorkFacts.objects.filter(application=draft).values().get() == before
    assert AuditEntry.objects.count() == audit_count


@pytest.mark.parametrize("depth", [50_000, 100_000])
@pytest.mark.parametrize("path", ["/api/applications/", "/api/profiles/"])
def test_json_nested_deeper_than_any_form_is_a_clear_400(alice, path, depth):
    client = APIClient()
    client.force_authenticate(alice)
    body = "[" * depth + "]" * depth
    applications, audit_count = Application.objects.count(), AuditEntry.objects.count()
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "nested too deeply" in response.json()["detail"]
    assert (Application.objects.count(), AuditEntry.objects.count()) == (applications, audit_count)


def test_a_nul_byte_in_a_profile_name_is_a_clear_400(alice):
    client = APIClient()
    client.force_authenticate(alice)
    from tests.applications.test_bad_input import PROFILE

    response = client.post("/api/profiles/", {**PROFILE, "family_name": "Ok\x00afor"}, format="json")
    assert response.status_code == 400, response.content
    assert json.dumps(response.json()["errors"]["family_name"])


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_date", "1899-12-31"), ("family_name", "\u200b\u200c"), ("given_names", "\u2060 \u200b")],
)
def test_an_implausible_profile_value_is_a_clear_400_and_creates_nothing(bob, field, value):
    from applications.models import ApplicantProfile
    from tests.applications.test_bad_input import PROFILE

    client = APIClient()
    client.force_authenticate(bob)
    response = client.post("/api/profiles/", {**PROFILE, field: value}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][field]
    assert not ApplicantProfile.objects.filter(owner=bob).exists()

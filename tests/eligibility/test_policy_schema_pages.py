"""The published schema, its reference page, and the schema at work in the API and the import."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from eligibility.documents import jsonable
from eligibility.engine import read_policy_document
from eligibility.models import PolicyVersion
from residence.audit.models import AuditEntry
from tests.eligibility.factories import policy_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def paula():
    return policy_admin(email="paula@example.org")


def _with_yeers() -> dict:
    doc = jsonable(copy.deepcopy(read_policy_document()))
    doc["channels"]["family"]["requirements"]["any"][0]["all"][2]["yeers"] = 6
    return doc


def test_anyone_can_download_the_schema_and_validate_the_default_policy_with_it(client):
    response = client.get("/policy/schema.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    jsonschema.validate(jsonable(read_policy_document()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_with_yeers(), schema)


def test_the_reference_page_lists_each_key_with_its_description(client):
    response = client.get(reverse("eligibility:policy_schema"))

    assert response.status_code == 200
    page = response.content.decode()
    for text in ("pass_mark", "tiers", "min_stay", "past_last_year", "Points needed to pass"):
        assert text in page
    assert reverse("eligibility:policy_schema_json") in page


def test_the_validate_api_names_an_unknown_key_with_a_suggestion(paula):
    api = APIClient()
    api.force_authenticate(paula)

    response = api.post(
        "/api/eligibility/policy-versions/validate/", {"document": _with_yeers()}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is False
    (error,) = body["errors"]
    assert error["path"] == "channels.family.requirements.any[0].all[2].yeers"
    assert "did you mean 'years'" in error["message"]["en"]


def test_importing_a_document_with_an_unknown_key_stores_nothing(paula):
    api = APIClient()
    api.force_authenticate(paula)
    versions, audits = PolicyVersion.objects.count(), AuditEntry.objects.count()

    response = api.post(
        "/api/eligibility/policy-versions/import/",
        {"file_format": "json", "content": json.dumps(_with_yeers())},
        format="json",
    )

    assert response.status_code == 400
    assert any("yeers" in key for key in response.json()["errors"]), response.json()
    assert PolicyVersion.objects.count() == versions
    assert AuditEntry.objects.count() == audits

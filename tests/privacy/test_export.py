"""A person downloads everything held about them, as JSON and as a readable PDF; nobody else's."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.urls import reverse

from applications import services as application_services
from privacy import services
from tests.applications.factories import ProfileFactory, submitted
from tests.cards.factories import issued_card

pytestmark = pytest.mark.django_db


def test_the_json_holds_every_record_about_the_person_and_nothing_of_anyone_else(world, client):
    alice = world["alice"]
    application = submitted(world["profile"])
    application_services.authorisation_grant(actor=alice, intermediary_email="agent@example.org")
    services.correction_request_create(actor=alice, what="Given names", correction="Alice Marie")
    card = issued_card(alice)
    submitted(ProfileFactory(owner=world["bob"], family_name="Other", passport_number="X99999999"))
    services.case_access_record(
        user=world["gz_intake"], application_id=application.pk, view_name="applications:case"
    )

    client.force_login(alice)
    response = client.get(reverse("privacy:export_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)

    assert data["account"]["email"] == "alice@example.org"
    assert {p["passport_number"] for p in data["applicant_profiles"]} >= {world["profile"].passport_number}
    exported = {a["reference"]: a for a in data["applications"]}
    case = exported[application.reference]
    assert case["facts"]["employer_name"] == "Canton Robotics Ltd"
    assert case["documents"] and all(
        d["file"]["download"].endswith(f"/documents/{d['id']}/") for d in case["documents"]
    )
    assert case["status_history"][0]["to_status"] == "submitted"
    assert [c["purpose"] for c in data["consents"]] == ["application", "intermediary"]
    assert data["correction_requests"][0]["correction"] == "Alice Marie"
    assert data["notifications"]
    assert card.number in {c["number"] for c in data["cards"]}
    # Listed even before they are rendered (a pending document has no file to link yet).
    assert {d["kind"] for d in data["card_documents"]} == {"card", "approval_letter"}
    assert data["offices_that_read_your_cases"] == [
        {
            "application": application.reference,
            "office": "Guangzhou",
            "office_zh": "广州",
            "day": data["offices_that_read_your_cases"][0]["day"],
        }
    ]
    assert any(e["action"] == "applications.submit" and e["by"] == "you" for e in data["audit_entries"])
    text = response.content.decode()
    assert "X99999999" not in text and "Other" not in text and "bob@example.org" not in text
    assert "gz-intake@example.org" not in text  # the officer who looked is not named
    # The document links work for the person (and were checked like any other download).
    path = case["documents"][0]["file"]["download"].split("localhost:8000", 1)[-1]
    assert client.get(path).status_code == 200


def test_the_pdf_is_readable_in_both_languages(world, client):
    submitted(world["profile"])
    client.force_login(world["alice"])
    response = client.get(reverse("privacy:export_pdf"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler-utils' pdftotext to read the text back")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    for expected in (
        "您的个人信息",
        "The personal data held about you",
        "MARTIN",
        "Canton Robotics Ltd",
        "application-2026-1",
    ):
        assert expected in text, expected


def test_an_anonymous_visitor_gets_no_export(client):
    assert client.get(reverse("privacy:export_json")).status_code == 302

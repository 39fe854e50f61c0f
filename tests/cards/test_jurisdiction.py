"""Cards follow the holder's area: officers of another province neither see nor change them.

The card below belongs to a holder living in Guangzhou (CN-GD, 440100). Sichuan's officers get a
404 for every page about it and a PermissionDenied from every service; Guangdong's and the national
administration's officers do their work as before.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cards.models import Card, CardRequest, RevocationCase
from cards.services import (
    card_request_create,
    card_request_issue,
    card_request_refuse,
    revocation_decide,
    revocation_open,
)
from residence.audit.models import AuditEntry
from tests.applications.factories import officer, offices

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(db):
    return offices()


@pytest.fixture
def gd_manager(tree):
    return officer("management_officer", tree["gd"], email="gd-manager@example.org")


@pytest.fixture
def sc_manager(tree):
    return officer("management_officer", tree["sc"], email="sc-manager@example.org")


@pytest.fixture
def gd_approver(tree):
    return officer("approver", tree["gd"], email="gd-approver@example.org")


@pytest.fixture
def sc_approver(tree):
    return officer("approver", tree["sc"], email="sc-approver@example.org")


@pytest.fixture
def open_case(card, gd_manager):
    return revocation_open(actor=gd_manager, card=card, ground="fraud", evidence="Forged tax records.")


@pytest.fixture
def renewal(card, holder):
    return card_request_create(actor=holder, card=card, kind="replacement", reason="lost", statement="Lost.")


def login(client, user):
    client.force_login(user)
    return client


def test_another_provinces_officer_gets_a_404_for_the_holders_photo(client, card, sc_manager):
    response = login(client, sc_manager).get(reverse("cards:card_photo", args=[card.pk]))
    assert response.status_code == 404


def test_the_holders_own_provinces_officer_sees_the_photo(client, card, gd_manager):
    response = login(client, gd_manager).get(reverse("cards:card_photo", args=[card.pk]))
    assert response.status_code == 200


def test_another_provinces_officer_gets_a_404_for_the_card_pdf_and_letters(client, card, sc_manager):
    documents = list(card.documents.all()) + list(card.application.card_documents.all())
    assert documents
    login(client, sc_manager)
    for document in documents:
        assert client.get(reverse("cards:document", args=[document.pk])).status_code == 404


def test_the_holders_own_provinces_officer_downloads_the_card_pdf(client, card, gd_manager):
    document = card.documents.filter(state="ready").first()
    assert login(client, gd_manager).get(reverse("cards:document", args=[document.pk])).status_code == 200


def test_another_provinces_officer_cannot_open_a_revocation_by_card_number(client, card, sc_manager):
    response = login(client, sc_manager).post(
        reverse("cards:revocations"),
        {"card_number": card.number, "ground": "fraud", "evidence": "Forged tax records."},
    )
    assert response.status_code == 200
    assert "No card has this number" in response.content.decode()
    assert RevocationCase.objects.count() == 0


def test_the_revocation_service_refuses_an_officer_of_another_province(card, sc_manager):
    with pytest.raises(PermissionDenied):
        revocation_open(actor=sc_manager, card=card, ground="fraud", evidence="Forged tax records.")
    assert RevocationCase.objects.count() == 0
    assert not AuditEntry.objects.filter(action="cards.revocation_open").exists()


def test_another_provinces_approver_does_not_see_the_case_nor_decide_it(client, card, open_case, sc_approver):
    login(client, sc_approver)
    assert client.get(reverse("cards:revocation", args=[open_case.pk])).status_code == 404
    response = client.post(
        reverse("cards:revocation", args=[open_case.pk]), {"decision": "revoke", "reason": "Forged."}
    )
    assert response.status_code == 404
    assert open_case.pk not in [c.pk for c in client.get(reverse("cards:revocations")).context["open_cases"]]
    open_case.refresh_from_db()
    assert (open_case.state, Card.objects.get(pk=card.pk).status) == ("open", "issued")


def test_the_decision_service_refuses_an_approver_of_another_province(card, open_case, sc_approver):
    with pytest.raises(PermissionDenied):
        revocation_decide(actor=sc_approver, case=open_case, decision="revoke", reason="Forged.")
    open_case.refresh_from_db()
    assert (open_case.state, Card.objects.get(pk=card.pk).status) == ("open", "issued")
    assert not AuditEntry.objects.filter(action="cards.card_revoke").exists()


def test_the_holders_provincial_approver_decides_the_case(card, open_case, gd_approver):
    revocation_decide(actor=gd_approver, case=open_case, decision="cancel", reason="Records were genuine.")
    open_case.refresh_from_db()
    assert open_case.state == "cancelled"


def test_the_national_administration_covers_every_province(card, open_case, tree):
    national = officer("approver", tree["nia"], email="nia-approver@example.org")
    revocation_decide(actor=national, case=open_case, decision="cancel", reason="Records were genuine.")
    open_case.refresh_from_db()
    assert open_case.state == "cancelled"


def test_another_provinces_officer_neither_sees_nor_decides_a_replacement_request(
    client, card, renewal, sc_manager
):
    login(client, sc_manager)
    listed = client.get(reverse("cards:requests")).context["requests"]
    assert renewal.pk not in [r.pk for r in listed]
    response = client.post(
        reverse("cards:request_decide", args=[renewal.pk]), {"decision": "refuse", "reason": "No."}
    )
    assert response.status_code == 404
    renewal.refresh_from_db()
    assert renewal.state == CardRequest.State.REQUESTED


def test_the_request_services_refuse_an_officer_of_another_province(card, renewal, sc_manager):
    with pytest.raises(PermissionDenied):
        card_request_refuse(actor=sc_manager, request=renewal, reason="No.")
    with pytest.raises(PermissionDenied):
        card_request_issue(actor=sc_manager, request=renewal)
    renewal.refresh_from_db()
    assert renewal.state == CardRequest.State.REQUESTED
    assert Card.objects.get(pk=card.pk).status == Card.Status.ISSUED
    assert not AuditEntry.objects.filter(action__in=["cards.request_issue", "cards.request_refuse"]).exists()


def test_the_holders_own_provinces_officer_sees_and_decides_the_request(client, card, renewal, gd_manager):
    login(client, gd_manager)
    assert renewal.pk in [r.pk for r in client.get(reverse("cards:requests")).context["requests"]]
    card_request_refuse(actor=gd_manager, request=renewal, reason="The old card was found.")
    renewal.refresh_from_db()
    assert renewal.state == CardRequest.State.REFUSED


def test_staff_without_an_office_see_no_card(client, card):
    from tests.factories import UserFactory

    nobody = UserFactory(roles=["management_officer"])
    assert login(client, nobody).get(reverse("cards:card_photo", args=[card.pk])).status_code == 404


def test_a_crossings_import_refuses_the_cards_of_another_province(card, sc_manager):
    from cards.models import PresenceRecord
    from cards.services import presence_import_csv

    result = presence_import_csv(
        actor=sc_manager,
        data=f"card_number,direction,date,port\n{card.number},exit,2024-05-01,Luohu\n".encode(),
    )
    assert [message for _line, message in result.errors] == ["No card has this number."]
    assert PresenceRecord.objects.count() == 0

"""Renewal and replacement fees (issue 15): the holder's request opens an order for the fee due on
request, paid on the payment simulator's page like the issuance fee; the management officer
cannot issue the new card until it is paid; refunds follow the issuance rule."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications.models import Status
from cards.models import Card, CardRequest
from cards.services import card_request_create, card_request_issue, card_request_refuse
from eligibility.models import PolicyVersion
from eligibility.selectors import policy_version_in_force
from payments import services
from payments.models import PaymentOrder
from residence.audit.models import AuditEntry
from tests.cards.factories import issued_card
from tests.cards.pdftools import pdf_text
from tests.factories import OfficeFactory, UserFactory

from .conftest import checkout, pay_at_provider, recommended

pytestmark = [pytest.mark.django_db, pytest.mark.card_fee]


@pytest.fixture
def card(holder, django_capture_on_commit_callbacks, settings):
    # The first card is made without its issuance fee: this file is about the request fees.
    settings.PAYMENTS_FEES_CHARGED = False
    with django_capture_on_commit_callbacks(execute=True):
        made = issued_card(holder)
    settings.PAYMENTS_FEES_CHARGED = True
    return made


@pytest.fixture
def mona(db):
    return UserFactory(email="mona@example.org", roles=["management_officer"], office=OfficeFactory())


def _replacement(card, holder) -> CardRequest:
    return card_request_create(actor=holder, card=card, kind="replacement", reason="lost", statement="Lost.")


def test_a_replacement_request_opens_an_order_for_the_fee_due_on_request_once(card, holder):
    request = _replacement(card, holder)
    order = PaymentOrder.objects.get(card_request=request)
    assert (order.kind, order.status, order.amount_fen) == ("replacement", "due", 60000)
    assert order.application_id == card.application_id
    assert order.policy_label == policy_version_in_force().label and "1267" in order.legal_basis_zh
    # Idempotent: asking again (a retried hook) gives the same order, and opens no second one.
    assert services.order_open_for_request(request=request, actor=holder) == order
    assert PaymentOrder.objects.filter(card_request=request).count() == 1
    assert AuditEntry.objects.filter(action="payments.order_opened", object_id=str(order.pk)).count() == 1


def test_a_waived_request_fee_opens_no_order_and_the_card_can_be_issued(card, holder, mona):
    policy = policy_version_in_force()
    document = copy.deepcopy(policy.document)
    document["fees"]["waivers"] = [
        {"id": "all", "label": {"en": "All", "zh": "全部"}, "kinds": ["replacement", "renewal"]}
    ]
    PolicyVersion.objects.filter(pk=policy.pk).update(document=document)
    request = _replacement(card, holder)
    assert not PaymentOrder.objects.filter(card_request=request).exists()
    assert card_request_issue(actor=mona, request=request).kind == Card.Kind.REPLACEMENT


def test_the_officer_cannot_issue_while_the_fee_is_unpaid_and_nothing_is_written(card, holder, mona):
    request = _replacement(card, holder)
    order = PaymentOrder.objects.get(card_request=request)
    cards, audits = Card.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="has not paid") as refused:
        card_request_issue(actor=mona, request=request)
    assert order.number in str(refused.value)
    assert Card.objects.count() == cards and AuditEntry.objects.count() == audits
    assert CardRequest.objects.get(pk=request.pk).state == CardRequest.State.REQUESTED
    assert Card.objects.get(pk=card.pk).status == Card.Status.ISSUED  # the old card stays valid


def test_the_holder_pays_on_the_providers_page_then_the_officer_issues(
    card, holder, mona, paysim, client, django_capture_on_commit_callbacks
):
    paysim.control(notify=False)  # the portal finds out by asking on the way back
    request = _replacement(card, holder)
    order = PaymentOrder.objects.get(card_request=request)
    client.force_login(holder)
    assert "Pay the fee (¥600.00)" in client.get(reverse("cards:my_card")).content.decode()
    response = client.post(reverse("payments:order_pay", args=[order.pk]))
    assert response.status_code == 302 and response["Location"].startswith(paysim.url + "/pay/")
    assert pay_at_provider(response["Location"]).status_code == 303
    cards = Card.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        back = client.get(reverse("payments:order_return", args=[order.pk]), follow=True)
    assert "The management officers can now issue your new card" in back.content.decode()
    order.refresh_from_db()
    assert order.status == "paid"
    assert Card.objects.count() == cards  # paying a request fee queues no card of its own
    receipt = client.get(reverse("payments:order_receipt", args=[order.pk]))
    text = pdf_text(receipt.content)
    assert "600.00" in text and card.number in text and "补发" in text
    new = card_request_issue(actor=mona, request=request)
    assert new.previous_id == card.pk and Card.objects.get(pk=card.pk).status == Card.Status.REPLACED
    order.refresh_from_db()
    assert not services.refund_allowed(order)  # its card has been made


def test_a_paid_fee_of_a_refused_request_is_refundable(card, holder, mona, paysim):
    paysim.control(notify=False)
    request = _replacement(card, holder)
    order = PaymentOrder.objects.get(card_request=request)
    pay_at_provider(checkout(order, holder))
    assert services.order_poll(order_id=order.pk) == "applied"
    card_request_refuse(actor=mona, request=request, reason="The card was found.")
    order.refresh_from_db()
    assert services.refund_allowed(order)
    refunded = services.order_refund(actor=mona, order=order, reason="Request refused.")
    assert refunded.status == "refunded"


def test_another_user_gets_a_404_for_the_holders_request_fee(card, holder, client):
    order = PaymentOrder.objects.get(card_request=_replacement(card, holder))
    client.force_login(UserFactory(roles=["applicant"]))
    assert client.get(reverse("payments:order", args=[order.pk])).status_code == 404
    client.force_login(holder)
    assert client.get(reverse("payments:order", args=[order.pk])).status_code == 200


def test_the_status_page_says_the_card_is_made_once_the_fee_is_paid(holder, approve, client):
    application = approve(recommended(holder))
    assert application.status == Status.APPROVED
    client.force_login(holder)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Your card will be made once the card fee is paid" in page
    assert "Your card is being prepared" not in page

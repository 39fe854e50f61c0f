"""Card fees end to end against the payment simulator (a separate process): the order an approval
opens, paying, the signed notification (forged, replayed, stale, duplicate, out of order), polling,
a provider that is down, refunds, the receipt, and the daily reconciliation."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.models import Status
from cards.models import Card
from eligibility.documents import jsonable
from eligibility.engine import read_policy_document, validate_policy
from eligibility.models import PolicyVersion
from payments import services
from payments.fees import fee_due, yuan
from payments.models import PaymentNotification, PaymentOrder, ReconciliationFinding
from residence.audit.models import AuditEntry
from tests.cards.pdftools import pdf_pages_png, pdf_text
from tests.conftest import ARTIFACTS

from .conftest import checkout, pay_at_provider, post_notification, recommended, signed_notification

pytestmark = [pytest.mark.django_db, pytest.mark.card_fee]


def paid_payload(order: PaymentOrder, **overrides) -> dict:
    payload = {
        "event": "paid",
        "merchant_order_no": order.number,
        "order_id": order.provider_order_id,
        "amount_fen": order.amount_fen,
        "at": timezone.now().isoformat(),
    }
    return payload | overrides


# --- the fee schedule as policy data -------------------------------------------------------------
def test_the_default_policy_charges_1800_yuan_on_issuance_and_600_on_renewal_or_replacement():
    document = jsonable(read_policy_document())
    assert validate_policy(document) == []
    items = document["fees"]["items"]
    assert items["issuance"] == {"amount_fen": 180000, "due": "after_approval"}
    assert items["renewal"]["amount_fen"] == items["replacement"]["amount_fen"] == 60000
    fee = fee_due(document, kind="issuance", due="after_approval", channel="work")
    assert fee.amount_fen == 180000 and isinstance(fee.amount_fen, int)
    assert str(yuan(fee.amount_fen)) == "1800.00"
    assert "1267" in fee.legal_basis_zh


def test_a_waiver_by_category_and_bad_amounts_are_policy_data_checked_by_validation():
    document = jsonable(read_policy_document())
    document["fees"]["waivers"] = [
        {"id": "minors", "label": {"en": "Children", "zh": "未成年人"}, "kinds": ["issuance"], "minor": True},
        {
            "id": "talent",
            "label": {"en": "Talent", "zh": "人才"},
            "kinds": ["issuance"],
            "channels": ["talent"],
        },
    ]
    assert validate_policy(document) == []
    assert fee_due(document, kind="issuance", due="after_approval", channel="talent") is None
    assert fee_due(document, kind="issuance", due="after_approval", channel="work", minor=True) is None
    assert fee_due(document, kind="issuance", due="after_approval", channel="work") is not None
    assert fee_due(document, kind="renewal", due="after_approval", channel="work") is None  # due on request

    bad = copy.deepcopy(document)
    bad["fees"]["items"]["issuance"]["amount_fen"] = 1800.5  # yuan with a fraction: never
    bad["fees"]["waivers"].append(dict(document["fees"]["waivers"][0]))
    paths = {error.path for error in validate_policy(bad)}
    assert "fees.items.issuance.amount_fen" in paths
    assert "fees.waivers[2].id" in paths


# --- approval opens an order; the card waits for payment -----------------------------------------
def test_approval_opens_an_order_and_no_card_is_made_until_it_is_paid(holder, approve):
    from cards.services import card_issue_for_application

    application = approve(recommended(holder))
    assert application.status == Status.APPROVED
    order = PaymentOrder.objects.get(application=application)
    assert (order.kind, order.status, order.amount_fen) == ("issuance", "due", 180000)
    assert not Card.objects.filter(application=application).exists()
    assert card_issue_for_application(application_id=application.pk) is None  # a retried task makes none
    assert AuditEntry.objects.filter(action="payments.order_opened").count() == 1


def test_a_waived_fee_keeps_the_existing_path_approval_makes_the_card(holder, approve):
    from eligibility.selectors import policy_version_in_force

    policy = policy_version_in_force()
    document = copy.deepcopy(policy.document)
    document["fees"]["waivers"] = [
        {"id": "work", "label": {"en": "Work", "zh": "工作"}, "kinds": ["issuance"], "channels": ["work"]}
    ]
    PolicyVersion.objects.filter(pk=policy.pk).update(document=document)
    application = approve(recommended(holder))
    assert application.status == Status.CARD_ISSUED
    assert not PaymentOrder.objects.filter(application=application).exists()


def test_the_applicant_pays_through_the_provider_and_the_card_is_made_after_commit(
    holder, approve, paysim, client, django_capture_on_commit_callbacks
):
    paysim.control(notify=False)  # no notification: the portal finds out by asking
    application = approve(recommended(holder))
    order = PaymentOrder.objects.get(application=application)
    client.force_login(holder)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Pay the card fee" in page
    response = client.post(reverse("payments:order_pay", args=[order.pk]))
    assert response.status_code == 302 and response["Location"].startswith(paysim.url + "/pay/")
    order.refresh_from_db()
    assert order.provider_order_id
    back = pay_at_provider(response["Location"])
    assert back.status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("payments:order_return", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == "paid"
    assert Card.objects.filter(application=application).count() == 1
    assert application.__class__.objects.get(pk=application.pk).status == Status.CARD_ISSUED


# --- notifications ---------------------------------------------------------------------------------
@pytest.fixture
def registered(holder, approve, paysim):
    paysim.control(notify=False)
    application = approve(recommended(holder))
    order = PaymentOrder.objects.get(application=application)
    pay_url = checkout(order, holder)
    order.refresh_from_db()
    return order, pay_url


def test_a_signed_notification_marks_the_order_paid_once_and_a_duplicate_changes_nothing(
    registered, client, django_capture_on_commit_callbacks
):
    order, _ = registered
    body, headers = signed_notification(paid_payload(order))
    with django_capture_on_commit_callbacks(execute=True):
        assert post_notification(client, body, headers).status_code == 200
    order.refresh_from_db()
    assert order.status == "paid"
    assert Card.objects.filter(application=order.application).count() == 1
    # The provider resends (a new nonce, the same news): 200, nothing changes, no second card job.
    body, headers = signed_notification(paid_payload(order))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post_notification(client, body, headers)
    assert response.status_code == 200 and response.content == b"no_change"
    assert callbacks == []
    assert AuditEntry.objects.filter(action="payments.order_paid").count() == 1


def test_forged_stale_and_replayed_notifications_are_refused_and_audited(registered, client):
    order, _ = registered
    forged, headers = signed_notification(paid_payload(order), secret="not-the-secret")
    assert post_notification(client, forged, headers).status_code == 400
    stale, headers = signed_notification(paid_payload(order), timestamp=timezone.now().timestamp() - 3600)
    assert post_notification(client, stale, headers).status_code == 400
    tampered, headers = signed_notification(paid_payload(order))
    assert post_notification(client, tampered.replace(b"180000", b"1"), headers).status_code == 400
    order.refresh_from_db()
    assert order.status == "due"
    # A genuine notification is taken; the same request sent again (same nonce) is a replay.
    body, headers = signed_notification(paid_payload(order))
    assert post_notification(client, body, headers).status_code == 200
    assert post_notification(client, body, headers).status_code == 400
    refused = AuditEntry.objects.filter(action="security.payment_notification_refused")
    assert refused.count() == 4
    assert {entry.reason for entry in refused} >= {
        "bad signature",
        "replayed notification (nonce seen before)",
    }
    assert PaymentNotification.objects.count() == 1


def test_a_refund_notification_before_the_payment_one_leaves_the_order_refunded_and_no_card(
    registered, client, django_capture_on_commit_callbacks
):
    order, _ = registered
    refunded = paid_payload(order, event="refunded", refund_no="RFX")
    with django_capture_on_commit_callbacks(execute=True):
        assert post_notification(client, *signed_notification(refunded)).status_code == 200
        assert post_notification(client, *signed_notification(paid_payload(order))).status_code == 200
    order.refresh_from_db()
    assert order.status == "refunded"
    assert not Card.objects.filter(application=order.application).exists()


def test_a_notification_with_another_amount_changes_nothing(registered, client):
    order, _ = registered
    response = post_notification(client, *signed_notification(paid_payload(order, amount_fen=100)))
    assert response.content == b"amount_mismatch"
    order.refresh_from_db()
    assert order.status == "due"


def test_bad_input_to_the_notification_endpoint_is_a_400_not_a_500(client, db):
    assert (
        client.post(reverse("payments:notify"), b"not json", content_type="application/json").status_code
        == 400
    )
    assert client.get(reverse("payments:notify")).status_code == 405


# --- the provider down ---------------------------------------------------------------------------
def test_a_provider_that_is_down_leaves_the_order_pending_and_it_is_paid_once_when_back(
    holder, approve, paysim, django_capture_on_commit_callbacks
):
    paysim.control(notify=False)
    application = approve(recommended(holder))
    order = PaymentOrder.objects.get(application=application)
    paysim.stop()
    try:
        with pytest.raises(ValidationError, match="not answering"):
            checkout(order, holder)
        order.refresh_from_db()
        assert order.status == "due" and not order.provider_order_id
    finally:
        paysim.ensure_running()
        paysim.reset()
        paysim.control(notify=False)
    pay_at_provider(checkout(order, holder))
    paysim.control(outage=True)
    assert services.order_poll(order_id=order.pk) == "unavailable"
    order.refresh_from_db()
    assert order.status == "due" and order.poll_attempts == 1 and order.next_poll_at > timezone.now()
    paysim.control(outage=False)
    later = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_poll_due(now=later) == 1
    order.refresh_from_db()
    assert order.status == "paid"
    assert services.order_poll(order_id=order.pk) == "no_change"
    assert AuditEntry.objects.filter(action="payments.order_paid").count() == 1
    assert Card.objects.filter(application=application).count() == 1


# --- refunds -----------------------------------------------------------------------------------------
def test_a_paid_fee_without_a_card_is_refunded_through_the_provider(registered, approver):
    order, pay_url = registered
    pay_at_provider(pay_url)
    assert services.order_poll(order_id=order.pk) == "applied"  # on_commit not run: no card was made
    order.refresh_from_db()
    assert services.refund_allowed(order)
    with pytest.raises(ValidationError):
        services.order_refund(actor=approver, order=order, reason="  ")
    refunded = services.order_refund(actor=approver, order=order, reason="The card could not be printed.")
    assert refunded.status == "refunded" and refunded.refund_no
    assert AuditEntry.objects.filter(action="payments.order_refunded").count() == 1


def test_a_fee_whose_card_was_made_is_not_refunded(registered, approver, django_capture_on_commit_callbacks):
    order, pay_url = registered
    pay_at_provider(pay_url)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_poll(order_id=order.pk)
    order.refresh_from_db()
    assert Card.objects.filter(application=order.application).exists()
    with pytest.raises(ValidationError, match="cannot be refunded"):
        services.order_refund(actor=approver, order=order, reason="Changed my mind.")


# --- the receipt --------------------------------------------------------------------------------------
def test_the_receipt_is_a_pdf_in_both_languages(registered, client):
    order, pay_url = registered
    client.force_login(order.application.applicant.owner)
    assert client.get(reverse("payments:order_receipt", args=[order.pk])).status_code == 404  # not paid yet
    pay_at_provider(pay_url)
    services.order_poll(order_id=order.pk)
    response = client.get(reverse("payments:order_receipt", args=[order.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "receipt").mkdir(exist_ok=True)
    pdf_pages_png(response.content, ARTIFACTS / "receipt", dpi=100)  # looked at by a person
    for words in ("缴费收据", "Receipt for a fee paid", "1800.00", order.number, "1267", "Martin", "马丽丝"):
        assert words in text, words


# --- reconciliation --------------------------------------------------------------------------------
def test_reconciliation_opens_a_finding_for_every_difference_once(holder, approve, paysim, client, approver):
    paysim.control(notify=False)
    orders = []
    for n in range(3):
        application = approve(recommended(holder))
        order = PaymentOrder.objects.get(application=application)
        pay_at_provider(checkout(order, holder))
        services.order_poll(order_id=order.pk)
        order.refresh_from_db()
        assert order.status == "paid", n
        orders.append(order)
    today = timezone.localdate()
    assert services.reconcile_day(day=today) == []  # all agree
    paysim.control(
        statement_amount_delta={orders[0].number: -100},
        statement_drop=[orders[1].number],
        statement_extra=[{"merchant_order_no": "PRUNKNOWN", "kind": "payment", "amount_fen": 180000}],
    )
    opened = services.reconcile_day(day=today)
    issues = {(f.order_number, f.issue) for f in opened}
    assert issues == {
        (orders[0].number, "amount_differs"),
        (orders[1].number, "missing_at_provider"),
        ("PRUNKNOWN", "missing_at_portal"),
    }
    assert services.reconcile_day(day=today) == []  # run again: nothing new
    assert ReconciliationFinding.objects.count() == 3
    client.force_login(approver)
    page = client.get(reverse("payments:findings")).content.decode()
    assert "PRUNKNOWN" in page and "1,799.00" in page
    client.force_login(holder)
    assert client.get(reverse("payments:findings")).status_code == 404


def test_a_refund_asked_while_the_provider_is_down_is_sent_again_with_the_same_number(
    registered, approver, paysim
):
    order, pay_url = registered
    pay_at_provider(pay_url)
    services.order_poll(order_id=order.pk)
    order.refresh_from_db()
    paysim.control(outage=True)
    pending = services.order_refund(actor=approver, order=order, reason="The approval was withdrawn.")
    assert pending.status == "paid" and pending.refund_no
    paysim.control(outage=False)
    assert services.orders_poll_due(now=timezone.now() + dt.timedelta(hours=1)) == 1
    order.refresh_from_db()
    assert order.status == "refunded" and order.refund_no == pending.refund_no
    assert services.orders_poll_due(now=timezone.now() + dt.timedelta(days=1)) == 0

"""Payments test data: an approved-by-an-approver case under the default policy (which charges the
issuance fee), the payment simulator, and helpers that pay or notify as the provider does."""

from __future__ import annotations

import itertools
import json
import secrets
import time

import pytest
import requests
from django.urls import reverse

from applications.models import Application, Status
from eligibility.selectors import policy_version_in_force
from payments import signing
from payments.models import PaymentOrder
from tests.cards.factories import approved_application, office_gd, profile_for
from tests.factories import UserFactory
from tests.payment_simulator import SECRET

NOTIFY_PATH = "/payments/notify/"


@pytest.fixture
def approver(db):
    return UserFactory(email="approver.gd@example.org", roles=["approver"], office=office_gd())


@pytest.fixture
def holder(db):
    return UserFactory(email="holder@example.org", full_name="Alice Martin", roles=["applicant"])


_passports = itertools.count(10000)


def recommended(holder, *, channel: str = "work") -> Application:
    profile = profile_for(holder, passport_number=f"18AB{next(_passports)}")
    application = approved_application(profile, status=Status.RECOMMENDED_APPROVAL)
    Application.objects.filter(pk=application.pk).update(
        stage="approval", channel=channel, policy_version=policy_version_in_force()
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def approve(approver, django_capture_on_commit_callbacks):
    """Approve a case as the approver would, running what is queued after commit."""
    from applications.services import application_approve

    def run(application: Application) -> Application:
        with django_capture_on_commit_callbacks(execute=True):
            application_approve(actor=approver, application=application, reason="All conditions met.")
        return Application.objects.get(pk=application.pk)

    return run


def checkout(order: PaymentOrder, actor) -> str:
    from payments.services import order_checkout

    return order_checkout(
        actor=actor,
        order=order,
        notify_url="http://127.0.0.1:9/payments/notify/",  # nothing listens: the tests notify themselves
        return_url="http://127.0.0.1:9/back/",
    )


def pay_at_provider(pay_url: str) -> requests.Response:
    """What the payer's browser does on the provider's page: press "Pay now"."""
    return requests.post(pay_url.split("?")[0], data={"action": "pay"}, allow_redirects=False, timeout=5)


def signed_notification(payload: dict, *, secret: str = SECRET, nonce: str | None = None, timestamp=None):
    body = json.dumps(payload).encode()
    timestamp = str(int(timestamp if timestamp is not None else time.time()))
    nonce = nonce or secrets.token_hex(16)
    headers = {
        "X-Pay-Timestamp": timestamp,
        "X-Pay-Nonce": nonce,
        "X-Pay-Signature": signing.signature(secret, "POST", NOTIFY_PATH, timestamp, nonce, body),
    }
    return body, headers


def post_notification(client, body: bytes, headers: dict):
    return client.post(
        reverse("payments:notify"),
        body,
        content_type="application/json",
        **{f"HTTP_{key.upper().replace('-', '_')}": value for key, value in headers.items()},
    )

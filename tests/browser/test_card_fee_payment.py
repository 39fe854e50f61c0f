"""The applicant pays the card fee in the browser: the status page, the order page, the payment
simulator's page (a separate process), back to the portal, the card made; in English and Chinese,
at 1280 and 375 pixels, each portal page checked with axe."""

from __future__ import annotations

import re

import pytest

from applications.models import Application, Status
from cards.models import Card
from eligibility.selectors import policy_version_in_force
from payments.models import PaymentNotification, PaymentOrder
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.cards.factories import approved_application, profile_for
from tests.conftest import ARTIFACTS, wait_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.card_fee, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(ARTIFACTS / f"card_fee_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _approved_with_fee(email: str, passport: str) -> Application:
    from applications.services import application_approve

    holder = UserFactory(email=email, full_name="Alice Martin", roles=["applicant"])
    application = approved_application(
        profile_for(holder, passport_number=passport), status=Status.RECOMMENDED_APPROVAL
    )
    Application.objects.filter(pk=application.pk).update(
        stage="approval", policy_version=policy_version_in_force()
    )
    approver = UserFactory(roles=["approver"], office=application.office)
    application_approve(
        actor=approver, application=Application.objects.get(pk=application.pk), reason="All met."
    )
    return Application.objects.get(pk=application.pk)


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        ("en", {"pay": "Pay the card fee", "provider": "Pay now", "paid": "Thank you: the fee is paid."}),
        ("zh", {"pay": "缴纳证件费", "provider": "立即支付", "paid": "谢谢，费用已缴纳"}),
    ],
)
def test_the_applicant_pays_the_card_fee_on_the_providers_page_and_the_card_is_made(
    page, live_server, paysim, language, texts
):
    application = _approved_with_fee(f"payer-{language}@example.org", f"18PAY{language.upper()}01")
    assert application.status == Status.APPROVED
    order = PaymentOrder.objects.get(application=application)
    (log_in_zh if language == "zh" else log_in)(page, application.applicant.owner.email)
    if language == "zh":
        page.goto("/")
        page.get_by_role("button", name="中文").click()
        page.wait_for_load_state()
    page.goto(f"/applications/{application.pk}/")
    _check_both_widths(page, f"status_{language}")
    page.get_by_role("link", name=texts["pay"]).click()
    page.wait_for_url(re.compile(rf"/payments/orders/{order.pk}/$"))
    assert "1,800.00" in page.content()
    _check_both_widths(page, f"order_{language}")
    page.get_by_role("button", name=texts["pay"]).click()
    page.wait_for_url(re.compile(rf"^{re.escape(paysim.url)}/pay/"))
    page.screenshot(path=str(ARTIFACTS / f"card_fee_provider_{language}.png"), full_page=True)
    page.get_by_role("button", name=texts["provider"]).click()
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/payments/orders/{order.pk}/$"))
    assert texts["paid"] in page.content()
    _check_both_widths(page, f"paid_{language}")
    order.refresh_from_db()
    assert order.status == "paid"
    wait_for(lambda: Card.objects.filter(application=application).exists(), timeout=30, message="the card")
    # The provider's signed notification reached /payments/notify/ over HTTP and was verified
    # (the return page may have found the payment first; the notification then changes nothing).
    wait_for(
        lambda: PaymentNotification.objects.filter(order=order, event="paid").exists(),
        timeout=30,
        message="the provider's notification",
    )
    with page.expect_download() as download:
        page.locator(f"a[href$='/payments/orders/{order.pk}/receipt.pdf']").click()
    assert download.value.suggested_filename == f"receipt-{order.number}.pdf"


def test_officers_read_the_reconciliation_findings(page):
    import datetime as dt

    from payments.models import ReconciliationFinding
    from tests.cards.factories import office_gd

    officer = UserFactory(email="mona.fee@example.org", roles=["management_officer"], office=office_gd())
    day = dt.date(2026, 12, 3)
    ReconciliationFinding.objects.create(
        day=day,
        order_number="PR20261203AAAA",
        entry_kind="payment",
        issue="amount_differs",
        portal_amount_fen=180000,
        provider_amount_fen=179900,
    )
    ReconciliationFinding.objects.create(
        day=day,
        order_number="PR20261203BBBB",
        entry_kind="payment",
        issue="missing_at_portal",
        provider_amount_fen=180000,
    )
    log_in(page, officer.email)
    page.goto("/payments/reconciliation/")
    assert page.get_by_role("heading", name="Payment reconciliation").is_visible()
    assert (
        "1,799.00" in page.content()
        and "In the provider's statement, not in the portal's records" in page.content()
    )
    _check_both_widths(page, "findings_en")

"""The holder asks for a replacement card and pays its fee in the browser: the card page, the order
page, the payment simulator's page (a separate process), back to the portal; the management
officer can then issue the new card. English and Chinese, 1280 and 375 pixels, axe-checked."""

from __future__ import annotations

import re

import pytest

from cards.models import Card, CardRequest
from cards.services import card_request_issue
from payments.models import PaymentOrder
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.cards.factories import issued_card
from tests.conftest import ARTIFACTS
from tests.factories import OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.card_fee, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(ARTIFACTS / f"request_fee_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            {
                "kind": "What do you need?",
                "replacement": "Replacement",
                "lost": "Lost or stolen",
                "ask": "Ask for a new card",
                "pay_link": "Pay the fee (¥600.00)",
                "pay": "Pay the card fee",
                "provider": "Pay now",
                "paid": "The management officers can now issue your new card",
            },
        ),
        (
            "zh",
            {
                "kind": "您需要办理什么？",
                "replacement": "补领",
                "lost": "遗失或被盗",
                "ask": "申请新证件",
                "pay_link": "缴纳费用（¥600.00）",
                "pay": "缴纳证件费",
                "provider": "立即支付",
                "paid": "管理民警现在可以签发你的新证件",
            },
        ),
    ],
)
def test_the_holder_pays_the_replacement_fee_and_the_officer_can_then_issue(
    page, live_server, paysim, settings, language, texts
):
    holder = UserFactory(
        email=f"replace-{language}@example.org", full_name="Alice Martin", roles=["applicant"]
    )
    settings.PAYMENTS_FEES_CHARGED = False  # the first card's own fee is not what this test is about
    card = issued_card(holder, passport_number=f"18REP{language.upper()}01")
    settings.PAYMENTS_FEES_CHARGED = True
    (log_in_zh if language == "zh" else log_in)(page, holder.email)
    if language == "zh":
        page.goto("/")
        page.get_by_role("button", name="中文").click()
        page.wait_for_load_state()
    page.goto("/cards/mine/")
    page.get_by_label(texts["kind"]).select_option(label=texts["replacement"])
    # "Reason" also names the refusal reasons elsewhere; the select is the form's own.
    page.locator("select[name=reason]").select_option(label=texts["lost"])
    page.get_by_role("button", name=texts["ask"]).click()
    page.wait_for_load_state()
    request = CardRequest.objects.get(card=card)
    order = PaymentOrder.objects.get(card_request=request)
    assert (order.kind, order.amount_fen, order.status) == ("replacement", 60000, "due")
    _check_both_widths(page, f"card_{language}")
    page.get_by_role("link", name=texts["pay_link"]).click()
    page.wait_for_url(re.compile(rf"/payments/orders/{order.pk}/$"))
    assert "600.00" in page.content()
    _check_both_widths(page, f"order_{language}")
    page.get_by_role("button", name=texts["pay"]).click()
    page.wait_for_url(re.compile(rf"^{re.escape(paysim.url)}/pay/"))
    page.get_by_role("button", name=texts["provider"]).click()
    page.wait_for_url(re.compile(rf"{re.escape(live_server.url)}/payments/orders/{order.pk}/$"))
    assert texts["paid"] in page.content()
    _check_both_widths(page, f"paid_{language}")
    order.refresh_from_db()
    assert order.status == "paid"
    officer = UserFactory(roles=["management_officer"], office=OfficeFactory())
    new = card_request_issue(actor=officer, request=request)
    assert new.previous_id == card.pk and Card.objects.get(pk=card.pk).status == Card.Status.REPLACED

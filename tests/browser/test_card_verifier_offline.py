"""The counter verifier works offline once loaded: a good card is valid, a revoked one (from the downloaded
list) is revoked, an altered code is not verifiable; in English and Chinese, at 1280 and 375 px."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import ARTIFACTS
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LABELS = {
    "en": {
        "valid": "Valid",
        "revoked": "Revoked",
        "bad": "Not verifiable",
        "code": "Scanned code",
        "go": "Verify",
    },
    "zh": {"valid": "有效", "revoked": "已取消", "bad": "无法验证", "code": "扫描所得代码", "go": "验证"},
}


def _token(card) -> str:
    from cards.tokens import signed_token

    with card.photo.open("rb") as handle:
        return signed_token(card, photo=handle.read())


@pytest.fixture
def cards(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "p"), "base_url": None},
        },
    }
    from cards.services import revocation_decide, revocation_open
    from tests.cards.factories import issued_card

    good = issued_card(
        UserFactory(email="good.card@example.org", full_name="Alice Martin", roles=["applicant"])
    )
    bad = issued_card(
        UserFactory(email="revoked.card@example.org", full_name="Bruno Keller", roles=["applicant"]),
        family_name="Keller",
        given_names="Bruno",
        chinese_name="",
        birth_date=dt.date(1979, 9, 30),
        passport_number="C01X00T47",
        nationality="DEU",
    )
    office = OfficeFactory()
    mona = UserFactory(email="mona.v@example.org", roles=["management_officer"], office=office)
    arthur = UserFactory(email="arthur.v@example.org", roles=["approver"], office=office)
    case = revocation_open(actor=mona, card=bad, ground="fraud", evidence="Forged tax records.")
    revocation_decide(actor=arthur, case=case, decision="revoke", reason="Forged.")
    return good, bad


def _tampered(token: str) -> str:
    import cbor2

    from cards import offline

    message = cbor2.loads(offline.from_b64url(token))
    protected, unprotected, body, signature = message.value
    payload = dict(cbor2.loads(body))
    payload[offline.CARD_EXPIRES] = 20991231
    return offline.b64url(
        cbor2.dumps(cbor2.CBORTag(18, [protected, dict(unprotected), cbor2.dumps(payload), signature]))
    )


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("width", [1280, 375])
def test_the_verifier_checks_cards_offline_after_its_first_load(browser, live_server, cards, language, width):
    good, revoked = cards
    labels = LABELS[language]
    shots = ARTIFACTS / "card-verifier"
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language == "zh" else "en-GB",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/cards/check/")
    # The service worker has kept the page, its script, the key set and the revocation list.
    page.wait_for_selector("html[data-verifier-offline='ready']")
    assert page.locator("#verifier-list").inner_text()
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", level=1).count() == 1

    def verify(text: str) -> str:
        page.get_by_label(labels["code"]).fill(text)
        page.get_by_role("button", name=labels["go"], exact=True).click()
        # The previous answer is taken away first; wait for this one.
        answer = page.locator(f".verifier-answer[data-code='{len(text)}:{text[-12:]}'] .verify-status")
        answer.wait_for()
        return answer.inner_text()

    base = live_server.url
    assert verify(f"{base}/cards/verify/{_token(good)}/") == labels["valid"]
    assert good.number in page.locator(".verifier-answer").inner_text()
    page.screenshot(path=str(shots / f"{width}-{language}-valid.png"), full_page=True)
    assert_accessible(page)
    assert verify(f"{base}/cards/verify/{_token(revoked)}/") == labels["revoked"]
    page.screenshot(path=str(shots / f"{width}-{language}-revoked.png"), full_page=True)
    assert verify(_tampered(_token(good))) == labels["bad"]
    assert good.latin_name not in page.locator(".verifier-answer").inner_text()
    page.screenshot(path=str(shots / f"{width}-{language}-tampered.png"), full_page=True)
    assert_accessible(page)
    context.set_offline(False)
    # Online again: the portal's own answer ("checked online").
    assert verify(f"{base}/cards/verify/{_token(revoked)}/") == labels["revoked"]
    context.close()

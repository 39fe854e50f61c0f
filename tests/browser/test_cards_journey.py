"""From an approver's decision to a card a service window checks, and its revocation."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from applications.models import Application, Status
from cards.models import Card
from cards.services import institution_api_key_issue, institution_create
from tests.browser.conftest import assert_accessible, log_in
from tests.cards.factories import approved_application, office_gd, profile_for
from tests.cards.pdftools import qr_codes
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/cards")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_decision_makes_a_card_whose_qr_code_says_valid_then_revoked(page, tmp_path, settings):
    from applications.services import application_approve, application_submit

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "p"), "base_url": None},
        },
    }
    cache.clear()
    holder = UserFactory(email="alice.card@example.org", full_name="Alice Martin", roles=["applicant"])
    approver = UserFactory(
        email="arthur.card@example.org", full_name="Arthur Li", roles=["approver"], office=office_gd()
    )
    mona = UserFactory(
        email="mona.card@example.org", full_name="Mona Wang", roles=["management_officer"], office=office_gd()
    )
    admin = UserFactory(
        email="root.card@example.org", roles=["system_admin"], is_staff=True, is_superuser=True
    )
    application = approved_application(profile_for(holder), status=Status.RECOMMENDED_APPROVAL)
    Application.objects.filter(pk=application.pk).update(stage="approval")

    # The approver's decision; the card is made once the decision commits.
    application_approve(actor=approver, application=Application.objects.get(pk=application.pk), reason="Met.")
    card = Card.objects.get(application=application)

    log_in(page, holder.email)
    page.goto("/cards/mine/")
    assert_accessible(page)
    shot(page, "my-card-desktop-en")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download PR card")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (url,) = qr_codes(pdf)

    page.goto(urlparse(url).path)
    assert_accessible(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Valid"
    assert "MARTIN Alice Claire" in page.content()
    shot(page, "public-verify-valid")

    # The bank asks through the API with its own key.
    bank = institution_create(actor=admin, name_en="Bank of Guangzhou", name_zh="广州银行", kind="bank")
    _key, raw = institution_api_key_issue(actor=admin, institution=bank)
    api = APIClient()

    def ask() -> str:
        return api.post(
            "/api/cards/verify/",
            {"card_number": card.number, "birth_date": "1985-04-12"},
            format="json",
            HTTP_X_API_KEY=raw,
        ).json()["answer"]

    assert ask() == "valid"

    # A management officer opens the case; an approver (another person) decides it.
    page.context.clear_cookies()
    log_in(page, mona.email)
    page.goto("/cards/revocations/")
    assert_accessible(page)
    page.get_by_label("Card number").fill(card.number)
    page.get_by_label("Ground").select_option("fraud")
    page.get_by_label("Evidence").fill("The tax certificates were forged.")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url(re.compile(r"/cards/revocations/\d+/"))
    assert_accessible(page)
    case_path = urlparse(page.url).path

    page.context.clear_cookies()
    log_in(page, approver.email)
    page.goto(case_path)
    page.get_by_label("Revoke the card and set the ban").check()
    page.get_by_label("Reasons for the decision").fill("Forged tax certificates (see evidence).")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("The decision was recorded.").wait_for()
    assert_accessible(page)
    shot(page, "revocation-decided")

    page.goto(urlparse(url).path)
    assert page.get_by_role("heading", level=1).inner_text() == "Revoked"
    assert ask() == "revoked"

    # The person cannot apply again until the ban ends.
    import applications.services as application_services

    draft = Application.objects.create(
        channel="work", applicant=card.profile, created_by=holder, province="CN-GD", city_code="440100"
    )
    original = application_services._facts_errors
    application_services._facts_errors = lambda application: {}
    try:
        with pytest.raises(Exception, match="You may not apply before"):
            application_submit(actor=holder, application=draft, declaration=True)
    finally:
        application_services._facts_errors = original
    assert Application.objects.get(pk=draft.pk).status == Status.DRAFT


def test_the_pages_read_well_on_a_phone_and_in_chinese(phone_page, page, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "p"), "base_url": None},
        },
    }
    from tests.cards.factories import issued_card

    holder = UserFactory(email="amelie.card@example.org", full_name="Alice Martin", roles=["applicant"])
    card = issued_card(holder)
    from cards.tokens import verification_token

    for target, suffix in ((phone_page, "phone"), (page, "desktop")):
        log_in(target, holder.email)
        target.goto("/cards/mine/")
        assert_accessible(target)
        shot(target, f"my-card-{suffix}-en")
        target.get_by_role("button", name="中文").click()
        target.wait_for_load_state()
        assert_accessible(target)
        shot(target, f"my-card-{suffix}-zh")
        target.goto(f"/cards/verify/{verification_token(card.number)}/")
        assert_accessible(target)
        shot(target, f"public-verify-{suffix}-zh")
    admin = UserFactory(
        email="root2.card@example.org", roles=["system_admin"], is_staff=True, is_superuser=True
    )
    page.context.clear_cookies()
    log_in(page, admin.email)
    page.goto("/cards/institutions/")
    page.get_by_label("Name (English)").fill("Guangzhou Railway")
    page.get_by_label("Name (Chinese)").fill("广州铁路")
    page.get_by_label("Kind").select_option("rail")
    page.get_by_role("button", name="Add").click()
    page.get_by_role("button", name="Issue a new key").click()
    assert re.match(r"^[0-9a-f]{8}\.", page.get_by_label("API key").input_value())
    assert_accessible(page)
    shot(page, "institution-key")
    mona = UserFactory(email="mona2.card@example.org", roles=["management_officer"], office=office_gd())
    page.context.clear_cookies()
    log_in(page, mona.email)
    page.goto("/cards/residence/")
    assert_accessible(page)
    shot(page, "residence")

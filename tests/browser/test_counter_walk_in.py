"""A walk-in at a service window, in the browser: filed by counter staff (English and Chinese), claimed by
the applicant, the in-person intake recorded by the intake officer before accepting, the card handed over."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from applications import services as application_services
from applications.models import Application
from cards import services as card_services
from counters.models import CardCollection, IntakeRecord, WalkIn
from residence.accounts.models import Office
from tests.applications.factories import fill_draft, offices
from tests.browser.conftest import assert_accessible, log_in
from tests.cards.factories import approved_application
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"counter_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _fill_walk_in(page, *, family_name: str, passport: str, email: str) -> None:
    form = page.locator("#walk-in-form")
    for name, value in (
        ("family_name", family_name),
        ("given_names", "Grace"),
        ("birth_date", "1979-06-14"),
        ("passport_number", passport),
        ("passport_expiry", "2035-01-01"),
        ("email", email),
        ("address", "8 Zhujiang Road, Guangzhou"),
    ):
        form.locator(f"[name='{name}']").fill(value)
    for name, value in (
        ("sex", "F"),
        ("nationality", "NGA"),
        ("province", "CN-GD"),
        ("city_code", "440100"),
        ("channel", "work"),
    ):
        form.locator(f"select[name='{name}']").select_option(value)


def _code(email: str) -> str:
    body = [m for m in mail.outbox if m.to == [email]][-1].body
    return re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1)


def test_a_walk_in_is_filed_claimed_taken_in_and_its_card_collected(page, browser, live_server):
    tree = offices()
    centre = Office.objects.create(
        code="gd-ftsc",
        name_en="Guangdong Foreign Talent Service Centre",
        name_zh="广东省外国人才服务中心",
        level="provincial",
        province="CN-GD",
        parent=tree["gd"],
        kind=Office.Kind.SERVICE_CENTRE,
        address_en="Tianhe District, Guangzhou",
        address_zh="广州市天河区",
        phone="020-0000-0002",
    )
    cora = UserFactory(
        email="cora.br@example.org", full_name="Cora Lin", roles=["counter_staff"], office=centre
    )
    ivan = UserFactory(
        email="ivan.br@example.org", full_name="Ivan Zhou", roles=["intake_officer"], office=tree["gd-gz"]
    )
    grace = UserFactory(email="grace.br@example.org", full_name="Grace Okafor", roles=["applicant"])

    # Counter staff file for a walk-in: the consent is refused when not ticked, then the draft opens.
    log_in(page, cora.email)
    page.goto("/counters/")
    page.get_by_role("link", name="File for a walk-in applicant").click()
    _fill_walk_in(page, family_name="Okafor", passport="A12345678", email="grace.mail@example.org")
    page.locator("#walk-in-form button[type=submit]").click()
    assert "The applicant must agree" in page.content()
    assert not WalkIn.objects.exists()
    _check_both_widths(page, "walk_in_error_en")
    page.locator("#walk-in-form input[name='consent']").check()
    page.locator("#walk-in-form button[type=submit]").click()
    assert "the claim code was sent to grace.mail@example.org" in page.content()
    walk_in = WalkIn.objects.get()
    # The facts and scans go through the application's own pages, as online (journeys test those);
    # here the same services fill them in, as the window's staff member.
    application = fill_draft(walk_in.application, actor=cora)
    application_services.application_submit(actor=cora, application=application, declaration=True)

    # A second walk-in, in Chinese.
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    page.goto("/counters/walk-ins/new/")
    _fill_walk_in(page, family_name="Mensah", passport="B7654321", email="kofi@example.org")
    page.locator("#walk-in-form input[name='consent']").check()
    page.locator("#walk-in-form button[type=submit]").click()
    assert WalkIn.objects.count() == 2
    page.goto("/counters/")
    assert page.get_by_role("heading", name=re.compile("服务窗口")).is_visible()
    _check_both_widths(page, "workspace_zh")

    # The applicant claims the case in their own account: a wrong code first.
    applicant = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    applicant.set_default_timeout(15_000)
    phone = applicant.new_page()
    log_in(phone, grace.email)
    phone.goto("/counters/claim/")
    phone.locator("#claim-form input[name='code']").fill("AAAA-BBBB-CCCC")
    phone.locator("#claim-form button[type=submit]").click()
    assert "This code is not valid" in phone.content()
    _check_both_widths(phone, "claim_error_en")
    phone.locator("#claim-form input[name='code']").fill(_code("grace.mail@example.org"))
    phone.locator("#claim-form button[type=submit]").click()
    assert f"Application {application.reference} is now in your account." in phone.content()
    assert Application.objects.get(pk=application.pk).applicant.owner == grace
    phone.goto("/applications/")
    assert application.reference in phone.content()

    # The intake officer cannot accept before the in-person checks, records them, then accepts.
    officer = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    officer.set_default_timeout(15_000)
    desk = officer.new_page()
    log_in(desk, ivan.email)
    desk.goto(f"/cases/{application.pk}/")
    assert "the case cannot be accepted before it is" in desk.content()
    desk.get_by_role("link", name="Record the in-person intake").click()
    desk.locator("#intake-form input[name='passport_checked']").check()
    desk.locator("#intake-form input[name='photo_taken']").check()
    desk.locator("#intake-form input[name='fingerprints_taken']").check()
    _check_both_widths(desk, "intake_en")
    desk.locator("#intake-form button[type=submit]").click()
    assert "The in-person intake is recorded." in desk.content()
    assert IntakeRecord.objects.get(application=application).operator == ivan
    desk.goto(f"/cases/{application.pk}/")
    desk.locator("form[action$='/actions/accept/'] button[type=submit]").click()
    assert "The case is accepted." in desk.content()

    # A card for the applicant waits at the centre; the counter staff hand it over to a person with a letter.
    approved = approved_application(Application.objects.get(pk=application.pk).applicant)
    Application.objects.filter(pk=approved.pk).update(office=centre)
    card = card_services.card_issue_for_application(application_id=approved.pk)
    collection = CardCollection.objects.get(card=card)
    assert collection.place == centre
    page.goto("/counters/")
    _check_both_widths(page, "workspace_card_zh")
    page.get_by_role("link", name=re.compile(card.number)).click()
    page.locator("#collection-form input[value='authorised']").check()
    page.locator("#collection-form input[name='id_checked']").check()
    page.locator("#collection-form button[type=submit]").click()
    assert CardCollection.objects.get(pk=collection.pk).collected_at is None
    _check_both_widths(page, "collection_error_zh")
    page.locator("#collection-form input[name='authorised_name']").fill("李明")
    page.locator("#collection-form input[name='authorised_id_number']").fill("440101199001011234")
    page.locator("#collection-form input[name='letter_reference']").fill("AUTH-2026-7")
    page.locator("#collection-form input[name='id_checked']").check()
    page.locator("#collection-form button[type=submit]").click()
    assert CardCollection.objects.get(pk=collection.pk).collected_at is not None
    _check_both_widths(page, "collection_done_zh")
    applicant.close()
    officer.close()

"""The applications journey in a real browser: an applicant submits, four officers and the applicant
take the case through intake, review, an evidence request, recommendation and approval."""

from __future__ import annotations

import re

import pytest

from applications import services
from applications.models import Application, Status
from tests.applications.factories import officer, offices, png_bytes
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Large enough to serve as the card photo too (at least 300 x 370 pixels).
PNG = {"name": "scan.png", "mimeType": "image/png", "buffer": png_bytes((360, 450))}


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Transactional tests flush what data migrations installed: the role groups and the policy."""
    from django.contrib.auth.models import Group

    from eligibility.services import policy_install_default
    from residence.accounts.models import Role

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    policy_install_default()


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


def log_out(page) -> None:
    page.get_by_role("button", name=re.compile("Log out|退出登录")).click()
    page.wait_for_load_state()


def go(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def submit_and_check(page, button) -> None:
    button.click()
    page.wait_for_load_state()
    assert_accessible(page)


def fill_profile(page) -> None:
    page.get_by_label("Family name (as in passport)").fill("Novak")
    page.get_by_label("Given names (as in passport)").fill("Dana")
    page.get_by_label("Sex", exact=True).select_option("F")
    page.get_by_label("Date of birth").fill("1984-05-06")
    page.get_by_label("Nationality").select_option("CZE")
    page.get_by_label("Passport number").fill("C1234567")
    page.get_by_label("Passport expiry date").fill("2034-01-01")
    page.get_by_label("Contact e-mail").fill("dana@example.org")
    page.get_by_label("Address in China").fill("8 Zhujiang Road, Tianhe")
    page.get_by_label("Province of residence").select_option("CN-GD")
    page.get_by_label("City", exact=True).select_option("440100")


def fill_work_facts(page) -> None:
    page.get_by_label("Employer", exact=True).fill("Canton Robotics Ltd")
    page.get_by_label("Employer's unified social credit code").fill("91440101MA5C000010")
    page.get_by_label("Employer type").select_option("private")
    page.get_by_label("Province of work").select_option("CN-GD")
    page.get_by_label("Start of employment").fill("2016-03-01")
    page.get_by_label("Annual salary (CNY)").fill("600000")
    page.get_by_label("Annual income tax (CNY)").fill("150000")
    page.get_by_label("Highest education").select_option("master")
    for row in range(1, 5):
        page.get_by_label(f"Year {row}", exact=True).fill(str(2026 - row))
        page.get_by_label(f"Days in China {row}", exact=True).fill("300")


def upload_every_document(page) -> None:
    slots = page.locator("main section.document-slot")
    count = slots.count()
    assert count >= 1
    for index in range(count):
        # Each slot posts through htmx and is replaced in place: wait for its answer and new badge.
        slot = slots.nth(index).get_attribute("id")
        page.locator(f"#{slot} input[type=file]").set_input_files(PNG)
        with page.expect_response(lambda r: r.request.method == "POST" and "/steps/documents/" in r.url):
            page.locator(f"#{slot} button[type=submit]").click()
        page.locator(f"#{slot} .badge.ok").wait_for()
    assert page.get_by_text("Missing").count() == 0
    assert_accessible(page)


def officer_action(page, code: str, reason: str = "") -> None:
    form = page.locator(f"form[action$='/actions/{code}/']")
    if reason:
        form.get_by_role("textbox").fill(reason)
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert_accessible(page)


def open_case(page, stage: str, reference: str) -> None:
    go(page, f"/cases/?stage={stage}")
    page.get_by_role("link", name=reference).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"Case {reference}"
    assert_accessible(page)


def test_a_work_application_goes_from_submission_to_approval_across_five_accounts(page):
    tree = offices()
    applicant = UserFactory(email="dana@example.org", full_name="Dana Novak", roles=["applicant"])
    officer("intake_officer", tree["gd-gz"], email="ivan@example.org", full_name="Ivan Intake")
    officer("reviewer", tree["gd"], email="rita@example.org", full_name="Rita Review")
    officer("approver", tree["nia"], email="nadia@example.org", full_name="Nadia Approve")

    # The applicant starts, saves a draft half way, resumes and submits.
    log_in(page, applicant.email)
    assert_accessible(page)
    page.get_by_role("link", name="Start a new application").first.click()
    assert_accessible(page)
    page.locator("input[value=work]").check()
    submit_and_check(page, page.get_by_role("button", name="Continue"))
    assert page.get_by_role("heading", level=1).inner_text() == "About the applicant"
    fill_profile(page)
    submit_and_check(page, page.get_by_role("button", name="Save and continue"))
    fill_work_facts(page)
    page.get_by_label("Annual salary (CNY)").fill("-1")
    submit_and_check(page, page.get_by_role("button", name="Save and continue"))
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    page.get_by_label("Annual salary (CNY)").fill("600000")
    submit_and_check(page, page.get_by_role("button", name="Save as draft and leave"))
    application = Application.objects.get(applicant__owner=applicant)
    assert page.url.endswith(f"/applications/{application.pk}/")

    page.get_by_role("link", name="Continue the application").click()
    page.get_by_role("link", name="Family members").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_role("link", name="Continue", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Documents"
    upload_every_document(page)
    page.get_by_role("link", name="Continue", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label(re.compile("^I declare")).check()
    submit_and_check(page, page.get_by_role("button", name="Submit the application"))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert page.get_by_role("heading", name="Eligibility result").is_visible()
    reference = application.reference
    log_out(page)

    # Intake accepts: there are no verification checks yet, so it goes straight to review.
    log_in(page, "ivan@example.org")
    assert_accessible(page)
    open_case(page, "intake", reference)
    # The in-person checks first (issue 15), from the case page.
    page.get_by_role("link", name="Record the in-person intake").click()
    for name in ("passport_checked", "photo_taken", "fingerprints_taken"):
        page.locator(f"#intake-form input[name='{name}']").check()
    page.locator("#intake-form button[type=submit]").click()
    assert page.get_by_text("The in-person intake is recorded.").is_visible()
    open_case(page, "intake", reference)
    officer_action(page, "accept")
    assert page.get_by_text("The case is accepted.").is_visible()
    application.refresh_from_db()
    if application.status == Status.VERIFYING:
        # The checks with other agencies are listed; the verification app (issue #6) ends the
        # stage when each has its result, which is what this stands in for.
        assert page.get_by_role("heading", name="Verification checks").is_visible()
        services.application_verification_completed(application=application)
    log_out(page)

    log_in(page, "rita@example.org")
    open_case(page, "review", reference)
    officer_action(page, "request_evidence", "Please send your 2024 individual income tax record.")
    log_out(page)

    log_in(page, applicant.email)
    go(page, f"/applications/{application.pk}/")
    assert page.get_by_text("Please send your 2024 individual income tax record.").first.is_visible()
    page.get_by_role("link", name="Answer the request for evidence").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.get_by_label("Your answer").fill("The tax record is attached.")
    page.get_by_label("Supporting document (optional)").set_input_files(PNG)
    submit_and_check(page, page.get_by_role("button", name="Send my answer"))
    go(page, "/notifications/")
    log_out(page)

    log_in(page, "rita@example.org")
    open_case(page, "review", reference)
    officer_action(page, "recommend_approval", "Salary and tax meet the points threshold.")
    log_out(page)

    log_in(page, "nadia@example.org")
    open_case(page, "approval", reference)
    officer_action(page, "approve")
    go(page, "/cases/workload/")
    log_out(page)

    application.refresh_from_db()
    # The cards app may already have issued the card after the approval's commit.
    assert application.status in (Status.APPROVED, Status.CARD_ISSUED)
    log_in(page, applicant.email)
    go(page, f"/applications/{application.pk}/")
    assert page.get_by_text(re.compile("^(Approved|Card issued)$")).first.is_visible()


def test_the_applicant_journey_reads_in_chinese(page):
    tree = offices()
    officer("intake_officer", tree["gd-gz"], email="ivan@example.org")
    applicant = UserFactory(email="li@example.org", full_name="Li Wei", roles=["applicant"])
    log_in(page, applicant.email)
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    go(page, "/applications/")
    assert page.get_by_role("heading", level=1).inner_text() == "我的申请"
    page.get_by_role("link", name="开始新的申请").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.locator("input[value=family]").check()
    submit_and_check(page, page.get_by_role("button", name="继续"))
    assert page.get_by_role("heading", level=1).inner_text() == "申请人信息"
    # An empty form: the errors are in Chinese and linked to their fields.
    submit_and_check(page, page.get_by_role("button", name="保存并继续"))
    assert page.get_by_role("alert").filter(has_text="提交内容有误").is_visible()


def test_the_queue_and_the_form_fit_a_320_pixel_phone(phone_page):
    tree = offices()
    applicant = UserFactory(email="pat@example.org", roles=["applicant"])
    officer("intake_officer", tree["gd-gz"], email="ivan@example.org")
    log_in(phone_page, applicant.email)
    go(phone_page, "/applications/new/work/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 320
    log_out(phone_page)
    log_in(phone_page, "ivan@example.org")
    go(phone_page, "/cases/")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_other_pages_are_accessible_intermediaries_withdraw_dependants_supervisor_queue(page):
    from tests.applications.factories import ProfileFactory, submitted

    tree = offices()
    applicant = UserFactory(email="eve@example.org", full_name="Eve Adams", roles=["applicant"])
    UserFactory(email="agent@example.org", full_name="Agent Ames", roles=["intermediary"])
    officer("intake_officer", tree["gd-gz"], email="ivan@example.org", full_name="Ivan Intake")
    officer("approver", tree["nia"], email="nadia@example.org", full_name="Nadia Approve")
    application = submitted(ProfileFactory(owner=applicant))
    draft = services.application_create(
        actor=applicant, profile=ProfileFactory(owner=applicant), channel="family"
    )

    log_in(page, applicant.email)
    go(page, "/intermediaries/")
    page.get_by_label("The intermediary's e-mail address").fill("agent@example.org")
    submit_and_check(page, page.get_by_role("button", name="Authorise", exact=True))
    assert page.get_by_role("button", name="Revoke Agent Ames").is_visible()
    go(page, f"/applications/{draft.pk}/steps/dependants/")
    page.get_by_text("Add a family member").click()
    submit_and_check(page, page.get_by_role("button", name="Add this family member"))
    assert page.get_by_role("alert").first.is_visible()
    go(page, f"/applications/{draft.pk}/steps/facts/")
    go(page, f"/applications/{application.pk}/withdraw/")
    submit_and_check(page, page.get_by_role("button", name="Yes, withdraw it"))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    log_out(page)

    log_in(page, "agent@example.org")
    assert_accessible(page)
    go(page, "/clients/")
    assert page.get_by_role("link", name=application.reference).is_visible()
    log_out(page)

    other = submitted(ProfileFactory())
    log_in(page, "nadia@example.org")
    go(page, "/cases/?stage=intake")
    page.get_by_label(f"Select {other.reference}").check()
    page.get_by_label("Give the ticked cases to").select_option(label="Ivan Intake: holds 0, 0 overdue")
    submit_and_check(page, page.get_by_role("button", name="Assign"))
    other.refresh_from_db()
    assert other.claimed_by.email == "ivan@example.org"

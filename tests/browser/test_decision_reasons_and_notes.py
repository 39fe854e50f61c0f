"""An approver refuses citing the criteria not met, then writes an internal note mentioning a colleague (issue 16)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from applications import services
from applications.models import Application, Status
from residence.accounts.models import Role
from tests.applications.factories import ProfileFactory, officer, offices, submitted
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = ARTIFACTS / "decision-reasons"


def _awaiting_refusal(reviewer) -> Application:
    """A case in review (its stored result failing the tax-share requirement) that the reviewer
    recommends refusing."""
    application = submitted(ProfileFactory())
    snapshot = application.eligibility_snapshot
    for criterion in snapshot["criteria"]:
        if criterion["id"] == "work_tax_share":
            criterion["outcome"] = "not_met"
    Application.objects.filter(pk=application.pk).update(
        eligibility_snapshot=snapshot, status=Status.IN_REVIEW, stage="review"
    )
    services.application_recommend(
        actor=reviewer,
        application=Application.objects.get(pk=application.pk),
        recommendation="refuse",
        reason="The tax paid is below the required share.",
        criteria=["work_tax_share"],
    )
    return application


@pytest.fixture
def cases(settings, tmp_path):
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }
    tree = offices()
    officer("approver", tree["nia"], email="nadia@example.org", full_name="Nadia Wang")
    rita = officer("reviewer", tree["gd"], email="rita@example.org", full_name="Rita Chen")
    return _awaiting_refusal(rita), _awaiting_refusal(rita)


def _refuse_and_note(page, case, *, reason: str, note: str) -> None:
    page.goto(f"/cases/{case.pk}/")
    form = page.locator("form[aria-labelledby=action-refuse]")
    form.locator("textarea").fill(reason)
    form.locator("button[type=submit]").click()
    # No criterion and no ground: refused with the reason on the form, nothing decided.
    page.locator("form[aria-labelledby=action-refuse] .field-error").first.wait_for()
    assert Application.objects.get(pk=case.pk).status == Status.RECOMMENDED_REFUSAL
    SHOTS.mkdir(parents=True, exist_ok=True)
    form = page.locator("form[aria-labelledby=action-refuse]")
    form.screenshot(path=str(SHOTS / f"refuse-form-refused-{page.viewport_size['width']}.png"))
    form.locator("input[name=refuse-criteria][value=work_tax_share]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert Application.objects.get(pk=case.pk).status == Status.REFUSED
    page.locator("#id_body").fill(note)
    page.locator("section[aria-labelledby=notes-heading] button[type=submit]").click()
    page.locator("[data-testid=case-notes]").wait_for()


def test_an_approver_refuses_with_criteria_and_mentions_a_colleague_in_english_at_1280(
    cases, page, browser, live_server
):
    case = cases[0]
    log_in(page, "nadia@example.org")
    page.goto(f"/cases/{case.pk}/")
    refuse = page.locator("form[aria-labelledby=action-refuse]")
    assert refuse.get_by_role("group", name="Criteria relied on").is_visible()
    assert refuse.get_by_label("Income tax at least 20% of salary (not met)").is_visible()
    assert refuse.get_by_label("A criminal record").is_visible()
    _refuse_and_note(
        page,
        case,
        reason="Income tax is 10% of salary.",
        note="Employer's filings look late. @rita@example.org can you check the tax bureau's answer?",
    )
    decision = page.locator("section[aria-labelledby=rec-heading]")
    assert decision.get_by_text("Policy version 2016.1-default").first.is_visible()
    assert decision.get_by_text("Income tax at least 20% of salary (not met)").last.is_visible()
    notes = page.locator("[data-testid=case-notes]")
    assert notes.get_by_text("Employer's filings look late.").is_visible()
    assert notes.get_by_text("Told: Rita Chen").is_visible()
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-refused-en-1280.png"), full_page=True)

    # Rita finds the mention in her inbox and follows it to the case's notes.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    rita = context.new_page()
    log_in(rita, "rita@example.org")
    rita.goto("/notifications/")
    link = rita.get_by_role("link", name=f"You were mentioned in an internal note on case {case.reference}.")
    link.click()
    rita.wait_for_url(f"**/cases/{case.pk}/#notes-heading")
    assert rita.get_by_text("Employer's filings look late.").is_visible()
    assert_accessible(rita)
    context.close()


def test_the_same_in_chinese_on_a_phone_at_375(cases, browser, live_server):
    case = cases[1]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="zh-CN"
    )
    context.set_default_timeout(15_000)
    phone = context.new_page()
    log_in_zh(phone, "nadia@example.org")
    phone.goto(f"/cases/{case.pk}/")
    refuse = phone.locator("form[aria-labelledby=action-refuse]")
    assert refuse.get_by_role("group", name="所依据的条件").is_visible()
    assert refuse.get_by_label("年缴纳个人所得税不低于工资性年收入的20%（不符合）").is_visible()
    assert refuse.get_by_label("有犯罪记录").is_visible()
    _refuse_and_note(
        phone, case, reason="个人所得税仅为工资的10%。", note="请 @rita@example.org 核对税务部门的答复。"
    )
    decision = phone.locator("section[aria-labelledby=rec-heading]")
    assert decision.get_by_text("政策版本 2016.1-default").first.is_visible()
    assert phone.locator("[data-testid=case-notes]").get_by_text("请 @rita@example.org").is_visible()
    assert_accessible(phone)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "case-refused-zh-375.png"), full_page=True)
    context.close()

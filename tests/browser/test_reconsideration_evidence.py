"""The deciding office asks for evidence; the person answers with a file (in Chinese); the officer sees it."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications.models import Application, Status
from reconsideration.models import Reconsideration
from reconsideration.services import reconsideration_lodge
from tests.applications.factories import pdf_bytes
from tests.browser.conftest import assert_accessible, log_in
from tests.cards.factories import approved_application, profile_for
from tests.conftest import ARTIFACTS
from tests.factories import OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"reconsideration_evidence_{name}_{width}.png"), full_page=True)


def test_the_officer_asks_the_person_answers_with_a_file_and_the_officer_sees_it(
    page, browser, live_server, tmp_path
):
    holder = UserFactory(email="li.ev@example.org", full_name="Li Wei", roles=["applicant"])
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    Application.objects.filter(pk=application.pk).update(
        stage="closed",
        decided_at=timezone.now(),
        decision_reason="The salary threshold is not met.",
        decided_by=UserFactory(roles=["approver"], office=application.office),
    )
    approver = UserFactory(
        email="nora.ev@example.org", full_name="Nora Zhao", roles=["approver"], office=OfficeFactory()
    )
    case = reconsideration_lodge(
        actor=holder, application=Application.objects.get(pk=application.pk), grounds="My salary was misread."
    )

    officer = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    officer.set_default_timeout(15_000)
    desk = officer.new_page()
    log_in(desk, approver.email)
    desk.goto(f"/reconsideration/{case.pk}/")
    desk.get_by_role("button", name="Send the request").click()  # empty message
    assert "This field is required." in desk.content()
    _check_both_widths(desk, "officer_error_en")
    desk.get_by_label("Evidence needed").fill("Send your 2025 payslips.")
    desk.get_by_role("button", name="Send the request").click()
    assert "The evidence request was sent to the person." in desk.content()
    assert "Paused while evidence is awaited" in desk.content()
    _check_both_widths(desk, "officer_asked_en")

    log_in(page, holder.email)
    page.goto(f"/reconsideration/{case.pk}/")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="答复补充材料要求").is_visible()
    assert "Send your 2025 payslips." in page.content()
    _check_both_widths(page, "person_zh")
    bad = tmp_path / "payslip.pdf"
    bad.write_bytes(b"not a pdf at all")
    page.locator("input[name=files]").set_input_files(str(bad))
    page.get_by_label("您的答复").fill("工资单见附件。")
    page.get_by_role("button", name="提交答复").click()
    assert "payslip.pdf" in page.content()  # the refusal names the file
    assert Reconsideration.objects.get().evidence_requests.get().answered_at is None
    _check_both_widths(page, "person_error_zh")
    good = tmp_path / "payslip.pdf"
    good.write_bytes(pdf_bytes())
    page.locator("input[name=files]").set_input_files(str(good))
    page.get_by_label("您的答复").fill("工资单见附件。")
    page.get_by_role("button", name="提交答复").click()
    assert "您的答复已发送给复议机关。" in page.content()
    _check_both_widths(page, "person_answered_zh")

    desk.reload()
    assert "工资单见附件。" in desk.content()
    href = desk.get_by_role("link", name="payslip.pdf").get_attribute("href")
    assert desk.request.get(href).status == 200
    assert "Paused while evidence is awaited" not in desk.content()
    desk.get_by_role("button", name="中文").click()
    desk.wait_for_load_state()
    assert "补充材料要求" in desk.content()
    _check_both_widths(desk, "officer_sees_zh")
    officer.close()
    assert page.request.get(href).status == 200

"""A refused applicant asks for reconsideration; an approver one level up overturns the refusal."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications.models import Application, Status
from reconsideration.models import Reconsideration
from tests.browser.conftest import assert_accessible, log_in
from tests.cards.factories import approved_application, profile_for
from tests.factories import OfficeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)


def test_a_refusal_is_challenged_and_overturned_in_english_and_chinese(page, browser, live_server):
    holder = UserFactory(email="alice.rc@example.org", full_name="Alice Martin", roles=["applicant"])
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    Application.objects.filter(pk=application.pk).update(
        stage="closed",
        decided_at=timezone.now(),
        decision_reason="The salary threshold is not met.",
        decided_by=UserFactory(roles=["approver"], office=application.office),
    )
    approver = UserFactory(
        email="nora.rc@example.org", full_name="Nora Zhao", roles=["approver"], office=OfficeFactory()
    )

    log_in(page, holder.email)
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("link", name="Ask for administrative reconsideration").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for administrative reconsideration"
    _check_both_widths(page)
    page.get_by_role("button", name="Lodge the request").click()  # empty grounds
    assert "This field is required." in page.content()
    assert Reconsideration.objects.count() == 0
    page.get_by_label("Grounds for reconsideration").fill("My salary was misread.")
    page.get_by_role("button", name="Lodge the request").click()
    case = Reconsideration.objects.get()
    assert page.get_by_role("heading", level=1).inner_text() == f"Reconsideration {case}"
    _check_both_widths(page)
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"行政复议{case}"
    assert "已提出" in page.content()
    _check_both_widths(page)

    officer = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    officer.set_default_timeout(15_000)
    desk = officer.new_page()
    log_in(desk, approver.email)
    desk.goto("/reconsideration/")
    _check_both_widths(desk)
    desk.get_by_role("link", name=str(case)).click()
    desk.get_by_label("Overturn the decision").check()
    desk.get_by_label("Reasons for the decision").fill("The salary is above the threshold.")
    _check_both_widths(desk)
    desk.get_by_role("button", name="Record the decision").click()
    assert "The decision was recorded." in desk.content()
    desk.get_by_role("button", name="中文").click()
    desk.wait_for_load_state()
    assert "撤销原决定" in desk.content()
    _check_both_widths(desk)
    officer.close()

    assert Reconsideration.objects.get().state == "overturned"
    assert Application.objects.get(pk=application.pk).status == Status.RECOMMENDED_APPROVAL

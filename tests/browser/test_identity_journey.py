"""The intake officer meets a possible duplicate: both records side by side, then a decision."""

from __future__ import annotations

import pytest

from identity.models import IdentityDecision, IdentityMatch
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS
from tests.identity.people import banned_ivanov, possible_duplicate_case

# Two languages, two widths and a transactional flush: more than the default 300 s on a loaded machine.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"identity-{name}-{width}.png"), full_page=True)


def test_the_intake_officer_decides_a_possible_duplicate_in_english_and_chinese(page, ivan):
    old, _ban = banned_ivanov()
    application, flag = possible_duplicate_case()

    log_in(page, ivan.email)
    page.goto(f"/cases/{application.pk}/")
    assert "Decide it before accepting the case." in page.content()
    page.get_by_role("link", name="Compare the records side by side").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Possible duplicates of case {application}"
    _check_both_widths(page, "list-en")
    page.get_by_role("link", name=str(old)).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Is this the same person?"
    assert "Banned from applying" in page.content()
    _check_both_widths(page, "compare-en")
    page.get_by_role("radio", name="Different people").check()
    page.get_by_role("button", name="Record the decision").click()
    assert "Say why these are different people." in page.content()
    assert not IdentityDecision.objects.exists()
    _check_both_widths(page, "error-en")

    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "这是同一人吗？"
    _check_both_widths(page, "compare-zh")
    page.get_by_role("radio", name="不同的人").check()
    page.get_by_label("理由（认定为不同的人时必填）").fill("出生地不同，父母姓名不同。")
    page.get_by_role("button", name="记录决定").click()
    assert "已记录：不同的人。" in page.content()
    _check_both_widths(page, "decided-zh")

    decision = IdentityDecision.objects.get()
    assert decision.verdict == "different" and decision.decided_by == ivan
    assert IdentityMatch.objects.get(pk=flag.pk).decision == decision

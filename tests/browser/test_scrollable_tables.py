"""At 375 px the wide tables scroll inside a wrapper a keyboard can reach (axe: scrollable-region-focusable)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.browser.test_eligibility_policy import check_investor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_route_deadlines_and_the_self_check_result_pass_axe_at_phone_width(browser, live_server):
    from eligibility.services import policy_install_default

    policy_install_default()
    phone = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 800}, locale="en-GB"
    )
    page = phone.new_page()
    for channel in ("talent", "investment"):
        page.goto(f"/routes/{channel}/")
        assert_accessible(page)
        assert page.locator(".table-wrap[tabindex='0'][role='region']").count() >= 1
    assert check_investor(page, "500000") == "Eligible"
    assert page.locator("#result .table-wrap[tabindex='0'][role='region']").count() == 1
    phone.close()

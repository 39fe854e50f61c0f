"""Browser tests: Playwright for Python driving Debian's Chromium against Django's live server.

Every page a test visits should be checked with ``assert_accessible(page)`` (axe-core): no
serious or critical violations. A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ARTIFACTS
from tests.factories import PASSWORD
from tests.mfa_helpers import second_factor_in_browser

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The session's Chromium (`browser`) lives in tests/conftest.py, so tests/browser and tests/journeys
# share one Playwright: a second sync_playwright() in the same session fails inside the first's loop.


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 320, "height": 640}, locale="en-GB"
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def accessibility_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the page as it is now."""
    bad = accessibility_violations(page)
    assert not bad, describe_violations(bad)


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/home/|/[a-z-]+/"))
    second_factor_in_browser(page, email)


def log_in_zh(page, email: str, password: str = PASSWORD) -> None:
    """``log_in`` on a page in Chinese (the fields by name, not by their English labels)."""
    page.goto("/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    second_factor_in_browser(page, email)

"""The public statistics page and the experts' research extracts, through Chromium: both languages,
desktop and phone, axe on every page, no sideways scroll, and a real download."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from applications.models import Application, Status
from tests.applications.factories import offices
from tests.browser.conftest import assert_accessible, log_in
from tests.cards.factories import profile_for
from tests.factories import UserFactory
from tests.figures.test_statistics import case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases(db):
    tree = offices()
    profile = profile_for(UserFactory(roles=["applicant"]))
    rows = [
        case(
            profile,
            tree["gd"],
            submitted=dt.date(2025, 3, 1),
            decided=dt.date(2025, 9, 1),
            status=Status.APPROVED,
        )
        for _ in range(25)
    ] + [case(profile, tree["sc"], channel="talent", submitted=dt.date(2025, 5, 1)) for _ in range(4)]
    Application.objects.bulk_create(rows)


@pytest.mark.parametrize(
    "language, width", [("en", 1280), ("zh-hans", 1280), ("en", 375), ("zh-hans", 375)], ids=str
)
def test_the_statistics_page_reads_in_both_languages_at_both_widths(
    browser, live_server, cases, language, width
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.goto("/statistics/?year=2025")
    assert page.locator("h1").inner_text() == (
        "Permanent residence in figures" if language == "en" else "永久居留数据统计"
    )
    small = "fewer than 10" if language == "en" else "少于 10"
    # The four talent cases are small; the table says so and never prints 4 in that row.
    talent_row = page.locator("#table-route-caption").locator("xpath=..").locator("tbody tr").nth(0)
    assert small in talent_row.inner_text() and "\t4\t" not in talent_row.inner_text() + "\t"
    assert page.locator("svg[role='img'] title").count() >= 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
    # A year with no figures says so, on the same page.
    page.goto("/statistics/?year=1999")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)
    context.close()


def test_an_expert_downloads_a_research_extract(browser, live_server, cases):
    expert = UserFactory(roles=["policy_expert"])
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, expert.email)
    page.goto("/home/")
    page.get_by_role("link", name="Research extracts").first.click()
    assert_accessible(page)
    page.get_by_label("Purpose of the research").fill("How long work cases take, for the 2026 review.")
    page.get_by_label("Applications submitted from (month)").fill("2025-01")
    page.get_by_label("Until (month, included)").fill("2025-12")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the extract").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert len(rows) == 29 and {row["route"] for row in rows} == {"work", "talent"}
    # A purpose too short is refused on the page, with nothing downloaded.
    page.get_by_label("Purpose of the research").fill("research")
    page.get_by_role("button", name="Download the extract").click()
    assert "at least 20 characters" in page.locator("body").inner_text()
    assert_accessible(page)
    context.close()

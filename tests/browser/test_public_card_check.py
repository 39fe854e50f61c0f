"""The public card check reads at every width: names and dates are never squeezed to a character per line."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_card_check_shows_name_and_date_on_whole_lines_at_375_700_and_1280_px(
    browser, live_server, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "p"), "base_url": None},
        },
    }
    from cards.tokens import verification_token
    from tests.cards.factories import issued_card

    card = issued_card(
        UserFactory(email="wide.card@example.org", full_name="Alice Martin", roles=["applicant"])
    )
    url = f"{live_server.url}/cards/verify/{verification_token(card.number)}/"
    shots = ARTIFACTS / "public-card-check"
    shots.mkdir(parents=True, exist_ok=True)
    for language in ("en-GB", "zh-CN"):
        for width in (375, 700, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale=language)
            page = context.new_page()
            page.set_extra_http_headers({"Accept-Language": "zh-hans" if language == "zh-CN" else "en"})
            page.goto(url)
            page.screenshot(path=str(shots / f"{width}-{language}.png"), full_page=True)
            for value in page.locator(".verify-holder dd").all():
                box = value.bounding_box()
                # A name or a date on one or two lines, never a column one character wide.
                assert box["width"] >= 120, (width, language, value.inner_text(), box)
                assert box["height"] <= 80, (width, language, value.inner_text(), box)
            assert_accessible(page)
            context.close()

"""Every public page in each of the six languages passes axe; Arabic pages are right-to-left.

The UI catalogues for ja/ko/ru/ar land separately, so these tests check structure (lang, dir, the
English fallback and its notice), never particular Japanese, Korean, Russian or Arabic UI strings.
"""

from __future__ import annotations

import datetime as dt

import pytest

from benefits import services as benefit_services
from benefits.models import Category
from eligibility.services import policy_install_default
from faq.services import faq_install_default
from tests.browser.conftest import assert_accessible
from tests.conftest import ARTIFACTS
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ("en", "zh-hans", "ja", "ko", "ru", "ar")
TAGS = {"zh-hans": "zh-Hans"}
PHONE_TOO = ("en", "zh-hans", "ar")


@pytest.fixture
def public_content(db):
    policy_install_default()
    faq_install_default()
    tax = AgencyFactory(code="sta", name_en="State Taxation Administration", name_zh="国家税务总局")
    staff = UserFactory(email="sam@tax.example", roles=["agency_staff"], agency=tax)
    boss = UserFactory(email="sue@tax.example", roles=["agency_supervisor"], agency=tax)
    # English and Chinese only: every other language shows it in English, with the notice.
    item = benefit_services.benefit_item_create(
        actor=staff,
        values={
            "category": Category.TAXATION,
            "title_en": "Special additional deductions",
            "title_zh": "专项附加扣除",
            "description_en": "Claim deductions for children's education and rent.",
            "description_zh": "享受子女教育、住房租金等专项附加扣除。",
            "effective_date": dt.date(2019, 1, 1),
        },
    )
    benefit_services.benefit_item_publish(actor=boss, item=item)
    return {"item": item}


def _pages(item) -> list[tuple[str, str]]:
    return [
        ("home", "/"),
        ("routes", "/routes/"),
        ("route_work", "/routes/work/"),
        ("self_check", "/eligibility/check/talent/"),
        ("benefits", "/benefits/"),
        ("benefit_item", f"/benefits/{item.pk}/"),
        ("faq", "/faq/"),
        ("statistics", "/statistics/"),
    ]


def _use_language(page, live_server, code: str) -> None:
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_public_page_passes_axe_in_each_language(page, live_server, public_content, code):
    _use_language(page, live_server, code)
    rtl = code == "ar"
    widths = (1280, 375) if code in PHONE_TOO else (1280,)
    for name, path in _pages(public_content["item"]):
        page.goto(path)
        html = page.locator("html")
        assert html.get_attribute("lang") == TAGS.get(code, code), path
        assert html.get_attribute("dir") == ("rtl" if rtl else "ltr"), path
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
            # Nothing wider than the screen: a mirrored layout that overflows is broken.
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} at {width}: {overflow}px wider than the screen"
            if rtl and name in ("home", "faq", "benefit_item", "route_work"):
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"languages_ar_{name}_{width}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def test_the_switcher_offers_six_languages_and_an_untranslated_item_says_so(
    page, live_server, public_content
):
    page.goto("/")
    switcher = page.locator("form.lang-switch button")
    assert switcher.count() == 6
    assert [switcher.nth(i).get_attribute("lang") for i in range(6)] == [
        "en",
        "zh-Hans",
        "ja",
        "ko",
        "ru",
        "ar",
    ]
    switcher.nth(5).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    # The header is mirrored: the brand sits at the right edge, the switcher at the left.
    brand = page.locator(".brand").bounding_box()
    lang_switch = page.locator(".lang-switch").bounding_box()
    assert brand["x"] > lang_switch["x"]

    page.goto(f"/benefits/{public_content['item'].pk}/")
    assert page.locator("h1[lang=en]").inner_text() == "Special additional deductions"
    assert page.locator(".fallback-notice").count() == 1
    assert page.locator("article[lang=en]").count() == 1

    # Back to Chinese: the item's own translation, no notice.
    page.locator("form.lang-switch button[lang=zh-Hans]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "专项附加扣除"
    assert page.locator(".fallback-notice").count() == 0

"""An agency editor adds an Arabic translation to a published item by picking the language; the
supervisor publishes it and an Arabic reader sees it right-to-left, without the fallback notice."""

from __future__ import annotations

import pytest

from benefits import services
from benefits.models import BenefitItem, Category
from tests.browser.conftest import assert_accessible, log_in, log_in_zh
from tests.conftest import ARTIFACTS
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def item(db):
    tax = AgencyFactory(code="sta", name_en="State Taxation Administration", name_zh="国家税务总局")
    staff = UserFactory(email="sam@tax.example", roles=["agency_staff"], agency=tax)
    UserFactory(email="sue@tax.example", roles=["agency_supervisor"], agency=tax)
    item = services.benefit_item_create(
        actor=staff,
        values={
            "category": Category.TAXATION,
            "title_en": "Special additional deductions",
            "title_zh": "专项附加扣除",
            "description_en": "Claim deductions for children's education.",
            "description_zh": "享受子女教育专项附加扣除。",
        },
    )
    services.benefit_item_publish(actor=UserFactory(roles=["agency_supervisor"], agency=tax), item=item)
    return item


def _both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"benefit_translation_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_editor_picks_arabic_adds_it_and_arabic_readers_see_it(page, live_server, item):
    log_in(page, "sam@tax.example")
    page.goto(f"/benefits/workspace/{item.pk}/edit/")
    page.get_by_label("Second language").select_option("ar")
    page.get_by_role("button", name="Edit this language").click()
    page.wait_for_url("**/edit/?language=ar")
    title = page.get_by_label("Title (Arabic)")
    assert title.get_attribute("dir") == "rtl" and title.get_attribute("lang") == "ar"
    title.fill("الخصومات الإضافية الخاصة")
    page.get_by_label("Description (Arabic)").fill("خصم نفقات تعليم الأطفال.")
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".benefit-preview section[lang=ar][dir=rtl]").count() == 1
    _both_widths(page, "edit_en")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/benefits/workspace/{item.pk}/")
    assert BenefitItem.objects.get(pk=item.pk).value("title_ar") == "الخصومات الإضافية الخاصة"
    assert BenefitItem.objects.get(pk=item.pk).value("title_zh") == "专项附加扣除"

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    log_in_zh(page, "sue@tax.example")
    page.goto(f"/benefits/workspace/{item.pk}/edit/?language=ar")
    _both_widths(page, "edit_zh")
    page.goto(f"/benefits/workspace/{item.pk}/")
    page.locator("form[action$='/publish/'] button[type=submit]").click()
    page.wait_for_load_state()

    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(f"/benefits/{item.pk}/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text() == "الخصومات الإضافية الخاصة"
    assert page.locator(".fallback-notice").count() == 0
    _both_widths(page, "item_ar")

"""The first browser journey: register, log in, switch to Chinese, log out."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from residence.accounts.models import User
from tests.browser.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_applicant_registers_logs_in_reads_the_home_page_in_chinese_and_logs_out(page):
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Create an applicant account").click()
    assert_accessible(page)
    page.get_by_label("Full name (as in passport)").fill("Dana Novak")
    page.get_by_label("E-mail address").fill("dana@example.org")
    page.get_by_label("Password", exact=True).fill("a-Long-pass-2026")
    page.get_by_label("Password again").fill("a-Long-pass-2026")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/accounts/verification/sent/")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your e-mail"
    assert_accessible(page)
    assert User.objects.get(email="dana@example.org").roles == {"applicant"}

    # The link of the verification e-mail verifies the address and leads to the log-in page.
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/accounts/verify/\S+/", message.body).group(0)
    page.goto(urlparse(link).path)  # the link names SITE_URL; the test's server is elsewhere
    page.wait_for_url("**/accounts/login/")
    assert "verified" in page.locator(".messages").inner_text()
    assert User.objects.get(email="dana@example.org").email_verified_at is not None
    page.get_by_label("E-mail address").fill("dana@example.org")
    page.get_by_label("Password").fill("a-Long-pass-2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Dana Novak"
    assert_accessible(page)

    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "欢迎，Dana Novak"
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_accessible(page)

    page.get_by_role("button", name="退出登录").click()
    assert page.get_by_role("heading", level=1).inner_text() == "您已退出登录"
    assert_accessible(page)


def test_the_home_page_fits_a_320_pixel_phone_without_sideways_scrolling(phone_page):
    phone_page.goto("/")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    assert_accessible(phone_page)

"""The applicant books an intake appointment from their status page, moves it and cancels it (in
English, then again in Chinese), at desktop and phone widths; the counter officer sees the day's list."""

from __future__ import annotations

import datetime as dt

import pytest

from applications.models import Application
from appointments.models import Booking
from tests.applications.factories import ProfileFactory, officer, offices, submitted
from tests.appointments.conftest import bookable_day, set_up_office
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def said(page, text: str) -> None:
    page.get_by_text(text).first.wait_for()


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"appointments_{name}_{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_book_move_and_cancel_in_english_and_chinese(page, browser, live_server):
    from django.contrib.auth.models import Group

    from residence.accounts.models import Role

    for role in Role.values:
        Group.objects.get_or_create(name=role)
    tree = offices()
    office = tree["gd-gz"]
    set_up_office(office)
    applicant = UserFactory(email="mia.appt@example.org", full_name="Mia Chen", roles=["applicant"])
    case = submitted(ProfileFactory(owner=applicant, province="CN-GD", city_code="440100"))
    Application.objects.filter(pk=case.pk).update(office=office)
    day = bookable_day(office)

    log_in(page, applicant.email)
    page.goto(f"/applications/{case.pk}/")
    page.get_by_role("link", name="Book an appointment").click()
    assert page.get_by_role("heading", name="Book an appointment", level=1).is_visible()
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    said(page, "Free times on")
    _check_both_widths(page, "book_en")
    page.get_by_label("09:30–10:00").check()
    page.get_by_role("button", name="Book this time").click()
    said(page, "Your appointment is booked.")
    _check_both_widths(page, "detail_en")
    booking = Booking.objects.get(application=case)
    assert booking.state == "booked"

    page.get_by_role("link", name="Guangzhou").click()  # the office's public page
    assert page.get_by_role("heading", name="Opening hours").is_visible()
    _check_both_widths(page, "office_en")
    page.go_back()
    page.get_by_role("link", name="Move the appointment").click()
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_role("button", name="Show free times").click()
    page.get_by_label("11:00–11:30").check()
    page.get_by_role("button", name="Move to this time").click()
    said(page, "Your appointment was moved.")
    booking.refresh_from_db()
    assert booking.moves == 1
    page.get_by_role("button", name="Cancel the appointment").click()
    said(page, "Your appointment was cancelled.")

    # A closed day says why (an override the administrators set).
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    page.goto(f"/appointments/cases/{case.pk}/book/")
    assert page.get_by_role("heading", name="预约办理", level=1).is_visible()
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_role("button", name="显示可约时间").click()
    _check_both_widths(page, "book_zh")
    page.get_by_label("09:00–09:30").check()
    page.get_by_role("button", name="预约此时间").click()
    said(page, "预约成功。")
    _check_both_widths(page, "detail_zh")
    page.get_by_role("link", name="改约").click()
    page.locator("#id_date").fill(day.isoformat())
    page.get_by_role("button", name="显示可约时间").click()
    page.get_by_label("10:00–10:30").check()
    page.get_by_role("button", name="改约到此时间").click()
    said(page, "已改约。")
    page.get_by_role("button", name="取消预约").click()
    said(page, "已取消预约。")
    assert set(Booking.objects.filter(application=case).values_list("state", flat=True)) == {"cancelled"}


def test_the_officer_sees_who_is_booked_today(page, live_server):
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from appointments.models import CalendarOverride
    from appointments.services import booking_create
    from residence.accounts.models import Role
    from tests.appointments.conftest import at

    for role in Role.values:
        Group.objects.get_or_create(name=role)
    tree = offices()
    office = tree["gd-gz"]
    set_up_office(office)
    applicant = UserFactory(email="leo.appt@example.org", full_name="Leo Park", roles=["applicant"])
    case = submitted(ProfileFactory(owner=applicant, province="CN-GD", city_code="440100"))
    Application.objects.filter(pk=case.pk).update(office=office)
    case.refresh_from_db()
    today = timezone.localdate()
    CalendarOverride.objects.get_or_create(
        office=office, date=today, defaults={"kind": "open", "reason": "t"}
    )
    from appointments.models import OpeningHours

    OpeningHours.objects.filter(office=office).update(opens="00:00", closes="23:59")
    OpeningHours.objects.get_or_create(
        office=office, weekday=today.weekday(), defaults={"opens": "00:00", "closes": "23:59"}
    )
    now = timezone.localtime()
    slot_start = at(today, now.hour + 1 if now.hour < 23 else now.hour, 0)
    if slot_start > timezone.now():
        booking_create(actor=applicant, application=case, service="intake", starts_at=slot_start)
    # A second case whose appointment began a few minutes ago: the clerk records that they came.
    other = UserFactory(email="ana.appt@example.org", full_name="Ana Ruiz", roles=["applicant"])
    began = submitted(ProfileFactory(owner=other, province="CN-GD", city_code="440100", family_name="RUIZ"))
    Application.objects.filter(pk=began.pk).update(office=office)
    began.refresh_from_db()
    from appointments.models import Slot

    early = booking_create(
        actor=other, application=began, service="intake", starts_at=at(bookable_day(office), 9)
    )
    Slot.objects.filter(pk=early.slot_id).update(
        starts_at=timezone.now() - dt.timedelta(minutes=10), ends_at=timezone.now() + dt.timedelta(minutes=20)
    )
    clerk = officer("intake_officer", office, email="clerk.appt@example.org")
    log_in(page, clerk.email)
    page.goto("/home/")
    page.get_by_role("link", name="Booked today").first.click()
    assert page.get_by_role("heading", name="Booked today").is_visible()
    if Booking.objects.exists():
        assert str(case) in page.content()
    assert "RUIZ" in page.content()
    _check_both_widths(page, "today_en")
    page.get_by_role("button", name="Came").click()
    said(page, "Recorded.")
    early.refresh_from_db()
    assert early.state == "attended"

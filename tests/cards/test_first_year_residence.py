"""A new card's first year: the residence panel does not alarm on day one, and the renewal form
chooses nothing for the holder outside the renewal window (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cards.models import Card, ResidenceAlert
from cards.residence import standing
from cards.services import residence_review

MARGIN = 30  # CARDS_RESIDENCE_WARNING_MARGIN_DAYS's default


def _options(html: str, name: str) -> list[tuple[str, bool]]:
    """(value, selected) of each option of the select named ``name``."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    return [
        (m.group(1), "selected" in m.group(0))
        for m in re.finditer(r'<option value="([^"]*)"[^>]*>', select.group(1))
    ]


def test_a_card_issued_in_december_is_not_warned_on_its_first_day():
    first = dt.date(2026, 12, 2)
    s = standing(year=2026, days_in_china=1, min_days=90, counted_from=first, today=first)
    # The rule is owed in proportion to the 30 days the card covers this year.
    assert s.min_days == round(90 * 30 / 365) == 7
    assert s.days_abroad_left == 23
    assert not s.broken
    assert not s.warn(MARGIN)


def test_the_first_year_warns_once_its_few_days_abroad_are_nearly_used():
    first = dt.date(2026, 12, 2)
    # In China on 2 and 3 December (the day of exit counts), abroad since: 22 days abroad by the 25th.
    s = standing(year=2026, days_in_china=2, min_days=90, counted_from=first, today=dt.date(2026, 12, 25))
    assert (s.days_abroad_so_far, s.days_abroad_left) == (22, 1)
    assert s.warn(MARGIN)
    # One more day abroad and the year still has six to go: the rule is broken.
    s = standing(year=2026, days_in_china=2, min_days=90, counted_from=first, today=dt.date(2026, 12, 27))
    assert s.broken and not s.warn(MARGIN)


def test_a_year_that_can_no_longer_fail_is_not_warned():
    # A full year: 10 days abroad left with 6 days of the year to come cannot go wrong any more.
    today = dt.date(2026, 12, 25)
    elapsed = (today - dt.date(2026, 1, 1)).days + 1
    s = standing(
        year=2026,
        days_in_china=elapsed - 265,
        min_days=90,
        counted_from=dt.date(2025, 1, 1),
        today=today,
    )
    assert s.days_abroad_left == 10
    assert not s.warn(MARGIN)
    # ... while the same 10 days left in October can.
    today = dt.date(2026, 10, 1)
    elapsed = (today - dt.date(2026, 1, 1)).days + 1
    s = standing(
        year=2026, days_in_china=elapsed - 265, min_days=90, counted_from=dt.date(2025, 1, 1), today=today
    )
    assert s.days_abroad_left == 10 and s.warn(MARGIN)


@pytest.mark.django_db
def test_the_nightly_review_of_a_card_issued_in_december_sends_no_warning(
    card, django_capture_on_commit_callbacks
):
    issued = dt.date(timezone.localdate().year - 1, 12, 2)
    Card.objects.filter(pk=card.pk).update(issued_on=issued)
    with django_capture_on_commit_callbacks(execute=True):
        raised = residence_review(profile_id=card.profile_id, today=issued)
    assert raised == []
    assert not ResidenceAlert.objects.exists()


@pytest.mark.django_db
def test_my_card_on_day_one_shows_no_alarm_and_chooses_no_reason(client, card, holder):
    client.force_login(holder)
    html = client.get(reverse("cards:my_card")).content.decode()
    assert "Few days left" not in html
    assert f"This card can be renewed from {card.renewal_opens_on:%Y-%m-%d}." in html
    for name in ("reason", "kind"):
        options = _options(html, name)
        # Only the prompt ("Choose one", no value) is chosen: a browser shows it, not a reason.
        assert options[0][0] == ""
        assert [value for value, selected in options if selected] in ([], [""]), name


@pytest.mark.django_db
def test_in_the_renewal_window_the_form_offers_renewal_because_the_card_expires_soon(client, card, holder):
    Card.objects.filter(pk=card.pk).update(expires_on=timezone.localdate() + dt.timedelta(days=90))
    client.force_login(holder)
    html = client.get(reverse("cards:my_card")).content.decode()
    assert [value for value, selected in _options(html, "reason") if selected] == ["expiring"]
    assert [value for value, selected in _options(html, "kind") if selected] == ["renewal"]


@pytest.mark.django_db
def test_a_request_without_a_reason_is_refused_with_a_message_and_changes_nothing(client, card, holder):
    client.force_login(holder)
    response = client.post(reverse("cards:my_card"), {"kind": "replacement", "reason": ""})
    assert response.status_code == 200
    assert card.requests.count() == 0
    assert re.search(r'<select name="reason"[^>]*aria-invalid="true"', response.content.decode())

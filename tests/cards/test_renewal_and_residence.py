from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cards.models import Card, CardRequest, PresenceRecord, ResidenceAlert, RevocationCase
from cards.services import (
    card_request_create,
    card_request_issue,
    presence_import_csv,
    presence_record_from_check,
    residence_review,
    residence_standings,
)

pytestmark = pytest.mark.django_db


def test_renewal_cannot_be_asked_for_earlier_than_six_months_before_expiry(card, holder):
    with pytest.raises(ValidationError):
        card_request_create(actor=holder, card=card, kind="renewal", reason="expiring")
    assert CardRequest.objects.count() == 0


def test_a_replacement_makes_a_new_card_and_the_old_one_invalid_with_history_kept(
    card, holder, mona, django_capture_on_commit_callbacks
):
    request = card_request_create(actor=holder, card=card, kind="replacement", reason="lost")
    with django_capture_on_commit_callbacks(execute=True):
        new = card_request_issue(actor=mona, request=request)
    old = Card.objects.get(pk=card.pk)
    assert old.status == Card.Status.REPLACED and new.previous == old
    assert new.kind == Card.Kind.REPLACEMENT and new.number != old.number
    assert new.documents.get(kind="card").state == "ready"
    # The benefits catalogue knows the holder by the card now in force.
    from benefits.selectors import holder_situation

    assert holder_situation(user=holder).card_number == new.number


def test_someone_else_cannot_ask_for_a_new_card(card, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        card_request_create(actor=bob, card=card, kind="replacement", reason="lost")


def test_renewal_in_the_last_six_months_is_accepted(card, holder, mona):
    Card.objects.filter(pk=card.pk).update(expires_on=timezone.localdate() + dt.timedelta(days=90))
    card = Card.objects.get(pk=card.pk)
    request = card_request_create(actor=holder, card=card, kind="renewal", reason="expiring")
    new = card_request_issue(actor=mona, request=request)
    assert new.expires_on.year == timezone.localdate().year + 10


def test_imported_crossings_count_days_in_china_and_abroad_left(card, mona):
    year = timezone.localdate().year - 1
    Card.objects.filter(pk=card.pk).update(issued_on=dt.date(year - 1, 1, 1))
    csv = (
        "card_number,direction,date,port\n"
        f"{card.number},exit,{year}-03-01,Guangzhou Baiyun\n"
        f"{card.number},entry,{year}-03-10,Guangzhou Baiyun\n"
    ).encode()
    result = presence_import_csv(actor=mona, data=csv)
    assert (result.created, result.errors) == (2, [])
    standing = next(s for s in residence_standings(profile=card.profile) if s.year == year)
    days = 366 if year % 4 == 0 else 365
    assert standing.days_in_china == days - 8
    assert standing.days_abroad_so_far == 8


def test_a_bad_line_imports_nothing_and_names_the_line(card, mona):
    csv = f"card_number,direction,date,port\n{card.number},exit,2024-03-01,x\n{card.number},sideways,2024-03-02,x\n"
    result = presence_import_csv(actor=mona, data=csv.encode())
    assert result.errors and result.errors[0][0] == 3
    assert PresenceRecord.objects.count() == 0


def test_a_long_absence_warns_then_opens_a_revocation_case(card, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    Card.objects.filter(pk=card.pk).update(issued_on=dt.date(today.year - 2, 1, 1))
    last_year = today.year - 1
    assert presence_record_from_check(card_number=card.number, direction="exit", on=dt.date(last_year, 2, 1))
    assert presence_record_from_check(
        card_number=card.number, direction="entry", on=dt.date(last_year, 12, 20)
    )
    residence_review(profile_id=card.profile_id)
    alert = ResidenceAlert.objects.get(year=last_year)
    assert alert.kind == "breach" and alert.days_in_china < 90
    case = RevocationCase.objects.get()
    assert case.ground == "insufficient_residence" and case.opened_by is None and case.state == "open"
    assert Card.objects.get(pk=card.pk).status == Card.Status.ISSUED  # until an approver decides
    residence_review(profile_id=card.profile_id)
    assert RevocationCase.objects.count() == 1 and ResidenceAlert.objects.filter(kind="breach").count() == 1


def test_an_unknown_card_at_the_border_records_nothing():
    assert (
        presence_record_from_check(card_number="FRA440019850412", direction="exit", on=dt.date(2024, 1, 1))
        is False
    )
    assert PresenceRecord.objects.count() == 0

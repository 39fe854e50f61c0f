"""Many simultaneous bookings of one slot on PostgreSQL: exactly its capacity win, the rest are told
it is fully booked. Real transactions in threads, each with its own database connection."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from appointments import services
from appointments.models import Booking, Slot
from tests.factories import UserFactory

from .conftest import at, bookable_day, set_up_office

CAPACITY = 3
BOOKERS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_overbook(office_tree):
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrent transactions need PostgreSQL (SQLite has one writer)")
    from tests.applications.factories import ProfileFactory, submitted

    office = office_tree["gd-gz"]
    set_up_office(office, seats=CAPACITY)
    cases = []
    for n in range(BOOKERS):
        user = UserFactory(email=f"racer{n}@example.org", roles=["applicant"])
        case = submitted(ProfileFactory(owner=user, province="CN-GD", city_code="440100"))
        case.office = office
        case.save(update_fields=["office"])
        cases.append((user, case))
    starts_at = at(bookable_day(office), 9, 30)
    barrier = threading.Barrier(BOOKERS)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(user, case):
        try:
            barrier.wait()
            services.booking_create(actor=user, application=case, service="intake", starts_at=starts_at)
        except ValidationError as error:
            outcome = " ".join(error.messages)
        else:
            outcome = "booked"
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=attempt, args=pair) for pair in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == BOOKERS
    assert results.count("booked") == CAPACITY
    refused = [r for r in results if r != "booked"]
    assert all("fully booked" in r for r in refused), refused
    slot = Slot.objects.get(office=office, starts_at=starts_at)
    assert slot.booked == CAPACITY == Booking.objects.filter(slot=slot, state="booked").count()


@pytest.mark.django_db
def test_the_database_refuses_an_overbooked_slot(office_tree):
    """The CHECK constraint holds even for a write that skips the service."""
    from django.db import IntegrityError, transaction

    office = office_tree["gd-gz"]
    set_up_office(office, seats=1)
    slot = Slot.objects.create(
        office=office,
        service="intake",
        starts_at=at(bookable_day(office), 9),
        ends_at=at(bookable_day(office), 9, 30),
        capacity=1,
        booked=1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)

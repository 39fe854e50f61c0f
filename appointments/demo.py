"""Demo: every office opens 9:00-16:30 Monday to Friday (one span a day), with 30-minute slots
for two people per service. Idempotent."""

from __future__ import annotations

import datetime as dt

from residence.accounts.models import Office

from .models import OpeningHours, Service, ServiceCapacity


def seed() -> None:
    for office in Office.objects.all():
        for weekday in range(5):
            OpeningHours.objects.get_or_create(
                office=office, weekday=weekday, defaults={"opens": dt.time(9, 0), "closes": dt.time(16, 30)}
            )
        for service in Service.values:
            ServiceCapacity.objects.get_or_create(office=office, service=service)

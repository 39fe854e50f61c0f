from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from residence.accounts.models import Office
from tests.factories import UserFactory

WALK_IN = {
    "family_name": "Okafor",
    "given_names": "Grace",
    "sex": "F",
    "birth_date": dt.date(1979, 6, 14),
    "nationality": "NGA",
    "passport_number": "A12345678",
    "passport_expiry": dt.date(2035, 1, 1),
    "email": "grace@example.org",
    "phone": "+86 139 0000 0000",
    "address": "8 Zhujiang Road, Guangzhou",
    "province": "CN-GD",
    "city_code": "440100",
}


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture
def centre(office_tree):
    """A foreign-talent service centre under the Guangdong office: a one-stop window."""
    return Office.objects.create(
        code="gd-ftsc",
        name_en="Guangdong Foreign Talent Service Centre",
        name_zh="广东省外国人才服务中心",
        level="provincial",
        province="CN-GD",
        parent=office_tree["gd"],
        kind=Office.Kind.SERVICE_CENTRE,
        address_en="Tianhe District, Guangzhou",
        address_zh="广州市天河区",
        phone="020-0000-0002",
    )


@pytest.fixture
def cora(centre):
    """Counter staff at the service centre."""
    return UserFactory(email="cora@example.org", full_name="Cora Lin", roles=["counter_staff"], office=centre)


@pytest.fixture
def cody(office_tree):
    """Counter staff at another window (the Sichuan office)."""
    return UserFactory(email="cody@example.org", roles=["counter_staff"], office=office_tree["sc"])


@pytest.fixture
def grace(db):
    """The walk-in applicant, once she has an account of her own."""
    return UserFactory(email="grace.own@example.org", roles=["applicant"])


def claim_code_from_mail() -> str:
    """The code in the last claim e-mail (as the applicant reads it)."""
    body = mail.outbox[-1].body
    return re.search(r"\b([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\b", body).group(1)


def in_days(days: int):
    return timezone.now() + dt.timedelta(days=days)

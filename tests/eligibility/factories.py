"""Factories for eligibility records."""

from __future__ import annotations

from datetime import date

import factory

from eligibility.models import Ban, FamilyQuota, TalentProgram
from tests.factories import AgencyFactory, UserFactory


def policy_admin(**kwargs):
    return UserFactory(roles=["policy_admin"], **kwargs)


class TalentProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TalentProgram

    code = factory.Sequence(lambda n: f"tp-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Program {o.code}")
    name_zh = factory.LazyAttribute(lambda o: f"计划{o.code}")
    agency = factory.SubFactory(AgencyFactory)
    valid_from = date(2015, 1, 1)
    valid_to = None


class FamilyQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyQuota
        django_get_or_create = ("year", "region")

    year = 2025
    region = ""
    places = 2


class BanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ban

    passport_number = factory.Sequence(lambda n: f"P{n:07d}")
    nationality = "USA"
    birth_date = date(1980, 5, 1)
    ground = Ban.Ground.FRAUD
    until = date(2030, 1, 1)
    reason = "Forged tax records"


# Recognised nominating bodies of the journeys and tests (R11): code, names, methods.
NOMINATING_BODIES = (
    ("most", "Ministry of Science and Technology", "科学技术部", ["central_agency"]),
    ("gd-gov", "Guangdong Provincial People's Government", "广东省人民政府", ["provincial_government"]),
    ("cas", "Chinese Academy of Sciences", "中国科学院", ["national_organisation", "expert_panel"]),
)


def nominating_body(code: str = "cas", *, staff_email: str | None = None):
    """A registered body with its agency account, and (if asked) one staff member of the body."""
    from eligibility.models import NominatingBody

    _, name_en, name_zh, methods = next(b for b in NOMINATING_BODIES if b[0] == code)
    agency = AgencyFactory(code=f"nb-{code}", name_en=name_en, name_zh=name_zh)
    body, _ = NominatingBody.objects.get_or_create(
        code=code, defaults={"name_en": name_en, "name_zh": name_zh, "methods": methods, "agency": agency}
    )
    staff = None
    if staff_email:
        staff = UserFactory(email=staff_email, full_name=f"{name_en} staff", roles=["nominating_body_staff"])
        staff.agency = agency
        staff.save(update_fields=["agency"])
    return body, staff

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

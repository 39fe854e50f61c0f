"""Factories for test data; personas in conftest.py are built from these."""

from __future__ import annotations

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from residence.accounts.models import Agency, Office, User

PASSWORD = "correct horse battery staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"agency-{n}")
    name_en = factory.LazyAttribute(lambda o: f"Agency {o.code}")
    name_zh = factory.LazyAttribute(lambda o: f"机构{o.code}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = "nia"
    name_en = "National Immigration Administration"
    name_zh = "国家移民管理局"
    level = Office.Level.NATIONAL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    # Verified, as an account that can submit; tests of verification make their own.
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()

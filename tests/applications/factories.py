"""Factories for the applications tests: profiles, complete drafts, offices and officers."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from applications import services
from applications.models import ApplicantProfile
from residence.accounts.models import Office
from tests.factories import UserFactory


def png_bytes(size: tuple[int, int] = (360, 450)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def png_upload(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    owner = factory.SubFactory(UserFactory, roles=["applicant"])
    family_name = "Martin"
    given_names = "Alice"
    sex = "F"
    # Every factory person is born on a different day, far enough apart in at least two of year,
    # month and day that identity resolution never takes two of them for one person (no two
    # profiles within 60 of each other in the sequence share two fields or a swapped day/month).
    birth_date = factory.Sequence(lambda n: dt.date(1980 + n % 10, 1 + n % 12, 1 + (n * 5) % 28))
    nationality = "FRA"
    passport_number = factory.Sequence(lambda n: f"P{n:08d}")
    passport_expiry = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=2000))
    email = factory.LazyAttribute(lambda o: o.owner.email)
    phone = "+86 138 0000 0000"
    address = "1 Tianhe Road, Guangzhou"
    province = "CN-GD"
    city_code = "440100"


def offices() -> dict[str, Office]:
    nia, _ = Office.objects.get_or_create(
        code="nia", defaults={"name_en": "National", "name_zh": "国家", "level": "national"}
    )
    gd, _ = Office.objects.get_or_create(
        code="gd",
        defaults={
            "name_en": "Guangdong",
            "name_zh": "广东",
            "level": "provincial",
            "province": "CN-GD",
            "parent": nia,
        },
    )
    gz, _ = Office.objects.get_or_create(
        code="gd-gz",
        defaults={
            "name_en": "Guangzhou",
            "name_zh": "广州",
            "level": "municipal",
            "province": "CN-GD",
            "city_code": "440100",
            "parent": gd,
        },
    )
    sc, _ = Office.objects.get_or_create(
        code="sc",
        defaults={
            "name_en": "Sichuan",
            "name_zh": "四川",
            "level": "provincial",
            "province": "CN-SC",
            "parent": nia,
        },
    )
    return {"nia": nia, "gd": gd, "gd-gz": gz, "sc": sc}


def officer(role: str, office: Office, **kwargs):
    return UserFactory(roles=[role], office=office, **kwargs)


WORK_FACTS = {
    "employer_name": "Canton Robotics Ltd",
    "employer_credit_code": "91440101MA5CXXXX1X".replace("X", "0"),
    "employer_type": "private",
    "work_province": "CN-GD",
    "position": "Engineer",
    "start_date": dt.date(2016, 3, 1),
    "annual_salary_cny": Decimal("600000"),
    "annual_income_tax_cny": Decimal("150000"),
    "education": "master",
    "hsk_level": 4,
}


def complete_draft(profile: ApplicantProfile, *, channel: str = "work", facts: dict | None = None):
    """A draft with valid facts and every required document uploaded."""
    actor = profile.owner
    application = services.application_create(actor=actor, profile=profile, channel=channel)
    return fill_draft(application, actor=actor, channel=channel, facts=facts)


def fill_draft(application, *, actor, channel: str = "work", facts: dict | None = None):
    """Valid facts and every required document on a draft, entered by ``actor`` (owner, agent, window)."""
    facts = WORK_FACTS if facts is None and channel == "work" else (facts or {})
    services.application_update(
        actor=actor,
        application=application,
        facts=facts,
        years_in_china=[(timezone.localdate().year - i, 300) for i in range(1, 6)]
        if channel in ("work", "family")
        else None,
    )
    # The checklist depends on the facts just saved (a former national's differs): read it afresh.
    application = type(application).objects.get(pk=application.pk)
    for doc in services.required_documents_for(application):
        services.document_upload(
            actor=actor, application=application, document_type=doc.code, file=png_upload()
        )
    return application


def submitted(profile: ApplicantProfile, **kwargs):
    application = complete_draft(profile, **kwargs)
    return services.application_submit(actor=profile.owner, application=application, declaration=True)


def intake_done(application, officer):
    """The in-person intake (passport original, photo, fingerprints) recorded by the intake officer, as
    application_accept needs it first (issue 15)."""
    from counters import services as counter_services

    counter_services.intake_record(
        actor=officer,
        application=application,
        passport_checked=True,
        photo_taken=True,
        fingerprints_taken=True,
    )


def accept_and_verify(application, intake_officer):
    """Intake accepts; the verification stage ends as the verification app would end it when its checks have results."""
    from applications.models import Application, Status

    intake_done(application, intake_officer)
    services.application_accept(actor=intake_officer, application=application)
    application = Application.objects.get(pk=application.pk)
    if application.status == Status.VERIFYING:
        services.application_verification_completed(application=application)
    return Application.objects.get(pk=application.pk)

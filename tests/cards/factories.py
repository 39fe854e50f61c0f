"""Test data for the cards app: holders with an approved application and a photo, and their cards."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from applications.models import ApplicantProfile, Application, ApplicationDocument, Status
from tests.factories import OfficeFactory, UserFactory


def photo_bytes(width: int = 420, height: int = 540, fmt: str = "JPEG") -> bytes:
    """A plain portrait: a grey background, a head and shoulders."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (226, 232, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.16, width * 0.7, height * 0.56), fill=(196, 160, 132))
    draw.ellipse((width * 0.12, height * 0.6, width * 0.88, height * 1.25), fill=(40, 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def office_gd():
    nia = OfficeFactory()
    return OfficeFactory(
        code="gd",
        name_en="Guangdong Provincial Exit-Entry Administration",
        name_zh="广东省出入境管理局",
        level="provincial",
        parent=nia,
        province="CN-GD",
    )


def profile_for(owner, **overrides) -> ApplicantProfile:
    values = {
        "owner": owner,
        "family_name": "Martin",
        "given_names": "Alice Claire",
        "chinese_name": "马丽丝",
        "sex": "F",
        "birth_date": dt.date(1985, 4, 12),
        "nationality": "FRA",
        "passport_number": "18AB12345",
        "passport_expiry": timezone.localdate() + dt.timedelta(days=3000),
        "email": owner.email,
        "address": "88 Tianhe Road, Guangzhou",
        "province": "CN-GD",
        "city_code": "440100",
    }
    values.update(overrides)
    return ApplicantProfile.objects.create(**values)


def approved_application(
    profile, *, photo: bytes | None = None, status: str = Status.APPROVED
) -> Application:
    office = office_gd()
    application = Application.objects.create(
        channel="work",
        status=status,
        applicant=profile,
        created_by=profile.owner,
        office=office,
        province=profile.province,
        city_code=profile.city_code,
        nationality=profile.nationality,
        reference=f"PR-2025-{profile.pk:06d}",
        decision_reason="All conditions are met.",
    )
    data = photo if photo is not None else photo_bytes()
    document = ApplicationDocument(
        application=application,
        document_type="photo",
        original_name="photo.jpg",
        content_type="image/jpeg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=profile.owner,
    )
    document.file.save("photo", ContentFile(data), save=False)
    document.save()
    return application


def issued_card(owner=None, **profile_overrides):
    """A holder's first card, as the approval makes it (documents rendered eagerly in tests)."""
    from cards.services import card_issue_for_application

    owner = owner or UserFactory(roles=["applicant"])
    application = approved_application(profile_for(owner, **profile_overrides))
    with transaction.atomic():
        return card_issue_for_application(application_id=application.pk)

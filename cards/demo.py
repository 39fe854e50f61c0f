"""Demo cards: one issued card for each approved demo application, and a demo bank with an API key.

Runs after the applications demo (INSTALLED_APPS order); with no approved application it issues
nothing. Idempotent: a second run issues no second card and no second key.
"""

from __future__ import annotations

import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction

from .models import Card, Institution, InstitutionApiKey

DEMO_BANK = ("Demo Bank of Guangzhou", "演示广州银行")


def _demo_photo() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 540), (226, 232, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((126, 86, 294, 302), fill=(196, 160, 132))
    draw.ellipse((50, 324, 370, 675), fill=(40, 60, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _ensure_photo(application) -> None:
    from applications.models import ApplicationDocument

    if application.documents.filter(document_type="photo", dependant__isnull=True, superseded=False).exists():
        return
    data = _demo_photo()
    document = ApplicationDocument(
        application=application,
        document_type="photo",
        original_name="demo-photo.jpg",
        content_type="image/jpeg",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=application.created_by,
        version=1 + application.documents.filter(document_type="photo", dependant__isnull=True).count(),
    )
    document.file.save("photo", ContentFile(data), save=False)
    document.save()


def seed() -> None:
    from applications.models import Application, Status

    from .services import card_issue_for_application, institution_api_key_issue

    for application in Application.objects.filter(status=Status.APPROVED).select_related("created_by")[:20]:
        if Card.objects.filter(application=application).exists():
            continue
        with transaction.atomic():
            _ensure_photo(application)
            card = card_issue_for_application(application_id=application.pk, actor=application.decided_by)
        if card is not None:
            print(f"Cards: issued demo card {card.number} for application {application}.")  # noqa: T201
    with transaction.atomic():
        bank, _created = Institution.objects.get_or_create(
            name_en=DEMO_BANK[0], defaults={"name_zh": DEMO_BANK[1], "kind": Institution.Kind.BANK}
        )
        if not InstitutionApiKey.objects.filter(institution=bank, revoked_at__isnull=True).exists():
            _key, raw = institution_api_key_issue(actor=None, institution=bank)
            # Shown once, like every key: only its hash is stored.
            print(f"Cards: API key for {bank.name_en} (shown once): {raw}")  # noqa: T201

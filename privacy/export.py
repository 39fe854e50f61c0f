"""All the data the portal holds about one person (PIPL art. 45): one JSON document and a readable PDF.

The JSON holds every model that stores the person's data, row by row, with each field's stored
value; files are listed by their metadata with the address that downloads them (after the same
permission check as anywhere else). Staff appear only as "staff": which officer did what is the
administration's record, not the person's; the offices that read a case are listed by office.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst

from residence.audit.models import AuditEntry

from . import selectors
from .models import CaseAccess, Consent, CorrectionRequest

FORMAT_VERSION = 1
# Fields never exported: secrets and the system's own bookkeeping.
SKIPPED = {"password", "lease_token", "prev_hash", "hash"}


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def row(
    obj: models.Model, person, *, exclude: tuple[str, ...] = (), files: dict[str, str] | None = None
) -> dict:
    """The stored fields of ``obj``: users other than the person as "staff", files as links."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED or field.name in exclude:
            continue
        if isinstance(field, models.FileField):
            name = getattr(obj, field.attname)
            out[field.name] = {
                "stored": bool(name),
                "download": (files or {}).get(field.name) if name else None,
            }
        elif field.is_relation and field.related_model is user_model:
            user_id = getattr(obj, field.attname)
            out[field.name] = (
                None if user_id is None else ("you" if user_id == person.pk else "staff or intermediary")
            )
        elif field.is_relation:
            out[field.name] = getattr(obj, field.attname)
        else:
            out[field.name] = _value(getattr(obj, field.attname))
    return out


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _application_part(application, person) -> dict:
    from applications.channels import CHANNELS

    part = row(application, person, exclude=("claimed_by", "claimed_until", "recommended_by", "decided_by"))
    facts = application.facts
    spec = CHANNELS.get(application.channel)
    part["facts"] = row(facts, person) if facts is not None else None
    part["channel_facts_model"] = spec.model._meta.label if spec else None
    part["years_in_china"] = (
        [{"year": y.year, "days": y.days} for y in application.years_in_china.all()]
        if hasattr(application, "years_in_china")
        else []
    )
    part["dependants"] = [row(d, person) for d in application.dependants.all()]
    part["documents"] = [
        row(
            d,
            person,
            files={"file": _absolute(reverse("applications:document", args=[application.pk, d.pk]))},
        )
        for d in application.documents.all()
    ]
    part["status_history"] = [row(change, person) for change in application.status_changes.all()]
    part["evidence_requests"] = [row(e, person) for e in application.evidence_requests.all()]
    if apps.is_installed("verification"):
        part["verification_checks"] = [
            row(c, person, exclude=("correlation_id",)) for c in application.verification_checks.all()
        ]
    return part


def _cards_part(profile_ids: list[int], person) -> dict:
    if not apps.is_installed("cards"):
        return {}
    from cards.models import Card, CardDocument, CardRequest, PresenceRecord, ResidenceAlert

    cards = list(Card.objects.filter(profile_id__in=profile_ids).order_by("issued_on", "id"))
    card_ids = [c.pk for c in cards]
    return {
        "cards": [
            row(c, person, files={"photo": _absolute(reverse("cards:card_photo", args=[c.pk]))})
            for c in cards
        ],
        "card_documents": [
            row(d, person, files={"file": _absolute(reverse("cards:document", args=[d.pk]))})
            for d in CardDocument.objects.filter(Q(card_id__in=card_ids) | Q(recipient=person)).order_by("id")
        ],
        "card_requests": [
            row(r, person) for r in CardRequest.objects.filter(card_id__in=card_ids).order_by("id")
        ],
        "presence_records": [
            row(r, person)
            for r in PresenceRecord.objects.filter(profile_id__in=profile_ids).order_by("on", "id")
        ],
        "residence_alerts": [
            row(r, person) for r in ResidenceAlert.objects.filter(profile_id__in=profile_ids).order_by("id")
        ],
    }


def _audit_part(person, objects: dict[type, list]) -> list[dict]:
    """Entries about the person's records, or made by them: when, what, on what, and by whom in kind."""
    condition = Q(actor=person) | Q(
        content_type=ContentType.objects.get_for_model(person), object_id=str(person.pk)
    )
    for model, ids in objects.items():
        if ids:
            condition |= Q(
                content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids]
            )
    entries = AuditEntry.objects.filter(condition).select_related("content_type").order_by("created_at", "id")
    return [
        {
            "at": _value(entry.created_at),
            "action": entry.action,
            "record": f"{entry.content_type.app_label}.{entry.content_type.model}"
            if entry.content_type
            else None,
            "record_id": entry.object_id or None,
            "by": "you"
            if entry.actor_id == person.pk
            else ("system" if entry.actor_id is None else "staff or intermediary"),
            "reason": entry.reason if entry.actor_id == person.pk else "",
        }
        for entry in entries.iterator()
    ]


def person_data(person) -> dict:
    """Everything held about ``person`` (a user), as plain JSON-ready data."""
    from applications.models import ApplicantProfile, Application, Authorisation, Notification

    profiles = list(ApplicantProfile.objects.filter(owner=person).order_by("id"))
    profile_ids = [p.pk for p in profiles]
    applications = list(
        Application.objects.filter(applicant_id__in=profile_ids)
        .select_related("applicant")
        .prefetch_related("dependants", "documents", "status_changes", "evidence_requests")
        .order_by("id")
    )
    application_ids = [a.pk for a in applications]
    authorisations = list(
        Authorisation.objects.filter(Q(applicant=person) | Q(intermediary=person))
        .select_related("applicant", "intermediary")
        .order_by("id")
    )
    consents = list(Consent.objects.filter(person=person).order_by("given_at", "id"))
    corrections = list(CorrectionRequest.objects.filter(person=person).order_by("id"))
    data: dict[str, Any] = {
        "format": "pr-portal-personal-data",
        "format_version": FORMAT_VERSION,
        "generated_at": _value(timezone.now()),
        "account": {
            "email": person.email,
            "full_name": person.full_name,
            "preferred_language": person.preferred_language,
            "date_joined": _value(person.date_joined),
            "last_login": _value(person.last_login),
            "roles": sorted(person.roles),
        },
        "applicant_profiles": [row(p, person) for p in profiles],
        "applications": [_application_part(a, person) for a in applications],
        "authorisations": [
            row(a, person)
            | {
                "applicant_email": a.applicant.email if a.applicant_id == person.pk else None,
                "intermediary_email": a.intermediary.email,
            }
            for a in authorisations
        ],
        "consents": [row(c, person) for c in consents],
        "correction_requests": [row(c, person) for c in corrections],
        "notifications": [
            row(n, person) | {"message": n.message}
            for n in Notification.objects.filter(recipient=person)
            .select_related("application")
            .order_by("id")
        ],
        "offices_that_read_your_cases": [
            {
                "application": r["application__reference"],
                "office": r["office__name_en"]
                or r["agency__name_en"]
                or "National Immigration Administration",
                "office_zh": r["office__name_zh"] or r["agency__name_zh"] or "",
                "day": _value(r["hour__date"]),
            }
            for r in selectors.office_views_for(person=person)
        ],
    }
    data.update(_cards_part(profile_ids, person))
    if apps.is_installed("reconsideration"):
        from reconsideration.models import Reconsideration

        data["reconsiderations"] = [
            row(r, person, files={"letter": _absolute(reverse("reconsideration:letter", args=[r.pk]))})
            for r in Reconsideration.objects.filter(person=person).order_by("id")
        ]
    objects: dict[type, list] = {
        ApplicantProfile: profile_ids,
        Application: application_ids,
        Authorisation: [a.pk for a in authorisations],
        Consent: [c.pk for c in consents],
        CorrectionRequest: [c.pk for c in corrections],
    }
    data["audit_entries"] = _audit_part(person, objects)
    data["held_counts"] = {
        "staff_reads_logged": CaseAccess.objects.filter(application_id__in=application_ids).count(),
    }
    return data


# --- the readable PDF --------------------------------------------------------------------------------
def _both(label) -> tuple[str, str]:
    with translation.override("en"):
        en = str(label)
    with translation.override("zh-hans"):
        zh = str(label)
    return en, zh


def _labelled(obj: models.Model | None, names: list[str]) -> list[dict]:
    if obj is None:
        return []
    out = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if getattr(field, "choices", None):
            en, zh = _both(dict(field.flatchoices).get(value, value) or "")
        elif isinstance(value, dt.datetime):
            en = zh = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, bool):
            en, zh = ("Yes", "是") if value else ("No", "否")
        else:
            en = zh = "" if value in (None, "") else str(_value(value))
        label_en, label_zh = (capfirst(label) for label in _both(field.verbose_name))
        out.append({"label_en": label_en, "label_zh": label_zh, "value_en": en, "value_zh": zh})
    return out


def pdf_context(person) -> dict:
    from applications.models import ApplicantProfile, Application

    from .models import Purpose

    profiles = ApplicantProfile.objects.filter(owner=person).order_by("id")
    applications = (
        Application.objects.filter(applicant__owner=person).select_related("applicant").order_by("id")
    )
    consent_rows = []
    for consent in Consent.objects.filter(person=person).order_by("given_at", "id"):
        from . import consent_texts

        text = consent_texts.version(consent.text_version, consent.purpose)
        consent_rows.append(
            {
                "purpose": _both(Purpose(consent.purpose).label),
                "version": consent.text_version,
                "given_at": timezone.localtime(consent.given_at).strftime("%Y-%m-%d %H:%M"),
                "withdrawn_at": timezone.localtime(consent.withdrawn_at).strftime("%Y-%m-%d %H:%M")
                if consent.withdrawn_at
                else "",
                "text_en": text.en if text else "",
                "text_zh": text.zh if text else "",
            }
        )
    profile_fields = [
        "family_name", "given_names", "chinese_name", "sex", "birth_date", "nationality", "passport_number",
        "passport_expiry", "email", "phone", "address", "province", "city_code", "residence_permit_type",
    ]  # fmt: skip
    return {
        "person": person,
        "generated": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "profiles": [{"title": str(p), "rows": _labelled(p, profile_fields)} for p in profiles],
        "applications": [
            {
                "title": str(a),
                "rows": _labelled(a, ["channel", "status", "created_at", "submitted_at", "decided_at"]),
                "facts": _labelled(
                    a.facts,
                    [f.name for f in a.facts._meta.concrete_fields if f.name not in ("id", "application")],
                )
                if a.facts is not None
                else [],
                "documents": [
                    {"type": d.document_type, "name": d.original_name, "version": d.version, "size": d.size}
                    for d in a.documents.all()
                ],
                "dependants": [str(d.profile) for d in a.dependants.select_related("profile")],
            }
            for a in applications
        ],
        "consents": consent_rows,
        "offices": selectors.office_views_for(person=person),
        "corrections": CorrectionRequest.objects.filter(person=person).order_by("id"),
    }


def person_pdf(person) -> bytes:
    from django.template.loader import render_to_string

    from cards.documents import pdf_from_html

    with translation.override("en"):
        html = render_to_string("privacy/pdf/personal_data.html", pdf_context(person))
    return pdf_from_html(html, kind="personal_data")

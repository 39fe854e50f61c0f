"""Every write to the policy FAQ: atomic and audited."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residence import languages
from residence.accounts.models import Role
from residence.audit.services import audit_record

from .models import FaqEntry, FaqTranslation

DATA_FILE = Path(__file__).resolve().parent / "data" / "faq.yaml"


def user_can_edit(user) -> bool:
    """Policy administrators write the FAQ (it explains their policy); system administrators too."""
    return user.is_authenticated and user.has_role(Role.POLICY_ADMIN, Role.SYSTEM_ADMIN)


def _state(entry: FaqEntry) -> dict:
    return {
        "slug": entry.slug,
        "position": entry.position,
        "is_published": entry.is_published,
        "texts": entry.texts() if entry.pk else {},
    }


def _check_texts(texts: dict[str, dict[str, str]]) -> None:
    errors: dict[str, list[str]] = {}
    for code, row in texts.items():
        if not languages.is_known(code):
            errors.setdefault("language", []).append(_("This language is not offered."))
            continue
        try:
            FaqTranslation(language=code, **row).full_clean(exclude=["entry"], validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.setdefault(f"{name}_{languages.field_key(code)}", []).extend(messages)
    if languages.FALLBACK not in texts:
        errors.setdefault("question_en", []).append(_("Every question needs its English text."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def faq_entry_save(*, actor, entry: FaqEntry, texts: dict[str, dict[str, str]] | None = None) -> FaqEntry:
    """Create or change an entry and (when given) replace its texts, one row per language."""
    if actor is not None and not user_can_edit(actor):
        raise PermissionDenied(_("Only policy administrators edit the FAQ."))
    before = _state(FaqEntry.objects.select_for_update().get(pk=entry.pk)) if entry.pk else None
    texts = (
        {
            code: {k: (v or "").replace("\x00", "").strip() for k, v in row.items()}
            for code, row in texts.items()
        }
        if texts is not None
        else None
    )
    if texts is not None:
        texts = {code: row for code, row in texts.items() if row.get("question") or row.get("answer")}
        _check_texts(texts)
    entry.full_clean(exclude=["updated_by"])
    entry.updated_by = actor
    entry.save()
    if texts is not None:
        entry.translations.exclude(language__in=list(texts)).delete()
        for code, row in texts.items():
            FaqTranslation.objects.update_or_create(entry=entry, language=code, defaults=row)
    audit_record(
        actor=actor,
        action="faq.save" if before else "faq.create",
        obj=entry,
        before=before,
        after=_state(entry),
    )
    return entry


def read_data_file(path: Path = DATA_FILE) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["entries"]


@transaction.atomic
def faq_install_default(*, actor=None, path: Path = DATA_FILE) -> int:
    """The shipped questions, for an installation that has none yet (idempotent by slug)."""
    created = 0
    for position, spec in enumerate(read_data_file(path)):
        if FaqEntry.objects.filter(slug=spec["slug"]).exists():
            continue
        texts = {
            code: {"question": spec["question"][code], "answer": spec["answer"][code]}
            for code in spec["question"]
        }
        faq_entry_save(actor=actor, entry=FaqEntry(slug=spec["slug"], position=position * 10), texts=texts)
        created += 1
    return created

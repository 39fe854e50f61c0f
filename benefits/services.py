"""Every write to the benefits registry: atomic, permission-checked, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from residence import languages
from residence.audit.services import audit_record

from .models import (
    SERVICE_CATEGORIES,
    SHARED_FIELDS,
    SHORT_TEXT_MAX,
    TEXT_FIELDS,
    BenefitComment,
    BenefitContent,
    BenefitItem,
    BenefitItemTranslation,
    BenefitItemVersion,
    BenefitVersionTranslation,
    HolderProfile,
    Kind,
    split_text_field_name,
    text_field_name,
)
from .selectors import user_can_draft, user_can_publish, user_is_reviewer


class StateConflict(ValidationError):
    """The item is not in a state that allows this (withdrawn, already published, edited meanwhile): a 409."""


def _refuse(*, actor, item: BenefitItem, message: str) -> None:
    """A 403 for those who may see the item (its agency, the administration); a 404 for everyone else."""
    sees_it = user_is_reviewer(user=actor) or (
        actor.is_authenticated and actor.agency_id is not None and actor.agency_id == item.agency_id
    )
    if sees_it:
        raise PermissionDenied(message)
    raise Http404


Texts = dict[str, dict[str, str]]


def _clean_values(values: dict[str, Any]) -> tuple[dict[str, Any], Texts]:
    """(shared fields, {language: {field: text}}) from flattened values (``title_en``, ``kind``)."""
    unknown = set(values) - set(BenefitContent.CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("This field cannot be set.")] for name in sorted(unknown)})
    shared: dict[str, Any] = {}
    texts: Texts = {}
    for name, value in values.items():
        if isinstance(value, str):
            # NUL bytes cannot be stored by PostgreSQL and have no business in a description.
            value = value.replace("\x00", "").strip()
        value = "" if value is None and name != "effective_date" else value
        split = split_text_field_name(name)
        if split is None:
            shared[name] = value
        else:
            field, code = split
            texts.setdefault(code, {})[field] = value
    return shared, texts


def _merged(current: Texts, changes: Texts) -> Texts:
    """The item's texts after an edit that names only some languages and fields."""
    merged = {code: dict(row) for code, row in current.items()}
    for code, row in changes.items():
        merged.setdefault(code, dict.fromkeys(TEXT_FIELDS, ""))
        merged[code].update(row)
    # A language whose every text was cleared is no translation at all.
    return {code: row for code, row in merged.items() if any(row.values())}


def validate_draft(item: BenefitItem) -> None:
    """What every saved draft must satisfy: a title, known choices, nothing oversized."""
    errors: dict[str, list[str]] = {}
    try:
        item.full_clean(exclude=["agency", "created_by", "published_version", "state"], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    texts = item.texts()
    for code, row in texts.items():
        if not languages.is_known(code):
            errors.setdefault("language", []).append(_("This language is not offered."))
            continue
        try:
            BenefitItemTranslation(language=code, **row).full_clean(exclude=["item"], validate_unique=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(text_field_name(field, code), []).extend(messages)
    if not any(row.get("title") for row in texts.values()):
        errors.setdefault(text_field_name("title", languages.FALLBACK), []).append(
            _("Give the item a title, in English or another language.")
        )
    if item.category and "category" not in errors:
        is_service_category = item.category in SERVICE_CATEGORIES
        if is_service_category != (item.kind == Kind.SERVICE):
            errors.setdefault("category", []).append(
                _("Integration services use the service categories; treatment items use the others.")
            )
    if errors:
        raise ValidationError(errors)


def _validate_publishable(item: BenefitItem) -> None:
    """Published items have their title and description in English, which every reader whose
    language is missing is shown; each other language, if given, says everything English says
    (a half-translated page would mix languages), and nothing English does not."""
    validate_draft(item)
    errors: dict[str, list[str]] = {}
    texts = item.texts()
    english = texts.get(languages.FALLBACK) or {}
    for field in ("title", "description"):
        if not english.get(field):
            errors.setdefault(text_field_name(field, languages.FALLBACK), []).append(
                _("Publishing needs this in English.")
            )
    for code, row in texts.items():
        if code == languages.FALLBACK:
            continue
        for field in TEXT_FIELDS:
            if english.get(field) and not row.get(field):
                errors.setdefault(text_field_name(field, code), []).append(
                    _("Publishing needs this in %(language)s too, as the English has it.")
                    % {"language": languages.name(code)}
                )
            elif row.get(field) and not english.get(field):
                errors.setdefault(text_field_name(field, languages.FALLBACK), []).append(
                    _("Publishing needs this in English too.")
                )
    if errors:
        raise ValidationError(errors)


def _write_texts(item: BenefitItem, texts: Texts) -> None:
    """The item's translation rows made to match ``texts`` (rows of languages now empty go)."""
    existing = {row.language: row for row in item.translations.all()}
    for code, row in texts.items():
        translation = existing.pop(code, None) or BenefitItemTranslation(item=item, language=code)
        if translation.pk is not None and translation.values() == row:
            continue
        for field in TEXT_FIELDS:
            setattr(translation, field, row.get(field, ""))
        translation.save()
    for gone in existing.values():
        gone.delete()
    item.set_texts(texts)


def publish_problems(item: BenefitItem) -> dict[str, list[str]]:
    """What stands between a working copy and publication, for the workspace to show beforehand."""
    try:
        _validate_publishable(item)
    except ValidationError as error:
        return error.message_dict
    return {}


def _audit_state(item: BenefitItem) -> dict:
    return {"state": item.state, **item.content()}


@transaction.atomic
def benefit_item_create(*, actor, values: dict[str, Any]) -> BenefitItem:
    """A new draft of the actor's own agency."""
    agency_id = getattr(actor, "agency_id", None)
    if agency_id is None or not user_can_draft(user=actor, agency_id=agency_id):
        raise PermissionDenied(_("Only agency staff can draft items, for their own agency."))
    shared, texts = _clean_values(values)
    item = BenefitItem(agency_id=agency_id, created_by=actor, **shared)
    item.set_texts(_merged({}, texts))
    validate_draft(item)
    item.save()
    _write_texts(item, item.texts())
    audit_record(actor=actor, action="benefits.create", obj=item, after=_audit_state(item))
    return item


@transaction.atomic
def benefit_item_update(
    *, actor, item: BenefitItem, values: dict[str, Any], lock_version: int | None = None
) -> BenefitItem:
    """Change the working copy. A published item keeps its public version until the change is published."""
    if not user_can_draft(user=actor, agency_id=item.agency_id):
        _refuse(actor=actor, item=item, message=_("Only staff of the item's own agency can edit it."))
    item = BenefitItem.objects.select_for_update().get(pk=item.pk)
    if not item.is_editable:
        raise StateConflict(_("A withdrawn item cannot be edited."))
    if lock_version is not None and lock_version != item.lock_version:
        raise StateConflict(
            _("Someone changed this item after you opened it. Reload it and make your change again.")
        )
    before = _audit_state(item)
    shared, texts = _clean_values(values)
    for name, value in shared.items():
        setattr(item, name, value)
    item.set_texts(_merged(item.texts(), texts))
    validate_draft(item)
    published = item.published_version
    item.has_pending_changes = published is None or item.content() != published.content()
    item.lock_version += 1
    item.save(update_fields=[*shared, "has_pending_changes", "lock_version", "updated_at"])
    _write_texts(item, item.texts())
    audit_record(actor=actor, action="benefits.update", obj=item, before=before, after=_audit_state(item))
    return item


@transaction.atomic
def benefit_item_publish(*, actor, item: BenefitItem) -> BenefitItemVersion:
    """Freeze the working copy as the next public version (a supervisor of the same agency)."""
    if not user_can_publish(user=actor, agency_id=item.agency_id):
        _refuse(
            actor=actor, item=item, message=_("Only a supervisor of the item's own agency can publish it.")
        )
    item = (
        BenefitItem.objects.select_for_update(of=("self",))
        .select_related("published_version")
        .get(pk=item.pk)
    )
    if not can_proceed(item.publish):
        raise StateConflict(_("A withdrawn item cannot be published again."))
    if item.state == BenefitItem.State.PUBLISHED and not item.has_pending_changes:
        raise StateConflict(_("There are no changes to publish: the public already sees this version."))
    _validate_publishable(item)
    before = _audit_state(item)
    previous = item.published_version
    now_content = item.content()
    before_content = previous.content() if previous is not None else {}
    changed = [
        name
        for name in BenefitContent.CONTENT_FIELDS
        if previous is None or now_content[name] != before_content[name]
    ]
    number = (item.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    now = timezone.now()
    version = BenefitItemVersion.objects.create(
        item=item,
        agency_id=item.agency_id,
        number=number,
        changed_fields=changed,
        published_by=actor,
        published_at=now,
        **{name: getattr(item, name) for name in SHARED_FIELDS},
    )
    BenefitVersionTranslation.objects.bulk_create(
        BenefitVersionTranslation(version=version, language=code, **row) for code, row in item.texts().items()
    )
    item.publish(version=version, when=now)
    item.save(
        update_fields=["state", "published_version", "published_at", "has_pending_changes", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="benefits.publish",
        obj=item,
        before=before,
        after={**_audit_state(item), "version": number, "changed_fields": changed},
    )
    return version


@transaction.atomic
def benefit_item_withdraw(*, actor, item: BenefitItem, reason: str = "") -> BenefitItem:
    """Take a published item out of the catalogue for good (a supervisor of the same agency)."""
    if not user_can_publish(user=actor, agency_id=item.agency_id):
        _refuse(
            actor=actor, item=item, message=_("Only a supervisor of the item's own agency can withdraw it.")
        )
    reason = (reason or "").replace("\x00", "").strip()
    if len(reason) > SHORT_TEXT_MAX:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(max)d characters.") % {"max": SHORT_TEXT_MAX}]}
        )
    item = BenefitItem.objects.select_for_update().get(pk=item.pk)
    if not can_proceed(item.withdraw):
        raise StateConflict(_("Only a published item can be withdrawn."))
    before = _audit_state(item)
    item.withdraw(when=timezone.now(), reason=reason)
    item.save(update_fields=["state", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="benefits.withdraw",
        obj=item,
        before=before,
        after=_audit_state(item),
        reason=reason,
    )
    return item


@transaction.atomic
def benefit_comment_create(*, actor, item: BenefitItem, body: str) -> BenefitComment:
    """A policy administrator's review comment; the agency reads it in its workspace."""
    if not user_is_reviewer(user=actor):
        _refuse(actor=actor, item=item, message=_("Only policy administrators leave review comments."))
    body = (body or "").replace("\x00", "").strip()
    comment = BenefitComment(item=item, author=actor, body=body)
    if not body:
        raise ValidationError({"body": [_("Write a comment first.")]})
    comment.full_clean(exclude=["item", "author"])
    comment.save()
    audit_record(actor=actor, action="benefits.comment", obj=item, after={"comment": body})
    return comment


def _holder_state(profile: HolderProfile) -> dict:
    return {
        "is_working": profile.is_working,
        "is_minor": profile.is_minor,
        "card_number": profile.card_number,
    }


@transaction.atomic
def holder_profile_set(
    *, actor, user, is_working: bool, is_minor: bool, card_number: str = "", source: str = "cards"
) -> HolderProfile:
    """Record a PR holder's situation; the cards app (#7) calls this when it issues or updates a card."""
    profile, created = HolderProfile.objects.select_for_update().get_or_create(
        user=user,
        defaults={
            "is_working": is_working,
            "is_minor": is_minor,
            "card_number": card_number,
            "source": source,
        },
    )
    before = None
    if not created:
        before = _holder_state(profile)
        profile.is_working, profile.is_minor = is_working, is_minor
        profile.card_number, profile.source = card_number, source
        profile.save(update_fields=["is_working", "is_minor", "card_number", "source", "updated_at"])
    audit_record(
        actor=actor,
        action="benefits.holder_profile",
        obj=profile,
        before=before,
        after={"is_working": is_working, "is_minor": is_minor, "card_number": card_number, "source": source},
    )
    return profile


@transaction.atomic
def holder_card_number_set(*, actor, user, card_number: str) -> HolderProfile | None:
    """A holder's new card (replacement, renewal) replaces the old number; nothing for a non-holder."""
    profile = HolderProfile.objects.select_for_update().filter(user=user).first()
    if profile is None or profile.card_number == card_number:
        return profile
    before = _holder_state(profile)
    profile.card_number = card_number
    profile.save(update_fields=["card_number", "updated_at"])
    audit_record(
        actor=actor,
        action="benefits.holder_profile",
        obj=profile,
        before=before,
        after=_holder_state(profile),
    )
    return profile


@transaction.atomic
def holder_profile_clear(*, actor, user, reason: str = "") -> bool:
    """Forget a person's holder situation: their card was revoked, so no treatment item is theirs.

    The cards app calls this in the revocation's transaction. Returns whether there was one.
    """
    profile = HolderProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        return False
    audit_record(
        actor=actor,
        action="benefits.holder_profile_clear",
        obj=profile,
        before=_holder_state(profile),
        reason=reason,
    )
    profile.delete()
    return True

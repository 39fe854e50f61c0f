"""Policy versions: drafts, validation, import/export, publication and immutability (R6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eligibility.documents import dump_policy_text, jsonable
from eligibility.engine import read_policy_document
from eligibility.models import PolicyVersion
from eligibility.selectors import policy_version_in_force
from eligibility.services import (
    eligibility_assess,
    policy_draft_create,
    policy_draft_update,
    policy_import,
    policy_publish,
)
from residence.audit.models import AuditEntry
from tests.eligibility.factories import policy_admin

pytestmark = pytest.mark.django_db


def investor(amount: str) -> dict:
    return {
        "amount_usd": amount,
        "method": "direct",
        "first_investment_date": "2018-01-01",
        "enterprise_address_code": "510100",  # Chengdu: western region
        "industry_code": "C3011",  # cement: not encouraged
        "tax_record_good": True,
    }


def set_western_minimum(document: dict, amount: int) -> dict:
    branches = document["channels"]["investment"]["requirements"]["all"][3]["any"]
    western = next(b for b in branches if "all" in b and b["all"][0]["id"] == "amount_500k_western")
    western["all"][0]["value"] = amount
    return document


def test_a_draft_is_a_copy_of_the_version_in_force():
    admin = policy_admin()
    draft = policy_draft_create(actor=admin)
    current = policy_version_in_force()
    assert draft.status == "draft"
    assert draft.based_on == current
    assert draft.document["channels"] == current.document["channels"]
    assert draft.document["version"] == draft.label
    assert AuditEntry.objects.filter(
        action="eligibility.policy_draft_create", object_id=str(draft.pk)
    ).exists()


def test_publishing_a_new_threshold_changes_a_new_check_but_not_a_stored_snapshot():
    admin = policy_admin()
    today = timezone.localdate()
    stored = eligibility_assess(channel="investment", facts=investor("500000"), as_of=today).snapshot
    assert stored["outcome"] == "eligible"

    draft = policy_draft_create(actor=admin)
    policy_draft_update(actor=admin, draft=draft, document=set_western_minimum(dict(draft.document), 600000))
    old = policy_version_in_force()
    policy_publish(actor=admin, draft=draft, effective_from=today + timedelta(days=1))

    old.refresh_from_db()
    assert old.effective_to == today + timedelta(days=1)
    assert old.status == "retired"
    tomorrow = eligibility_assess(
        channel="investment", facts=investor("500000"), as_of=today + timedelta(days=1)
    )
    assert tomorrow.result.outcome == "not_eligible"
    assert tomorrow.policy_version == draft
    # The decision already made keeps its version and result.
    again = eligibility_assess(
        channel="investment", facts=investor("500000"), as_of=today, policy_version=old
    )
    assert again.snapshot["outcome"] == stored["outcome"] == "eligible"
    assert stored["policy_version_label"] == old.label
    assert PolicyVersion.objects.get(pk=old.pk).document == old.document


def test_a_published_version_cannot_be_edited_through_the_service():
    admin = policy_admin()
    current = policy_version_in_force()
    with pytest.raises(ValidationError):
        policy_draft_update(actor=admin, draft=current, document=current.document)
    with pytest.raises(ValidationError):
        policy_publish(actor=admin, draft=current)


def test_a_draft_with_errors_is_not_saved_and_errors_name_their_path():
    admin = policy_admin()
    draft = policy_draft_create(actor=admin)
    document = dict(draft.document)
    document["channels"] = dict(document["channels"])
    document["channels"]["investment"] = {**document["channels"]["investment"], "label": {"en": "Investment"}}
    with pytest.raises(ValidationError) as error:
        policy_draft_update(actor=admin, draft=draft, document=document)
    assert "document.channels.investment.label.zh" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.document["channels"]["investment"]["label"]["zh"] == "投资"


def test_publishing_in_the_past_is_refused():
    admin = policy_admin()
    draft = policy_draft_create(actor=admin)
    with pytest.raises(ValidationError):
        policy_publish(actor=admin, draft=draft, effective_from=timezone.localdate() - timedelta(days=1))
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_only_policy_admins_publish(alice):
    draft = policy_draft_create(actor=policy_admin())
    with pytest.raises(PermissionDenied):
        policy_publish(actor=alice, draft=draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_an_exported_version_imports_back_as_an_equal_draft(fmt):
    current = policy_version_in_force()
    text = dump_policy_text(current.document, fmt=fmt).replace("2016.1-default", "2016.1-copy")
    draft = policy_import(actor=policy_admin(), text=text, fmt=fmt)
    assert draft.status == "draft"
    assert draft.label == "2016.1-copy"
    assert draft.document["channels"] == current.document["channels"]
    assert draft.compiled().channels["talent"].pass_mark == 80


def _shipped() -> dict:
    return jsonable(read_policy_document())


def _default_yaml(**top) -> str:
    document = _shipped()
    document["version"] = "imported"
    document.update(top)
    return yaml.safe_dump(document, allow_unicode=True)


def _with_channel_change(change) -> str:
    document = _shipped()
    document["version"] = "imported"
    change(document)
    return yaml.safe_dump(document, allow_unicode=True)


def _overlap(document):
    document["channels"]["talent"]["points"]["criteria"][3]["brackets"][1]["min"] = 1


def _unknown_fact(document):
    document["channels"]["investment"]["requirements"]["all"][0]["fact"] = "amount_eur"


def _missing_translation(document):
    document["channels"]["family"]["label"] = {"en": "Family"}


@pytest.mark.parametrize(
    ("text", "fmt", "path", "words"),
    [
        ("version: [unclosed", "yaml", "document", "Not valid YAML"),
        ('{"version": ', "json", "document", "Not valid JSON"),
        ("- just\n- a list\n", "yaml", "document", "mapping"),
        (
            _with_channel_change(_overlap),
            "yaml",
            "document.channels.talent.points.criteria[3].brackets[1]",
            "overlap",
        ),
        (
            _with_channel_change(_unknown_fact),
            "yaml",
            "document.channels.investment.requirements.all[0].fact",
            "unknown fact",
        ),
        (
            _with_channel_change(_missing_translation),
            "yaml",
            "document.channels.family.label.zh",
            "translation",
        ),
        (_default_yaml(effective_from="someday"), "yaml", "document.effective_from", "not a date"),
        (_default_yaml(surprise=1), "yaml", "document.surprise", "unknown key"),
        (_default_yaml(version="2016.1-default"), "yaml", "document.version", "already has this label"),
    ],
    ids=[
        "bad-yaml",
        "bad-json",
        "not-a-mapping",
        "overlapping-brackets",
        "unknown-fact",
        "missing-translation",
        "bad-date",
        "unknown-key",
        "duplicate-label",
    ],
)
def test_an_invalid_policy_file_is_refused_with_a_clear_message_and_nothing_stored(text, fmt, path, words):
    before = PolicyVersion.objects.count()
    with pytest.raises(ValidationError) as error:
        policy_import(actor=policy_admin(), text=text, fmt=fmt)
    messages = error.value.message_dict
    assert path in messages, messages
    assert any(words.lower() in message.lower() for message in messages[path]), messages[path]
    assert PolicyVersion.objects.count() == before
    assert not AuditEntry.objects.filter(action="eligibility.policy_import").exists()

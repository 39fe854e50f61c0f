"""Policy texts in any configured language: English and Chinese required, the rest optional with
an English fallback that says so; an unknown language code is an unknown key with a suggestion."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from eligibility.engine import read_policy_document, validate_policy
from eligibility.services import policy_draft_create, policy_draft_update, policy_publish
from tests.eligibility.factories import policy_admin

DEFAULT = read_policy_document()
OPTIONAL = ("ja", "ko", "ru", "ar")


def _without(node, keys=OPTIONAL):
    """The document with every optional-language text removed (the default may carry some)."""
    if isinstance(node, dict):
        return {k: _without(v, keys) for k, v in node.items() if k not in keys}
    if isinstance(node, list):
        return [_without(v, keys) for v in node]
    return node


def test_a_text_may_carry_any_configured_language_and_needs_only_english_and_chinese():
    doc = _without(copy.deepcopy(DEFAULT))
    assert validate_policy(doc) == []
    doc["channels"]["family"]["label"].update(ja="家族の呼び寄せ", ar="لم شمل الأسرة")
    assert validate_policy(doc) == []


@pytest.mark.parametrize(
    ("code", "suggested"), [("jp", "ja"), ("kr", "ko"), ("zh-hans", "zh"), ("rus", "ru")]
)
def test_an_unknown_language_code_is_refused_with_the_code_meant(code, suggested):
    doc = copy.deepcopy(DEFAULT)
    doc["channels"]["family"]["label"][code] = "text"
    errors = [e for e in validate_policy(doc) if e.path == f"channels.family.label.{code}"]
    assert [e.code for e in errors] == ["unknown_key"]
    assert f"did you mean '{suggested}'" in errors[0].message["en"]


def test_an_optional_language_given_empty_is_refused():
    doc = copy.deepcopy(DEFAULT)
    doc["channels"]["family"]["label"]["ko"] = " "
    assert [e.code for e in validate_policy(doc) if e.path == "channels.family.label.ko"] == [
        "missing_translation"
    ]


@pytest.mark.django_db
def test_a_version_published_without_a_language_shows_english_there_and_says_so(client):
    admin = policy_admin(email="paula@example.org")
    draft = policy_draft_create(actor=admin)
    document = _without(draft.document)
    document["channels"]["family"]["requirements"]["any"][0]["when"]["label"]["ja"] = "配偶者"
    policy_draft_update(actor=admin, draft=draft, document=document)
    policy_publish(actor=admin, draft=draft)

    client.cookies["django_language"] = "ja"
    page = client.get(reverse("eligibility:route_detail", args=["family"])).content.decode()
    assert 'lang="ja"' in page.split(">")[1]
    # The one translated label is shown as it is; the others in English, marked for screen readers.
    assert "配偶者" in page
    assert '<span lang="en" dir="ltr">' in page
    assert 'class="notice fallback-notice"' in page

    # In Chinese every text exists: no fallback, no notice.
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("eligibility:route_detail", args=["family"])).content.decode()
    assert "配偶者" not in page and "fallback-notice" not in page

"""The public policy FAQ: content as translation rows, in all six languages, English fallback."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from faq import services
from faq.models import FaqEntry
from residence import languages
from residence.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shipped():
    services.faq_install_default()


def _page(client, language) -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("faq:faq"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_shipped_questions_are_written_in_every_configured_language():
    entries = list(FaqEntry.objects.prefetch_related("translations"))
    assert 6 <= len(entries) <= 10
    for entry in entries:
        assert set(entry.texts()) == set(languages.codes()), entry.slug


@pytest.mark.parametrize("language", ["en", "zh-hans", "ja", "ko", "ru", "ar"])
def test_the_faq_is_public_and_in_the_readers_language(client, language):
    page = _page(client, language)
    entry = FaqEntry.objects.get(slug="card-validity")
    assert entry.translations.get(language=language).question in page
    assert "fallback-notice" not in page
    assert 'href="/faq/"' in page  # in the public navigation


def test_a_question_without_the_readers_language_shows_english_and_says_so(client):
    entry = FaqEntry.objects.get(slug="family")
    entry.translations.filter(language="ko").delete()
    page = _page(client, "ko")
    section = page[page.index('id="family"') :]
    section = section[: section.index("</section>")]
    assert "fallback-notice" in section
    assert '<div lang="en" dir="ltr">' in section
    assert "Can my family apply too?" in section
    # The other questions are still in Korean.
    assert "누가 중국 영주권을 신청할 수 있습니까?" in page


def test_adding_a_language_to_an_entry_is_a_row(client):
    admin = UserFactory(email="paula@policy.example", roles=["policy_admin"])
    entry = FaqEntry.objects.get(slug="documents")
    texts = entry.texts()
    texts.pop("ru")
    services.faq_entry_save(actor=admin, entry=entry, texts=texts)
    assert "fallback-notice" in _page(client, "ru")
    texts["ru"] = {"question": "Какие документы нужны?", "answer": "Паспорт и другие."}
    services.faq_entry_save(actor=admin, entry=entry, texts=texts)
    assert "Паспорт и другие." in _page(client, "ru")
    assert AuditEntry.objects.filter(action="faq.save").count() == 2


def test_only_policy_administrators_edit_and_english_is_required():
    entry = FaqEntry.objects.get(slug="documents")
    applicant = UserFactory(email="alice@example.org", roles=["applicant"])
    with pytest.raises(PermissionDenied):
        services.faq_entry_save(actor=applicant, entry=entry, texts={})
    admin = UserFactory(email="paula@policy.example", roles=["policy_admin"])
    with pytest.raises(ValidationError) as error:
        services.faq_entry_save(
            actor=admin, entry=entry, texts={"ja": {"question": "質問", "answer": "答え"}}
        )
    assert "question_en" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.faq_entry_save(
            actor=admin,
            entry=entry,
            texts={"en": {"question": "Q", "answer": "A"}, "jp": {"question": "x", "answer": "y"}},
        )
    assert set(FaqEntry.objects.get(slug="documents").texts()) == set(languages.codes())

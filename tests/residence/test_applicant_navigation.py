"""An applicant's navigation: no API documentation, and "My card" only once a card exists."""

from __future__ import annotations

import pytest

from residence.core.navigation import items_for
from tests.cards.factories import issued_card
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _labels(user) -> list[str]:
    return [str(item["label"]) for item in items_for(user)]


def test_an_applicant_without_a_card_sees_neither_my_card_nor_the_api_documentation():
    applicant = UserFactory(roles=["applicant"])
    labels = _labels(applicant)
    assert "My card" not in labels
    assert "API documentation" not in labels


def test_a_card_holder_sees_my_card(django_capture_on_commit_callbacks, tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path), "base_url": None}},
    }
    holder = UserFactory(roles=["applicant"])
    with django_capture_on_commit_callbacks(execute=True):
        issued_card(holder)
    assert "My card" in _labels(holder)


def test_an_officer_still_sees_the_api_documentation():
    assert "API documentation" in _labels(UserFactory(roles=["reviewer"]))

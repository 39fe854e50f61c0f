from __future__ import annotations

import pytest

from tests.factories import OfficeFactory, UserFactory

from .factories import issued_card


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture
def holder(db):
    return UserFactory(email="holder@example.org", full_name="Alice Martin", roles=["applicant"])


@pytest.fixture
def card(holder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return issued_card(holder)


@pytest.fixture
def mona(db):
    """A management officer at the national administration (every holder is in its area)."""
    return UserFactory(
        email="mona@example.org", full_name="Mona Wang", roles=["management_officer"], office=OfficeFactory()
    )


@pytest.fixture
def mark(db):
    """Another management officer."""
    return UserFactory(
        email="mark@example.org", full_name="Mark Wu", roles=["management_officer"], office=OfficeFactory()
    )


@pytest.fixture
def arthur(db):
    """An approver at the national administration."""
    return UserFactory(
        email="arthur@example.org", full_name="Arthur Li", roles=["approver"], office=OfficeFactory()
    )

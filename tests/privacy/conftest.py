from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "private")}},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    from eligibility import services as eligibility_services
    from tests.applications.factories import ProfileFactory, officer, offices
    from tests.factories import UserFactory

    eligibility_services.policy_install_default()
    tree = offices()
    alice = UserFactory(email="alice@example.org", roles=["applicant"])
    return {
        "offices": tree,
        "alice": alice,
        "profile": ProfileFactory(owner=alice),
        "bob": UserFactory(email="bob@example.org", roles=["applicant"]),
        "agent": UserFactory(email="agent@example.org", roles=["intermediary"]),
        "gz_intake": officer("intake_officer", tree["gd-gz"], email="gz-intake@example.org"),
        "gd_approver": officer("approver", tree["gd"], email="gd-approver@example.org"),
        "sc_reviewer": officer("reviewer", tree["sc"], email="sc-reviewer@example.org"),
        "sc_approver": officer("approver", tree["sc"], email="sc-approver@example.org"),
    }

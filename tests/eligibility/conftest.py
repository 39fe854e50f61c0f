"""Eligibility tests start from the shipped default policy, even after a transactional test flushed it."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _default_policy_installed(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    from eligibility.services import policy_install_default

    policy_install_default()

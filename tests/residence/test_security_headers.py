"""Every response switches off the browser features the portal never uses."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/api/nonexistent/", "/accounts/login/"])
def test_every_response_carries_a_permissions_policy(client, path):
    response = client.get(path)
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy

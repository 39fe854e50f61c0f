"""A 404 says only "not found": no URL patterns, file paths or resolver details."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_url_is_a_short_json_not_found(client, settings):
    settings.DEBUG = False
    response = client.get("/api/nonexistent/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}
    assert len(response.content) < 100


def test_an_unknown_page_is_a_short_not_found_page(client, settings):
    settings.DEBUG = False
    response = client.get("/nonexistent-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "urlpatterns" not in body and "tried" not in body and ".py" not in body
    assert len(response.content) < 20_000


def test_a_known_api_404_keeps_its_own_message(client, alice, settings):
    settings.DEBUG = False
    client.force_login(alice)
    response = client.get("/api/applications/999999/")
    assert response.status_code == 404
    assert "detail" in response.json()

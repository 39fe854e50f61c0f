"""Forwarded headers count only from configured proxies: a client cannot pick its own address."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.test import APIClient

from residence.core.client_ip import client_ip

pytestmark = pytest.mark.django_db

LOGIN_LIMIT = 10  # THROTTLE_LOGIN's default, 10/minute


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def _login(client: APIClient, forwarded_for: str, remote: str = "127.0.0.1", n: int = 0):
    # A new e-mail each time, so the lockout (username and address) stays out of the way of the throttle.
    return client.post(
        "/api/auth/token/",
        {"email": f"nobody{n}@example.org", "password": "wrong"},
        format="json",
        HTTP_X_FORWARDED_FOR=forwarded_for,
        REMOTE_ADDR=remote,
    )


def test_without_a_proxy_a_new_forwarded_address_each_time_still_meets_the_login_throttle():
    client = APIClient()
    answers = [_login(client, f"203.0.113.{i}", n=i).status_code for i in range(LOGIN_LIMIT + 1)]
    assert 429 not in answers[:LOGIN_LIMIT]
    assert answers[LOGIN_LIMIT] == 429


def test_without_a_proxy_the_lockout_address_is_the_peer_not_the_header():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="203.0.113.9", REMOTE_ADDR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def test_behind_one_proxy_the_address_it_saw_is_used_not_what_the_client_wrote(one_proxy):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5", REMOTE_ADDR="127.0.0.1")
    assert client_ip(request) == "203.0.113.5"


def test_behind_one_proxy_a_spoofed_first_address_does_not_escape_the_throttle(one_proxy):
    client = APIClient()
    answers = [_login(client, f"10.0.0.{i}, 203.0.113.5", n=i).status_code for i in range(LOGIN_LIMIT + 1)]
    assert answers[LOGIN_LIMIT] == 429
    # Another client behind the same proxy has its own allowance.
    assert _login(client, "203.0.113.6", n=99).status_code != 429

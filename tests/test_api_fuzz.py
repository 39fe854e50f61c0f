"""The whole API, fuzzed from its own OpenAPI schema: no server errors, responses match the schema.

It runs as an applicant and as an officer, so endpoints refuse or answer as each role sees them.
Every later issue's endpoints are covered automatically because they are in the schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import OfficeFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# Rules that depend on today's date or on other records (an expired passport, a birth date in the
# future, an e-mail already taken) cannot be written into OpenAPI, so a schema-valid request they
# refuse is a 400 by design; the bad-input tests cover those rules one by one.
EXCLUDED_CHECKS = [positive_data_acceptance]

FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    derandomize=True,
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # The WSGI handler closes the connection after each request, as in production; the test
    # client disconnects that for tests, and so must we, or the test's transaction is lost.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    # Throttling is tested on its own; here it would only turn fuzzing into 429s.
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        dict.fromkeys(SimpleRateThrottle.THROTTLE_RATES, "100000/minute"),
    )
    cache.clear()


_persona_token: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class PersonaToken:
    """Sends the current persona's API token, so schemathesis knows the credentials are real."""

    def get(self, case, context):
        return _persona_token.get("key")

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


def act_as(user) -> None:
    _persona_token["key"] = Token.objects.get_or_create(user=user)[0].key


@pytest.fixture
def applicant(db):
    act_as(UserFactory(roles=["applicant"]))


@pytest.fixture
def officer(db):
    act_as(UserFactory(roles=["intake_officer", "reviewer"], office=OfficeFactory()))


@schema.parametrize()
@FUZZ
def test_the_api_answers_an_applicant_without_server_errors_and_as_documented(case, applicant):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_an_officer_without_server_errors_and_as_documented(case, officer):
    case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)

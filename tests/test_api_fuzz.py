"""The whole API, fuzzed from its own OpenAPI schema: no server errors, responses match the schema.

It runs as each persona (an applicant, an officer, an agency's staff, an institution's API key,
and anonymous), so endpoints refuse or answer as each sees them, with every check schemathesis
has (``--checks all``) but one that cannot apply here (EXCLUDED_CHECKS). Every later issue's
endpoints are covered automatically because they are in the schema. FUZZ_MAX_EXAMPLES sets the
examples per operation and persona (CI's default keeps the five runs to a few minutes).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.factories import AgencyFactory, OfficeFactory, UserFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())

# Rules that depend on today's date or on other records (an expired passport, a birth date in the
# future, an e-mail already taken) cannot be written into OpenAPI, so a schema-valid request they
# refuse is a 400 by design; the bad-input tests cover those rules one by one.
EXCLUDED_CHECKS = [positive_data_acceptance]
load_all_checks()
ALL_CHECKS = [check for check in CHECKS.get_all() if check not in EXCLUDED_CHECKS]

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_MAX_EXAMPLES", "8")),
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


_persona_headers: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class PersonaToken:
    """Sends the current persona's credentials, so schemathesis knows they are real."""

    def get(self, case, context):
        return dict(_persona_headers)

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), **data}


def act_as(user) -> None:
    _persona_headers.clear()
    _persona_headers["Authorization"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"


@pytest.fixture
def applicant(db):
    act_as(UserFactory(roles=["applicant"]))


@pytest.fixture
def officer(db):
    act_as(UserFactory(roles=["intake_officer", "reviewer"], office=OfficeFactory()))


@pytest.fixture
def agency_staff(db):
    act_as(UserFactory(roles=["agency_staff"], agency=AgencyFactory()))


@pytest.fixture
def institution_key(db):
    from cards.models import Institution
    from cards.services import institution_api_key_issue

    institution = Institution.objects.create(name_en="Fuzz Bank", name_zh="测试银行", kind="bank")
    _key, raw = institution_api_key_issue(actor=None, institution=institution)
    _persona_headers.clear()
    _persona_headers["X-Api-Key"] = raw


@pytest.fixture
def anonymous(db):
    _persona_headers.clear()


@schema.parametrize()
@FUZZ
def test_the_api_answers_an_applicant_without_server_errors_and_as_documented(case, applicant):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_an_officer_without_server_errors_and_as_documented(case, officer):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_agency_staff_without_server_errors_and_as_documented(case, agency_staff):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_an_institution_key_without_server_errors_and_as_documented(case, institution_key):
    case.call_and_validate(checks=ALL_CHECKS)


@schema.parametrize()
@FUZZ
def test_the_api_answers_anonymous_callers_without_server_errors_and_as_documented(case, anonymous):
    case.call_and_validate(checks=ALL_CHECKS)

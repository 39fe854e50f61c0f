"""rows_update writes each row its own values, on whichever database the suite runs against."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from residence.core.db import rows_update
from tests.applications.factories import ProfileFactory, submitted
from verification.models import CheckStatus, VerificationCheck

pytestmark = pytest.mark.django_db


def _checks(n: int) -> list[VerificationCheck]:
    application = submitted(ProfileFactory())
    now = timezone.now()
    return VerificationCheck.objects.bulk_create(
        [
            VerificationCheck(application=application, kind=kind, agency="sta", deadline=now)
            for kind in ["income_tax", "employment", "degree"][:n]
        ]
    )


def _row(check: VerificationCheck, **values) -> VerificationCheck:
    """An in-memory copy of ``check`` holding new values: a check's status is protected (only its
    transitions change it), so the values to write are given when the instance is made."""
    return VerificationCheck(
        pk=check.pk,
        application_id=check.application_id,
        kind=check.kind,
        agency=check.agency,
        deadline=check.deadline,
        **values,
    )


def test_each_row_gets_its_own_values_of_every_type():
    checks = _checks(3)
    when = timezone.now() - dt.timedelta(minutes=5)
    token = uuid.uuid4()
    values = [
        (CheckStatus.VERIFIED, {"tax": {"matches": True}}, token, when, 51),
        (CheckStatus.MISMATCH, {"tax": {"matches": False, "record": [1, "二"]}}, None, None, 0),
        (CheckStatus.NOT_FOUND, {}, None, when + dt.timedelta(seconds=1), None),
    ]
    checks = [
        _row(
            check,
            status=status,
            answer_fields=fields,
            lease_token=lease,
            completed_at=completed,
            latency_ms=latency,
        )
        for check, (status, fields, lease, completed, latency) in zip(checks, values, strict=True)
    ]

    fields = ["status", "answer_fields", "lease_token", "completed_at", "latency_ms"]
    assert rows_update(VerificationCheck, checks, fields) == 3

    stored = {c.pk: c for c in VerificationCheck.objects.filter(pk__in=[c.pk for c in checks])}
    for check, (status, answer, lease, completed, latency) in zip(checks, values, strict=True):
        row = stored[check.pk]
        assert (row.status, row.answer_fields, row.lease_token, row.completed_at, row.latency_ms) == (
            status,
            answer,
            lease,
            completed,
            latency,
        )


def test_rows_not_named_are_left_alone_and_nothing_is_a_no_op():
    checks = _checks(2)
    checks[0] = _row(checks[0], status=CheckStatus.ERROR)
    rows_update(VerificationCheck, checks[:1], ["status"])
    assert VerificationCheck.objects.get(pk=checks[1].pk).status == CheckStatus.PENDING
    assert rows_update(VerificationCheck, [], ["status"]) == 0


def test_on_postgresql_a_batch_is_one_statement(postgres):
    checks = _checks(3)
    checks = [_row(check, status=CheckStatus.VERIFIED) for check in checks]
    with CaptureQueriesContext(connection) as queries:
        rows_update(VerificationCheck, checks, ["status", "answer_fields"])
    assert len(queries) == 1
    assert set(VerificationCheck.objects.values_list("status", flat=True)) == {CheckStatus.VERIFIED}

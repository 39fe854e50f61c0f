"""Fault tests with real PostgreSQL, real Redis, real worker processes and the simulator.

Each test runs on a private redis-server on a free port (never the shared one): the test process
sends through it and the workers consume from it, so no other run can take these messages, and
restarting it harms nobody. The sweeper is called here as beat would call it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import redis
from kombu import pools

from applications import services as application_services
from applications.models import Application, Status
from residence.audit.models import AuditEntry
from residence.celery import app as celery_app
from tests.applications.factories import intake_done
from tests.conftest import WorkerProcess, require, wait_for
from verification import services
from verification.models import UNFINISHED, CheckStatus, VerificationAttempt, VerificationCheck
from verification.tasks import verification_check_run_task, verification_checks_run_task

from .conftest import free_port, submitted_case

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class PrivateRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        wait_for(lambda: _answers(client), timeout=10, message="private redis")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _answers(client) -> bool:
    try:
        return client.ping()
    except redis.RedisError:
        return False


BROKER_SETTINGS = ("broker_url", "broker_read_url", "broker_write_url")


def _use_broker(url: str | dict) -> dict:
    """Point the app's publishing and consuming at ``url`` (or back at the settings an earlier call
    returned); returns the settings it replaced. The read and write URLs go with it: restoring only
    ``broker_url`` would leave later tests publishing wherever the write URL was last pointed."""
    previous = {name: celery_app.conf[name] for name in BROKER_SETTINGS}
    values = url if isinstance(url, dict) else dict.fromkeys(BROKER_SETTINGS, url)
    for name, value in values.items():
        celery_app.conf[name] = value
    # kombu keeps one global pool per broker URL: closing ours without dropping it from the
    # registry hands the next test (back on the shared Redis) a closed pool.
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    return previous


@pytest.fixture
def private_redis(redis_broker, postgres):
    require(bool(shutil.which("redis-server")), "needs redis-server (apt-get install redis-server)")
    server = PrivateRedis()
    previous = _use_broker(server.url)
    yield server
    _use_broker(previous)
    server.stop()


@pytest.fixture
def fault_settings(settings, simulator):
    settings.VERIFICATION_TIMEOUT_SECONDS = 5.0
    settings.VERIFICATION_LEASE_MARGIN_SECONDS = 1.0
    settings.VERIFICATION_STUCK_AFTER_SECONDS = 2.0
    settings.VERIFICATION_RETRY_BASE_SECONDS = 0.1
    settings.VERIFICATION_MAX_ATTEMPTS = 3
    return settings


def start_worker(redis_server, simulator, concurrency: int = 2) -> WorkerProcess:
    env = simulator.env() | {
        "REDIS_URL": redis_server.url,
        "VERIFICATION_LEASE_MARGIN_SECONDS": "1",
    }
    return WorkerProcess(concurrency=concurrency, extra_env=env)


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            child = int(stat.parent.name)
            found += [child, *children_of(child)]
    return found


def kill_hard(worker: WorkerProcess) -> None:
    """SIGKILL the worker and its pool processes: nothing gets to ack, reject or clean up."""
    for pid in [worker.process.pid, *children_of(worker.process.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    worker.process.wait()
    worker._log.close()


def sweep_until_done(application_ids: list[int], *, timeout: float = 60) -> None:
    """What beat does: run the sweeper until every check of these cases has a result."""

    def done() -> bool:
        if not VerificationCheck.objects.filter(
            application_id__in=application_ids, status__in=UNFINISHED
        ).exists():
            return True
        services.checks_sweep()
        return False

    wait_for(done, timeout=timeout, interval=1.0, message="every check to have a result")


def accept(application, officer):
    intake_done(application, officer)
    application_services.application_accept(actor=officer, application=application)
    return application


def one_result_each(application_ids: list[int]) -> None:
    for check in VerificationCheck.objects.filter(application_id__in=application_ids):
        results = AuditEntry.objects.filter(action="verification.result", object_id=str(check.pk)).count()
        assert results == 1, f"{check} has {results} results"


def test_a_worker_killed_in_the_middle_of_a_check_delays_it_and_it_completes_once(
    private_redis, fault_settings, simulator, ivan
):
    simulator.control(latency_ms=4000)
    worker = start_worker(private_redis, simulator, concurrency=1)
    try:
        application = accept(submitted_case(), ivan)
        in_flight = wait_for(
            lambda: VerificationAttempt.objects.filter(
                verification_check__application=application, outcome="in_flight"
            ).first(),
            timeout=30,
            message="a check in flight",
        )
        kill_hard(worker)
        simulator.control(latency_ms=0)
        worker = start_worker(private_redis, simulator, concurrency=2)
        sweep_until_done([application.pk])
    finally:
        worker.stop()
    check = in_flight.verification_check
    check.refresh_from_db()
    assert check.status == CheckStatus.VERIFIED
    outcomes = list(check.attempt_rows.values_list("outcome", flat=True))
    assert outcomes[0] == "superseded" and outcomes[-1] == "answered" and outcomes.count("answered") == 1
    one_result_each([application.pk])
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_checks_queued_when_redis_restarts_all_complete_after_it_returns(
    private_redis, fault_settings, simulator, ivan
):
    simulator.control(latency_ms=300)
    worker = start_worker(private_redis, simulator, concurrency=2)
    try:
        cases = [accept(submitted_case(passport), ivan).pk for passport in ("TESTMATCH1", "TESTMISMATCH")]
        wait_for(
            lambda: VerificationCheck.objects.filter(
                application_id__in=cases, completed_at__isnull=False
            ).exists(),
            timeout=30,
            message="a first result",
        )
        queued = redis.Redis(port=private_redis.port).llen("celery")
        private_redis.stop()  # no persistence: the queued messages are gone with it
        time.sleep(1)
        private_redis.start()
        assert redis.Redis(port=private_redis.port).llen("celery") == 0
        sweep_until_done(cases, timeout=90)
    finally:
        worker.stop()
    assert queued > 0, "the restart should have caught checks still queued"
    assert VerificationCheck.objects.filter(application_id__in=cases).count() == 10
    one_result_each(cases)
    assert set(Application.objects.filter(pk__in=cases).values_list("status", flat=True)) == {
        Status.IN_REVIEW
    }


def test_an_agency_failing_then_hanging_then_down_ends_in_error_or_timed_out_and_recovers(
    private_redis, fault_settings, simulator, ivan, rita
):
    fault_settings.VERIFICATION_TIMEOUT_SECONDS = 0.5
    simulator.control(error_rate=1)
    worker = start_worker(private_redis, simulator, concurrency=2)
    try:
        application = accept(submitted_case(), ivan)
        sweep_until_done([application.pk])
        tax = VerificationCheck.objects.get(application=application, kind="income_tax")
        assert tax.status == CheckStatus.ERROR and "HTTP 500" in tax.failure_reason and tax.attempts == 3

        simulator.control(error_rate=0, timeout_rate=1, hang_seconds=2)
        services.check_rerun(actor=rita, check=tax, reason="again")
        sweep_until_done([application.pk])
        tax.refresh_from_db()
        assert tax.status == CheckStatus.TIMED_OUT and "no answer within 0.5 s" in tax.failure_reason

        simulator.stop()
        services.check_rerun(actor=rita, check=tax, reason="again")
        sweep_until_done([application.pk])
        tax.refresh_from_db()
        assert tax.status == CheckStatus.ERROR and "transport" in tax.failure_reason

        simulator.start()
        simulator.reset()
        services.check_rerun(actor=rita, check=tax, reason="the agency is back")
        sweep_until_done([application.pk])
    finally:
        worker.stop()
    tax.refresh_from_db()
    assert tax.status == CheckStatus.VERIFIED and tax.run == 4
    assert AuditEntry.objects.filter(action="verification.result", object_id=str(tax.pk)).count() == 4
    assert Application.objects.get(pk=application.pk).status == Status.IN_REVIEW


def test_the_same_task_delivered_twice_through_the_broker_records_one_result_and_one_audit_entry(
    private_redis, fault_settings, simulator, ivan
):
    application = accept(submitted_case(), ivan)  # no worker yet: the messages wait in Redis
    checks = list(VerificationCheck.objects.filter(application=application))
    # A duplicate delivery of every check: once as the whole batch, once one check at a time.
    verification_checks_run_task.apply_async(([[check.pk, check.run] for check in checks],))
    for check in checks:
        verification_check_run_task.apply_async((check.pk, check.run))
    assert redis.Redis(port=private_redis.port).llen("celery") >= 2 * len(checks) + 1
    worker = start_worker(private_redis, simulator, concurrency=2)
    try:
        sweep_until_done([application.pk])
    finally:
        worker.stop()
    one_result_each([application.pk])
    assert VerificationAttempt.objects.filter(verification_check__application=application).count() == len(
        checks
    )
    assert simulator.stats()["distinct_queries"] == len(checks)

"""The fault run of issue 19, kept as a test: real PostgreSQL, a private Redis, real worker
processes, a private agency simulator, and every fault one after another.

A few hundred checks (FAULT_RUN_CASES cases of five checks each) go through two workers while
one worker is SIGKILLed mid-work, the broker (this test's own redis-server, never the shared one)
is down for 10 s, and the simulator is down for 15 s. Officers keep accepting cases through the
web page during the broker outage. At the end every check has exactly one result, no case waits
in verification, every e-mail the cases caused was sent exactly once, and the drain after the
last fault stayed within DRAIN_BOUND_SECONDS.

The sweepers run in a thread of this process every SWEEP_EVERY seconds, as beat would.
"""

from __future__ import annotations

import collections
import os
import re
import statistics
import threading
import time

import pytest
import redis
from django.db import connection
from django.test import Client
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, Notification, Status
from residence.core import outbox
from residence.core.models import OutboxMessage
from tests.agency_simulator import Simulator
from tests.applications.factories import ProfileFactory, intake_done, submitted
from tests.conftest import WorkerProcess, wait_for
from verification import services
from verification.models import UNFINISHED, VerificationAttempt, VerificationCheck

from .test_faults import PrivateRedis, _use_broker, kill_hard, one_result_each

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

CASES = int(os.environ.get("FAULT_RUN_CASES", "60"))  # five checks each
SWEEP_EVERY = 5.0
# After the last fault (the simulator back), what can still be owed and how long it may take:
#   a check whose retry was scheduled while the simulator was down: its last backoff (16 s) at most;
#   a message lost with the broker or a dead worker: the unclaimed deadline (20 s) or the lease
#   (12 s for a batch of 5 checks of 2 s, 30 s for an outbox run) plus one sweep (5 s);
#   then the work itself: a few seconds. The old 300 s deadline made this 255 s.
DRAIN_BOUND_SECONDS = 60.0
# What the broker being down may add to an officer's action: one failed publish (a refused
# connection, retried once after 0.2 s); the process then skips publishing for 5 s.
BROKER_DOWN_COST = 0.5
WORKER_SETTINGS = {
    "VERIFICATION_TIMEOUT_SECONDS": "2",
    "VERIFICATION_BATCH_SIZE": "5",
    "VERIFICATION_LEASE_MARGIN_SECONDS": "2",
    "VERIFICATION_RETRY_BASE_SECONDS": "1",
    "VERIFICATION_MAX_ATTEMPTS": "5",
    "VERIFICATION_UNCLAIMED_SECONDS": "20",
    "VERIFICATION_STUCK_AFTER_SECONDS": "300",
    "OUTBOX_LEASE_SECONDS": "30",
    "OUTBOX_UNCLAIMED_SECONDS": "20",
    "OUTBOX_RETRY_BASE_SECONDS": "2",
}


class Worker(WorkerProcess):
    """A worker as a supervisor restarts it: started, not waited for (the broker may be down)."""

    def wait_ready(self, timeout: float = 60) -> None:
        if self.ready_wait:
            super().wait_ready(timeout)

    def __init__(self, *, ready_wait: bool, **kwargs):
        self.ready_wait = ready_wait
        super().__init__(**kwargs)


class Beat(threading.Thread):
    """What runs beside the workers in production: beat's two sweeps every SWEEP_EVERY seconds,
    and the supervisor (compose's restart policy) starting again a worker that exited."""

    def __init__(self, workers: list, start_worker):
        super().__init__(daemon=True)
        self.halt = threading.Event()
        self.errors: list[BaseException] = []
        self.workers, self.start_worker = workers, start_worker
        self.restarts = 0
        self.lock = threading.Lock()

    def run(self) -> None:
        next_sweep = time.monotonic() + SWEEP_EVERY
        try:
            while not self.halt.wait(1.0):
                self.supervise()
                if time.monotonic() >= next_sweep:
                    next_sweep += SWEEP_EVERY
                    try:
                        services.checks_sweep()
                        outbox.outbox_sweep()
                    except Exception as error:  # noqa: BLE001 - a sweep during an outage may fail; count it
                        self.errors.append(error)
        finally:
            connection.close()

    def supervise(self) -> None:
        with self.lock:
            for index, each in enumerate(self.workers):
                if each.process.poll() is not None:
                    each._log.close()
                    self.workers[index] = self.start_worker()
                    self.restarts += 1

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=30)


def worker(redis_server, simulator, mail_dir, *, ready_wait: bool = True) -> Worker:
    env = (
        simulator.env()
        | WORKER_SETTINGS
        | {
            "REDIS_URL": redis_server.url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    )
    return Worker(concurrency=2, extra_env=env, ready_wait=ready_wait)


def sent_message_ids(mail_dir) -> collections.Counter:
    found = collections.Counter()
    for path in mail_dir.iterdir():
        found.update(re.findall(r"^Message-ID: <outbox-(\d+)@", path.read_text(errors="replace"), re.M))
    return collections.Counter({int(pk): n for pk, n in found.items()})


def accept_through_the_page(client: Client, application) -> tuple[int, float]:
    started = time.monotonic()
    response = client.post(reverse("applications:case_action", args=[application.pk, "accept"]))
    return response.status_code, time.monotonic() - started


def test_a_fault_run_loses_and_duplicates_nothing_and_drains_within_a_minute(
    settings, tmp_path, ivan, redis_broker, postgres, capsys
):
    for name, value in WORKER_SETTINGS.items():
        setattr(settings, name, float(value) if "." in value or "SECONDS" in name else int(value))
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    broker = PrivateRedis()
    previous_broker = _use_broker(broker.url)
    simulator = Simulator()
    simulator.control(latency_ms=60)
    settings.VERIFICATION_BASE_URL = simulator.url
    cases = [submitted(ProfileFactory()) for _ in range(CASES)]
    officer = Client()
    officer.force_login(ivan)
    # The officer has the case open: the web process has loaded its pages (a cold import is not an outage).
    assert officer.get(reverse("applications:case", args=[cases[0].pk])).status_code == 200
    workers = [worker(broker, simulator, mail_dir), worker(broker, simulator, mail_dir)]
    sweeper = Beat(workers, lambda: worker(broker, simulator, mail_dir, ready_wait=False))
    sweeper.start()
    answers: list[tuple[int, float]] = []
    baseline: list[tuple[int, float]] = []  # the same action with the broker up, under the same load
    started = time.monotonic()

    def log(what: str) -> None:
        with capsys.disabled():
            print(f"[{time.monotonic() - started:6.1f} s] {what}", flush=True)

    # The in-person intake of every case first (issue 15): the run is about what accepting sends.
    for application in cases:
        intake_done(application, ivan)
    try:
        quarter = CASES // 4
        for application in cases[:quarter]:
            application_services.application_accept(actor=ivan, application=application)

        log("first quarter accepted")
        # 1. A worker SIGKILLed with checks in flight; a supervisor starts another.
        wait_for(
            lambda: VerificationAttempt.objects.filter(outcome="in_flight").exists(),
            timeout=30,
            message="checks in flight",
        )
        with sweeper.lock:
            kill_hard(workers[0])  # the supervisor starts another
            sweeper.restarts -= 1  # counted apart: only crashes the test did not cause count below
        for application in cases[quarter : 2 * quarter]:
            baseline.append(accept_through_the_page(officer, application))

        log("worker killed; second quarter accepted")
        # 2. The broker down for 10 s, its queue lost with it; officers go on accepting cases.
        queued = redis.Redis(port=broker.port).llen("celery")
        broker.stop()
        outage_ends = time.monotonic() + 10
        for application in cases[2 * quarter : 3 * quarter]:
            answers.append(accept_through_the_page(officer, application))
            log(f"accepted through the page with the broker down: {answers[-1]}")
        time.sleep(max(0.0, outage_ends - time.monotonic()))
        broker.start()

        log("broker back")
        # 3. The agencies (the simulator) down for 15 s while more cases are accepted.
        simulator.stop()
        simulator_back = time.monotonic() + 15
        for application in cases[3 * quarter :]:
            application_services.application_accept(actor=ivan, application=application)
        time.sleep(max(0.0, simulator_back - time.monotonic()))
        simulator.start()
        simulator.control(latency_ms=60)
        last_fault = time.monotonic()

        log("simulator back: the last fault is over")
        ids = [application.pk for application in cases]

        def drained() -> bool:
            return not (
                VerificationCheck.objects.filter(application_id__in=ids, status__in=UNFINISHED).exists()
                or Application.objects.filter(pk__in=ids, status=Status.VERIFYING).exists()
                or OutboxMessage.objects.exclude(status=OutboxMessage.Status.DONE).exists()
            )

        try:
            wait_for(drained, timeout=DRAIN_BOUND_SECONDS * 3, interval=0.5, message="the run to drain")
        except AssertionError:
            left = VerificationCheck.objects.filter(application_id__in=ids, status__in=UNFINISHED)
            print(
                "unfinished checks:", list(left.values_list("pk", "status", "deadline", "sends", "attempts"))
            )
            print(
                "outbox:",
                list(
                    OutboxMessage.objects.exclude(status="done").values_list(
                        "pk", "task", "status", "deadline", "sends", "attempts", "last_error"
                    )
                ),
            )
            raise
        drain = time.monotonic() - last_fault
    finally:
        sweeper.stop()
        for each in workers:
            each.stop()
        simulator.stop()
        _use_broker(previous_broker)
        broker.stop()

    checks = VerificationCheck.objects.filter(application_id__in=ids)
    statuses = collections.Counter(checks.values_list("status", flat=True))
    emails = OutboxMessage.objects.filter(task="residence.core.tasks.send_email_task")
    sent = sent_message_ids(mail_dir)
    figures = {
        "cases": CASES,
        "checks": checks.count(),
        "check_statuses": dict(statuses),
        "attempts": VerificationAttempt.objects.filter(verification_check__application_id__in=ids).count(),
        "messages_lost_with_the_broker": queued,
        "emails": emails.count(),
        "emails_sent": sum(sent.values()),
        "accept_answers_during_outage": [(code, round(took, 3)) for code, took in answers],
        "accept_answers_broker_up": [(code, round(took, 3)) for code, took in baseline],
        "sweep_errors": len(sweeper.errors),
        "workers_restarted_after_a_crash": sweeper.restarts,
        "run_seconds": round(time.monotonic() - started, 1),
        "drain_after_last_fault_seconds": round(drain, 1),
    }
    with capsys.disabled():
        print(f"\nfault run: {figures}")

    # Officers were told the truth: their accepted cases were accepted, and quickly.
    # (Under this load an accept waits mostly for the audit chain's lock, which the workers'
    # results hold in turn; the broker being down may add one failed publish, about 0.2 s.)
    assert answers and all(code == 302 for code, _took in answers + baseline), (answers, baseline)
    # Compared with the same action with the broker up, on the same (shared, loaded) machine: the
    # typical answer may cost one failed publish more, and no answer is a multi-second block.
    up, down = [took for _code, took in baseline], [took for _code, took in answers]
    assert statistics.median(down) < statistics.median(up) + BROKER_DOWN_COST, figures
    assert max(down) < 2 * max(up), figures
    # Every check ended, with exactly one result; no case waits in verification.
    assert checks.count() == 5 * CASES
    assert not set(statuses) & set(UNFINISHED)
    one_result_each(ids)
    assert set(Application.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.IN_REVIEW}
    # Every e-mail the cases caused (one per inbox notification) was sent, each exactly once.
    assert emails.count() == Notification.objects.filter(application_id__in=ids).count() > 0
    assert set(emails.values_list("status", flat=True)) == {OutboxMessage.Status.DONE}
    assert set(sent) == set(emails.values_list("pk", flat=True))
    assert set(sent.values()) == {1}, {pk: n for pk, n in sent.items() if n != 1}
    assert drain < DRAIN_BOUND_SECONDS, figures

"""Shared fixtures: personas, services (PostgreSQL, Redis, a real Celery worker) and their skips.

A test that needs a service it cannot reach skips with the reason, except under
REQUIRE_SERVICES=1 (CI), where it fails: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

from residence.accounts.models import Role
from residence.celery import app as celery_app

from .factories import UserFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def require(available: bool, reason: str) -> None:
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres():
    require(settings.USING_POSTGRES, "needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture
def redis_broker():
    require(bool(settings.REDIS_URL), "needs Redis: set REDIS_URL=redis://...")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Tests make many personas; the production hasher's cost (about half a second a password on
    # this machine) would dominate the run. Password hashing itself is Django's, not ours to test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def verify_test_session(client, user) -> None:
    """Mark ``client``'s session as verified by a real (confirmed) TOTP device of ``user``, now.

    ``force_login`` skips the password; for a user who must use a second factor it skips that
    factor the same way, so the suite's many staff log-ins need no codes. Tests of the second factor
    itself log in through the pages, or call ``force_login(user, verified=False)``.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from residence.mfa import services as mfa_services
    from residence.mfa import session as mfa_session

    if not (mfa_services.is_staff_account(user) or mfa_services.has_second_factor(user)):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test authenticator", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[mfa_session.MFA_AT] = time.time()
    session.save()


@pytest.fixture(scope="session", autouse=True)
def _force_login_passes_the_second_factor():
    from django.test.client import ClientMixin

    original = ClientMixin.force_login

    def force_login(self, user, backend=None, *, verified: bool = True):
        original(self, user, backend)
        if verified:
            verify_test_session(self, user)

    ClientMixin.force_login = force_login
    yield
    ClientMixin.force_login = original


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Tasks run in-process unless the test is marked ``worker`` (it runs a real worker process)."""
    eager = request.node.get_closest_marker("worker") is None and "celery_worker" not in request.fixturenames
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    celery_app.conf.task_eager_propagates = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request through the test client in Chinese
    leaves Chinese active in this thread (LocaleMiddleware activates, nothing deactivates)."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_broker_backoff_from_an_earlier_test():
    """A failed publish makes this process skip the broker for a few seconds (outbox.publish):
    a test that took the broker down must not make the next test's publishes silently skip."""
    from residence.core.outbox import broker_backoff_reset

    broker_backoff_reset()
    yield
    broker_backoff_reset()


@pytest.fixture(autouse=True)
def _role_groups(request):
    """Transactional tests flush every table, so the role groups of migration 0002 go too: put them back."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or {
        "transactional_db",
        "live_server",
        "celery_worker",
    } & set(request.fixturenames)
    if transactional:
        request.getfixturevalue("transactional_db")
        for role in Role.values:
            Group.objects.get_or_create(name=role)


@pytest.fixture(scope="session", autouse=True)
def _empty_broker():
    """Start from an empty queue so messages of an interrupted run are not consumed now."""
    if settings.REDIS_URL:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1)
                conn.default_channel.queue_purge("celery")
        except Exception as error:  # noqa: BLE001 - an absent Redis is reported by the tests that need it
            print(f"could not purge the Redis queue: {error}")
    else:
        queue = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
        shutil.rmtree(queue, ignore_errors=True)
        queue.mkdir(parents=True, exist_ok=True)


def test_database_url() -> str:
    """The URL of the database the tests run on, for processes started by a test."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class WorkerProcess:
    def __init__(self, *, concurrency: int = 2, extra_env: dict | None = None, pool: str = "prefork"):
        self.name = f"test-{uuid.uuid4().hex[:8]}@localhost"
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"worker-{self.name.split('@')[0]}.log"
        env = (
            os.environ
            | {
                "DATABASE_URL": test_database_url(),
                "VAR_DIR": str(settings.VAR_DIR),
                "TESTING": "1",
                "DJANGO_SETTINGS_MODULE": "residence.settings",
            }
            | (extra_env or {})
        )
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "residence",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                f"--pool={pool}",
                f"--hostname={self.name}",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        try:
            self.wait_ready()
        except BaseException:
            # Never leave an orphan worker behind to answer the next test's pings.
            self.stop()
            raise

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early: {self.log_path.read_text()[-3000:]}")
            if celery_app.control.ping(destination=[self.name], timeout=0.5):
                return
        raise RuntimeError(f"worker did not answer in {timeout}s: {self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker process on the configured broker and the test database."""
    worker = WorkerProcess()
    yield worker
    worker.stop()


@pytest.fixture(scope="session")
def simulator_process():
    """The agency simulator, one process for the whole run (the verification tests, the journeys)."""
    from .agency_simulator import Simulator

    simulator = Simulator()
    yield simulator
    simulator.stop()


@pytest.fixture(scope="session")
def paysim_process():
    """The payment simulator, one process for the whole run (the payments tests, the journeys)."""
    from .payment_simulator import PaymentSimulator

    simulator = PaymentSimulator()
    yield simulator
    simulator.stop()


@pytest.fixture
def paysim(paysim_process, settings):
    """The payment simulator, running, reset, and the portal's settings pointing at it."""
    paysim_process.ensure_running()
    paysim_process.reset()
    for key, value in paysim_process.settings().items():
        setattr(settings, key, value)
    return paysim_process


@pytest.fixture(autouse=True)
def _card_fees_only_where_asked(request, settings):
    # The default policy charges a card fee after approval; tests about anything else expect an
    # approval to lead straight to a card, so only tests marked card_fee charge it.
    if request.node.get_closest_marker("card_fee") is None:
        settings.PAYMENTS_FEES_CHARGED = False


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


# --- the browser (tests/browser and tests/journeys) ------------------------------------------------
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    require(
        Path(CHROMIUM).exists() or bool(shutil.which("chromium")),
        f"needs Chromium at {CHROMIUM} (apt-get install chromium)",
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


# --- personas --------------------------------------------------------------------------------
@pytest.fixture
def alice(db):
    """An applicant."""
    return UserFactory(email="alice@example.org", full_name="Alice Martin", roles=["applicant"])


@pytest.fixture
def bob(db):
    """Another applicant."""
    return UserFactory(email="bob@example.org", full_name="Bob Okafor", roles=["applicant"])


@pytest.fixture
def sysadmin(db):
    return UserFactory(
        email="root@example.org",
        full_name="Sys Admin",
        roles=["system_admin"],
        is_staff=True,
        is_superuser=True,
    )


# --- officers of the demo-like office tree (national, Guangdong, Sichuan) ---------------------------
@pytest.fixture
def office_tree(db):
    from tests.applications.factories import offices

    # A transactional test may have flushed the role groups the data migration made.
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    return offices()


def _officer(role: str, office, email: str):
    from tests.applications.factories import officer

    return officer(role, office, email=email)


@pytest.fixture
def ivan(office_tree):
    """Intake officer in Guangzhou."""
    return _officer("intake_officer", office_tree["gd-gz"], "ivan@example.org")


@pytest.fixture
def rita(office_tree):
    """Reviewer at the Guangdong provincial bureau."""
    return _officer("reviewer", office_tree["gd"], "rita@example.org")


@pytest.fixture
def nadia(office_tree):
    """Approver at the national administration."""
    return _officer("approver", office_tree["nia"], "nadia@example.org")


@pytest.fixture
def otto(office_tree):
    """Another national approver."""
    return _officer("approver", office_tree["nia"], "otto@example.org")


@pytest.fixture
def mona(office_tree):
    """Management officer at the Guangdong provincial bureau."""
    return _officer("management_officer", office_tree["gd"], "mona@example.org")


@pytest.fixture
def sam(office_tree):
    """An intake officer in Sichuan: another area."""
    return _officer("intake_officer", office_tree["sc"], "sam@example.org")

"""Fixtures of the journey matrix: Chromium, the live server, one real Celery worker per module asking
the agency simulator, the payment simulator, the officers of the demo-like office tree and the
reference data.

Only the officers, their offices and the reference data (policy, talent programme registry, family
quota) are made here; everything about the case under test is done through the pages.
"""

from __future__ import annotations

import contextlib
import os
import time

import pytest
from django.conf import settings

from tests.conftest import ARTIFACTS, WorkerProcess, require

from .driver import Journey

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
TIMINGS: list[tuple[str, str, float]] = []


@pytest.fixture(scope="module")
def journey_storage(tmp_path_factory):
    """One private file store for the live server (uploads) and the worker (the card's photo)."""
    return tmp_path_factory.mktemp("journey-private")


@pytest.fixture(scope="module")
def journey_mail(tmp_path_factory):
    """The worker's e-mail, one file per message."""
    return tmp_path_factory.mktemp("journey-mail")


@pytest.fixture
def journey_worker(transactional_db, simulator_process, journey_storage, journey_mail):
    """A worker process for the journey, on the test database, asking the simulator.

    One per journey, not per module: each transactional test flushes the tables, and the content
    types made again get new ids that a long-lived worker's ContentType cache would not know (its
    audit rows then break the foreign key). Starting a worker costs a few seconds.
    """
    require(
        settings.USING_POSTGRES or settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        "needs a database a second process can open",
    )
    worker = WorkerProcess(
        concurrency=2,
        extra_env=simulator_process.env()
        | {
            "VERIFICATION_TIMEOUT_SECONDS": "5",
            "VERIFICATION_RETRY_BASE_SECONDS": "0.05",
            "PRIVATE_STORAGE_DIR": str(journey_storage),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(journey_mail),
        },
    )
    yield worker
    worker.stop()


@pytest.fixture
def world(transactional_db, settings, journey_storage, simulator_process, paysim_process):
    """Reference data and officers: what a fresh installation has before the first applicant."""
    from django.contrib.auth.models import Group

    from eligibility.services import policy_install_default
    from residence.accounts.models import Role
    from tests.applications.factories import officer, offices
    from tests.eligibility.factories import FamilyQuotaFactory, TalentProgramFactory
    from tests.factories import AgencyFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(journey_storage)}},
    }
    settings.VERIFICATION_BASE_URL = simulator_process.url
    simulator_process.ensure_running()
    # The default policy's card fee is charged: the applicant pays it in the browser, on the
    # payment simulator's page, before the worker makes the card.
    paysim_process.ensure_running()
    paysim_process.reset()
    for key, value in paysim_process.settings().items():
        setattr(settings, key, value)
    settings.PAYMENTS_FEES_CHARGED = True
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    policy_install_default()
    TalentProgramFactory(
        code="gwzj-2011",
        name_en="High-end Foreign Experts Recruitment Program",
        name_zh="高端外国专家引进计划",
        agency=AgencyFactory(code="safea", name_en="Foreign experts", name_zh="外国专家局"),
        valid_from="2011-01-01",
    )
    FamilyQuotaFactory(year=time.localtime().tm_year, region="", places=50)
    tree = offices()
    # The recognised nominating bodies (R11), each with one staff member who answers nominations.
    from tests.eligibility.factories import NOMINATING_BODIES, nominating_body

    nominators = {
        f"nominator-{code}": nominating_body(code, staff_email=f"{code}@nominators.example.org")[1]
        for code, *_ in NOMINATING_BODIES
    }
    return nominators | {
        "intake": officer(
            "intake_officer", tree["gd-gz"], email="ivan@journeys.example.org", full_name="Ivan Intake"
        ),
        "review": officer("reviewer", tree["gd"], email="rita@journeys.example.org", full_name="Rita Review"),
        "approval": officer(
            "approver", tree["nia"], email="nadia@journeys.example.org", full_name="Nadia Approve"
        ),
        "management": officer(
            "management_officer", tree["gd"], email="mona@journeys.example.org", full_name="Mona Manage"
        ),
    }


@pytest.fixture
def journey_factory(browser, live_server, world, journey_worker, journey_mail, request):  # noqa: F811
    journeys = []

    def make(route):
        for path in journey_mail.iterdir():
            path.unlink()
        journey = Journey(
            route=route,
            browser=browser,
            base_url=live_server.url,
            officers=world,
            mail_dir=journey_mail,
            artifacts=ARTIFACTS,
        )
        journeys.append(journey)
        return journey

    started = time.monotonic()
    yield make
    elapsed = time.monotonic() - started
    report = getattr(request.node, "rep_call", None)
    outcome = (
        "xfail" if report is not None and hasattr(report, "wasxfail") else (report.outcome if report else "?")
    )
    TIMINGS.append((request.node.name, outcome, elapsed))
    for journey in journeys:
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for actor in journey.actors:
                # A screenshot is a courtesy, never the failure.
                with contextlib.suppress(Exception):
                    actor.page.screenshot(
                        path=str(ARTIFACTS / f"journey-{journey.route.id}-{actor.name}.png"), full_page=True
                    )
        journey.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("journey matrix timings")
    for name, outcome, seconds in TIMINGS:
        terminalreporter.write_line(f"{seconds:7.1f}s  {outcome:8}  {name}")
    terminalreporter.write_line(f"{sum(s for _n, _o, s in TIMINGS):7.1f}s  total")

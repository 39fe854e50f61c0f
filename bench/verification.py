"""Benchmark of cross-agency verification: python bench/verification.py

10,000 real checks (outbox rows, attempts, results and audit entries in PostgreSQL) against the
agency simulator answering in 50 ms, through Redis and real Celery workers with 32 checks in
flight in total. The floor is what 32 parallel 50 ms answers allow: 10,000 x 50 ms / 32 = 15.6 s.

Needs DATABASE_URL (PostgreSQL: the script makes a database of its own, `bench_verification`, on
that server, migrates it and leaves its rows there) and redis-server on the PATH (a private one is
started on a free port, so the shared Redis is untouched); the secrets its processes share are
generated for the run. Prints checks per second and finally `verification_over_floor=<ratio>`.
--small (or BENCH_SMALL=1): 60 checks at 5 ms in `bench_verification_small`, only to check it runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the app it measures: keep bench/ off the path so `verification` is the app.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from bench import _kit  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat (Linux)."""
    try:
        fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds() -> dict[str, float]:
    """CPU seconds used so far by each kind of process on the machine (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    kinds: dict[str, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        seconds = (float(fields[11]) + float(fields[12])) / tick
        if "celery" in cmdline and "worker" in cmdline:
            kind = "workers"
        elif "-m simulator" in cmdline:
            kind = "simulator"
        elif "redis-server" in cmdline:
            kind = "redis"
        elif "postgres" in cmdline:
            kind = "postgresql"
        elif stat.parent.name == str(os.getpid()):
            kind = "benchmark (publish, poll)"
        else:
            kind = "other"
        kinds[kind] = kinds.get(kind, 0.0) + seconds
    return kinds


def main() -> None:
    small = _kit.small()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--checks", type=int, default=60 if small else 10_000)
    parser.add_argument(
        "--in-flight", type=int, default=32, help="checks in flight in total (workers x threads)"
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="worker processes sharing the in-flight checks"
    )
    parser.add_argument("--latency-ms", type=float, default=5.0 if small else 50.0)
    parser.add_argument("--progress", action="store_true", help="print the queue once a second")
    parser.add_argument(
        "--pool", choices=("prefork", "threads"), default="threads", help="the workers' execution pool"
    )
    parser.add_argument("--database", default=_kit.database_name("verification"))
    args = parser.parse_args()
    server = _kit.postgres_server()
    _kit.ensure_database(server, args.database)
    (ROOT / "var").mkdir(exist_ok=True)
    shared = _kit.process_secrets()

    redis_port, simulator_port = free_port(), free_port()
    redis_url = f"redis://127.0.0.1:{redis_port}/0"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "residence.settings",
            "REDIS_URL": redis_url,
            "VERIFICATION_BASE_URL": f"http://127.0.0.1:{simulator_port}",
            "DATABASE_URL": f"{server}/{args.database}",
            "VERIFICATION_SECRET": shared["VERIFICATION_SECRET"],
            "PAYMENTS_SECRET": shared["PAYMENTS_SECRET"],
            "CELERY_BROKER_MAX_CONNECTIONS": str(args.in_flight * 2 + 16),
            # As in production: no query log, no debug pages.
            "DEBUG": os.environ.get("DEBUG", "0"),
            "SECRET_KEY": shared["SECRET_KEY"],
            "ALLOWED_HOSTS": os.environ.get("ALLOWED_HOSTS", "localhost"),
        }
    )
    processes = [
        subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--bind",
                "127.0.0.1",
            ],
            stdout=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [sys.executable, "-m", "simulator", "--port", str(simulator_port)],
            cwd=ROOT,
            env=os.environ
            | {
                "SIMULATOR_SECRET": shared["VERIFICATION_SECRET"],
                "SIMULATOR_LATENCY_MS": str(args.latency_ms),
            },
            stdout=subprocess.DEVNULL,
        ),
    ]
    try:
        wait_port(redis_port)
        wait_port(simulator_port)
        run(args, processes)
    finally:
        for process in reversed(processes):
            process.kill()
            process.wait()


def run(args, processes) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if not settings.USING_POSTGRES:
        raise SystemExit("set DATABASE_URL=postgres://... (the benchmark measures PostgreSQL)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int - count(*) FROM pg_stat_activity")
        (free_connections,) = cursor.fetchone()
    if args.in_flight + 2 > free_connections:
        # Each worker thread holds a connection; a refused one fails its batch, which only the
        # sweeper (not run here) would re-send, so the run would never finish.
        raise SystemExit(
            f"{args.in_flight} checks in flight need {args.in_flight} database connections; "
            f"PostgreSQL has {free_connections} free (max_connections)"
        )
    call_command("migrate", verbosity=0)

    from django.db import transaction
    from django.utils import timezone

    from applications.models import ApplicantProfile, Application
    from residence.accounts.models import User
    from verification import services
    from verification.checks import AGENCY_OF_KIND
    from verification.models import UNFINISHED, Purpose, VerificationCheck

    kinds = list(AGENCY_OF_KIND)
    n_apps = -(-args.checks // len(kinds))
    stamp = timezone.now().strftime("%H%M%S")
    print(
        f"checks={args.checks} applications={n_apps} in_flight={args.in_flight} workers={args.workers} "
        f"pool={args.pool} latency_ms={args.latency_ms:g}"
    )

    started = time.perf_counter()
    owner, _ = User.objects.get_or_create(email="bench@bench.example", defaults={"full_name": "Bench"})
    profiles = ApplicantProfile.objects.bulk_create(
        [
            ApplicantProfile(
                owner=owner,
                family_name="Bench",
                given_names=f"P{i}",
                sex="F",
                birth_date=dt.date(1980, 1, 1),
                nationality="FRA",
                passport_number=f"B{stamp}{i:05d}"[-12:],
                passport_expiry=dt.date(2035, 1, 1),
                email="bench@bench.example",
                address="1 Bench Road",
                province="CN-GD",
                city_code="440100",
                is_active=False,
            )
            for i in range(n_apps)
        ]
    )
    now = timezone.now()
    applications = Application.objects.bulk_create(
        [
            Application(
                channel="work",
                applicant=p,
                created_by=owner,
                province="CN-GD",
                city_code="440100",
                submitted_at=now,
            )
            for p in profiles
        ]
    )
    # Straight into verification (setup only; the FSM field is protected from direct assignment).
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        status="verifying", stage="verification"
    )
    remaining = args.checks
    pairs = []
    for application in Application.objects.filter(pk__in=[a.pk for a in applications]).select_related(
        "applicant"
    ):
        batch = kinds[: min(len(kinds), remaining)]
        remaining -= len(batch)
        with transaction.atomic():
            subject = services._subject(application)
            checks = VerificationCheck.objects.bulk_create(
                [
                    services._new_check(
                        application=application,
                        kind=kind,
                        purpose=Purpose.APPLICATION,
                        actor=None,
                        reason="benchmark",
                        now=now,
                        subject=subject,
                        stated={
                            "annual_income_tax_cny": 100000,
                            "annual_salary_cny": 500000,
                            "education": "master",
                        },
                    )
                    for kind in batch
                ]
            )
            services._audit_requests(checks, None)
        pairs += [(c.pk, c.run) for c in checks]
    print(
        f"setup_seconds={time.perf_counter() - started:.1f} (outbox rows and request audit entries, not timed)"
    )

    threads = max(1, args.in_flight // args.workers)
    workers = []
    for n in range(args.workers):
        log = open(ROOT / "var" / f"bench-worker-{n}.log", "wb")  # noqa: SIM115 - closed with the process
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "residence",
                    "worker",
                    f"--pool={args.pool}",
                    f"--concurrency={threads}",
                    f"--hostname=bench{n}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=WARNING",
                ],
                cwd=ROOT,
                env=os.environ | {"DATABASE_URL": os.environ["DATABASE_URL"]},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        processes.append(workers[-1])
    from residence.celery import app

    names = {f"bench{n}@{socket.gethostname()}" for n in range(args.workers)}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answered = {name for reply in app.control.ping(timeout=0.5) for name in reply}
        if names <= answered:
            break

    cpu_before, per_process_before = cpu_times(), process_cpu_seconds()
    started = time.perf_counter()
    # The portal's bulk path (the sweeper and daily management send the same way): one message
    # per batch of one agency's checks.
    messages = services.checks_dispatch(
        VerificationCheck.objects.filter(pk__in=[pk for pk, _ in pairs]).only("pk", "run", "agency")
    )
    sent = time.perf_counter() - started
    ids = [pk for pk, _ in pairs]
    # Done when every check has its result and every case has moved on to review.
    # Cheap to ask (ranges, not 10,000 ids), so polling costs the machine next to nothing.
    first_case, last_case = applications[0].pk, applications[-1].pk
    cases = Application.objects.filter(pk__range=(first_case, last_case), status="verifying")
    unfinished = VerificationCheck.objects.filter(pk__range=(min(ids), max(ids)), status__in=UNFINISHED)
    shown = time.perf_counter()
    give_up = started + max(120.0, 10 * args.checks * args.latency_ms / 1000 / args.in_flight)
    while unfinished.exists() or cases.exists():
        time.sleep(0.1)
        if time.perf_counter() > give_up:
            raise SystemExit(
                f"gave up after {time.perf_counter() - started:.0f} s: {unfinished.count()} checks "
                f"unfinished, {cases.count()} cases waiting; see var/bench-worker-*.log"
            )
        if args.progress and time.perf_counter() - shown >= 1:
            shown = time.perf_counter()
            with app.connection_for_write() as connection:
                queued = connection.default_channel.client.llen("celery")
            print(
                f"  t={shown - started:5.1f}s unfinished={unfinished.count()} "
                f"in_flight={unfinished.filter(status='in_flight').count()} "
                f"cases_waiting={cases.count()} queued_messages={queued}",
                flush=True,
            )
    elapsed = time.perf_counter() - started
    cpu_after, per_process_after = cpu_times(), process_cpu_seconds()

    floor = args.checks * args.latency_ms / 1000 / args.in_flight
    statuses = dict(
        VerificationCheck.objects.filter(pk__in=ids)
        .values_list("status")
        .annotate(n=django.db.models.Count("id"))
    )
    moved = Application.objects.filter(pk__in=[a.pk for a in applications], status="in_review").count()
    print(f"statuses={','.join(f'{k}:{v}' for k, v in sorted(statuses.items()))}")
    print(f"applications_moved_to_review={moved}")
    print(f"messages={messages} batch_size={settings.VERIFICATION_BATCH_SIZE} send_seconds={sent:.2f}")
    print(f"elapsed_seconds={elapsed:.2f} floor_seconds={floor:.2f}")
    busy, total = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
    if total:
        print(f"machine_cpu_busy={100 * busy / total:.0f}% of {os.cpu_count()} cores while timed")
        used = {
            kind: per_process_after.get(kind, 0.0) - per_process_before.get(kind, 0.0)
            for kind in per_process_after
        }
        print(
            "cpu_ms_per_check "
            + " ".join(
                f"{kind.split()[0]}={1000 * seconds / args.checks:.2f}"
                for kind, seconds in sorted(used.items(), key=lambda item: -item[1])
                if seconds > 0
            )
        )
    print(f"checks_per_second={args.checks / elapsed:.0f}")
    print(f"verification_over_floor={elapsed / floor:.2f}")


if __name__ == "__main__":
    import django.db.models  # noqa: F401 - used in run()

    main()

"""Benchmark of the officer review queue: python bench/queue.py [--rows 1000000] [--rounds 300] [--small]

Fills a dedicated PostgreSQL database (default `bench_queue`, on the server of DATABASE_URL) with a
million applications by
COPY, serves the portal with gunicorn on it, and measures, interleaved round by round:
the queue API's first page and a deep page (cursor after 50,000 rows) with an officer's token;
the same SQL through psycopg2 (the database floor); /api/ping/ through the same server and token
(the HTTP floor); and the admin changelist of the same stage (the peer). Prints median and p95 per
figure and `queue_api_over_floor` = median API / (median SQL floor + median HTTP floor), the worse
of the first and the deep page. The server gets secrets generated for the run. --small (or
BENCH_SMALL=1): 2,000 rows and 5 rounds in `bench_queue_small`, only to check that it still runs.
A script, never a timed test.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named queue.py: keep its folder off the path, or it shadows the standard library's queue.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import http.client  # noqa: E402
import io  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlencode, urlparse  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _kit  # noqa: E402

PAGE_SIZE = 50
DEEP_AFTER = 50_000
STAGE = "review"


def parse_args() -> argparse.Namespace:
    small = _kit.small()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a tiny run that only checks the bench works")
    parser.add_argument("--rows", type=int, default=2_000 if small else 1_000_000)
    parser.add_argument("--rounds", type=int, default=5 if small else 300)
    parser.add_argument(
        "--admin-every",
        type=int,
        default=1 if small else 10,
        help="measure the admin changelist every Nth round",
    )
    parser.add_argument("--server", default=None, help="default: the server of DATABASE_URL (or BENCH_PG)")
    parser.add_argument("--database", default=_kit.database_name("queue"))
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--refill", action="store_true", help="drop and fill the database again")
    args = parser.parse_args()
    args.server = args.server or _kit.postgres_server()
    return args


def setup_django(env: dict) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "residence.settings")
    import django

    django.setup()


def fill(rows: int) -> None:
    """Organisations, one officer, a few profiles and `rows` applications by COPY."""
    from django.core.management import call_command
    from django.db import connection

    from applications.models import FAR_FUTURE, STAGE_OF_STATUS, ApplicantProfile
    from applications.selectors import QUEUE_STAGES
    from residence.accounts.demo import seed_organisations
    from residence.accounts.models import User

    call_command("migrate", verbosity=0)
    seed_organisations()
    owner, _ = User.objects.get_or_create(email="applicant@bench.example")
    profiles = []
    for i in range(20):
        profile, _ = ApplicantProfile.objects.get_or_create(
            passport_number=f"BENCH{i:05d}",
            nationality="FRA",
            defaults={
                "owner": owner,
                "family_name": f"Bench{i}",
                "given_names": "Case",
                "sex": "F",
                "birth_date": dt.date(1980, 1, 1),
                "passport_expiry": dt.date(2040, 1, 1),
                "email": "applicant@bench.example",
                "address": "1 Bench Road",
                "province": "CN-GD",
                "city_code": "440100",
            },
        )
        profiles.append(profile.pk)
    rng = random.Random(2016)
    statuses = [s for s, stage in STAGE_OF_STATUS.items() if stage not in ("draft",)]
    weights = [30 if STAGE_OF_STATUS[s] == STAGE else 3 for s in statuses]
    provinces = [
        ("CN-GD", "440100"),
        ("CN-GD", "440300"),
        ("CN-SC", "510100"),
        ("CN-SC", "510700"),
        ("CN-BJ", "110100"),
    ]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    columns = (
        "reference, channel, status, stage, applicant_id, created_by_id, province, city_code, nationality, "
        "green_channel, priority, stage_deadline, recommendation_reason, decision_reason, applicant_statement, "
        "office_levels, stage_deadline_days, created_at, updated_at, submitted_at, queue_band"
    )
    with connection.cursor() as cur:
        raw = cur.cursor
        batch = 100_000
        for start in range(0, rows, batch):
            buf = io.StringIO()
            for i in range(start, min(start + batch, rows)):
                status = rng.choices(statuses, weights)[0]
                stage = STAGE_OF_STATUS[status]
                green = rng.random() < 0.15
                province, city = rng.choice(provinces)
                deadline = (
                    FAR_FUTURE
                    if stage in ("closed", "quota", "evidence")
                    else now + dt.timedelta(hours=rng.randint(-24 * 10, 24 * 60))
                )
                buf.write(
                    f"PR-B-{i:08d}\t{rng.choice(['talent', 'work', 'investment', 'contribution', 'family'])}\t"
                    f"{status}\t{stage}\t{rng.choice(profiles)}\t{owner.pk}\t{province}\t{city}\t"
                    f"{rng.choice(['FRA', 'DEU', 'USA', 'JPN', 'KOR', 'BRA'])}\t{'t' if green else 'f'}\t"
                    f"{0 if green else 1}\t{deadline.isoformat()}\t\t\t\t{{}}\t{{}}\t{now.isoformat()}\t"
                    f"{now.isoformat()}\t{now.isoformat()}\t{0 if stage in QUEUE_STAGES and deadline < now else 1}\n"
                )
            buf.seek(0)
            raw.copy_expert(f"COPY applications_application ({columns}) FROM STDIN", buf)
            print(f"filled {min(start + batch, rows)} rows", file=sys.stderr)
        cur.execute("ANALYZE applications_application")


def officer_and_token() -> tuple[str, str]:
    """A national reviewer's API token and a superuser's session cookie for the admin."""
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from rest_framework.authtoken.models import Token

    from residence.accounts.models import Office, User
    from residence.mfa import session as mfa_session

    officer, _ = User.objects.get_or_create(
        email="reviewer@bench.example",
        defaults={"office": Office.objects.get(code="nia"), "full_name": "Bench Reviewer"},
    )
    officer.groups.add(Group.objects.get(name="reviewer"))
    token, _ = Token.objects.get_or_create(user=officer)
    admin, _ = User.objects.get_or_create(
        email="admin@bench.example",
        defaults={"is_staff": True, "is_superuser": True, "full_name": "Bench Admin"},
    )
    # Staff pass a second factor (residence/mfa): the admin's session is verified by a real device.
    device, _ = TOTPDevice.objects.get_or_create(user=admin, name="bench", defaults={"confirmed": True})
    session = SessionStore()
    session["_auth_user_id"] = str(admin.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = admin.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[mfa_session.MFA_AT] = time.time()
    session.create()
    return token.key, session.session_key


def queue_sql(officer_email: str, cursor: str | None) -> str:
    """The exact SQL the API runs for a page, with its parameters (psycopg2 mogrify)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from applications import selectors
    from residence.accounts.models import User

    officer = User.objects.select_related("office").get(email=officer_email)
    officer.roles  # noqa: B018 - read before capturing: only the page query is wanted
    with CaptureQueriesContext(connection) as captured:
        selectors.officer_queue_page(officer=officer, stage=STAGE, cursor=cursor, page_size=PAGE_SIZE)
    (query,) = captured.captured_queries
    return query["sql"]


def deep_cursor(deep_after: int) -> str:
    from applications.models import Application
    from applications.selectors import QUEUE_ORDERING
    from residence.core.pagination import _encode

    row = (
        Application.objects.filter(stage=STAGE)
        .order_by(*QUEUE_ORDERING)
        .values_list(*QUEUE_ORDERING)[deep_after - 1]
    )
    return _encode(list(row))


def start_server(args, env: dict) -> subprocess.Popen:
    if not args.port:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    server_env = (
        os.environ
        | env
        | {
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "THROTTLE_USER": "10000000/minute",
            "LOG_LEVEL": "WARNING",
        }
    )
    server_env["STATIC_ROOT"] = str(Path(env["VAR_DIR"]) / "static")
    # Production storage needs its manifest (the admin pages use static files).
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "residence.wsgi",
            "-b",
            f"127.0.0.1:{args.port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=server_env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
            conn.request("GET", "/api/ping/")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("gunicorn did not start")


def timed_get(port: int, path: str, headers: dict) -> float:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} -> {response.status}: {body[:300]!r}")
    return elapsed


def timed_sql(pg, sql: str) -> float:
    start = time.perf_counter()
    with pg.cursor() as cur:
        cur.execute(sql)
        cur.fetchall()
    return time.perf_counter() - start


def summary(name: str, values: list[float]) -> float:
    values = sorted(values)
    median = statistics.median(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(f"{name:<22} median={median * 1000:8.2f} ms  p95={p95 * 1000:8.2f} ms  n={len(values)}")
    return median


def main() -> None:
    import psycopg2

    args = parse_args()
    url = f"{args.server}/{args.database}"
    # One set of secrets for this process and the server, so the admin session made here is valid there.
    env = {
        "DATABASE_URL": url,
        "VAR_DIR": str(ROOT / "var" / "bench-queue"),
        **_kit.process_secrets(),
    }
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    must_fill = _kit.ensure_database(args.server, args.database, refill=args.refill)
    setup_django(env | {"DEBUG": "1"})
    if must_fill:
        started = time.perf_counter()
        fill(args.rows)
        print(f"fill_seconds={time.perf_counter() - started:.1f}")
    token, session = officer_and_token()
    from applications.models import Application

    stage_rows = Application.objects.filter(stage=STAGE).count()
    deep_after = max(1, min(DEEP_AFTER, stage_rows // 2))
    deep = deep_cursor(deep_after)
    sql_first = queue_sql("reviewer@bench.example", None)
    sql_deep = queue_sql("reviewer@bench.example", deep)
    print(
        f"rows={Application.objects.count()} stage={STAGE} stage_rows={stage_rows} "
        f"page_size={PAGE_SIZE} deep_after={deep_after}"
    )
    parsed = urlparse(url)
    pg = psycopg2.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password or None,
        dbname=args.database,
    )
    pg.autocommit = True
    server = start_server(args, env)
    auth = {"Authorization": f"Token {token}"}
    first_path = "/api/queue/?" + urlencode({"stage": STAGE, "page_size": PAGE_SIZE})
    deep_path = "/api/queue/?" + urlencode({"stage": STAGE, "page_size": PAGE_SIZE, "cursor": deep})
    admin_path = f"/admin/applications/application/?stage__exact={STAGE}"
    admin_headers = {"Cookie": f"sessionid={session}"}
    figures: dict[str, list[float]] = {
        k: [] for k in ("api_first", "api_deep", "sql_first", "sql_deep", "http_floor", "admin_changelist")
    }
    try:
        for _ in range(10):  # warm up every worker and the database cache
            timed_get(args.port, first_path, auth)
            timed_get(args.port, deep_path, auth)
            timed_get(args.port, "/api/ping/", auth)
        for round_no in range(args.rounds):
            figures["api_first"].append(timed_get(args.port, first_path, auth))
            figures["sql_first"].append(timed_sql(pg, sql_first))
            figures["http_floor"].append(timed_get(args.port, "/api/ping/", auth))
            figures["api_deep"].append(timed_get(args.port, deep_path, auth))
            figures["sql_deep"].append(timed_sql(pg, sql_deep))
            if round_no % args.admin_every == 0:
                figures["admin_changelist"].append(timed_get(args.port, admin_path, admin_headers))
    finally:
        server.terminate()
        server.wait(timeout=20)
    medians = {name: summary(name, values) for name, values in figures.items()}
    first = medians["api_first"] / (medians["sql_first"] + medians["http_floor"])
    deep_ratio = medians["api_deep"] / (medians["sql_deep"] + medians["http_floor"])
    print(f"first_page_over_floor={first:.2f}")
    print(f"deep_page_over_floor={deep_ratio:.2f}")
    print(f"admin_over_api={medians['admin_changelist'] / medians['api_first']:.1f}")
    print(f"queue_api_over_floor={max(first, deep_ratio):.2f}")


if __name__ == "__main__":
    main()

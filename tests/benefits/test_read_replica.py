"""Lag-tolerant reads on a real streaming replica (pg_basebackup -R of the test server); writes on the primary."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from benefits import services
from benefits.models import BenefitItem
from residence.dbrouter import REPLICA, ReplicaRouter, lag_tolerant
from tests.conftest import require

from .conftest import item_values

pytestmark = pytest.mark.postgres


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL refuses to run as root: run its tools as the postgres OS user when we are root."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)


def _free_port() -> int:
    for port in range(5440, 5450):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return port
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_without_a_replica_every_read_stays_on_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA, raising=False)
    with lag_tolerant():
        assert ReplicaRouter().db_for_read(BenefitItem) == "default"


@pytest.fixture(scope="module")
def replica_server(django_db_setup, django_db_blocker):
    """A hot standby made after the test database exists, so it holds test_<name> too."""
    require(settings.USING_POSTGRES, "needs PostgreSQL: set DATABASE_URL=postgres://...")
    primary = settings.DATABASES["default"]
    pg_ctl = shutil.which("pg_ctl") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))), None
    )
    require(bool(pg_ctl and shutil.which("pg_basebackup")), "needs pg_basebackup and pg_ctl")
    data = Path(tempfile.mkdtemp(prefix="replica-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
    data.chmod(0o700)
    port = _free_port()
    try:
        for attempt in range(3):
            # A shared server's other sessions may end our stream (pg_terminate_backend): try again.
            try:
                _as_postgres(
                    "pg_basebackup",
                    "--no-sync",  # a throw-away copy: not waiting for the disk saves a minute
                    # Checkpoint now: the default spreads it over checkpoint_timeout (minutes).
                    "--checkpoint=fast",
                    "-h",
                    primary.get("HOST") or "127.0.0.1",
                    "-p",
                    str(primary.get("PORT") or 5432),
                    "-U",
                    primary.get("USER") or "postgres",
                    "-D",
                    str(data / "pgdata"),
                    "-R",
                    "-X",
                    "stream",
                    timeout=180,
                )
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
        # Debian keeps postgresql.conf and pg_hba.conf outside the data directory: give the copy its own.
        _as_postgres(
            "sh",
            "-c",
            f"printf '' > {data}/pgdata/postgresql.conf && "
            f"printf 'local all all trust\\nhost all all 127.0.0.1/32 trust\\n' > {data}/pgdata/pg_hba.conf",
        )
        _as_postgres(
            str(pg_ctl),
            "-D",
            str(data / "pgdata"),
            "-l",
            str(data / "log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c hot_standby=on -c fsync=off",
            "start",
            timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(data, ignore_errors=True)
        detail = getattr(error, "stderr", "") or ""
        require(False, f"could not make a streaming replica: {detail.strip()[-1200:]}")
    # The test database's own settings on the replica's port; a mirror, so no test flushes it.
    connections.settings[REPLICA] = {
        **connections["default"].settings_dict,
        "PORT": str(port),
        "TEST": {**connections["default"].settings_dict.get("TEST", {}), "MIRROR": "default"},
    }
    try:
        yield port
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
        _as_postgres(str(pg_ctl), "-D", str(data / "pgdata"), "-m", "immediate", "stop", timeout=60)
        shutil.rmtree(data, ignore_errors=True)


def on_replica(sql: str, params=()):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def wait_for_replay(item_pk: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_replica("SELECT count(*) FROM benefits_benefititem WHERE id = %s", [item_pk])[0]:
            return
        time.sleep(0.2)
    raise AssertionError("the replica never caught up")


@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_catalogue_is_read_from_the_replica_and_writes_go_to_the_primary(
    client, replica_server, sam, sue
):
    def published_item(title_en: str) -> BenefitItem:
        item = services.benefit_item_create(actor=sam, values=item_values(title_en=title_en))
        services.benefit_item_publish(actor=sue, item=item)
        return item

    assert on_replica("SELECT pg_is_in_recovery()")[0] is True
    seen = published_item(title_en="Seen by the replica")
    assert BenefitItem.objects.using("default").filter(pk=seen.pk).exists()
    wait_for_replay(seen.pk)
    # Stop the replica's replay: from now on it lags, and what it serves shows where reads went.
    on_replica("SELECT pg_wal_replay_pause()")
    try:
        lagging = published_item(title_en="Only on the primary so far")
        page = client.get(reverse("benefits:catalogue")).content.decode()
        assert "Seen by the replica" in page
        assert "Only on the primary so far" not in page
        # Outside a lag-tolerant view, and for writes, the primary answers at once.
        assert BenefitItem.objects.filter(pk=lagging.pk).exists()
        with lag_tolerant():
            assert not BenefitItem.objects.filter(pk=lagging.pk).exists()
            assert ReplicaRouter().db_for_write(BenefitItem) == "default"
            from django.db import transaction

            with transaction.atomic():
                # Inside a transaction reads stay on the primary: it may write what it read.
                assert BenefitItem.objects.filter(pk=lagging.pk).exists()
    finally:
        on_replica("SELECT pg_wal_replay_resume()")

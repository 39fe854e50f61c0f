"""The agency simulator (`python -m simulator`) as a subprocess on a free port, for any test that
needs the agencies to answer: the verification tests and the browser journeys.

The session fixture ``simulator_process`` (tests/conftest.py) starts one for the whole run.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import requests
from django.conf import settings

SECRET = "test-simulator-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SimulatorProcess:
    """A simulator package run as `python -m <module>` on a free port, with its secret in the
    environment; started, stopped and restarted by the tests, changed through `/_control`."""

    module = ""
    secret_env = ""
    secret = ""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module, "--port", str(self.port)],
            cwd=settings.BASE_DIR,
            env=os.environ | {self.secret_env: self.secret},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/healthz", timeout=0.5)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError(f"the {self.module} simulator did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def ensure_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start()

    def control(self, **changes) -> dict:
        response = requests.post(
            f"{self.url}/_control",
            data=json.dumps(changes),
            headers={"X-Control-Token": self.secret},
            timeout=5,
        )
        return response.json()


class Simulator(SimulatorProcess):
    """`python -m simulator` on a free port; faults changed through its control endpoint."""

    module = "simulator"
    secret_env = "SIMULATOR_SECRET"
    secret = SECRET

    def stats(self) -> dict:
        return requests.get(f"{self.url}/_control", timeout=5).json()

    def reset(self) -> None:
        self.control(
            latency_ms=0,
            jitter_ms=0,
            error_rate=0,
            timeout_rate=0,
            hang_seconds=30,
            outage=False,
            down="",
            reset_counts=True,
        )

    def env(self) -> dict[str, str]:
        """Environment for a worker process that should ask this simulator."""
        return {
            "VERIFICATION_BASE_URL": self.url,
            "VERIFICATION_SECRET": SECRET,
            "VERIFICATION_TIMEOUT_SECONDS": str(settings.VERIFICATION_TIMEOUT_SECONDS),
            "VERIFICATION_RETRY_BASE_SECONDS": str(settings.VERIFICATION_RETRY_BASE_SECONDS),
            "VERIFICATION_MAX_ATTEMPTS": str(settings.VERIFICATION_MAX_ATTEMPTS),
            "VERIFICATION_STUCK_AFTER_SECONDS": str(settings.VERIFICATION_STUCK_AFTER_SECONDS),
        }

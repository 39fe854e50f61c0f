"""The payment simulator (`python -m paysim`) as a subprocess on a free port, for the payments
tests and the browser journeys. The session fixture ``paysim_process`` (tests/conftest.py) starts
one for the whole run; ``stop``/``ensure_running`` take the provider down and back.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import requests
from django.conf import settings

from .agency_simulator import free_port

SECRET = "test-paysim-secret"


class PaymentSimulator:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "paysim", "--port", str(self.port)],
            cwd=settings.BASE_DIR,
            env=os.environ | {"PAYSIM_SECRET": SECRET},
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
        raise RuntimeError("the payment simulator did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def ensure_running(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self.start()

    def control(self, **changes) -> dict:
        response = requests.post(
            f"{self.url}/_control", data=json.dumps(changes), headers={"X-Control-Token": SECRET}, timeout=5
        )
        return response.json()

    def reset(self) -> None:
        self.control(reset=True, forget_orders=True)

    def settings(self) -> dict:
        """Settings pointing the portal at this simulator."""
        return {
            "PAYMENTS_PROVIDER_URL": self.url,
            "PAYMENTS_PROVIDER_PUBLIC_URL": self.url,
            "PAYMENTS_SECRET": SECRET,
        }

"""The payment simulator (`python -m paysim`) as a subprocess on a free port, for the payments
tests and the browser journeys. The session fixture ``paysim_process`` (tests/conftest.py) starts
one for the whole run; ``stop``/``ensure_running`` take the provider down and back.
"""

from __future__ import annotations

from .agency_simulator import SimulatorProcess

SECRET = "test-paysim-secret"


class PaymentSimulator(SimulatorProcess):
    module = "paysim"
    secret_env = "PAYSIM_SECRET"
    secret = SECRET

    def reset(self) -> None:
        self.control(reset=True, forget_orders=True)

    def settings(self) -> dict:
        """Settings pointing the portal at this simulator."""
        return {
            "PAYMENTS_PROVIDER_URL": self.url,
            "PAYMENTS_PROVIDER_PUBLIC_URL": self.url,
            "PAYMENTS_SECRET": SECRET,
        }

"""Who hears that the audit chain broke, registered from their app's `ready()`, so that the audit
log depends on nothing above it (accounts and core write audit rows; issue 18). A notifier is
called with the chain report inside the transaction that records the break; what it sends goes
after commit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

chain_broken_notifiers: list[Callable[[Any], None]] = []


def register_chain_broken_notifier(notify: Callable[[Any], None]) -> None:
    if notify not in chain_broken_notifiers:
        chain_broken_notifiers.append(notify)

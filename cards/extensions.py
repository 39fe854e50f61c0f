"""What apps built on cards add to it, registered from their `ready()`, so that the dependency
runs one way (payments -> cards, never back; tests/residence/test_import_graph.py).

- an approval hold is called inside the approval's transaction with the case and the decider;
  it returns True when the card must wait (payments: the issuance fee becomes an order);
- an issuance hold returns True while the card of an approved case may not be made yet
  (payments: the fee is not paid); card_issue_for_application then makes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

approval_holds: list[Callable[..., bool]] = []
issuance_holds: list[Callable[[Any], bool]] = []


def register_approval_hold(hold: Callable[..., bool]) -> None:
    if hold not in approval_holds:
        approval_holds.append(hold)


def register_issuance_hold(hold: Callable[[Any], bool]) -> None:
    if hold not in issuance_holds:
        issuance_holds.append(hold)

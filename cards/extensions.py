"""What apps built on cards add to it, registered from their `ready()`, so that the dependency
runs one way (payments -> cards, never back; tests/residence/test_import_graph.py).

- an approval hold is called inside the approval's transaction with the case and the decider;
  it returns True when the card must wait (payments: the issuance fee becomes an order);
- an issuance hold returns True while the card of an approved case may not be made yet
  (payments: the fee is not paid); card_issue_for_application then makes nothing;
- a request-opened hook is called inside card_request_create's transaction with the new request
  and the holder (payments: the renewal or replacement fee becomes an order);
- a request-issue hold returns a message while the new card of a request may not be made yet
  (payments: its fee is not paid), or None; card_request_issue then refuses with that message.
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


request_opened_hooks: list[Callable[..., None]] = []
request_issue_holds: list[Callable[[Any], str | None]] = []


def register_request_opened(hook: Callable[..., None]) -> None:
    if hook not in request_opened_hooks:
        request_opened_hooks.append(hook)


def register_request_issue_hold(hold: Callable[[Any], str | None]) -> None:
    if hold not in request_issue_holds:
        request_issue_holds.append(hold)

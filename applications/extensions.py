"""What apps built on applications add to it, registered from their `ready()`, so that the
dependency runs one way (counters -> applications, never back; see docs/architecture.md).

- a submission check is called by `application_submit` with the actor and the locked case, after
  the facts and bans are checked and before eligibility is assessed; it raises ValidationError to
  refuse the submission (identity: a ban under another passport, possible duplicates flagged, R22);
- an acceptance gate is called by `application_accept` with the locked case; it raises
  ValidationError to keep the case in intake (identity: possible duplicates decided first;
  counters: the in-person intake, issue 15). Gates run in the order of INSTALLED_APPS;
- an acting party lets users of a role act for owners other than themselves: `acts_for(user,
  owner_id)` for one owner, `owner_ids(user)` (a values queryset) for the lists;
- a demo preparer runs before the demo data's intake officer accepts a case.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

submission_checks: list[Callable[..., None]] = []
acceptance_gates: list[Callable[[Any], None]] = []
demo_accept_preparers: list[Callable[..., None]] = []


@dataclass(frozen=True)
class ActingParty:
    role: str
    acts_for: Callable[..., bool]
    owner_ids: Callable[..., Any]


acting_parties: list[ActingParty] = []


def register_submission_check(check: Callable[..., None]) -> None:
    if check not in submission_checks:
        submission_checks.append(check)


def register_acceptance_gate(gate: Callable[[Any], None]) -> None:
    if gate not in acceptance_gates:
        acceptance_gates.append(gate)


def register_acting_party(party: ActingParty) -> None:
    if party not in acting_parties:
        acting_parties.append(party)


def register_demo_accept_preparer(prepare: Callable[..., None]) -> None:
    if prepare not in demo_accept_preparers:
        demo_accept_preparers.append(prepare)

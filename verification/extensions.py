"""What the apps above verification tell it, registered from their `ready()`, so that the
dependency runs one way (applications -> verification, cards -> verification; never back; see
docs/architecture.md, "One direction between apps").

Verification checks the facts of a case it does not own: it knows a case by its row (the
``applications.Application`` its models point at by name) but not the case's states, who may see
it, or what comes after the checks. The app that owns the cases says so here:

- ``CaseHooks`` (one, from applications): who may see a case, which cases are waiting for their
  checks, which are held by permanent residents (daily management), who sent a case to
  verification, and what happens when a case's checks are complete or a check was answered;
- a card revoker (one, from cards): daily management opens a revocation from a finding (R21 -> R22).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CaseHooks:
    # (user) -> the cases the user may see as an officer would (a queryset of cases).
    visible_to: Callable[[Any], Any]
    # (user) -> the cases the user owns or acts for as the applicant side (a queryset of cases).
    applicant_side: Callable[[Any], Any]
    # (user, pk) -> the case, or Http404 when the user may not see it.
    get: Callable[[Any, int], Any]
    # (case) -> whether the case is in verification now (its checks may be written).
    in_verification: Callable[[Any], bool]
    # (case) -> who sent the case to verification (the actor of its checks' requests), or None.
    sent_by: Callable[[Any], Any]
    # () -> the cases in verification (a queryset; the sweeper finds the ones left waiting).
    waiting: Callable[[], Any]
    # () -> the cases of permanent residents, with their applicant and facts (daily management).
    holders: Callable[[], Any]
    # (case ids) -> the cases moved on now that their checks are complete, after the checks'
    # commit; the cases are re-read under lock, so a case asked twice moves once.
    checks_complete: Callable[[list[int]], list[Any]]
    # (check) -> None: an answered check of a case, in the transaction recording it (R7: a talent
    # visa fills the case's facts).
    check_answered: Callable[[Any], None]


_cases: list[CaseHooks] = []


def register_cases(hooks: CaseHooks) -> None:
    _cases[:] = [hooks]


def cases() -> CaseHooks:
    if not _cases:
        raise ImproperlyConfigured(
            "No app registered the cases verification checks (verification.extensions)."
        )
    return _cases[0]


# (actor, application_id, ground, evidence) -> the revocation case opened on the holder's current
# card, or None when the holder has none; raises ValidationError or PermissionDenied as opening a
# revocation does (ground, evidence, the officer's role and area).
CardRevoker = Callable[..., Any]
_revokers: list[CardRevoker] = []


def register_card_revoker(revoke: CardRevoker) -> None:
    _revokers[:] = [revoke]


def card_revoker() -> CardRevoker:
    if not _revokers:
        raise ImproperlyConfigured("No app registered a card revoker (verification.extensions).")
    return _revokers[0]

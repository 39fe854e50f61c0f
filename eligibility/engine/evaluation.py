"""evaluate(): one applicant's facts against one channel of a compiled policy. Pure, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .conditions import MET, NOT_MET
from .errors import PolicyNotInEffect
from .policy import CompiledPolicy
from .result import ELIGIBLE, NEEDS_JUDGEMENT, NOT_ELIGIBLE, Result


def evaluate(policy: CompiledPolicy, *, channel: str, facts: Mapping[str, Any], as_of: date) -> Result:
    """Decide eligibility; missing facts give needs_judgement, badly typed ones raise FactError."""
    compiled = policy.channels.get(channel)
    if compiled is None:
        known = ", ".join(policy.channels)
        raise ValueError(f"policy {policy.version} has no channel {channel!r} (known: {known})")
    if not policy.in_effect(as_of):
        raise PolicyNotInEffect(
            f"policy {policy.version} is in effect from {policy.effective_from} "
            f"to {policy.effective_to or 'further notice'}, not on {as_of}"
        )
    cleaned = compiled.clean(facts)
    status, score, records, point_records = compiled.run(cleaned, as_of)
    if compiled.judgement_always:
        outcome = NEEDS_JUDGEMENT
    elif status is MET:
        outcome = ELIGIBLE
    elif status is NOT_MET:
        outcome = NOT_ELIGIBLE
    else:
        outcome = NEEDS_JUDGEMENT
    tier = compiled.tier_for(score[0]) if score is not None and compiled.tiers else None
    return Result(
        channel=channel,
        outcome=outcome,
        points=None if score is None else score[0],
        pass_mark=compiled.pass_mark,
        green_channel=compiled.is_green(cleaned, as_of, score),
        policy_version=policy.version,
        as_of=as_of,
        tier=None if tier is None else tier[0],
        tier_label=None if tier is None else tier[2],
        _trace=(compiled, cleaned, score, records, point_records),
    )

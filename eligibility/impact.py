"""Policy impact (R5): what a draft would change for cases already submitted. Pure: no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError

from .engine import CompiledPolicy, FactError, evaluate, load_policy
from .engine.validation import CHANNELS

# (channel, engine facts, as-of date, outcome stored at submission) of each case under examination.
Case = tuple[str, dict[str, Any], date, str | None]
# The cases come from the applications app, which depends on eligibility, not the other way round:
# it registers its source when it is ready (ApplicationsConfig.ready), as it connects its receivers.
_case_source: Callable[[], Iterable[Case]] | None = None


def register_case_source(source: Callable[[], Iterable[Case]]) -> None:
    global _case_source
    _case_source = source


def submitted_cases() -> Iterable[Case]:
    if _case_source is None:
        raise ImproperlyConfigured(
            "No app registered the submitted cases (eligibility.impact.register_case_source)"
        )
    return _case_source()


OUTCOMES = ("eligible", "needs_judgement", "not_eligible")
NOT_EVALUATED = "not_evaluated"
# Ranked so a change reads as better or worse for the applicant.
_RANK = {"not_eligible": 0, "needs_judgement": 1, "eligible": 2}


@dataclass
class ChannelImpact:
    channel: str
    cases: int = 0
    unchanged: int = 0
    # (current outcome, outcome under the draft) -> number of cases
    changes: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.changes.values())

    @property
    def better(self) -> int:
        return sum(n for (old, new), n in self.changes.items() if _RANK.get(new, -1) > _RANK.get(old, -1))

    @property
    def worse(self) -> int:
        return self.changed - self.better

    def change_rows(self) -> list[dict[str, Any]]:
        return [
            {"from": old, "to": new, "cases": n}
            for (old, new), n in sorted(self.changes.items(), key=lambda item: (-item[1], item[0]))
        ]


@dataclass
class ImpactReport:
    draft_label: str
    channels: dict[str, ChannelImpact]

    @property
    def cases(self) -> int:
        return sum(c.cases for c in self.channels.values())

    @property
    def changed(self) -> int:
        return sum(c.changed for c in self.channels.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "draft": self.draft_label,
            "cases": self.cases,
            "changed": self.changed,
            "channels": [
                {
                    "channel": c.channel,
                    "cases": c.cases,
                    "unchanged": c.unchanged,
                    "changed": c.changed,
                    "better": c.better,
                    "worse": c.worse,
                    "changes": c.change_rows(),
                }
                for c in self.channels.values()
            ],
        }


def timeless_policy(document: dict[str, Any]) -> CompiledPolicy:
    """A version compiled without its effective period, so it can judge cases from any date."""
    return load_policy({**document, "effective_from": "1900-01-01", "effective_to": None})


def _register_facts(*args, **kwargs):
    from .services import _register_facts as derive

    return derive(*args, **kwargs)


def outcome_under(policy: CompiledPolicy, *, channel: str, facts: dict, as_of: date) -> str:
    """The outcome of one case's stored facts under ``policy`` (see ``timeless_policy``), with the
    register facts as the registers gave them on ``as_of``; "not_evaluated" when it cannot be read."""
    try:
        facts = dict(facts)
        compiled = policy.channels.get(channel)
        if compiled is not None:
            _register_facts(compiled, facts, as_of=as_of, policy=policy)
        return evaluate(policy, channel=channel, facts=facts, as_of=as_of).outcome
    except (FactError, ValueError, TypeError, ValidationError):
        return NOT_EVALUATED


def policy_impact(*, draft, cases: Iterable[tuple[str, dict, date, str]]) -> ImpactReport:
    """Re-evaluate (channel, facts, as_of, current outcome) cases under `draft`; count changes per channel.

    A case the draft cannot evaluate (a fact it no longer knows, a channel it dropped) counts as a
    change to "not_evaluated", so a draft that breaks old cases shows it.
    """
    policy = timeless_policy(draft.document)
    report = ImpactReport(draft_label=draft.label, channels={name: ChannelImpact(name) for name in CHANNELS})
    for channel, facts, as_of, current in cases:
        impact = report.channels.setdefault(channel, ChannelImpact(channel))
        impact.cases += 1
        new = outcome_under(policy, channel=channel, facts=facts, as_of=as_of)
        if new == current:
            impact.unchanged += 1
        else:
            impact.changes[(current, new)] += 1
    return report

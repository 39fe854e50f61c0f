"""The eligibility engine: policy documents as data, compiled once, evaluated without Django or I/O.

Compile a policy with `load_policy(read_policy_document())`, then call
`evaluate(policy, channel=..., facts=..., as_of=...)`; the Result carries the outcome and points at
once, and builds its criteria, explanations, what-if suggestions and `to_dict()` snapshot on demand.
"""

from __future__ import annotations

from .errors import FactError, PolicyError, PolicyInvalid, PolicyNotInEffect
from .evaluation import evaluate
from .policy import DEFAULT_POLICY_PATH, CompiledChannel, CompiledPolicy, load_policy, read_policy_document
from .result import (
    ELIGIBLE,
    NEEDS_JUDGEMENT,
    NOT_ELIGIBLE,
    CriterionResult,
    FactChange,
    Result,
    Suggestion,
)
from .validation import CHANNELS, validate_policy

__all__ = [
    "CHANNELS",
    "DEFAULT_POLICY_PATH",
    "ELIGIBLE",
    "NEEDS_JUDGEMENT",
    "NOT_ELIGIBLE",
    "CompiledChannel",
    "CompiledPolicy",
    "CriterionResult",
    "FactChange",
    "FactError",
    "PolicyError",
    "PolicyInvalid",
    "PolicyNotInEffect",
    "Result",
    "Suggestion",
    "evaluate",
    "load_policy",
    "read_policy_document",
    "validate_policy",
]

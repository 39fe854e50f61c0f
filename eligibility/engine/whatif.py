"""What-if suggestions: the smallest fact changes that turn a failing profile into an eligible one.

Derived from the rule structures only: an unmet leaf proposes its own threshold, an `all` node
combines its children's proposals, an `any` node offers each child's, and the points leaf proposes
bracket moves. Every candidate is re-evaluated before it is offered, and repaired a few times when
one change undoes another (raising the salary lowers the tax share).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .changes import Change
from .conditions import MET, UNKNOWN, AllNode, Leaf, Node, Score, leaf_change, points_needed, scored
from .points import point_alternatives

Combo = dict[str, Change]

# Enough alternatives to show real choices without exploding the product of `all` nodes.
_ALTERNATIVES_PER_NODE = 4
_REPAIR_ROUNDS = 3
MAX_SUGGESTIONS = 5


def _merge(first: Combo, second: Combo) -> Combo:
    merged = dict(first)
    for fact, change in second.items():
        merged[fact] = merged[fact].stronger(change) if fact in merged else change
    return merged


def _key(combo: Combo) -> tuple:
    return tuple(sorted((fact, repr(change.target)) for fact, change in combo.items()))


def _smallest(combos: list[Combo]) -> list[Combo]:
    """Fewest changes first (stable, so rule order breaks ties), duplicates removed."""
    unique: dict[tuple, Combo] = {}
    for combo in sorted(combos, key=len):
        unique.setdefault(_key(combo), combo)
    return list(unique.values())[:_ALTERNATIVES_PER_NODE]


def _alternatives(
    node: Node, channel: Any, facts: dict[str, Any], as_of: date, score: Score | None
) -> list[Combo]:
    """Ways to make `node` met, each a set of fact changes; [] when no fact change can."""
    if isinstance(node, Leaf):
        status, _value = node.check(facts, as_of, score)
        if status is MET:
            return [{}]
        if status is UNKNOWN:
            return []
        if node.op == "points_pass":
            current = scored(score)
            needed = points_needed(node, channel.env, current)
            return point_alternatives(
                channel.criteria, facts=facts, as_of=as_of, env=channel.env, gap=needed - current[0]
            )
        change = leaf_change(node, facts=facts, as_of=as_of, env=channel.env)
        return [] if change is None else [{change.fact: change}]
    if isinstance(node, AllNode):
        if node.gate is not None and node.gate.check(facts, as_of, score)[0] is not MET:
            return []
        combos: list[Combo] = [{}]
        for child in node.children:
            options = _alternatives(child, channel, facts, as_of, score)
            if not options:
                return []
            combos = _smallest([_merge(combo, option) for combo in combos for option in options])
        return combos
    found: list[Combo] = []
    for child in node.children:
        found.extend(_alternatives(child, channel, facts, as_of, score))
    return _smallest(found)


def suggest(channel: Any, facts: dict[str, Any], as_of: date) -> list[tuple[Combo, Score | None]]:
    """Verified change sets (with the score they lead to), fewest changes first."""
    _status, score = channel.status(facts, as_of)
    verified: dict[tuple, tuple[Combo, Score | None]] = {}
    for candidate in _alternatives(channel.requirements, channel, facts, as_of, score):
        combo = candidate
        for _round in range(_REPAIR_ROUNDS):
            patched = {**facts, **{fact: change.target for fact, change in combo.items()}}
            status, patched_score = channel.status(patched, as_of)
            if status is MET:
                verified.setdefault(_key(combo), (combo, patched_score))
                break
            repairs = _alternatives(channel.requirements, channel, patched, as_of, patched_score)
            if not repairs:
                break
            combo = _merge(combo, repairs[0])
    ordered = sorted(verified.values(), key=lambda item: len(item[0]))
    return ordered[:MAX_SUGGESTIONS]

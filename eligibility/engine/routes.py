"""Which way of qualifying made a result eligible: "Eligible through 4 years of continuous employment".

A channel's requirements are a tree of `all`/`any` groups; the rules met are in the evaluation's
records. The way named is the first group of a met `any` that is met, by its `route` text when the
policy gives one, else by its first rule's label.
"""

from __future__ import annotations

from typing import Any

from .conditions import MET
from .labels import render_label
from .schema import duration_days


def _figures(rule: dict[str, Any]) -> dict[str, Any]:
    if "min_stay" in rule:
        return {**rule, "min_days": duration_days(rule["min_stay"])}
    return rule


def _params(node: dict[str, Any]) -> dict[str, Any]:
    """The figures a group's route text may quote: its rules', the first one's winning."""
    if "op" in node:
        return _figures(node)
    merged: dict[str, Any] = {}
    for child in reversed(node.get("all") or node.get("any") or []):
        merged.update(_params(child))
    return merged


def _met(node: dict[str, Any], status: dict[str, str]) -> bool:
    if "op" in node:
        return status.get(node["id"]) == MET
    if "all" in node:
        # A group whose `when` did not apply ran none of its rules: they are not in the records.
        return all(_met(child, status) for child in node["all"])
    return any(_met(child, status) for child in node["any"])


def _first_rule(node: dict[str, Any]) -> dict[str, Any]:
    while "op" not in node:
        node = (node.get("all") or node["any"])[0]
    return node


def _named(node: dict[str, Any], status: dict[str, str]) -> dict[str, str]:
    if "route" in node:
        return render_label(node["route"], _params(node))
    if "any" in node:
        chosen = next((child for child in node["any"] if _met(child, status)), node["any"][0])
        return _named(chosen, status)
    if "all" in node:
        # An `all` group qualifies through the `any` inside it (investment: one of four thresholds).
        for child in node["all"]:
            if "any" in child or "route" in child:
                return _named(child, status)
        if "when" in node:
            gate = node["when"]
            return render_label(gate.get("route") or gate["label"], _figures(gate))
    rule = _first_rule(node)
    return render_label(rule.get("route") or rule["label"], _figures(rule))


def eligible_through(requirements: dict[str, Any], records: list) -> dict[str, str] | None:
    """The way the met requirements were met, in English and Chinese; None if they were not met."""
    status = {leaf.id: leaf_status for leaf, leaf_status, _value in records}
    if not _met(requirements, status):
        return None
    return _named(requirements, status)

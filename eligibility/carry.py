"""The facts of an eligible self-check, kept in the person's session when they start an application.

The self-check stores nothing unless its result is followed to an application; then the answers are
kept in the session (not the database) so that the application's forms can be filled in with them.
The applications app reads them with ``self_check_facts`` and moves them to the new draft.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

SESSION_KEY = "eligibility.self_check"


def _json_safe(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    return value


def self_check_keep(session, *, channel: str, facts: dict[str, Any]) -> None:
    """Keep the answers of a self-check in ``channel`` for the application about to start."""
    session[SESSION_KEY] = {"channel": channel, "facts": {k: _json_safe(v) for k, v in facts.items()}}


def self_check_facts(session, channel: str) -> dict[str, Any] | None:
    """The kept answers (engine fact names, JSON values) if they are for ``channel``."""
    kept = session.get(SESSION_KEY)
    if (
        not isinstance(kept, dict)
        or kept.get("channel") != channel
        or not isinstance(kept.get("facts"), dict)
    ):
        return None
    return dict(kept["facts"])


def self_check_forget(session) -> None:
    session.pop(SESSION_KEY, None)

"""@mentions in case notes: an officer is named by their e-mail address after an @ (``@li.wei@nia.example``)."""

from __future__ import annotations

import re

MENTION = re.compile(r"(?<![\w.+-])@([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def mentioned_addresses(text: str) -> list[str]:
    """The addresses mentioned in ``text``, lower-cased, each once, in order of appearance."""
    return list(dict.fromkeys(match.lower().rstrip(".") for match in MENTION.findall(text or "")))

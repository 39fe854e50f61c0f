"""Rule labels that quote the rule's own figures: "At least USD {value}" reads the leaf's `value`.

A label that repeats a threshold by hand goes stale the day the threshold is changed; placeholders
keep the published conditions (R13) and the explanations in step with the figures the engine uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# Derived names a label may use besides the leaf's own numeric parameters.
DERIVED = {"percent": "ratio"}


def _number(value: Any, language: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    if language == "zh" and value >= 10000 and value % 10000 == 0:
        return f"{int(value) // 10000}万"
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,}"


def placeholder_value(params: Mapping[str, Any], name: str, language: str) -> str | None:
    if name in DERIVED:
        base = params.get(DERIVED[name])
        if isinstance(base, int | float | Decimal) and not isinstance(base, bool):
            # 0.2 -> "20", not "20.0"; 0.125 -> "12.5".
            return f"{(Decimal(str(base)) * 100).normalize():f}"
        return None
    return _number(params.get(name), language)


def unknown_placeholders(label: Mapping[str, str], params: Mapping[str, Any]) -> list[str]:
    names = {
        m.group(1) for text in label.values() if isinstance(text, str) for m in PLACEHOLDER.finditer(text)
    }
    return sorted(name for name in names if placeholder_value(params, name, "en") is None)


def render_label(label: Mapping[str, str], params: Mapping[str, Any]) -> dict[str, str]:
    """The label in each language with its placeholders filled; an unknown one is left as written."""

    def fill(text: str, language: str) -> str:
        return PLACEHOLDER.sub(lambda m: placeholder_value(params, m.group(1), language) or m.group(0), text)

    return {language: fill(text, language) for language, text in label.items()}

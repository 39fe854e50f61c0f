"""A single fact change proposed by a what-if suggestion, and how it reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import text

AT_LEAST = "at_least"
AT_MOST = "at_most"
SET = "set"
WAIT = "wait"
MORE_RESIDENCE = "more_residence"


class Change:
    """Set `fact` to `target`; `kind` says how the change reads and how two changes merge."""

    __slots__ = ("fact", "target", "kind", "detail")

    def __init__(self, fact: str, target: Any, kind: str, **detail: Any) -> None:
        self.fact = fact
        self.target = target
        self.kind = kind
        self.detail = detail

    def stronger(self, other: Change) -> Change:
        """Of two changes to the same fact, the one that satisfies both where that is knowable."""
        if self.kind == other.kind == AT_LEAST:
            return self if self.target >= other.target else other
        if self.kind == other.kind == AT_MOST:
            return self if self.target <= other.target else other
        if self.kind == other.kind == WAIT:
            return self if self.target <= other.target else other
        if self.kind == other.kind == MORE_RESIDENCE:
            return self if len(self.target) >= len(other.target) else other
        # Conflicting kinds: keep the first; the suggestion is re-checked before it is offered.
        return self

    def text(self, spec: dict[str, Any]) -> dict[str, str]:
        label = spec["label"]
        if self.kind == MORE_RESIDENCE:
            more, days = self.detail["more_years"], self.detail["min_days"]
            return {
                "en": f"{more} more consecutive year(s) with at least {days} days in China each",
                "zh": f"再连续{more}年每年在华居住不少于{days}天",
            }
        if self.kind == WAIT:
            more = self.detail["more_years"]
            eligible_from: date | None = self.detail.get("eligible_from")
            when_en = f" (met from {eligible_from.isoformat()})" if eligible_from else ""
            when_zh = f"（{eligible_from.isoformat()}起符合）" if eligible_from else ""
            target = self.target.isoformat()
            return {
                "en": f"{label['en']} on or before {target}: {more} more year(s){when_en}",
                "zh": f"{label['zh']}不晚于{target}：还需{more}年{when_zh}",
            }
        shown_en, shown_zh = text.fact_value(self.target, spec)
        if self.kind == AT_LEAST:
            return {"en": f"{label['en']} at least {shown_en}", "zh": f"{label['zh']}不少于{shown_zh}"}
        if self.kind == AT_MOST:
            return {"en": f"{label['en']} at most {shown_en}", "zh": f"{label['zh']}不超过{shown_zh}"}
        return {"en": f"{label['en']}: {shown_en}", "zh": f"{label['zh']}：{shown_zh}"}

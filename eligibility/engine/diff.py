"""What changed between two policy documents, one sentence per change, in English and Chinese.

Lists of rules, points lines, classes and documents are matched by their `id` or `code`, so moving
or inserting a rule reads as that, not as every later rule having changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Keys that say where something is rather than what it requires; not worth a sentence of their own
# when their parent is added or removed.
_IGNORED_TOP = ("x-",)


@dataclass(frozen=True)
class PolicyChange:
    path: str
    kind: str  # "added", "removed" or "changed"
    before: Any
    after: Any
    text: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
            "text": self.text,
        }


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        if set(value) >= {"en", "zh"} and all(isinstance(v, str) for v in value.values()):
            return f"“{value['en']}”"
        label = value.get("label")
        if isinstance(label, dict) and "en" in label:
            return f"“{label['en']}”"
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if value is None:
        return "none"
    return str(value)


def _shown_zh(value: Any) -> str:
    if isinstance(value, dict):
        if set(value) >= {"en", "zh"} and all(isinstance(v, str) for v in value.values()):
            return f"“{value['zh']}”"
        label = value.get("label")
        if isinstance(label, dict) and "zh" in label:
            return f"“{label['zh']}”"
        return "{" + "，".join(f"{key}：{_shown_zh(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + "，".join(_shown_zh(item) for item in value) + "]"
    if value is None:
        return "无"
    return str(value)


def _identity(item: Any) -> str | None:
    """What names a list item across versions: its id or code; a requirements group (a route a
    version adds has no id of its own) by its route text, its gate, or its first rule."""
    if isinstance(item, dict):
        for key in ("id", "code"):
            if isinstance(item.get(key), str):
                return item[key]
        route = item.get("route")
        if isinstance(route, dict) and isinstance(route.get("en"), str):
            return f"route:{route['en']}"
        if isinstance(item.get("when"), dict) and isinstance(item["when"].get("id"), str):
            return f"when:{item['when']['id']}"
        for key in ("all", "any"):
            children = item.get(key)
            if isinstance(children, list) and children:
                first = _identity(children[0])
                if first is not None:
                    return f"{key}:{first}"
    return None


def _where(trail: list[tuple[str, Any]]) -> tuple[str, str]:
    """A readable place: the labels of the things on the way (channel, rule), then the key."""
    names_en: list[str] = []
    names_zh: list[str] = []
    for key, node in trail:
        label: Any = node.get("label") if isinstance(node, dict) else None
        if label is None and isinstance(node, dict) and isinstance(node.get("when"), dict):
            label = node["when"].get("label")  # a group named by the rule that gates it (e.g. "Spouse")
        if isinstance(label, dict) and isinstance(label.get("en"), str) and key != "label":
            names_en.append(label["en"])
            names_zh.append(label.get("zh") or label["en"])
        elif key not in (
            "channels",
            "requirements",
            "all",
            "any",
            "criteria",
            "points",
            "facts",
            "reference",
        ):
            names_en.append(key)
            names_zh.append(key)
    return " › ".join(names_en) or "(policy)", " › ".join(names_zh) or "(policy)"


def policy_diff(before: dict[str, Any], after: dict[str, Any]) -> list[PolicyChange]:
    """Every change from `before` to `after`, in document order."""
    changes: list[PolicyChange] = []

    def record(path: str, trail: list, kind: str, old: Any, new: Any) -> None:
        where_en, where_zh = _where(trail)
        if kind == "added":
            text = {"en": f"{where_en}: added {_shown(new)}.", "zh": f"{where_zh}：新增 {_shown_zh(new)}。"}
        elif kind == "removed":
            text = {
                "en": f"{where_en}: removed (was {_shown(old)}).",
                "zh": f"{where_zh}：已删除（原为 {_shown_zh(old)}）。",
            }
        else:
            text = {
                "en": f"{where_en}: {_shown(old)} → {_shown(new)}.",
                "zh": f"{where_zh}：{_shown_zh(old)} → {_shown_zh(new)}。",
            }
        changes.append(PolicyChange(path=path, kind=kind, before=old, after=new, text=text))

    def walk(old: Any, new: Any, path: str, trail: list) -> None:
        if old == new:
            return
        if isinstance(old, dict) and isinstance(new, dict):
            if (
                set(old) >= {"en", "zh"}
                and set(new) >= {"en", "zh"}
                and all(isinstance(v, str) for v in old.values())
            ):
                record(path, trail, "changed", old, new)  # a text in both languages reads as one change
                return
            for key in list(old) + [key for key in new if key not in old]:
                if not path and any(str(key).startswith(prefix) for prefix in _IGNORED_TOP):
                    continue
                where = f"{path}.{key}" if path else str(key)
                step = [*trail, (str(key), new.get(key, old.get(key)))]
                if key not in new:
                    record(where, step, "removed", old[key], None)
                elif key not in old:
                    record(where, step, "added", None, new[key])
                else:
                    walk(old[key], new[key], where, step)
            return
        if isinstance(old, list) and isinstance(new, list):
            old_ids = [_identity(item) for item in old]
            new_ids = [_identity(item) for item in new]
            if all(old_ids) and all(new_ids):
                for index, item in enumerate(new):
                    where = f"{path}[{index}]"
                    ident = new_ids[index]
                    if ident in old_ids:
                        walk(old[old_ids.index(ident)], item, where, [*trail, (ident, item)])
                    else:
                        record(where, [*trail, (ident, item)], "added", None, item)
                for index, item in enumerate(old):
                    if old_ids[index] not in new_ids:
                        record(f"{path}[{index}]", [*trail, (old_ids[index], item)], "removed", item, None)
                return
            if len(old) == len(new) and all(isinstance(item, (dict, list)) for item in old + new):
                for index, (a, b) in enumerate(zip(old, new, strict=True)):
                    walk(a, b, f"{path}[{index}]", [*trail, (f"[{index + 1}]", b)])
                return
        record(path, trail, "changed", old, new)

    walk(before, after, "", [])
    return changes

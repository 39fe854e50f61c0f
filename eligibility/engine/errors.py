"""Errors raised or returned by the eligibility engine, each with an English and a Chinese message."""

from __future__ import annotations

from dataclasses import dataclass

# One catalogue of messages so every validation error reads the same in both languages.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_a_mapping": ("expected a mapping", "应为映射（键值对）"),
    "not_a_list": ("expected a list", "应为列表"),
    "missing_key": ("required key '{key}' is missing", "缺少必填项“{key}”"),
    "unknown_key": ("unknown key '{key}'", "未知的键“{key}”"),
    "missing_translation": (
        "translation '{lang}' is missing or empty",
        "缺少“{lang}”语言的文本",
    ),
    "bad_date": ("'{value}' is not a date (YYYY-MM-DD)", "“{value}”不是有效日期（YYYY-MM-DD）"),
    "bad_date_range": (
        "effective_to {end} is not after effective_from {start}",
        "失效日期 {end} 不晚于生效日期 {start}",
    ),
    "bad_value": ("{detail}", "{detail_zh}"),
    "unknown_channel": (
        "unknown channel '{name}'; known channels: {known}",
        "未知的申请类别“{name}”；已知类别：{known}",
    ),
    "unknown_fact": (
        "unknown fact '{name}' for channel '{channel}'",
        "申请类别“{channel}”中不存在事实项“{name}”",
    ),
    "unknown_fact_type": ("unknown fact type '{value}'", "未知的事实类型“{value}”"),
    "fact_type_mismatch": (
        "operator '{op}' cannot be used with fact '{name}' of type {type}",
        "运算符“{op}”不能用于类型为 {type} 的事实项“{name}”",
    ),
    "unknown_operator": (
        "unknown operator '{op}'; known operators: {known}",
        "未知的运算符“{op}”；已知运算符：{known}",
    ),
    "unknown_reference": ("unknown reference table '{name}'", "未知的参考表“{name}”"),
    "unknown_choice": (
        "'{value}' is not one of the choices of fact '{name}'",
        "“{value}”不是事实项“{name}”的可选值",
    ),
    "duplicate_id": ("id '{id}' is used more than once", "编号“{id}”重复使用"),
    "overlapping_brackets": (
        "bracket starts at {start} but the previous bracket ends at {end}: they overlap",
        "区间起点 {start} 小于上一区间终点 {end}：区间重叠",
    ),
    "gapped_brackets": (
        "bracket starts at {start} but the previous bracket ends at {end}: values in between score nothing",
        "区间起点 {start} 大于上一区间终点 {end}：中间的数值无法计分",
    ),
    "empty_bracket": ("bracket min {start} is not below max {end}", "区间下限 {start} 不小于上限 {end}"),
    "bad_node": (
        "a condition needs exactly one of 'all', 'any' or 'op'",
        "条件必须且只能包含“all”“any”“op”之一",
    ),
    "points_without_table": (
        "'points_pass' is used but the channel has no points table",
        "使用了“points_pass”，但该类别没有积分表",
    ),
}


@dataclass(frozen=True)
class PolicyError:
    """One problem found in a policy document, located by a dotted path."""

    path: str
    code: str
    message: dict[str, str]

    def __str__(self) -> str:
        return f"{self.path}: {self.message['en']}"


def policy_error(path: str, code: str, **params: object) -> PolicyError:
    en, zh = MESSAGES[code]
    return PolicyError(path=path, code=code, message={"en": en.format(**params), "zh": zh.format(**params)})


class PolicyInvalid(ValueError):
    """Raised by load_policy when validate_policy found errors."""

    def __init__(self, errors: list[PolicyError]) -> None:
        self.errors = errors
        lines = "\n".join(f"  {error}" for error in errors)
        super().__init__(f"policy document has {len(errors)} error(s):\n{lines}")


class FactError(TypeError):
    """A fact given to evaluate() has an unknown name or a value of the wrong type."""

    def __init__(self, *, fact: str, message_en: str, message_zh: str) -> None:
        self.fact = fact
        self.message = {"en": message_en, "zh": message_zh}
        super().__init__(f"fact '{fact}': {message_en}")


class PolicyNotInEffect(ValueError):
    """The evaluation date falls outside the policy's effective period (R6)."""

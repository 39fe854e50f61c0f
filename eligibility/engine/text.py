"""Formatting of values and multilingual sentences for explanations and suggestions.

Each phrase is kept per language key (the policy documents' keys: en, zh, ja, ko, ru, ar). The
``*_texts`` functions give every language as a ``{key: text}`` map, which pages show through
residence.languages.pick; the older ``(en, zh)`` functions are those maps cut to two, for the
sentences that are still written in English and Chinese only (a missing key falls back to English).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Any

from .schema import TEXT_LANGUAGES

Texts = dict[str, str]

# How a unit reads around a number in each language; other units are appended as given.
# Russian and Arabic choose the noun's form by the number (see _counted), so they are absent here.
_UNITS: dict[str, Texts] = {
    "CNY": {
        "en": "CNY {n}",
        "zh": "人民币{n}元",
        "ja": "{n}人民元",
        "ko": "{n}위안",
        "ru": "{n} юаней",
        "ar": "{n} يوان",
    },
    "USD": {
        "en": "USD {n}",
        "zh": "{n}美元",
        "ja": "{n}米ドル",
        "ko": "{n}달러",
        "ru": "{n} долларов США",
        "ar": "{n} دولار أمريكي",
    },
    "days": {"en": "{n} days", "zh": "{n}天", "ja": "{n}日", "ko": "{n}일"},
    "years": {"en": "{n} years", "zh": "{n}年", "ja": "{n}年", "ko": "{n}년"},
}
_SINGULAR = {"days": "{n} day", "years": "{n} year"}

# Russian nouns after a number, in the genitive: the bands read "не менее 5 лет", "менее 1 года",
# so the number always follows a comparative. (one, few/fraction, many)
_RU_COUNTED = {"days": ("дня", "дней"), "years": ("года", "лет")}
# Arabic: 1 and 2 have their own words (the dual after من in the bands), 3-10 take the plural,
# 11 and above the singular.
_AR_COUNTED = {
    "days": ("يوم واحد", "يومين", "{n} أيام", "{n} يومًا"),
    "years": ("سنة واحدة", "سنتين", "{n} سنوات", "{n} سنة"),
}

_BAND: dict[str, Texts] = {
    "any": {
        "en": "any value",
        "zh": "任意值",
        "ja": "任意の値",
        "ko": "모든 값",
        "ru": "любое значение",
        "ar": "أي قيمة",
    },
    "or_more": {
        "en": "{low} or more",
        "zh": "{low}及以上",
        "ja": "{low}以上",
        "ko": "{low} 이상",
        "ru": "не менее {low}",
        "ar": "{low} أو أكثر",
    },
    "under": {
        "en": "under {high}",
        "zh": "不足{high}",
        "ja": "{high}未満",
        "ko": "{high} 미만",
        "ru": "менее {high}",
        "ar": "أقل من {high}",
    },
    "between": {
        "en": "{low} to under {high}",
        "zh": "{low}以上、不足{high}",
        "ja": "{low}以上{high}未満",
        "ko": "{low} 이상 {high} 미만",
        "ru": "не менее {low}, но менее {high}",
        "ar": "من {low} إلى أقل من {high}",
    },
}
# The languages whose "between" names the unit once, after the high end ("2 to under 4 times").
_BARE_LOW = ("en", "ar")

_TIMES: Texts = {"en": "{n} times", "zh": "{n}倍", "ja": "{n}倍", "ko": "{n}배", "ar": "{n} أضعاف"}

_FACT_WORDS: dict[str, Texts] = {
    "not provided": {
        "en": "not provided",
        "zh": "未提供",
        "ja": "未入力",
        "ko": "미입력",
        "ru": "не указано",
        "ar": "غير مقدم",
    },
    "yes": {"en": "yes", "zh": "是", "ja": "はい", "ko": "예", "ru": "да", "ar": "نعم"},
    "no": {"en": "no", "zh": "否", "ja": "いいえ", "ko": "아니요", "ru": "нет", "ar": "لا"},
}


# What a code used as a fact or a table key is called (e.g. "CN-GD" -> Guangdong), as (en, zh).
# The engine has no Django: the eligibility app registers the provinces when it starts.
_NAMES: dict[str, tuple[str, str]] = {}


def register_names(names: dict[str, tuple[str, str]]) -> None:
    _NAMES.update(names)


def _pair(texts: Texts) -> tuple[str, str]:
    return texts["en"], texts.get("zh", texts["en"])


def _same(shown: str) -> Texts:
    return dict.fromkeys(TEXT_LANGUAGES, shown)


def key_name_texts(key: Any) -> Texts:
    """A table key or code by its name; only English and Chinese names are registered."""
    if key in _NAMES:
        en, zh = _NAMES[key]
        return {"en": en, "zh": zh}
    return _same(str(key))


def key_name(key: Any) -> tuple[str, str]:
    """A table key or code fact as a person reads it, as (en, zh); unknown codes as they are."""
    return _pair(key_name_texts(key))


def number(value: Any) -> str:
    """Thousands separators; decimals only when the value has a fraction."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()):
        return f"{int(value):,}"
    return f"{Decimal(value):,.2f}"


def localised_number(shown: str, lang: str) -> str:
    """A number written by number()/multiple() as the language writes it: Russian groups
    thousands with a no-break space and uses a decimal comma (100 000; 1,5)."""
    if lang != "ru":
        return shown
    return shown.replace(",", "\u00a0").replace(".", ",")


def _truncated(value: Decimal, places: str) -> str:
    # Rounded down, so a value just under a threshold never reads as the threshold itself.
    shown = format(Decimal(value).quantize(Decimal(places), rounding=ROUND_DOWN), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def multiple(value: Decimal) -> str:
    return _truncated(value, "0.01")


def percent(value: Decimal) -> str:
    return _truncated(value * 100, "0.1") + "%"


def percent_texts(value: Decimal) -> Texts:
    """A ratio as a percentage: "20 %" in English (as the policy writes it), "20%" elsewhere."""
    shown = percent(value)
    texts = {lang: localised_number(shown, lang) for lang in TEXT_LANGUAGES}
    texts["en"] = shown.replace("%", " %")
    texts["ru"] = texts["ru"].replace("%", "\u00a0%")
    return texts


def times_texts(value: Decimal) -> Texts:
    """A multiple of a reference figure: "4 times", "4倍", "не менее 4 раз"."""
    shown = multiple(value)
    texts = {lang: template.format(n=shown) for lang, template in _TIMES.items()}
    # Genitive after менее / не менее: plural "раз" for whole numbers, "раза" for fractions.
    texts["ru"] = localised_number(shown, "ru") + (" раза" if "." in shown else " раз")
    return texts


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value())


def _counted(value: Any, shown: str, unit: str, lang: str) -> str:
    if lang == "ru":
        one, many = _RU_COUNTED[unit]
        whole = int(value) if _is_whole(value) else None
        noun = one if whole is None or (whole % 10 == 1 and whole % 100 != 11) else many
        return f"{localised_number(shown, 'ru')} {noun}"
    one, two, few, many = _AR_COUNTED[unit]
    whole = int(value) if _is_whole(value) else None
    if whole == 1:
        return one
    if whole == 2:
        return two
    if whole is not None and 3 <= whole % 100 <= 10:
        return few.format(n=shown)
    return many.format(n=shown)


def with_unit_texts(value: Any, unit: str | None) -> Texts:
    """The value with its unit in every language (Russian in the genitive the bands need)."""
    shown = number(value)
    if unit is None:
        return {lang: localised_number(shown, lang) for lang in TEXT_LANGUAGES}
    templates = _UNITS.get(unit, {"en": "{n} " + unit, "zh": "{n}" + unit})
    texts = {}
    for lang in TEXT_LANGUAGES:
        if lang in templates:
            template = templates[lang]
            if lang == "en" and shown == "1" and unit in _SINGULAR:
                template = _SINGULAR[unit]
            texts[lang] = template.format(n=localised_number(shown, lang))
        elif unit in _RU_COUNTED and lang in ("ru", "ar"):
            texts[lang] = _counted(value, shown, unit, lang)
    return texts


def with_unit(value: Any, unit: str | None) -> tuple[str, str]:
    """The value with its unit, as (en, zh)."""
    return _pair(with_unit_texts(value, unit))


def band_texts(
    low: Any, high: Any, shown: Callable[[Any], Texts], bare: Callable[[Any], str] | None = None
) -> Texts:
    """A points band [low, high) in words in every language, each end through `shown(value)`.

    "20 % or more", "2 to under 4 times" (the low end through `bare`, without its unit, in
    English and Arabic), "under 10 %"; an open or zero low end is left out. A language that
    `shown` does not give is left out too, so the page falls back to English for it.
    """
    has_low = low is not None and low != 0
    if high is None:
        if low is None:
            return dict(_BAND["any"])
        low_texts = shown(low)
        return {lang: _BAND["or_more"][lang].format(low=low_texts[lang]) for lang in low_texts}
    high_texts = shown(high)
    if not has_low:
        return {lang: _BAND["under"][lang].format(high=high_texts[lang]) for lang in high_texts}
    low_texts = shown(low)
    texts = {}
    for lang in high_texts:
        if lang not in low_texts:
            continue
        low_shown = low_texts[lang]
        if bare is not None and lang in _BARE_LOW:
            low_shown = localised_number(bare(low), lang)
        texts[lang] = _BAND["between"][lang].format(low=low_shown, high=high_texts[lang])
    return texts


def band(low: Any, high: Any, shown, bare=None) -> tuple[str, str]:
    """A points band [low, high) as (en, zh), each end through `shown(value) -> (en, zh)`."""
    return _pair(
        band_texts(low, high, lambda value: dict(zip(("en", "zh"), shown(value), strict=True)), bare)
    )


def fact_value_texts(value: Any, spec: dict[str, Any] | None) -> Texts:
    """A fact value as an applicant reads it, in every language the value has words for."""
    if value is None:
        return dict(_FACT_WORDS["not provided"])
    if isinstance(value, bool):
        return dict(_FACT_WORDS["yes" if value else "no"])
    if isinstance(value, date):
        return _same(value.isoformat())
    if isinstance(value, (list, tuple)):
        shown = ", ".join(str(item) for item in value)
        return _same(f"[{shown}]")
    if spec is not None and spec.get("type") == "enum":
        label = spec["choices"].get(value)
        if label is not None:
            return dict(label)
    if isinstance(value, (int, Decimal)):
        return with_unit_texts(value, spec.get("unit") if spec else None)
    return key_name_texts(value)


def fact_value(value: Any, spec: dict[str, Any] | None) -> tuple[str, str]:
    """A fact value as an applicant reads it, as (en, zh)."""
    return _pair(fact_value_texts(value, spec))


def basis(legal_basis: dict[str, str] | None) -> tuple[str, str]:
    """The ' Basis: …' suffix of an explanation, empty when the rule cites nothing."""
    if not legal_basis:
        return "", ""
    return f" Basis: {legal_basis['en']}.", f"依据：{legal_basis['zh']}。"


def sentence(en: str, zh: str, legal_basis: dict[str, str] | None = None) -> dict[str, str]:
    basis_en, basis_zh = basis(legal_basis)
    return {"en": en + basis_en, "zh": zh + basis_zh}

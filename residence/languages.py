"""The languages the portal speaks, in one place: settings.LANGUAGES is the list.

Content (benefit items, the policy FAQ, policy texts) is stored per language code in translation
rows or ``{code: text}`` maps, so adding a language is a line in settings.LANGUAGES, a message
catalogue and data; no model changes. English is the language every text must have: anything
missing in the reader's language falls back to it, and the page says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar

from django.conf import settings
from django.utils.translation import get_language, get_language_info, gettext_lazy

FALLBACK = "en"

# BCP 47 tags for the lang attribute where Django's code is not one (zh-hans is zh-Hans).
_HTML_TAGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
# Short keys for flattened field names (title_en, title_zh, title_ja): the Chinese key predates
# the other languages and stays ``zh`` so existing API clients keep working.
_FIELD_KEYS = {"zh-hans": "zh"}
# The portal writes one Chinese, so it is "Chinese" in sentences, not Django's "Simplified Chinese".
_NAMES = {"zh-hans": gettext_lazy("Chinese")}


def codes() -> list[str]:
    """Every configured language code, English first."""
    return [code for code, _name in settings.LANGUAGES]


def choices() -> list[tuple[str, str]]:
    """(code, name in its own language): for model and form choices.

    A callable, so models using it need no migration when a language is added.
    """
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def is_known(code: str) -> bool:
    return code in codes()


def current() -> str:
    """The active language, as one of settings.LANGUAGES (the fallback when none is active)."""
    language = (get_language() or FALLBACK).lower()
    if language in codes():
        return language
    base = language.split("-")[0]
    for code in codes():
        if code.split("-")[0] == base:
            return code
    return FALLBACK


def html_tag(code: str) -> str:
    """The value for a lang attribute."""
    return _HTML_TAGS.get(code, code)


def field_key(code: str) -> str:
    """The suffix of flattened per-language field names: ``en``, ``zh``, ``ja``, ``ar``."""
    return _FIELD_KEYS.get(code, code.replace("-", "_"))


def code_for_key(key: str) -> str | None:
    for code in codes():
        if field_key(code) == key:
            return code
    return None


def name(code: str) -> str:
    """The language's name in the active language (for "not yet available in Japanese")."""
    if code in _NAMES:
        return str(_NAMES[code])
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return dict(choices()).get(code, code)


def is_rtl(code: str) -> bool:
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return False


def pick(texts: Mapping[str, str] | None, *, keyed_by_code: bool = False) -> tuple[str, bool]:
    """The text in the reader's language, else the English one: (text, whether it fell back).

    ``texts`` maps field keys (``{"en", "zh", "ja"}``, as policy documents do) or, with
    ``keyed_by_code``, language codes (``{"en", "zh-hans"}``, as translation rows do).
    """
    if not texts:
        return "", False
    active = current()
    own = texts.get(active if keyed_by_code else field_key(active))
    if own:
        return own, False
    english = texts.get(FALLBACK) or ""
    return english, bool(english) and active != FALLBACK


# Whether the page being rendered showed any English stand-in; base.html resets it before the
# content and shows one notice after it (a policy page can have dozens of labels; one notice says it).
_fell_back: ContextVar[bool] = ContextVar("language_fell_back", default=False)


def note_fallback() -> None:
    _fell_back.set(True)


def reset_fallback() -> None:
    _fell_back.set(False)


def fell_back() -> bool:
    return _fell_back.get()

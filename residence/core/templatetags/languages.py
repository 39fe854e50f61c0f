"""Texts in the reader's language, and the notice when one is shown in English instead."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from residence import languages

register = template.Library()


def fallback_html(text: str) -> str:
    """English standing in for the reader's language: marked lang="en" for screen readers."""
    languages.note_fallback()
    # dir too: English inside an Arabic page keeps left-to-right order (full stops at the end).
    return format_html('<span lang="en" dir="ltr">{}</span>', text)


@register.filter
def translated(texts):
    """A {key: text} policy text in the reader's language; an English stand-in marked as such."""
    if not isinstance(texts, dict):
        return "" if texts is None else texts
    text, fell_back = languages.pick(texts)
    return fallback_html(text) if fell_back else text


def notice_text() -> str:
    return _("This text is not yet available in %(language)s; shown in English.") % {
        "language": languages.name(languages.current())
    }


@register.simple_tag
def fallback_notice_text() -> str:
    return notice_text()


@register.simple_tag
def fallback_reset() -> str:
    languages.reset_fallback()
    return ""


@register.simple_tag
def fallback_page_notice() -> str:
    """One notice after the content when any text on the page was shown in English."""
    if not languages.fell_back():
        return ""
    languages.reset_fallback()
    return format_html('<p class="notice fallback-notice" role="note">{}</p>', notice_text())

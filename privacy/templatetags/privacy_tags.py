"""The consent text shown where a consent is given (the review step, the authorisation form)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from privacy import consent_texts

register = template.Library()


@register.inclusion_tag("privacy/_consent_text.html")
def consent_text(purpose: str) -> dict:
    text = consent_texts.current(purpose)
    language = get_language()
    return {"version": text.version, "text": text.text(language), "withdrawal": text.withdrawal(language)}

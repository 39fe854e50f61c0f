"""Reads of the policy FAQ."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import FaqEntry


def published_entries() -> QuerySet[FaqEntry]:
    return FaqEntry.objects.filter(is_published=True).prefetch_related("translations")

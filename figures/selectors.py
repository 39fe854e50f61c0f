"""Reads of the published figures (public: they hold counts and days, never a person)."""

from __future__ import annotations

from .models import ProcessingTime


def processing_time_for(*, channel: str, office_id: int | None = None) -> ProcessingTime | None:
    """The latest figure for the route at the office, else for the route in the whole country."""
    figures = ProcessingTime.objects.filter(channel=channel).select_related("office")
    if office_id is not None:
        figure = figures.filter(office_id=office_id).order_by("-computed_on").first()
        if figure is not None and figure.p80_days is not None:
            return figure
    return figures.filter(office__isnull=True).order_by("-computed_on").first()

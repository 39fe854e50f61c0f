"""Demo: publish today's processing times from the demo cases (beat refreshes them daily after)."""

from .services import processing_times_refresh


def seed() -> None:
    processing_times_refresh()

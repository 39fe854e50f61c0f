"""Receivers of other apps' signals (connected in ApplicationsConfig.ready)."""

from __future__ import annotations

from django.dispatch import receiver

from eligibility.signals import quota_place_granted


@receiver(quota_place_granted, dispatch_uid="applications.quota_place_granted")
def approve_when_quota_place_granted(sender, *, application_id: int, actor=None, **kwargs) -> None:
    """Eligibility gave a waiting family case its place (inside its transaction): approve it now."""
    from .services import application_quota_place_granted

    application_quota_place_granted(application_id=application_id, actor=actor)

"""Keeping the match index beside the profiles: every save of a profile, by any path, re-indexes it.

A receiver rather than a call in each profile service, because profiles are also written by the
admin, the demo loader and test factories, and an index that misses one of them lets a person
through. Runs in the saving transaction, so a rolled-back profile leaves no index row.
"""

from __future__ import annotations

from django.db.models.signals import post_save


def connect() -> None:
    from applications.models import ApplicantProfile

    post_save.connect(profile_saved, sender=ApplicantProfile, dispatch_uid="identity.profile_saved")


def profile_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    from .services import identity_resolve_profile

    identity_resolve_profile(profile=instance)

"""A new card waits for collection at the window or office (counters owns the record, cards knows nothing)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver


@receiver(post_save, sender="cards.Card", dispatch_uid="counters_card_awaits_collection")
def card_awaits_collection(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import collection_open

        collection_open(card=instance)

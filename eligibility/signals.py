"""Signals other apps connect to; eligibility never imports them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction that gives a waiting family case a quota place, with
# application_id (int) and actor (a user or None); applications moves that case to approved.
quota_place_granted = Signal()

"""The case's conflict: residence.core's Conflict with the sentence a stale case page needs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.core.errors import Conflict


class TransitionConflict(Conflict):
    """A transition that is stale, concurrent or not possible from the case's current state (HTTP 409).

    The API's exception handler answers 409 with the message; HTML views catch it and show the message.
    """

    default_detail = _("This case has changed since you opened it. Reload it and try again.")

"""Menu entries of the service windows, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Service window"), "counters:workspace", roles=frozenset({Role.COUNTER_STAFF})),
    NavItem(_("Claim a walk-in application"), "counters:claim", roles=frozenset({Role.APPLICANT})),
)

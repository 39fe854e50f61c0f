"""Menu entries of the verification app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Verification monitor"),
        "verification:monitor",
        roles=frozenset({Role.SYSTEM_ADMIN, Role.POLICY_ADMIN}),
    ),
    NavItem(
        _("Management cases"), "verification:management_queue", roles=frozenset({Role.MANAGEMENT_OFFICER})
    ),
)

"""Menu entries of the appointments app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Booked today"),
        "appointments:today",
        roles=frozenset({Role.INTAKE_OFFICER, Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER}),
    ),
)

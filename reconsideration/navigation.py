"""Menu entries of the reconsideration app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Reconsideration"),
        "reconsideration:index",
        roles=frozenset({Role.APPLICANT, Role.INTERMEDIARY, Role.APPROVER}),
    ),
)

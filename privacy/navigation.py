"""Menu entries of the privacy app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Personal information"), "privacy:mine", roles=frozenset({Role.APPLICANT, Role.INTERMEDIARY})),
    NavItem(
        _("Correction requests"),
        "privacy:corrections",
        roles=frozenset({Role.INTAKE_OFFICER, Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER}),
    ),
)

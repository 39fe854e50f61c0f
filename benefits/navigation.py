"""Navigation of the benefits registry, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Benefits catalogue"), "benefits:catalogue"),
    NavItem(_("What my card lets me do"), "benefits:my_card", roles=frozenset({Role.APPLICANT})),
    NavItem(
        _("Agency workspace"),
        "benefits:workspace",
        roles=frozenset({Role.AGENCY_STAFF, Role.AGENCY_SUPERVISOR, Role.POLICY_ADMIN}),
    ),
    NavItem(_("Coverage"), "benefits:coverage", roles=frozenset({Role.POLICY_ADMIN})),
)

"""Menu entries of the eligibility app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Check your eligibility"), "eligibility:self_check_start"),
    NavItem(_("Ways to apply"), "eligibility:routes"),
    NavItem(_("Policy"), "eligibility:policy_list", roles=frozenset({Role.POLICY_ADMIN})),
)

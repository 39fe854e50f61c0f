from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("Statistics"), "figures:statistics"),
    NavItem(
        _("Research extracts"), "figures:research", roles=frozenset({Role.POLICY_EXPERT, Role.POLICY_ADMIN})
    ),
    NavItem(
        _("Compare policy versions"),
        "figures:policy_comparison",
        roles=frozenset({Role.POLICY_EXPERT, Role.POLICY_ADMIN}),
    ),
)

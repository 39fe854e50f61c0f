from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(
        _("Payment reconciliation"),
        "payments:findings",
        roles=frozenset({Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN}),
    ),
)

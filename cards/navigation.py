from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

NAV_ITEMS = (
    NavItem(_("My card"), "cards:my_card", roles=frozenset({Role.APPLICANT})),
    NavItem(_("Card requests"), "cards:requests", roles=frozenset({Role.MANAGEMENT_OFFICER})),
    NavItem(_("Revocations"), "cards:revocations", roles=frozenset({Role.MANAGEMENT_OFFICER, Role.APPROVER})),
    NavItem(_("Residence tracking"), "cards:residence", roles=frozenset({Role.MANAGEMENT_OFFICER})),
    NavItem(_("Institutions"), "cards:institutions", roles=frozenset({Role.SYSTEM_ADMIN})),
)

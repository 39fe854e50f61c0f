from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem


def _has_a_card(user) -> bool:
    from .models import Card

    return Card.objects.filter(profile__owner=user).exists()


NAV_ITEMS = (
    # Only once a card exists: before that the page would be empty.
    NavItem(_("My card"), "cards:my_card", roles=frozenset({Role.APPLICANT}), shown=_has_a_card),
    NavItem(_("Card requests"), "cards:requests", roles=frozenset({Role.MANAGEMENT_OFFICER})),
    NavItem(_("Revocations"), "cards:revocations", roles=frozenset({Role.MANAGEMENT_OFFICER, Role.APPROVER})),
    NavItem(_("Residence tracking"), "cards:residence", roles=frozenset({Role.MANAGEMENT_OFFICER})),
    NavItem(_("Institutions"), "cards:institutions", roles=frozenset({Role.SYSTEM_ADMIN})),
)

"""Menu entries of the applications app, read by the base layout."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.accounts.models import Role
from residence.core.navigation import NavItem

QUEUE_ROLES = frozenset({Role.INTAKE_OFFICER, Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER})
WORKLOAD_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER})

NAV_ITEMS = (
    NavItem(_("My applications"), "applications:list", roles=frozenset({Role.APPLICANT})),
    NavItem(_("My clients"), "applications:clients", roles=frozenset({Role.INTERMEDIARY})),
    # Officers too: supervisors are told of overdue cases there, and officers mentioned in a case note.
    NavItem(
        _("Notifications"),
        "applications:inbox",
        roles=frozenset({Role.APPLICANT, Role.INTERMEDIARY}) | QUEUE_ROLES,
    ),
    NavItem(_("Intermediaries"), "applications:authorisations", roles=frozenset({Role.APPLICANT})),
    NavItem(_("Nominations"), "applications:nominations", roles=frozenset({Role.NOMINATING_BODY_STAFF})),
    NavItem(_("Case queue"), "applications:queue", roles=QUEUE_ROLES),
    NavItem(_("Workload"), "applications:workload", roles=WORKLOAD_ROLES),
)

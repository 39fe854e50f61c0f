"""Who may see and act on what: jurisdiction by office area, office level per stage, applicant side.

Seeing: an officer sees the submitted cases in their office's area (national: all; provincial:
its province; municipal: its city). Acting: in addition, the officer holds the stage's role and
their office is at the level the policy gives the stage, or above it (national > provincial >
municipal), so a case in a city without a municipal office is still handled by its province, and
the national administration can always step in.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from residence.accounts.jurisdiction import area_q, office_covers
from residence.accounts.models import CASE_OFFICER_ROLES, Office, Role

from .models import STAGE_OFFICE_KEY, Stage

LEVEL_RANK = {Office.Level.MUNICIPAL: 0, Office.Level.PROVINCIAL: 1, Office.Level.NATIONAL: 2}

OFFICER_QUEUE_ROLES = CASE_OFFICER_ROLES
# The role that acts at each stage (verification is done by the system).
STAGE_ROLE: dict[str, str] = {
    Stage.INTAKE: Role.INTAKE_OFFICER,
    Stage.REVIEW: Role.REVIEWER,
    Stage.EVIDENCE: Role.REVIEWER,
    Stage.APPROVAL: Role.APPROVER,
    Stage.QUOTA: Role.APPROVER,
}


def is_supervisor(user) -> bool:
    """Supervisors assign cases in bulk: approvers, management officers, or the explicit permission."""
    return bool(
        user
        and user.is_authenticated
        and (
            user.is_superuser
            or user.has_role(Role.APPROVER, Role.MANAGEMENT_OFFICER)
            or user.has_perm("applications.assign_application")
        )
    )


def may_see_workload(user) -> bool:
    """The workload report (who moved how many cases on) is for reviewers, approvers and management."""
    return bool(
        user
        and user.is_authenticated
        and user.has_role(Role.REVIEWER, Role.APPROVER, Role.MANAGEMENT_OFFICER, Role.SYSTEM_ADMIN)
    )


def jurisdiction_q(user, prefix: str = "") -> Q:
    """Cases in the area of the user's office (the shared rule of `residence.accounts.jurisdiction`)."""
    return area_q(user, province=f"{prefix}province", city=f"{prefix}city_code")


def level_allows(office: Office | None, required_level: str | None) -> bool:
    if office is None:
        return False
    if not required_level:
        return True
    return LEVEL_RANK.get(office.level, -1) >= LEVEL_RANK.get(required_level, 99)


def required_level(application, stage: str | None = None) -> str | None:
    key = STAGE_OFFICE_KEY.get(stage or application.stage)
    return (application.office_levels or {}).get(key) if key else None


def officer_may_act(user, application, stage: str | None = None) -> bool:
    """The role, the area and the level for the case's (or the given) stage."""
    stage = stage or application.stage
    role = STAGE_ROLE.get(stage)
    if role is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not user.has_role(role):
        return False
    return office_covers(user.office, province=application.province, city_code=application.city_code) and (
        level_allows(user.office, required_level(application, stage))
    )


def office_for_residence(*, province: str, city_code: str) -> Office | None:
    """The municipal office of the city, else the provincial office, else the national one."""
    for lookup in (
        {"level": Office.Level.MUNICIPAL, "city_code": city_code},
        {"level": Office.Level.PROVINCIAL, "province": province},
        {"level": Office.Level.NATIONAL},
    ):
        office = Office.objects.filter(**lookup).order_by("id").first()
        if office is not None:
            return office
    return None


def who_acts_instead(user, *, stage: str, office_levels: dict | None) -> str:
    """A plain sentence naming who acts at the stage when this officer may not (empty when they may).

    The area is already the officer's (queues and case pages show only their area); what may
    still stop them is the role or the level the policy gives the stage, e.g. a provincial
    approver under a policy where a national office decides.
    """
    role = STAGE_ROLE.get(stage)
    if role is None or user.is_superuser:
        return ""
    key = STAGE_OFFICE_KEY.get(stage)
    level = (office_levels or {}).get(key) if key else None
    if level and not level_allows(user.office, level):
        if stage in (Stage.APPROVAL, Stage.QUOTA):
            return {
                Office.Level.NATIONAL: _("Decided by a national office"),
                Office.Level.PROVINCIAL: _("Decided by a provincial office"),
            }.get(level, _("Decided by an office of another level"))
        return {
            Office.Level.NATIONAL: _("Handled by a national office"),
            Office.Level.PROVINCIAL: _("Handled by a provincial office"),
        }.get(level, _("Handled by an office of another level"))
    if not user.has_role(role):
        return {
            Role.INTAKE_OFFICER: _("Handled by an intake officer"),
            Role.REVIEWER: _("Handled by a reviewer"),
            Role.APPROVER: _("Decided by an approver"),
        }.get(role, "")
    return ""

"""Writes to accounts: registration and staff accounts, each audited in its transaction."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from residence.audit.services import audit_record

from .models import AGENCY_ROLES, OFFICE_ROLES, Agency, Office, Role, User


@transaction.atomic
def applicant_register(*, email: str, password: str, full_name: str = "", language: str = "en") -> User:
    """An applicant registers themself; the account gets the applicant role only."""
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, preferred_language=language
    )
    user.groups.add(Group.objects.get(name=Role.APPLICANT))
    audit_record(
        actor=user,
        action="account.register",
        obj=user,
        after={"email": user.email, "roles": [Role.APPLICANT]},
    )
    return user


@transaction.atomic
def staff_user_create(
    *,
    actor: User | None,
    email: str,
    password: str | None,
    full_name: str,
    roles: list[str],
    agency: Agency | None = None,
    office: Office | None = None,
) -> User:
    """Administrators create staff accounts; agency roles need exactly one agency, officers an office."""
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("Unknown roles: %(roles)s") % {"roles": ", ".join(sorted(unknown))})
    if set(roles) & AGENCY_ROLES and agency is None:
        raise ValidationError({"agency": _("Agency staff must belong to exactly one agency.")})
    if agency is not None and not set(roles) & AGENCY_ROLES:
        raise ValidationError({"agency": _("Only agency staff belong to an agency.")})
    if set(roles) & OFFICE_ROLES and office is None:
        raise ValidationError({"office": _("Officers must belong to an office.")})
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        agency=agency,
        office=office,
        is_staff=Role.SYSTEM_ADMIN in roles,
        is_superuser=Role.SYSTEM_ADMIN in roles,
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(
        actor=actor,
        action="account.staff_create",
        obj=user,
        after={
            "email": user.email,
            "roles": sorted(roles),
            "agency": agency and agency.code,
            "office": office and office.code,
        },
    )
    return user

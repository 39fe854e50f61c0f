"""Jurisdiction: which places an officer's office covers. One rule for every app.

An office covers its area: the national administration covers everything, a provincial bureau its
province, a municipal office its city (GB/T 2260 city code). Staff without an office cover
nothing; superusers (system administrators of the deployment) cover everything.

Each app says where its records are (which fields hold the province and the city); the rule is the
same for applications, cards, revocations, verification's management cases and whatever comes next.
A record outside the officer's area is then simply not in their querysets (a 404), and every service
that changes such a record checks it again (`require_covers`), so a forged request changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Office


def everywhere() -> Q:
    """A condition every row meets. Not ``Q()``: an empty Q vanishes when OR-ed (``Q() | x`` is ``x``),
    so "everywhere, or a letter without a card in my area" would shrink to the letters only."""
    return Q(pk__isnull=False)


def area_q(user, *, province: str, city: str) -> Q:
    """The records in the area of the user's office, given the paths of their province and city fields."""
    if user is not None and user.is_superuser:
        return everywhere()
    office = getattr(user, "office", None) if user is not None and user.is_authenticated else None
    if office is None:
        return Q(pk__in=[])
    if office.level == Office.Level.NATIONAL:
        return everywhere()
    if office.level == Office.Level.PROVINCIAL:
        return Q(**{province: office.province})
    return Q(**{city: office.city_code})


def office_covers(office: Office | None, *, province: str, city_code: str) -> bool:
    if office is None:
        return False
    if office.level == Office.Level.NATIONAL:
        return True
    if office.level == Office.Level.PROVINCIAL:
        return office.province == province
    return office.city_code == city_code


def user_covers(user, *, province: str, city_code: str) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or office_covers(user.office, province=province, city_code=city_code)


def require_covers(user, *, province: str, city_code: str) -> None:
    """For services: refuse a change to a record outside the actor's area."""
    if not user_covers(user, province=province, city_code=city_code):
        raise PermissionDenied(_("This record is outside your office's area."))

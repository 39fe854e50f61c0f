"""The navigation of each role: one list, read by the base layout."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: everyone, signed in or not
    signed_in: bool | None = None  # True: only signed in; False: only signed out
    # A last test on the signed-in user (e.g. "has a card"), for items a role alone cannot decide.
    shown: Callable[[Any], bool] | None = None


# Roles by their values (residence.accounts.models.Role): this shared package is below accounts and
# does not import it (tests/residence/test_import_graph.py).
CORE_NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Home"), "home", signed_in=True),
    NavItem(_("System administration"), "admin:index", roles=frozenset({"system_admin"})),
    NavItem(_("Audit log"), "audit_log", roles=frozenset({"system_admin", "policy_admin"})),
    # For the people who build on the API (officers, administrators, intermediaries); not applicants:
    # any role but the applicant's.
    NavItem(
        _("API documentation"),
        "api_docs",
        signed_in=True,
        shown=lambda user: bool(user.roles - {"applicant"}),
    ),
)


@cache
def _all_items() -> tuple[NavItem, ...]:
    """The core's items, then each app's ``<app>.navigation.NAV_ITEMS`` in INSTALLED_APPS order."""
    items = list(CORE_NAV_ITEMS[:1])
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.navigation")
        except ModuleNotFoundError:
            continue
        items.extend(getattr(module, "NAV_ITEMS", ()))
    return tuple(items) + CORE_NAV_ITEMS[1:]


def items_for(user) -> list[dict]:
    signed_in = user.is_authenticated
    roles = user.roles if signed_in else frozenset()
    visible = []
    for item in _all_items():
        if item.signed_in is not None and item.signed_in != signed_in:
            continue
        if item.roles is not None and not (roles & item.roles):
            continue
        if item.shown is not None and not (signed_in and item.shown(user)):
            continue
        try:
            visible.append({"label": item.label, "url": reverse(item.url_name)})
        except NoReverseMatch:
            # A capability whose app is not installed in this deployment: leave it out.
            continue
    return visible

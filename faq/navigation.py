"""The FAQ is public: in everyone's navigation, signed in or not."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from residence.core.navigation import NavItem

NAV_ITEMS = (NavItem(_("Questions and answers"), "faq:faq"),)

"""Errors the services raise besides Django's ValidationError, PermissionDenied and Http404.

Plain exceptions, not DRF's: services and HTML views need no REST framework to raise or catch
them; the API's exception handler (residence.core.api) maps a Conflict to a 409.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class Conflict(Exception):
    """The record changed, or is not in a state where this is possible (HTTP 409 in the API).

    ``detail`` is the sentence shown to the user (the API's ``detail``, a page's message).
    """

    default_detail = _("This record has changed since you opened it. Reload it and try again.")

    def __init__(self, detail=None) -> None:
        self.detail = detail if detail is not None else self.default_detail
        super().__init__(self.detail)

    def __str__(self) -> str:
        return str(self.detail)

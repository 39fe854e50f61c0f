"""Errors the services raise besides Django's ValidationError, PermissionDenied and Http404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class TransitionConflict(APIException):
    """A transition that is stale, concurrent or not possible from the case's current state (HTTP 409).

    An APIException so the API answers 409 with the message; HTML views catch it and show the message.
    """

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This case has changed since you opened it. Reload it and try again.")
    default_code = "conflict"

"""django-axes lockout response: JSON for API clients, the page for browsers."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": _(
                    "Too many failed log-in attempts. Try again in 30 minutes, or reset your password."
                )
            },
            status=429,
        )
    return render(request, "registration/locked_out.html", status=429)

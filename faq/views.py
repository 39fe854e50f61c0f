"""The public policy FAQ page."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def faq(request):
    return render(request, "faq/faq.html", {"entries": list(selectors.published_entries())})

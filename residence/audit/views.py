"""The audit log page (system and policy administrators)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from .models import AuditEntry

AUDIT_PAGE_SIZE = 50


@login_required
def audit_log(request):
    if not request.user.is_audit_reader:
        # Staff pages are not advertised to those who may not see them.
        raise Http404
    entries = AuditEntry.objects.select_related("content_type").order_by("-id")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        entries = entries.filter(
            Q(action__icontains=query) | Q(actor_label__icontains=query) | Q(object_label__icontains=query)
        )
    # Keyset pagination on the id: each page costs the same however deep it is.
    before = request.GET.get("before", "")
    if before.isdigit():
        entries = entries.filter(id__lt=int(before))
    rows = list(entries[: AUDIT_PAGE_SIZE + 1])
    next_before = rows[AUDIT_PAGE_SIZE - 1].id if len(rows) > AUDIT_PAGE_SIZE else None
    return render(
        request,
        "core/audit_log.html",
        {"entries": rows[:AUDIT_PAGE_SIZE], "query": query, "next_before": next_before},
    )

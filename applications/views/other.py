"""Pages around the applications: protected documents, intermediaries and the notifications inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from residence.accounts.models import Role
from residence.core.forms import apply_service_errors, error_text
from residence.core.pagination import InvalidCursor, keyset_paginate

from .. import selectors, services, uploads
from ..forms import AuthoriseIntermediaryForm

INBOX_PAGE_SIZE = 30


@login_required
@xframe_options_sameorigin
def document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """A stored upload, only to those who may see the case: images inline, PDFs downloaded (both sandboxed)."""
    doc = selectors.document_get(user=request.user, pk=document_pk)
    if doc.application_id != pk:
        raise Http404
    try:
        handle = doc.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return uploads.serve_document(FileResponse(handle, content_type=doc.content_type), doc)


@login_required
def authorisations(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.APPLICANT):
        raise Http404
    form = AuthoriseIntermediaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            authorisation = services.authorisation_grant(
                actor=request.user, intermediary_email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            apply_service_errors(form, error, rename={"intermediary_email": "email"})
        except PermissionDenied as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request, _("%(name)s may now act for you.") % {"name": authorisation.intermediary}
            )
            return redirect("applications:authorisations")
    current = selectors.authorisations_for_applicant(user=request.user).filter(revoked_at__isnull=True)
    return render(request, "applications/authorisations.html", {"form": form, "authorisations": current})


@login_required
@require_POST
def authorisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authorisation = selectors.authorisations_for_applicant(user=request.user).filter(pk=pk).first()
    if authorisation is None:
        raise Http404
    services.authorisation_revoke(actor=request.user, authorisation=authorisation)
    messages.success(request, _("%(name)s may no longer act for you.") % {"name": authorisation.intermediary})
    return redirect("applications:authorisations")


def client_rows(user) -> list[dict]:
    """Each client of an intermediary with their applications (two queries in all)."""
    clients = list(selectors.clients_of(intermediary=user))
    applications = (
        selectors.applications_for_applicant(user=user)
        .filter(applicant__owner__in=[c.pk for c in clients])
        .order_by("-updated_at", "-id")
    )
    by_owner: dict[int, list] = {}
    for application in applications:
        by_owner.setdefault(application.applicant.owner_id, []).append(application)
    return [{"user": client, "applications": by_owner.get(client.pk, [])} for client in clients]


@login_required
def clients(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.INTERMEDIARY):
        raise Http404
    return render(request, "applications/clients.html", {"clients": client_rows(request.user)})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    try:
        page = keyset_paginate(
            selectors.notifications_for(user=request.user),
            ordering=["-created_at", "-id"],
            cursor=request.GET.get("cursor") or None,
            page_size=INBOX_PAGE_SIZE,
        )
    except InvalidCursor:
        return redirect("applications:inbox")
    next_url = reverse("applications:inbox") + f"?cursor={page.next_cursor}" if page.next_cursor else None
    return render(
        request,
        "applications/inbox.html",
        {
            "notifications": page.items,
            "next_url": next_url,
            "unread_count": selectors.unread_notification_count(user=request.user),
        },
    )


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=request.user)
    return redirect("applications:inbox")

"""Pages of the service windows: thin, every write through counters.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.errors import TransitionConflict
from residence.core.forms import apply_service_errors, error_text

from . import selectors, services
from .forms import ClaimForm, CollectionForm, IntakeForm, WalkInForm


def _require_counter_staff(request: HttpRequest) -> None:
    if not selectors.is_counter_staff(request.user):
        # Staff pages are not advertised to those who may not see them.
        raise Http404


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    _require_counter_staff(request)
    return render(
        request,
        "counters/workspace.html",
        {
            "window": request.user.office,
            "today": selectors.walk_ins_today(user=request.user)[:50],
            "unclaimed": selectors.walk_ins_unclaimed(user=request.user)[:50],
            "awaiting": selectors.collections_awaiting(user=request.user)[:50],
        },
    )


@login_required
def walk_in_new(request: HttpRequest) -> HttpResponse:
    _require_counter_staff(request)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        channel, consent = data.pop("channel"), data.pop("consent")
        try:
            walk_in = services.walk_in_open(actor=request.user, channel=channel, consent=consent, **data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except (PermissionDenied, TransitionConflict) as error:
            messages.error(request, error_text(error))
        else:
            messages.success(
                request,
                _("Draft %(reference)s is open; the claim code was sent to %(email)s. Enter the facts next.")
                % {"reference": walk_in.application.reference, "email": walk_in.profile.email},
            )
            return redirect("applications:detail", walk_in.application_id)
    return render(request, "counters/walk_in_form.html", {"form": form, "window": request.user.office})


@login_required
@require_POST
def walk_in_code(request: HttpRequest, pk: int) -> HttpResponse:
    _require_counter_staff(request)
    walk_in = selectors.walk_ins_unclaimed(user=request.user).filter(pk=pk).first()
    if walk_in is None:
        raise Http404
    services.walk_in_code_reissue(actor=request.user, walk_in=walk_in)
    messages.success(request, _("A new claim code was sent to %(email)s.") % {"email": walk_in.profile.email})
    return redirect("counters:workspace")


@login_required
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.intake_case_get(user=request.user, pk=pk)
    record = selectors.intake_record_of(application)
    form = IntakeForm(request.POST or None)
    status = 200
    if request.method == "POST" and record is None and form.is_valid():
        try:
            services.intake_record(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400
        except PermissionDenied as error:
            messages.error(request, error_text(error))
            status = 403
        else:
            messages.success(request, _("The in-person intake is recorded."))
            return redirect("counters:intake", application.pk)
    return render(
        request,
        "counters/intake.html",
        {
            "application": application,
            "record": record,
            "form": form,
            "waived": selectors.intake_waived(application),
        },
        status=status,
    )


@login_required
def collection(request: HttpRequest, pk: int) -> HttpResponse:
    collection = selectors.collection_get(user=request.user, pk=pk)
    form = CollectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and collection.collected_at is None and form.is_valid():
        try:
            services.collection_record(actor=request.user, collection=collection, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400
        else:
            messages.success(
                request,
                _("The handover of card %(number)s is recorded.") % {"number": collection.card.number},
            )
            return redirect("counters:collection", collection.pk)
    return render(
        request, "counters/collection.html", {"collection": collection, "form": form}, status=status
    )


@login_required
def claim(request: HttpRequest) -> HttpResponse:
    form = ClaimForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            walk_in = services.walk_in_claim(actor=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            apply_service_errors(form, error)
            status = 400
        except PermissionDenied as error:
            form.add_error(None, error_text(error))
            status = 403
        else:
            messages.success(
                request,
                _("Application %(reference)s is now in your account.")
                % {"reference": walk_in.application.reference},
            )
            return redirect("applications:detail", walk_in.application_id)
    return render(request, "counters/claim.html", {"form": form}, status=status)

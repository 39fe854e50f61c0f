"""HTML pages: book, move and cancel (the applicant side, or officers for them), the calendar file,
the officers' "booked today" list, and each office's public hours. No JavaScript: the day is chosen
with a GET form, then a time from the day's free slots with a POST."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from residence.accounts.models import Office, is_officer

from . import calendar, selectors, services
from .forms import DayForm, MarkForm, SlotForm
from .ics import booking_ics
from .models import Booking, OpeningHours, ServiceCapacity, Weekday


def _slot_choices(slots) -> list[tuple[str, str]]:
    choices = []
    for choice in slots:
        start, end = timezone.localtime(choice.starts_at), timezone.localtime(choice.ends_at)
        label = f"{start:%H:%M}–{end:%H:%M}"
        choices.append((choice.starts_at.isoformat(), label))
    return choices


def _day_and_slots(request, *, application, services_allowed, fixed_service=None):
    """The day chooser (GET), and for a valid day the office's slots on it, or why there are none."""
    office = selectors.office_for(application)
    initial_service = fixed_service or (services_allowed[0] if services_allowed else None)
    data = request.GET if "date" in request.GET else None
    if fixed_service and data is not None:
        data = data.copy()
        data["service"] = fixed_service
    day_form = DayForm(data, services=services_allowed, initial={"service": initial_service})
    context = {
        "office": office,
        "day_form": day_form,
        "day": None,
        "slots": [],
        "slot_form": None,
        "day_message": "",
    }
    service = initial_service
    if day_form.is_bound and day_form.is_valid():
        service = day_form.cleaned_data["service"]
        date = day_form.cleaned_data["date"]
        today = timezone.localdate()
        if date < today:
            context["day_message"] = _("That day has passed. Please choose a later one.")
        elif date > selectors.horizon_end(today):
            context["day_message"] = _("Appointments can be booked up to %(date)s.") % {
                "date": selectors.horizon_end(today).isoformat()
            }
        elif office is not None:
            try:
                day = calendar.office_day(office, date)
            except calendar.CalendarUnknown as unknown:
                context["day_message"] = str(unknown)
            else:
                context["day"] = day
                if not day.open:
                    context["day_message"] = _("The office is closed on %(date)s%(reason)s.") % {
                        "date": date.isoformat(),
                        "reason": f" ({day.note})" if day.note else "",
                    }
                else:
                    slots = selectors.available_slots(office=office, service=service, day=day)
                    context["slots"] = slots
                    free = [s for s in slots if s.free]
                    context["slot_form"] = SlotForm(choices=_slot_choices(free))
                    if not free:
                        context["day_message"] = _("Every time on %(date)s is fully booked.") % {
                            "date": date.isoformat()
                        }
    context["service"] = service
    if office is not None and service:
        context["open_days"] = selectors.open_days(office=office, service=service)
    return context


@login_required
@require_http_methods(["GET", "POST"])
def book(request, pk: int):
    application = selectors.application_for_booking(user=request.user, pk=pk)
    services_allowed = selectors.services_for(application)
    if request.method == "POST":
        form = SlotForm(request.POST, choices=[(request.POST.get("slot", ""), "")])
        if form.is_valid():
            try:
                booking = services.booking_create(
                    actor=request.user,
                    application=application,
                    service=request.POST.get("service", ""),
                    starts_at=form.cleaned_data["slot"],
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your appointment is booked."))
                return redirect("appointments:detail", pk=booking.pk)
        else:
            messages.error(request, _("Choose one of the times listed."))
        query = request.POST.get("date", "")
        return redirect(f"{request.path}?service={request.POST.get('service', '')}&date={query}")
    context = _day_and_slots(request, application=application, services_allowed=services_allowed)
    context |= {
        "application": application,
        "services_allowed": services_allowed,
        "bookings": selectors.bookings_of_application(application=application),
        "no_shows": selectors.no_show_count(application=application),
        "action": request.path,
        "is_owner_side": services.acts_for(request.user, application.applicant.owner_id),
    }
    return render(request, "appointments/book.html", context)


@login_required
@require_GET
def detail(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    return render(
        request,
        "appointments/detail.html",
        {
            "booking": booking,
            "application": booking.application,
            "upcoming": booking.state == Booking.State.BOOKED and booking.slot.starts_at > timezone.now(),
            "is_owner_side": services.acts_for(request.user, booking.application.applicant.owner_id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = SlotForm(request.POST, choices=[(request.POST.get("slot", ""), "")])
        if form.is_valid():
            try:
                services.booking_move(
                    actor=request.user, booking=booking, starts_at=form.cleaned_data["slot"]
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your appointment was moved."))
                return redirect("appointments:detail", pk=booking.pk)
        else:
            messages.error(request, _("Choose one of the times listed."))
        return redirect(f"{request.path}?service={booking.service}&date={request.POST.get('date', '')}")
    context = _day_and_slots(
        request,
        application=booking.application,
        services_allowed=[booking.service],
        fixed_service=booking.service,
    )
    context |= {"booking": booking, "application": booking.application, "action": request.path}
    return render(request, "appointments/move.html", context)


@login_required
@require_POST
def cancel(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your appointment was cancelled."))
    return redirect("appointments:detail", pk=booking.pk)


@login_required
@require_POST
def mark(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attended or did not come."))
    else:
        try:
            services.booking_mark(actor=request.user, booking=booking, outcome=form.cleaned_data["outcome"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Recorded."))
    back = request.POST.get("next", "")
    if back.startswith("/appointments/today/"):
        return redirect(back)
    return redirect("appointments:detail", pk=booking.pk)


@login_required
@require_GET
def ics(request, pk: int):
    booking = selectors.booking_get_for_owner(user=request.user, pk=pk)
    response = HttpResponse(
        booking_ics(booking, language=get_language()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{booking.pk}.ics"'
    return response


@login_required
@require_GET
def today(request):
    if not (request.user.is_superuser or is_officer(request.user)):
        raise Http404
    offices = list(selectors.offices_for_officer(user=request.user))
    if not offices:
        raise Http404
    code = request.GET.get("office") or (request.user.office.code if request.user.office else offices[0].code)
    office = selectors.office_for_officer(user=request.user, code=code)
    date = timezone.localdate()
    bookings = list(selectors.booked_on(user=request.user, office=office, date=date))
    now = timezone.now()
    return render(
        request,
        "appointments/today.html",
        {
            "office": office,
            "offices": offices,
            "date": date,
            "bookings": bookings,
            "now": now,
            "next": request.get_full_path(),
        },
    )


@require_GET
def office_hours(request, code: str):
    office = get_object_or_404(Office, code=code)
    hours = {h.weekday: h for h in OpeningHours.objects.filter(office=office)}
    week = [(label, hours.get(value)) for value, label in Weekday.choices]
    today = timezone.localdate()
    days = calendar.office_days(office, today, (selectors.horizon_end(today) - today).days + 1)
    closed = [d for d in days if not isinstance(d, str) and not d.open and d.note]
    makeup = [d for d in days if not isinstance(d, str) and d.open and d.makeup]
    unknown = next((d for d in days if isinstance(d, str)), "")
    return render(
        request,
        "appointments/office.html",
        {
            "office": office,
            "week": week,
            "capacities": ServiceCapacity.objects.filter(office=office),
            "closed": closed,
            "makeup": makeup,
            "unknown": unknown,
        },
    )

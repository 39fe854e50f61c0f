"""The appointments panel on the applicant's status page and on the officers' case page
(applications' templates load this tag, so applications never imports appointments)."""

from __future__ import annotations

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("appointments/_for_application.html")
def appointments_for(application):
    return {
        "application": application,
        "bookings": selectors.bookings_of_application(application=application)[:10],
        "services_allowed": selectors.services_for(application) if application.submitted_at else [],
    }


@register.inclusion_tag("appointments/_for_case.html")
def appointments_on_case(application):
    return {
        "application": application,
        "bookings": selectors.bookings_of_application(application=application)[:10],
        "today": selectors.bookings_today_for_case(application=application),
        "services_allowed": selectors.services_for(application),
    }

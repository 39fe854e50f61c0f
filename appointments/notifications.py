"""What the applicant is told about an appointment: the inbox lines (registered with applications'
inbox from AppConfig.ready) and the reminder e-mail."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REMINDER = "appointment_reminder"
NO_SHOW = "appointment_no_show"
BOOKED_FOR_YOU = "appointment_booked"

MESSAGES = {
    REMINDER: gettext_lazy(
        "Reminder: your appointment for application %(ref)s is tomorrow. Its page has the time, "
        "the place and a calendar file."
    ),
    NO_SHOW: gettext_lazy(
        "You were recorded as not coming to your appointment for application %(ref)s. You may book a new one."
    ),
    BOOKED_FOR_YOU: gettext_lazy("An appointment was booked, moved or cancelled for application %(ref)s."),
}


def when_text(booking) -> str:
    start = timezone.localtime(booking.slot.starts_at)
    end = timezone.localtime(booking.slot.ends_at)
    return f"{formats.date_format(start, 'DATE_FORMAT')} {start:%H:%M}-{end:%H:%M}"


def reminder_email(booking, *, language: str) -> tuple[str, str]:
    """Subject and body in the recipient's language."""
    with translation.override(language):
        reference = booking.application.reference or str(booking.application)
        subject = _("Your appointment tomorrow (%(ref)s)") % {"ref": reference}
        lines = [
            str(MESSAGES[REMINDER]) % {"ref": reference},
            "",
            _("When: %(when)s") % {"when": when_text(booking)},
            _("Where: %(office)s") % {"office": booking.slot.office},
            _("For: %(service)s") % {"service": booking.get_service_display()},
            "",
            _("The calendar file is attached. To move or cancel, sign in to the portal: %(name)s")
            % {"name": settings.PORTAL_NAME},
        ]
        return str(subject), "\n".join(str(line) for line in lines)

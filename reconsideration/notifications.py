"""What a supervisor is told of an overdue reconsideration: the inbox text and the e-mail."""

from __future__ import annotations

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Inbox status codes (registered with the applications inbox in apps.ready).
OVERDUE = "rc_overdue"
OVERDUE_PAST_MARGIN = "rc_overdue_margin"

# Told to the person (and the intermediary who lodged for them).
EVIDENCE_REQUESTED = "rc_evidence_requested"
EVIDENCE_RECEIVED = "rc_evidence_received"

PERSON_MESSAGES = {
    EVIDENCE_REQUESTED: gettext_lazy(
        "The office deciding reconsideration %(ref)s asks you for evidence. Answer it in the portal; "
        "its deadline is paused until you do."
    ),
    EVIDENCE_RECEIVED: gettext_lazy(
        "Your answer to the evidence request for reconsideration %(ref)s was received."
    ),
}

MESSAGES = {
    OVERDUE: gettext_lazy("Reconsideration %(ref)s has passed its deadline. It is shown first in its queue."),
    OVERDUE_PAST_MARGIN: gettext_lazy(
        "Reconsideration %(ref)s is still overdue, past the escalation margin. Decide it now."
    ),
}


def escalation_email(*, status: str, reference: str, deadline, office: str, language: str) -> tuple[str, str]:
    """Subject and body for a supervisor told of an overdue reconsideration, in their language."""
    with translation.override(language):
        subject = _("Overdue reconsideration %(ref)s") % {"ref": reference}
        lines = [
            str(MESSAGES[status]) % {"ref": reference},
            "",
            _("Deadline: %(when)s")
            % {"when": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")},
            _("Deciding office: %(office)s") % {"office": office},
            "",
            _("You are told as a supervisor of the office. Sign in to the portal: %(name)s")
            % {"name": settings.PORTAL_NAME},
        ]
        return str(subject), "\n".join(str(line) for line in lines)


def person_email(*, status: str, reference: str, language: str) -> tuple[str, str]:
    """Subject and body for the person told of an evidence request or its receipt, in their language."""
    with translation.override(language):
        subject = _("Reconsideration %(ref)s") % {"ref": reference}
        lines = [
            str(PERSON_MESSAGES[status]) % {"ref": reference},
            "",
            _("Sign in to the portal to see it: %(name)s") % {"name": settings.PORTAL_NAME},
        ]
        return str(subject), "\n".join(str(line) for line in lines)

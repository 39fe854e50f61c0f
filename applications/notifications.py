"""What the applicant is told at each status change: the inbox text and the e-mail."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Status

# Not an application status: the card's revocation (cards app), told in the same inbox.
CARD_REVOKED = "card_revoked"
# Not statuses either: an overdue case escalated to its office's supervisors (at the deadline, and
# again past the margin).
OVERDUE = "overdue"
OVERDUE_PAST_MARGIN = "overdue_margin"
# Not an application status either: an officer was mentioned in a case note (told to officers only).
NOTE_MENTION = "note_mention"
# Not a status either: the nominating body did not answer by its deadline (R11).
NOMINATION_LAPSED = "nomination_lapsed"

# Notices that other apps write into the same inbox (registered from their AppConfig.ready, so
# this app never imports them): status code -> lazy text with %(ref)s; the officers' ones too.
OTHER_MESSAGES: dict = {}
OFFICER_STATUSES: set[str] = set()


def register_message(status: str, text, *, for_officer: bool = False) -> None:
    OTHER_MESSAGES[status] = text
    if for_officer:
        OFFICER_STATUSES.add(status)


def status_message(status: str, *, reference: str) -> str:
    """One sentence in the active language; inbox rows render it when they are read."""
    messages = {
        Status.SUBMITTED: _("Application %(ref)s was submitted and waits for intake."),
        Status.RETURNED: _("Application %(ref)s was returned to you for correction."),
        Status.ACCEPTED: _("Application %(ref)s was accepted."),
        Status.VERIFYING: _("Application %(ref)s is being verified with other agencies."),
        Status.IN_REVIEW: _("Application %(ref)s is in review."),
        Status.EVIDENCE_REQUESTED: _("More evidence is requested for application %(ref)s."),
        Status.EVIDENCE_SUBMITTED: _("Your evidence for application %(ref)s was received."),
        Status.RECOMMENDED_APPROVAL: _("Application %(ref)s was reviewed and waits for a decision."),
        Status.RECOMMENDED_REFUSAL: _("Application %(ref)s was reviewed and waits for a decision."),
        Status.AWAITING_QUOTA: _("Application %(ref)s waits for a place in this year's family quota."),
        Status.APPROVED: _("Application %(ref)s was approved."),
        Status.REFUSED: _("Application %(ref)s was refused."),
        Status.CARD_ISSUED: _("The permanent residence card for application %(ref)s was issued."),
        Status.WITHDRAWN: _("Application %(ref)s was withdrawn."),
        CARD_REVOKED: _(
            "The permanent residence granted on application %(ref)s was revoked. "
            "The decision letter is under My card."
        ),
        OVERDUE: _("Application %(ref)s has passed its stage deadline. It is shown first in its queue."),
        OVERDUE_PAST_MARGIN: _(
            "Application %(ref)s is still overdue, past the escalation margin. Assign it or decide it now."
        ),
        NOTE_MENTION: _("You were mentioned in an internal note on case %(ref)s."),
        NOMINATION_LAPSED: _(
            "The nominating body did not confirm the nomination of application %(ref)s by its "
            "deadline. The case goes on to review without the confirmation; the officer may ask "
            "you for other evidence of the nomination."
        ),
    }
    template = messages.get(status) or OTHER_MESSAGES.get(status) or _("Application %(ref)s changed status.")
    return str(template) % {"ref": reference}


def status_email(*, status: str, reference: str, reason: str, language: str) -> tuple[str, str]:
    """Subject and body in the recipient's language."""
    with translation.override(language):
        subject = _("Your application %(ref)s") % {"ref": reference}
        lines = [status_message(status, reference=reference)]
        if reason and status in {Status.RETURNED, Status.EVIDENCE_REQUESTED, Status.REFUSED}:
            lines += ["", _("Reason given:"), reason]
        lines += [
            "",
            _("Sign in to the portal to see the details: %(name)s") % {"name": settings.PORTAL_NAME},
        ]
        return str(subject), "\n".join(str(line) for line in lines)


def escalation_email(
    *, status: str, reference: str, stage: str, deadline, office: str, language: str
) -> tuple[str, str]:
    """Subject and body for a supervisor told of an overdue case, in their language."""
    from django.utils import formats, timezone

    from .models import Stage

    with translation.override(language):
        subject = _("Overdue case %(ref)s") % {"ref": reference}
        lines = [
            status_message(status, reference=reference),
            "",
            _("Stage: %(stage)s") % {"stage": Stage(stage).label},
            _("Deadline: %(when)s")
            % {"when": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")},
            _("Office: %(office)s") % {"office": office},
            "",
            _("You are told as a supervisor of the office. Sign in to the portal: %(name)s")
            % {"name": settings.PORTAL_NAME},
        ]
        return str(subject), "\n".join(str(line) for line in lines)

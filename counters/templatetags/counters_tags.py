"""The case page's in-person intake panel, so applications' templates need not import counters."""

from __future__ import annotations

from django import template

from applications.models import Stage

from ..selectors import intake_record_of, intake_waived, may_record_intake

register = template.Library()


@register.inclusion_tag("counters/_case_intake.html")
def in_person_intake_for(application, user):
    record = intake_record_of(application)
    at_intake = application.stage == Stage.INTAKE
    return {
        "application": application,
        "record": record,
        "shown": record is not None or at_intake,
        "waived": intake_waived(application) if application.policy_version_id else False,
        "may_record": at_intake and record is None and may_record_intake(user, application),
    }

"""The case page's "possible duplicate" notice, so applications' templates need not import identity."""

from __future__ import annotations

from django import template

from ..selectors import flags_for_application

register = template.Library()


@register.inclusion_tag("identity/_case_flags.html")
def identity_flags_for(application):
    flags = list(flags_for_application(application=application))
    return {
        "application": application,
        "flags": flags,
        "pending": [f for f in flags if f.decision_id is None],
    }

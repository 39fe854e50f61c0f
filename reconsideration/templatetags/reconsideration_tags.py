"""The reconsiderations of a refused case, for the applicant's status page (no import from applications)."""

from __future__ import annotations

from django import template

from ..models import Reconsideration

register = template.Library()


@register.inclusion_tag("reconsideration/_for_application.html")
def reconsiderations_for(application):
    return {
        "cases": Reconsideration.objects.filter(application_id=application.pk).order_by("lodged_at", "id")
    }

"""The processing-time sentence, for the route pages and the applicant's status page."""

from django import template

from ..selectors import processing_time_for

register = template.Library()


@register.inclusion_tag("figures/_processing_time.html")
def processing_time(channel: str, office_id: int | None = None):
    return {"figure": processing_time_for(channel=channel, office_id=office_id)}

"""{{ code|channel_name }}: a channel's one name (residence/channels.py), on every page."""

from __future__ import annotations

from django import template

from residence.channels import channel_name as _channel_name

register = template.Library()


@register.filter
def channel_name(value) -> str:
    """A channel code, or a compiled policy channel (its ``name``), as the channel's name."""
    code = getattr(value, "name", value)
    return _channel_name(str(code))

"""The one name of each channel (route), in English and Chinese, for every page, API label, e-mail and PDF.

The policy document's channel labels say the same words (eligibility/policy/default_policy.yaml);
pages name a channel through ``channel_name`` (template filter ``channel_name`` of ``channels``).
"""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

CHANNEL_NAMES = {
    "talent": pgettext_lazy("channel", "Talent"),
    "work": pgettext_lazy("channel", "Work"),
    "investment": pgettext_lazy("channel", "Investment"),
    "contribution": pgettext_lazy("channel", "Outstanding contribution"),
    "family": pgettext_lazy("channel", "Family reunion"),
}


def channel_name(code: str) -> str:
    """The channel's name in the current language; an unknown code as it is."""
    name = CHANNEL_NAMES.get(code)
    return str(name) if name is not None else code

"""Deployment check: a production site that does not charge the fees its policy sets says so."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def fees_charged(app_configs, **kwargs):
    if settings.DEBUG or settings.PAYMENTS_FEES_CHARGED:
        return []
    return [
        Warning(
            "PAYMENTS_FEES_CHARGED is off: approved cases get their card without paying the fee the policy sets.",
            hint="Unset PAYMENTS_FEES_CHARGED (it is on by default) unless this is deliberate.",
            id="payments.W001",
        )
    ]

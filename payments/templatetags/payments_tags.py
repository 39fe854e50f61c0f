"""The applicant's status page shows the card fee when one is due (applications/detail.html)."""

from __future__ import annotations

from django import template

from ..selectors import order_for_application

register = template.Library()


@register.inclusion_tag("payments/_fee_action.html")
def card_fee_action(application):
    return {"order": order_for_application(application)}


@register.inclusion_tag("payments/_fee_officer_link.html")
def card_fee_officer_link(application, user):
    """On the officer's case page: the card fee and a link to its page (refunds), for card staff."""
    from ..selectors import REFUND_ROLES

    order = order_for_application(application) if user.has_role(*REFUND_ROLES) else None
    return {"order": order}


@register.filter
def yuan(amount_fen):
    """Fen shown as yuan with two places (Decimal, never a float); empty for no amount."""
    from ..fees import yuan as to_yuan

    if amount_fen is None or amount_fen == "":
        return ""
    return f"{to_yuan(int(amount_fen)):,}"

"""The applicant's status page shows the card fee when one is due (applications/detail.html)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from ..selectors import order_for_application, order_for_request

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


@register.simple_tag
def card_fee_expectation(application, expectation):
    """'What happens now' on the status page: while the issuance fee is due the card is not being
    prepared yet, it waits for the payment (the applications app knows nothing of fees)."""
    from ..models import PaymentOrder

    order = order_for_application(application) if application.status == "approved" else None
    if order is not None and order.status == PaymentOrder.Status.DUE:
        return _(
            "Your application is approved. Your card will be made once the card fee is paid: pay it below."
        )
    return expectation


@register.inclusion_tag("payments/_request_fee.html")
def request_fee_action(card_request):
    """The holder's card page (cards/my_card.html): the renewal or replacement fee of a request."""
    return {"order": order_for_request(card_request), "payer": True}


@register.inclusion_tag("payments/_request_fee.html")
def request_fee_status(card_request):
    """The officers' request queue (cards/requests.html): whether the request's fee is paid."""
    return {"order": order_for_request(card_request), "payer": False}


@register.filter
def yuan(amount_fen):
    """Fen shown as yuan with two places (Decimal, never a float); empty for no amount."""
    from ..fees import yuan as to_yuan

    if amount_fen is None or amount_fen == "":
        return ""
    return f"{to_yuan(int(amount_fen)):,}"

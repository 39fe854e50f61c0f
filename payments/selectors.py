"""Reads of the payments app: whose orders a user may see, what is outstanding, the findings."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from residence.accounts.models import CASE_OFFICER_ROLES, Role

from .models import PaymentOrder, ReconciliationFinding

REFUND_ROLES = (Role.APPROVER, Role.MANAGEMENT_OFFICER)
FINDING_ROLES = (*CASE_OFFICER_ROLES, Role.POLICY_ADMIN, Role.SYSTEM_ADMIN)


def orders_for_payer(*, user) -> QuerySet[PaymentOrder]:
    """Orders of the user's own applications and of their clients' (an intermediary pays for them),
    and the fees of the user's own card requests (only the holder asks for a new card)."""
    from applications.selectors import applications_for_applicant

    if not user.is_authenticated:
        return PaymentOrder.objects.none()
    return PaymentOrder.objects.filter(
        Q(application__in=applications_for_applicant(user=user), card_request__isnull=True)
        | Q(card_request__card__profile__owner=user)
    ).select_related("application__applicant", "card_request")


def order_get_for_payer(*, user, pk) -> PaymentOrder:
    try:
        return orders_for_payer(user=user).get(pk=pk)
    except (PaymentOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def order_get_for_officer(*, user, pk) -> PaymentOrder:
    """An order of a case in the officer's area, for the officers who may refund; else 404."""
    from applications.selectors import applications_visible_to

    if not (user.is_authenticated and user.has_role(*REFUND_ROLES)):
        raise Http404
    from cards.selectors import holder_area_q

    try:
        return PaymentOrder.objects.filter(
            Q(application__in=applications_visible_to(user=user).filter(submitted_at__isnull=False))
            | Q(holder_area_q(user, "card_request__card__"), card_request__isnull=False)
        ).get(pk=pk)
    except (PaymentOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def order_for_application(application) -> PaymentOrder | None:
    return PaymentOrder.objects.filter(application=application, kind=PaymentOrder.Kind.ISSUANCE).first()


def card_fee_outstanding(application) -> bool:
    """True while an issuance fee of the application is not paid (due, or refunded): no card then."""
    return (
        PaymentOrder.objects.filter(application=application, kind=PaymentOrder.Kind.ISSUANCE)
        .exclude(status=PaymentOrder.Status.PAID)
        .exists()
    )


def order_for_request(card_request) -> PaymentOrder | None:
    return PaymentOrder.objects.filter(card_request=card_request).first()


def request_fee_hold(card_request) -> str | None:
    """Why the new card of a request may not be made yet: its fee is due (or was refunded)."""
    order = order_for_request(card_request)
    if order is None or order.status == PaymentOrder.Status.PAID:
        return None
    return _(
        "The holder has not paid the %(fee)s (order %(number)s). The new card can be issued once it is paid."
    ) % {"fee": order.get_kind_display().lower(), "number": order.number}


def can_see_findings(user) -> bool:
    return user.is_authenticated and user.has_role(*FINDING_ROLES)


def findings_list(*, user) -> QuerySet[ReconciliationFinding]:
    if not can_see_findings(user):
        raise Http404
    return ReconciliationFinding.objects.all()

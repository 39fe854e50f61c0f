"""Thin views: the payer's order page, checkout and return, the receipt, the provider's
notification endpoint, the officers' refund page and the reconciliation findings."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from residence.core.forms import error_text
from residence.core.pagination import keyset_page_for_request

from . import documents, selectors, services
from .models import PaymentOrder

logger = logging.getLogger(__name__)


@login_required
@require_GET
def order_detail(request, pk: int):
    order = selectors.order_get_for_payer(user=request.user, pk=pk)
    response = render(request, "payments/order.html", {"order": order})
    # The pay form's answer redirects to the provider's page, which the browser allows only when
    # this page's CSP form-action names the provider (Chromium checks redirects of a form post).
    response._csp_update = {"form-action": [settings.PAYMENTS_PROVIDER_PUBLIC_URL.rstrip("/")]}
    return response


@login_required
@require_POST
def order_pay(request, pk: int):
    order = selectors.order_get_for_payer(user=request.user, pk=pk)
    try:
        pay_url = services.order_checkout(
            actor=request.user,
            order=order,
            notify_url=request.build_absolute_uri(reverse("payments:notify")),
            return_url=request.build_absolute_uri(reverse("payments:order_return", args=[order.pk])),
            language=get_language() or "en",
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("payments:order", pk=order.pk)
    return redirect(pay_url)


@login_required
@require_GET
def order_return(request, pk: int):
    """Back from the provider: ask it once (its notification may not have arrived yet)."""
    order = selectors.order_get_for_payer(user=request.user, pk=pk)
    if order.status == PaymentOrder.Status.DUE and order.provider_order_id:
        services.order_poll(order_id=order.pk)
        order.refresh_from_db()
    if order.status == PaymentOrder.Status.PAID and order.card_request_id:
        messages.success(
            request, _("Thank you: the fee is paid. The management officers can now issue your new card.")
        )
    elif order.status == PaymentOrder.Status.PAID:
        messages.success(request, _("Thank you: the fee is paid. Your card is being made."))
    elif order.status == PaymentOrder.Status.DUE:
        messages.info(
            request,
            _(
                "The payment service has not confirmed a payment yet. If you paid, this page will show it shortly."
            ),
        )
    return redirect("payments:order", pk=order.pk)


@login_required
@require_GET
def order_receipt(request, pk: int):
    order = selectors.order_get_for_payer(user=request.user, pk=pk)
    if order.paid_at is None:
        raise Http404
    response = HttpResponse(documents.receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{order.number}.pdf"'
    return response


@csrf_exempt  # the provider cannot hold our CSRF token; the HMAC signature authenticates it
@require_POST
def notify(request):
    try:
        outcome = services.notification_receive(path=request.path, headers=request.headers, body=request.body)
    except services.NotificationRefused as refusal:
        return HttpResponseBadRequest(f"refused: {refusal}", content_type="text/plain")
    # 200 for every verified notification, even one that changes nothing, so the provider stops resending.
    return HttpResponse(outcome, content_type="text/plain")


@login_required
@require_http_methods(["GET", "POST"])
def order_officer(request, pk: int):
    order = selectors.order_get_for_officer(user=request.user, pk=pk)
    if request.method == "POST":
        try:
            order = services.order_refund(
                actor=request.user, order=order, reason=request.POST.get("reason", "")
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
            return redirect("payments:order_officer", pk=order.pk)
        if order.status == PaymentOrder.Status.REFUNDED:
            messages.success(request, _("The fee has been refunded."))
        else:
            messages.info(
                request,
                _("The refund is recorded; the payment service will be asked again until it confirms."),
            )
        return redirect("payments:order_officer", pk=order.pk)
    return render(
        request, "payments/order_officer.html", {"order": order, "refundable": services.refund_allowed(order)}
    )


@login_required
@require_GET
def findings(request):
    queryset = selectors.findings_list(user=request.user)
    page = keyset_page_for_request(request, queryset, ordering=("-day", "order_number", "pk"))
    return render(request, "payments/findings.html", {"findings": page.items, "page": page})

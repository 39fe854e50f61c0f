from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Fees and payments")

    def ready(self) -> None:
        from cards import extensions

        from . import checks  # noqa: F401 - registers the deployment check
        from .selectors import card_fee_outstanding, request_fee_hold
        from .services import order_open_for_approval, order_open_for_request

        # Payments builds on cards and plugs into it here, so cards never imports payments.
        extensions.register_approval_hold(
            lambda *, application, actor: (
                order_open_for_approval(application=application, actor=actor) is not None
            )
        )
        extensions.register_issuance_hold(card_fee_outstanding)
        # Renewal and replacement: the fee due on request is an order; no new card until it is paid.
        extensions.register_request_opened(order_open_for_request)
        extensions.register_request_issue_hold(request_fee_hold)

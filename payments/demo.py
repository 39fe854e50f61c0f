"""Demo: say which approved demo cases wait for their card fee (paid on the simulator's page)."""

from __future__ import annotations

from .models import PaymentOrder


def seed() -> None:
    for order in PaymentOrder.objects.filter(
        status=PaymentOrder.Status.DUE, card_request__isnull=True
    ).select_related("application__applicant__owner")[:5]:
        owner = order.application.applicant.owner
        print(  # noqa: T201
            f"Payments: {owner.email}'s card fee ({order.number}) is due; pay it from the status page "
            "on the payment simulator's page (make run starts it) and the card is made."
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "cards"
    verbose_name = _("Permanent residence cards")

    def ready(self) -> None:
        from django.db.models import Q

        from applications.oversight import WorkloadQueue, register
        from verification.extensions import register_card_revoker

        from . import checks, receivers  # noqa: F401 - checks registers the deploy checks
        from .models import CardRequest, RevocationCase
        from .selectors import holder_area_q
        from .services import revocation_open_for_case

        receivers.connect()
        # Daily management (verification) opens a revocation from a finding (R21 -> R22).
        register_card_revoker(revocation_open_for_case)
        # The workload page counts the card staff's queues (R24).
        register(
            WorkloadQueue(
                key="card_requests",
                label=_("Card requests"),
                in_area=lambda officer: CardRequest.objects.filter(holder_area_q(officer, "card__")),
                open=Q(state=CardRequest.State.REQUESTED),
                started="requested_at",
                decided_at="decided_at",
                decided_by="decided_by_id",
                order=10,
            )
        )
        register(
            WorkloadQueue(
                key="revocations",
                label=_("Revocations"),
                in_area=lambda officer: RevocationCase.objects.filter(holder_area_q(officer, "card__")),
                open=Q(state=RevocationCase.State.OPEN),
                started="opened_at",
                decided_at="decided_at",
                decided_by="decided_by_id",
                order=20,
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconsiderationConfig(AppConfig):
    name = "reconsideration"
    verbose_name = _("Administrative reconsideration")

    def ready(self) -> None:
        from django.db.models import Q

        from applications.notifications import register_message
        from applications.oversight import WorkloadQueue, register

        from . import notifications, selectors
        from .models import Reconsideration

        for status, text in notifications.MESSAGES.items():
            register_message(status, text, for_officer=True)
        for status, text in notifications.PERSON_MESSAGES.items():
            register_message(status, text)

        register(
            WorkloadQueue(
                key="reconsiderations",
                label=_("Reconsiderations"),
                in_area=lambda officer: selectors.reconsiderations_in_area(user=officer),
                open=Q(state=Reconsideration.State.LODGED),
                started="lodged_at",
                decided_at="decided_at",
                decided_by="decided_by_id",
                deadline="deadline",
                order=40,
            )
        )

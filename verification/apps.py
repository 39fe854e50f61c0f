from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Cross-agency verification")

    def ready(self) -> None:
        from django.db.models import Q

        from applications.oversight import WorkloadQueue, register
        from residence.accounts.jurisdiction import area_q
        from residence.core.health import register_figures

        from .models import ManagementCase
        from .selectors import verification_health

        # /healthz shows the state of the verification queue (figures; the status is not ours).
        register_figures("verification", verification_health)

        # The workload page counts the management officers' cases (R24).
        register(
            WorkloadQueue(
                key="management_cases",
                label=_("Management cases"),
                in_area=lambda officer: ManagementCase.objects.filter(
                    area_q(officer, province="application__province", city="application__city_code")
                ),
                open=Q(status=ManagementCase.Status.OPEN),
                started="opened_at",
                decided_at="closed_at",
                decided_by="closed_by_id",
                order=30,
            )
        )

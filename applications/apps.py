from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from django.db.models import Q

        from eligibility.impact import register_case_source
        from residence.accounts.jurisdiction import area_q
        from verification.extensions import register_cases
        from verification.models import ManagementCase

        from . import signals  # noqa: F401 - connects the receivers
        from .oversight import WorkloadQueue, register
        from .selectors import submitted_cases_for_impact
        from .verification_cases import HOOKS

        register_case_source(submitted_cases_for_impact)
        # Verification checks our cases and tells us when their checks are complete (issue 18).
        register_cases(HOOKS)
        # The workload page counts the management officers' cases (R24); the page is ours, the
        # cases verification's (which sits below us and so cannot register here itself).
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

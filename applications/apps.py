from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from eligibility.impact import register_case_source

        from . import signals  # noqa: F401 - connects the receivers
        from .selectors import submitted_cases_for_impact

        register_case_source(submitted_cases_for_impact)

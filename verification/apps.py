from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VerificationConfig(AppConfig):
    name = "verification"
    verbose_name = _("Cross-agency verification")

    def ready(self) -> None:
        # Local: ready() runs once the app registry is loaded, which models and selectors need.
        from residence.core.health import register_figures

        from .selectors import verification_health

        # /healthz shows the state of the verification queue (figures; the status is not ours).
        # The workload page's count of management cases (R24) is registered by applications, which
        # owns that page: verification sits below applications (verification.extensions).
        register_figures("verification", verification_health)

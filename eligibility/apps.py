from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("Eligibility")

    def ready(self) -> None:
        # Explanations name provinces ("Guangdong"), never their codes ("CN-GD").
        from residence.regions import PROVINCES

        from .engine.text import register_names

        register_names({p.code: (p.name_en, p.name_zh) for p in PROVINCES})

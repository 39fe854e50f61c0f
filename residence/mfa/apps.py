from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MfaConfig(AppConfig):
    name = "residence.mfa"
    label = "mfa"
    verbose_name = _("Second factors")

    def ready(self) -> None:
        from . import signals

        signals.connect()

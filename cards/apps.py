from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "cards"
    verbose_name = _("Permanent residence cards")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()

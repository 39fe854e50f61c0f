from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "appointments"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from applications.notifications import register_message

        from . import notifications

        for status, text in notifications.MESSAGES.items():
            register_message(status, text)

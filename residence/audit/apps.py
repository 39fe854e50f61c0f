from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "residence.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import security

        security.connect()

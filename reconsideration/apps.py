from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReconsiderationConfig(AppConfig):
    name = "reconsideration"
    verbose_name = _("Administrative reconsideration")

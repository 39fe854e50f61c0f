from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "residence.accounts"
    label = "accounts"
    verbose_name = _("Accounts, agencies and offices")

    def ready(self):
        from . import tokens

        tokens.connect()

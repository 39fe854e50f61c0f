from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "residence.accounts"
    label = "accounts"
    verbose_name = _("Accounts, agencies and offices")

    def ready(self):
        from residence.audit.alerts import register_chain_broken_notifier

        from . import tokens
        from .alerts import audit_chain_broken_email

        tokens.connect()
        # The audit log sits below accounts: we tell it whom to alert when its chain breaks.
        register_chain_broken_notifier(audit_chain_broken_email)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _require_decided(application) -> None:
    # Local: apps.py is imported before the models are ready.
    from .services import identity_require_decided

    identity_require_decided(application=application)


class IdentityConfig(AppConfig):
    name = "identity"
    verbose_name = _("Identity resolution")

    def ready(self) -> None:
        from applications import extensions

        from . import receivers, services

        receivers.connect()
        # Applications asks us at submission and before intake accepts a case, without naming us
        # (issue 18): a ban under another passport refuses the submission, duplicates flagged must
        # be decided first. Registered before counters' gate (INSTALLED_APPS order), as before.
        extensions.register_submission_check(services.identity_check_at_submission)
        extensions.register_acceptance_gate(_require_decided)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountersConfig(AppConfig):
    name = "counters"
    verbose_name = _("Service windows")

    def ready(self) -> None:
        # Counters builds on applications and plugs into it here, so applications never imports
        # counters (tests/residence/test_import_graph.py).
        from applications import extensions
        from residence.accounts.models import Role

        from . import receivers  # noqa: F401
        from .selectors import held_owner_ids, window_holds
        from .services import intake_record, intake_require

        extensions.register_acceptance_gate(intake_require)
        extensions.register_acting_party(
            extensions.ActingParty(role=Role.COUNTER_STAFF, acts_for=window_holds, owner_ids=held_owner_ids)
        )

        def _demo_intake(*, actor, application) -> None:
            intake_record(
                actor=actor,
                application=application,
                passport_checked=True,
                photo_taken=True,
                fingerprints_taken=True,
            )

        extensions.register_demo_accept_preparer(_demo_intake)

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

        from django.core import checks

        checks.register(_policy_texts_cover_languages)


def _policy_texts_cover_languages(app_configs, **kwargs):
    """Every language of settings.LANGUAGES must be one a policy text may carry."""
    from django.core.checks import Error

    from residence import languages

    from .engine.schema import TEXT_LANGUAGES

    missing = [code for code in languages.codes() if languages.field_key(code) not in TEXT_LANGUAGES]
    return [
        Error(
            f"settings.LANGUAGES has {code!r}, which policy texts cannot carry yet",
            hint="Add its key to TEXT_LANGUAGES in eligibility/engine/schema.py.",
            id="eligibility.E001",
        )
        for code in missing
    ]

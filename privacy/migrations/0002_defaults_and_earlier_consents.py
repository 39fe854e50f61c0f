"""Install the default retention periods, and record the consents given before consents were recorded.

Authorisations and submitted declarations from before this app already carry their moment of
consent (Authorisation.consented_at, Application.declaration_accepted_at); they get a consent row
with the version "before-2026-1" (the wording shown then was not kept), so the person sees and can
withdraw them like any other.
"""

from django.db import migrations

EARLIER = "before-2026-1"


def forwards(apps, schema_editor):
    from privacy.retention import DEFAULTS

    RetentionPeriod = apps.get_model("privacy", "RetentionPeriod")
    for category, default in DEFAULTS.items():
        RetentionPeriod.objects.get_or_create(
            category=str(category), defaults={"days": default.days, "basis": default.basis}
        )
    Consent = apps.get_model("privacy", "Consent")
    Authorisation = apps.get_model("applications", "Authorisation")
    Application = apps.get_model("applications", "Application")
    Consent.objects.bulk_create(
        Consent(
            person_id=a.applicant_id,
            purpose="intermediary",
            text_version=EARLIER,
            given_at=a.consented_at,
            given_by_id=a.applicant_id,
            authorisation_id=a.pk,
            withdrawn_at=a.revoked_at,
        )
        for a in Authorisation.objects.all().iterator()
    )
    Consent.objects.bulk_create(
        Consent(
            person_id=a.applicant.owner_id,
            purpose="application",
            text_version=EARLIER,
            given_at=a.declaration_accepted_at,
            given_by_id=a.created_by_id,
            application_id=a.pk,
            withdrawn_at=None,
        )
        for a in Application.objects.filter(declaration_accepted_at__isnull=False)
        .select_related("applicant")
        .iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

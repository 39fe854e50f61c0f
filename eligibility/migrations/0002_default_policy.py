"""Install the shipped default policy as the published version in force, so there is always one."""

from __future__ import annotations

from datetime import date

from django.db import migrations
from django.utils import timezone


def install_default_policy(apps, schema_editor):
    from eligibility.documents import jsonable
    from eligibility.engine import read_policy_document, validate_policy

    PolicyVersion = apps.get_model("eligibility", "PolicyVersion")
    if PolicyVersion.objects.filter(status__in=["published", "retired"]).exists():
        return
    document = jsonable(read_policy_document())
    errors = validate_policy(document)
    if errors:
        raise RuntimeError(f"the shipped default policy is invalid: {errors}")
    PolicyVersion.objects.create(
        label=document["version"],
        document=document,
        status="published",
        effective_from=date.fromisoformat(document["effective_from"]),
        effective_to=None,
        legal_basis=document["legal_basis"]["en"],
        notes="Installed from eligibility/policy/default_policy.yaml by migration 0002.",
        published_at=timezone.now(),
    )


def remove_default_policy(apps, schema_editor):
    apps.get_model("eligibility", "PolicyVersion").objects.filter(
        label="2016.1-default", notes__startswith="Installed from"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0001_initial")]

    operations = [migrations.RunPython(install_default_policy, remove_default_policy)]

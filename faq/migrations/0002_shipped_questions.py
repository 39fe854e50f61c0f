"""The shipped questions and answers, in every language, from faq/data/faq.yaml.

Historical models, so the migration keeps working whatever the models become; the audit log has
no actor for shipped content (as for the default policy). Later edits go through the admin and
faq.services, audited.
"""

from pathlib import Path

import yaml
from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "faq.yaml"


def install(apps, schema_editor):
    entry_model = apps.get_model("faq", "FaqEntry")
    translation_model = apps.get_model("faq", "FaqTranslation")
    with open(DATA_FILE, encoding="utf-8") as handle:
        entries = yaml.safe_load(handle)["entries"]
    for position, spec in enumerate(entries):
        entry, created = entry_model.objects.get_or_create(slug=spec["slug"], defaults={"position": position * 10})
        if not created:
            continue
        translation_model.objects.bulk_create(
            translation_model(
                entry=entry, language=code, question=spec["question"][code], answer=spec["answer"][code]
            )
            for code in spec["question"]
        )


def uninstall(apps, schema_editor):
    apps.get_model("faq", "FaqEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("faq", "0001_faq")]
    operations = [migrations.RunPython(install, uninstall)]

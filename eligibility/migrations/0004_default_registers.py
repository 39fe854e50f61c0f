"""Install the shipped editions of the reference registers (eligibility/policy/registers.yaml)."""

from __future__ import annotations

from datetime import date

from django.db import migrations
from django.utils import timezone


def install_default_registers(apps, schema_editor):
    import yaml

    from eligibility.registers import DEFAULTS_PATH

    RegisterEdition = apps.get_model("eligibility", "RegisterEdition")
    defaults = yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))
    for register, editions in defaults.items():
        if RegisterEdition.objects.filter(register=register).exists():
            continue
        previous = None
        for doc in sorted(editions, key=lambda e: e["effective_from"]):
            effective_from = doc["effective_from"]
            if isinstance(effective_from, str):
                effective_from = date.fromisoformat(effective_from)
            entries = sorted(
                ({"code": str(c), "en": en, "zh": zh} for c, en, zh in doc["entries"]), key=lambda e: e["code"]
            )
            edition = RegisterEdition.objects.create(
                register=register,
                label=doc["label"],
                status="published",
                effective_from=effective_from,
                source=doc.get("source", ""),
                entries=entries,
                published_at=timezone.now(),
            )
            if previous is not None:
                previous.effective_to = effective_from
                previous.status = "retired"
                previous.save(update_fields=["effective_to", "status"])
            previous = edition


class Migration(migrations.Migration):
    dependencies = [("eligibility", "0003_registers_and_nominating_bodies")]

    operations = [migrations.RunPython(install_default_registers, migrations.RunPython.noop)]

"""The policy expert role (R5), a Group like every other role."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="policy_expert")


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="policy_expert").delete()


class Migration(migrations.Migration):
    dependencies = [("figures", "0001_processing_time"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_role, remove_role)]

"""The nominating-body staff role (R11, issue 13): one Group, like every role."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="nominating_body_staff")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]

"""The counter staff role (R20, issue 15): one Group, like every role."""

from django.db import migrations


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="counter_staff")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_office_kind_address_phone")]

    operations = [migrations.RunPython(create_role, migrations.RunPython.noop)]

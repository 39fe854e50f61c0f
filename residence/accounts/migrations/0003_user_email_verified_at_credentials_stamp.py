from django.db import migrations, models
from django.db.models import F


def accounts_before_verification_count_as_verified(apps, schema_editor):
    # Accounts made before e-mail verification existed keep the right to submit they had.
    apps.get_model("accounts", "User").objects.update(email_verified_at=F("date_joined"))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="e-mail verified at"),
        ),
        migrations.AddField(
            model_name="user",
            name="credentials_stamp",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.RunPython(accounts_before_verification_count_as_verified, migrations.RunPython.noop),
    ]

"""Create one Group per role (R4). Apps add their model permissions to these groups later."""

from django.db import migrations

ROLES = [
    "applicant",
    "intermediary",
    "intake_officer",
    "reviewer",
    "approver",
    "management_officer",
    "policy_admin",
    "agency_staff",
    "agency_supervisor",
    "system_admin",
]

# Model permissions each role needs in the admin of this app.
PERMISSIONS = {
    "system_admin": ["add_user", "change_user", "view_user", "add_agency", "change_agency", "view_agency",
                     "add_office", "change_office", "view_office"],
    "policy_admin": ["view_agency", "view_office"],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("user", "agency", "office"):
        ct, _ = ContentType.objects.get_or_create(app_label="accounts", model=model)
        for action in ("add", "change", "delete", "view"):
            Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*Permission.objects.filter(content_type__app_label="accounts", codename__in=PERMISSIONS.get(role, [])))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(create_roles, remove_roles)]

from django.db import migrations


def index_profiles(apps, schema_editor):
    # Profiles written before this app existed: give each its index row, so matching finds them.
    from identity.matching import name_key

    ApplicantProfile = apps.get_model("applications", "ApplicantProfile")
    IdentityKey = apps.get_model("identity", "IdentityKey")
    batch = []
    for p in ApplicantProfile.objects.exclude(identity_key__isnull=False).iterator(chunk_size=2000):
        batch.append(
            IdentityKey(
                profile_id=p.pk,
                person=p.pk,
                name_key=name_key(p.family_name, p.given_names),
                birth_date=p.birth_date,
                sex=p.sex or "",
                nationality=p.nationality or "",
            )
        )
        if len(batch) >= 2000:
            IdentityKey.objects.bulk_create(batch)
            batch = []
    IdentityKey.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]
    operations = [migrations.RunPython(index_profiles, migrations.RunPython.noop)]

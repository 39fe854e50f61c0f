"""The English and Chinese columns of every item and version become translation rows ("en",
"zh-hans"); the substring search's trigram indexes move to the version rows.

PostgreSQL's text-search parsers do not segment Chinese (nor Japanese), so the catalogue finds
those keywords by substring (Django's icontains: UPPER(col) LIKE UPPER(%s)); GIN trigram
indexes over the same UPPER() expression serve that. SQLite has neither, and needs neither.
"""

from django.db import migrations

TEXT_FIELDS = ("title", "description", "legal_basis", "procedure", "documents", "where", "provider")
OLD = {"en": "en", "zh-hans": "zh"}

OLD_INDEXES = ("benefit_ver_title_zh_trgm", "benefit_ver_desc_zh_trgm", "benefit_ver_title_en_trgm")
NEW_INDEXES = [("benefit_vtr_title_trgm", "title"), ("benefit_vtr_desc_trgm", "description")]


def copy_forward(apps, schema_editor):
    pairs = [
        (apps.get_model("benefits", "BenefitItem"), apps.get_model("benefits", "BenefitItemTranslation"), "item"),
        (
            apps.get_model("benefits", "BenefitItemVersion"),
            apps.get_model("benefits", "BenefitVersionTranslation"),
            "version",
        ),
    ]
    for model, translation, owner in pairs:
        rows = []
        for obj in model.objects.all().iterator(chunk_size=500):
            for code, suffix in OLD.items():
                values = {f: getattr(obj, f"{f}_{suffix}") or "" for f in TEXT_FIELDS}
                if any(values.values()):
                    rows.append(translation(**{owner: obj}, language=code, **values))
        translation.objects.bulk_create(rows, batch_size=500)


def copy_back(apps, schema_editor):
    for model_name, translation_name, owner in (
        ("BenefitItem", "BenefitItemTranslation", "item"),
        ("BenefitItemVersion", "BenefitVersionTranslation", "version"),
    ):
        model = apps.get_model("benefits", model_name)
        translation = apps.get_model("benefits", translation_name)
        for row in translation.objects.filter(language__in=OLD).iterator(chunk_size=500):
            suffix = OLD[row.language]
            model.objects.filter(pk=getattr(row, f"{owner}_id")).update(
                **{f"{f}_{suffix}": getattr(row, f) for f in TEXT_FIELDS}
            )


def move_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, column in NEW_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON benefits_benefitversiontranslation "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def move_indexes_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in NEW_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, column in zip(OLD_INDEXES, ("title_zh", "description_zh", "title_en"), strict=True):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON benefits_benefititemversion "
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("benefits", "0003_item_translations")]

    operations = [
        migrations.RunPython(copy_forward, copy_back),
        migrations.RunPython(move_indexes, move_indexes_back),
    ]

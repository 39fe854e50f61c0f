"""PostgreSQL only: trigram indexes for the substring search on the Chinese fields.

PostgreSQL's text-search parsers do not segment Chinese, so the catalogue finds Chinese keywords
by substring (Django's icontains: UPPER(col) LIKE UPPER(%s)); these GIN trigram indexes over the
same UPPER() expression serve that. SQLite has neither, and needs neither at its scale.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("benefit_ver_title_zh_trgm", "title_zh"),
    ("benefit_ver_desc_zh_trgm", "description_zh"),
    ("benefit_ver_title_en_trgm", "title_en"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON benefits_benefititemversion '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]
    operations = [TrigramExtension(), migrations.RunPython(create_indexes, drop_indexes)]

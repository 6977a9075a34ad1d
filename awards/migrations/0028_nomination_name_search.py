"""Searching nominations by name, whole or in part, with or without diacritics (selectors.nomination_search):
`name_key LIKE '%…%'`. On PostgreSQL a trigram index (pg_trgm, a trusted extension the database owner may
create) answers it at any size; SQLite, the embedded default, scans, which its sizes allow."""

from django.db import migrations

INDEX = "nomination_name_key_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON awards_nomination USING gin (name_key gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("awards", "0027_block_owner")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

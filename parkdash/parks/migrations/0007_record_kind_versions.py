"""A data version per kind of record (issue 17): ``records:figures``, ``records:projects`` (with their updates),
``records:enterprises`` and ``records:works`` in place of ``records``, so that a table's count and page follow the
writes of its own kind only (parkdash/parks/versions.py). PostgreSQL's trigger functions are replaced here; SQLite's
are dropped before every migrate and installed again after it (versions.before_migrate, after_migrate)."""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from parkdash.parks import versions

    if schema_editor.connection.vendor == "postgresql":
        versions.install(schema_editor.connection)
    DataVersion = apps.get_model("parks", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).filter(name="records").delete()  # bumped no more
    versions.new_epoch(DataVersion, schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0006_records_version"),
    ]

    operations = [
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]

"""The ``records`` data version (issue 17): the triggers of the figures, projects and their updates, enterprises and
works bump it as well (parkdash/parks/versions.py). PostgreSQL's trigger functions are replaced here; SQLite's are
dropped before every migrate and installed again after it (versions.before_migrate, after_migrate)."""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from parkdash.parks import versions

    if schema_editor.connection.vendor == "postgresql":
        versions.install(schema_editor.connection)
    versions.new_epoch(apps.get_model("parks", "DataVersion"), schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0005_auth_versions"),
    ]

    operations = [
        migrations.RunPython(install_triggers, migrations.RunPython.noop),
    ]

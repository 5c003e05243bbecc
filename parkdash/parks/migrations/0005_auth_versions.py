"""The data versions of the users' permissions and parks (parkdash/parks/auth.py): triggers on the auth tables, the
content types and the park memberships bump ``auth`` and ``u<user id>`` (parkdash/parks/versions.py explains the
design). As in 0004, SQLite gets them after the migrate (post_migrate installs every missing trigger)."""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from parkdash.parks import versions

    if schema_editor.connection.vendor == "postgresql":
        versions.install(schema_editor.connection)
    versions.new_epoch(apps.get_model("parks", "DataVersion"), schema_editor.connection.alias)


def noop(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0004_data_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(install_triggers, noop)]

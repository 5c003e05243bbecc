"""Create the viewer, editor and administrator groups (see parkdash/core/roles.py)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from parkdash.core.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("parks", "0002_park_members"),
        ("indicators", "0001_initial"),
        ("projects", "0001_initial"),
        ("enterprises", "0001_initial"),
        ("infrastructure", "0001_initial"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

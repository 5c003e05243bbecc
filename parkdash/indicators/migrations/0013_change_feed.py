"""The figures' change feed (issue 16): figure.change_seq, the tombstones of deleted figures, the feed's epoch, and
the database triggers that keep them (parkdash/indicators/changes.py explains the design).

The triggers are the vendor's SQL, written by changes.install (PostgreSQL 13+ or SQLite; another database is refused
with a clear error). Existing figures are stamped (backfilled) right after. Reversed: triggers, functions and the
SQLite counter are dropped before the columns and tables go.
"""

import django.utils.timezone
from django.db import migrations, models


def install_triggers(apps, schema_editor):
    from parkdash.indicators import changes

    connection = schema_editor.connection
    changes.install(connection, apps.get_model("indicators", "Figure"))
    changes.backfill(connection)


def drop_triggers(apps, schema_editor):
    from parkdash.indicators import changes

    changes.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0012_indicator_display_unit'),
        ('parks', '0003_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='FeedEpoch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=32)),
                ('created', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': 'change feed epoch',
                'verbose_name_plural': 'change feed epochs',
            },
        ),
        migrations.CreateModel(
            name='FigureTombstone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('figure_id', models.BigIntegerField(verbose_name='figure id')),
                ('park_id', models.BigIntegerField(db_index=True, verbose_name='park id')),
                ('park_code', models.CharField(blank=True, max_length=50, verbose_name='park')),
                ('indicator_id', models.BigIntegerField(verbose_name='indicator id')),
                ('indicator_code', models.CharField(blank=True, max_length=60, verbose_name='indicator')),
                ('zone_id', models.BigIntegerField(null=True, verbose_name='zone id')),
                ('zone_name', models.CharField(max_length=100, null=True, verbose_name='zone')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('month', models.PositiveSmallIntegerField(verbose_name='month')),
                ('kind', models.CharField(max_length=10, verbose_name='kind')),
                ('version', models.CharField(max_length=12, verbose_name='version')),
                ('change_seq', models.BigIntegerField(null=True, verbose_name='change sequence')),
                ('deleted_at', models.DateTimeField(verbose_name='deleted at')),
            ],
            options={
                'verbose_name': 'deleted figure',
                'verbose_name_plural': 'deleted figures',
                'ordering': ['change_seq', 'id'],
            },
        ),
        migrations.AddField(
            model_name='figure',
            name='change_seq',
            field=models.BigIntegerField(editable=False, null=True, serialize=False, verbose_name='change sequence'),
        ),
        migrations.AddIndex(
            model_name='figure',
            index=models.Index(fields=['change_seq', 'id'], name='figure_change_seq_idx'),
        ),
        migrations.AddIndex(
            model_name='figuretombstone',
            index=models.Index(fields=['change_seq', 'id'], name='figuretombstone_change_seq_idx'),
        ),
        migrations.RunPython(install_triggers, drop_triggers),
    ]

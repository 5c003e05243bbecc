"""Migration 0006 brings the names other parks' summaries use into a database that already holds the catalogue."""

import importlib

from django.apps import apps
from django.test import TestCase

from parkdash.indicators.catalogue import BY_CODE
from parkdash.indicators.models import Indicator

migration = importlib.import_module("parkdash.indicators.migrations.0006_catalogue_for_other_parks")


class CatalogueMigrationTests(TestCase):
    def test_an_empty_database_is_left_for_the_seed_or_the_demo_data_to_fill(self):
        migration.forwards(apps, None)
        self.assertFalse(Indicator.objects.exists())

    def test_old_default_names_are_renamed_and_aliases_added_without_losing_a_users_own(self):
        Indicator.objects.create(
            code="industrial_investment",
            name="工业性投入",
            name_en="Industrial investment",
            unit="亿元",
            aliases="工业投入、我们园区的叫法",
        )
        Indicator.objects.create(
            code="enterprises_above_size", name="规模以上企业（自定义）", name_en="Above size", unit="家", aliases=""
        )
        migration.forwards(apps, None)
        industrial = Indicator.objects.get(code="industrial_investment")
        self.assertEqual(industrial.name, "工业投资")
        self.assertIn("我们园区的叫法", industrial.alias_list)
        self.assertIn("工业性投入", industrial.alias_list)
        self.assertIn("工业实际投入", industrial.alias_list)
        self.assertEqual(Indicator.objects.get(code="enterprises_above_size").name, "规模以上企业（自定义）")
        self.assertEqual(Indicator.objects.get(code="infrastructure_investment").unit, "亿元")

    def test_running_it_twice_changes_nothing_more(self):
        Indicator.objects.create(code="tax_revenue", name="税收收入", name_en="Tax", unit="亿元", aliases="税收")
        migration.forwards(apps, None)
        before = list(Indicator.objects.order_by("code").values_list("code", "name", "aliases"))
        migration.forwards(apps, None)
        self.assertEqual(list(Indicator.objects.order_by("code").values_list("code", "name", "aliases")), before)


def test_the_migration_brings_what_the_catalogue_holds():
    for code, (_, new) in migration.RENAMES.items():
        assert BY_CODE[code].name_zh == new
    for code, aliases in migration.NEW_ALIASES.items():
        assert set(aliases) <= set(BY_CODE[code].aliases), code
    for code, name, _, unit, _, aliases in migration.NEW_INDICATORS:
        assert (BY_CODE[code].name_zh, BY_CODE[code].unit, BY_CODE[code].aliases) == (name, unit, aliases)

"""Indicators get a display unit (blank: by size), and every catalogue indicator its English name (issue 14);
the aggregation's labels name the time-elapsed pace in English.

An existing database may hold catalogue indicators whose English name is empty or still Chinese (entered by hand,
or copied from the Chinese name): those get the catalogue's English name. An English name a user wrote is kept.
The names are written out here rather than read from catalogue.py, so that later changes to the catalogue do not
change what this migration did.
"""

import parkdash.core.models
from django.db import migrations, models


ENGLISH_NAMES = {
    'fixed_asset_investment': 'Fixed-asset investment',
    'government_investment': 'Government investment',
    'industrial_investment': 'Industrial investment',
    'foreign_investment': 'Foreign direct investment used',
    'domestic_investment': 'Domestic investment received',
    'industrial_output': 'Gross industrial output',
    'industrial_output_above_size': 'Industrial output above designated size',
    'industrial_value_added': 'Industrial value added above designated size',
    'main_business_revenue': 'Main business revenue',
    'tax_revenue': 'Tax revenue',
    'fiscal_revenue': 'Total fiscal revenue',
    'export_value': 'Exports',
    'land_supplied': 'Land supplied',
    'industrial_land_supplied': 'Industrial land supplied',
    'land_transferred': 'Land transferred to enterprises',
    'land_reclaimed': 'Land reclaimed',
    'land_financing_certificates': 'Land with financing certificates',
    'sea_use_acceptance': 'Sea-use projects accepted and reserved',
    'unused_land_quota': 'Unused-land quota approved',
    'enterprises_admitted': 'Enterprises newly admitted',
    'enterprises_started': 'Enterprises started construction',
    'enterprises_in_production': 'Enterprises started production',
    'enterprises_in_production_std_factory': 'Enterprises started production in standard factory buildings',
    'enterprises_evaluated': 'Enterprises evaluated for admission',
    'enterprises_above_size': 'Enterprises above designated size',
    'projects_continuing': 'Continuing projects',
    'projects_new_start': 'Newly started projects',
    'projects_in_approval': 'Projects in preparation and approval',
    'projects_completed': 'Completed projects',
    'road_base': 'Road base built',
    'earth_fill': 'Earth and rock fill',
    'river_excavation': 'River and lake excavation',
    'river_excavation_length': 'River and lake excavation (length)',
    'loans_obtained': 'Loans obtained',
    'gdp': 'Gross regional product',
    'total_profit': 'Total profit',
    'foreign_trade': 'Imports and exports',
    'rd_spending': 'R&D spending',
    'high_tech_enterprises': 'High-tech enterprises',
    'new_enterprises_above_size': 'New enterprises above designated size',
    'projects_signed': 'Projects signed',
    'agreed_investment': 'Agreed investment',
    'investment_received': 'Attracted investment received',
    'land_acquired': 'Land acquired',
    'idle_land_revitalised': 'Idle land put back to use',
    'pipe_network': 'Pipe network',
    'infrastructure_investment': 'Infrastructure investment',
    'tech_renovation_investment': 'Technical renovation investment',
    'tech_industry_trade_revenue': 'Technology, industry and trade revenue',
    'standard_factory_area': 'Standard factory buildings',
    'land_reserved': 'Land taken into the reserve',
    'industrial_power_use': 'Industrial power use',
    'greening_area': 'Greening area',
    'greening_soil': 'Soil filled for greening',
    'energy_per_output': 'Energy use per unit of industrial value added',
}


def _has_chinese(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def fill_english_names(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(code__in=ENGLISH_NAMES):
        if not indicator.name_en.strip() or _has_chinese(indicator.name_en):
            indicator.name_en = ENGLISH_NAMES[indicator.code]
            indicator.save(update_fields=["name_en"])


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0011_figure_warning'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalindicator',
            name='display_unit',
            field=models.CharField(blank=True, help_text='The unit pages show this indicator in. Leave empty to choose by size: money below 1 亿 in 万元, from 1 亿 up in 亿元; other units as stored.', max_length=20, validators=[parkdash.core.models.validate_unit], verbose_name='display unit'),
        ),
        migrations.AddField(
            model_name='indicator',
            name='display_unit',
            field=models.CharField(blank=True, help_text='The unit pages show this indicator in. Leave empty to choose by size: money below 1 亿 in 万元, from 1 亿 up in 亿元; other units as stored.', max_length=20, validators=[parkdash.core.models.validate_unit], verbose_name='display unit'),
        ),
        migrations.AlterField(
            model_name='historicalindicator',
            name='aggregation',
            field=models.CharField(choices=[('cumulative', 'Cumulative (running total, judged against the time-elapsed pace)'), ('stock', 'Stock (a level at a date, compared with the target)'), ('rate', 'Rate (a ratio, compared with the target)')], default='cumulative', help_text='Cumulative: a running total from January, judged against the time-elapsed pace. Stock: a level at a date (enterprises, projects under way), compared with the target directly. Rate: a ratio (energy per 10k yuan), compared with the target directly, in the direction of “higher is better”.', max_length=12, verbose_name='aggregation'),
        ),
        migrations.AlterField(
            model_name='indicator',
            name='aggregation',
            field=models.CharField(choices=[('cumulative', 'Cumulative (running total, judged against the time-elapsed pace)'), ('stock', 'Stock (a level at a date, compared with the target)'), ('rate', 'Rate (a ratio, compared with the target)')], default='cumulative', help_text='Cumulative: a running total from January, judged against the time-elapsed pace. Stock: a level at a date (enterprises, projects under way), compared with the target directly. Rate: a ratio (energy per 10k yuan), compared with the target directly, in the direction of “higher is better”.', max_length=12, verbose_name='aggregation'),
        ),
        migrations.RunPython(fill_english_names, migrations.RunPython.noop),
    ]

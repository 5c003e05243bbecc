"""Every indicator of the catalogue gets its aggregation kind (issue 13, point 3).

Cumulative is the field's default: running totals (money, output, land supplied, enterprises or projects newly
admitted, started, completed, quantities built). Written out here rather than read from catalogue.py, so that later
changes to the catalogue do not change what this migration did:

* stock, a level at a date compared with its target directly: enterprises above designated size and high-tech
  enterprises (counts of enterprises at a date), continuing projects and projects in approval (projects under way
  or in the pipeline at a date);
* rate, a ratio compared with its target directly: 单位工业增加值能耗, lower is better, whose unit becomes
  吨标准煤/万元 (it was 吨, which read as a mass and converted to 万吨). The numbers do not change: 0.4251 吨 was
  always meant per 万元.

An indicator a user added in the admin keeps the default; the admin's form sets its kind.
"""

from django.db import migrations

STOCK = ("enterprises_above_size", "high_tech_enterprises", "projects_continuing", "projects_in_approval")
RATE = ("energy_per_output",)
ENERGY = "energy_per_output"
OLD_ENERGY_UNIT, NEW_ENERGY_UNIT = "吨", "吨标准煤/万元"


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Figure = apps.get_model("indicators", "Figure")
    Indicator.objects.filter(code__in=STOCK).update(aggregation="stock")
    Indicator.objects.filter(code__in=RATE).update(aggregation="rate", higher_is_better=False)
    energy = Indicator.objects.filter(code=ENERGY, unit=OLD_ENERGY_UNIT).first()
    if energy is not None:
        Figure.objects.filter(indicator=energy, entered_unit=OLD_ENERGY_UNIT).update(entered_unit=NEW_ENERGY_UNIT)
        energy.unit = NEW_ENERGY_UNIT
        energy.save(update_fields=["unit"])


def backwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    Figure = apps.get_model("indicators", "Figure")
    energy = Indicator.objects.filter(code=ENERGY, unit=NEW_ENERGY_UNIT).first()
    if energy is not None:
        Figure.objects.filter(indicator=energy, entered_unit=NEW_ENERGY_UNIT).update(entered_unit=OLD_ENERGY_UNIT)
        energy.unit = OLD_ENERGY_UNIT
        energy.save(update_fields=["unit"])


class Migration(migrations.Migration):
    dependencies = [("indicators", "0009_indicator_aggregation")]

    operations = [migrations.RunPython(forwards, backwards)]

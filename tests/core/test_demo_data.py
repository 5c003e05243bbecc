"""generate_demo_data: clearly marked synthetic parks with five years of consistent, deterministic data."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Max
from django.test import TestCase

from parkdash.core import units
from parkdash.core.progress import Progress, Status
from parkdash.demo import generator as demo
from parkdash.enterprises.choices import STAGE_DATE_FIELDS, Stage
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.catalogue import CATALOGUE
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.choices import WorkKind
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.choices import Phase, ProjectCategory
from parkdash.projects.models import Project, ProjectUpdate

# Each test generates the demo parks (several seconds a run).
pytestmark = pytest.mark.slow

TODAY = date(2025, 11, 15)  # actuals of 2025 through October
YEARS = [2021, 2022, 2023, 2024, 2025]


def snapshot():
    """Everything generated, by natural fields only (no ids), sorted."""
    return {
        "figures": sorted(
            Figure.objects.filter(park__is_demo=True)
            .values_list(
                "indicator__code", "park__code", "zone__name", "year", "month", "kind", "version", "value", "yoy_pct"
            )
            .order_by(),
            key=str,
        ),
        "projects": sorted(
            Project.objects.filter(park__is_demo=True)
            .values_list(
                "park__code",
                "name",
                "zone__name",
                "category",
                "phase",
                "planned_start",
                "planned_finish",
                "actual_start",
                "actual_finish",
                "total_investment",
                "ytd_investment",
                "progress_pct",
            )
            .order_by(),
            key=str,
        ),
        "updates": sorted(
            ProjectUpdate.objects.filter(project__park__is_demo=True)
            .values_list("project__park__code", "project__name", "date", "phase", "progress_pct", "note")
            .order_by(),
            key=str,
        ),
        "enterprises": sorted(
            Enterprise.objects.filter(park__is_demo=True)
            .values_list(
                "park__code",
                "name",
                "zone__name",
                "industry",
                "is_listed",
                "stage",
                *(f for _s, f in STAGE_DATE_FIELDS),
                "land_area_mu",
                "planned_investment",
                "evaluation_outcome",
            )
            .order_by(),
            key=str,
        ),
        "works": sorted(
            InfrastructureWork.objects.filter(park__is_demo=True)
            .values_list(
                "park__code", "year", "name", "zone__name", "kind", "unit", "planned_quantity", "completed_quantity"
            )
            .order_by(),
            key=str,
        ),
    }


class GeneratedDataTests(TestCase):
    """What one run with the seed catalogue and park loaded produces."""

    @classmethod
    def setUpTestData(cls):
        call_command("loaddata", "seed", verbosity=0)
        cls.result = demo.generate(seed=7, parks=2, today=TODAY)
        cls.showcase = Park.objects.get(code="demo-001")
        cls.indicators = list(Indicator.objects.all())

    def demo_figures(self):
        return Figure.objects.filter(park__is_demo=True)

    def test_it_marks_demo_parks(self):
        demo_parks = Park.objects.filter(code__startswith="demo-")
        self.assertEqual(demo_parks.count(), 2)
        for park in demo_parks:
            self.assertTrue(park.is_demo)
            self.assertIn("示例", park.name)
        self.assertEqual(
            (self.showcase.name, self.showcase.name_en), ("示例经济开发区", "Demo Economic Development Zone")
        )
        self.assertFalse(Park.objects.get(code="dongbu").is_demo)

    def test_every_demo_park_has_several_zones(self):
        for park in Park.objects.filter(is_demo=True):
            self.assertEqual(park.zones.count(), demo.ZONES_PER_PARK)

    def test_it_reports_what_it_wrote(self):
        self.assertEqual(self.result.counts[Figure], self.demo_figures().count())
        self.assertEqual(self.result.counts[Enterprise], 2 * demo.ENTERPRISES_PER_PARK)
        self.assertEqual(self.result.counts[Project], 2 * demo.PROJECTS_PER_PARK)
        self.assertEqual(
            self.result.counts[ProjectUpdate], ProjectUpdate.objects.filter(project__park__is_demo=True).count()
        )

    def test_every_catalogue_indicator_has_a_target_and_monthly_actuals_every_year(self):
        rows = (
            self.demo_figures()
            .filter(zone__isnull=True)
            .values_list("park_id", "indicator_id", "year", "kind", "month")
        )
        months = defaultdict(set)
        for park, indicator, year, kind, month in rows:
            months[(park, indicator, year, kind)].add(month)
        for park in Park.objects.filter(is_demo=True):
            for indicator in self.indicators:
                for year in YEARS:
                    with self.subTest(park=park.code, indicator=indicator.code, year=year):
                        self.assertEqual(months[(park.pk, indicator.pk, year, "target")], {12})
                        last = 10 if year == 2025 else 12
                        self.assertEqual(months[(park.pk, indicator.pk, year, "actual")], set(range(1, last + 1)))

    def test_figures_are_final_demo_values_in_the_canonical_unit(self):
        figures = self.demo_figures()
        self.assertFalse(figures.exclude(source="demo").exists())
        self.assertFalse(figures.exclude(version="final").exists())
        self.assertFalse(figures.exclude(entered_unit="").exists())
        self.assertFalse(figures.filter(value__isnull=True).exists())
        for value, entered in figures.values_list("value", "entered_value")[:500]:
            self.assertEqual(value, entered)

    def test_actuals_are_cumulative_within_a_year(self):
        series = defaultdict(list)
        rows = (
            self.demo_figures()
            .filter(kind="actual", indicator__aggregation="cumulative")
            .values_list("indicator_id", "park_id", "zone_id", "year", "month", "value")
            .order_by("month")
        )
        for indicator, park, zone, year, _month, value in rows:
            series[(indicator, park, zone, year)].append(value)
        for key, values in series.items():
            self.assertEqual(values, sorted(values), key)

    def test_a_stock_or_a_rate_is_a_level_near_its_target_from_january(self):
        targets = dict(
            ((f[0], f[1]), f[2])
            for f in self.demo_figures()
            .filter(kind="target", zone__isnull=True, park=self.showcase)
            .values_list("indicator_id", "year", "value")
        )
        januaries = (
            self.demo_figures()
            .filter(kind="actual", month=1, zone__isnull=True, park=self.showcase)
            .exclude(indicator__aggregation="cumulative")
            .values_list("indicator_id", "year", "value")
        )
        self.assertTrue(januaries)
        for indicator, year, value in januaries:
            # A running total would be about a twelfth of its target in January.
            self.assertTrue(0.5 <= value / targets[(indicator, year)] <= 1.5, (indicator, year, value))

    def test_year_on_year_growth_matches_last_years_value_at_the_same_month(self):
        rows = list(
            self.demo_figures()
            .filter(kind="actual")
            .values_list("indicator_id", "park_id", "zone_id", "year", "month", "value", "yoy_pct")
        )
        values = {row[:5]: row[5] for row in rows}
        checked = 0
        for indicator, park, zone, year, month, value, yoy in rows:
            last_year = values.get((indicator, park, zone, year - 1, month))
            if not last_year:  # the first year, or nothing to grow from
                self.assertIsNone(yoy)
                continue
            self.assertAlmostEqual(yoy, (value / last_year - 1) * 100, delta=Decimal("0.01"))
            checked += 1
        self.assertGreater(checked, len(rows) / 2)

    def test_past_years_end_between_about_80_and_115_percent_of_target(self):
        targets = dict(
            ((f[0], f[1], f[2]), f[3])
            for f in self.demo_figures()
            .filter(kind="target", zone__isnull=True)
            .values_list("indicator_id", "park_id", "year", "value")
        )
        year_ends = (
            self.demo_figures()
            .filter(kind="actual", month=12, zone__isnull=True)
            .values_list("indicator_id", "park_id", "year", "value")
        )
        for indicator, park, year, value in year_ends:
            completion = value / targets[(indicator, park, year)] * 100
            # Counts are whole numbers, so a small target cannot hit every percentage.
            self.assertTrue(75 <= completion <= 120, (indicator, park, year, completion))

    def test_the_current_year_shows_every_status_against_the_pace(self):
        figures = Figure.objects.filter(park=self.showcase, year=2025, zone__isnull=True).select_related("indicator")
        targets = {f.indicator_id: f.value for f in figures if f.kind == "target"}
        statuses = {
            Progress(
                f.value, targets[f.indicator_id], f.month, f.indicator.higher_is_better, f.indicator.aggregation
            ).status
            for f in figures
            if f.kind == "actual" and f.month == 10
        }
        self.assertEqual(statuses, {Status.AHEAD, Status.SLIGHTLY_BEHIND, Status.BEHIND})

    def test_lower_is_better_indicators_get_falling_targets(self):
        energy = Indicator.objects.get(code="energy_per_output")
        self.assertFalse(energy.higher_is_better)
        targets = list(
            Figure.objects.filter(park=self.showcase, indicator=energy, kind="target", zone__isnull=True)
            .order_by("year")
            .values_list("value", flat=True)
        )
        self.assertLess(targets[-1], targets[0])

    def test_magnitudes_suit_the_unit(self):
        def target(code):
            return Figure.objects.get(
                park=self.showcase, indicator__code=code, year=2021, kind="target", zone__isnull=True
            ).value

        self.assertTrue(10 <= target("fixed_asset_investment") <= 100)  # 亿元
        self.assertTrue(500 <= target("land_supplied") <= 5000)  # 亩
        self.assertTrue(5 <= target("enterprises_admitted") <= 60)  # 家
        self.assertTrue(10 <= target("road_base") <= 100)  # 公里
        self.assertTrue(100 <= target("earth_fill") <= 2000)  # 万吨
        counted = [i.pk for i in self.indicators if units.get_unit(i.unit).dimension.startswith("count:")]
        for value in self.demo_figures().filter(indicator__in=counted).values_list("value", flat=True):
            self.assertEqual(value, value.to_integral_value())

    def test_zone_breakdowns_add_up_to_about_the_park_value(self):
        totals, park_values = defaultdict(Decimal), {}
        rows = (
            self.demo_figures()
            .filter(park=self.showcase, indicator__code__in=demo.ZONE_BREAKDOWN)
            .values_list("indicator_id", "zone_id", "year", "month", "kind", "value")
        )
        for indicator, zone, year, month, kind, value in rows:
            if zone is None:
                park_values[(indicator, year, month, kind)] = value
            else:
                totals[(indicator, year, month, kind)] += value
        self.assertEqual(len(totals), len(park_values))
        for key, value in park_values.items():
            # Each zone value is rounded on its own: at most half a unit off each, for whole numbers.
            self.assertAlmostEqual(totals[key], value, delta=max(value * Decimal("0.01"), Decimal("2.5")))

    def test_it_covers_every_project_phase_and_category(self):
        projects = Project.objects.filter(park=self.showcase)
        self.assertEqual(set(projects.values_list("phase", flat=True)), set(Phase.values))
        self.assertEqual(set(projects.values_list("category", flat=True)), set(ProjectCategory.values))

    def test_projects_have_plausible_dates_progress_and_updates(self):
        for project in Project.objects.filter(park__is_demo=True).prefetch_related("updates"):
            updates = sorted(project.updates.all(), key=lambda u: u.date)
            self.assertGreaterEqual(len(updates), 2)
            self.assertEqual((updates[-1].phase, updates[-1].progress_pct), (project.phase, project.progress_pct))
            self.assertEqual([u.progress_pct for u in updates], sorted(u.progress_pct for u in updates))
            self.assertLessEqual(updates[-1].date, TODAY)
            self.assertLessEqual(project.planned_start, project.planned_finish)
            self.assertLessEqual(project.ytd_investment, project.total_investment)
            if project.phase == Phase.PREPARATION:
                self.assertIsNone(project.actual_start)
                self.assertGreater(project.planned_start, TODAY)
            else:
                self.assertLessEqual(project.actual_start, TODAY)
            if project.phase == Phase.COMPLETED:
                self.assertEqual(project.progress_pct, 100)
                self.assertLessEqual(project.actual_start, project.actual_finish)
                self.assertLessEqual(project.actual_finish, TODAY)
            else:
                self.assertIsNone(project.actual_finish)
                self.assertLess(project.progress_pct, 100)
            if project.phase == Phase.NEW_START:
                self.assertEqual(project.actual_start.year, TODAY.year)

    def test_it_covers_every_enterprise_stage_with_dates_of_the_stages_reached(self):
        enterprises = Enterprise.objects.filter(park__is_demo=True)
        self.assertEqual(set(enterprises.filter(park=self.showcase).values_list("stage", flat=True)), set(Stage.values))
        order = [stage for stage, _field in STAGE_DATE_FIELDS]
        for enterprise in enterprises:
            reached = order.index(enterprise.stage)
            dates = [day for _stage, day in enterprise.stage_dates]
            self.assertTrue(all(dates[: reached + 1]), enterprise)
            self.assertFalse(any(dates[reached + 1 :]), enterprise)
            self.assertEqual(dates[: reached + 1], sorted(dates[: reached + 1]))
            self.assertLessEqual(dates[reached], TODAY)
        self.assertTrue(enterprises.filter(is_listed=True).exists())
        self.assertFalse(
            enterprises.filter(stage__in=["settled", "construction", "production"])
            .exclude(evaluation_outcome="passed")
            .exists()
        )

    def test_it_has_works_of_every_kind_every_year_in_known_units(self):
        works = InfrastructureWork.objects.filter(park=self.showcase)
        for year in YEARS:
            self.assertEqual(set(works.filter(year=year).values_list("kind", flat=True)), set(WorkKind.values), year)
        for unit in works.order_by("unit").values_list("unit", flat=True).distinct():
            self.assertTrue(units.is_known(unit), unit)
        self.assertFalse(works.filter(planned_quantity__isnull=True).exists())
        self.assertFalse(works.filter(completed_quantity__isnull=True).exists())

    def test_a_sample_of_generated_rows_passes_full_clean(self):
        samples = [
            Figure.objects.filter(park__is_demo=True),
            Project.objects.filter(park__is_demo=True),
            ProjectUpdate.objects.filter(project__park__is_demo=True),
            Enterprise.objects.filter(park__is_demo=True),
            InfrastructureWork.objects.filter(park__is_demo=True),
            Park.objects.filter(is_demo=True),
            Zone.objects.filter(park__is_demo=True),
        ]
        for queryset in samples:
            rows = list(queryset.order_by("pk"))
            # Every constraint check is a query: a small sample keeps this quick.
            for obj in rows[:: max(1, len(rows) // 10)]:
                with self.subTest(obj=repr(obj)):
                    obj.full_clean()


class RunTests(TestCase):
    """Running the generator: determinism, replacing, clearing."""

    def test_it_is_deterministic_for_a_seed(self):
        demo.generate(seed=3, parks=1, today=TODAY)
        first = snapshot()
        demo.clear()
        self.assertFalse(Park.objects.filter(is_demo=True).exists())
        demo.generate(seed=3, parks=1, today=TODAY)
        self.assertEqual(snapshot(), first)
        self.assertGreater(len(first["figures"]), 1000)

    def test_a_different_seed_gives_different_values(self):
        demo.generate(seed=3, parks=1, today=TODAY)
        first = snapshot()
        demo.generate(seed=4, parks=1, today=TODAY)
        second = snapshot()
        for table in first:
            self.assertNotEqual(first[table], second[table], table)

    def test_running_twice_replaces_the_demo_parks_without_duplicates(self):
        first = demo.generate(seed=5, parks=1, today=TODAY)
        second = demo.generate(seed=5, parks=1, today=TODAY)
        self.assertEqual(second.removed_parks, 1)
        self.assertEqual(first.counts, second.counts)
        self.assertEqual(Park.objects.filter(is_demo=True).count(), 1)
        self.assertEqual(Figure.objects.filter(park__is_demo=True).count(), first.counts[Figure])

    def test_clear_removes_demo_parks_and_leaves_a_real_park_untouched(self):
        call_command("loaddata", "seed", verbosity=0)
        real = Park.objects.get(code="dongbu")
        before = snapshot_of(real)
        demo.generate(seed=5, parks=2, today=TODAY)
        result = demo.clear()
        self.assertEqual(result.removed_parks, 2)
        self.assertFalse(Park.objects.filter(is_demo=True).exists())
        for model in (Figure, Project, Enterprise, InfrastructureWork, Zone):
            self.assertFalse(model.objects.filter(park__is_demo=True).exists(), model)
        self.assertFalse(Figure.objects.filter(source="demo").exists())
        self.assertFalse(ProjectUpdate.objects.filter(project__park__is_demo=True).exists())
        self.assertEqual(snapshot_of(real), before)
        self.assertEqual(Indicator.objects.count(), len(CATALOGUE))

    def test_clear_without_demo_parks_does_nothing(self):
        self.assertEqual(demo.clear().removed_parks, 0)

    def test_it_creates_the_catalogue_when_the_database_has_none(self):
        self.assertFalse(Indicator.objects.exists())
        result = demo.generate(seed=1, parks=1, today=TODAY)
        self.assertEqual(result.catalogue_created, len(CATALOGUE))
        self.assertEqual(set(Indicator.objects.values_list("code", flat=True)), {s.code for s in CATALOGUE})
        self.assertEqual(
            Figure.objects.filter(kind="target", year=2025).count(),
            len(CATALOGUE) + len(demo.ZONE_BREAKDOWN) * demo.ZONES_PER_PARK,
        )

    def test_it_refuses_to_replace_a_real_park_that_uses_a_demo_code(self):
        Park.objects.create(code="demo-001", name="真实园区")
        with self.assertRaises(demo.DemoDataError):
            demo.generate(seed=1, parks=1, today=TODAY)
        self.assertTrue(Park.objects.filter(code="demo-001", is_demo=False).exists())

    def test_january_still_has_the_current_years_january_actuals(self):
        demo.generate(seed=1, parks=1, today=date(2026, 1, 10))
        months = Figure.objects.filter(year=2026, kind="actual").aggregate(Max("month"))["month__max"]
        self.assertEqual(months, 1)
        years = Figure.objects.order_by("year").values_list("year", flat=True).distinct()
        self.assertEqual(list(years), list(range(2022, 2027)))

    def test_scale_100_yields_the_required_volumes(self):
        # Every park has the same shape, so one park (in January, the month with fewest actuals) tells.
        self.assertEqual((demo.parks_for_scale(1), demo.parks_for_scale(100)), (2, 250))
        counts = demo.generate(seed=1, parks=1, today=date(2026, 1, 10)).counts
        parks = demo.parks_for_scale(100)
        self.assertGreaterEqual(counts[Figure] * parks, 1_000_000)
        self.assertGreaterEqual(counts[Enterprise] * parks, 50_000)
        self.assertGreaterEqual(counts[Project] * parks, 20_000)
        self.assertGreaterEqual(len(WorkKind.values) * demo.YEARS * parks, 10_000)  # at least one work per kind


def snapshot_of(park):
    return (
        sorted(
            Figure.objects.filter(park=park)
            .values_list("indicator__code", "year", "month", "kind", "value", "yoy_pct", "zone__name")
            .order_by(),
            key=str,
        ),
        sorted(Project.objects.filter(park=park).values_list("name", "phase", "progress_pct").order_by()),
        sorted(Enterprise.objects.filter(park=park).values_list("name", "stage").order_by()),
        sorted(
            InfrastructureWork.objects.filter(park=park).values_list("year", "name", "completed_quantity").order_by(),
            key=str,
        ),
        sorted(park.zones.values_list("name", flat=True)),
    )


class CommandTests(TestCase):
    def test_it_prints_the_counts_time_and_the_history_note(self):
        out = StringIO()
        call_command("generate_demo_data", "--parks", "1", "--seed", "2", stdout=out)
        text = out.getvalue()
        self.assertIn("indicator figures", text)
        self.assertIn("enterprises", text)
        self.assertRegex(text, r"in \d+\.\d s")
        self.assertIn("no change history", text)
        self.assertEqual(Park.objects.filter(is_demo=True).count(), 1)

    def test_verbosity_0_generates_without_a_word(self):
        out = StringIO()
        call_command("generate_demo_data", "--parks", "1", verbosity=0, stdout=out)
        call_command("generate_demo_data", "--clear", verbosity=0, stdout=out)
        self.assertEqual(out.getvalue(), "")
        self.assertFalse(Park.objects.filter(is_demo=True).exists())

    def test_scale_sets_the_number_of_parks(self):
        call_command("generate_demo_data", "--scale", "0.4", stdout=StringIO())
        self.assertEqual(Park.objects.filter(is_demo=True).count(), 1)

    def test_clear_deletes_the_demo_parks_and_generates_nothing(self):
        call_command("generate_demo_data", "--parks", "1", stdout=StringIO())
        out = StringIO()
        call_command("generate_demo_data", "--clear", stdout=out)
        self.assertFalse(Park.objects.filter(is_demo=True).exists())
        self.assertIn("Deleted 1 demo park", out.getvalue())

    def test_a_clash_with_a_real_park_is_a_command_error(self):
        Park.objects.create(code="demo-001", name="真实园区")
        with self.assertRaises(CommandError):
            call_command("generate_demo_data", "--parks", "1", stdout=StringIO())

    def test_it_rejects_a_scale_that_is_not_positive(self):
        with self.assertRaises(CommandError):
            call_command("generate_demo_data", "--scale", "0")

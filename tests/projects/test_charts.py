"""The projects-by-phase chart: no empty series, and a word where the register holds fewer projects than reported."""

from decimal import Decimal

from django.test import TestCase

from parkdash.projects.charts import phase_chart
from tests.support import EnglishTestCase, make_park, make_project


class PhaseChartTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        for i in range(5):
            make_project(cls.park, name=f"新开工项目{i}", phase="new_start")
        make_project(cls.park, name="续建项目", phase="continuing")

    def test_a_year_without_planned_counts_draws_no_empty_planned_series(self):
        chart = phase_chart(self.park, 2023, planned={})
        self.assertEqual([ds["label"] for ds in chart["datasets"]], ["In the project register"])

    def test_a_year_with_planned_counts_draws_them_beside_the_register(self):
        chart = phase_chart(self.park, 2024, planned={"projects_new_start": Decimal("24")})
        self.assertEqual([ds["label"] for ds in chart["datasets"]], ["Planned for 2024", "In the project register"])
        self.assertEqual(chart["datasets"][0]["data"], [None, 24.0, None, None])

    def test_the_chart_says_when_the_register_holds_fewer_projects_than_reported(self):
        chart = phase_chart(self.park, 2023, planned={}, reported={"projects_new_start": Decimal("30.0000")})
        self.assertEqual(chart["notes"], ["New start (新开工): the register holds 5 of the 30 reported."])
        self.assertIn("Reported for 2023", chart["table"]["columns"])

    def test_no_note_where_the_register_holds_as_many_as_reported(self):
        chart = phase_chart(self.park, 2023, planned={}, reported={"projects_new_start": 5, "projects_continuing": 1})
        self.assertEqual(chart["notes"], [])


class EmptyPhaseChartTests(TestCase):
    def test_a_park_without_projects_or_plans_has_a_sentence_and_no_table_of_zeros(self):
        chart = phase_chart(make_park(), 2023, planned={})
        self.assertTrue(chart["empty"])
        self.assertEqual(chart["table"]["rows"], [])

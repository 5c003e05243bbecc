"""The works chart: one work, or works without any progress, make a sentence instead of a chart."""

from parkdash.infrastructure.charts import works_chart
from tests.support import EnglishTestCase, make_park, make_work


class WorksChartTests(EnglishTestCase):
    def test_a_single_planned_work_is_a_sentence_not_a_one_bar_chart(self):
        park = make_park()
        make_work(park, name="桥梁(在建)", unit="座", planned_quantity=9, completed_quantity=0)
        make_work(park, name="填筑土石方", unit="万吨", planned_quantity=None, completed_quantity=1800)
        chart = works_chart(park, 2023)
        self.assertTrue(chart["empty"])
        self.assertEqual(chart["empty_text"], "桥梁(在建): 0 of 9 completed (0%).")  # 座 is a count: no unit in English
        self.assertEqual(len(chart["table"]["rows"]), 2)  # every work's quantities stay in the table

    def test_planned_works_without_progress_are_a_sentence_not_a_row_of_zeros(self):
        park = make_park()
        for i in range(3):
            make_work(park, name=f"道路{i}", planned_quantity=10, completed_quantity=None)
        chart = works_chart(park, 2023)
        self.assertTrue(chart["empty"])
        self.assertEqual(chart["empty_text"], "None of the 3 planned works has a completed quantity yet.")

    def test_works_with_progress_are_drawn(self):
        park = make_park()
        make_work(park, name="道路0", planned_quantity=10, completed_quantity=0)
        make_work(park, name="道路1", planned_quantity=10, completed_quantity=5)
        chart = works_chart(park, 2023)
        self.assertFalse(chart["empty"])
        self.assertEqual(chart["datasets"][0]["data"], [0.0, 50.0])

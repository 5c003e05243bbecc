"""What the history keeps of figures: the park-record battery (tests/support/batteries.py)."""

from decimal import Decimal

from parkdash.indicators.models import Figure
from tests.support import EnglishTestCase
from tests.support.batteries import HistoryChecks, records_of


class FigureHistoryTests(HistoryChecks, EnglishTestCase):
    model = Figure
    history_field = "value"
    history_values = (Decimal("20.75"), Decimal("0.3214"))
    history_change = {"entered_value": "3214", "entered_unit": "万元"}
    history_csv = (
        "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
        "固定资产投资,dongbu,,2023,10,实际,快报,{value},亿元,42.45,\n"
    )
    imported_values = ("20.75", "21")

    def add_form_values(self):
        return {
            "entered_value": "20.75",
            "entered_unit": "亿元",
            "indicator": self.fai.pk,
            "park": self.park.pk,
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "version": "final",
        }

    def test_a_record_imported_then_reimported_is_kept_with_who_before_and_after(self):
        figure = self.import_twice()
        self.assertEqual(records_of(Figure, figure.pk)[-1].source, "import")

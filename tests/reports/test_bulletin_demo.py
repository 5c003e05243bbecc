"""The bulletin of a demo city (three generated demo parks) against values worked out in the test itself from the
Figure rows: completion = actual ÷ target × 100, one decimal, half up; rank = 1 + the parks strictly better."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import unescape

from django.urls import reverse

from parkdash.demo import generator as demo
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park
from tests.support import EnglishTestCase, make_admin

TODAY = date(2025, 11, 15)  # actuals of 2025 through October
YEAR, MONTH = 2025, 10
# A running total, a lower-is-better rate and a stock.
CODES = ("fixed_asset_investment", "energy_per_output", "enterprises_above_size", "land_supplied")
ROW = re.compile(r"<tr>\s*<td class=\"key\"[^>]*>(?P<name>[^<]*)</td>(?P<cells>.*?)</tr>", re.S)
CELL = re.compile(r"<td class=\"num[^\"]*\"[^>]*>(?P<text>[^<]*)</td>")


class DemoCityBulletinTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        demo.generate(seed=3, parks=3, today=TODAY)
        cls.admin = make_admin()
        cls.parks = list(Park.objects.filter(is_demo=True))

    def expected(self):
        """{park name: [cell texts]} computed from the Figure rows, without the reports code."""
        rows = Figure.objects.filter(
            park__is_demo=True, indicator__code__in=CODES, zone__isnull=True, year=YEAR
        ).values_list("park__name_en", "indicator__code", "kind", "month", "value")
        targets, actuals = {}, {}
        for park, code, kind, month, value in rows:
            if kind == "target":
                targets[park, code] = value
            elif month == MONTH:
                actuals[park, code] = value
        higher = dict(Indicator.objects.filter(code__in=CODES).values_list("code", "higher_is_better"))
        names = [park.name_en for park in self.parks]  # an English page names a park in English
        completion = {
            (park, code): (actuals[park, code] / targets[park, code] * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
            for park in names
            for code in CODES
        }
        texts = {park: [] for park in names}
        for code in CODES:
            for park in names:
                mine = completion[park, code]
                if higher[code]:
                    better = sum(1 for other in names if completion[other, code] > mine)
                else:
                    better = sum(1 for other in names if completion[other, code] < mine)
                texts[park].append(f"{mine} ({better + 1})")
        return texts

    def test_every_cell_matches_the_figures(self):
        self.client.force_login(self.admin)
        response = self.client.get(
            reverse("reports:bulletin"), {"year": YEAR, "month": MONTH, "indicators": ",".join(CODES)}
        )
        self.assertEqual(response.status_code, 200)
        shown = {}
        for row in ROW.finditer(response.content.decode()):
            cells = [unescape(cell["text"]).strip() for cell in CELL.finditer(row["cells"])]
            shown[unescape(row["name"]).strip()] = cells[:-1]  # the last cell is the overall score
        self.assertEqual(shown, self.expected())
        self.assertEqual(len(shown), 3)

    def test_the_default_period_is_the_latest_month_with_actuals(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("reports:bulletin"))
        self.assertEqual((response.context["bulletin"].year, response.context["bulletin"].month), (YEAR, MONTH))
        self.assertEqual(len(response.context["columns"]), 6)

"""What the history keeps of infrastructure works: the park-record battery (tests/support/batteries.py)."""

from decimal import Decimal

from parkdash.infrastructure.models import InfrastructureWork
from tests.support import EnglishTestCase
from tests.support.batteries import HistoryChecks


class WorkHistoryTests(HistoryChecks, EnglishTestCase):
    model = InfrastructureWork
    history_field = "completed_quantity"
    history_values = (Decimal("56.5"), Decimal("58"))
    history_csv = (
        "park,zone,year,kind,name,unit,planned_quantity,completed_quantity,notes\n"
        "dongbu,,2023,道路路基,道路路基,公里,60,{value},\n"
    )
    imported_values = ("56.5", "58")

    def add_form_values(self):
        return {
            "park": self.park.pk,
            "year": 2023,
            "kind": "road_base",
            "name": "道路路基",
            "unit": "公里",
            "planned_quantity": "60",
            "completed_quantity": "56.5",
        }

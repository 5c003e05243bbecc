"""What the history keeps of enterprises: the park-record battery (tests/support/batteries.py)."""

from decimal import Decimal

from parkdash.enterprises.models import Enterprise
from tests.support import EnglishTestCase
from tests.support.batteries import HistoryChecks


class EnterpriseHistoryTests(HistoryChecks, EnglishTestCase):
    model = Enterprise
    history_field = "land_area_mu"
    history_values = (Decimal("643"), Decimal("650"))
    history_csv = "park,zone,name,industry,stage,land_area_mu\ndongbu,,浙江爱仕达电器,家电,意向,{value}\n"
    imported_values = ("643", "650")

    def add_form_values(self):
        return {"park": self.park.pk, "name": "浙江爱仕达电器", "stage": "intent", "land_area_mu": "643"}

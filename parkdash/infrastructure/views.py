from django.utils.translation import gettext_lazy as _

from parkdash.parks.views import UNSHOWN, ParkRecordListView

from .filters import WorkFilterSet
from .models import InfrastructureWork
from .tables import WorkTable


class WorkListView(ParkRecordListView):
    queryset = InfrastructureWork.objects.select_related("park", "zone").defer(*UNSHOWN, "source_quote", "notes")
    table_class = WorkTable
    filterset_class = WorkFilterSet
    title = _("Infrastructure works")

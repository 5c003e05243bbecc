from django.utils.translation import gettext_lazy as _

from parkdash.core.views import ObjectListView

from .filters import WorkFilterSet
from .models import InfrastructureWork
from .tables import WorkTable


class WorkListView(ObjectListView):
    queryset = InfrastructureWork.objects.select_related("park", "zone")
    table_class = WorkTable
    filterset_class = WorkFilterSet
    title = _("Infrastructure works")

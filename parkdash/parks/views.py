"""The generic views of park records: a list and a detail page, each showing only the user's parks' records."""

from django.views.generic import DetailView

from parkdash.core.views import ObjectListView, ReadAccessMixin

from .scoping import scope


class ParkScopedMixin(ReadAccessMixin):
    """Read access to the records of the parks the user may see; any other record does not exist (404)."""

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user)


class ParkRecordListView(ParkScopedMixin, ObjectListView):
    """A park record's table: set ``queryset``, ``table_class``, ``filterset_class`` and ``title``."""


class ParkRecordDetailView(ParkScopedMixin, DetailView):
    """A park record's page (generic/park_record_detail.html): its fields as ``fieldsets``, its history, and
    ``related`` tables a subclass adds in ``get_related()``."""

    template_name = "generic/park_record_detail.html"
    fieldsets = ()
    history_rows = 50

    def get_related(self):
        """Extra context for the page (a project's dated updates …)."""
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.get_related())
        context["history"] = self.object.history.select_related("history_user")[: self.history_rows]
        return context

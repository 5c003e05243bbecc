"""The endpoints of /api/v1/: every list and detail scoped to the user's parks by parkdash.parks.scoping.scope
(another park's record is a 404, as on the pages)."""

import math

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.parks.scoping import scope
from parkdash.projects.models import Project

from . import filters, schema, serializers


class Throttled(exceptions.Throttled):
    """A 429 whose message says when to try again, in the user's language (Retry-After says it to programs)."""

    default_detail = _("Too many requests.")

    def __init__(self, wait=None):
        super().__init__(wait)
        if wait is not None:
            message = gettext("Too many requests: try again in %(seconds)s s.") % {"seconds": math.ceil(wait)}
            self.detail = exceptions.ErrorDetail(message, code=self.default_code)


class APIMixin:
    # What every endpoint shares: requests counted before the permission check (an anonymous request refused with
    # 401 counts against its address too), translated 429s; the park scope is each view's get_queryset. (No
    # docstring: the OpenAPI schema would show it as every endpoint's description.)

    throttles_checked = False

    def check_permissions(self, request):
        self.check_throttles(request)
        self.throttles_checked = True  # DRF's initial() checks them after the permissions: once is enough
        super().check_permissions(request)

    def check_throttles(self, request):
        if not self.throttles_checked:
            super().check_throttles(request)

    def throttled(self, request, wait):
        raise Throttled(wait)


def documented(serializer, list_summary, detail_summary):
    """The OpenAPI description of a read endpoint: its list and its detail, with their answers and errors."""
    return extend_schema_view(
        list=extend_schema(summary=list_summary, responses=schema.listing(serializer)),
        retrieve=extend_schema(summary=detail_summary, responses=schema.detail(serializer)),
    )


def scoped(request, queryset, path="park"):
    return scope(queryset, request.user, path)


@documented(serializers.IndicatorSerializer, "List the indicators (the catalogue)", "One indicator")
class IndicatorViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """The indicator catalogue: the same for every user."""

    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    queryset = Indicator.objects.order_by("sort_order", "code", "id")


@documented(serializers.ParkSerializer, "List the parks the user may see", "One park")
class ParkViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """The parks the user may see (the city level sees every park), each with its zones."""

    serializer_class = serializers.ParkSerializer

    def get_queryset(self):
        return scoped(self.request, Park.objects.prefetch_related("zones").order_by("is_demo", "name", "id"), "")


@documented(serializers.ZoneSerializer, "List the zones of the parks the user may see", "One zone")
class ZoneViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    """The zones of the parks the user may see; `park` filters by the park's code."""

    serializer_class = serializers.ZoneSerializer
    filterset_class = filters.ZoneFilter

    def get_queryset(self):
        return scoped(self.request, Zone.objects.select_related("park").order_by("park_id", "name", "id"))


class ParkRecordViewSet(APIMixin, viewsets.ReadOnlyModelViewSet):
    # A park's records: only the parks the user may see; another park's record is a 404.
    model = None

    def get_queryset(self):
        ordering = [*self.model._meta.ordering, "id"]
        return scoped(self.request, self.model.objects.select_related("park", "zone").order_by(*ordering))


@documented(serializers.ProjectSerializer, "List projects", "One project")
class ProjectViewSet(ParkRecordViewSet):
    """Construction projects of the parks the user may see; amounts in 万元 (`investment_unit`)."""

    model = Project
    serializer_class = serializers.ProjectSerializer
    filterset_class = filters.ProjectFilter


@documented(serializers.EnterpriseSerializer, "List enterprises", "One enterprise")
class EnterpriseViewSet(ParkRecordViewSet):
    """Enterprises in the pipeline (意向 → 投产) of the parks the user may see; land in 亩, investment in 万元."""

    model = Enterprise
    serializer_class = serializers.EnterpriseSerializer
    filterset_class = filters.EnterpriseFilter


@documented(serializers.WorkSerializer, "List infrastructure works", "One infrastructure work")
class WorkViewSet(ParkRecordViewSet):
    """Infrastructure works (planned and completed quantities, in `unit`) of the parks the user may see."""

    model = InfrastructureWork
    serializer_class = serializers.WorkSerializer
    filterset_class = filters.WorkFilter

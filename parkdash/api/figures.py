"""/api/v1/figures/: read (pages, or the changes after a cursor) and write figures.

Every write goes through parkdash.indicators.entry, which validates and saves exactly as the admin's figure form
(units, bounds, plausibility warnings, history, the revision check): nothing is validated here. The answers:
created 201; updated or unchanged 200; invalid 400 ``{field: [messages]}``; plausibility warnings not confirmed
400 ``{"warnings": [{"code", "message"}], "detail"}``; a stale revision 409 with what changed and the figure now.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from parkdash.indicators import changes, entry
from parkdash.indicators.choices import Source
from parkdash.indicators.models import Figure, FigureTombstone
from parkdash.parks.scoping import scope

from . import filters, schema, serializers
from .pagination import positive_integer
from .permissions import ModelPermission, ReadAccess
from .views import ParkRecordViewSet

CHANGED_SINCE = "changed_since"
# The filters of a figure and the tombstone field each one reads (a deleted figure keeps plain values).
TOMBSTONE_FILTERS = {
    "park": "park_code",
    "zone": "zone_name",
    "indicator": "indicator_code",
    "year": "year",
    "month": "month",
    "kind": "kind",
    "version": "version",
}

WRITE_ERRORS = {
    400: OpenApiResponse(
        response=OpenApiTypes.OBJECT,
        description=(
            "Invalid: {field: [messages]} (non_field_errors for the rest); or plausibility warnings not confirmed: "
            '{"warnings": [{"code", "message"}], "detail"}, nothing saved.'
        ),
        examples=[
            OpenApiExample("invalid", value={"entered_unit": ["“吨” does not fit 亿元 …"]}, status_codes=["400"]),
            OpenApiExample(
                "warnings",
                value={
                    "warnings": [{"code": "jump", "message": "10× the month before …"}],
                    "detail": "Nothing was saved. If the figures are right, send them again with jump in "
                    "“confirm_warnings” …",
                },
                status_codes=["400"],
            ),
        ],
    ),
    401: schema.NOT_AUTHENTICATED,
    403: schema.error("The user may not add, change or delete figures (or, for a session, no CSRF token)."),
    429: schema.THROTTLED,
}


def warning_rows(warnings):
    return [{"code": str(warning.code), "message": str(warning.message)} for warning in warnings]


def figure_data(figure):
    figure = Figure.objects.select_related("indicator", "park", "zone").get(pk=figure.pk)
    return serializers.FigureSerializer(figure).data


def deleted_data(tombstone):
    return {
        "id": tombstone.figure_id,
        "deleted": True,
        "indicator": tombstone.indicator_code,
        "park": tombstone.park_code,
        "zone": tombstone.zone_name,
        "year": tombstone.year,
        "month": tombstone.month,
        "kind": tombstone.kind,
        "version": tombstone.version,
    }


def answer(result, instance=None):
    """The HTTP answer to one entry.EntryResult (``instance``: the figure an update was for)."""
    if result.status == entry.CREATED:
        return Response(figure_data(result.figure), status=status.HTTP_201_CREATED)
    if result.status in (entry.UPDATED, entry.UNCHANGED):
        return Response(figure_data(result.figure))
    if result.status == entry.WARNINGS:
        messages = result.errors.get("confirm_warnings") or [""]
        return Response(
            {"warnings": warning_rows(result.warnings), "detail": messages[-1]}, status=status.HTTP_400_BAD_REQUEST
        )
    if result.status == entry.CONFLICT:
        detail = " ".join(message for messages in result.errors.values() for message in messages)
        body = {"detail": detail, "errors": result.errors}
        if instance is not None:
            body["current"] = figure_data(instance)  # as stored now, by the other save
        return Response(body, status=status.HTTP_409_CONFLICT)
    return Response(result.errors, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="List figures, or the changes after a cursor",
        parameters=[
            OpenApiParameter(
                CHANGED_SINCE,
                str,
                description=(
                    "The changes after this cursor, in feed order (empty or 0: from the beginning), instead of "
                    "pages: results (figures, and deleted figures as {id, deleted: true, natural key}), cursor "
                    "(pass it back next time) and more (true: ask again at once). page_size bounds the changes "
                    "one answer gives."
                ),
            )
        ],
        responses={200: serializers.FigureListAnswerSerializer, 400: schema.BAD_REQUEST, **schema.READ_ERRORS},
    ),
    retrieve=extend_schema(summary="One figure", responses=schema.detail(serializers.FigureSerializer)),
    create=extend_schema(
        summary="Create a figure",
        request=serializers.FigureInputSerializer,
        responses={201: serializers.FigureSerializer, **WRITE_ERRORS},
    ),
    update=extend_schema(
        summary="Update a figure (every field)",
        request=serializers.FigureInputSerializer,
        responses={
            200: serializers.FigureSerializer,
            **WRITE_ERRORS,
            404: schema.NOT_FOUND,
            409: OpenApiResponse(serializers.ConflictAnswerSerializer, description="Changed since the revision sent."),
        },
    ),
    partial_update=extend_schema(
        summary="Update some fields of a figure",
        request=serializers.FigureInputSerializer(partial=True),
        responses={
            200: serializers.FigureSerializer,
            **WRITE_ERRORS,
            404: schema.NOT_FOUND,
            409: OpenApiResponse(serializers.ConflictAnswerSerializer, description="Changed since the revision sent."),
        },
    ),
    destroy=extend_schema(
        summary="Delete a figure",
        responses={
            204: None,
            401: schema.NOT_AUTHENTICATED,
            403: WRITE_ERRORS[403],
            404: schema.NOT_FOUND,
            429: schema.THROTTLED,
        },
    ),
)
class FigureViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, ParkRecordViewSet):
    """Figures of the parks the user may see: annual targets and actuals cumulative from January through `month`,
    in a version (estimate 预计, preliminary 快报, final 正式). `value` is in the indicator's unit (`unit`);
    `entered_value` and `entered_unit` are what was typed. Filter by natural keys: `park` (code), `zone` (name),
    `indicator` (code)."""

    model = write_model = Figure
    serializer_class = serializers.FigureSerializer
    filterset_class = filters.FigureFilter
    permission_classes = [ReadAccess, ModelPermission]

    def get_queryset(self):
        return super().get_queryset().select_related("indicator")

    # ---- reading -------------------------------------------------------------------------------------------

    def list(self, request, *args, **kwargs):
        if CHANGED_SINCE in request.query_params:
            return self.changes(request)
        return super().list(request, *args, **kwargs)

    def changes(self, request):
        """The changes after the cursor ``changed_since`` (parkdash.indicators.changes)."""
        cursor = request.query_params.get(CHANGED_SINCE)
        cursor = None if cursor in ("", "0") else cursor
        limit = positive_integer(request, "page_size") or settings.PARKDASH_API_PAGE_SIZE
        if limit > settings.PARKDASH_API_MAX_PAGE_SIZE:
            raise ValidationError(
                {"page_size": [gettext("At most %(max)s.") % {"max": settings.PARKDASH_API_MAX_PAGE_SIZE}]}
            )
        figures = self.filter_queryset(self.get_queryset()).order_by()
        filterset = self.filterset_class(request.query_params, queryset=Figure.objects.none(), request=request)
        filterset.is_valid()  # filter_queryset above raised for an invalid one
        tombstones = scope(FigureTombstone.objects.all(), request.user, "park_id")
        for name, value in filterset.form.cleaned_data.items():
            if value not in (None, ""):
                tombstones = tombstones.filter(**{TOMBSTONE_FILTERS[name]: value})
        try:
            page = changes.feed(figures, tombstones, cursor, limit)
        except changes.InvalidCursor as error:
            raise ValidationError({CHANGED_SINCE: [str(error)]}) from None
        results = [
            deleted_data(item) if isinstance(item, FigureTombstone) else serializers.FigureSerializer(item).data
            for item in page.items
        ]
        return Response({"results": results, "cursor": page.cursor, "more": page.more})

    # ---- writing (parkdash.indicators.entry) ---------------------------------------------------------------

    def create(self, request, *args, **kwargs):
        return answer(entry.enter_figure(request.user, request.data, source=Source.API))

    def update(self, request, *args, partial=False, **kwargs):
        figure = self.get_object()
        return answer(
            entry.enter_figure(request.user, request.data, instance=figure, partial=partial, source=Source.API), figure
        )

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()

    @extend_schema(
        summary="Create or update up to 1,000 figures in one transaction",
        description=(
            "Each figure is created or updated by its natural key (indicator, park, zone, year, month, kind, "
            "version); sending the same figures again changes nothing (unchanged). All or nothing: when any figure "
            "is refused, nothing is written and the answer is 400 with every item's status, the refused ones with "
            "their errors or warnings."
        ),
        request=serializers.BulkInputSerializer,
        responses={
            200: serializers.BulkAnswerSerializer,
            400: OpenApiResponse(
                serializers.BulkRefusalSerializer,
                description="Nothing written: the items refused, with their errors or warnings; or too many figures.",
            ),
            401: schema.NOT_AUTHENTICATED,
            403: WRITE_ERRORS[403],
            429: schema.THROTTLED,
        },
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request):
        data = request.data
        figures = data.get("figures") if isinstance(data, dict) else None
        if not isinstance(figures, list):
            raise ValidationError({"figures": [gettext('A list of figures is expected: {"figures": [...]}.')]})
        most = settings.PARKDASH_API_BULK_MAX
        if len(figures) > most:
            raise ValidationError(
                {
                    "figures": [
                        gettext("At most %(max)s figures in one request; this one has %(count)s.")
                        % {"max": most, "count": len(figures)}
                    ]
                }
            )
        result = entry.upsert_figures(request.user, figures, source=Source.API)
        items = []
        for index, item in enumerate(result.items):
            row = {"index": index, "status": item.status, "id": item.figure.pk if item.figure is not None else None}
            if item.errors and item.status != entry.WARNINGS:
                row["errors"] = item.errors
            if item.status == entry.WARNINGS:
                row["warnings"] = warning_rows(item.warnings)
                row["errors"] = item.errors
            items.append(row)
        if not result.ok:
            detail = gettext("Nothing was saved: %(count)s of the figures were refused (see their items).") % {
                "count": sum(1 for item in result.items if item.status not in entry.SAVED)
            }
            return Response({"detail": detail, "items": items}, status=status.HTTP_400_BAD_REQUEST)
        counts = {name: sum(1 for item in result.items if item.status == name) for name in entry.SAVED}
        return Response({**counts, "items": items})

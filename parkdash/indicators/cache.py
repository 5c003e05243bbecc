"""What the dashboard pages read of the indicators and figures, cached by the data versions (parkdash.parks.versions):
the catalogue (every indicator, as rows), a park's latest figures of a year, the years a park has figures for.

Cached values are plain rows and dicts; Indicator instances are made again from the rows on each request
(``Model.from_db``, as a query would).
"""

from parkdash.parks import versions

from .cards import indicator_cards, latest_figures
from .models import Figure, Indicator

INDICATOR_FIELDS = [f.attname for f in Indicator._meta.concrete_fields]


def _catalogue_rows(request):
    epoch, catalogue = versions.for_request(request).get(versions.CATALOGUE)
    return versions.cached(
        "catalogue",
        (epoch, catalogue),
        (),
        lambda: list(Indicator.objects.order_by(*Indicator._meta.ordering).values_list(*INDICATOR_FIELDS)),
    )


def catalogue(request):
    """Every indicator, in catalogue order (Indicator instances made from the cached rows)."""
    db = Indicator.objects.all().db
    return [Indicator.from_db(db, INDICATOR_FIELDS, row) for row in _catalogue_rows(request)]


def indicator_units(request):
    """``{str(indicator id): unit}`` of every indicator, in catalogue order, as the figure form's unit list needs."""
    pk_at, unit_at = INDICATOR_FIELDS.index("id"), INDICATOR_FIELDS.index("unit")
    return {str(row[pk_at]): row[unit_at] for row in _catalogue_rows(request)}


def is_every_indicator(queryset):
    """True when ``queryset`` is every indicator in catalogue order, as the cached catalogue has them: no filter, no
    slice, no order of its own."""
    query = queryset.query
    return (
        queryset.model is Indicator
        and not query.has_filters()
        and not query.is_sliced
        and not query.order_by
        and not query.distinct
        and not query.extra
        and queryset.db == Indicator.objects.all().db
    )


def indicator_by_code(request, code):
    """The indicator ``code``, or None."""
    code_at = INDICATOR_FIELDS.index("code")
    row = next((r for r in _catalogue_rows(request) if r[code_at] == code), None)
    return Indicator.from_db(Indicator.objects.all().db, INDICATOR_FIELDS, row) if row is not None else None


def indicator_by_pk(request, pk):
    """The indicator whose id is ``pk`` (an int), or None."""
    pk_at = INDICATOR_FIELDS.index("id")
    row = next((r for r in _catalogue_rows(request) if r[pk_at] == pk), None)
    return Indicator.from_db(Indicator.objects.all().db, INDICATOR_FIELDS, row) if row is not None else None


def park_versions(request, park):
    """(epoch, catalogue, park) versions: what a value computed from the park's data and the catalogue depends on."""
    return versions.for_request(request).get(versions.CATALOGUE, versions.park_key(park.pk))


def latest(request, park, year):
    """:func:`.cards.latest_figures` of the whole park, cached."""
    epoch, _catalogue, park_version = park_versions(request, park)
    return versions.cached("latest", (epoch, park_version), (park.pk, year), lambda: latest_figures(park, year))


def cards(request, park, year):
    """:func:`.cards.indicator_cards` from the cached latest figures and catalogue."""
    figures = latest(request, park, year)
    shown = [i for i in catalogue(request) if i.pk in figures]
    return indicator_cards(park, year, indicators=shown, latest=figures)


def year_kinds(request, park):
    """The (year, kind) pairs the park has figures for, cached."""
    (epoch, park_version) = versions.for_request(request).get(versions.park_key(park.pk))
    return versions.cached(
        "year-kinds",
        (epoch, park_version),
        (park.pk,),
        lambda: list(Figure.objects.filter(park=park).order_by().values_list("year", "kind").distinct()),
    )


def indicator_choices(request):
    """``[(code, name)]`` of every indicator in catalogue order, the name in the active language (``str()`` of the
    Indicator, as a ModelChoiceField labels it): the figure filter's list, cached."""
    epoch, catalogue_version = versions.for_request(request).get(versions.CATALOGUE)
    return versions.cached(
        "indicator-choices",
        (epoch, catalogue_version),
        (versions.language(),),
        lambda: [(indicator.code, str(indicator)) for indicator in catalogue(request)],
    )

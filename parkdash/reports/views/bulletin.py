"""The city bulletin (通报) page and its XLSX: ``/reports/bulletin/?year=…&month=…&indicators=…[&sort=…]``.

For a user who sees several parks; the bulletin compares the parks the user may see, and only those. A stray
``?park=`` is ignored (a link from a park's report may carry one): the bulletin is never of one park. Bad
parameters (month 13, year "abc", an unknown indicator, a sort that is not a column, an unknown ``_export``) are
answered with a 400 page that says what was wrong.
"""

import re

from django.core.exceptions import BadRequest
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from parkdash.core.numbers import format_quantity
from parkdash.core.periods import cumulative_label, period_label
from parkdash.core.views import ReadAccessMixin
from parkdash.indicators.models import Indicator
from parkdash.parks.scoping import sees_all_parks, visible_parks

from .. import bulletin as computation
from .. import xlsx
from ..params import MONTHS, read_period

EXPORTS = ("xlsx",)
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


def listing(items) -> str:
    """Names as a list: "a, b, c" in English, "a、b、c" in Chinese."""
    text = ""
    for item in items:
        text = _("%(list)s, %(item)s") % {"list": text, "item": item} if text else str(item)
    return text


def completion_text(value) -> str:
    """A completion as the bulletin shows it: always one decimal (86.5, 100.0), thousands grouped."""
    return f"{value:,.1f}"


def cell_text(cell) -> str:
    """The text of a cell: "86.5（2）" / "86.5 (2)"; "-" without a target, "-*" with a target but no actual."""
    if cell.completion is None:
        return "-*" if cell.missing == computation.NO_ACTUAL else "-"
    return _("%(completion)s (%(rank)s)") % {"completion": completion_text(cell.completion), "rank": cell.rank}


def overall_text(row, bulletin) -> dict:
    """The overall cell: "2.33（1）" and what it means, or "-" for a park ranked on too few indicators."""
    if row.score_rank is None:
        return {
            "text": "-",
            "title": _("Ranked on %(ranked)s of %(columns)s indicators: fewer than %(needed)s, so no overall rank")
            % {"ranked": row.ranked, "columns": len(bulletin.indicators), "needed": bulletin.min_ranked},
        }
    return {
        "text": _("%(completion)s (%(rank)s)") % {"completion": row.score, "rank": row.score_rank},
        "title": _("Mean rank %(score)s over %(ranked)s indicators; overall rank %(rank)s")
        % {"score": row.score, "ranked": row.ranked, "rank": row.score_rank},
    }


def cell_title(cell, year, month) -> str:
    """What a cell stands for, in words (its tooltip): the actual against the target and the status, or why
    there is none."""
    indicator, row = cell.indicator, cell.row
    target = format_quantity(row.target_value, indicator.unit, indicator.display_unit or None)
    if cell.missing == computation.NO_TARGET:
        return _("No target for %(year)s") % {"year": year}
    if cell.missing == computation.NO_ACTUAL:
        return _("A target of %(target)s, but no actual figure yet (%(period)s)") % {
            "target": target,
            "period": cumulative_label(month),
        }
    actual = format_quantity(row.actual_value, indicator.unit, indicator.display_unit or None)
    return _("%(actual)s of an annual target of %(target)s · %(status)s") % {
        "actual": actual,
        "target": target,
        "status": row.progress.label,
    }


def read_indicators(request) -> list[Indicator] | None:
    """The indicators of ``?indicators=`` (codes separated by commas, or the parameter repeated), in the order
    given; None when left out or empty. BadRequest naming the codes that are not indicators."""
    codes: list[str] = []
    for raw in request.GET.getlist("indicators"):
        for code in CODE_SEPARATORS.split(raw):
            if code and code not in codes:
                codes.append(code)
    if not codes:
        return None
    found = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=codes)}
    unknown = [code for code in codes if code not in found]
    if unknown:
        raise BadRequest(
            ngettext(
                "Unknown indicator code: %(codes)s. Choose the indicators with the boxes on the page.",
                "Unknown indicator codes: %(codes)s. Choose the indicators with the boxes on the page.",
                len(unknown),
            )
            % {"codes": ", ".join("“{}”".format(code[:40]) for code in unknown[:10])}
        )
    return [found[code] for code in codes]


def read_sort(request, indicators) -> str:
    """``?sort=``: empty or ``overall`` for the overall rank, else the code of one of the bulletin's indicators."""
    raw = (request.GET.get("sort") or "").strip()
    if raw in ("", computation.OVERALL):
        return computation.OVERALL
    if raw not in {indicator.code for indicator in indicators}:
        raise BadRequest(
            _(
                "The bulletin cannot be sorted by “%(sort)s”: sort by the overall rank or by one of its columns "
                "(%(codes)s)."
            )
            % {"sort": raw[:40], "codes": ", ".join(indicator.code for indicator in indicators)}
        )
    return raw


class BulletinView(ReadAccessMixin, TemplateView):
    """Parks as rows, key indicators as columns: completion of the annual target with the rank in brackets."""

    template_name = "reports/bulletin.html"
    http_method_names = ["get", "head", "options"]  # a POST answers 405

    def get(self, request, *args, **kwargs):
        parks = self.parks = list(visible_parks(request.user))
        several = sees_all_parks(request.user) or len(parks) > 1
        context = {"title": _("City bulletin"), "sees_several_parks": several}
        if not several:
            park = parks[0] if parks else None
            return self.render_to_response(
                {**context, "one_park": True, "park": park, "park_label": park.display_name if park else ""}
            )
        try:
            fmt = request.GET.get("_export")
            if fmt is not None and fmt not in EXPORTS:
                raise BadRequest(_("Unknown export format “%(format)s”. Use xlsx.") % {"format": fmt[:20]})
            period = read_period(request, parks)
            counts = computation.targets_by_indicator(parks, period.year)
            indicators = read_indicators(request)
            if indicators is None:
                indicators = computation.default_indicators(counts)
            sort = read_sort(request, indicators)
        except BadRequest as error:
            return self.render_to_response({**context, "error": str(error)}, status=400)
        bulletin = computation.build(parks, period.year, period.month, indicators, sort, counts)
        texts = self.texts(bulletin)
        if fmt == "xlsx":
            return self.xlsx(bulletin, texts)
        context.update(self.page_context(bulletin, period, counts, texts))
        return self.render_to_response(context)

    # ---- what the page and the file say -----------------------------------------------------------------------

    def texts(self, bulletin) -> dict:
        """The title, the table's rows as texts and the notes, in the user's language: the page and the file say
        the same."""
        year, month = bulletin.year, bulletin.month
        rows = []
        for row in bulletin.rows:
            cells = [
                {
                    "cell": cell,
                    "text": cell_text(cell),
                    "title": cell_title(cell, year, month),
                    "status": cell.status,
                }
                for cell in row.cells
            ]
            rows.append(
                {"row": row, "name": row.park.display_name, "cells": cells, "overall": overall_text(row, bulletin)}
            )
        return {
            "title": _("Completion of the main indicators by park, %(period)s") % {"period": period_label(year, month)},
            "rows": rows,
            "notes": self.notes(bulletin),
        }

    def notes(self, bulletin) -> list[str]:
        if not bulletin.indicators:
            return []
        year, month = bulletin.year, bulletin.month
        period = cumulative_label(month)
        names = listing
        notes = [
            _(
                "Each cell: the cumulative actual (%(period)s) as a percentage of the park's annual target for "
                "%(year)s, to one decimal; in brackets, the park's rank among the parks with both a target and an "
                "actual. Parks are compared on the percentage as shown: equal percentages share a rank, and the next "
                "rank skips (1, 2, 2, 4)."
            )
            % {"period": period, "year": year},
            _(
                "Overall: the mean of a park's ranks over the indicators it is ranked on (two decimals), the lower the "
                "better. Every indicator weighs the same whatever its scale, one very high completion of a small "
                "target cannot carry a park, and an indicator where lower is better counts the right way round. A "
                "park ranked on fewer than %(needed)s of the %(columns)s indicators has no overall rank and is "
                "listed last."
            )
            % {"needed": bulletin.min_ranked, "columns": len(bulletin.indicators)},
        ]
        if bulletin.direct:
            notes.append(
                _(
                    "%(names)s: a stock or a rate, ranked like the others on the completion of its target (its level "
                    "as a percentage of the target, with no time-elapsed pace)."
                )
                % {"names": names(i.display_name for i in bulletin.direct)}
            )
        if bulletin.lower_is_better:
            notes.append(
                _("%(names)s: lower is better, so the lower percentage ranks first.")
                % {"names": names(i.display_name for i in bulletin.lower_is_better)}
            )
        missing = bulletin.missing
        if missing[computation.NO_TARGET]:
            notes.append(
                _("“-”: no target for %(year)s: %(cells)s.")
                % {"year": year, "cells": self.missing_cells(missing[computation.NO_TARGET])}
            )
        if missing[computation.NO_ACTUAL]:
            notes.append(
                _("“-*”: a target for %(year)s, but no actual figure yet (%(period)s): %(cells)s.")
                % {"year": year, "period": period, "cells": self.missing_cells(missing[computation.NO_ACTUAL])}
            )
        return notes

    @staticmethod
    def missing_cells(pairs) -> str:
        """ "park (indicator, indicator); park (indicator)", grouped by park in the rows' order."""
        by_park: dict = {}
        for row, cell in pairs:
            by_park.setdefault(row.park.pk, (row.park, []))[1].append(cell.indicator.display_name)
        text = ""
        for park, names in by_park.values():
            item = _("%(park)s (%(indicators)s)") % {"park": park.display_name, "indicators": listing(names)}
            text = _("%(list)s; %(item)s") % {"list": text, "item": item} if text else item
        return text

    def page_context(self, bulletin, period, counts, texts) -> dict:
        query = self.request.GET.copy()
        for name in ("_export", "park"):
            query.pop(name, None)
        query["year"], query["month"] = str(bulletin.year), str(bulletin.month)
        query.setlist("indicators", [",".join(i.code for i in bulletin.indicators)])
        columns = []
        for indicator in bulletin.indicators:
            by = query.copy()
            by["sort"] = indicator.code
            columns.append(
                {
                    "indicator": indicator,
                    "sort_url": "?" + by.urlencode(),
                    "sorted": bulletin.sort == indicator.code,
                    "parks": counts.get(indicator.pk, 0),
                }
            )
        overall = query.copy()
        overall.pop("sort", None)
        export = query.copy()
        export["_export"] = "xlsx"
        chosen = {indicator.pk for indicator in bulletin.indicators}
        choices = list(Indicator.objects.filter(pk__in=set(counts) | chosen))
        park = self.request.GET.get("park", "")
        report_query = QueryDict(mutable=True)
        if park and any(str(p.pk) == park or p.code == park for p in self.parks):
            report_query["park"] = park
        report_query["year"], report_query["month"] = str(bulletin.year), str(bulletin.month)
        return {
            "bulletin": bulletin,
            "report_title": texts["title"],
            "rows": texts["rows"],
            "notes": texts["notes"],
            "columns": columns,
            "overall_url": "?" + overall.urlencode(),
            "export_url": "?" + export.urlencode(),
            "period": period,
            "months": [(month, cumulative_label(month)) for month in MONTHS],
            "years": sorted(set(period.years) | {bulletin.year}, reverse=True),
            "choices": [{"indicator": i, "parks": counts.get(i.pk, 0), "checked": i.pk in chosen} for i in choices],
            "report_query": report_query.urlencode(),
            "park_count": len(bulletin.rows),
        }

    def xlsx(self, bulletin, texts) -> HttpResponse:
        workbook = xlsx.bulletin_workbook(bulletin, texts, timezone.localdate())
        stem = "{}-{}-{:02d}".format(_("City bulletin"), bulletin.year, bulletin.month)
        fallback = "bulletin-{}-{:02d}".format(bulletin.year, bulletin.month)
        return xlsx.workbook_response(workbook, stem, fallback)

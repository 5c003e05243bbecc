"""The completion table (主要经济指标完成情况表) of a park at a month: on screen, on paper (a print stylesheet) and
as an XLSX laid out like the official form (``?_export=xlsx``).

Every number comes from :func:`parkdash.reports.completion.completion_rows` (one query for the figures); this
module only chooses how each line is shown: the unit its target and actual are read in (one unit per line), the
words for ahead or behind, and where each number links to.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from parkdash.core import units
from parkdash.core.numbers import DASH, english, format_number, series_unit, unit_label
from parkdash.core.periods import cumulative_label, period_label
from parkdash.core.progress import ONE_DECIMAL, Status
from parkdash.core.views import ReadAccessMixin

from ..completion import CompletionRow, completion_rows
from ..params import read_park, read_period
from . import bad_request, period_form_context

EXPORTS = ("xlsx",)
CHANGE_FIGURE = "indicators.change_figure"
ADD_FIGURE = "indicators.add_figure"


def one_decimal(value: Decimal | None) -> str:
    """A percentage of the table as the forms write it, always one decimal (81.0, 83.3), thousands grouped; — for
    none. The % is in the column's heading."""
    if value is None:
        return DASH
    try:
        number = Decimal(value)
        rounded = number.quantize(ONE_DECIMAL, ROUND_HALF_UP, context=Context(prec=max(28, number.adjusted() + 3)))
    except (ArithmeticError, TypeError, ValueError):
        return format_number(value, rounded=True)
    return "{:,.1f}".format(abs(rounded) if rounded == 0 else rounded)


def gap_words(gap: Decimal | None) -> str:
    """The gap to 序时进度 in words: "超3.2个百分点" / "3.2 points ahead"; "" for none."""
    if gap is None:
        return ""
    points = one_decimal(abs(gap))
    if gap > 0:
        return _("%(points)s points ahead") % {"points": points}
    if gap < 0:
        return _("%(points)s points behind") % {"points": points}
    return _("On pace")


@dataclass
class Line:
    """One line of the table as it is shown: the row's numbers, the unit its target and actual are read in, and the
    links to the figures they came from."""

    row: CompletionRow
    unit: str  # the unit symbol the target and the actual are both shown in (亿元, 万元, 亩 …)
    actual: Decimal | None  # in ``unit``
    target: Decimal | None  # in ``unit``
    actual_url: str = ""
    target_url: str = ""

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def unit_label(self) -> str:
        """The unit in the active language (亿元 / 100M yuan; "" for a count in English)."""
        return unit_label(self.unit)

    @property
    def yoy(self) -> Decimal | None:
        return self.row.yoy_pct

    @cached_property
    def completion(self) -> Decimal | None:
        return self.row.completion

    @cached_property
    def expected(self) -> Decimal | None:
        return self.row.expected

    @cached_property
    def gap(self) -> Decimal | None:
        return self.row.gap

    @cached_property
    def paced(self) -> bool:
        return self.row.progress.paced

    @cached_property
    def status(self) -> str:
        return self.row.progress.status

    @cached_property
    def judged(self) -> bool:
        """True when the actual can be judged: a target and an actual (the status has a colour)."""
        return self.status not in (Status.NO_TARGET, Status.NO_ACTUAL)

    @cached_property
    def status_label(self) -> str:
        return str(self.row.progress.label)

    @cached_property
    def gap_words(self) -> str:
        return gap_words(self.gap)

    @cached_property
    def completion_text(self) -> str:
        return one_decimal(self.completion)

    @cached_property
    def expected_text(self) -> str:
        return one_decimal(self.expected)


def shown_unit(row: CompletionRow) -> str:
    """The one unit a line's target and actual are both read in: the one the larger of the two reads in (money in
    万元 below one 亿, in 亿元 from there; the indicator's display unit when it has one)."""
    indicator = row.indicator
    if not indicator.unit:
        return ""
    try:
        return series_unit([row.actual_value, row.target_value], indicator.unit, indicator.display_unit)
    except (units.UnitError, ArithmeticError, ValueError):
        return indicator.unit


def in_unit(value: Decimal | None, unit: str, shown: str) -> Decimal | None:
    if value is None or not unit or shown == unit:
        return value
    try:
        return units.to_display(value, unit, shown)
    except (units.UnitError, ArithmeticError, ValueError):
        return value


def build_lines(rows: list[CompletionRow], park, year: int, user) -> list[Line]:
    """The lines of the table; each number links to its figure's admin page for a user who may change figures, else
    to its indicator's page for the park and year."""
    can_change = user.has_perm(CHANGE_FIGURE)
    query = urlencode({"park": park.pk, "year": year})

    def link(indicator, figure):
        if figure is None:
            return ""
        if can_change:
            return reverse("admin:indicators_figure_change", args=[figure["id"]])
        return reverse("indicators:indicator_detail", args=[indicator.code]) + "?" + query

    lines = []
    for row in rows:
        unit = shown_unit(row)
        stored = row.indicator.unit
        lines.append(
            Line(
                row=row,
                unit=unit,
                actual=in_unit(row.actual_value, stored, unit),
                target=in_unit(row.target_value, stored, unit),
                actual_url=link(row.indicator, row.actual),
                target_url=link(row.indicator, row.target),
            )
        )
    return lines


@dataclass
class Table:
    """The whole report: park, period, lines, and what the notes under it say."""

    park: object
    year: int
    month: int
    lines: list[Line]

    @property
    def title(self) -> str:
        return _("Main economic indicators: %(park)s, %(period)s") % {
            "park": self.park.display_name,
            "period": period_label(self.year, self.month),
        }

    @property
    def labels(self) -> dict[str, str]:
        """The columns' headings, the same on screen and in the file (translated here: a template would look up
        "%" as "%%")."""
        return {
            "name": _("Indicator"),
            "unit": _("Unit"),
            "target": _("Annual target"),
            "period": self.period,
            "actual": _("Cumulative actual"),
            "yoy": _("YoY growth %"),
            "progress": _("Progress"),
            "completion": _("Share of annual target %"),
            "expected": _("Time-elapsed pace %"),
            "gap": _("Points ahead (+) or behind (−) pace"),
        }

    @property
    def period(self) -> str:
        """1-10月 / Months 1–10: the heading over the actual and its growth."""
        return cumulative_label(self.month)

    @property
    def without_actual(self) -> list[str]:
        return [line.name for line in self.lines if line.actual is None]

    @property
    def without_target(self) -> list[str]:
        return [line.name for line in self.lines if line.target is None]

    @property
    def notes(self) -> list[tuple[str, str]]:
        """What the notes under the table say, as ``(kind, sentence)``: the lines without an actual of the month,
        those without a target of the year (each said once for the whole table when no line has one), and why a
        stock or a rate has no 序时进度."""
        notes = []
        count = len(self.lines)
        if self.without_actual:
            if len(self.without_actual) == count:
                text = _("No actual figures for %(period)s yet.")
            else:
                text = _("No actual figure for %(period)s: %(names)s.")
            notes.append(("no-actual", text % {"period": self.period, "names": listed(self.without_actual)}))
        if self.without_target:
            if len(self.without_target) == count:
                text = _("No annual targets for %(year)s yet: completion and pace cannot be computed.")
            else:
                text = _("No annual target for %(year)s: %(names)s.")
            notes.append(("no-target", text % {"year": self.year, "names": listed(self.without_target)}))
        if self.has_unpaced:
            notes.append(
                (
                    "unpaced",
                    "* "
                    + _(
                        "A stock or a rate has no time-elapsed pace: its completion is compared with the target itself."
                    ),
                )
            )
        return notes

    @property
    def has_unpaced(self) -> bool:
        """True when a line is a stock or a rate (no 序时进度): the table says why its pace is a dash."""
        return any(not line.paced for line in self.lines)

    @property
    def units(self) -> list[str]:
        """The units the lines are shown in, each once, in order."""
        return list(dict.fromkeys(line.unit for line in self.lines if line.unit))

    @property
    def filename(self) -> tuple[str, str]:
        """The file name (主要经济指标完成情况-dongbu-2023-10) and its ASCII fallback."""
        tail = "{}-{}-{:02d}".format(self.park.code, self.year, self.month)
        return _("Completion of main indicators") + "-" + tail, "completion-" + tail


def listed(names: list[str]) -> str:
    """Names as a list in a sentence: 供地、税收收入 / Land supplied, Tax revenue."""
    return (", " if english() else "、").join(names)


class CompletionView(ReadAccessMixin, TemplateView):
    """The completion table of ``?park=`` at ``?month=`` of ``?year=`` (defaults: the user's first park, the latest
    year and month with actuals); ``&_export=xlsx`` downloads it laid out like the official form."""

    template_name = "reports/completion.html"
    http_method_names = ["get", "head", "options"]

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("_export")
        if fmt is not None and fmt not in EXPORTS:
            return HttpResponseBadRequest(
                _("Unknown export format. Use xlsx."), content_type="text/plain; charset=utf-8"
            )
        try:
            park = read_park(request)
            period = read_period(request, [park])
        except BadRequest as error:
            return bad_request(request, error)
        rows = completion_rows(park, period.year, period.month)
        table = Table(
            park=park, year=period.year, month=period.month, lines=build_lines(rows, park, period.year, request.user)
        )
        if fmt == "xlsx":
            from .. import xlsx  # openpyxl is loaded for a download only

            name, fallback = table.filename
            return xlsx.completion_response(table, name, fallback, filled=timezone.localdate())
        context = self.get_context_data(table=table, period=period, park=park)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        table, period, park = kwargs["table"], kwargs["period"], kwargs["park"]
        context.update(period_form_context(self.request.user, park, period))
        context.update(
            title=table.title,
            export_url=self.request.path + "?" + context["report_query"] + "&_export=xlsx",
            add_targets_url=self.add_targets_url(park, period.year) if table.without_target else "",
        )
        return context

    def add_targets_url(self, park, year):
        """Where a user who may add figures enters the park's annual targets for the year."""
        if not self.request.user.has_perm(ADD_FIGURE):
            return ""
        query = urlencode({"park": park.pk, "year": year, "month": 12, "kind": "target"})
        return reverse("admin:indicators_figure_add") + "?" + query

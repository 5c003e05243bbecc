"""The report pages: one module each (completion, bulletin, summary), sharing the park and period form."""

from dataclasses import dataclass

from django.template.response import TemplateResponse

from parkdash.core.periods import cumulative_label
from parkdash.parks.scoping import sees_all_parks
from parkdash.parks.selection import park_options

from ..params import MONTHS, Period


@dataclass
class Selection:
    """What the park selector (parks.templatetags.park_options) reads: the parks and the chosen one."""

    parks: list
    park: object


def report_query(park, year, month) -> str:
    return "park={}&year={}&month={}".format(park.pk, year, month)


def period_form_context(user, park, period: Period) -> dict:
    """The context of templates/reports/_period_form.html and _nav.html for a report of ``park`` at ``period``:
    the user's parks, the years with figures, the months with actual figures first."""
    parks = park_options(user)
    with_actuals = set(period.months)
    return {
        "selection": Selection(parks=parks, park=park),
        "period": period,
        "years": sorted(set(period.years) | {period.year}, reverse=True),
        "months_with": [(m, cumulative_label(m)) for m in MONTHS if m in with_actuals],
        "months_without": [(m, cumulative_label(m)) for m in MONTHS if m not in with_actuals],
        "sees_several_parks": sees_all_parks(user) or len(parks) > 1,
        "report_query": report_query(park, period.year, period.month),
    }


def bad_request(request, error) -> TemplateResponse:
    """The 400 page of a report asked for with a parameter it cannot use (month 13, year "abc"), saying which."""
    return TemplateResponse(request, "reports/bad_request.html", {"message": str(error)}, status=400)

"""Reporting periods: actuals are cumulative from January through a month (1-10月, 上半年 …)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def cumulative_label(month: int) -> str:
    """The cumulative period through ``month``: 1月, 1-10月 in Chinese; Month 1, Months 1–10 in English."""
    if month == 1:
        return pgettext("cumulative period", "Month 1")
    return _("Months 1–%(month)s") % {"month": month}


def period_label(year: int, month: int) -> str:
    """A year and its cumulative period: 2023年1-10月 / 2023, months 1–10."""
    return _("%(year)s, %(period)s") % {"year": year, "period": cumulative_label(month)}

"""Reporting periods: actuals are cumulative from January through a month (1-10月, 上半年 …)."""

from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _


def cumulative_label(month):
    """The cumulative period through ``month``: 1月, 1-10月 in Chinese; January, Jan–Oct in English."""
    if month == 1:
        return _("January")
    # Translators: a cumulative period from January; %(month)s is the month number, %(month_name)s its name.
    return _("Jan–%(month_name)s") % {"month": month, "month_name": str(MONTHS_3[month]).title()}

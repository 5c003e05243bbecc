"""What a candidate figure can be: its review status, the record it names, the flags the extractor sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    CREATED = "created", _("Created a figure")
    UPDATED = "updated", _("Updated a figure")
    UNCHANGED = "unchanged", _("Already recorded")
    CLASH = "clash", _("Clashes with a figure from another source")
    SKIPPED = "skipped", _("Skipped")


class RecordKind(models.TextChoices):
    """The kind of record a clause names, which applying the candidate may also update."""

    ENTERPRISE = "enterprise", _("Enterprise")
    PROJECT = "project", _("Project")


FLAG_LABELS = {
    "suspect_year": _("the year pasted over a number?"),
    "suspect_period": _("period unreadable: the reporting month is used"),
    "placeholder": _("placeholder, no value"),
    "placeholder_yoy": _("placeholder growth rate"),
    "approximate": _("approximate (余, 约)"),
    "at_least": _("at least (以上)"),
    "increment": _("an increase, not a level"),
    "label_carried": _("indicator carried over from the clause before"),
    "unit_mismatch": _("unit does not fit the indicator"),
    "unknown_indicator": _("no matching indicator"),
    "names_enterprise": _("about one enterprise"),
    "names_project": _("names a project"),
    "out_of_range": _("number too large to store exactly: check the text"),
    "range": _("a range, no single value"),
    "chinese_numeral": _("written in Chinese numerals"),
    "average_growth": _("average annual growth, not a year-on-year rate"),
    "progress_points": _("points ahead of (or behind) time-elapsed progress"),
    "revision": _("a revision of a target"),
}

# Flags that make a candidate suspect: it starts unchecked and a person decides. Others only inform
# (label_carried, approximate "余", at_least "以上", suspect_period: the month then comes from the upload form).
# A figure in a clause about one enterprise describes that enterprise, not the park: suspect as a park figure.
# A project named beside a figure (绿化 of several roads …) is only informative.
SUSPECT_FLAGS = {
    "suspect_year",
    "placeholder",
    "placeholder_yoy",
    "unit_mismatch",
    "increment",
    "unknown_indicator",
    "names_enterprise",
    "out_of_range",
    "range",
    "average_growth",
    "progress_points",
    "revision",
}

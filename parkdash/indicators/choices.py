from django.db import models
from django.utils.translation import gettext_lazy as _

from parkdash.core import progress


class Category(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    OUTPUT = "output", _("Output")
    LAND = "land", _("Land")
    ENTERPRISES = "enterprises", _("Enterprises")
    CONSTRUCTION = "construction", _("Construction")
    ECOLOGY = "ecology", _("Ecology")
    OTHER = "other", _("Other")


class Aggregation(models.TextChoices):
    """How an indicator adds up over the year, and so how its actual is judged (core.progress)."""

    CUMULATIVE = progress.CUMULATIVE, _("Cumulative (running total, judged against the time-elapsed pace)")
    STOCK = progress.STOCK, _("Stock (a level at a date, compared with the target)")
    RATE = progress.RATE, _("Rate (a ratio, compared with the target)")


class FigureKind(models.TextChoices):
    TARGET = "target", _("Target")
    ACTUAL = "actual", _("Actual")


class Version(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate (预计)")
    PRELIMINARY = "preliminary", _("Preliminary (快报)")
    FINAL = "final", _("Final (正式)")


# When a period has several versions of a figure, the most authoritative one counts.
VERSION_RANK = {Version.FINAL: 3, Version.PRELIMINARY: 2, Version.ESTIMATE: 1}


def version_rank(version):
    """How authoritative a figure of ``version`` is: higher wins (an unknown version, 0)."""
    return VERSION_RANK.get(version, 0)


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Spreadsheet import")
    SUMMARY = "summary", _("Work summary")
    SEED = "seed", _("Seed data")
    DEMO = "demo", _("Generated demo data")
    API = "api", _("Another system, through the API")


class WarningCode(models.TextChoices):
    """The plausibility checks (plausibility.py): why a figure deserves a second look."""

    JUMP = "jump", _("10× the month before (万/亿 slip)")
    FALL = "fall", _("running total falls")
    ZONES = "zones", _("zones add up to more than the park")
    YEAR = "year", _("a count equal to a year")
    YOY = "yoy", _("stated growth differs from the computed one")
    # xgettext:no-python-format
    COMPLETION = "completion", _("more than 300% of the target")

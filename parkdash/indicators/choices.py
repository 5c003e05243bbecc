from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    INVESTMENT = "investment", _("Investment")
    OUTPUT = "output", _("Output")
    LAND = "land", _("Land")
    ENTERPRISES = "enterprises", _("Enterprises")
    CONSTRUCTION = "construction", _("Construction")
    ECOLOGY = "ecology", _("Ecology")
    OTHER = "other", _("Other")


class FigureKind(models.TextChoices):
    TARGET = "target", _("Target")
    ACTUAL = "actual", _("Actual")


class Version(models.TextChoices):
    ESTIMATE = "estimate", _("Estimate (预计)")
    PRELIMINARY = "preliminary", _("Preliminary (快报)")
    FINAL = "final", _("Final (正式)")


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    IMPORT = "import", _("Spreadsheet import")
    SUMMARY = "summary", _("Work summary")
    SEED = "seed", _("Seed data")
    DEMO = "demo", _("Generated demo data")

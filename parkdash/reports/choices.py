from django.db import models
from django.utils.translation import gettext_lazy as _


class Pattern(models.TextChoices):
    """The sentence patterns of the summary draft: templates/reports/wording/<language>/<name>."""

    TITLE = "title.txt", _("Title")
    HEADING = "heading.txt", _("Section heading")
    INDICATOR = "indicator.txt", _("Indicator sentence")
    PROJECTS = "projects.txt", _("Projects of a phase")
    PROJECTS_INVESTMENT = "projects_investment.txt", _("Projects' investment")
    ENTERPRISES = "enterprises.txt", _("Enterprises of a stage")
    ENTERPRISES_LAND = "enterprises_land.txt", _("Settled enterprises' land")
    INFRASTRUCTURE = "infrastructure.txt", _("Infrastructure work")


class WordingLanguage(models.TextChoices):
    ZH = "zh", _("Chinese")
    EN = "en", _("English")

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectCategory(models.TextChoices):
    ROAD = "road", _("Road")
    BRIDGE = "bridge", _("Bridge")
    GREENING = "greening", _("Greening")
    WATER = "water", _("Water system")
    SCHOOL = "school", _("School")
    UTILITY = "utility", _("Utility")
    PUBLIC_BUILDING = "public_building", _("Public building")
    FACTORY = "factory", _("Factory")
    HOUSING = "housing", _("Housing and services")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    PREPARATION = "preparation", _("Preparation and approval (筹备/报批)")
    NEW_START = "new_start", _("New start (新开工)")
    CONTINUING = "continuing", _("Continuing (续建)")
    COMPLETED = "completed", _("Completed (完工)")

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkKind(models.TextChoices):
    ROAD_BASE = "road_base", _("Road base")
    PAVEMENT = "pavement", _("Pavement")
    ROAD = "road", _("Road")
    BRIDGE = "bridge", _("Bridge")
    GREENING = "greening", _("Greening")
    EARTH_FILL = "earth_fill", _("Earth and rock fill")
    EXCAVATION = "excavation", _("River and lake excavation")
    RECLAMATION = "reclamation", _("Land reclamation")
    PIPE_NETWORK = "pipe_network", _("Pipe network")
    NURSERY = "nursery", _("Nursery")
    OTHER = "other", _("Other")

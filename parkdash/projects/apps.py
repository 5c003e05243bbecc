from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "parkdash.projects"
    verbose_name = _("Projects")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "parkdash.intake"
    verbose_name = _("Work-summary import")

    def ready(self):
        # The indicator page and the figure's admin page link each applied figure to its summary.
        from parkdash.indicators import provenance

        from .models import summary_of

        provenance.register("summary_link__summary", summary_of)

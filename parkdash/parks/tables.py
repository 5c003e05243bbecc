"""The table of every park record: its name, park and zone columns, and the same in its export."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from parkdash.core.export import column
from parkdash.core.tables import BaseTable


class ParkRecordTable(BaseTable):
    """Name (linked to the record's page), park and zone. A domain app's table adds its columns, lists them in
    ``Meta.sequence``, and writes ``export_columns()`` starting with :meth:`place_columns` where it fits."""

    name = tables.Column(verbose_name=_("Name"), linkify=True)
    park = tables.Column(verbose_name=_("Park"))
    zone = tables.Column(verbose_name=_("Zone"), default="—")

    def place_columns(self):
        """The export's name, park and zone columns."""
        return [
            column(_("Name"), "name"),
            column(_("Park"), "park__name"),
            # The park's code: the key an import of this file finds the park by, should the park be renamed.
            column(_("Park code"), "park__code"),
            column(_("Zone"), "zone__name"),
        ]

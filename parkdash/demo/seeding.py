"""The data of `make run`: the seed fixture and the demo parks, loaded into an empty database only.

`make run` used to load the seed with ``loaddata`` (which updates every record of the fixture: an edited figure
went back to its seed value) and to regenerate the demo parks (new ids: bookmarks such as ``/?park=2`` showed
another park, and what was attached to the old parks, an uploaded summary, was deleted). Now a database that
holds a park is left alone; :func:`reset` starts over on purpose (`make reset`).

Even into an empty database the seed adds only the records missing by natural key: indicators that are there
already (created in the admin or by a migration) are kept as they are.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from parkdash.parks.models import Park

from . import generator

SEED_FIXTURE = settings.BASE_DIR / "fixtures" / "seed.json"


@dataclass
class SeedResult:
    """What :func:`load` did: whether it loaded anything, the rows it added per model, the demo parks made."""

    loaded: bool = False
    parks: int = 0  # parks found in the database when nothing was loaded
    added: dict = field(default_factory=dict)  # model label -> rows added from the fixture
    kept: int = 0  # fixture records already in the database, left as they were
    demo: generator.Result | None = None


def is_empty():
    """True when the database holds no park (every figure, project, enterprise, work and summary is a park's)."""
    return not Park.objects.exists()


def load(path=SEED_FIXTURE, with_demo=True, today=None):
    """Into an empty database, the seed fixture's missing records and (``with_demo``) the demo parks, in one
    transaction. A database that holds a park is left untouched."""
    with transaction.atomic():
        if not is_empty():
            return SeedResult(parks=Park.objects.count())
        result = SeedResult(loaded=True)
        _load_missing(path, result)
        if with_demo:
            result.demo = generator.generate(today=today)
    return result


def reset(path=SEED_FIXTURE, with_demo=True, today=None):
    """Delete every row of every table (users, history and sessions too), then :func:`load` the data again.

    ``flush`` recreates the permissions and role groups itself (post_migrate), and restarts the ids, so the seed
    park and the demo parks get the same ids as in a new database.
    """
    call_command("flush", interactive=False, verbosity=0)
    return load(path, with_demo=with_demo, today=today)


def _load_missing(path, result):
    with open(path, encoding="utf-8") as stream:
        # The fixture has no primary keys: a record found by its natural key comes back with the id it has.
        for item in serializers.deserialize("json", stream, handle_forward_references=False):
            if item.object.pk is not None:
                result.kept += 1
                continue
            item.save()
            label = item.object._meta.label
            result.added[label] = result.added.get(label, 0) + 1

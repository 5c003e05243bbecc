"""Test support: records built in code, personas, and the admin's import, export and forms, for every test suite.

Import from here (``from tests.support import make_park, World, import_file``); the modules behind it:

- :mod:`tests.support.admin`: admin import and export in two steps, admin form data, English test cases, samples;
- :mod:`tests.support.personas`: parks A and B with a record of every kind each, the personas, their markers;
- :mod:`tests.support.bombs`: hostile uploads generated in memory (ZIP bombs, row floods).
"""

from .admin import *  # noqa: F403
from .personas import *  # noqa: F403

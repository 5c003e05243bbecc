"""Where a figure came from beyond its ``source`` and ``source_quote``: links that apps above indicators register.

indicators imports no app above it. The work-summary import (intake) registers, when it is ready, the relation to
read with the figures (in the same query) and the record a figure came from: the summary, which the indicator
page and the figure's admin page link to.
"""

_sources = []


def register(related, origin):
    """``related``: a select_related path from Figure; ``origin(figure)``: the record it came from, or None."""
    if (related, origin) not in _sources:
        _sources.append((related, origin))


def with_origins(figures):
    """The ``figures`` queryset, reading what the registered sources need in the same query."""
    for related, _origin in _sources:
        figures = figures.select_related(related)
    return figures


def origin_of(figure):
    """The record ``figure`` came from (an object with ``get_absolute_url()`` and a name), or None."""
    for _related, origin in _sources:
        found = origin(figure)
        if found is not None:
            return found
    return None

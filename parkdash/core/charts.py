"""Helpers for chart builders: every builder returns a plain dict that static/js/charts.js draws.

Shape of a chart dict::

    {"id": "...", "kind": "bar" | "line" | "completion", "horizontal": bool, "labels": [...],
     "unit": "亿元" or "%", "datasets": [{"label", "data", "type", "color", "colors", "dashed"}],
     "table": {"columns": [...], "rows": [[...]]}, "empty": bool, "empty_text": "...", "notes": ["..."]}

The ``table`` holds the same numbers for screen readers and for people who would rather read them.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import format_number


def number(value):
    """A JSON-friendly number (float) or None."""
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def chart(chart_id, kind, labels, datasets, unit="", columns=None, rows=None, empty_text="", **options):
    has_data = any(v is not None for ds in datasets for v in ds["data"])
    return {
        "id": chart_id,
        "data_id": chart_id + "-data",
        "kind": kind,
        "labels": [str(label) for label in labels],
        "datasets": [{**ds, "label": str(ds["label"]), "data": [number(v) for v in ds["data"]]} for ds in datasets],
        "unit": unit,
        "table": {"columns": [str(c) for c in (columns or [])], "rows": rows or []},
        "empty": not (labels and has_data),
        "empty_text": str(empty_text),
        **options,
    }


def drawable(values):
    """True when ``values`` make a comparison worth drawing: at least two of them, and not all zero. A single bar
    or a row of zeros says less than a sentence, which the builder writes instead."""
    present = [v for v in values if v is not None]
    return len(present) >= 2 and any(present)


def dataset(label, data, color, type_=None, **extra):
    ds = {"label": label, "data": list(data), "color": color}
    if type_:
        ds["type"] = type_
    ds.update(extra)
    return ds


def cell(value, unit=""):
    """A table cell: the number formatted for the language, with its unit."""
    if value is None:
        return "—"
    return f"{format_number(value)} {unit}".strip()


def register_notes(labels, counts, reported):
    """A sentence for each bar where a register (projects, enterprises) holds fewer records than the figure reported
    for it: a reader who sees 30 on the card and 5 on the chart is told why."""
    return [
        _("{label}: the register holds {count} of the {reported} reported.").format(
            label=label, count=format_number(count), reported=format_number(number)
        )
        for label, count, number in zip(labels, counts, reported)
        if number is not None and count < number
    ]

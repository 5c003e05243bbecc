"""Helpers for chart builders: every builder returns a plain dict that static/js/charts.js draws.

Shape of a chart dict::

    {"id": "...", "kind": "bar" | "line" | "completion", "horizontal": bool, "labels": [...],
     "unit": "亿元" or "%", "datasets": [{"label", "data", "type", "color", "colors", "dashed"}],
     "table": {"columns": [...], "rows": [[...]]}, "empty": bool, "empty_text": "...", "notes": ["..."]}

The ``table`` holds the same numbers for screen readers and for people who would rather read them.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from .numbers import format_number, format_quantity, in_unit, series_unit, unit_label


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
        "unit": unit_label(unit),  # the axis and tooltip unit, in the user's language ("" for 家, 个 in English)
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


def cell(value, unit="", chosen=""):
    """A table cell: the value with its unit as every page writes it (core.numbers): "3,214 万元", "83.3%"; the
    unit ``chosen`` when given (the unit a whole chart is drawn in), otherwise the usual one at that size."""
    if value is None:
        return "—"
    return format_quantity(value, unit, chosen or None)


def scaled(values, unit, chosen=""):
    """(``values`` in the unit they are drawn in, that unit): one unit for a whole series, the one its largest
    value reads in (0.32 亿元 and 0.12 亿元 are drawn as 3,200 and 1,200 万元), or the indicator's ``chosen`` one."""
    shown = series_unit(values, unit, chosen or None)
    return in_unit(values, unit, shown), shown


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

"""The candidate: one figure proposed for import, as the review screen and the JSON output show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Candidate:
    """One figure proposed for import, with where it came from (``text[start:end] == quote``)."""

    label: str
    indicator_code: str | None
    value: Decimal | None
    unit: str | None
    canonical_value: Decimal | None
    canonical_unit: str | None
    yoy_pct: Decimal | None
    period: str | None
    kind: str
    zone: str | None
    share_pct: Decimal | None
    start: int
    end: int
    quote: str
    flags: list[str] = field(default_factory=list)
    section: str = ""
    indicator_name: str | None = None  # the catalogue's name of ``indicator_code``
    version: str | None = None  # "estimate" for 预计 figures; None leaves it to the import (快报 / 正式)
    range: str | None = None  # "3-5" for a range (3-5家): value stays empty

    KEYS = (
        "label",
        "indicator_code",
        "indicator_name",
        "value",
        "unit",
        "canonical_value",
        "canonical_unit",
        "yoy_pct",
        "period",
        "kind",
        "version",
        "zone",
        "share_pct",
        "range",
        "start",
        "end",
        "quote",
        "flags",
    )

    def to_dict(self, with_section: bool = False) -> dict[str, object]:
        """The public fields, JSON-ready: Decimals as plain strings ("0.3214"), flags as a list."""
        out: dict[str, object] = {}
        for key in self.KEYS:
            value = getattr(self, key)
            if isinstance(value, Decimal):
                value = plain(value)
            elif key == "flags":
                value = list(value)
            out[key] = value
        if with_section:
            out["section"] = self.section
        return out


def plain(d: Decimal) -> str:
    """A Decimal as a string without exponent or trailing zeros: 20.7500 → "20.75", 1E+2 → "100"."""
    return format(d.normalize(), "f")


def tidy(d: Decimal) -> Decimal:
    """A Decimal without trailing zeros, and an integer without exponent (1E+2 → 100)."""
    d = d.normalize()
    # The extractor makes finite Decimals only, whose exponent is an int (not "n", "N" or "F").
    return d.quantize(Decimal(1)) if d.as_tuple().exponent > 0 else d  # type: ignore[operator]

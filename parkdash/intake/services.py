"""Work-summary import: store a summary, propose candidates with the extractor, apply the reviewed ones.

The extraction itself is pure (``extract.py``); this module is where candidates meet the database.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from parkdash.core import units
from parkdash.core.numbers import format_number
from parkdash.enterprises.models import Enterprise
from parkdash.indicators import quality
from parkdash.indicators.catalogue import IndicatorSpec
from parkdash.indicators.choices import FigureKind, Source, Version
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project

from . import extract
from .choices import SUSPECT_FLAGS, CandidateStatus, RecordKind
from .models import Candidate, SummaryFigure, WorkSummary, summary_of

# A top-level heading that opens the plan part: "二、2024年工作思路", "三、下一步工作计划" …
PLAN_HEADING = re.compile(r"(?m)^\s*[一二三四五六七八九十]+[、.．]\s*[^\n]{0,40}?(思路|计划|打算|安排|目标|展望)")
PERIOD_MONTH = {"上半年": 6, "一季度": 3, "第一季度": 3, "前三季度": 9, "全年": 12, "下半年": 12}
MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-－—~至到]\s*(\d{1,2})\s*月")
ONE_MONTH = re.compile(r"^(\d{1,2})\s*月")

# The types of apply's bookkeeping: a figure's (year, month, kind, version), and the (value, growth) written
# under each (indicator, zone, year, month, kind, version) in this apply.
FigureKey = tuple[int, int, str, str]
Written = dict[tuple[Any, ...], tuple[Decimal | None, Decimal | None]]


def catalogue() -> list[IndicatorSpec]:
    """The indicator catalogue from the database, in the shape the extractor reads."""
    return [
        IndicatorSpec(i.code, i.name, i.name_en, i.unit, i.category, i.higher_is_better, tuple(i.alias_list))
        for i in Indicator.objects.all()
    ]


def plan_start(text: str) -> int | None:
    """Offset where the plan part begins (its targets are for the plan year), or None."""
    match = PLAN_HEADING.search(text)
    return match.start() if match else None


def month_of(period: str | None, default: int) -> int:
    """The month a period ends in: 1-10月 → 10, 上半年 → 6, 全年 → 12; ``default`` when unknown."""
    if not period:
        return default
    if period in PERIOD_MONTH:
        return PERIOD_MONTH[period]
    match = MONTH_RANGE.search(period) or ONE_MONTH.search(period)
    if match:
        month = int(match.groups()[-1])
        if 1 <= month <= 12:
            return month
    return default


def propose_month(candidates: Iterable[Any]) -> int | None:
    """The reporting month a summary's actual figures run through, as its text says: the month most of its actual
    figures' periods end in (1-10月 → 10, 上半年 → 6; a tie goes to the later month), or None when the text names no
    readable period (the seed's "1-2023月", the year pasted over the month). ``candidates``: the extractor's or the
    stored ones (anything with ``kind``, ``period`` and ``flags``)."""
    months = Counter(
        month_of(c.period, 0)
        for c in candidates
        if c.kind == FigureKind.ACTUAL and c.period and "suspect_period" not in (c.flags or ())
    )
    months.pop(0, None)  # a quarter alone (二季度) is not a running total's end
    if not months:
        return None
    return max(months, key=lambda month: (months[month], month))


def period_differs(summary: WorkSummary, candidate: Candidate) -> bool:
    """Whether an actual candidate names a period that ends in another month than the summary's reporting month
    (applying it stores it under that other month)."""
    return (
        candidate.kind == FigureKind.ACTUAL
        and bool(candidate.period)
        and month_of(candidate.period, summary.month) != summary.month
    )


# A company named in a clause: "浙江爱仕达电器", "欧瑞康集团", "浙江南洋科技股份".
COMPANY = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,14}?(?:集团|股份|公司|电器|实业|控股|科技(?![型园]))")


def named_record(quote: str, enterprises: list[str], projects: list[str]) -> tuple[str, str]:
    """(RecordKind, name) when the clause names one; known records first, then company names; else ("", "")."""
    for name in enterprises:
        if name and name in quote:
            return RecordKind.ENTERPRISE, name
    for name in projects:
        if name and len(name) >= 4 and name in quote:
            return RecordKind.PROJECT, name
    match = COMPANY.search(quote)
    return (RecordKind.ENTERPRISE, match.group(0)) if match else ("", "")


def find(text: str, year: int | None, park: Park | None = None) -> list[extract.Candidate]:
    """What the extractor finds in a summary's text, read against the database's indicator catalogue and, given
    the ``park``, its zone names."""
    zones = list(Zone.objects.filter(park=park).values_list("name", flat=True)) if park is not None else []
    return extract.extract(text, catalogue=catalogue(), year=year, zones=zones)


def propose(summary: WorkSummary, found: list[extract.Candidate] | None = None) -> list[Candidate]:
    """Replace the summary's candidates with what the extractor finds in its text. Returns the candidates.

    ``found`` is the extractor's result when the caller has it already (the upload form extracts to count).

    A figure in a clause that names an enterprise is about that enterprise, not the whole park: it is flagged,
    left unchecked as a park figure, and offered as an update of the enterprise record. A named project is
    offered as a record to update too, with the park figure kept checked.
    """
    indicators = {i.code: i for i in Indicator.objects.all()}
    zones = {z.name: z for z in Zone.objects.filter(park=summary.park)}
    enterprises = sorted(
        Enterprise.objects.filter(park=summary.park).values_list("name", flat=True), key=len, reverse=True
    )
    projects = sorted(Project.objects.filter(park=summary.park).values_list("name", flat=True), key=len, reverse=True)
    if found is None:
        found = find(summary.text, summary.year, park=summary.park)
    rows = []
    for position, c in enumerate(found):
        indicator = indicators.get(c.indicator_code) if c.indicator_code else None
        flags = list(c.flags)
        if indicator is None and "unknown_indicator" not in flags:
            flags.append("unknown_indicator")
        record_kind, record_name = named_record(c.quote, enterprises, projects)
        if record_kind and "names_" + record_kind not in flags:
            flags.append("names_" + record_kind)
        candidate = Candidate(
            summary=summary,
            position=position,
            section=(c.section or "")[:200],
            label=(c.label or "")[:200],
            indicator=indicator,
            value=c.value,
            unit=c.unit or "",
            yoy_pct=c.yoy_pct,
            period=c.period or "",
            kind=c.kind,
            version=c.version or "",
            zone=_match_zone(c.zone, zones),
            zone_name=c.zone or "",
            share_pct=c.share_pct,
            start=c.start,
            end=c.end,
            quote=c.quote,
            flags=flags,
            record_kind=record_kind,
            record_name=record_name[:200],
            # Suspect ones (year pasted over a number, placeholders, unknown indicators …) start unchecked.
            selected=not SUSPECT_FLAGS.intersection(flags),
        )
        candidate.drop_out_of_range_numbers()
        rows.append(candidate)
    with transaction.atomic():
        summary.candidates.all().delete()
        Candidate.objects.bulk_create(rows)
    return rows


def _match_zone(name: str | None, zones: dict[str, Zone]) -> Zone | None:
    if not name:
        return None
    if name in zones:
        return zones[name]
    matches = [z for zone_name, z in zones.items() if name in zone_name or zone_name in name]
    return matches[0] if len(matches) == 1 else None


def create_summary(
    *,
    park: Park,
    year: int,
    month: int,
    text: str,
    user: Any = None,
    file_name: str = "",
    encoding: str = "",
    plan_year: int | None = None,
    title: str = "",
    found: list[extract.Candidate] | None = None,
) -> WorkSummary:
    """Store a decoded summary and propose its candidates, in one transaction. Returns the summary."""
    summary = WorkSummary(
        park=park,
        year=year,
        month=month,
        plan_year=plan_year,
        text=text,
        file_name=file_name,
        encoding=encoding,
        uploaded_by=user,
        title=title,
    )
    store_summary(summary, found=found)
    return summary


def store_summary(summary: WorkSummary, found: list[extract.Candidate] | None = None) -> list[Candidate]:
    """Save a new ``summary`` (the plan year and title filled in when empty) and propose its candidates, in one
    transaction; returns the candidates. ``found``: the extractor's result, when the caller has it already (the
    upload form extracts to count). The admin's upload saves its form's summary with this; :func:`create_summary`
    builds one."""
    summary.plan_year = summary.plan_year or default_plan_year(summary.text, summary.year, summary.month)
    summary.title = summary.title or summary.file_name
    with transaction.atomic():
        summary.save()
        return propose(summary, found=found)


def default_plan_year(text: str, year: int, month: int) -> int:
    """Targets in a plan part written late in the year are for the next year; earlier, for this year."""
    return year + 1 if month >= 10 else year


class ApplyError(Exception):
    """A checked candidate that cannot become a figure (or update its record); the whole apply is rolled back."""

    def __init__(self, candidate: Candidate, error: Exception) -> None:
        self.candidate = candidate
        reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
        self.reason = " ".join(reasons)
        super().__init__(self.message())

    def message(self) -> str:
        return _(
            "“%(candidate)s” (%(section)s) cannot be applied: %(reason)s Correct it or uncheck it, then apply "
            "again; nothing was applied or saved."
        ) % {"candidate": self.candidate, "section": self.candidate.section or _("no heading"), "reason": self.reason}


@dataclass
class ApplyResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    clashes: list = field(default_factory=list)
    records: list = field(default_factory=list)
    warnings: dict = field(default_factory=dict)  # {figure: [Warning]} confirmed by applying (indicators.quality)

    def message(self) -> str:
        return _(
            "Applied: %(created)s created, %(updated)s updated, %(unchanged)s already recorded, "
            "%(skipped)s skipped, %(clashes)s clashes not overwritten."
        ) % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "clashes": len(self.clashes),
        } + (
            " " + _("Records updated: %(names)s.") % {"names": "、".join(str(r) for r in self.records)}
            if self.records
            else ""
        )


def figure_key(summary: WorkSummary, candidate: Candidate, plan_from: int | None) -> FigureKey:
    """(year, month, kind, version) of the figure a candidate becomes."""
    in_plan = plan_from is not None and candidate.start >= plan_from
    if candidate.kind == FigureKind.TARGET:
        year = (summary.plan_year or summary.year) if in_plan else summary.year
        return year, 12, FigureKind.TARGET, Version.FINAL
    version = Version.ESTIMATE if candidate.version == Version.ESTIMATE else Version.PRELIMINARY
    return summary.year, month_of(candidate.period, summary.month), FigureKind.ACTUAL, version


def apply(summary: WorkSummary, user: Any = None) -> ApplyResult:
    """Write the checked candidates as indicator figures, in one transaction.

    Applying the same summary again updates its own figures instead of duplicating them. A figure that came
    from elsewhere (typed in, imported, another summary) with a different value is a clash: reported, never
    overwritten. A checked candidate that fails validation (a value or year out of range) raises
    :class:`ApplyError`, naming it, and nothing is written. Two applies of one summary at the same moment take
    turns: the summary's row is locked (on PostgreSQL; SQLite serialises writers itself).
    """
    result = ApplyResult()
    plan_from = plan_start(summary.text)
    written: Written = {}
    with transaction.atomic():
        list(WorkSummary.objects.select_for_update().filter(pk=summary.pk).values_list("pk", flat=True))
        candidates = list(summary.candidates.select_related("indicator", "zone"))
        for candidate in candidates:
            try:
                if candidate.apply_record and candidate.record_name:
                    result.records.append(_apply_record(summary, candidate))
                status, message, figure = _apply_one(summary, candidate, plan_from, written, user)
            except ValidationError as exc:
                raise ApplyError(candidate, exc) from None
            candidate.status, candidate.message, candidate.figure = status, message[:255], figure
            if status == CandidateStatus.CREATED:
                result.created += 1
            elif status == CandidateStatus.UPDATED:
                result.updated += 1
            elif status == CandidateStatus.UNCHANGED:
                result.unchanged += 1
            elif status == CandidateStatus.CLASH:
                result.clashes.append(candidate)
            else:
                result.skipped += 1
        Candidate.objects.bulk_update(candidates, ["status", "message", "figure"])
        # Reviewed and applied: the plausibility warnings of the figures written are kept as confirmed.
        written_figures = [
            c.figure for c in candidates if c.status in (CandidateStatus.CREATED, CandidateStatus.UPDATED)
        ]
        result.warnings = quality.confirm_all(written_figures, user)
        summary.applied_at = timezone.now()
        summary.save(update_fields=["applied_at", "modified"])
    return result


def candidate_warnings(summary: WorkSummary, candidates: list[Candidate]) -> dict[int, list]:
    """{candidate pk: [Warning]}: the plausibility warnings (indicators.quality) of the figure each candidate with
    an indicator and a value would become, read against the stored figures and the other candidates."""
    plan_from = plan_start(summary.text)
    figures: list[Figure] = []
    owners: list[int] = []
    for candidate in candidates:
        if candidate.indicator is None or (candidate.value is None and candidate.yoy_pct is None):
            continue
        try:
            value, refusal = _canonical_value(candidate, candidate.indicator)
        except ArithmeticError:  # a number stored before the bounds (10^30): the apply refuses it, with a reason
            continue
        if refusal:
            continue
        year, month, kind, version = figure_key(summary, candidate, plan_from)
        figures.append(
            Figure(
                indicator=candidate.indicator,
                park=summary.park,
                zone_id=candidate.zone_id,
                year=year,
                month=month,
                kind=kind,
                version=version,
                value=value,
                yoy_pct=candidate.yoy_pct,
            )
        )
        owners.append(candidate.pk)
    return dict(zip(owners, quality.warnings_of(figures)))


def _apply_one(summary, candidate, plan_from, written, user):
    if not candidate.selected:
        return CandidateStatus.SKIPPED, _("Not checked."), None
    indicator = candidate.indicator
    if indicator is None:
        return CandidateStatus.SKIPPED, _("No indicator chosen."), None
    if candidate.value is None and candidate.yoy_pct is None:
        return CandidateStatus.SKIPPED, _("No value and no growth rate."), None
    value, refusal = _canonical_value(candidate, indicator)
    if refusal:
        return CandidateStatus.SKIPPED, refusal, None
    year, month, kind, version = figure_key(summary, candidate, plan_from)
    key = (indicator.pk, candidate.zone_id, year, month, kind, version)
    lookup = {
        "indicator": indicator,
        "park": summary.park,
        "year": year,
        "month": month,
        "kind": kind,
        "version": version,
    }
    lookup.update({"zone": candidate.zone} if candidate.zone_id else {"zone__isnull": True})
    existing = Figure.objects.filter(**lookup).select_related("summary_link__summary").first()
    yoy = candidate.yoy_pct
    if key in written and written[key] != (value, yoy):
        return CandidateStatus.CLASH, _("The summary gives this figure twice with different values."), existing
    written[key] = (value, yoy)
    fields = {
        "value": value,
        "entered_value": candidate.value,
        "entered_unit": candidate.unit,
        "yoy_pct": yoy,
        "source": Source.SUMMARY,
        "source_quote": candidate.quote,
    }
    if existing is None:
        figure = Figure(
            indicator=indicator,
            park=summary.park,
            zone=candidate.zone,
            year=year,
            month=month,
            kind=kind,
            version=version,
            **fields,
        )
        figure.full_clean()
        figure.save()
        SummaryFigure.objects.create(summary=summary, figure=figure)
        return CandidateStatus.CREATED, "", figure
    same = _same(existing.value, value) and (yoy is None or _same(existing.yoy_pct, yoy))
    origin = summary_of(existing)
    if origin is not None and origin.pk == summary.pk:
        if same and existing.source_quote == candidate.quote:
            return CandidateStatus.UNCHANGED, "", existing
        for name, new in fields.items():
            setattr(existing, name, new)
        existing.full_clean()
        existing.save()
        return CandidateStatus.UPDATED, "", existing
    if same:
        return (
            CandidateStatus.UNCHANGED,
            _("Already recorded from %(source)s.") % {"source": existing.get_source_display()},
            existing,
        )
    return (
        CandidateStatus.CLASH,
        _("%(source)s already gives %(value)s %(unit)s; not overwritten.")
        % {
            "source": origin or existing.get_source_display(),
            "value": existing.value,
            "unit": indicator.unit,
        },
        existing,
    )


def _canonical_value(candidate: Candidate, indicator: Indicator) -> tuple[Decimal | None, str | None]:
    """The candidate's value in the indicator's unit, or why it cannot be a figure: (value, None) or (None, reason)."""
    if candidate.value is None:
        return None, None
    try:
        value = units.convert(candidate.value, candidate.unit or indicator.unit, indicator.unit)
    except units.UnitError:
        return None, _("%(unit)s cannot be converted to %(canonical)s.") % {
            "unit": candidate.unit,
            "canonical": indicator.unit,
        }
    if value < 0:
        return None, _("A negative amount is not a valid figure.")
    bounded = Figure._meta.get_field("value")
    if not bounded.in_range(value):
        return None, _(
            "In %(canonical)s this is %(value)s; a figure must be below %(limit)s (10^%(power)s) %(canonical)s."
        ) % {
            "canonical": indicator.unit,
            "value": format_number(value),
            "limit": format_number(bounded.limit),
            "power": bounded.whole_digits,
        }
    return value, None


def _apply_record(summary: WorkSummary, candidate: Candidate) -> Enterprise | Project:
    """Create or update the enterprise or project a candidate names, with the figure where it fits."""
    model = Enterprise if candidate.record_kind == RecordKind.ENTERPRISE else Project
    record = model.objects.filter(park=summary.park, name=candidate.record_name).first()
    if record is None:
        record = model(park=summary.park, name=candidate.record_name)
    record.zone = record.zone or candidate.zone
    record.source_quote = candidate.quote
    unit = units.get_unit(candidate.unit) if candidate.unit and units.is_known(candidate.unit) else None
    if candidate.value is not None and unit is not None:
        if model is Enterprise and unit.dimension == "area":
            record.land_area_mu = units.convert(candidate.value, candidate.unit, "亩")
        elif model is Enterprise and unit.dimension == "money":
            record.planned_investment = units.convert(candidate.value, candidate.unit, "万元")
        elif model is Project and unit.dimension == "money":
            record.total_investment = units.convert(candidate.value, candidate.unit, "万元")
    record.full_clean()
    record.save()
    return record


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


# --- the same summary applied under another month ------------------------------------------------------------

# Two texts are the same summary when, blanks and full-width forms aside, they share at least this share of their
# 4-character pieces: a summary uploaded again with its month changed in the heading, a typo fixed or its line
# breaks redone.
SAME_TEXT_SIMILARITY = 0.9
SHINGLE = 4
# Only the beginning of long texts is compared: 37 ms for a 5,000-character summary, 2 s for 200,000 in full.
COMPARED_CHARS = 20_000


@dataclass(frozen=True)
class Duplicate:
    """A checked candidate whose figure is stored already, from another applied summary of the same text, under
    another month: applying would store the same figure twice."""

    candidate: Candidate
    figure: Figure  # the figure stored from the other summary
    other: WorkSummary

    @property
    def key(self):
        return f"{self.candidate.pk}:{self.figure.pk}"


def duplicates_of(summary):
    """What applying ``summary`` would store a second time: the figures of its checked candidates that an earlier,
    applied summary of the same park with the same (or nearly the same) text stored under another month, as
    :class:`Duplicate` rows in the candidates' order. A figure whose place (indicator, zone, year, month, kind,
    version) is taken already is not one: apply leaves it (unchanged, updated from this summary, or a clash).
    Empty when there is nothing to ask about, which includes applying the same summary again."""
    others = _same_text_summaries(summary)
    if not others:
        return []
    plan_from = plan_start(summary.text)
    planned = []  # (candidate, canonical value, figure key)
    for candidate in summary.candidates.filter(selected=True, indicator__isnull=False).select_related("indicator"):
        value, _refusal = _canonical_value(candidate, candidate.indicator)
        if value is not None:
            planned.append((candidate, value, figure_key(summary, candidate, plan_from)))
    if not planned:
        return []
    indicators = {c.indicator_id for c, _v, _k in planned}
    years = {key[0] for _c, _v, key in planned}
    taken = set(
        Figure.objects.filter(park=summary.park, indicator__in=indicators, year__in=years).values_list(
            "indicator_id", "zone_id", "year", "month", "kind", "version"
        )
    )
    stored = {}  # (indicator, zone, kind, value) -> the other summaries' figures
    for figure in (
        Figure.objects.filter(summary_link__summary__in=others, indicator__in=indicators)
        .select_related("indicator", "zone", "summary_link__summary")
        .order_by("year", "month", "pk")
    ):
        stored.setdefault((figure.indicator_id, figure.zone_id, figure.kind, figure.value), []).append(figure)
    found = []
    for candidate, value, (year, month, kind, version) in planned:
        if (candidate.indicator_id, candidate.zone_id, year, month, kind, version) in taken:
            continue
        for figure in stored.get((candidate.indicator_id, candidate.zone_id, kind, value), ()):
            if (figure.year, figure.month) != (year, month):
                found.append(Duplicate(candidate, figure, summary_of(figure)))
                break
    return found


def _same_text_summaries(summary):
    """The park's other applied summaries whose text is (nearly) the same as ``summary``'s."""
    text = _bare(summary.text)
    if not text:
        return []
    candidates = (
        WorkSummary.objects.filter(park=summary.park, applied_at__isnull=False)
        .exclude(pk=summary.pk)
        .annotate(length=Length("text"))
        # Texts whose lengths differ by more than half cannot be the same summary, blanks or not (compared below).
        .filter(length__gte=len(summary.text) // 2, length__lte=len(summary.text) * 2)
        .only("pk", "text")
    )
    pieces = None
    same = []
    for other in candidates.iterator():  # one text in memory at a time: a summary may be 200,000 characters
        other_text = _bare(other.text)
        if other_text == text:
            same.append(other.pk)
            continue
        if not SAME_TEXT_SIMILARITY * len(text) <= len(other_text) <= len(text) / SAME_TEXT_SIMILARITY:
            continue
        pieces = pieces if pieces is not None else _shingles(text[:COMPARED_CHARS])
        other_pieces = _shingles(other_text[:COMPARED_CHARS])
        if len(pieces & other_pieces) >= SAME_TEXT_SIMILARITY * len(pieces | other_pieces):
            same.append(other.pk)
    return same


def _bare(text):
    """The text without blanks, full-width characters as their half-width forms (，→ ,)."""
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def _shingles(text):
    return {text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}

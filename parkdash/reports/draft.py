"""The work-summary draft (工作总结草稿) of a park at a month: sections → paragraphs → sentences → segments.

Its first section, 主要经济指标完成情况, has one sentence per line of the park's completion table with an actual at the
month (completion.completion_rows, in the park's order): the cumulative actual (a stock or a rate: the level at the
month), year-on-year growth where known, the completion of the annual target and the gap to 序时进度 where there is a
target (no pace for a stock or a rate). Then 项目建设 (projects by phase, their investment this year), 招商引资
(enterprises that reached a stage this year, their land) and 基础设施 (works of the year, quantity done against
planned). A section with nothing to say is left out.

The words come from the wording templates (wording.py); every number is a segment linked to the record it came from.
:attr:`Draft.stated` lists every indicator figure the draft states, as it states it (value rounded as written, in
the unit written, with the growth and the gap written), for the round trip through the extractor.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

from parkdash.core import units
from parkdash.core.export import plain_decimal
from parkdash.core.numbers import display_round, format_number
from parkdash.core.progress import RATE, STOCK
from parkdash.enterprises.choices import Stage
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park
from parkdash.projects.choices import Phase
from parkdash.projects.models import Project

from . import wording
from .completion import CompletionRow, completion_rows, figures_at
from .models import Wording
from .wording import Segment, Values

logger = logging.getLogger(__name__)

# How many records a sentence names before it says 等 (and so on).
NAMES_SHOWN = 5

# The indicator whose figure is the count of projects in a phase, and of enterprises that reached a stage: the figure,
# where the park has one at the month, is what the draft says; the records are counted only without one (the
# records are often the named projects only, the figure the count the statistics office keeps).
PHASE_INDICATORS = {
    Phase.NEW_START: "projects_new_start",
    Phase.CONTINUING: "projects_continuing",
    Phase.COMPLETED: "projects_completed",
    Phase.PREPARATION: "projects_in_approval",
}
PHASES = (Phase.NEW_START, Phase.CONTINUING, Phase.COMPLETED, Phase.PREPARATION)
# Stage → (the date field that says it was reached, the indicator counting it, or "").
STAGES = {
    "signed": ("intent_date", ""),
    Stage.SETTLED: ("settled_date", "enterprises_admitted"),
    Stage.CONSTRUCTION: ("construction_date", "enterprises_started"),
    Stage.PRODUCTION: ("production_date", "enterprises_in_production"),
}
VERBS = ("完成", "实现", "获得", "新增", "新", "累计", "引进", "盘活", "签约")
CHINESE_NUMERALS = "〇一二三四五六七八九十"


@dataclass
class Sentence:
    segments: list[Segment]

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.segments)


@dataclass
class Paragraph:
    sentences: list[Sentence]

    def text(self, language: str) -> str:
        return ("" if language == "zh" else " ").join(s.text for s in self.sentences)


@dataclass
class Section:
    key: str  # indicators, projects, enterprises, infrastructure
    heading: str
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class Stated:
    """An indicator figure as the draft states it: the value as written (rounded, in ``unit``), the same value in
    the indicator's unit, and the growth, completion and gap to 序时进度 as written (None where not stated)."""

    indicator_code: str
    figure_id: int
    value: Decimal | None
    unit: str
    canonical_value: Decimal | None
    canonical_unit: str
    yoy_pct: Decimal | None
    completion: Decimal | None
    gap: Decimal | None
    kind: str = "actual"


@dataclass
class Draft:
    park: Park
    year: int
    month: int
    language: str
    title: str
    sections: list[Section]
    rows: list[CompletionRow]
    stated: list[Stated] = field(default_factory=list)

    def text(self) -> str:
        """The draft as plain text: the title, each section's heading and paragraphs, a blank line between."""
        blocks = [self.title]
        for section in self.sections:
            blocks.append(section.heading)
            blocks.extend(p.text(self.language) for p in section.paragraphs)
        return "\n\n".join(blocks) + "\n"


def rounded(value: Decimal) -> Decimal:
    return display_round(value).normalize()


def written(value: Decimal | int, language: str) -> str:
    """A number as the draft writes it: rounded for reading; grouped with commas in English only (Chinese summaries
    write 1696亩, 156276万元)."""
    if language == "en":
        return format_number(value, rounded=True)
    return format(plain_decimal(display_round(Decimal(value))), "f")


def unit_written(symbol: str, language: str) -> str:
    """The unit as the draft writes it after a number: 亿元 in Chinese; "(100M yuan)", "mu", "" in English."""
    if language == "zh":
        return symbol
    label = units.english_symbol(symbol)
    return "({})".format(label) if label[:1].isdigit() else label


def is_count(symbol: str) -> bool:
    try:
        return units.get_unit(symbol).dimension.startswith("count:")
    except units.UnitError:
        return False


class Builder:
    """Builds the draft of ``park`` at ``month`` of ``year`` for ``user`` (who decides the links: an editor's go to
    the admin's change pages)."""

    def __init__(self, park: Park, year: int, month: int, user=None, language: str | None = None, source=None):
        self.park, self.year, self.month = park, year, month
        self.language = language or wording.language_of(get_language())
        self.user = user
        self.editor = bool(
            user is not None and user.is_authenticated and user.is_staff and user.has_perm("indicators.change_figure")
        )
        # source(name, language, park) → a park's own pattern text, or None (the Wording model, when there is one).
        self.source: Callable | None = source
        self.stated: dict[str, Stated] = {}
        self.start = date(year, 1, 1)
        self.end = date(year + (month == 12), month % 12 + 1, 1)  # the first day after the month

    # ---- words ---------------------------------------------------------------------------------------------
    def sentence(self, name: str, values: Values) -> Sentence:
        text = self.source(name, self.language, self.park) if self.source else None
        if text is not None:
            try:
                return Sentence(wording.render(name, self.language, self.park.code, values, source=text))
            except Exception:  # noqa: BLE001 - a pattern saved past its check (loaddata, an old row) must not take
                # the page down: the file's wording is used instead.
                logger.warning("wording %s of park %s does not render; the file's is used", name, self.park.code)
        return Sentence(wording.render(name, self.language, self.park.code, values))

    def base(self) -> Values:
        name = self.park.name_en if self.language == "en" and self.park.name_en else self.park.name
        return Values().plain(month=self.month, year=self.year, park=name)

    # ---- links ---------------------------------------------------------------------------------------------
    def figure_url(self, indicator, figure_id: int) -> str:
        if self.editor:
            return reverse("admin:indicators_figure_change", args=[figure_id])
        return indicator.get_absolute_url() + "?" + urlencode({"park": self.park.pk})

    def list_url(self, name: str, **params) -> str:
        return reverse(name) + "?" + urlencode({"park": self.park.pk, **params})

    def number(self, value: Decimal | int, url: str = "") -> Segment:
        return Segment(written(value, self.language), url)

    def names(self, records, url_of) -> tuple[list[Segment] | None, bool]:
        """The first NAMES_SHOWN records' names, linked and joined (、 or ", "), and whether there are more."""
        shown = records[:NAMES_SHOWN]
        if not shown:
            return None, False
        joiner = "、" if self.language == "zh" else ", "
        segments: list[Segment] = []
        for i, record in enumerate(shown):
            if i:
                segments.append(Segment(joiner))
            segments.append(Segment(record.name, url_of(record)))
        return segments, len(records) > NAMES_SHOWN

    # ---- the figures ---------------------------------------------------------------------------------------
    def state(self, indicator, figure: dict, yoy=None, completion=None, gap=None) -> tuple[Segment, str, Decimal]:
        """The value of ``figure`` as written (万/亿 by size, rounded), its unit as written, and remember it."""
        value = figure["value"]
        shown_unit = units.display_unit(value, indicator.unit, indicator.display_unit or None)
        shown = rounded(units.to_display(value, indicator.unit, shown_unit))
        canonical = units.to_display(shown, shown_unit, indicator.unit).normalize()
        self.stated.setdefault(
            indicator.code,
            Stated(indicator.code, figure["id"], shown, shown_unit, canonical, indicator.unit, yoy, completion, gap),
        )
        return self.number(shown, self.figure_url(indicator, figure["id"])), shown_unit, shown

    def indicator_sentence(self, row: CompletionRow, first: bool = True, last: bool = True) -> Sentence:
        """The sentence of ``row``; ``first`` of its paragraph says the period, ``last`` ends the paragraph."""
        indicator, actual = row.indicator, row.actual
        url = self.figure_url(indicator, actual["id"])
        values = self.base().plain(
            name=row.name,
            name_lower=lower_first(row.name),
            stock=indicator.aggregation in (STOCK, RATE),
            rate=indicator.aggregation == RATE,
            is_count=is_count(indicator.unit),
            # A name that is a verb phrase already (获得贷款, 新增规上工业企业) takes no 完成 before it.
            has_verb=row.name.startswith(VERBS),
            first=first,
            last=last,
        )
        yoy = rounded(actual["yoy_pct"]) if actual["yoy_pct"] is not None else None
        completion = rounded(row.completion) if row.completion is not None else None
        gap = rounded(row.gap) if row.gap is not None else None
        if actual["value"] is not None:
            segment, shown_unit, _shown = self.state(indicator, actual, yoy, completion, gap)
            values.linked("value", segment).plain(unit=unit_written(shown_unit, self.language))
        else:
            values.linked("value", None).plain(unit="")
            self.stated.setdefault(
                indicator.code,
                Stated(indicator.code, actual["id"], None, "", None, indicator.unit, yoy, completion, gap),
            )
        values.linked("yoy", self.number(abs(yoy), url) if yoy is not None else None).plain(
            yoy_down=yoy is not None and yoy < 0
        )
        target_url = self.figure_url(indicator, row.target["id"]) if row.target else ""
        values.linked("completion", self.number(completion, target_url) if completion is not None else None)
        values.linked("gap", self.number(abs(gap), target_url) if gap else None).plain(
            gap_behind=gap is not None and gap < 0, gap_even=gap is not None and gap == 0
        )
        return self.sentence("indicator.txt", values)

    # ---- sections ------------------------------------------------------------------------------------------
    def indicators(self, rows) -> list[Paragraph]:
        """A paragraph per run of indicators of one category (in the table's order), as summaries write them:
        "1-10月，完成固定资产投资…；完成工业投资…。" The period is said again where a level (a stock or a rate:
        截至10月底) follows a running total, or the other way round."""
        runs: list[list[CompletionRow]] = []
        for row in rows:
            if row.actual is None:
                continue
            if runs and runs[-1][-1].indicator.category == row.indicator.category:
                runs[-1].append(row)
            else:
                runs.append([row])
        paragraphs = []
        for run in runs:
            sentences = []
            for i, row in enumerate(run):
                first = i == 0 or run[i - 1].indicator.paced != row.indicator.paced
                sentences.append(self.indicator_sentence(row, first=first, last=i == len(run) - 1))
            paragraphs.append(Paragraph(sentences))
        return paragraphs

    def counted(self, code: str, counts: tuple[dict, dict], records: int, list_url: str):
        """The count the draft says: the figure of indicator ``code`` at the month if the park has one (``counts``:
        the figures chosen at the month and the indicators by code), else the records'."""
        chosen, indicators = counts
        indicator = indicators.get(code)
        slot = chosen.get((self.park.pk, indicator.pk)) if indicator else None
        actual = slot["actual"] if slot else None
        if actual is not None and actual["value"] is not None:
            # The sentence says the count alone: no growth is stated with it.
            segment, _unit, shown = self.state(indicator, actual)
            return segment, shown
        if not records:
            return None, 0
        return self.number(records, list_url), records

    def group_sentence(self, pattern: str, records: list, code: str, url: str, counts, **plain) -> Sentence | None:
        """The sentence of a phase of projects or a stage of enterprises (``plain``: phase= or stage=): its count
        (:meth:`counted`) and the first records' names. None when there is nothing to say, or only a count said
        already among the indicators."""
        said = bool(code) and code in self.stated
        count, shown = self.counted(code, counts, len(records), url)
        if count is None or not shown:
            return None
        names, more = self.names(records, lambda record: record.get_absolute_url())
        if said and names is None:
            return None
        values = self.base().plain(**plain, more=more).linked("count", count).linked("names", names)
        return self.sentence(pattern, values)

    def projects(self, counts) -> list[Paragraph]:
        projects = list(Project.objects.filter(park=self.park).only("id", "name", "phase", "ytd_investment"))
        sentences = []
        for phase in PHASES:
            url = self.list_url("projects:project_list", phase=phase)
            in_phase = [p for p in projects if p.phase == phase]
            sentences.append(
                self.group_sentence(
                    "projects.txt",
                    phase=str(phase),
                    records=in_phase,
                    code=PHASE_INDICATORS[phase],
                    url=url,
                    counts=counts,
                )
            )
        investment = sum((p.ytd_investment or 0 for p in projects), Decimal(0))
        if investment:
            shown_unit = units.display_unit(investment, "万元")
            shown = rounded(units.to_display(investment, "万元", shown_unit))
            values = self.base().plain(unit=unit_written(shown_unit, self.language), projects=len(projects))
            values.linked("amount", self.number(shown, self.list_url("projects:project_list")))
            sentences.append(self.sentence("projects_investment.txt", values))
        # A phase names its projects: one paragraph each reads better than one long run.
        return [Paragraph([s]) for s in sentences if s is not None]

    def enterprises(self, counts) -> list[Paragraph]:
        in_year = Q()
        for date_field, _code in STAGES.values():
            in_year |= Q(**{date_field + "__gte": self.start, date_field + "__lt": self.end})
        enterprises = list(
            Enterprise.objects.filter(in_year, park=self.park).only(
                "id", "name", "land_area_mu", *(f for f, _c in STAGES.values())
            )
        )
        sentences = []
        # The park's enterprises, not those at the stage now: one signed in March may be in production by now, and
        # the list has no filter by the date a stage was reached. Each name links to its enterprise.
        url = self.list_url("enterprises:enterprise_list")
        for stage, (date_field, code) in STAGES.items():
            reached = [e for e in enterprises if self.start <= (getattr(e, date_field) or date.min) < self.end]
            sentences.append(
                self.group_sentence(
                    "enterprises.txt", stage=str(stage), records=reached, code=code, url=url, counts=counts
                )
            )
        settled = [e for e in enterprises if e.settled_date and self.start <= e.settled_date < self.end]
        land = sum((e.land_area_mu or 0 for e in settled), Decimal(0))
        if land:
            values = self.base().plain(unit=unit_written("亩", self.language), enterprises=len(settled))
            values.linked("area", self.number(rounded(land), url))
            sentences.append(self.sentence("enterprises_land.txt", values))
        return [Paragraph([s]) for s in sentences if s is not None]

    def infrastructure(self) -> list[Paragraph]:
        works = InfrastructureWork.objects.filter(
            park=self.park, year=self.year, completed_quantity__isnull=False
        ).order_by("kind", "name")
        sentences = []
        for work in works:
            url = work.get_absolute_url() + "&" + urlencode({"q": work.name})
            completion = work.completion_pct
            values = self.base().plain(name=work.name, unit=unit_written(work.unit, self.language))
            values.linked("done", self.number(rounded(work.completed_quantity), url))
            planned = work.planned_quantity
            values.linked("planned", self.number(rounded(planned), url) if planned else None)
            values.linked("completion", self.number(rounded(completion), url) if completion is not None else None)
            sentences.append(self.sentence("infrastructure.txt", values))
        return [Paragraph([s]) for s in sentences]

    def heading(self, key: str, number: int) -> str:
        values = self.base().plain(section=key, number=number, number_zh=CHINESE_NUMERALS[number])
        return self.sentence("heading.txt", values).text

    def build(self) -> Draft:
        rows = completion_rows(self.park, self.year, self.month)
        codes = [*PHASE_INDICATORS.values(), *(code for _f, code in STAGES.values() if code)]
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        counts = (figures_at([self.park], self.year, self.month), indicators)
        parts = [
            ("indicators", self.indicators(rows)),
            ("projects", self.projects(counts)),
            ("enterprises", self.enterprises(counts)),
            ("infrastructure", self.infrastructure()),
        ]
        present = [(key, paragraphs) for key, paragraphs in parts if paragraphs]
        sections = [Section(key, self.heading(key, n), paragraphs) for n, (key, paragraphs) in enumerate(present, 1)]
        title = self.sentence("title.txt", self.base()).text
        return Draft(
            park=self.park,
            year=self.year,
            month=self.month,
            language=self.language,
            title=title,
            sections=sections,
            rows=rows,
            stated=list(self.stated.values()),
        )


def lower_first(name: str) -> str:
    """An English name as it reads inside a sentence: Fixed-asset investment → fixed-asset investment (R&D stays)."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def build_draft(park: Park, year: int, month: int, user=None, language: str | None = None, source=None) -> Draft:
    """The summary draft of ``park`` at ``month`` of ``year`` (see the module's docstring), in ``language`` (zh or en;
    default: the active language's). The names of indicators follow the draft's language."""
    language = language or wording.language_of(get_language())
    if source is None:
        source = database_source(park, language)
    with translation.override("en" if language == "en" else "zh-hans"):
        return Builder(park, year, month, user=user, language=language, source=source).build()


def database_source(park: Park, language: str) -> Callable:
    """The patterns written in the admin (Wording) for ``park`` in ``language``, as the builder's ``source``: the
    park's own first; every park's unless the park has its own file; None leaves the pattern to the files."""
    rows = {
        (w.park_id is not None, w.name): w.text
        for w in Wording.objects.filter(Q(park=park) | Q(park__isnull=True), language=language).only(
            "park_id", "name", "text"
        )
    }

    def source(name: str, _language: str, _park: Park) -> str | None:
        if (True, name) in rows:
            return rows[True, name]
        if (False, name) in rows and not wording.has_own_file(name, language, park.code):
            return rows[False, name]
        return None

    return source

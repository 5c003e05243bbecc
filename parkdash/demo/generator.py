"""Synthetic demo data: clearly marked demo parks with five years of figures, projects, enterprises and works.

``generate()`` replaces every demo park (``Park.is_demo``, 示例 in the name, code ``demo-NNN``) with freshly
generated ones, in one transaction; ``clear()`` removes them. Real parks are never touched.

What a park gets, for the five years ending in the current year:

- for every indicator of the catalogue, an annual target and cumulative year-to-date actuals for each month
  (the current year through last month), in the indicator's canonical unit, with year-on-year growth; a few
  main indicators are also broken down by zone;
- projects in every phase and category, each with a few dated updates;
- enterprises in every stage of the pipeline, with the date of each stage reached;
- infrastructure works of every kind for each year.

Values come from ``random.Random`` seeded with the seed and the natural key of what is being generated
(park code, indicator code), never from database ids or dict/set order: the same seed gives the same data.

``scale`` only sets the number of parks (2.5 per unit of scale); every park has the same shape. At scale 100
that is 250 parks with over a million figures. Rows are written with ``executemany`` (``COPY`` on PostgreSQL)
rather than ``bulk_create``: measured on a 2-core machine, ``bulk_create`` spends 200–300 µs per figure in the
SQL compiler, which alone would take longer than the three minutes scale 100 is allowed.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from parkdash.core import units
from parkdash.enterprises.choices import STAGE_DATE_FIELDS, EvaluationOutcome, Stage
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.catalogue import CATALOGUE
from parkdash.indicators.choices import FigureKind, Source, Version
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.choices import WorkKind
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.choices import Phase, ProjectCategory
from parkdash.projects.models import Project, ProjectUpdate

DEFAULT_SEED = 1
BATCH_SIZE = 5000
YEARS = 5
PARKS_PER_SCALE = 2.5
ZONES_PER_PARK = 5
PROJECTS_PER_PARK = 80
ENTERPRISES_PER_PARK = 200

CODE_PREFIX = "demo-"
SHOWCASE_NAME = ("示例经济开发区", "Demo Economic Development Zone")
DESCRIPTION = "示例数据:由 generate_demo_data 生成的虚构园区,数字均非真实。"

ZONES = (
    ("北区", "North Zone"),
    ("南区", "South Zone"),
    ("东区", "East Zone"),
    ("西区", "West Zone"),
    ("高新片区", "High-tech Area"),
    ("临港片区", "Port Area"),
    ("科创园", "Innovation Park"),
    ("物流园", "Logistics Park"),
)

# The indicators broken down by zone (the 其中 … lines of a work summary). With the seed catalogue, eight of
# them make scale 100 just over a million figures even in January, when the year has the fewest actuals.
ZONE_BREAKDOWN = (
    "fixed_asset_investment",
    "government_investment",
    "industrial_investment",
    "industrial_output",
    "tax_revenue",
    "land_supplied",
    "industrial_land_supplied",
    "enterprises_admitted",
)

# First-year annual target of a park of size 1, in the indicator's canonical unit.
BASE_TARGETS = {
    "fixed_asset_investment": 45,
    "government_investment": 15,
    "industrial_investment": 30,
    "foreign_investment": 5000,
    "domestic_investment": 30,
    "industrial_output": 150,
    "industrial_output_above_size": 120,
    "industrial_value_added": 28,
    "main_business_revenue": 160,
    "tax_revenue": 6,
    "fiscal_revenue": 9,
    "export_value": 3,
    "land_supplied": 1500,
    "industrial_land_supplied": 1000,
    "land_transferred": 1200,
    "land_reclaimed": 1200,
    "land_financing_certificates": 3000,
    "sea_use_acceptance": 2000,
    "unused_land_quota": 800,
    "enterprises_admitted": 25,
    "enterprises_started": 15,
    "enterprises_in_production": 12,
    "enterprises_in_production_std_factory": 6,
    "enterprises_evaluated": 30,
    "enterprises_above_size": 60,
    "projects_continuing": 20,
    "projects_new_start": 25,
    "projects_in_approval": 18,
    "projects_completed": 10,
    "road_base": 40,
    "earth_fill": 800,
    "river_excavation": 200,
    "river_excavation_length": 15,
    "loans_obtained": 10,
    "greening_area": 30,
    "greening_soil": 60,
    "energy_per_output": 0.55,
}
# For indicators added in the admin and missing above: a typical target by unit, then by dimension.
BASE_BY_UNIT = {
    "亿元": 20,
    "万元": 5000,
    "元": 10**7,
    "亿美元": 2,
    "万美元": 3000,
    "亩": 800,
    "公顷": 50,
    "平方公里": 5,
    "万平方米": 20,
    "平方米": 50000,
    "公里": 20,
    "千米": 20,
    "米": 5000,
    "万吨": 300,
    "吨": 5000,
    "%": 50,
}
BASE_BY_DIMENSION = {"count": 15}
DEFAULT_BASE = 100

# Monthly pace through the year: slow around the Spring Festival, pushes before the half-year and year-end.
SEASON = (0.75, 0.55, 1.0, 1.0, 1.05, 1.2, 0.9, 0.9, 1.1, 1.0, 1.05, 1.5)

AHEAD, SLIGHTLY_BEHIND, BEHIND = "ahead", "slightly_behind", "behind"
# Completion minus 序时进度 (as a fraction) at the latest month of the current year, on the good side when
# positive. The ranges stay clear of the status thresholds (0 and 10 points) so that rounding cannot flip them.
STATUS_GAPS = {AHEAD: (0.01, 0.12), SLIGHTLY_BEHIND: (-0.085, -0.015), BEHIND: (-0.20, -0.13)}
STATUS_SHARES = ((AHEAD, 0.4), (SLIGHTLY_BEHIND, 0.3), (BEHIND, 0.3))

PHASE_WEIGHTS = {Phase.PREPARATION: 20, Phase.NEW_START: 25, Phase.CONTINUING: 35, Phase.COMPLETED: 20}
CATEGORY_WEIGHTS = {
    ProjectCategory.ROAD: 18,
    ProjectCategory.BRIDGE: 8,
    ProjectCategory.GREENING: 10,
    ProjectCategory.WATER: 8,
    ProjectCategory.SCHOOL: 5,
    ProjectCategory.UTILITY: 10,
    ProjectCategory.PUBLIC_BUILDING: 8,
    ProjectCategory.FACTORY: 18,
    ProjectCategory.HOUSING: 8,
    ProjectCategory.OTHER: 7,
}
# name templates and total investment range (万元) per category
PROJECT_TEMPLATES = {
    ProjectCategory.ROAD: (("{road}道路工程", "{road}改造提升工程", "{zone}{road}延伸段"), (5000, 80000)),
    ProjectCategory.BRIDGE: (("{river}{n}号桥", "{road}跨{river}桥梁工程"), (2000, 30000)),
    ProjectCategory.GREENING: (("{road}景观绿化工程", "{river}滨水绿带", "{zone}口袋公园"), (500, 10000)),
    ProjectCategory.WATER: (("{river}综合整治工程", "{river}河道开挖工程", "{zone}排涝泵站"), (2000, 40000)),
    ProjectCategory.SCHOOL: (("{zone}第{n}小学", "{zone}第{n}幼儿园", "{zone}实验中学"), (5000, 30000)),
    ProjectCategory.UTILITY: (
        ("{zone}污水处理厂", "{zone}110千伏变电站", "{road}雨污管网工程", "{zone}供水加压站"),
        (3000, 50000),
    ),
    ProjectCategory.PUBLIC_BUILDING: (
        ("{zone}企业服务中心", "{zone}消防站", "{zone}邻里中心", "园区规划展示馆"),
        (5000, 60000),
    ),
    ProjectCategory.FACTORY: (
        ("{zone}标准厂房{n}期", "{industry}产业园{n}号厂房", "{zone}小微企业园{n}期"),
        (10000, 200000),
    ),
    ProjectCategory.HOUSING: (("{zone}人才公寓{n}期", "{zone}安置小区{n}期", "{zone}职工生活区"), (5000, 80000)),
    ProjectCategory.OTHER: (("{zone}造田造地工程{n}期", "智慧园区平台{n}期", "{river}围垦工程"), (1000, 20000)),
}
ROADS = (
    "经一路",
    "经二路",
    "经三路",
    "经五路",
    "纬一路",
    "纬二路",
    "纬四路",
    "纬六路",
    "创新大道",
    "港湾大道",
    "科技路",
    "园区大道",
    "滨海大道",
    "金塘路",
    "晨光路",
    "千禧路",
    "云海路",
    "兴业路",
    "临港路",
    "松航路",
)
RIVERS = ("祥云河", "金沙河", "礁山湖", "龙门湖", "曙光湖", "白沙河", "清水河", "东湖")
UPDATE_NOTES = {
    Phase.PREPARATION: ("完成可研批复", "初步设计评审通过", "完成施工招标", "取得用地预审"),
    Phase.NEW_START: ("开工建设", "完成场地平整", "桩基施工"),
    Phase.CONTINUING: ("主体结构施工", "主体结构封顶", "附属工程施工", "设备安装"),
    Phase.COMPLETED: ("竣工验收", "完工并投入使用"),
}
RESPONSIBLE_UNITS = (
    "园区开发建设有限公司",
    "规划建设局",
    "经济发展局",
    "城投集团",
    "国土资源分局",
    "社会事业局",
    "市政公用事业中心",
)

STAGE_WEIGHTS = {
    Stage.INTENT: 25,
    Stage.EVALUATION: 20,
    Stage.SETTLED: 20,
    Stage.CONSTRUCTION: 15,
    Stage.PRODUCTION: 20,
}
# industry, the word a company of that industry puts in its name
INDUSTRIES = (
    ("高端装备制造", "智能装备"),
    ("新能源汽车零部件", "汽车部件"),
    ("新材料", "新材料"),
    ("生物医药", "生物医药"),
    ("电子信息", "电子"),
    ("节能环保", "环保科技"),
    ("精细化工", "化工"),
    ("智能家电", "电器"),
    ("光伏", "光伏科技"),
    ("锂电池", "新能源"),
    ("食品加工", "食品"),
    ("现代物流", "物流"),
    ("纺织服装", "纺织"),
    ("医疗器械", "医疗器械"),
    ("泵与电机", "泵业"),
    ("集成电路", "微电子"),
    ("船舶修造", "船舶"),
    ("金属制品", "金属制品"),
    ("软件和信息服务", "信息技术"),
    ("模具", "模具"),
)
REGIONS = ("浙江", "江苏", "上海", "宁波", "台州", "杭州", "温州", "广东", "深圳", "山东", "安徽", "福建")
BRAND_CHARS = "恒瑞华泰鑫达远通盛宏源昌德丰利安嘉晟凯隆越创"

# kind: name, unit, planned quantity range for a park of size 1 (a count unit gives whole numbers)
WORKS = {
    WorkKind.ROAD_BASE: ("道路路基工程", "公里", (3, 20)),
    WorkKind.PAVEMENT: ("市政道路路面", "公里", (2, 15)),
    WorkKind.ROAD: ("新建道路", "条", (1, 6)),
    WorkKind.BRIDGE: ("桥梁工程", "座", (1, 6)),
    WorkKind.GREENING: ("景观绿化", "万平方米", (2, 15)),
    WorkKind.EARTH_FILL: ("填筑土石方", "万吨", (50, 400)),
    WorkKind.EXCAVATION: ("河湖开挖", "万平方米", (10, 80)),
    WorkKind.RECLAMATION: ("造田造地", "亩", (100, 800)),
    WorkKind.PIPE_NETWORK: ("雨污管网", "公里", (5, 30)),
    WorkKind.NURSERY: ("苗圃基地", "亩", (50, 300)),
    WorkKind.OTHER: ("配套工程", "项", (1, 5)),
}


class DemoDataError(Exception):
    """The demo data cannot be generated as asked (a real park already uses a demo code or name)."""


@dataclass
class ZonePlan:
    name: str
    name_en: str
    weight: float
    pk: int | None = None


@dataclass
class ParkPlan:
    """What a demo park looks like before anything is written: names, size, growth and zones."""

    index: int
    code: str
    name: str
    name_en: str
    size: float
    growth: float
    zones: list
    pk: int | None = None


@dataclass
class Result:
    """What ``generate()`` or ``clear()`` did: rows written per table, parks removed, seconds taken."""

    seed: int | None = None
    parks: int = 0
    removed_parks: int = 0
    counts: dict = field(default_factory=dict)  # model -> rows written
    catalogue_created: int = 0
    seconds: float = 0.0


def parks_for_scale(scale):
    """The number of demo parks ``--scale`` stands for: 2 at scale 1 (the showcase park and another), 250 at 100."""
    return max(1, math.floor(scale * PARKS_PER_SCALE))


def latest_month(today):
    """The last month of the current year with actuals: last month, at least January."""
    return max(1, today.month - 1)


def plan_parks(seed, count):
    """The demo parks to generate, each from its own random stream so that a park does not depend on the count."""
    plans = []
    for index in range(1, count + 1):
        rng = random.Random(f"{seed}:park:{index}")
        if index == 1:
            name, name_en, size = *SHOWCASE_NAME, 1.0
        else:
            name, name_en, size = f"示例园区 {index:03d}", f"Demo Park {index:03d}", rng.uniform(0.35, 1.8)
        picked = sorted(rng.sample(range(len(ZONES)), ZONES_PER_PARK))
        weights = [rng.uniform(0.5, 1.5) for _ in picked]
        total = sum(weights)
        zones = [ZonePlan(ZONES[i][0], ZONES[i][1], w / total) for i, w in zip(picked, weights)]
        plans.append(ParkPlan(index, f"{CODE_PREFIX}{index:03d}", name, name_en, size, rng.uniform(0.04, 0.12), zones))
    return plans


def generate(seed=DEFAULT_SEED, scale=1, parks=None, today=None):
    """Replace every demo park with freshly generated ones and return what was written.

    ``parks`` overrides the number of parks ``scale`` stands for; ``today`` (a date) defaults to the local date.
    """
    started = time.perf_counter()
    today = today or timezone.localdate()
    plans = plan_parks(seed, parks if parks is not None else parks_for_scale(scale))
    result = Result(seed=seed, parks=len(plans))
    with transaction.atomic():
        result.removed_parks = _delete_demo_parks()
        _refuse_clashes(plans)
        result.catalogue_created = _ensure_catalogue()
        # Sorted in Python: the database's collation could order the codes differently.
        fields = ("pk", "code", "unit", "higher_is_better", "aggregation")
        indicators = sorted(Indicator.objects.only(*fields), key=lambda i: i.code)
        _create_parks(plans)
        writer = BulkWriter(connection)
        years = list(range(today.year - YEARS + 1, today.year + 1))
        last_month = latest_month(today)
        pending_updates = {}
        for plan in plans:
            _write_figures(writer, seed, plan, indicators, years, last_month)
            pending_updates.update(_write_projects(writer, seed, plan, today))
            _write_enterprises(writer, seed, plan, today)
            _write_works(writer, seed, plan, years, last_month)
        writer.flush()
        _write_project_updates(writer, plans, pending_updates)
        writer.flush()
    _analyze(writer.counts)
    result.counts = {Park: len(plans), Zone: sum(len(p.zones) for p in plans), **writer.counts}
    result.seconds = time.perf_counter() - started
    return result


def clear():
    """Delete every demo park and all its data; real parks are left alone."""
    started = time.perf_counter()
    with transaction.atomic():
        removed = _delete_demo_parks()
    return Result(removed_parks=removed, seconds=time.perf_counter() - started)


# --- writing -------------------------------------------------------------------------------------------------


class BulkWriter:
    """Buffers rows per model and writes them in batches: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.

    A row holds the values of the fields named in ``add()`` (ids for foreign keys), in that order; every other
    column gets its default, and ``created``/``modified`` the time the writer was made. No ``save()``, no
    signals: the rows get no change history.
    """

    def __init__(self, conn, batch_size=BATCH_SIZE):
        self.connection = conn
        self.batch_size = batch_size
        self.now = timezone.now()
        self.tables = {}
        self.buffers = {}
        self.counts = {}  # model -> rows written

    def add(self, model, fields, rows):
        key = (model, fields)
        if key not in self.tables:
            self.tables[key] = self._table(model, fields)
            self.buffers[key] = []
            self.counts.setdefault(model, 0)
        buffer = self.buffers[key]
        buffer.extend(rows)
        if len(buffer) >= self.batch_size:
            self._write(key)

    def flush(self):
        for key in self.buffers:
            self._write(key)

    def _table(self, model, fields):
        ops = self.connection.ops
        named = [model._meta.get_field(name) for name in fields]
        rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in named]

        # Only dates and times need adapting for the driver (SQLite takes them as text); on PostgreSQL
        # these adapters return the value unchanged.
        def adapter(f):
            if isinstance(f, models.DateTimeField):
                return ops.adapt_datetimefield_value
            if isinstance(f, models.DateField):
                return ops.adapt_datefield_value
            return None

        constants = []
        for f in rest:
            value = self.now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            adapt = adapter(f)
            constants.append(adapt(value) if adapt and value is not None else value)
        adapters = [(i, adapter(f)) for i, f in enumerate(named) if adapter(f)]
        quote = ops.quote_name
        columns = ", ".join(quote(f.column) for f in [*named, *rest])
        table = quote(model._meta.db_table)
        return {
            "model": model,
            "constants": tuple(constants),
            "adapters": adapters,
            "copy": f"COPY {table} ({columns}) FROM STDIN",
            "insert": f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * (len(named) + len(rest)))})",
        }

    def _write(self, key):
        rows = self.buffers[key]
        if not rows:
            return
        table = self.tables[key]
        constants = table["constants"]
        if table["adapters"]:
            adapters = table["adapters"]
            rows = [list(row) for row in rows]
            for row in rows:
                for i, adapt in adapters:
                    if row[i] is not None:
                        row[i] = adapt(row[i])
        rows = [(*row, *constants) for row in rows]
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if self.connection.vendor == "postgresql" and hasattr(raw, "copy"):
                with raw.copy(table["copy"]) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(table["insert"], rows)
        self.counts[table["model"]] += len(rows)
        self.buffers[key] = []


def _analyze(counts):
    """Refresh PostgreSQL's planner statistics of the tables just filled, as after any bulk load.

    Autovacuum would, within a minute or so; until then the planner could take a million rows for none.
    SQLite is left as it is: its plans without statistics are the ones the tests check.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in counts:
            cursor.execute("ANALYZE " + connection.ops.quote_name(model._meta.db_table))


def _delete_demo_parks():
    """Delete the demo parks, the large tables first with plain DELETEs, and return how many parks went.

    Django's cascade would load every row into memory to send delete signals (simple_history listens), and
    record a history row for each: minutes and gigabytes for a million figures that never had any history.
    """
    demo_parks = Park.objects.filter(is_demo=True).order_by()
    count = demo_parks.count()
    if not count:
        return 0
    demo_projects = Project.objects.filter(park__is_demo=True).order_by()
    steps = [
        (ProjectUpdate, "project", demo_projects),
        (Figure, "park", demo_parks),
        (Enterprise, "park", demo_parks),
        (InfrastructureWork, "park", demo_parks),
        (Project, "park", demo_parks),
        (Zone, "park", demo_parks),
    ]
    handled = {model for model, _fk, _parents in steps}
    quote = connection.ops.quote_name
    for model, fk, parents in steps:
        rows = model._base_manager.filter(**{f"{fk}__in": parents}).order_by()
        if not _detach(model, rows, handled):
            # Something points at these rows in a way a plain DELETE cannot honour: let Django's cascade do it.
            rows.delete()
            continue
        subquery, params = parents.values("pk").query.sql_with_params()
        table, column = quote(model._meta.db_table), quote(model._meta.get_field(fk).column)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({subquery})", params)
    # The parks themselves through Django: few rows, and other apps' data (work summaries …) cascades.
    demo_parks.delete()
    return count


def _detach(model, rows, handled):
    """Set to NULL the foreign keys other models hold to ``rows`` where they ask for SET_NULL.

    Returns False, touching nothing, when a relation needs more than that (CASCADE from a model not in
    ``handled``, PROTECT …): the caller then leaves the deletion to Django.
    """
    to_null = []
    # The relations Django's own deletion looks at, hidden ones (related_name="+") included.
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model in handled or rel.on_delete is models.DO_NOTHING:
            continue
        if rel.on_delete is not models.SET_NULL:
            return False
        to_null.append(rel)
    for rel in to_null:
        name = rel.field.name
        rel.related_model._base_manager.filter(**{f"{name}__in": rows}).update(**{name: None})
    return True


def _refuse_clashes(plans):
    codes = {p.code for p in plans}
    names = {p.name for p in plans}
    clashes = sorted(
        str(park)
        for park in Park.objects.filter(is_demo=False).filter(
            models.Q(code__startswith=CODE_PREFIX) | models.Q(name__startswith="示例")
        )
        if park.code in codes or park.name in names
    )
    if clashes:
        raise DemoDataError(f"Real (non-demo) parks use a demo park's code or name: {', '.join(clashes)}.")


def _ensure_catalogue():
    """Create the indicator catalogue from catalogue.py when the database has none; return how many were made."""
    if Indicator.objects.exists():
        return 0
    indicators = [
        Indicator(
            code=spec.code,
            name=spec.name_zh,
            name_en=spec.name_en,
            unit=spec.unit,
            category=spec.category,
            higher_is_better=spec.higher_is_better,
            aggregation=spec.aggregation,
            aliases="、".join(spec.aliases),
            sort_order=order * 10,
        )
        for order, spec in enumerate(CATALOGUE, start=1)
    ]
    bulk_create_with_history(indicators, Indicator)
    return len(indicators)


def _create_parks(plans):
    Park.objects.bulk_create(
        [Park(code=p.code, name=p.name, name_en=p.name_en, is_demo=True, description=DESCRIPTION) for p in plans],
        batch_size=BATCH_SIZE,
    )
    # Read the ids back rather than rely on bulk_create returning them, which not every backend does.
    park_ids = dict(Park.objects.filter(is_demo=True).values_list("code", "pk"))
    for plan in plans:
        plan.pk = park_ids[plan.code]
    Zone.objects.bulk_create(
        [Zone(park_id=p.pk, name=z.name, name_en=z.name_en) for p in plans for z in p.zones], batch_size=BATCH_SIZE
    )
    zone_ids = {
        (park, name): pk
        for park, name, pk in Zone.objects.filter(park__is_demo=True).values_list("park_id", "name", "pk")
    }
    for plan in plans:
        for zone in plan.zones:
            zone.pk = zone_ids[(plan.pk, zone.name)]


# --- indicator figures ---------------------------------------------------------------------------------------

FIGURE_FIELDS = (
    "indicator",
    "park",
    "zone",
    "year",
    "month",
    "kind",
    "version",
    "value",
    "entered_value",
    "entered_unit",
    "yoy_pct",
    "source",
)
TARGET, ACTUAL, FINAL, DEMO = FigureKind.TARGET.value, FigureKind.ACTUAL.value, Version.FINAL.value, Source.DEMO.value


def _status_plan(rng, codes):
    """Which status each indicator shows in the current year: some ahead of 序时进度, some behind."""
    statuses = []
    for status, share in STATUS_SHARES:
        statuses += [status] * math.ceil(share * len(codes))
    rng.shuffle(statuses)
    return dict(zip(codes, statuses))


def _is_count(unit):
    try:
        return units.get_unit(unit).dimension.startswith("count:")
    except units.UnitError:
        return False


def _base_target(indicator):
    if indicator.code in BASE_TARGETS:
        return BASE_TARGETS[indicator.code]
    if indicator.unit in BASE_BY_UNIT:
        return BASE_BY_UNIT[indicator.unit]
    return BASE_BY_DIMENSION["count"] if _is_count(indicator.unit) else DEFAULT_BASE


def _nice(value, whole):
    """A target as plans write them: two significant figures, whole for counts (at least 1)."""
    digits = 1 - math.floor(math.log10(value))
    if whole:
        return max(1, int(round(value, min(0, digits))))
    return round(value, digits)


def _cumulative_shares(rng):
    """The share of a year's total reached by the end of each month: seasonal, noisy, ending at 1."""
    weights = [s * rng.uniform(0.7, 1.3) for s in SEASON]
    total = sum(weights)
    shares, running = [], 0.0
    for w in weights:
        running += w
        shares.append(running / total)
    shares[-1] = 1.0
    return shares


def _ratio_for_status(rng, status, share, month, higher_is_better):
    """The year-end completion ratio that puts the actual at ``month`` ahead of or behind 序时进度 as planned."""
    expected = month / 12
    gap = rng.uniform(*STATUS_GAPS[status])
    if not higher_is_better:
        gap = -gap  # under the pace is the good side
    completion = max(expected + gap, expected * 0.35)
    return completion / share


def _write_figures(writer, seed, plan, indicators, years, last_month):
    park_rng = random.Random(f"{seed}:{plan.code}:statuses")
    statuses = _status_plan(park_rng, [i.code for i in indicators])
    rows = []
    for indicator in indicators:
        rng = random.Random(f"{seed}:{plan.code}:{indicator.code}")
        zones = plan.zones if indicator.code in ZONE_BREAKDOWN else []
        rows.extend(_indicator_rows(rng, plan, indicator, zones, years, last_month, statuses[indicator.code]))
    writer.add(Figure, FIGURE_FIELDS, rows)


def _indicator_rows(rng, plan, indicator, zones, years, last_month, status):
    """Targets and cumulative actuals of one indicator in one park (and its zones), as FIGURE_FIELDS rows."""
    whole = _is_count(indicator.unit)
    base = _base_target(indicator) * plan.size * rng.uniform(0.8, 1.25)
    places = 0 if whole else min(4, max(0, 3 - math.floor(math.log10(base))))
    fmt = f".{places}f"
    growth = plan.growth + rng.uniform(-0.03, 0.05)
    if not indicator.higher_is_better:
        growth = -growth / 2  # energy use per unit of output is planned to fall, a little each year
    weights = [z.weight * rng.uniform(0.7, 1.3) for z in zones]
    weights = [w / sum(weights) for w in weights] if zones else []
    ind, park = indicator.pk, plan.pk
    previous = {}  # zone id (None: whole park) -> last year's rounded cumulative values by month
    rows = []

    def emit(zone_id, year, month, kind, amount, yoy_base):
        text = format(amount, fmt)
        value = Decimal(text)
        rounded = float(text)
        yoy = None
        if yoy_base:
            yoy = Decimal(format((rounded / yoy_base - 1) * 100, ".2f"))
        rows.append((ind, park, zone_id, year, month, kind, FINAL, value, value, "", yoy, DEMO))
        return rounded

    for offset, year in enumerate(years):
        target = _nice(base * (1 + growth) ** offset * rng.uniform(0.95, 1.05), whole)
        months = last_month if year == years[-1] else 12
        shares = _cumulative_shares(rng)
        if not indicator.paced:
            # A stock or a rate is a level, not a running total: it drifts towards where it ends the year.
            if year == years[-1]:
                final = _ratio_for_status(rng, status, 1.0, 12, indicator.higher_is_better)
            else:
                final = rng.uniform(0.85, 1.1)
            start = final * rng.uniform(0.9, 1.1)
            cumulative = [target * (start + (final - start) * m / months) for m in range(1, months + 1)]
        elif year == years[-1]:
            ratio = _ratio_for_status(rng, status, shares[months - 1], months, indicator.higher_is_better)
            cumulative = [target * ratio * s for s in shares[:months]]
        else:
            ratio = rng.uniform(0.80, 1.15)
            cumulative = [target * ratio * s for s in shares[:months]]

        emit(None, year, 12, TARGET, target, None)
        last = previous.get(None)
        previous[None] = [
            emit(None, year, m, ACTUAL, v, last and last[m - 1]) for m, v in enumerate(cumulative, start=1)
        ]

        # Zones share each month's increment, so that their cumulative values grow and add up to the park's.
        zone_totals = [0.0] * len(zones)
        zone_values = [[] for _ in zones]
        before = 0.0
        for value in cumulative:
            increment, before = value - before, value
            noisy = [w * rng.uniform(0.8, 1.2) for w in weights]
            total = sum(noisy)
            for i, w in enumerate(noisy):
                zone_totals[i] += increment * w / total
                zone_values[i].append(zone_totals[i])
        for zone, weight, values in zip(zones, weights, zone_values):
            emit(zone.pk, year, 12, TARGET, target * weight, None)
            last = previous.get(zone.pk)
            previous[zone.pk] = [
                emit(zone.pk, year, m, ACTUAL, v, last and last[m - 1]) for m, v in enumerate(values, start=1)
            ]
    return rows


# --- projects ------------------------------------------------------------------------------------------------

PHASE_NAMES = {
    Phase.PREPARATION: "筹备报批",
    Phase.NEW_START: "新开工",
    Phase.CONTINUING: "续建",
    Phase.COMPLETED: "完工",
}
PROJECT_FIELDS = (
    "park",
    "zone",
    "name",
    "category",
    "phase",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "total_investment",
    "ytd_investment",
    "progress_pct",
    "responsible_unit",
    "description",
)
UPDATE_FIELDS = ("project", "date", "phase", "progress_pct", "note")


def _spread(rng, weights, count):
    """``count`` picks from ``weights`` (a dict) containing every key at least once, in random order."""
    keys = list(weights)
    picks = keys + rng.choices(keys, weights=[weights[k] for k in keys], k=max(0, count - len(keys)))
    rng.shuffle(picks)
    return picks


def _unique_name(rng, taken, make):
    for _attempt in range(20):
        name = make()
        if name not in taken:
            break
    else:
        # Every try was taken: number it.
        base, n = name, 2
        while f"{base}{n}" in taken:
            n += 1
        name = f"{base}{n}"
    taken.add(name)
    return name


def _days(rng, low, high):
    return timedelta(days=rng.randint(low, high))


def _one_decimal(value):
    return Decimal(format(value, ".1f"))


def _whole(value):
    """A whole number: a count, or an amount in whole 万元."""
    return Decimal(round(value))


def _project(rng, phase, today):
    """Dates, progress and updates of a project in ``phase`` as of ``today``: (fields, [(date, phase, %, note)])."""
    jan1 = date(today.year, 1, 1)
    notes = UPDATE_NOTES
    if phase == Phase.PREPARATION:
        planned_start = today + _days(rng, 30, 400)
        first = today - _days(rng, 60, 300)
        updates = [
            (first, phase, 0, rng.choice(notes[phase][:2])),
            (first + _days(rng, 10, (today - first).days), phase, 0, rng.choice(notes[phase][2:])),
        ]
        return (planned_start, planned_start + _days(rng, 300, 1100), None, None, 0), updates
    if phase == Phase.NEW_START:
        actual_start = jan1 + _days(rng, 0, max(0, (today - jan1).days - 1))
        planned_start = actual_start - _days(rng, 0, 60)
        progress = rng.uniform(2, 35)
        updates = [
            (actual_start - _days(rng, 10, 60), Phase.PREPARATION, 0, "取得施工许可"),
            (actual_start, phase, min(progress, 2), rng.choice(notes[phase])),
        ]
        if actual_start < today:
            updates.append(
                (
                    actual_start + _days(rng, 1, (today - actual_start).days),
                    phase,
                    progress,
                    rng.choice(notes[phase][1:]),
                )
            )
        else:
            progress = min(progress, 2)
        return (planned_start, planned_start + _days(rng, 365, 1100), actual_start, None, progress), updates
    actual_start = today - _days(rng, 400, 1700)
    planned_start = actual_start - _days(rng, 0, 45)
    planned_finish = planned_start + _days(rng, 500, 1500)
    started = rng.uniform(1, 8)
    if phase == Phase.CONTINUING:
        progress = rng.uniform(30, 95)
        middle = actual_start + _days(rng, 60, 300)
        updates = [
            (actual_start, Phase.NEW_START, started, rng.choice(notes[Phase.NEW_START])),
            (middle, phase, (started + progress) / 2, rng.choice(notes[phase])),
            (middle + _days(rng, 1, (today - middle).days), phase, progress, rng.choice(notes[phase])),
        ]
        return (planned_start, planned_finish, actual_start, None, progress), updates
    actual_finish = actual_start + _days(rng, 240, (today - actual_start).days - 1)
    before_finish = actual_start + _days(rng, 60, (actual_finish - actual_start).days - 30)
    updates = [
        (actual_start, Phase.NEW_START, started, rng.choice(notes[Phase.NEW_START])),
        (before_finish, Phase.CONTINUING, rng.uniform(60, 95), rng.choice(notes[Phase.CONTINUING])),
        (actual_finish, phase, 100, rng.choice(notes[phase])),
    ]
    return (planned_start, planned_finish, actual_start, actual_finish, 100), updates


def _write_projects(writer, seed, plan, today):
    """Write the park's projects; return their updates keyed by (park id, project name), to add once ids exist."""
    rng = random.Random(f"{seed}:{plan.code}:projects")
    phases = _spread(rng, PHASE_WEIGHTS, PROJECTS_PER_PARK)
    categories = _spread(rng, CATEGORY_WEIGHTS, PROJECTS_PER_PARK)
    taken, rows, updates = set(), [], {}
    for phase, category in zip(phases, categories):
        templates, (low, high) = PROJECT_TEMPLATES[category]
        zone = rng.choice(plan.zones)

        def make(templates=templates, zone=zone):
            return rng.choice(templates).format(
                zone=zone.name,
                road=rng.choice(ROADS),
                river=rng.choice(RIVERS),
                n=rng.randint(1, 6),
                industry=rng.choice(INDUSTRIES)[1],
            )

        name = _unique_name(rng, taken, make)
        (planned_start, planned_finish, actual_start, actual_finish, progress), history = _project(rng, phase, today)
        total = _whole(rng.uniform(low, high) * plan.size)
        if phase == Phase.PREPARATION:
            ytd = Decimal(0)
        elif phase == Phase.NEW_START:
            ytd = _whole(float(total) * progress / 100 * rng.uniform(0.8, 1.0))
        elif phase == Phase.CONTINUING:
            ytd = _whole(float(total) * rng.uniform(0.1, 0.3))
        else:
            ytd = _whole(float(total) * rng.uniform(0.05, 0.2)) if actual_finish.year == today.year else Decimal(0)
        rows.append(
            (
                plan.pk,
                zone.pk,
                name,
                category.value,
                phase.value,
                planned_start,
                planned_finish,
                actual_start,
                actual_finish,
                total,
                min(ytd, total),
                _one_decimal(progress),
                rng.choice(RESPONSIBLE_UNITS),
                f"示例项目({PHASE_NAMES[phase]})。",
            )
        )
        updates[(plan.pk, name)] = [(d, p.value, _one_decimal(pct), note) for d, p, pct, note in history]
    writer.add(Project, PROJECT_FIELDS, rows)
    return updates


def _write_project_updates(writer, plans, pending):
    ids = {
        (park, name): pk
        for park, name, pk in Project.objects.filter(park__is_demo=True).values_list("park_id", "name", "pk")
    }
    rows = []
    # Sorted so that update ids follow the parks and project names, not the order of a dict.
    for key in sorted(pending):
        rows.extend((ids[key], *update) for update in pending[key])
    writer.add(ProjectUpdate, UPDATE_FIELDS, rows)


# --- enterprises ---------------------------------------------------------------------------------------------

ENTERPRISE_FIELDS = (
    "park",
    "zone",
    "name",
    "industry",
    "is_listed",
    "stage",
    *(f for _s, f in STAGE_DATE_FIELDS),
    "land_area_mu",
    "planned_investment",
    "evaluation_outcome",
    "notes",
)


def _write_enterprises(writer, seed, plan, today):
    rng = random.Random(f"{seed}:{plan.code}:enterprises")
    order = [stage for stage, _field in STAGE_DATE_FIELDS]
    taken, rows = set(), []
    for stage in _spread(rng, STAGE_WEIGHTS, ENTERPRISES_PER_PARK):
        industry, word = rng.choice(INDUSTRIES)
        listed = rng.random() < 0.08
        form = "股份有限公司" if listed else "有限公司"
        name = _unique_name(
            rng,
            taken,
            lambda word=word, form=form: f"{rng.choice(REGIONS)}{''.join(rng.sample(BRAND_CHARS, 2))}{word}{form}",
        )
        reached = order.index(stage) + 1
        # Walk back from the latest stage reached, a few weeks to months per step.
        dates = [today - _days(rng, 0, 540)]
        for _step in range(reached - 1):
            dates.append(dates[-1] - _days(rng, 20, 240))
        dates = list(reversed(dates)) + [None] * (len(order) - reached)
        if stage == Stage.INTENT:
            outcome = ""
        elif stage == Stage.EVALUATION:
            outcome = rng.choices(
                [EvaluationOutcome.PENDING, EvaluationOutcome.PASSED, EvaluationOutcome.REJECTED], weights=[60, 25, 15]
            )[0].value
        else:
            outcome = EvaluationOutcome.PASSED.value
        land = min(1500.0, max(5.0, math.exp(rng.gauss(math.log(60), 0.8))))
        investment = _whole(land * rng.uniform(150, 600))
        rows.append(
            (
                plan.pk,
                None if rng.random() < 0.05 else rng.choice(plan.zones).pk,
                name,
                industry,
                listed,
                stage.value,
                *dates,
                None if stage == Stage.INTENT else _one_decimal(land),
                investment,
                outcome,
                "",
            )
        )
    writer.add(Enterprise, ENTERPRISE_FIELDS, rows)


# --- infrastructure works ------------------------------------------------------------------------------------

WORK_FIELDS = ("park", "zone", "year", "kind", "name", "unit", "planned_quantity", "completed_quantity")


def _write_works(writer, seed, plan, years, last_month):
    rng = random.Random(f"{seed}:{plan.code}:works")
    rows = []
    for year in years:
        for kind, (label, unit, (low, high)) in WORKS.items():
            whole = _is_count(unit)
            for zone in rng.sample(plan.zones, 2 if rng.random() < 0.4 else 1):
                planned = max(1.0, rng.uniform(low, high) * plan.size)
                if year == years[-1]:
                    done = planned * last_month / 12 * rng.uniform(0.6, 1.2)
                else:
                    done = planned * rng.uniform(0.7, 1.1)
                quantity = _whole if whole else _one_decimal
                rows.append(
                    (plan.pk, zone.pk, year, kind.value, f"{zone.name}{label}", unit, quantity(planned), quantity(done))
                )
    writer.add(InfrastructureWork, WORK_FIELDS, rows)

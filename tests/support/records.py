"""Records built in code: each builder creates the smallest valid record and takes keyword overrides, so that a
test names only what it checks; :func:`park_with_data` builds a park with some of everything for the pages.
"""

from datetime import date
from decimal import Decimal

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project


def make_park(**kwargs):
    kwargs.setdefault("code", "dongbu")
    kwargs.setdefault("name", "东部产业集聚区")
    return Park.objects.create(**kwargs)


def make_zone(park, name="东部XX县区", **kwargs):
    return Zone.objects.create(park=park, name=name, **kwargs)


INDICATORS = {
    # code: (Chinese name, English name, canonical unit, category)
    "fixed_asset_investment": ("固定资产投资", "Fixed-asset investment", "亿元", "investment"),
    "industrial_output": ("工业总产值", "Gross industrial output", "亿元", "output"),
    "land_supplied": ("供地", "Land supplied", "亩", "land"),
    "greening_area": ("绿化面积", "Greening area", "平方米", "ecology"),
    "enterprises_started": ("新开工企业", "Enterprises started construction", "家", "enterprises"),
}


def make_indicator(code="fixed_asset_investment", **kwargs):
    """An indicator of :data:`INDICATORS`; another code needs a ``name`` (its English name is made from the code, the
    rest is a money indicator of the investment category unless given)."""
    if code in INDICATORS:
        name, name_en, unit, category = INDICATORS[code]
        values = {"name": name, "name_en": name_en, "unit": unit, "category": category}
    else:
        values = {"name_en": code.replace("_", " ").title(), "unit": "亿元", "category": "investment"}
    values.update(kwargs)
    return Indicator.objects.create(code=code, **values)


def make_figure(indicator, park, **kwargs):
    kwargs.setdefault("year", 2023)
    kwargs.setdefault("month", 10)
    kwargs.setdefault("kind", "actual")
    if "value" not in kwargs and "yoy_pct" not in kwargs and "entered_value" not in kwargs:
        kwargs["value"] = Decimal("20.75")
    return Figure.objects.create(indicator=indicator, park=park, **kwargs)


def make_project(park, **kwargs):
    kwargs.setdefault("name", "城市规划馆")
    kwargs.setdefault("category", "public_building")
    kwargs.setdefault("phase", "continuing")
    kwargs.setdefault("progress_pct", Decimal("40"))
    return Project.objects.create(park=park, **kwargs)


def make_enterprise(park, **kwargs):
    kwargs.setdefault("name", "浙江爱仕达电器")
    kwargs.setdefault("industry", "家电")
    kwargs.setdefault("stage", "settled")
    kwargs.setdefault("land_area_mu", Decimal("643"))
    return Enterprise.objects.create(park=park, **kwargs)


def make_work(park, **kwargs):
    kwargs.setdefault("year", 2023)
    kwargs.setdefault("kind", "road_base")
    kwargs.setdefault("name", "道路路基")
    kwargs.setdefault("unit", "公里")
    kwargs.setdefault("planned_quantity", Decimal("60"))
    kwargs.setdefault("completed_quantity", Decimal("56.5"))
    return InfrastructureWork.objects.create(park=park, **kwargs)


def park_with_data(code="east", name="东部园区", year=2023, month=6, n_projects=3, n_enterprises=3, n_works=3):
    """A park and its zone (name + 北片) with, for the indicators ``fai`` (亿元) and ``land`` (亩): an annual target
    (24 and 600), cumulative monthly actuals from January to ``month`` on the pace of the target with a growth of
    5.5 %, and the zone's actual of ``month`` (a quarter of the target); plus ``n_projects`` projects,
    ``n_enterprises`` enterprises and ``n_works`` works in the zone."""
    park = make_park(code=code, name=name)
    zone = make_zone(park, name + "北片")
    fai = Indicator.objects.filter(code="fai").first() or make_indicator("fai", name="固定资产投资")
    land = Indicator.objects.filter(code="land").first() or make_indicator(
        "land", name="供地", unit="亩", category="land"
    )
    for indicator, target in ((fai, Decimal("24")), (land, Decimal("600"))):
        make_figure(indicator, park, year=year, month=12, kind="target", value=target)
        for m in range(1, month + 1):
            make_figure(indicator, park, year=year, month=m, value=target * m / 12, yoy_pct=Decimal("5.5"))
        make_figure(indicator, park, zone=zone, year=year, month=month, value=target / 4)
    for i in range(n_projects):
        make_project(
            park,
            zone=zone,
            name=f"{name}项目{i}",
            category="other",
            phase="continuing",
            progress_pct=50,
            total_investment=1000 + i,
        )
    for i in range(n_enterprises):
        make_enterprise(
            park,
            zone=zone,
            name=f"{name}企业{i}",
            industry="",
            stage="settled",
            intent_date=date(year, 1, 1),
            settled_date=date(year, 3, 1),
            land_area_mu=100 + i,
        )
    for i in range(n_works):
        make_work(
            park,
            zone=zone,
            year=year,
            kind="road",
            name=f"道路{i}",
            unit="公里",
            planned_quantity=10,
            completed_quantity=i,
        )
    return park


def small_and_large_parks(n_large=30):
    """Two parks of :func:`park_with_data`: 小园区 with one record of each kind, 大园区 with ``n_large`` of each; a
    page that costs the same queries for both does not query once per row."""
    small = park_with_data(code="small", name="小园区", n_projects=1, n_enterprises=1, n_works=1)
    large = park_with_data(code="large", name="大园区", n_projects=n_large, n_enterprises=n_large, n_works=n_large)
    return small, large

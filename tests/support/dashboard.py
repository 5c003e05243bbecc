"""The dashboard the browser tests (and the screenshots) look at: three parks, six indicators over two years, and
records of every kind, built by :func:`build_dashboard`."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parkdash.indicators.models import Figure

from .records import make_enterprise, make_indicator, make_park, make_project, make_work, make_zone

MONTHS_THIS_YEAR = 6  # the current year's actuals run from January through June


@dataclass
class Dashboard:
    """The records the browser tests look at."""

    park: object  # everything: figures for two years, zones, projects, enterprises, works
    partial_park: object  # figures only: no projects, enterprises or works
    empty_park: object  # no data at all
    year: int
    last_year: int
    user: object
    indicators: dict


# code: (Chinese name, English name, unit, category, higher is better,
#        target this year, target last year, share of the pace reached this year)
DASHBOARD_INDICATORS = {
    "fixed_asset_investment": (
        "固定资产投资",
        "Fixed-asset investment",
        "亿元",
        "investment",
        True,
        "120",
        "100",
        "1.1",
    ),
    "land_supplied": ("供地", "Land supplied", "亩", "land", True, "1500", "1200", "0.95"),
    "enterprises_admitted": ("新入区企业", "Enterprises newly admitted", "家", "enterprises", True, "30", "24", "0.6"),
    "energy_per_output": (
        "单位工业增加值能耗",
        "Energy use per unit of industrial value added",
        "吨标准煤/万元",
        "ecology",
        False,
        "0.5",
        "0.55",
        "0.8",
    ),
    "industrial_output": ("工业总产值", "Gross industrial output", "亿元", "output", True, None, None, "1"),
    "projects_new_start": ("新开工工程", "Newly started projects", "个", "construction", True, "4", "3", "0.5"),
}


def make_dashboard_indicators():
    return {
        code: make_indicator(
            code,
            name=name,
            name_en=name_en,
            unit=unit,
            category=category,
            higher_is_better=higher,
            sort_order=order,
        )
        for order, (code, (name, name_en, unit, category, higher, *_rest)) in enumerate(DASHBOARD_INDICATORS.items())
    }


def make_dashboard_figures(park, indicators, year, zones=()):
    """Annual targets, monthly cumulative actuals (last year: 12 months; this year: January–June), zone splits."""
    figures = []
    for code, (*_names, target_now, target_last, share) in DASHBOARD_INDICATORS.items():
        indicator = indicators[code]
        for y, target, months in ((year - 1, target_last, 12), (year, target_now, MONTHS_THIS_YEAR)):
            base = Decimal(target or "80")
            if target is not None:
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        year=y,
                        month=12,
                        kind="target",
                        value=base,
                        version="final",
                        source="manual",
                    )
                )
            pace_share = Decimal(share) if y == year else Decimal("1.02")
            for m in range(1, months + 1):
                value = (base * m / 12 * pace_share).quantize(Decimal("0.01"))
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        year=y,
                        month=m,
                        kind="actual",
                        value=value,
                        yoy_pct=Decimal("6.5") if y == year else None,
                        version="final",
                        source="manual",
                    )
                )
            for i, zone in enumerate(zones):
                value = (base * months / 12 * Decimal(share) * (i + 1) / 3).quantize(Decimal("0.01"))
                figures.append(
                    Figure(
                        indicator=indicator,
                        park=park,
                        zone=zone,
                        year=y,
                        month=months,
                        kind="actual",
                        value=value,
                        version="final",
                        source="manual",
                    )
                )
    Figure.objects.bulk_create(figures)


def make_dashboard_projects(park, zones):
    for i, (phase, progress) in enumerate(
        (("preparation", 0), ("new_start", 15), ("new_start", 30), ("continuing", 60), ("completed", 100))
    ):
        make_project(
            park,
            zone=zones[i % 2],
            name=f"工程{i + 1}号",
            phase=phase,
            progress_pct=Decimal(progress),
            total_investment=Decimal(5000 + 1000 * i),
            category="road",
        )


def make_dashboard_enterprises(park, zones, year):
    stages = ["intent", "evaluation", "settled", "construction", "production"]
    rows = [
        ("河南意向科技", "电子信息", "intent"),
        ("郑州评估材料", "新材料", "evaluation"),
        ("洛阳落户机械", "装备制造", "settled"),
        ("开封开工食品", "食品加工", "construction"),
        ("浙江爱仕达电器", "家用电器", "production"),
        ("许昌投产纺织", "纺织服装", "production"),
    ]
    for i, (name, industry, stage) in enumerate(rows):
        # a date for every stage reached, in pipeline order
        reached = stages[: stages.index(stage) + 1]
        stage_dates = {f"{s}_date": date(year - 1, 1 + 2 * n, 10) for n, s in enumerate(reached)}
        make_enterprise(
            park,
            zone=zones[i % 2],
            name=name,
            industry=industry,
            stage=stage,
            land_area_mu=Decimal(120 + 10 * i),
            planned_investment=Decimal(30000 + i),
            **stage_dates,
        )


def make_dashboard_works(park, zones, year):
    for i, (kind, name, unit, planned, done) in enumerate(
        (
            ("road_base", "道路路基", "公里", "60", "56.5"),
            ("greening", "景观绿化", "万平方米", "120", "45"),
            ("bridge", "跨河桥梁", "座", "4", "1"),
        )
    ):
        for y in (year - 1, year):
            make_work(
                park,
                zone=zones[i % 2],
                year=y,
                kind=kind,
                name=name,
                unit=unit,
                planned_quantity=Decimal(planned),
                completed_quantity=Decimal(done) if y == year else Decimal(planned),
            )


def build_dashboard(year, user):
    """A park with everything, a park with figures only and an empty park, for ``year`` and the year before;
    ``user`` is the one who looks at them."""
    park = make_park(code="a-dongbu", name="东部产业集聚区", name_en="Eastern Industrial Cluster")
    zones = [make_zone(park, "北片区"), make_zone(park, "南片区")]
    partial = make_park(code="b-xibu", name="西部产业园", name_en="Western Park")
    empty = make_park(code="c-xinqu", name="新区", name_en="New District")
    indicators = make_dashboard_indicators()
    make_dashboard_figures(park, indicators, year, zones)
    make_dashboard_figures(partial, indicators, year)
    make_dashboard_projects(park, zones)
    make_dashboard_enterprises(park, zones, year)
    make_dashboard_works(park, zones, year)
    return Dashboard(
        park=park,
        partial_park=partial,
        empty_park=empty,
        year=year,
        last_year=year - 1,
        user=user,
        indicators=indicators,
    )

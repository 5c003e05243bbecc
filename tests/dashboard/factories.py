"""Small builders for dashboard tests: a park with figures, projects, enterprises and works."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project


def superuser(name="admin"):
    return get_user_model().objects.create_superuser(name, "", "pw")


def indicator(code, name, unit="亿元", higher_is_better=True, category="investment"):
    return Indicator.objects.create(
        code=code,
        name=name,
        name_en=code.replace("_", " ").title(),
        unit=unit,
        higher_is_better=higher_is_better,
        category=category,
    )


def park_with_data(code="east", name="东部园区", year=2023, month=6, n_projects=3, n_enterprises=3, n_works=3):
    """A park with targets and cumulative actuals for two indicators, plus records of every other kind."""
    park = Park.objects.create(code=code, name=name)
    zone = Zone.objects.create(park=park, name=name + "北片")
    fai = Indicator.objects.filter(code="fai").first() or indicator("fai", "固定资产投资")
    land = Indicator.objects.filter(code="land").first() or indicator("land", "供地", unit="亩", category="land")
    for ind, target in ((fai, Decimal("24")), (land, Decimal("600"))):
        Figure.objects.create(indicator=ind, park=park, year=year, month=12, kind="target", value=target)
        for m in range(1, month + 1):
            Figure.objects.create(
                indicator=ind,
                park=park,
                year=year,
                month=m,
                kind="actual",
                value=target * m / 12,
                yoy_pct=Decimal("5.5"),
            )
        Figure.objects.create(
            indicator=ind, park=park, zone=zone, year=year, month=month, kind="actual", value=target / 4
        )
    for i in range(n_projects):
        Project.objects.create(
            park=park, zone=zone, name=f"{name}项目{i}", phase="continuing", progress_pct=50, total_investment=1000 + i
        )
    for i in range(n_enterprises):
        Enterprise.objects.create(
            park=park,
            zone=zone,
            name=f"{name}企业{i}",
            stage="settled",
            intent_date=date(year, 1, 1),
            settled_date=date(year, 3, 1),
            land_area_mu=100 + i,
        )
    for i in range(n_works):
        InfrastructureWork.objects.create(
            park=park,
            zone=zone,
            year=year,
            kind="road",
            name=f"道路{i}",
            unit="公里",
            planned_quantity=10,
            completed_quantity=i,
        )
    return park

"""Two parks, A and B, with a record of every kind each, and the five personas of the trust tests.

Park B's records carry names found nowhere else (乙…), so a page that shows any of them is caught by a plain
``assertNotContains``.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from parkdash.core.roles import ADMINISTRATOR, EDITOR, VIEWER
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake import services
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project, ProjectUpdate
from tests.parks.support import make_indicator

SUMMARY_TEXT = """{park}2023年1-6月工作总结
一、上半年工作完成情况
1-6月,园区完成固定资产投资12.5亿元,同比增长8.5%。完成供地150亩。
二、下半年工作计划
全年力争实现固定资产投资30亿元。
"""

# Every domain model, for row counts.
DOMAIN_MODELS = (Park, Zone, Figure, Project, ProjectUpdate, Enterprise, InfrastructureWork, WorkSummary)


def row_counts():
    return {model.__name__: model.objects.count() for model in DOMAIN_MODELS}


def build_park(code, name, mark, fai, land):
    """A park with a zone, a target and two actuals, a project, an enterprise, a work and a summary."""
    park = Park.objects.create(code=code, name=name)
    zone = Zone.objects.create(park=park, name=mark + "北片")
    figures = [
        Figure.objects.create(indicator=fai, park=park, year=2023, month=12, kind="target", value=Decimal("24")),
        Figure.objects.create(indicator=fai, park=park, year=2023, month=6, kind="actual", value=Decimal("12")),
        Figure.objects.create(indicator=land, park=park, zone=zone, year=2023, month=6, kind="actual",
                              value=Decimal("150")),
    ]
    project = Project.objects.create(park=park, zone=zone, name=mark + "污水处理厂", category="utility",
                                     phase="continuing", progress_pct=Decimal("40"), total_investment=1000)
    enterprise = Enterprise.objects.create(park=park, zone=zone, name=mark + "电器股份", stage="settled",
                                           intent_date=date(2023, 1, 1), settled_date=date(2023, 3, 1),
                                           land_area_mu=Decimal("100"))
    work = InfrastructureWork.objects.create(park=park, zone=zone, year=2023, kind="road_base",
                                             name=mark + "道路路基", unit="公里", planned_quantity=10,
                                             completed_quantity=5)
    summary = services.create_summary(park=park, year=2023, month=6, text=SUMMARY_TEXT.format(park=name),
                                      title=mark + "上半年总结")
    return {"park": park, "zone": zone, "figures": figures, "figure": figures[1], "project": project,
            "enterprise": enterprise, "work": work, "summary": summary}


def persona(username, role=None, parks=(), staff=False):
    user = get_user_model().objects.create_user(username, password="pw", is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for park in parks:
        park.members.add(user)
    return user


class World:
    """setUpTestData for a TestCase: parks A and B, and administrator, editor_a, viewer_a, nobody."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")
        cls.a = build_park("park-a", "甲园区", "甲", cls.fai, cls.land)
        cls.b = build_park("park-b", "乙园区", "乙", cls.fai, cls.land)
        cls.park_a, cls.park_b = cls.a["park"], cls.b["park"]
        cls.administrator = persona("administrator", ADMINISTRATOR, staff=True)
        cls.editor_a = persona("editor_a", EDITOR, [cls.park_a], staff=True)
        cls.viewer_a = persona("viewer_a", VIEWER, [cls.park_a])
        cls.nobody = persona("nobody", VIEWER)

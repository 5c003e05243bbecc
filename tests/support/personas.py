"""Two parks, A and B, with a record of every kind each, and the personas of the trust tests.

Each park's records carry names and amounts found nowhere else (甲… for A, 乙… for B; ytd investment 41826.53 and
73519.27 …), so a page that shows any of them is caught by a plain ``assertNotContains`` or by :func:`markers`.
Each park also has a deleted project, whose last version only the history keeps.
"""

import re
from dataclasses import dataclass
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
from parkdash.reports.models import ReportLine

from .records import make_indicator

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


# Amounts of each park found nowhere else: a page or a file showing one of them shows that park's records.
AMOUNTS = {
    "甲": {
        "total_investment": Decimal("94836.14"),
        "ytd_investment": Decimal("41826.53"),
        "planned_investment": Decimal("52947.18"),
        "yoy_pct": Decimal("29.47"),
    },
    "乙": {
        "total_investment": Decimal("97352.86"),
        "ytd_investment": Decimal("73519.27"),
        "planned_investment": Decimal("86204.39"),
        "yoy_pct": Decimal("61.83"),
    },
}


def build_park(code, name, mark, fai, land):
    """A park with a zone, a target and two actuals, a project, an enterprise, a work, a summary and a deleted
    project; every text and amount of them is the park's own (see :func:`markers`)."""
    amounts = AMOUNTS[mark]
    park = Park.objects.create(code=code, name=name)
    zone = Zone.objects.create(park=park, name=mark + "北片")
    figures = [
        Figure.objects.create(indicator=fai, park=park, year=2023, month=12, kind="target", value=Decimal("24")),
        Figure.objects.create(
            indicator=fai,
            park=park,
            year=2023,
            month=6,
            kind="actual",
            value=Decimal("12"),
            yoy_pct=amounts["yoy_pct"],
            note=mark + "快报备注",
        ),
        Figure.objects.create(
            indicator=land, park=park, zone=zone, year=2023, month=6, kind="actual", value=Decimal("150")
        ),
    ]
    project = Project.objects.create(
        park=park,
        zone=zone,
        name=mark + "污水处理厂",
        category="utility",
        phase="continuing",
        progress_pct=Decimal("40"),
        total_investment=amounts["total_investment"],
        ytd_investment=amounts["ytd_investment"],
        responsible_unit=mark + "建设局",
        description=mark + "项目说明",
    )
    enterprise = Enterprise.objects.create(
        park=park,
        zone=zone,
        name=mark + "电器股份",
        stage="settled",
        intent_date=date(2023, 1, 1),
        settled_date=date(2023, 3, 1),
        land_area_mu=Decimal("100"),
        industry=mark + "家电",
        planned_investment=amounts["planned_investment"],
        notes=mark + "企业备注",
    )
    work = InfrastructureWork.objects.create(
        park=park,
        zone=zone,
        year=2023,
        kind="road_base",
        name=mark + "道路路基",
        unit="公里",
        planned_quantity=10,
        completed_quantity=5,
        notes=mark + "工程备注",
    )
    summary = services.create_summary(
        park=park, year=2023, month=6, text=SUMMARY_TEXT.format(park=name), title=mark + "上半年总结"
    )
    report_line = ReportLine.objects.create(park=park, indicator=fai, position=1)
    deleted = Project.objects.create(park=park, zone=zone, name=mark + "已撤销项目", category="other")
    deleted_id = deleted.pk
    deleted.delete()
    return {
        "park": park,
        "zone": zone,
        "figures": figures,
        "figure": figures[1],
        "project": project,
        "enterprise": enterprise,
        "work": work,
        "summary": summary,
        "report_line": report_line,
        "deleted_project_id": deleted_id,
        "mark": mark,
    }


@dataclass(frozen=True)
class Marker:
    """A text or an amount of one park's records, as any page or file may show it."""

    text: str
    pattern: re.Pattern
    neutral: str  # what a form posting it may send instead, so the answer cannot merely echo it

    def find(self, text):
        return self.pattern.search(text)


def _amount_pattern(value):
    # 73519.27 as 73519.27, 73,519.27 or 73519.2700 (in a CSV row too); never part of a longer number.
    whole, _dot, fraction = format(value, "f").partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return re.compile(r"(?<![\d.])" + ",?".join(groups) + r"\." + fraction.rstrip("0") + r"0*(?!\d)")


def markers(world):
    """Every text and amount found only in ``world``'s records (a dict from :func:`build_park`)."""
    project, enterprise, work = world["project"], world["enterprise"], world["work"]
    texts = [
        world["park"].name,
        world["zone"].name,
        project.name,
        project.responsible_unit,
        project.description,
        enterprise.name,
        enterprise.industry,
        enterprise.notes,
        work.name,
        work.notes,
        world["figure"].note,
        world["summary"].title,
        world["mark"] + "已撤销项目",
    ]
    found = [Marker(text, re.compile(re.escape(text)), "丙") for text in texts]
    amounts = AMOUNTS[world["mark"]].values()
    return found + [Marker(str(amount), _amount_pattern(amount), "1") for amount in amounts]


def make_admin(username="admin", password="password"):
    """The admin persona: a superuser of the economic-development bureau."""
    return get_user_model().objects.create_superuser(username, f"{username}@example.com", password)


def persona(username, role=None, parks=(), staff=False):
    user = get_user_model().objects.create_user(username, password="pw", is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    for park in parks:
        park.members.add(user)
    return user


class World:
    """setUpTestData for a TestCase: parks A and B, and the personas

    - administrator: group administrator and staff, sees every park;
    - editor_a, editor_b: group editor, staff, member of park A (B);
    - editor_none: group editor, staff, member of no park;
    - viewer_a: group viewer, member of park A, not staff; viewer_staff_a: the same with staff status;
    - nogroup_a: staff, member of park A, in no group (no permission at all);
    - nobody: group viewer, member of no park.
    """

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
        cls.viewer_staff_a = persona("viewer_staff_a", VIEWER, [cls.park_a], staff=True)
        cls.editor_b = persona("editor_b", EDITOR, [cls.park_b], staff=True)
        cls.editor_none = persona("editor_none", EDITOR, staff=True)
        cls.nogroup_a = persona("nogroup_a", parks=[cls.park_a], staff=True)

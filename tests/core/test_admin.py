"""The admin as a whole: every registered model's list, add, change and history pages, its search and filters."""

from django.contrib import admin
from django.contrib.auth.models import Group

from parkdash.api.models import APIToken
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake.models import WorkSummary
from parkdash.projects.models import Project
from parkdash.reports.models import ReportLine, Wording
from tests.support import (
    EnglishTestCase,
    make_admin,
    make_enterprise,
    make_figure,
    make_indicator,
    make_park,
    make_project,
    make_work,
    make_zone,
)
from tests.support.batteries import AdminPagesChecks

# Each has its own AdminPagesChecks in tests/<app>/test_admin.py.
PARK_RECORDS = (Figure, Project, Enterprise, InfrastructureWork)


class EveryAdminPageTests(AdminPagesChecks, EnglishTestCase):
    """One row of every registered model, then every admin page about it (tests/support/batteries.py)."""

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        park = make_park()
        zone = make_zone(park)
        indicator = make_indicator()
        make_figure(indicator, park, zone=zone)
        make_project(park, zone=zone, responsible_unit="管委会建设局")
        make_enterprise(park, zone=zone)
        make_work(park, zone=zone)
        ReportLine.objects.create(park=park, indicator=indicator, position=10, label="固投")
        Wording.objects.create(park=park, name="heading.txt", language="zh", text="{{ number_zh }}、{{ section }}")
        WorkSummary.objects.create(park=park, year=2023, month=10, title="2023年工作总结", text="今年以来……")
        Group.objects.create(name="经济发展局")
        APIToken.objects.create(user=cls.admin)

    def registered(self):
        return [(model, model_admin, model.objects.first()) for model, model_admin in admin.site._registry.items()]

    def admin_rows(self):
        """Every registered model but the park records, which have their own battery in tests/<app>/test_admin.py."""
        return [(model, model_admin, row) for model, model_admin, row in self.registered() if model not in PARK_RECORDS]

    def test_every_registered_model_has_a_row_to_show(self):
        for model, _model_admin, row in self.registered():
            with self.subTest(model=model._meta.label):
                self.assertIsNotNone(row, "give {} a row in setUpTestData".format(model._meta.label))

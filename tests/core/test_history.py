"""Nothing lost: every create, update and delete of every domain record is kept with who, when, before and after.

One test per path and model:

- admin edit: add, change and delete through the admin's own forms (ProjectUpdate through its project's inline);
- bulk import: django-import-export's two-step admin import (preview, then confirm) creating, then updating;
- summary apply: the work-summary review view calling services.apply, creating, then updating on a re-apply.

And a deleted record is restored from the admin: django-simple-history's history page answers for the id of a
deleted record (it falls back to the latest historical record), and its revert page saves the old version again,
which inserts the row anew under its old id.
"""

from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils import timezone

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake.models import WorkSummary
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project, ProjectUpdate
from tests.support import (
    EnglishTestCase,
    admin_form_data,
    csv_upload,
    import_file,
    make_admin,
    make_indicator,
    make_park,
    make_project,
    make_zone,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def records_of(model, pk):
    """The historical records of one object, oldest first."""
    return list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id"))


def changes(record, previous):
    return {change.field: (change.old, change.new) for change in record.diff_against(previous).changes}


class HistoryTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = make_admin("clerk")
        cls.checker = make_admin("checker")
        cls.remover = make_admin("remover")
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "北片")
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")

    def setUp(self):
        self.started = timezone.now()

    def as_user(self, user):
        self.client.force_login(user)

    def admin_add(self, model, user, **values):
        self.as_user(user)
        page = self.client.get(admin_url(model, "add"))
        self.assertEqual(page.status_code, 200)
        data = admin_form_data(page, **values)
        for name, field in page.context["adminform"].form.fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField) and data.get(name) == "":
                del data[name]  # nothing chosen: a browser sends no value at all
        response = self.client.post(admin_url(model, "add"), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        return model.objects.order_by("-pk").first()

    def admin_change(self, obj, user, **values):
        self.as_user(user)
        url = admin_url(type(obj), "change", obj.pk)
        response = self.client.post(url, admin_form_data(self.client.get(url), **values))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

    def admin_delete(self, obj, user):
        self.as_user(user)
        response = self.client.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(type(obj).objects.filter(pk=obj.pk).exists())

    def assertKept(self, record, history_type, user, **values):
        """``record`` is a ``history_type`` record by ``user``, made during this test, holding ``values``."""
        self.assertEqual((record.history_type, record.history_user), (history_type, user))
        self.assertGreaterEqual(record.history_date, self.started)
        for name, value in values.items():
            self.assertEqual(getattr(record, name), value, name)

    def assertLifecycle(self, model, pk, field, before, after, users):
        """Added by users[0], ``field`` changed from ``before`` to ``after`` by users[1], deleted by users[2]."""
        added, changed, deleted = records_of(model, pk)
        self.assertKept(added, "+", users[0], **{field: before})
        self.assertKept(changed, "~", users[1], **{field: after})
        self.assertEqual(changes(changed, added)[field], (before, after))
        self.assertKept(deleted, "-", users[2], **{field: after})
        self.assertLessEqual(added.history_date, changed.history_date)
        self.assertLessEqual(changed.history_date, deleted.history_date)


class AdminEditTests(HistoryTestCase):
    """Add, change and delete through the admin: each kept with who, when, before and after."""

    def lifecycle(self, model, field, before, after, change=None, **add_values):
        users = (self.clerk, self.checker, self.remover)
        obj = self.admin_add(model, self.clerk, **add_values)
        self.admin_change(obj, self.checker, **(change or {field: after}))
        self.admin_delete(obj, self.remover)
        self.assertLifecycle(model, obj.pk, field, before, after, users)

    def test_a_park_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(Park, "name_en", "", "New park", code="xinyuan", name="新园区")

    def test_a_zone_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(Zone, "name_en", "", "South", park=self.park.pk, name="南片")

    def test_an_indicator_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            Indicator,
            "aliases",
            "",
            "工业产值",
            code="output",
            name="工业总产值",
            name_en="Industrial output",
            unit="亿元",
            category="output",
        )

    def test_a_figure_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            Figure,
            "value",
            Decimal("20.75"),
            Decimal("0.3214"),
            change={"entered_value": "3214", "entered_unit": "万元"},
            entered_value="20.75",
            entered_unit="亿元",
            indicator=self.fai.pk,
            park=self.park.pk,
            year=2023,
            month=10,
            kind="actual",
            version="final",
        )

    def test_a_figure_change_through_another_unit_keeps_the_entered_value_and_unit_before_and_after(self):
        figure = self.admin_add(
            Figure,
            self.clerk,
            indicator=self.fai.pk,
            park=self.park.pk,
            year=2023,
            month=10,
            kind="actual",
            version="final",
            entered_value="20.75",
            entered_unit="亿元",
        )
        self.admin_change(figure, self.checker, entered_value="3214", entered_unit="万元")
        added, changed = records_of(Figure, figure.pk)
        diff = changes(changed, added)
        self.assertEqual(diff["entered_unit"], ("亿元", "万元"))
        self.assertEqual(diff["entered_value"], (Decimal("20.75"), Decimal("3214")))

    def test_a_project_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            Project,
            "progress_pct",
            Decimal("40"),
            Decimal("65"),
            park=self.park.pk,
            name="中心小学",
            category="school",
            phase="continuing",
            progress_pct="40",
        )

    def test_a_project_update_added_changed_and_deleted_through_its_project_inline_is_kept(self):
        # Saving a project with a new progress adds a dated update; the inline edits and deletes it.
        project = self.admin_add(
            Project,
            self.clerk,
            park=self.park.pk,
            name="中心小学",
            category="school",
            phase="continuing",
            progress_pct="40",
        )
        update = project.updates.get()
        self.admin_change(project, self.checker, **{"updates-0-note": "复核"})
        self.admin_change(project, self.remover, **{"updates-0-DELETE": "on"})
        self.assertFalse(ProjectUpdate.objects.filter(pk=update.pk).exists())
        added, changed, deleted = records_of(ProjectUpdate, update.pk)
        self.assertKept(added, "+", self.clerk, note="", progress_pct=Decimal("40"))
        self.assertKept(changed, "~", self.checker, note="复核")
        self.assertEqual(changes(changed, added), {"note": ("", "复核")})
        self.assertKept(deleted, "-", self.remover, note="复核", progress_pct=Decimal("40"))

    def test_an_enterprise_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            Enterprise,
            "land_area_mu",
            Decimal("643"),
            Decimal("650"),
            park=self.park.pk,
            name="浙江爱仕达电器",
            stage="intent",
            land_area_mu="643",
        )

    def test_an_infrastructure_work_added_changed_and_deleted_in_the_admin_is_kept(self):
        self.lifecycle(
            InfrastructureWork,
            "completed_quantity",
            Decimal("56.5"),
            Decimal("58"),
            park=self.park.pk,
            year=2023,
            kind="road_base",
            name="道路路基",
            unit="公里",
            planned_quantity="60",
            completed_quantity="56.5",
        )

    def test_a_work_summary_uploaded_changed_and_deleted_in_the_admin_is_kept(self):
        self.as_user(self.clerk)
        response = self.client.post(
            admin_url(WorkSummary, "add"),
            {
                "park": self.park.pk,
                "year": 2023,
                "month": 6,
                "plan_year": "",
                "title": "上半年总结",
                "pasted": "2023年1-6月,完成供地150亩。",
            },
        )
        self.assertEqual(response.status_code, 302)
        summary = WorkSummary.objects.get()
        self.admin_change(summary, self.checker, title="上半年工作总结")
        self.admin_delete(summary, self.remover)
        self.assertLifecycle(
            WorkSummary, summary.pk, "title", "上半年总结", "上半年工作总结", (self.clerk, self.checker, self.remover)
        )


CSV = {
    Figure: (
        "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
        "固定资产投资,dongbu,,2023,10,实际,快报,{value},亿元,42.45,\n"
    ),
    Project: (
        "park,zone,name,category,phase,total_investment,progress_pct,responsible_unit\n"
        "dongbu,北片,北片污水处理厂,utility,续建,12000,{value},建设局\n"
    ),
    Enterprise: "park,zone,name,industry,stage,land_area_mu\ndongbu,,浙江爱仕达电器,家电,意向,{value}\n",
    InfrastructureWork: (
        "park,zone,year,kind,name,unit,planned_quantity,completed_quantity,notes\n"
        "dongbu,,2023,道路路基,道路路基,公里,60,{value},\n"
    ),
}
IMPORTED_FIELD = {
    Figure: "value",
    Project: "progress_pct",
    Enterprise: "land_area_mu",
    InfrastructureWork: "completed_quantity",
}


class BulkImportTests(HistoryTestCase):
    """The admin's two-step import creates, then updates: each row kept with the importing user."""

    def import_twice(self, model, first, second):
        self.as_user(self.clerk)
        response = import_file(self.client, model, csv_upload(CSV[model].format(value=first)))
        self.assertEqual(response.status_code, 302)
        obj = model.objects.get()
        self.as_user(self.checker)
        response = import_file(self.client, model, csv_upload(CSV[model].format(value=second)))
        self.assertEqual(response.status_code, 302)
        field = IMPORTED_FIELD[model]
        added, changed = records_of(model, obj.pk)
        self.assertKept(added, "+", self.clerk, **{field: Decimal(first)})
        self.assertKept(changed, "~", self.checker, **{field: Decimal(second)})
        self.assertEqual(changes(changed, added)[field], (Decimal(first), Decimal(second)))
        return obj

    def test_figures_imported_then_reimported_are_kept_with_who_before_and_after(self):
        figure = self.import_twice(Figure, "20.75", "21")
        self.assertEqual(records_of(Figure, figure.pk)[-1].source, "import")

    def test_projects_imported_then_reimported_are_kept_with_who_before_and_after(self):
        project = self.import_twice(Project, "15", "30")
        # Each import changed the progress: each added a dated update, kept with the importing user.
        first, second = sorted(project.updates.all(), key=lambda update: update.pk)
        self.assertKept(records_of(ProjectUpdate, first.pk)[0], "+", self.clerk, progress_pct=Decimal("15"))
        self.assertKept(records_of(ProjectUpdate, second.pk)[0], "+", self.checker, progress_pct=Decimal("30"))

    def test_enterprises_imported_then_reimported_are_kept_with_who_before_and_after(self):
        self.import_twice(Enterprise, "643", "650")

    def test_works_imported_then_reimported_are_kept_with_who_before_and_after(self):
        self.import_twice(InfrastructureWork, "56.5", "58")

    def test_an_unchanged_reimport_adds_no_history(self):
        self.as_user(self.clerk)
        import_file(self.client, Enterprise, csv_upload(CSV[Enterprise].format(value="643")))
        self.as_user(self.checker)
        import_file(self.client, Enterprise, csv_upload(CSV[Enterprise].format(value="643")))
        self.assertEqual([record.history_user for record in Enterprise.history.all()], [self.clerk])


SUMMARY = (
    "2023年1-6月工作总结\n一、工作完成情况\n1-6月,园区完成固定资产投资12.5亿元,同比增长8.5%。完成供地150亩。\n"
    "浙江爱仕达电器获得北片643亩工业用地使用权。城市规划馆工程完成固定资产投资0.3亿元。\n"
)


class SummaryApplyTests(HistoryTestCase):
    """Upload a summary, apply it from the review page, change two values and apply again."""

    def review_data(self, summary, overrides):
        candidates = list(summary.candidates.order_by("position"))
        data = {
            "c-TOTAL_FORMS": len(candidates),
            "c-INITIAL_FORMS": len(candidates),
            "c-MIN_NUM_FORMS": 0,
            "c-MAX_NUM_FORMS": 1000,
            "_apply": "1",
        }
        for i, c in enumerate(candidates):
            row = {
                "id": c.pk,
                "selected": c.selected,
                "indicator": c.indicator_id or "",
                "zone": c.zone_id or "",
                "kind": c.kind,
                "value": "" if c.value is None else c.value,
                "unit": c.unit,
                "yoy_pct": "" if c.yoy_pct is None else c.yoy_pct,
                "apply_record": c.apply_record,
            }
            row.update(overrides.get(c.label, {}))
            for key, value in row.items():
                if value is True:
                    data[f"c-{i}-{key}"] = "on"
                elif value is not False:
                    data[f"c-{i}-{key}"] = value
        return data

    def test_applying_a_summary_keeps_every_figure_and_record_it_writes_with_who_before_and_after(self):
        project = make_project(self.park, name="城市规划馆工程", total_investment=Decimal("1000"))
        self.as_user(self.clerk)
        self.client.post(
            admin_url(WorkSummary, "add"),
            {"park": self.park.pk, "year": "", "month": 6, "plan_year": "", "title": "", "pasted": SUMMARY},
        )
        summary = WorkSummary.objects.get()
        self.assertKept(records_of(WorkSummary, summary.pk)[0], "+", self.clerk, applied_at=None)
        review = reverse("admin:intake_worksummary_review", args=[summary.pk])
        # The enterprise clause updates the enterprise record; the project clause only its project record.
        data = self.review_data(summary, {"工业用地使用权": {"apply_record": True}})
        project_row = next(
            i for i, c in enumerate(summary.candidates.order_by("position")) if c.record_name == "城市规划馆工程"
        )
        data[f"c-{project_row}-apply_record"] = "on"
        data.pop(f"c-{project_row}-selected", None)
        self.assertEqual(self.client.post(review, data).status_code, 302)

        fai = Figure.objects.get(indicator=self.fai, park=self.park)
        land = Figure.objects.get(indicator=self.land, park=self.park)
        self.assertKept(records_of(Figure, fai.pk)[0], "+", self.clerk, value=Decimal("12.5"), summary_id=summary.pk)
        self.assertKept(records_of(Figure, land.pk)[0], "+", self.clerk, value=Decimal("150"))
        enterprise = Enterprise.objects.get(name="浙江爱仕达电器")
        self.assertKept(records_of(Enterprise, enterprise.pk)[0], "+", self.clerk, land_area_mu=Decimal("643"))
        project_before, project_after = records_of(Project, project.pk)
        self.assertKept(project_after, "~", self.clerk, total_investment=Decimal("3000"))
        self.assertEqual(changes(project_after, project_before)["total_investment"], (Decimal("1000"), Decimal("3000")))
        uploaded, applied = records_of(WorkSummary, summary.pk)
        self.assertKept(applied, "~", self.clerk)
        self.assertEqual(changes(applied, uploaded)["applied_at"][0], None)

        # A second look: the land figure and the enterprise's land corrected, applied again by someone else.
        self.as_user(self.checker)
        data = self.review_data(
            summary, {"供地": {"value": "160"}, "工业用地使用权": {"value": "650", "apply_record": True}}
        )
        self.assertEqual(self.client.post(review, data).status_code, 302)
        before, after = records_of(Figure, land.pk)
        self.assertKept(after, "~", self.checker, value=Decimal("160"))
        self.assertEqual(changes(after, before)["value"], (Decimal("150"), Decimal("160")))
        before, after = records_of(Enterprise, enterprise.pk)
        self.assertKept(after, "~", self.checker, land_area_mu=Decimal("650"))
        self.assertEqual(changes(after, before)["land_area_mu"], (Decimal("643"), Decimal("650")))
        self.assertEqual(len(records_of(Figure, fai.pk)), 1)  # unchanged: nothing new to keep
        self.assertEqual(records_of(WorkSummary, summary.pk)[-1].history_user, self.checker)


class RestoreTests(HistoryTestCase):
    """A deleted record comes back from the admin: its history page, then its revert page."""

    def test_a_deleted_figure_is_restored_from_its_admin_history_with_its_values(self):
        figure = self.admin_add(
            Figure,
            self.clerk,
            indicator=self.fai.pk,
            park=self.park.pk,
            zone=self.zone.pk,
            year=2023,
            month=10,
            kind="actual",
            version="preliminary",
            entered_value="3214",
            entered_unit="万元",
            yoy_pct="42.45",
            note="快报",
        )
        figure_id = figure.pk
        self.admin_delete(figure, self.remover)

        self.as_user(self.checker)
        history = self.client.get(admin_url(Figure, "history", figure_id))
        self.assertEqual(history.status_code, 200)
        self.assertContains(history, "remover")
        self.assertContains(history, "Deleted")
        version = records_of(Figure, figure_id)[0]
        revert_url = reverse("admin:indicators_figure_simple_history", args=[figure_id, version.history_id])
        self.assertContains(history, revert_url)
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])

        restored = Figure.objects.get(pk=figure_id)
        self.assertEqual(
            (
                restored.indicator,
                restored.park,
                restored.zone,
                restored.year,
                restored.month,
                restored.kind,
                restored.version,
                restored.value,
                restored.entered_value,
                restored.entered_unit,
                restored.yoy_pct,
                restored.note,
            ),
            (
                self.fai,
                self.park,
                self.zone,
                2023,
                10,
                "actual",
                "preliminary",
                Decimal("0.3214"),
                Decimal("3214"),
                "万元",
                Decimal("42.45"),
                "快报",
            ),
        )
        added, deleted, restored_record = records_of(Figure, figure_id)
        self.assertEqual([r.history_type for r in (added, deleted)], ["+", "-"])
        self.assertKept(restored_record, "+", self.checker, value=Decimal("0.3214"))
        self.assertIn(restored, self.client.get(admin_url(Figure, "changelist")).context["cl"].queryset)

    def test_a_deleted_project_is_restored_from_its_admin_history(self):
        project = make_project(self.park, name="城市规划馆", progress_pct=Decimal("70"))
        project_id = project.pk
        self.admin_delete(project, self.remover)
        self.as_user(self.checker)
        version = records_of(Project, project_id)[0]
        revert_url = reverse("admin:projects_project_simple_history", args=[project_id, version.history_id])
        page = self.client.get(revert_url)
        self.assertEqual(page.status_code, 200)
        response = self.client.post(revert_url, admin_form_data(page))
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        restored = Project.objects.get(pk=project_id)
        self.assertEqual((restored.name, restored.progress_pct), ("城市规划馆", Decimal("70")))

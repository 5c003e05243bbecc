"""Park scoping, surface by surface, for five personas (in the style of Healthchecks' tests).

- administrator: group administrator and staff; sees every park through the group's ``view_all_parks``;
- editor_a: group editor, staff, member of park A;
- viewer_a: group viewer, member of park A, not staff;
- nobody: group viewer, member of no park;
- anonymous.

Parks A (甲园区) and B (乙园区) each have a zone, figures, a project, an enterprise, a work and a work summary with
candidates (tests/support/personas.py). A's editor must neither see nor change anything of B, a viewer must reach no
change page, and anonymous visitors must see nothing but the login page.
"""

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from parkdash.core.roles import VIEWER
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake.models import Candidate, WorkSummary
from parkdash.projects.models import Project
from tests.support import (
    EnglishTestCase,
    World,
    admin_form_data,
    csv_upload,
    export,
    import_errors,
    persona,
    preview_import,
    row_counts,
)

B_NAMES = ("乙园区", "乙北片", "乙污水处理厂", "乙电器股份", "乙道路路基", "乙上半年总结")
A_NAMES = ("甲园区",)

TABLES = {"/indicators/": Figure, "/projects/": Project, "/enterprises/": Enterprise, "/works/": InfrastructureWork}
# world key: (app label, model name) of every park-scoped admin
ADMINS = {
    "figure": ("indicators", "figure"),
    "project": ("projects", "project"),
    "enterprise": ("enterprises", "enterprise"),
    "work": ("infrastructure", "infrastructurework"),
    "summary": ("intake", "worksummary"),
    "zone": ("parks", "zone"),
    "park": ("parks", "park"),
}
# The admins whose add and change forms choose a park and a zone; their records can be moved by a POST.
ENTRY = ("figure", "project", "enterprise", "work")

# One row for park A, one for park B: the B row must fail and take the A row with it.
IMPORTS = {
    Figure: "indicator,park,zone,year,month,kind,version,value,unit,yoy_pct,note\n"
    "固定资产投资,{a},,2022,10,实际,快报,1,亿元,,\n"
    "固定资产投资,{b},,2022,10,实际,快报,2,亿元,,\n",
    Project: "park,zone,name,category,phase,total_investment,progress_pct\n"
    "{a},,新的项目,utility,新开工,100,10\n"
    "{b},,新的项目,utility,新开工,100,10\n",
    Enterprise: "park,zone,name,industry,stage\n{a},,新的企业,家电,意向\n{b},,新的企业,家电,意向\n",
    InfrastructureWork: "park,zone,year,kind,name,unit,planned_quantity,completed_quantity,notes\n"
    "{a},,2023,道路路基,新的道路,公里,1,1,\n"
    "{b},,2023,道路路基,新的道路,公里,1,1,\n",
}


def admin_url(key, view, *args):
    app_label, model_name = ADMINS[key]
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def content(response):
    """The body of any response, streaming or not, as text."""
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def xlsx_cells(response):
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def table_rows(response):
    """The records a table page lists (every page of them)."""
    return list(response.context["table"].data.data)


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class PersonaTestCase(World, EnglishTestCase):
    def login(self, user):
        self.client.force_login(user)

    def assertShowsNothingOfB(self, response):
        text = content(response)
        for name in B_NAMES:
            at = text.find(name)
            self.assertEqual(at, -1, f"{name} shown: …{text[max(0, at - 150) : at + 50]}…")

    def assertRedirectsToLogin(self, response, login="/accounts/login/"):
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(login + "?next="), response["Location"])

    def assertNotReachable(self, response):
        """A change page refused: the admin's "does not exist" redirect, a 404 or a 403, never the page."""
        self.assertIn(response.status_code, (302, 403, 404))
        if response.status_code == 302:
            self.assertEqual(response["Location"], reverse("admin:index"))


class DashboardTests(PersonaTestCase):
    def test_editor_of_a_sees_a_on_the_overview(self):
        self.login(self.editor_a)
        response = self.client.get("/")
        self.assertEqual(response.context["selection"].park, self.park_a)
        self.assertContains(response, "甲园区")
        self.assertShowsNothingOfB(response)

    def test_editor_of_a_asking_the_overview_for_b_gets_a(self):
        self.login(self.editor_a)
        response = self.client.get("/", {"park": self.park_b.pk})
        self.assertEqual(response.context["selection"].park, self.park_a)
        self.assertEqual([p.pk for p in response.context["selection"].parks], [self.park_a.pk])
        self.assertShowsNothingOfB(response)

    def test_editor_of_a_asking_an_indicator_page_for_b_gets_a(self):
        self.login(self.editor_a)
        response = self.client.get(f"/indicators/{self.fai.code}/", {"park": self.park_b.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["selection"].park, self.park_a)
        self.assertEqual({figure.park_id for figure in response.context["figures"]}, {self.park_a.pk})
        self.assertShowsNothingOfB(response)

    def test_administrator_sees_b_on_the_overview(self):
        self.login(self.administrator)
        response = self.client.get("/", {"park": self.park_b.pk})
        self.assertEqual(response.context["selection"].park, self.park_b)
        self.assertEqual({p.pk for p in response.context["selection"].parks}, {self.park_a.pk, self.park_b.pk})

    def test_user_with_no_park_sees_the_empty_overview(self):
        self.login(self.nobody)
        for query in ({}, {"park": self.park_a.pk}, {"park": self.park_b.pk}):
            with self.subTest(query=query):
                response = self.client.get("/", query)
                self.assertEqual(response.status_code, 200)
                self.assertIsNone(response.context["selection"].park)
                self.assertContains(response, "No park yet")
                self.assertNotContains(response, "甲园区")
                self.assertShowsNothingOfB(response)


class TableTests(PersonaTestCase):
    def test_editor_of_a_sees_only_a_rows_in_every_table(self):
        self.login(self.editor_a)
        for url, model in TABLES.items():
            with self.subTest(url=url):
                response = self.client.get(url)
                rows = table_rows(response)
                self.assertEqual(len(rows), model.objects.filter(park=self.park_a).count())
                self.assertEqual({row.park_id for row in rows}, {self.park_a.pk})
                self.assertShowsNothingOfB(response)

    def test_editor_of_a_filtering_a_table_by_b_gets_an_invalid_choice_and_no_rows(self):
        self.login(self.editor_a)
        for url in TABLES:
            for query in ({"park": self.park_b.pk}, {"zone": self.b["zone"].pk}):
                with self.subTest(url=url, query=query):
                    response = self.client.get(url, query)
                    self.assertEqual(response.status_code, 200)
                    self.assertIn(next(iter(query)), response.context["filter"].errors)
                    self.assertEqual(table_rows(response), [])
                    self.assertShowsNothingOfB(response)

    def test_editor_of_a_exports_only_a_rows_as_csv_and_xlsx(self):
        self.login(self.editor_a)
        for url, model in TABLES.items():
            expected = model.objects.filter(park=self.park_a).count()
            for query in ({}, {"park": self.park_b.pk}):
                with self.subTest(url=url, query=query, format="csv"):
                    response = self.client.get(url, {"_export": "csv", **query})
                    self.assertEqual(response.status_code, 200)
                    lines = list(csv.reader(io.StringIO(content(response))))
                    self.assertEqual(len(lines) - 1, expected if not query else 0)
                    self.assertTrue(all("甲园区" in line for line in lines[1:]))
                    self.assertFalse(any(name in cell for line in lines for cell in line for name in B_NAMES))
                with self.subTest(url=url, query=query, format="xlsx"):
                    response = self.client.get(url, {"_export": "xlsx", **query})
                    self.assertEqual(response.status_code, 200)
                    cells = xlsx_cells(response)
                    self.assertEqual(len(cells) - 1, expected if not query else 0)
                    self.assertFalse(any(name in str(cell) for row in cells for cell in row for name in B_NAMES))

    def test_viewer_of_a_browses_and_exports_a(self):
        self.login(self.viewer_a)
        for url, model in TABLES.items():
            with self.subTest(url=url):
                rows = table_rows(self.client.get(url))
                self.assertEqual({row.park_id for row in rows}, {self.park_a.pk})
                exported = list(csv.reader(io.StringIO(content(self.client.get(url, {"_export": "csv"})))))
                self.assertEqual(len(exported) - 1, model.objects.filter(park=self.park_a).count())
                self.assertEqual(self.client.get(url, {"_export": "xlsx"}).status_code, 200)
        self.assertEqual(self.client.get("/").context["selection"].park, self.park_a)

    def test_user_with_no_park_sees_empty_tables_and_exports(self):
        self.login(self.nobody)
        for url in TABLES:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(table_rows(response), [])
                self.assertNotContains(response, "甲园区")
                lines = list(csv.reader(io.StringIO(content(self.client.get(url, {"_export": "csv"})))))
                self.assertEqual(len(lines), 1)

    def test_administrator_sees_both_parks_in_every_table(self):
        self.login(self.administrator)
        for url in TABLES:
            with self.subTest(url=url):
                rows = table_rows(self.client.get(url))
                self.assertEqual({row.park_id for row in rows}, {self.park_a.pk, self.park_b.pk})


class DetailPageTests(PersonaTestCase):
    def test_editor_of_a_cannot_open_b_project_or_enterprise_pages(self):
        self.login(self.editor_a)
        for kind, prefix in (("project", "/projects/"), ("enterprise", "/enterprises/")):
            with self.subTest(kind=kind):
                self.assertEqual(self.client.get(f"{prefix}{self.b[kind].pk}/").status_code, 404)
                self.assertEqual(self.client.get(f"{prefix}{self.a[kind].pk}/").status_code, 200)

    def test_viewer_of_a_opens_a_detail_pages_but_not_b(self):
        self.login(self.viewer_a)
        self.assertEqual(self.client.get(f"/projects/{self.a['project'].pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/enterprises/{self.b['enterprise'].pk}/").status_code, 404)

    def test_user_with_no_park_opens_no_detail_page(self):
        self.login(self.nobody)
        for world in (self.a, self.b):
            self.assertEqual(self.client.get(f"/projects/{world['project'].pk}/").status_code, 404)
            self.assertEqual(self.client.get(f"/enterprises/{world['enterprise'].pk}/").status_code, 404)


class AnonymousTests(PersonaTestCase):
    def public_urls(self):
        urls = [
            "/",
            f"/indicators/{self.fai.code}/",
            f"/projects/{self.a['project'].pk}/",
            f"/enterprises/{self.a['enterprise'].pk}/",
        ]
        for table in TABLES:
            urls += [table, table + "?_export=csv", table + "?_export=xlsx", table + f"?park={self.park_a.pk}"]
        return urls

    def admin_urls(self):
        urls = [reverse("admin:index")]
        for key in ADMINS:
            record = self.a[key]
            urls += [
                admin_url(key, "changelist"),
                admin_url(key, "add"),
                admin_url(key, "change", record.pk),
                admin_url(key, "history", record.pk),
                admin_url(key, "delete", record.pk),
            ]
        for key in ENTRY:
            urls.append(admin_url(key, "import"))
            urls.append(admin_url(key, "export"))
        urls.append(reverse("admin:intake_worksummary_review", args=[self.a["summary"].pk]))
        urls.append(reverse("admin:autocomplete") + "?app_label=indicators&model_name=figure&field_name=park")
        return urls

    def test_anonymous_is_sent_to_the_login_page_from_every_page(self):
        for url in self.public_urls():
            with self.subTest(url=url):
                self.assertRedirectsToLogin(self.client.get(url))
        for url in self.admin_urls():
            with self.subTest(url=url):
                self.assertRedirectsToLogin(self.client.get(url), login=reverse("admin:login"))

    def test_anonymous_posts_change_nothing(self):
        before = row_counts()
        self.client.post(admin_url("project", "change", self.a["project"].pk), {"name": "x"})
        self.client.post(admin_url("figure", "delete", self.a["figure"].pk), {"post": "yes"})
        self.client.post(reverse("admin:intake_worksummary_review", args=[self.a["summary"].pk]), {"_apply": "1"})
        self.assertEqual(row_counts(), before)

    def test_the_login_page_shows_no_park(self):
        response = self.client.get("/accounts/login/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "甲园区")
        self.assertShowsNothingOfB(response)


class ViewerAdminTests(PersonaTestCase):
    def test_viewer_of_a_is_sent_to_the_admin_login_from_every_admin_page(self):
        self.login(self.viewer_a)
        for url in AnonymousTests.admin_urls(self):
            with self.subTest(url=url):
                self.assertRedirectsToLogin(self.client.get(url), login=reverse("admin:login"))

    def test_user_with_no_park_is_sent_to_the_admin_login(self):
        self.login(self.nobody)
        self.assertRedirectsToLogin(self.client.get(reverse("admin:index")), login=reverse("admin:login"))

    def test_viewer_posts_change_nothing(self):
        self.login(self.viewer_a)
        before = row_counts()
        url = admin_url("project", "change", self.a["project"].pk)
        self.assertRedirectsToLogin(self.client.post(url, {"name": "x"}), login=reverse("admin:login"))
        self.assertRedirectsToLogin(self.client.post(admin_url("project", "import"), {}), login=reverse("admin:login"))
        self.assertEqual(row_counts(), before)

    def test_a_viewer_given_staff_status_can_look_but_not_add_change_or_import(self):
        viewer = persona("staff_viewer", VIEWER, [self.park_a], staff=True)
        self.login(viewer)
        before = row_counts()
        for key in ENTRY:
            with self.subTest(key=key):
                url = admin_url(key, "change", self.a[key].pk)
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 403)
                self.assertEqual(self.client.get(admin_url(key, "add")).status_code, 403)
                self.assertEqual(self.client.get(admin_url(key, "import")).status_code, 403)
                self.assertEqual(
                    self.client.post(admin_url(key, "delete", self.a[key].pk), {"post": "yes"}).status_code, 403
                )
        review = reverse("admin:intake_worksummary_review", args=[self.a["summary"].pk])
        self.assertEqual(self.client.post(review, {"_apply": "1"}).status_code, 403)
        self.assertEqual(row_counts(), before)


class EditorAdminTests(PersonaTestCase):
    def setUp(self):
        self.login(self.editor_a)

    def test_editor_of_a_lists_only_a_records_in_every_admin_changelist(self):
        for key in ADMINS:
            with self.subTest(key=key):
                response = self.client.get(admin_url(key, "changelist"))
                self.assertEqual(response.status_code, 200)
                records = list(response.context["cl"].queryset)
                self.assertTrue(records)
                self.assertIn(self.a[key], records)
                self.assertNotIn(self.b[key], records)
                self.assertShowsNothingOfB(response)

    def test_editor_of_a_filtering_an_admin_changelist_by_b_lists_nothing_of_b(self):
        # With one park to choose from, the park filter is not shown and a hand-typed one is ignored.
        for key in ("figure", "project", "enterprise", "work", "summary", "zone"):
            with self.subTest(key=key):
                response = self.client.get(admin_url(key, "changelist"), {"park__id__exact": self.park_b.pk})
                self.assertEqual(response.status_code, 200)
                self.assertEqual(
                    {record.park_id for record in response.context["cl"].queryset} - {self.park_a.pk}, set()
                )
                self.assertShowsNothingOfB(response)

    def test_editor_of_a_cannot_open_b_change_delete_or_history_pages(self):
        for key in ADMINS:
            record = self.b[key]
            for view in ("change", "delete", "history"):
                with self.subTest(key=key, view=view):
                    response = self.client.get(admin_url(key, view, record.pk))
                    self.assertNotReachable(response)
                    self.assertShowsNothingOfB(response)

    def test_editor_of_a_cannot_open_or_post_a_revert_of_b_records(self):
        for key in ADMINS:
            record = self.b[key]
            version = record.history.earliest("history_date")
            url = reverse(
                f"admin:{ADMINS[key][0]}_{ADMINS[key][1]}_simple_history", args=[record.pk, version.history_id]
            )
            # B's record does not exist for A's editor: the same 404 as an id that never existed.
            with self.subTest(key=key):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"name": "甲的了"}).status_code, 404)
                if key != "park":
                    self.assertEqual(type(record).objects.get(pk=record.pk).park_id, self.park_b.pk)

    def test_editor_of_a_cannot_see_the_history_of_a_deleted_b_figure_nor_restore_it(self):
        figure = self.b["figure"]
        figure_id = figure.pk
        figure.delete()
        version = Figure.history.filter(id=figure_id).earliest("history_date")
        self.assertEqual(self.client.get(admin_url("figure", "history", figure_id)).status_code, 404)
        url = reverse("admin:indicators_figure_simple_history", args=[figure_id, version.history_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, {"park": self.park_a.pk}).status_code, 404)
        self.assertFalse(Figure.objects.filter(pk=figure_id).exists())

    def test_editor_of_a_cannot_take_over_a_record_moved_to_b_by_reverting_an_old_version(self):
        project = Project.objects.create(park=self.park_a, name="迁出项目", category="utility")
        old = project.history.get()
        project.park, project.zone = self.park_b, None
        project.save()
        url = reverse("admin:projects_project_simple_history", args=[project.pk, old.history_id])
        self.assertEqual(self.client.get(url).status_code, 404)
        response = self.client.post(
            url,
            {
                "park": self.park_a.pk,
                "zone": "",
                "name": "迁出项目",
                "category": "utility",
                "phase": "preparation",
                "progress_pct": "0",
            },
        )
        self.assertEqual(response.status_code, 404)
        project.refresh_from_db()
        self.assertEqual(project.park, self.park_b)

    def test_editor_of_a_can_open_and_change_a_records(self):
        for key in ENTRY:
            with self.subTest(key=key):
                url = admin_url(key, "change", self.a[key].pk)
                page = self.client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertShowsNothingOfB(page)
                response = self.client.post(url, admin_form_data(page, note="甲改", notes="甲改", description="甲改"))
                self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.assertEqual(self.client.get(admin_url("figure", "history", self.a["figure"].pk)).status_code, 200)

    def test_editor_of_a_add_forms_offer_only_a_park_and_its_zones(self):
        for key in ("figure", "project", "enterprise", "work", "summary"):
            with self.subTest(key=key):
                response = self.client.get(admin_url(key, "add"))
                self.assertEqual(response.status_code, 200)
                fields = response.context["adminform"].form.fields
                self.assertEqual(list(fields["park"].queryset), [self.park_a])
                if "zone" in fields:
                    self.assertEqual(list(fields["zone"].queryset), [self.a["zone"]])
                self.assertShowsNothingOfB(response)

    def test_editor_of_a_sees_only_a_figures_on_an_indicator_admin_page(self):
        response = self.client.get(reverse("admin:indicators_indicator_change", args=[self.fai.pk]))
        self.assertEqual(response.status_code, 200)
        inline_figures = [
            form.instance for inline in response.context["inline_admin_formsets"] for form in inline.formset.forms
        ]
        self.assertTrue(inline_figures)
        self.assertEqual({figure.park_id for figure in inline_figures}, {self.park_a.pk})
        self.assertShowsNothingOfB(response)
        self.assertEqual(
            self.client.post(
                reverse("admin:indicators_indicator_change", args=[self.fai.pk]), {"name": "改"}
            ).status_code,
            403,
        )

    def test_editor_cannot_add_parks_or_zones(self):
        self.assertEqual(self.client.get(admin_url("park", "add")).status_code, 403)
        self.assertEqual(self.client.get(admin_url("zone", "add")).status_code, 403)
        url = admin_url("park", "change", self.park_a.pk)
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.post(url, {"name": "改名"}).status_code, 403)

    def test_autocomplete_offers_only_park_a_and_its_zone(self):
        base = reverse("admin:autocomplete")
        for key in ("figure", "project", "enterprise", "work", "summary"):
            app_label, model_name = ADMINS[key]
            fields = {"park": self.park_a, "zone": self.a["zone"]} if key != "summary" else {"park": self.park_a}
            for field, expected in fields.items():
                with self.subTest(key=key, field=field):
                    response = self.client.get(
                        base, {"app_label": app_label, "model_name": model_name, "field_name": field}
                    )
                    self.assertEqual(response.status_code, 200)
                    results = json.loads(response.content)["results"]
                    self.assertEqual([item["id"] for item in results], [str(expected.pk)])
                    response = self.client.get(
                        base, {"app_label": app_label, "model_name": model_name, "field_name": field, "term": "乙"}
                    )
                    self.assertEqual(json.loads(response.content)["results"], [])

    def test_editor_of_a_cannot_move_a_record_to_b(self):
        for key in ENTRY:
            with self.subTest(key=key):
                url = admin_url(key, "change", self.a[key].pk)
                page = self.client.get(url)
                response = self.client.post(url, admin_form_data(page, park=self.park_b.pk, zone=""))
                self.assertEqual(response.status_code, 200)
                self.assertIn("park", response.context["adminform"].form.errors)
                self.assertEqual(type(self.a[key]).objects.get(pk=self.a[key].pk).park, self.park_a)
                response = self.client.post(url, admin_form_data(page, zone=self.b["zone"].pk))
                self.assertEqual(response.status_code, 200)
                self.assertIn("zone", response.context["adminform"].form.errors)

    def test_editor_of_a_cannot_move_a_summary_to_b(self):
        url = admin_url("summary", "change", self.a["summary"].pk)
        self.client.post(url, admin_form_data(self.client.get(url), park=self.park_b.pk))
        self.assertEqual(WorkSummary.objects.get(pk=self.a["summary"].pk).park, self.park_a)

    def test_editor_of_a_cannot_add_a_record_for_b(self):
        before = row_counts()
        for key in ENTRY:
            with self.subTest(key=key):
                page = self.client.get(admin_url(key, "add"))
                data = admin_form_data(
                    page,
                    park=self.park_b.pk,
                    name="乙新记录",
                    year=2024,
                    month=3,
                    indicator=self.fai.pk,
                    entered_value="1",
                    unit="公里",
                    kind="actual",
                )
                response = self.client.post(admin_url(key, "add"), data)
                self.assertEqual(response.status_code, 200)
                self.assertIn("park", response.context["adminform"].form.errors)
        self.assertEqual(row_counts(), before)

    def test_editor_of_a_exports_only_a_records_from_the_admin(self):
        for model in TABLES.values():
            with self.subTest(model=model.__name__):
                response = export(self.client, model)
                self.assertEqual(response.status_code, 200)
                text = response.content.decode("utf-8-sig")
                self.assertIn("甲园区", text)
                self.assertFalse(any(name in text for name in B_NAMES))

    def test_editor_of_a_importing_a_row_for_b_gets_a_row_error_and_nothing_is_saved(self):
        before = row_counts()
        for model, template in IMPORTS.items():
            with self.subTest(model=model.__name__):
                text = template.format(a=self.park_a.name, b=self.park_b.name)
                preview = preview_import(self.client, model, csv_upload(text))
                self.assertEqual(preview.status_code, 200)
                self.assertIsNone(preview.context.get("confirm_form"))
                errors = import_errors(preview)
                self.assertEqual(list(errors), [3], errors)
                # Park B is unknown to A's editor, exactly as a park that does not exist (see test_side_doors).
                unknown = import_errors(
                    preview_import(self.client, model, csv_upload(template.format(a=self.park_a.name, b="无此园区")))
                )
                self.assertEqual(
                    [message.replace(self.park_b.name, "?") for message in errors[3]],
                    [message.replace("无此园区", "?") for message in unknown[3]],
                )
                # by code as well as by name
                preview = preview_import(self.client, model, csv_upload(template.format(a="park-a", b="park-b")))
                self.assertEqual(list(import_errors(preview)), [3])
        self.assertEqual(row_counts(), before)

    def test_editor_of_a_cannot_upload_a_summary_for_b(self):
        before = row_counts()
        text = "乙园区2023年1-6月工作总结\n完成固定资产投资12.5亿元。\n"
        response = self.client.post(
            admin_url("summary", "add"),
            {
                "park": self.park_b.pk,
                "year": "",
                "month": 6,
                "plan_year": "",
                "title": "",
                "upload": SimpleUploadedFile("summary.txt", text.encode()),
                "pasted": "",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("park", response.context["adminform"].form.errors)
        self.assertEqual(row_counts(), before)

    def test_editor_of_a_cannot_review_or_apply_b_summary(self):
        summary = self.b["summary"]
        url = reverse("admin:intake_worksummary_review", args=[summary.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        data = {"c-TOTAL_FORMS": 0, "c-INITIAL_FORMS": 0, "_apply": "1"}
        self.assertEqual(self.client.post(url, data).status_code, 404)
        summary.refresh_from_db()
        self.assertIsNone(summary.applied_at)
        self.assertFalse(Figure.objects.filter(summary=summary).exists())

    def test_editor_of_a_reviewing_a_summary_cannot_touch_b_candidates(self):
        own, other = self.a["summary"], self.b["summary"]
        theirs = list(other.candidates.order_by("position"))
        data = {
            "c-TOTAL_FORMS": len(theirs),
            "c-INITIAL_FORMS": len(theirs),
            "c-MIN_NUM_FORMS": 0,
            "c-MAX_NUM_FORMS": 1000,
        }
        for i, candidate in enumerate(theirs):
            data.update(
                {
                    f"c-{i}-id": candidate.pk,
                    f"c-{i}-indicator": self.land.pk,
                    f"c-{i}-kind": "actual",
                    f"c-{i}-value": "999",
                    f"c-{i}-unit": "亩",
                }
            )
        self.client.post(reverse("admin:intake_worksummary_review", args=[own.pk]), data)
        self.assertEqual(
            [(c.indicator_id, c.value) for c in Candidate.objects.filter(summary=other).order_by("position")],
            [(c.indicator_id, c.value) for c in theirs],
        )

    def test_editor_of_a_reviews_and_applies_a_summary_to_park_a(self):
        summary = self.a["summary"]
        url = reverse("admin:intake_worksummary_review", args=[summary.pk])
        page = self.client.get(url)
        self.assertEqual(page.status_code, 200)
        self.assertTrue(page.context["can_apply"])
        data = {"c-TOTAL_FORMS": 0, "c-INITIAL_FORMS": 0, "c-MIN_NUM_FORMS": 0, "c-MAX_NUM_FORMS": 1000}
        for i, form in enumerate(page.context["formset"].forms):
            for name in form.fields:
                value = form[name].value()
                if value is True:
                    data[f"c-{i}-{name}"] = "on"
                elif value not in (None, False):
                    data[f"c-{i}-{name}"] = value
            data["c-TOTAL_FORMS"] = data["c-INITIAL_FORMS"] = i + 1
        response = self.client.post(url, {**data, "_apply": "1"})
        self.assertEqual(response.status_code, 302)
        applied = Figure.objects.filter(summary=summary)
        self.assertTrue(applied.exists())
        self.assertEqual({figure.park_id for figure in applied}, {self.park_a.pk})


class AdministratorTests(PersonaTestCase):
    def test_administrator_lists_and_opens_records_of_every_park(self):
        self.login(self.administrator)
        for key in ADMINS:
            with self.subTest(key=key):
                records = list(self.client.get(admin_url(key, "changelist")).context["cl"].queryset)
                self.assertIn(self.a[key], records)
                self.assertIn(self.b[key], records)
                self.assertEqual(self.client.get(admin_url(key, "change", self.b[key].pk)).status_code, 200)

    def test_administrator_imports_rows_for_both_parks(self):
        self.login(self.administrator)
        for model, template in IMPORTS.items():
            with self.subTest(model=model.__name__):
                preview = preview_import(self.client, model, csv_upload(template.format(a="park-a", b="park-b")))
                self.assertEqual(import_errors(preview), {})
                self.assertIsNotNone(preview.context.get("confirm_form"))

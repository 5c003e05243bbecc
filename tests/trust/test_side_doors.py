"""The admin's side doors, persona by persona: history revert and restore, the import preview, "view on site",
the deleted-records page, moving a zone, and odd search terms.

Personas (tests/support/personas.py builds parks A and B with a record of every kind each):

- viewer_a: group viewer, member of park A, no staff status (the admin sends them to its login page);
- viewer_staff: group viewer, member of park A, with staff status (may look at A in the admin, change nothing);
- editor_a / editor_b: group editor, staff, member of park A / B (enter records; only view indicators, parks, zones);
- editor_none: group editor, staff, member of no park;
- stranger: staff, in no group (no permission at all);
- administrator: every park, every permission.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.parks.scoping import may_use_park
from parkdash.projects.models import Project
from tests.support import (
    EnglishTestCase,
    World,
    admin_form_data,
    csv_upload,
    import_errors,
    make_indicator,
    make_project,
    persona,
    preview_import,
    row_counts,
)

# Each side door tried by every persona: sweeps of many seconds.
pytestmark = pytest.mark.slow

PERSONAS = ("viewer_a", "viewer_staff", "editor_a", "editor_b", "editor_none", "stranger", "administrator")

# key: (app label, model name, a text field to change)
ADMINS = {
    "figure": ("indicators", "figure", "note"),
    "indicator": ("indicators", "indicator", "name"),
    "project": ("projects", "project", "description"),
    "enterprise": ("enterprises", "enterprise", "notes"),
    "work": ("infrastructure", "infrastructurework", "notes"),
    "summary": ("intake", "worksummary", "title"),
    "park": ("parks", "park", "name_en"),
    "zone": ("parks", "zone", "name_en"),
}
# Who may change (so revert) park A's record of each kind; everyone else may at most look at it.
ENTERED = ("figure", "project", "enterprise", "work", "summary")
REVERTERS = {key: {"administrator", "editor_a"} if key in ENTERED else {"administrator"} for key in ADMINS}
# Who may look at park A's record of each kind in the admin (the catalogue is every park's).
VIEWERS = {
    key: {"viewer_staff", "editor_a", "administrator"} | ({"editor_b", "editor_none"} if key == "indicator" else set())
    for key in ADMINS
}

# Values of park B's records that only a leak could show.
B_SECRETS = ("乙秘密描述", "乙秘密备注", "乙秘密附注", "乙秘密工程", "乙北片")


def admin_url(key, view, *args):
    app_label, model_name, _field = ADMINS[key]
    return reverse(f"admin:{app_label}_{model_name}_{view}", args=args)


def revert_url(key, record, version):
    return admin_url(key, "simple_history", record.pk, version.history_id)


def versions(record):
    return type(record).history.filter(**{type(record)._meta.pk.attname: record.pk})


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class SideDoorTestCase(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The world's viewer with staff status; editor_b and editor_none are the world's too.
        cls.viewer_staff = cls.viewer_staff_a
        cls.stranger = persona("stranger", staff=True)
        Project.objects.filter(pk=cls.b["project"].pk).update(description="乙秘密描述")
        Figure.objects.filter(pk=cls.b["figure"].pk).update(note="乙秘密备注")
        Enterprise.objects.filter(pk=cls.b["enterprise"].pk).update(notes="乙秘密附注")
        InfrastructureWork.objects.filter(pk=cls.b["work"].pk).update(notes="乙秘密工程")

    def record(self, key, world=None):
        return self.fai if key == "indicator" else (world or self.a)[key]

    def login(self, name):
        self.client.force_login(getattr(self, name))

    def assertRefused(self, name, response, hidden=False):
        """Non-staff users are sent to the admin's login page; staff users without the right get a 403, or a 404
        when the record is in a park they may not see (it does not exist for them: ids cannot be probed)."""
        if name == "viewer_a":
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("admin:login")), response["Location"])
        else:
            self.assertEqual(response.status_code, 404 if hidden else 403)

    def hidden(self, name, record):
        """True when ``record`` is in a park the persona ``name`` may not see (a catalogue entry is in none)."""
        if isinstance(record, Indicator):
            return False
        park_id = record.pk if isinstance(record, Park) else record.park_id
        return not may_use_park(getattr(self, name), park_id)


class RevertTests(SideDoorTestCase):
    """Reverting to a version saves it: it takes change permission on the record, in the user's parks."""

    def revert_data(self, key, record, version, **changes):
        """What the administrator's revert page would POST, with ``changes``."""
        self.login("administrator")
        page = self.client.get(revert_url(key, record, version))
        self.assertEqual(page.status_code, 200)
        return admin_form_data(page, **changes)

    def test_only_those_who_may_change_a_record_can_revert_it(self):
        for key, (_app, _model, field) in ADMINS.items():
            record = self.record(key)
            version = versions(record).earliest("history_date")
            data = self.revert_data(key, record, version, **{field: "甲改过"})
            for name in PERSONAS:
                with self.subTest(key=key, persona=name):
                    before = versions(record).count()
                    self.login(name)
                    response = self.client.post(revert_url(key, record, version), data)
                    if name in REVERTERS[key]:
                        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
                        self.assertEqual(versions(record).count(), before + 1)
                        self.assertEqual(getattr(type(record).objects.get(pk=record.pk), field), "甲改过")
                    else:
                        self.assertRefused(name, response, self.hidden(name, record))
                        self.assertEqual(versions(record).count(), before)
                        self.assertEqual(getattr(type(record).objects.get(pk=record.pk), field), getattr(record, field))
                    type(record).objects.filter(pk=record.pk).update(**{field: getattr(record, field)})

    def test_a_version_is_shown_read_only_to_those_who_may_only_view_it(self):
        for key in ADMINS:
            record = self.record(key)
            url = revert_url(key, record, versions(record).earliest("history_date"))
            for name in PERSONAS:
                with self.subTest(key=key, persona=name):
                    self.login(name)
                    response = self.client.get(url)
                    if name in REVERTERS[key]:
                        self.assertEqual(response.status_code, 200)
                        self.assertContains(response, 'name="_save"')
                        self.assertTrue(response.context["adminform"].form.fields)
                    elif name in VIEWERS[key]:
                        self.assertEqual(response.status_code, 200)
                        self.assertNotContains(response, 'name="_save"')
                        self.assertNotContains(response, "Press the 'Revert' button")
                        self.assertEqual(dict(response.context["adminform"].form.fields), {})
                        self.assertContains(response, str(record))
                        self.assertContains(response, '<div class="readonly">')
                    else:
                        self.assertRefused(name, response, self.hidden(name, record))

    def test_the_history_list_offers_reverting_only_to_those_who_may_change_the_record(self):
        for key in ADMINS:
            record = self.record(key)
            for name in PERSONAS:
                with self.subTest(key=key, persona=name):
                    self.login(name)
                    response = self.client.get(admin_url(key, "history", record.pk))
                    if name in REVERTERS[key]:
                        self.assertContains(response, "Choose a date from the list below to revert")
                    elif name in VIEWERS[key]:
                        self.assertEqual(response.status_code, 200)
                        self.assertNotContains(response, "Choose a date from the list below to revert")
                    else:
                        self.assertRefused(name, response, self.hidden(name, record))

    def test_another_parks_record_answers_as_one_that_never_existed(self):
        self.login("editor_a")
        project = self.b["project"]
        version = versions(project).earliest("history_date")
        for url in (admin_url("project", "history", project.pk), revert_url("project", project, version)):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.get(url.replace(f"/{project.pk}/", "/987654/")).status_code, 404)

    def test_an_editor_cannot_rename_an_indicator_add_a_park_member_or_move_a_zone_by_reverting(self):
        indicator, park, zone = self.fai, self.park_a, self.a["zone"]
        renamed = self.revert_data("indicator", indicator, versions(indicator).earliest("history_date"), name="改名了")
        members = self.revert_data("park", park, versions(park).earliest("history_date"))
        members["members"] = [str(self.editor_a.pk), str(self.stranger.pk)]
        moved = self.revert_data("zone", zone, versions(zone).earliest("history_date"), park=self.park_b.pk)
        self.login("editor_a")
        for key, record, data in (("indicator", indicator, renamed), ("park", park, members), ("zone", zone, moved)):
            with self.subTest(key=key):
                version = versions(record).earliest("history_date")
                self.assertEqual(self.client.post(revert_url(key, record, version), data).status_code, 403)
        self.assertEqual(Indicator.objects.get(pk=indicator.pk).name, indicator.name)
        self.assertFalse(park.members.filter(pk=self.stranger.pk).exists())
        self.assertEqual(Zone.objects.get(pk=zone.pk).park, self.park_a)


class RestoreTests(SideDoorTestCase):
    """Restoring a deleted record adds it again: it takes add permission, in the user's parks."""

    def deleted(self):
        """A freshly deleted record of park A of every kind: {key: (id, earliest version)}."""
        records = {
            "indicator": make_indicator("industrial_output"),
            "park": Park.objects.create(code="park-c", name="丙园区"),
            "zone": Zone.objects.create(park=self.park_a, name="甲南片"),
            "project": make_project(self.park_a, name="甲新项目"),
        }
        for key in ("figure", "enterprise", "work", "summary"):
            records[key] = self.a[key]
        gone = {}
        for key, record in records.items():
            gone[key] = (record.pk, versions(record).earliest("history_date"), record)
            record.delete()
        return gone

    def test_only_those_who_may_add_a_record_can_restore_it(self):
        gone = self.deleted()
        self.login("administrator")
        data = {}
        for key, (pk, version, _record) in gone.items():
            page = self.client.get(admin_url(key, "simple_history", pk, version.history_id))
            self.assertEqual(page.status_code, 200, key)
            data[key] = admin_form_data(page)
        for name in PERSONAS:
            for key, (pk, version, record) in gone.items():
                model = version.instance_type
                with self.subTest(key=key, persona=name):
                    self.login(name)
                    response = self.client.post(admin_url(key, "simple_history", pk, version.history_id), data[key])
                    if name in REVERTERS[key]:
                        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
                        self.assertTrue(model.objects.filter(pk=pk).exists())
                        model.objects.filter(pk=pk).delete()
                    else:
                        self.assertRefused(name, response, self.hidden(name, record))
                        self.assertFalse(model.objects.filter(pk=pk).exists())


# One row naming park B's record of each kind by its import key, and nothing else.
LOOKUPS = {
    Project: "park,name\n{park},乙污水处理厂\n",
    Enterprise: "park,name\n{park},乙电器股份\n",
    InfrastructureWork: "park,year,name\n{park},2023,乙道路路基\n",
    Figure: "indicator,park,zone,year,month,kind,version\n固定资产投资,{park},,2023,6,actual,final\n",
}


class ImportPreviewTests(SideDoorTestCase):
    """An import names records by park and name: another park's records must look exactly like missing ones."""

    def preview(self, model, park):
        response = preview_import(self.client, model, csv_upload(LOOKUPS[model].format(park=park)))
        self.assertEqual(response.status_code, 200)
        return response

    def assertNoStoredValueOfB(self, response):
        text = response.content.decode()
        for secret in B_SECRETS:
            at = text.find(secret)
            self.assertEqual(at, -1, f"{secret} shown: …{text[max(0, at - 150) : at + 50]}…")

    def assertSameErrors(self, response, park, unknown, unknown_response):
        def errors(preview, name):
            return {
                line: [message.replace(name, "<park>") for message in messages]
                for line, messages in import_errors(preview).items()
            }

        self.assertTrue(import_errors(unknown_response))
        self.assertEqual(errors(response, park), errors(unknown_response, unknown))
        self.assertNotIn("confirm_form", response.context)

    def test_a_row_naming_a_park_the_user_may_not_use_gets_the_error_of_a_park_that_does_not_exist(self):
        for name in ("editor_a", "editor_none"):
            self.login(name)
            for model in LOOKUPS:
                for park in ("park-b", "乙园区"):
                    with self.subTest(persona=name, model=model.__name__, park=park):
                        before = row_counts()
                        response = self.preview(model, park)
                        self.assertNoStoredValueOfB(response)
                        self.assertSameErrors(response, park, "no-such-park", self.preview(model, "no-such-park"))
                        self.assertEqual(row_counts(), before)

    def test_a_row_naming_a_zone_of_another_park_gets_the_error_of_a_zone_that_does_not_exist(self):
        self.login("editor_a")
        csv = "park,zone,name,category\npark-a,{zone},甲新项目,utility\n"
        leak = preview_import(self.client, Project, csv_upload(csv.format(zone="乙北片")))
        missing = preview_import(self.client, Project, csv_upload(csv.format(zone="无此片")))
        self.assertTrue(import_errors(missing))
        self.assertEqual(
            {line: [m.replace("乙北片", "?") for m in messages] for line, messages in import_errors(leak).items()},
            {line: [m.replace("无此片", "?") for m in messages] for line, messages in import_errors(missing).items()},
        )

    def test_an_editor_of_the_records_park_sees_them_unchanged_in_the_preview(self):
        # The same rows, for the editor of park B: found and skipped as unchanged, no error.
        self.login("editor_b")
        for model in LOOKUPS:
            with self.subTest(model=model.__name__):
                response = self.preview(model, "park-b")
                self.assertEqual(import_errors(response), {})
                self.assertEqual([row.import_type for row in response.context["result"].rows], ["skip"])

    def test_those_who_may_not_import_get_no_preview(self):
        for name in ("viewer_a", "viewer_staff", "stranger"):
            self.login(name)
            for model in LOOKUPS:
                with self.subTest(persona=name, model=model.__name__):
                    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")
                    self.assertRefused(name, self.client.get(url))
                    response = self.preview_refused(model)
                    self.assertRefused(name, response)
                    self.assertNoStoredValueOfB(response)

    def preview_refused(self, model):
        return preview_import(self.client, model, csv_upload(LOOKUPS[model].format(park="park-b")))


class ViewOnSiteTests(SideDoorTestCase):
    """The admin's "view on site" shortcut (/admin/r/<content type>/<id>/) answers only for records one may view."""

    def may_view(self, name, key, park):
        if name == "administrator":
            return True
        if key == "indicator":
            return name in ("viewer_staff", "editor_a", "editor_b", "editor_none")
        return (name, park) in (("viewer_staff", self.park_a), ("editor_a", self.park_a), ("editor_b", self.park_b))

    def test_the_view_on_site_shortcut_redirects_only_for_records_the_user_may_view(self):
        for world in (self.a, self.b):
            for key in ADMINS:
                if key == "zone":
                    continue  # a zone has no page of its own
                record = self.record(key, world)
                url = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(record).pk, record.pk])
                for name in PERSONAS:
                    with self.subTest(park=world["park"].code, key=key, persona=name):
                        self.login(name)
                        for response in (self.client.get(url), self.client.post(url)):
                            if name == "viewer_a":
                                self.assertRefused(name, response)
                            elif self.may_view(name, key, world["park"]):
                                self.assertEqual(response.status_code, 302)
                                self.assertTrue(response["Location"].endswith(record.get_absolute_url()))
                            else:
                                self.assertEqual(response.status_code, 404)
                                self.assertNotIn("Location", response)

    def test_the_view_on_site_shortcut_answers_404_to_ids_of_nothing(self):
        self.login("administrator")
        project = ContentType.objects.get_for_model(Project).pk
        for url in (f"/admin/r/{project}/999999/", f"/admin/r/{project}/abc/", "/admin/r/999999/1/"):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)


class DeletedRecordsTests(SideDoorTestCase):
    """The deleted-records page lists each park's own deletions however many other parks have, page by page."""

    def delete_projects(self, park, prefix, count):
        Project.objects.bulk_create(
            Project(park=park, name=f"{prefix}{i:03}", category="utility") for i in range(count)
        )
        Project.objects.filter(name__startswith=prefix).delete()  # one deletion record each

    def listed(self, page=1):
        response = self.client.get(admin_url("project", "deleted"), {"p": page})
        self.assertEqual(response.status_code, 200)
        return response, [record.name for record in response.context["records"]]

    def test_a_parks_deletions_are_listed_however_many_newer_deletions_other_parks_have(self):
        self.delete_projects(self.park_a, "甲删", 105)
        self.delete_projects(self.park_b, "乙删", 520)
        self.login("editor_a")
        first, names = self.listed()
        self.assertEqual(len(names), 100)
        self.assertTrue(all(name.startswith("甲删") for name in names))
        self.assertNotContains(first, "乙删")
        self.assertContains(first, "?p=2")
        second, more = self.listed(2)
        # The world's own deleted project (甲已撤销项目) is listed too.
        self.assertEqual(
            sorted(name for name in names + more if name.startswith("甲删")), [f"甲删{i:03}" for i in range(105)]
        )
        self.assertNotContains(second, "乙删")

    def test_the_deleted_records_page_per_persona(self):
        self.delete_projects(self.park_a, "甲删", 3)
        self.delete_projects(self.park_b, "乙删", 4)
        # Each park also has the world's own deleted project.
        expected = {"viewer_staff": 4, "editor_a": 4, "editor_b": 5, "editor_none": 0, "administrator": 9}
        for name in PERSONAS:
            with self.subTest(persona=name):
                self.login(name)
                url = admin_url("project", "deleted")
                for response in (self.client.get(url), self.client.post(url)):
                    if name in expected:
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(response.context["page_obj"].paginator.count, expected[name])
                        if name != "administrator":
                            self.assertNotContains(response, "乙删" if name != "editor_b" else "甲删")
                        invitation = "choose a version to restore it"
                        if name in ("editor_a", "editor_b", "editor_none", "administrator"):
                            self.assertContains(response, invitation)
                        else:
                            self.assertNotContains(response, invitation)
                    else:
                        self.assertRefused(name, response)

    def test_a_record_deleted_twice_is_listed_once(self):
        project = make_project(self.park_a, name="甲两次")
        pk = project.pk
        version = versions(project).get()
        project.delete()
        Project.objects.create(**{f.attname: getattr(version.instance, f.attname) for f in Project._meta.fields})
        Project.objects.get(pk=pk).delete()
        self.login("editor_a")
        _response, names = self.listed()
        self.assertEqual([name for name in names if name != "甲已撤销项目"], ["甲两次"])


class ZoneMoveTests(SideDoorTestCase):
    """A zone with records stays in its park: its figures, projects, enterprises and works would point across."""

    def zone_form(self, zone, **changes):
        page = self.client.get(admin_url("zone", "change", zone.pk))
        self.assertEqual(page.status_code, 200)
        return admin_form_data(page, **changes)

    def test_a_zone_with_records_cannot_be_moved_to_another_park(self):
        self.login("administrator")
        zone = self.a["zone"]
        response = self.client.post(admin_url("zone", "change", zone.pk), self.zone_form(zone, park=self.park_b.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This zone cannot move to another park")
        self.assertContains(response, "figures: 1")
        self.assertContains(response, "projects: 1")
        self.assertEqual(Zone.objects.get(pk=zone.pk).park, self.park_a)

    def test_a_zone_without_records_moves_and_can_be_renamed_in_place(self):
        self.login("administrator")
        zone = Zone.objects.create(park=self.park_a, name="甲空片")
        response = self.client.post(admin_url("zone", "change", zone.pk), self.zone_form(zone, park=self.park_b.pk))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Zone.objects.get(pk=zone.pk).park, self.park_b)
        with_records = self.a["zone"]
        response = self.client.post(
            admin_url("zone", "change", with_records.pk), self.zone_form(with_records, name_en="North")
        )
        self.assertEqual(response.status_code, 302)

    def test_reverting_a_zone_to_a_version_in_another_park_is_refused_once_it_has_records(self):
        zone = Zone.objects.create(park=self.park_b, name="迁来片")
        old = versions(zone).get()
        zone.park = self.park_a
        zone.save()
        make_project(self.park_a, zone=zone, name="甲片内项目")
        self.login("administrator")
        url = revert_url("zone", zone, old)
        response = self.client.post(url, admin_form_data(self.client.get(url)))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This zone cannot move to another park")
        self.assertEqual(Zone.objects.get(pk=zone.pk).park, self.park_a)


class OddSearchTermTests(SideDoorTestCase):
    """A NUL character in a search term (PostgreSQL refuses it in a query) finds nothing special, and no 500."""

    def test_a_nul_in_the_autocomplete_term_or_a_changelist_search_is_no_error(self):
        self.login("administrator")
        autocomplete = reverse("admin:autocomplete")
        for model_name, field in (("figure", "park"), ("figure", "zone"), ("figure", "indicator")):
            with self.subTest(field=field):
                response = self.client.get(
                    autocomplete,
                    {"term": "甲\x00", "app_label": "indicators", "model_name": model_name, "field_name": field},
                )
                self.assertEqual(response.status_code, 200)
        for key in ADMINS:
            with self.subTest(key=key):
                self.assertEqual(self.client.get(admin_url(key, "changelist"), {"q": "\x00"}).status_code, 200)

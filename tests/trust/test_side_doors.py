"""The admin's side doors, persona by persona: history revert and restore, the import preview, "view on site",
the deleted-records page, moving a zone, and odd search terms.

Personas (tests/trust/world.py builds parks A and B with a record of every kind each):

- viewer_a: group viewer, member of park A, no staff status (the admin sends them to its login page);
- viewer_staff: group viewer, member of park A, with staff status (may look at A in the admin, change nothing);
- editor_a / editor_b: group editor, staff, member of park A / B (enter records; only view indicators, parks, zones);
- editor_none: group editor, staff, member of no park;
- stranger: staff, in no group (no permission at all);
- administrator: every park, every permission.
"""

from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.urls import reverse

from parkdash.core.roles import EDITOR, VIEWER
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.parks.models import Park, Zone
from parkdash.projects.models import Project
from tests.parks.support import (
    EnglishTestCase,
    admin_form_data,
    csv_upload,
    import_errors,
    make_indicator,
    make_project,
    preview_import,
)

from .world import World, persona, row_counts

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
VIEWERS = {key: {"viewer_staff", "editor_a", "administrator"} | ({"editor_b", "editor_none"} if key == "indicator"
                                                                  else set()) for key in ADMINS}

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
        cls.viewer_staff = persona("viewer_staff", VIEWER, [cls.park_a], staff=True)
        cls.editor_b = persona("editor_b", EDITOR, [cls.park_b], staff=True)
        cls.editor_none = persona("editor_none", EDITOR, staff=True)
        cls.stranger = persona("stranger", staff=True)
        Project.objects.filter(pk=cls.b["project"].pk).update(description="乙秘密描述")
        Figure.objects.filter(pk=cls.b["figure"].pk).update(note="乙秘密备注")
        Enterprise.objects.filter(pk=cls.b["enterprise"].pk).update(notes="乙秘密附注")
        InfrastructureWork.objects.filter(pk=cls.b["work"].pk).update(notes="乙秘密工程")

    def record(self, key, world=None):
        return self.fai if key == "indicator" else (world or self.a)[key]

    def login(self, name):
        self.client.force_login(getattr(self, name))

    def assertRefused(self, name, response):
        """Non-staff users are sent to the admin's login page; staff users without the right get a 403."""
        if name == "viewer_a":
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(reverse("admin:login")), response["Location"])
        else:
            self.assertEqual(response.status_code, 403)


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
                        self.assertRefused(name, response)
                        self.assertEqual(versions(record).count(), before)
                        self.assertEqual(getattr(type(record).objects.get(pk=record.pk), field),
                                         getattr(record, field))
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
                        self.assertRefused(name, response)

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
                        self.assertRefused(name, response)

    def test_an_editor_cannot_rename_an_indicator_add_a_park_member_or_move_a_zone_by_reverting(self):
        indicator, park, zone = self.fai, self.park_a, self.a["zone"]
        renamed = self.revert_data("indicator", indicator, versions(indicator).earliest("history_date"),
                                   name="改名了")
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
            gone[key] = (record.pk, versions(record).earliest("history_date"))
            record.delete()
        return gone

    def test_only_those_who_may_add_a_record_can_restore_it(self):
        gone = self.deleted()
        self.login("administrator")
        data = {}
        for key, (pk, version) in gone.items():
            page = self.client.get(admin_url(key, "simple_history", pk, version.history_id))
            self.assertEqual(page.status_code, 200, key)
            data[key] = admin_form_data(page)
        for name in PERSONAS:
            for key, (pk, version) in gone.items():
                model = version.instance_type
                with self.subTest(key=key, persona=name):
                    self.login(name)
                    response = self.client.post(admin_url(key, "simple_history", pk, version.history_id), data[key])
                    if name in REVERTERS[key]:
                        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
                        self.assertTrue(model.objects.filter(pk=pk).exists())
                        model.objects.filter(pk=pk).delete()
                    else:
                        self.assertRefused(name, response)
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
            self.assertEqual(at, -1, f"{secret} shown: …{text[max(0, at - 150):at + 50]}…")

    def assertSameErrors(self, response, park, unknown, unknown_response):
        def errors(preview, name):
            return {line: [message.replace(name, "<park>") for message in messages]
                    for line, messages in import_errors(preview).items()}

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
        self.assertEqual({line: [m.replace("乙北片", "?") for m in messages]
                          for line, messages in import_errors(leak).items()},
                         {line: [m.replace("无此片", "?") for m in messages]
                          for line, messages in import_errors(missing).items()})

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

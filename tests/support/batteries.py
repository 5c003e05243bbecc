"""Test batteries: the checks every park record model gets, written once (NetBox's ``ViewTestCases`` style).

Each battery is a mixin of test methods parametrised by ``model`` and a few attributes or hooks; a test class mixes
it into an :class:`~tests.support.cases.EnglishTestCase` and fills them in (figures, projects, enterprises and works
each do, in tests/<app>/). A subclass may override a test to check more (``super()`` first).

- :class:`AdminPagesChecks`: the changelist lists and links the record, the add, change and history pages answer,
  the search finds it by each search field and nothing by a name that does not exist, every filter choice answers;
- :class:`ImportChecks`: a row naming an unknown park is refused with its line and nothing is saved (history
  included), the same file imported twice updates instead of duplicating, an export imports back unchanged (CSV and
  XLSX); :meth:`ImportChecks.assertRejected` checks any other bad row the same way;
- :class:`ExportChecks`: the CSV export starts with a BOM and keeps Chinese, the XLSX export opens with openpyxl;
- :class:`HistoryChecks`: a record added, changed and deleted in the admin, and one imported then reimported, is
  kept with who, when, before and after (:class:`HistoryAssertions` holds the helpers, for other models too);
- :class:`ParkRecordModelChecks`: a zone of another park fails validation (:class:`ModelAssertions` holds the
  helpers: a record built from valid values, refused by the database or by ``full_clean``).
"""

import io
from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from .admin import (
    BOM,
    XLSX_FORMAT,
    admin_form_data,
    admin_url,
    confirm_import,
    csv_upload,
    export,
    import_errors,
    import_file,
    preview_import,
    reimport_export,
    sample,
)
from .personas import make_admin
from .records import make_indicator, make_park, make_zone


def lookup(obj, path):
    """The value at ``path`` (``indicator__name``) on ``obj``."""
    for part in path.split("__"):
        obj = getattr(obj, part) if obj is not None else None
    return obj


class ModelAssertions:
    """``model`` built in memory from :meth:`valid_values` and overrides, and what refuses it."""

    model = None

    def valid_values(self):
        raise NotImplementedError("the field values of a valid, unsaved record of cls.model")

    def build(self, **kwargs):
        return self.model(**{**self.valid_values(), **kwargs})

    def assertRejectedByDatabase(self, **kwargs):
        with self.assertRaises(IntegrityError), transaction.atomic():
            self.build(**kwargs).save()

    def clean_errors(self, obj):
        """The errors of ``obj.full_clean()``, which must fail: {field: [messages]}."""
        with self.assertRaises(ValidationError) as caught:
            obj.full_clean()
        return caught.exception.message_dict

    def assertCleanError(self, obj, message, field=NON_FIELD_ERRORS):
        errors = self.clean_errors(obj)
        self.assertIn(field, errors, errors)
        self.assertIn(message, " ".join(errors[field]))


class ParkRecordModelChecks(ModelAssertions):
    """A park record's own rules; the test class's setUpTestData makes ``cls.park`` (which :meth:`valid_values`
    uses) and ``cls.other_zone``, a zone of another park."""

    def test_a_zone_of_another_park_fails_validation(self):
        self.assertCleanError(self.build(zone=self.other_zone), "This zone belongs to another park.", field="zone")


class AdminPagesChecks:
    """Every admin page of ``model`` answers for the record :meth:`make_record` builds (in park ``dongbu`` and its
    zone); a subclass may instead override :meth:`admin_rows` to check several models (tests/core/test_admin.py)."""

    model = None

    @classmethod
    def make_record(cls, park, zone):
        raise NotImplementedError("return one record of cls.model, with a value in every search field")

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.admin = make_admin()
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.record = cls.make_record(cls.park, cls.zone)

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def admin_rows(self):
        """(model, its ModelAdmin, a record of it) for each model checked."""
        return [(self.model, admin.site._registry[self.model], self.record)]

    def test_every_changelist_lists_its_row(self):
        for model, _model_admin, row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "changelist"))
                self.assertEqual(response.status_code, 200)
                self.assertIn(row, response.context["cl"].result_list)
                self.assertContains(response, admin_url(model, "change", row.pk))

    def test_every_add_page_answers(self):
        request = RequestFactory().get("/")
        request.user = self.admin
        for model, model_admin, _row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                # A read-only admin (a log) refuses the add page; every other one shows it.
                expected = 200 if model_admin.has_add_permission(request) else 403
                self.assertEqual(self.client.get(admin_url(model, "add")).status_code, expected)

    def test_every_change_page_answers(self):
        for model, _model_admin, row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "change", row.pk))
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["original"], row)

    def test_every_history_page_answers(self):
        for model, _model_admin, row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                self.assertEqual(self.client.get(admin_url(model, "history", row.pk)).status_code, 200)

    def test_every_search_finds_its_row_by_each_search_field(self):
        for model, model_admin, row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                for field in model_admin.search_fields:
                    term = lookup(row, field.lstrip("^=@"))
                    if not term:
                        continue
                    response = self.client.get(admin_url(model, "changelist"), {"q": str(term)[:20]})
                    self.assertEqual(response.status_code, 200, field)
                    self.assertIn(row, response.context["cl"].result_list, field)

    def test_a_search_for_nothing_that_exists_lists_nothing(self):
        for model, model_admin, _row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                if model_admin.search_fields:
                    response = self.client.get(admin_url(model, "changelist"), {"q": "不存在的名称"})
                    self.assertEqual(response.context["cl"].result_count, 0)

    def test_every_filter_choice_answers(self):
        for model, _model_admin, _row in self.admin_rows():
            with self.subTest(model=model._meta.label):
                response = self.client.get(admin_url(model, "changelist"))
                changelist = response.context["cl"]
                for spec in changelist.filter_specs:
                    for choice in spec.choices(changelist):
                        filtered = self.client.get(admin_url(model, "changelist") + choice["query_string"])
                        # An invalid lookup redirects to ?e=1 instead of answering 200.
                        self.assertEqual(filtered.status_code, 200, (spec.title, choice["query_string"]))


class ImportChecks:
    """The admin import of ``model``. The test class's setUpTestData makes ``cls.admin`` (logged in) and
    ``cls.park`` (``dongbu``), and whatever the sample file names (zones, indicators). Attributes:

    - ``sample_file``: a file of tests/samples/import/ holding ``sample_rows`` good rows;
    - ``import_text``: the header and good rows a bad row is appended to (default: the sample file);
    - ``unknown_park_row``: a row that would be good but for its park, 西部园区;
    - ``round_trip_fields``: the fields an export and its import must leave unchanged (default: every field);
    - :meth:`make_existing`: a record already there, which a refused import must leave alone;
    - :meth:`make_round_trip_records`: the records exported and imported back.
    """

    model = None
    sample_file = None
    sample_rows = None
    import_text = None
    unknown_park_row = None
    round_trip_fields = ()

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def make_existing(self):
        raise NotImplementedError

    def make_round_trip_records(self):
        raise NotImplementedError

    def stored(self):
        """What the database holds of ``model`` (a refused import must leave it as it was)."""
        return list(self.model.objects.order_by("pk").values(*self.round_trip_fields))

    def assertRejected(self, bad_row, *reasons, line=None):
        """``import_text`` and ``bad_row`` after it: the preview names the bad row's line and each of ``reasons``,
        offers no confirm step, and nothing is saved, in the records or in their history."""
        text = self.import_text or sample(self.sample_file)
        line = line or len(text.splitlines()) + 1
        self.make_existing()
        before, history = self.stored(), self.model.history.count()
        preview = preview_import(self.client, self.model, csv_upload(text + bad_row + "\n"))
        self.assertEqual(preview.status_code, 200)
        self.assertIsNone(preview.context.get("confirm_form"))
        self.assertNotContains(preview, 'name="confirm"')
        errors = import_errors(preview)
        self.assertEqual(list(errors), [line], errors)
        for reason in reasons:
            self.assertIn(reason, " ".join(errors[line]))
            self.assertContains(preview, reason)
        self.assertEqual((self.stored(), self.model.history.count()), (before, history))

    def test_an_unknown_park_names_the_row_and_saves_nothing(self):
        self.assertRejected(self.unknown_park_row, "unknown park “西部园区”")

    def test_reimporting_the_same_file_updates_instead_of_duplicating(self):
        import_file(self.client, self.model, csv_upload(sample(self.sample_file)))
        import_file(self.client, self.model, csv_upload(sample(self.sample_file)))
        self.assertEqual(self.model.objects.count(), self.sample_rows)

    def assertRoundTrip(self, fmt):
        self.make_round_trip_records()
        before = list(self.model.objects.order_by("pk").values(*self.round_trip_fields))
        preview = reimport_export(self.client, self.model, **({"fmt": fmt} if fmt is not None else {}))
        self.assertEqual(import_errors(preview), {})
        confirm_import(self.client, self.model, preview)
        self.assertEqual(list(self.model.objects.order_by("pk").values(*self.round_trip_fields)), before)

    def test_an_exported_csv_imports_back_unchanged(self):
        self.assertRoundTrip(None)

    def test_an_exported_xlsx_imports_back_unchanged(self):
        self.assertRoundTrip(XLSX_FORMAT)


class ExportChecks:
    """The admin export of ``model``: ``cls.admin`` is logged in, :meth:`make_exported` (or setUpTestData) builds the
    records; the CSV holds each of ``export_texts``, the XLSX's first row holds ``export_cells`` ({column: value})."""

    model = None
    export_texts = ()
    export_cells = {}

    def setUp(self):
        super().setUp()
        self.client.force_login(self.admin)

    def make_exported(self):
        """Records to export besides those of setUpTestData."""

    def test_the_csv_export_starts_with_a_bom_and_keeps_chinese(self):
        self.make_exported()
        response = export(self.client, self.model)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(BOM.encode("utf-8")))
        text = response.content.decode("utf-8-sig")
        for expected in self.export_texts:
            self.assertIn(expected, text)

    def test_the_xlsx_export_opens_with_openpyxl(self):
        self.make_exported()
        response = export(self.client, self.model, fmt=XLSX_FORMAT)
        sheet = load_workbook(io.BytesIO(response.content)).active
        header, first = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
        for column, value in self.export_cells.items():
            self.assertEqual(first[header.index(column)], value)


def records_of(model, pk):
    """The historical records of one object, oldest first."""
    return list(model.history.filter(**{model._meta.pk.attname: pk}).order_by("history_date", "history_id"))


def changes(record, previous):
    return {change.field: (change.old, change.new) for change in record.diff_against(previous).changes}


class HistoryAssertions:
    """Three admins (clerk, checker, remover), park ``dongbu`` and its zone 北片, two indicators; adding, changing
    and deleting through the admin's own forms, and assertions on what the history kept."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.clerk = make_admin("clerk")
        cls.checker = make_admin("checker")
        cls.remover = make_admin("remover")
        cls.park = make_park()
        cls.zone = make_zone(cls.park, "北片")
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")

    def setUp(self):
        super().setUp()
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

    def lifecycle(self, model, field, before, after, change=None, **add_values):
        """Add (clerk), change ``field`` (checker; or post ``change``), delete (remover): all three kept."""
        users = (self.clerk, self.checker, self.remover)
        obj = self.admin_add(model, self.clerk, **add_values)
        self.admin_change(obj, self.checker, **(change or {field: after}))
        self.admin_delete(obj, self.remover)
        self.assertLifecycle(model, obj.pk, field, before, after, users)


class HistoryChecks(HistoryAssertions):
    """What the history keeps of ``model``. Attributes:

    - ``history_field``, ``history_values`` (before, after): the field the admin lifecycle changes, its values;
    - ``history_change``: what the change form posts to make that change (default: ``{history_field: after}``);
    - :meth:`add_form_values`: the add form's values;
    - ``history_csv``: an import file of one row whose ``history_field`` is ``{value}``; ``imported_values``: the
      value of the first import and of the reimport.
    """

    model = None
    history_field = None
    history_values = ()
    history_change = None
    history_csv = None
    imported_values = ()

    def add_form_values(self):
        raise NotImplementedError

    def test_a_record_added_changed_and_deleted_in_the_admin_is_kept(self):
        before, after = self.history_values
        self.lifecycle(
            self.model, self.history_field, before, after, change=self.history_change, **self.add_form_values()
        )

    def import_twice(self):
        """Imported by the clerk, then reimported by the checker with another value: both kept."""
        first, second = self.imported_values
        self.as_user(self.clerk)
        response = import_file(self.client, self.model, csv_upload(self.history_csv.format(value=first)))
        self.assertEqual(response.status_code, 302)
        obj = self.model.objects.get()
        self.as_user(self.checker)
        response = import_file(self.client, self.model, csv_upload(self.history_csv.format(value=second)))
        self.assertEqual(response.status_code, 302)
        field = self.history_field
        added, changed = records_of(self.model, obj.pk)
        self.assertKept(added, "+", self.clerk, **{field: Decimal(first)})
        self.assertKept(changed, "~", self.checker, **{field: Decimal(second)})
        self.assertEqual(changes(changed, added)[field], (Decimal(first), Decimal(second)))
        return obj

    def test_a_record_imported_then_reimported_is_kept_with_who_before_and_after(self):
        self.import_twice()

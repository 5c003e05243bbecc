"""Edits are never lost: two people open the same record; the second to save an older form is told what changed.

Before, the second save silently overwrote the first (finding 6 of issue 10). Now every save of a figure, project,
enterprise or infrastructure work is a compare-and-set on its revision; the admin form shows the fields in conflict
(their value now, the value in the form), who changed them and when, and a second Save overwrites knowingly.
"""

import threading
from decimal import Decimal
from unittest import mock, skipUnless

import pytest
from django.db import connection, connections, transaction
from django.test import Client, TransactionTestCase
from django.urls import reverse

from parkdash.core.roles import EDITOR, VIEWER
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.admin import FigureAdmin
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.projects.models import Project
from tests.support import EnglishClient, EnglishTestCase, World, admin_form_data, make_park, make_project, persona


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def conflict_message(response):
    form = response.context["adminform"].form
    return " ".join(form.non_field_errors())


class TwoEditors(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.second_editor = persona("second_editor", EDITOR, [cls.park_a], staff=True)

    def setUp(self):
        self.first = EnglishClient()
        self.first.force_login(self.editor_a)
        self.second = EnglishClient()
        self.second.force_login(self.second_editor)

    def open(self, client, obj):
        response = client.get(change_url(obj))
        self.assertEqual(response.status_code, 200)
        return response

    def save(self, client, obj, opened, **changes):
        return client.post(change_url(obj), admin_form_data(opened, **changes))


class LostUpdateTests(TwoEditors):
    def test_the_second_editor_of_a_figure_is_shown_the_first_editors_change_and_nothing_is_overwritten(self):
        figure = self.a["figure"]
        first_form, second_form = self.open(self.first, figure), self.open(self.second, figure)
        self.assertEqual(self.save(self.first, figure, first_form, entered_value="25").status_code, 302)

        response = self.save(self.second, figure, second_form, entered_value="30")

        self.assertEqual(response.status_code, 200)
        message = conflict_message(response)
        self.assertIn("This indicator figure was changed by editor_a at ", message)
        self.assertIn("value as entered is now 25 (your form: 30)", message)
        self.assertIn("Save again to replace their values with yours, or reload the page", message)
        differences = response.context["adminform"].form.edit_conflict_differences
        self.assertEqual(
            [(d.name, d.now, d.yours) for d in differences], [("value", "25", "30"), ("entered_value", "25", "30")]
        )
        self.assertContains(response, "Changed by editor_a at ")
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("25"))

    def test_saving_again_after_being_shown_the_conflict_replaces_their_values_knowingly(self):
        figure = self.a["figure"]
        figure_note = figure.note  # what the second editor's form holds
        first_form, second_form = self.open(self.first, figure), self.open(self.second, figure)
        self.save(self.first, figure, first_form, entered_value="25", note="first")
        shown = self.save(self.second, figure, second_form, entered_value="30")
        self.assertEqual(shown.status_code, 200)

        response = self.second.post(change_url(figure), admin_form_data(shown))

        self.assertEqual(response.status_code, 302)
        figure.refresh_from_db()
        # The values of the second form, all of them: the first editor's note is replaced too, as shown.
        self.assertEqual((figure.value, figure.note), (Decimal("30"), figure_note))
        self.assertEqual(
            list(figure.history.values_list("history_user__username", "value")[:2]),
            [("second_editor", Decimal("30")), ("editor_a", Decimal("25"))],
        )

    def test_a_project_enterprise_and_work_each_refuse_a_save_from_an_older_form(self):
        cases = [
            # Different fields: the second form still holds the value the first editor replaced.
            (
                self.a["project"],
                {"responsible_unit": "建设局"},
                {"total_investment": "2000"},
                "responsible unit is now “建设局” (your form: “甲建设局”)",
            ),
            (
                self.a["enterprise"],
                {"stage": "construction", "construction_date": "2023-06-01"},
                {"industry": "家电"},
                "stage is now Construction started (开工) (your form: Settled with land (落户/供地))",
            ),
            (
                self.a["work"],
                {"completed_quantity": "7"},
                {"completed_quantity": "8"},
                "completed to date is now 7 (your form: 8)",
            ),
        ]
        for obj, first_changes, second_changes, expected in cases:
            with self.subTest(model=type(obj).__name__):
                first_form, second_form = self.open(self.first, obj), self.open(self.second, obj)
                self.assertEqual(self.save(self.first, obj, first_form, **first_changes).status_code, 302)
                stored = type(obj).objects.filter(pk=obj.pk).values().get()

                response = self.save(self.second, obj, second_form, **second_changes)

                self.assertEqual(response.status_code, 200)
                self.assertIn(expected, conflict_message(response))
                self.assertEqual(type(obj).objects.filter(pk=obj.pk).values().get(), stored)

    def test_a_second_editor_whose_form_already_agrees_with_the_first_change_saves_without_a_conflict(self):
        project = self.a["project"]
        first_form, second_form = self.open(self.first, project), self.open(self.second, project)
        self.save(self.first, project, first_form, responsible_unit="建设局")
        response = self.save(self.second, project, second_form, responsible_unit="建设局")
        self.assertEqual(response.status_code, 302)

    def test_a_figure_row_edited_on_the_indicator_page_detects_a_change_made_meanwhile(self):
        figure = self.a["figure"]
        administrator = EnglishClient()
        administrator.force_login(self.administrator)
        indicator_url = change_url(self.fai)
        indicator_page = administrator.get(indicator_url)
        self.assertEqual(
            self.save(self.first, figure, self.open(self.first, figure), entered_value="25").status_code, 302
        )
        data = admin_form_data(indicator_page)
        row = next(key[: -len("-id")] for key, value in data.items() if key.endswith("-id") and value == str(figure.pk))
        data[row + "-entered_value"] = "30"

        response = administrator.post(indicator_url, data)

        self.assertEqual(response.status_code, 200)
        errors = [
            str(e)
            for formset in response.context["inline_admin_formsets"]
            for form in formset.formset.forms
            for e in form.non_field_errors()
        ]
        self.assertTrue(any("value as entered is now 25 (your form: 30)" in e for e in errors), errors)
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("25"))

    def test_a_save_landing_between_the_forms_check_and_its_write_is_refused_and_shown(self):
        # The check reads revision n and passes; before the UPDATE runs, the first editor's save lands. The write's
        # compare-and-set finds revision n + 1 and writes nothing; the form comes back with that conflict.
        figure = self.a["figure"]
        second_form = self.open(self.second, figure)
        save_model = FigureAdmin.save_model

        def racing_save_model(admin, request, obj, form, change):
            other = Figure.objects.get(pk=obj.pk)
            other.entered_value, other._history_user = Decimal("25"), self.editor_a
            other.save()
            return save_model(admin, request, obj, form, change)

        with mock.patch.object(FigureAdmin, "save_model", racing_save_model):
            response = self.save(self.second, figure, second_form, entered_value="30")

        self.assertEqual(response.status_code, 200)
        self.assertIn("value as entered is now 25 (your form: 30)", conflict_message(response))
        self.assertIn("changed by editor_a", conflict_message(response))
        self.assertNotEqual(Figure.objects.get(pk=figure.pk).value, Decimal("30"))

    def test_reverting_to_an_earlier_version_still_works_and_detects_a_change_made_meanwhile(self):
        project = self.a["project"]
        self.save(self.first, project, self.open(self.first, project), responsible_unit="建设局")
        version = project.history.order_by("history_date").first()
        revert_url = reverse("admin:projects_project_simple_history", args=[project.pk, version.pk])
        administrator = EnglishClient()
        administrator.force_login(self.administrator)

        stale = administrator.get(revert_url)
        self.save(self.first, project, self.open(self.first, project), responsible_unit="规划局")
        response = administrator.post(revert_url, admin_form_data(stale))
        self.assertEqual(response.status_code, 200)
        self.assertIn("responsible unit is now “规划局” (your form: “甲建设局”)", conflict_message(response))

        response = administrator.post(revert_url, admin_form_data(administrator.get(revert_url)))
        self.assertEqual(response.status_code, 302)
        project.refresh_from_db()
        self.assertEqual(project.responsible_unit, "甲建设局")

    def test_a_viewer_with_staff_status_still_sees_the_change_page_without_the_revision_field(self):
        viewer = persona("viewer_staff", VIEWER, [self.park_a], staff=True)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(viewer)
        for obj in (self.a["figure"], self.a["project"], self.a["enterprise"], self.a["work"]):
            with self.subTest(model=type(obj).__name__):
                response = client.get(change_url(obj))
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "revision_seen")


class CompareAndSetTests(World, EnglishTestCase):
    """The check at the model level, for every caller of save(): two readings of one record, both saved."""

    def test_the_save_of_an_overtaken_reading_raises_and_writes_nothing(self):
        from parkdash.core.concurrency import EditConflict

        for model, obj, field, first_value, second_value in (
            (Figure, self.a["figure"], "note", "first", "second"),
            (Project, self.a["project"], "responsible_unit", "first", "second"),
            (Enterprise, self.a["enterprise"], "industry", "first", "second"),
            (InfrastructureWork, self.a["work"], "notes", "first", "second"),
        ):
            with self.subTest(model=model.__name__):
                one, two = model.objects.get(pk=obj.pk), model.objects.get(pk=obj.pk)
                setattr(one, field, first_value)
                one._history_user = self.editor_a
                one.save()
                setattr(two, field, second_value)
                # Any exception in save() marks the enclosing transaction for rollback: a savepoint keeps the test's.
                with self.assertRaises(EditConflict) as raised, transaction.atomic():
                    two.save()
                conflict = raised.exception.conflict
                self.assertEqual(conflict.changed, [field])
                self.assertEqual([edit.history_user for edit in conflict.edits], [self.editor_a])
                self.assertEqual(getattr(model.objects.get(pk=obj.pk), field), first_value)

    def test_every_save_counts_one_revision_and_a_fresh_reading_saves(self):
        project = Project.objects.get(pk=self.a["project"].pk)
        start = project.revision
        project.save()
        project.save()
        self.assertEqual(project.revision, start + 2)
        self.assertEqual(Project.objects.get(pk=project.pk).revision, start + 2)
        self.assertEqual(project.history.first().revision, start + 2)


@skipUnless(connection.vendor == "postgresql", "SQLite lets one writer at a time: the second waits, then fails locked")
@pytest.mark.slow
class TwoConnectionsTests(TransactionTestCase):
    """Two database connections, two threads, the interleaving fixed by events: read, other commits, write."""

    def test_a_save_committed_by_another_connection_after_this_read_is_not_overwritten(self):
        from parkdash.core.concurrency import EditConflict

        project = make_project(make_park(), responsible_unit="")
        read, committed = threading.Event(), threading.Event()
        outcome = {}

        def slow_editor():
            try:
                with transaction.atomic():
                    mine = Project.objects.get(pk=project.pk)
                    read.set()
                    committed.wait(10)
                    mine.responsible_unit = "slow"
                    try:
                        mine.save()
                    except EditConflict as error:
                        outcome["conflict"] = error.conflict
                        raise
            except EditConflict:
                pass
            finally:
                connections.close_all()

        def quick_editor():
            try:
                read.wait(10)
                theirs = Project.objects.get(pk=project.pk)
                theirs.responsible_unit = "quick"
                theirs.save()
                committed.set()
            finally:
                connections.close_all()

        threads = [threading.Thread(target=slow_editor), threading.Thread(target=quick_editor)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(Project.objects.get(pk=project.pk).responsible_unit, "quick")
        self.assertEqual(outcome["conflict"].changed, ["responsible_unit"])

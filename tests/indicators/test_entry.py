"""The entry service (indicators/entry.py): a figure from plain data is validated, converted, checked for
plausibility, confirmed, saved with its history and revision-checked exactly as the admin's figure form does it;
the same messages, compared with the admin's own for the same input. Batches: all or nothing, idempotent."""

import math
from decimal import Decimal
from unittest import mock

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parkdash.indicators.entry import BulkResult, Entry, enter_figure, upsert_figures, validate_constraints_in_batch
from parkdash.indicators.models import Figure, FigureWarning
from tests.support import EnglishTestCase, World, make_admin, make_figure, make_indicator, make_park, make_zone

FIGURE_ADD = reverse("admin:indicators_figure_add")


class EntryTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.fai = make_indicator("fixed_asset_investment")  # 亿元
        cls.land = make_indicator("land_supplied")  # 亩

    def data(self, **kwargs):
        data = {
            "indicator": self.fai.code,
            "park": self.park.code,
            "zone": None,
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "version": "final",
        }
        data.update(kwargs)
        return {name: value for name, value in data.items() if value is not ...}

    def enter(self, user=None, **kwargs):
        return enter_figure(user or self.admin, self.data(**kwargs))

    def admin_errors(self, **fields):
        """The admin figure form's errors for the same input (its fields by primary key, as its page posts them)."""
        post = {
            "indicator": self.fai.pk,
            "park": self.park.pk,
            "zone": "",
            "year": 2023,
            "month": 10,
            "kind": "actual",
            "version": "final",
            "entered_value": "",
            "entered_unit": "",
            "yoy_pct": "",
            "note": "",
        }
        post.update(fields)
        self.client.force_login(self.admin)
        response = self.client.post(FIGURE_ADD, post)
        self.assertEqual(response.status_code, 200, "the admin saved what the test expects it to refuse")
        return {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}


class EnterFigureTests(EntryTestCase):
    def test_a_figure_given_in_the_indicator_s_unit_is_created(self):
        result = self.enter(value=12.5, yoy_pct="8.5", note="快报")
        self.assertEqual((result.status, result.errors), ("created", {}))
        figure = Figure.objects.get()
        self.assertEqual(result.figure, figure)
        self.assertEqual((figure.value, figure.entered_value, figure.entered_unit), (Decimal("12.5"),) * 2 + ("",))
        self.assertEqual((figure.yoy_pct, figure.note), (Decimal("8.5"), "快报"))

    def test_wan_yuan_entered_for_a_hundred_million_yuan_indicator_are_converted(self):
        result = self.enter(entered_value=3214, entered_unit="万元")
        self.assertEqual(result.status, "created")
        self.assertEqual((result.figure.value, result.figure.entered_unit), (Decimal("0.3214"), "万元"))

    def test_shorthand_wan_becomes_wan_yuan_as_in_the_admin(self):
        result = self.enter(entered_value="3214", entered_unit="万")
        self.assertEqual(result.status, "created")
        self.assertEqual((result.figure.value, result.figure.entered_unit), (Decimal("0.3214"), "万元"))

    def test_a_zone_is_named_within_its_park(self):
        result = self.enter(indicator=self.land.code, zone=self.zone.name, value=150)
        self.assertEqual(result.status, "created")
        self.assertEqual(result.figure.zone, self.zone)

    def test_the_history_row_names_the_user(self):
        figure = self.enter(value=12).figure
        self.assertEqual(figure.history.get().history_user, self.admin)

    def test_a_float_is_read_by_its_shortest_spelling(self):
        self.assertEqual(self.enter(value=0.1).figure.value, Decimal("0.1"))


class SameMessagesAsTheAdminTests(EntryTestCase):
    """Each refusal of the admin's figure form, through the service: the same message on the same field."""

    def assertSameErrors(self, field, service_input, admin_input, service_field=None):
        result = self.enter(**service_input)
        self.assertEqual(result.status, "invalid")
        expected = self.admin_errors(**admin_input)[field]
        self.assertTrue(expected)
        service_field = service_field or ("non_field_errors" if field == "__all__" else field)
        self.assertEqual(result.errors[service_field], expected)
        self.assertFalse(Figure.objects.exists())

    def test_a_unit_that_does_not_fit_is_refused_with_the_units_that_do(self):
        self.assertSameErrors(
            "entered_unit",
            {"entered_value": 3214, "entered_unit": "吨"},
            {"entered_value": "3214", "entered_unit": "吨"},
        )

    def test_an_unknown_unit(self):
        self.assertSameErrors(
            "entered_unit",
            {"entered_value": 1, "entered_unit": "斤斤"},
            {"entered_value": "1", "entered_unit": "斤斤"},
        )

    def test_a_negative_value(self):
        self.assertSameErrors("entered_value", {"entered_value": -5}, {"entered_value": "-5"})

    def test_a_negative_value_given_as_value_is_the_value_s_error(self):
        self.assertSameErrors("entered_value", {"value": -5}, {"entered_value": "-5"}, service_field="value")

    def test_a_value_too_large_once_converted(self):
        self.assertSameErrors(
            "entered_value",
            {"entered_value": 9e14, "entered_unit": "万亿元"},
            {"entered_value": "900000000000000", "entered_unit": "万亿元"},
        )

    def test_too_many_decimals(self):
        self.assertSameErrors("entered_value", {"entered_value": "1.123456"}, {"entered_value": "1.123456"})

    def test_nan_is_not_an_amount(self):
        self.assertSameErrors("entered_value", {"entered_value": float("nan")}, {"entered_value": "nan"})

    def test_infinity_is_not_an_amount(self):
        self.assertSameErrors("entered_value", {"entered_value": "Infinity"}, {"entered_value": "Infinity"})

    def test_words_are_not_a_number(self):
        self.assertSameErrors("entered_value", {"entered_value": "three"}, {"entered_value": "three"})

    def test_neither_value_nor_growth(self):
        self.assertSameErrors("__all__", {}, {})

    def test_a_month_out_of_range(self):
        self.assertSameErrors("__all__", {"month": 13, "value": 1}, {"month": 13, "entered_value": "1"})

    def test_a_year_out_of_range(self):
        self.assertSameErrors("__all__", {"year": 1800, "value": 1}, {"year": 1800, "entered_value": "1"})

    def test_a_kind_that_is_not_a_choice(self):
        self.assertSameErrors("kind", {"kind": "forecast", "value": 1}, {"kind": "forecast", "entered_value": "1"})

    def test_a_note_too_long(self):
        self.assertSameErrors("note", {"note": "长" * 300, "value": 1}, {"note": "长" * 300, "entered_value": "1"})

    def test_a_second_figure_for_the_same_period(self):
        make_figure(self.fai, self.park, year=2023, month=10, value=Decimal("1"))
        result = self.enter(value=2)
        self.assertEqual(result.status, "invalid")
        self.assertEqual(result.errors["non_field_errors"], self.admin_errors(entered_value="2")["__all__"])
        self.assertEqual(Figure.objects.get().value, Decimal("1"))


class PlainDataTests(EntryTestCase):
    def test_unknown_fields_are_named(self):
        result = self.enter(value=1, colour="red", id=4)
        self.assertEqual(result.status, "invalid")
        (message,) = result.errors["non_field_errors"]
        self.assertIn("Unknown fields: colour, id.", message)
        self.assertFalse(Figure.objects.exists())

    def test_a_year_given_as_text_is_refused(self):
        result = self.enter(year="2023", value=1)
        self.assertEqual(result.errors, {"year": ["A whole number is expected, such as 2023."]})

    def test_a_boolean_is_not_an_amount(self):
        result = self.enter(value=True)
        self.assertEqual(result.errors, {"value": ["A number is expected, such as 3214 or 20.75."]})

    def test_a_unit_must_be_text(self):
        result = self.enter(entered_value=1, entered_unit=["万元"])
        self.assertEqual(result.errors, {"entered_unit": ["Text is expected."]})

    def test_data_that_is_not_an_object_is_refused(self):
        result = enter_figure(self.admin, ["fixed_asset_investment"])
        self.assertEqual(result.status, "invalid")
        self.assertIn("non_field_errors", result.errors)

    def test_an_unknown_indicator_is_an_error_on_the_indicator(self):
        result = self.enter(indicator="no_such_thing", value=1)
        self.assertEqual(result.errors["indicator"], ["There is no indicator with the code “no_such_thing”."])

    def test_an_unknown_park_is_an_error_on_the_park(self):
        result = self.enter(park="nowhere", value=1)
        self.assertEqual(result.errors, {"park": ["There is no park “nowhere” you may enter figures for."]})

    def test_a_zone_of_another_park_is_unknown_in_this_one(self):
        other = make_zone(make_park(code="west", name="西部园区"), name="西片")
        result = self.enter(zone=other.name, value=1)
        self.assertEqual(result.errors["zone"], ["The park “dongbu” has no zone “西片”."])

    def test_missing_key_fields_are_required_as_in_the_admin(self):
        result = enter_figure(self.admin, {"value": 1})
        required = self.admin_errors(indicator="", entered_value="1")["indicator"]
        for name in ("indicator", "park", "year", "month", "kind"):
            self.assertEqual(result.errors[name], required, name)

    def test_value_and_entered_value_must_agree(self):
        result = self.enter(value=1, entered_value=3214, entered_unit="万元")
        self.assertEqual(result.status, "invalid")
        self.assertIn("value", result.errors)
        self.assertEqual(self.enter(value="0.3214", entered_value=3214, entered_unit="万元").status, "created")


class WarningTests(EntryTestCase):
    def setUp(self):
        self.may = make_figure(self.fai, self.park, month=5, value=Decimal("18.5"))

    def slip(self, **kwargs):
        return self.enter(month=6, value=3214, **kwargs)  # 万元 sent as 亿元: 173.7 times May's figure

    def test_a_figure_with_warnings_is_not_saved_and_the_warnings_are_said(self):
        result = self.slip()
        self.assertEqual((result.status, result.figure), ("warnings", None))
        self.assertEqual([w.code for w in result.warnings], ["jump"])
        self.assertIn("173.7 times", result.errors["confirm_warnings"][0])
        self.assertEqual(list(Figure.objects.all()), [self.may])

    def test_the_admin_says_the_same_warning(self):
        warning = self.slip().warnings[0]
        self.client.force_login(self.admin)
        response = self.client.post(
            FIGURE_ADD,
            {
                **{"indicator": self.fai.pk, "park": self.park.pk, "year": 2023, "month": 6},
                **{"kind": "actual", "version": "final", "entered_value": "3214"},
            },
        )
        self.assertIn(warning.message, response.context["adminform"].form.errors["__all__"])

    def test_confirmed_by_its_code_the_figure_is_saved_and_the_warning_kept_as_the_admin_keeps_it(self):
        result = self.slip(confirm_warnings=["jump"])
        self.assertEqual(result.status, "created")
        (kept,) = FigureWarning.objects.all()
        self.assertEqual(
            (kept.figure, kept.code, kept.value, kept.confirmed_by), (result.figure, "jump", 3214, self.admin)
        )
        self.assertIn("173.7 times", kept.message)

    def test_confirming_another_warning_does_not_confirm_this_one(self):
        self.assertEqual(self.slip(confirm_warnings=["fall"]).status, "warnings")
        self.assertEqual(Figure.objects.count(), 1)

    def test_an_unknown_warning_code_is_refused(self):
        result = self.slip(confirm_warnings=["jumpy"])
        self.assertEqual(result.status, "invalid")
        self.assertIn("“jumpy” is not a warning code", result.errors["confirm_warnings"][0])


class UpdateTests(EntryTestCase):
    def setUp(self):
        self.figure = make_figure(
            self.fai, self.park, month=10, value=Decimal("20.75"), entered_value=Decimal("20.75"), note="月报"
        )

    def update(self, user=None, partial=True, **kwargs):
        figure = Figure.objects.get(pk=self.figure.pk)
        data = kwargs if partial else self.data(**kwargs)
        return enter_figure(user or self.admin, data, instance=figure, partial=partial)

    def test_a_partial_update_changes_only_the_fields_given(self):
        result = self.update(value=21)
        self.assertEqual(result.status, "updated")
        figure = Figure.objects.get()
        self.assertEqual((figure.value, figure.note, figure.revision), (Decimal("21"), "月报", 2))
        self.assertEqual(figure.history.latest().history_user, self.admin)

    def test_a_full_update_clears_what_it_does_not_give(self):
        result = self.update(partial=False, value=21)
        self.assertEqual(result.status, "updated")
        self.assertEqual(Figure.objects.get().note, "")

    def test_the_same_values_again_are_unchanged_and_not_written(self):
        result = self.update(value="20.75", note="月报")
        self.assertEqual(result.status, "unchanged")
        figure = Figure.objects.get()
        self.assertEqual((figure.revision, figure.history.count()), (1, 1))

    def test_a_stale_revision_is_a_conflict_that_says_what_changed(self):
        self.update(note="核对后", revision=1)
        result = self.update(value=22, note="月报", revision=1)
        self.assertEqual(result.status, "conflict")
        (message,) = result.errors["non_field_errors"]
        self.assertIn("This indicator figure was changed by admin", message)
        self.assertIn("note is now “核对后” (your form: “月报”)", message)
        self.assertEqual(Figure.objects.get().value, Decimal("20.75"))

    def test_a_stale_revision_that_overwrites_nothing_of_theirs_saves_as_in_the_admin(self):
        self.update(note="核对后", revision=1)
        self.assertEqual(self.update(value=22, revision=1).status, "updated")
        self.assertEqual((Figure.objects.get().value, Figure.objects.get().note), (Decimal("22"), "核对后"))

    def test_the_current_revision_saves(self):
        self.assertEqual(self.update(value=22, revision=1).status, "updated")
        self.assertEqual(self.update(value=23, revision=2).status, "updated")


class PersonaTests(World, EnglishTestCase):
    """Only editor A writes park A's figures; every refusal is an error in the result, and nothing is written."""

    def data(self, park):
        return {
            "indicator": self.fai.code,
            "park": park.code,
            "zone": None,
            "year": 2024,
            "month": 3,
            "kind": "actual",
            "version": "final",
            "value": 3,
        }

    def test_editor_a_adds_a_figure_to_park_a(self):
        self.assertEqual(enter_figure(self.editor_a, self.data(self.park_a)).status, "created")

    def test_editor_b_cannot_add_a_figure_to_park_a(self):
        result = enter_figure(self.editor_b, self.data(self.park_a))
        self.assertEqual(result.errors, {"park": ["There is no park “park-a” you may enter figures for."]})
        self.assertFalse(Figure.objects.filter(year=2024).exists())

    def test_an_editor_of_no_park_cannot_add_a_figure(self):
        self.assertEqual(list(enter_figure(self.editor_none, self.data(self.park_a)).errors), ["park"])

    def test_a_viewer_cannot_add_a_figure_even_to_their_park(self):
        result = enter_figure(self.viewer_a, self.data(self.park_a))
        self.assertEqual(result.errors, {"non_field_errors": ["You may not add figures."]})
        self.assertFalse(Figure.objects.filter(year=2024).exists())

    def test_editor_b_cannot_change_park_a_s_figure(self):
        figure = self.a["figure"]
        result = enter_figure(self.editor_b, {"value": 99}, instance=figure, partial=True)
        self.assertEqual(result.status, "invalid")
        self.assertEqual(list(result.errors), ["park"])
        self.assertEqual(Figure.objects.get(pk=figure.pk).value, Decimal("12"))

    def test_editor_a_cannot_move_park_a_s_figure_to_park_b(self):
        figure = self.a["figure"]
        result = enter_figure(self.editor_a, {"park": self.park_b.code}, instance=figure, partial=True)
        self.assertEqual(list(result.errors), ["park"])
        self.assertEqual(Figure.objects.get(pk=figure.pk).park, self.park_a)

    def test_a_viewer_cannot_change_a_figure(self):
        result = enter_figure(self.viewer_a, {"value": 99}, instance=self.a["figure"], partial=True)
        self.assertEqual(result.errors, {"non_field_errors": ["You may not change figures."]})


class BulkTestCase(EntryTestCase):
    def item(self, month, value, **kwargs):
        return self.data(month=month, value=value, **kwargs)

    def batch(self, count=5, year=2023, **kwargs):
        """``count`` plausible actuals: the first months of ``year`` of a rising running total."""
        return [self.item(month=1 + i % 12, value=10 + i, year=year + i // 12, **kwargs) for i in range(count)]


class UpsertTests(BulkTestCase):
    def test_a_batch_creates_its_figures_with_history_rows_naming_the_user(self):
        result = upsert_figures(self.admin, self.batch())
        self.assertTrue(result.ok)
        self.assertEqual([item.status for item in result.items], ["created"] * 5)
        self.assertEqual(Figure.objects.count(), 5)
        self.assertEqual({f.history.get().history_user for f in Figure.objects.all()}, {self.admin})
        self.assertEqual([item.figure.month for item in result.items], [1, 2, 3, 4, 5])

    def test_a_stored_figure_is_updated_by_its_natural_key_and_keeps_what_the_item_does_not_give(self):
        stored = make_figure(self.fai, self.park, month=3, value=Decimal("9"), entered_value=Decimal("9"), note="核")
        result = upsert_figures(self.admin, self.batch())
        self.assertEqual(
            [item.status for item in result.items], ["created", "created", "updated", "created", "created"]
        )
        stored.refresh_from_db()
        self.assertEqual((stored.value, stored.note, stored.revision), (Decimal("12"), "核", 2))
        self.assertEqual(Figure.objects.count(), 5)

    def test_an_invalid_item_writes_nothing_and_every_item_says_what_became_of_it(self):
        items = self.batch()
        items[2]["entered_unit"], items[2]["entered_value"] = "吨", items[2].pop("value")
        items[4]["month"] = "five"
        result = upsert_figures(self.admin, items)
        self.assertFalse(result.ok)
        self.assertEqual(
            [item.status for item in result.items], ["created", "created", "invalid", "created", "invalid"]
        )
        self.assertEqual([item.figure for item in result.items], [None] * 5)
        self.assertEqual(list(result.items[2].errors), ["entered_unit"])
        self.assertEqual(list(result.items[4].errors), ["month"])
        self.assertFalse(Figure.objects.exists())

    def test_an_item_with_unconfirmed_warnings_writes_nothing(self):
        items = self.batch()
        items[3]["value"] = 3214  # after 12 亿元 in March: the 万/亿 slip
        result = upsert_figures(self.admin, items)
        self.assertFalse(result.ok)
        self.assertEqual(result.items[3].status, "warnings")
        self.assertEqual([w.code for w in result.items[3].warnings], ["jump"])
        self.assertFalse(Figure.objects.exists())

    def test_confirmed_warnings_are_kept_with_their_figures(self):
        items = self.batch()
        items[3].update(value=3214, confirm_warnings=["jump"])  # April jumps up, May falls back
        items[4]["confirm_warnings"] = ["jump"]
        result = upsert_figures(self.admin, items)
        self.assertTrue(result.ok, [item.errors for item in result.items])
        kept = sorted((w.figure.month, w.code, w.confirmed_by) for w in FigureWarning.objects.all())
        self.assertEqual(kept, [(4, "jump", self.admin), (5, "jump", self.admin)])

    def test_the_same_figure_twice_in_a_batch_is_an_error_on_the_second(self):
        items = self.batch(3) + [self.item(month=2, value=11)]
        result = upsert_figures(self.admin, items)
        self.assertFalse(result.ok)
        self.assertEqual(result.items[3].status, "invalid")
        self.assertIn("as item 1 (counted from 0)", result.items[3].errors["non_field_errors"][0])
        self.assertFalse(Figure.objects.exists())

    def test_a_stale_revision_in_a_batch_is_a_conflict(self):
        stored = make_figure(self.fai, self.park, month=2, value=Decimal("11"), entered_value=Decimal("11"))
        stored.note = "核对"
        stored.save()
        items = self.batch(3)
        items[1].update(note="", revision=1)
        result = upsert_figures(self.admin, items)
        self.assertEqual(result.items[1].status, "conflict")
        self.assertFalse(result.ok)
        self.assertEqual(Figure.objects.count(), 1)

    def test_a_batch_above_the_limit_is_refused_whole(self):
        result = upsert_figures(self.admin, [self.item(1, 1)] * 1001)
        self.assertFalse(result.ok)
        self.assertEqual(len(result.items), 1001)
        self.assertIn("at most 1000 figures", result.items[0].errors["non_field_errors"][0])
        self.assertFalse(Figure.objects.exists())

    def test_an_empty_batch_is_ok(self):
        self.assertEqual(upsert_figures(self.admin, []), BulkResult(True, []))


class IdempotencyTests(BulkTestCase):
    def test_the_same_batch_twice_changes_nothing_the_second_time(self):
        items = self.batch(12) + [self.item(3, 150, indicator=self.land.code, zone=self.zone.name)]
        items[5].update(entered_value=150000, entered_unit="万", confirm_warnings=[])  # 15 亿元
        del items[5]["value"]
        first = upsert_figures(self.admin, items)
        self.assertTrue(first.ok, [item.errors for item in first.items])
        before = list(Figure.objects.values_list("pk", "revision", "modified"))
        history = Figure.history.count()
        again = upsert_figures(self.admin, items)
        self.assertTrue(again.ok)
        self.assertEqual({item.status for item in again.items}, {"unchanged"})
        self.assertEqual(list(Figure.objects.values_list("pk", "revision", "modified")), before)
        self.assertEqual(Figure.history.count(), history)

    def test_a_batch_with_one_figure_changed_writes_only_that_one(self):
        items = self.batch(4)
        upsert_figures(self.admin, items)
        items[2]["value"] = 12.5
        result = upsert_figures(self.admin, items)
        self.assertEqual([item.status for item in result.items], ["unchanged", "unchanged", "updated", "unchanged"])
        march = Figure.objects.get(month=3)
        self.assertEqual(march.revision, 2)
        latest = march.history.latest()
        self.assertEqual(
            (latest.history_type, latest.history_user, latest.revision, latest.value),
            ("~", self.admin, 2, Decimal("12.5")),
        )


class BulkPersonaTests(World, EnglishTestCase):
    def items(self, park):
        return [
            {"indicator": self.fai.code, "park": park.code, "year": 2024, "month": month, "kind": "actual"}
            | {"version": "final", "value": month}
            for month in (1, 2, 3)
        ]

    def test_editor_a_writes_a_batch_for_park_a(self):
        self.assertTrue(upsert_figures(self.editor_a, self.items(self.park_a)).ok)

    def test_a_batch_with_one_figure_of_park_b_is_refused_whole_for_editor_a(self):
        items = self.items(self.park_a) + self.items(self.park_b)[:1]
        result = upsert_figures(self.editor_a, items)
        self.assertFalse(result.ok)
        self.assertEqual(list(result.items[3].errors), ["park"])
        self.assertFalse(Figure.objects.filter(year=2024).exists())

    def test_editor_a_cannot_update_park_b_s_figure_through_a_batch(self):
        figure = self.b["figure"]
        item = {"indicator": self.fai.code, "park": self.park_b.code, "year": 2023, "month": 6, "kind": "actual"}
        result = upsert_figures(self.editor_a, [item | {"version": "final", "value": 99}])
        self.assertEqual(list(result.items[0].errors), ["park"])
        self.assertEqual(Figure.objects.get(pk=figure.pk).value, Decimal("12"))

    def test_a_viewer_writes_nothing(self):
        result = upsert_figures(self.viewer_a, self.items(self.park_a))
        self.assertEqual({item.errors["non_field_errors"][0] for item in result.items}, {"You may not add figures."})
        self.assertFalse(Figure.objects.filter(year=2024).exists())


class BatchConstraintTests(EntryTestCase):
    """A batch checks the figure's check constraints in memory: the same verdicts and messages as the database's."""

    CASES = [
        {},
        {"month": 0},
        {"month": 13},
        {"year": 1800},
        {"year": 2101, "month": 13},
        {"value": Decimal("-1")},
        {"entered_value": Decimal("-1"), "value": Decimal("-1")},
        {"value": None},
        {"value": None, "yoy_pct": Decimal("-3")},
        {"month": None},
    ]

    def test_the_in_memory_check_agrees_with_the_database_s(self):
        for changes in self.CASES:
            with self.subTest(**{k: str(v) for k, v in changes.items()}):
                values = {"indicator": self.fai, "park": self.park, "year": 2023, "month": 10, "kind": "actual"}
                figure = Figure(**(values | {"value": Decimal("1")} | changes))
                for exclude in (None, {"value"}):
                    self.assertEqual(
                        self.errors(validate_constraints_in_batch, figure, exclude),
                        self.errors(Figure.validate_constraints, figure, exclude),
                    )

    def errors(self, validate, figure, exclude):
        try:
            validate(figure, exclude=exclude)
        except ValidationError as error:
            return error.message_dict
        return {}

    def test_a_constraint_broken_in_a_batch_says_what_the_admin_says(self):
        result = upsert_figures(self.admin, [self.data(month=13, value=1)])
        expected = self.admin_errors(month=13, entered_value="1")["__all__"]
        self.assertEqual(result.items[0].errors["non_field_errors"], expected)
        result = upsert_figures(self.admin, [self.data()])
        self.assertEqual(result.items[0].errors["non_field_errors"], self.admin_errors()["__all__"])


class BatchQueryTests(BulkTestCase):
    """The queries of a batch: a fixed number for the whole batch (the indicators, parks and zones, the user's parks,
    the stored figures, the neighbours and confirmations for the plausibility checks, the savepoint), then one a
    figure written (its INSERT or UPDATE, a compare-and-set on its revision), none a figure unchanged; the history
    rows in one INSERT of many rows (on SQLite, one for every few dozen rows: its bound on query parameters)."""

    FIXED = 12

    def bound(self, written):
        return self.FIXED + written + math.ceil(written / 20)

    def queries(self, user, items):
        with CaptureQueriesContext(connection) as captured:
            result = upsert_figures(user, items)
        self.assertTrue(result.ok, [item.errors for item in result.items if item.errors][:3])
        return len(captured.captured_queries)

    def check_counts(self, user, park, zone):
        for count in (10, 200):
            items = self.batch(count, year=2030 - count // 12, park=park.code)
            if zone is not None:
                for item in items[::3]:
                    item.update(zone=zone.name, indicator=self.land.code)
            self.assertLessEqual(self.queries(user, items), self.bound(count), count)
            self.assertLessEqual(self.queries(user, items), self.FIXED, f"{count} unchanged")
            for item in items:
                item["value"] += 1
            self.assertLessEqual(self.queries(user, items), self.bound(count), f"{count} changed")

    def test_a_batch_reads_in_a_fixed_number_of_queries_and_writes_one_a_figure(self):
        self.check_counts(self.admin, self.park, self.zone)

    def test_so_does_an_editor_s_batch(self):
        from parkdash.core.roles import EDITOR
        from tests.support import persona

        self.check_counts(persona("editor", EDITOR, [self.park]), self.park, self.zone)


class ClearingTests(EntryTestCase):
    def test_a_value_cleared_is_cleared_and_the_growth_kept(self):
        figure = make_figure(self.fai, self.park, value=Decimal("3"), entered_value=Decimal("3"), yoy_pct=Decimal("5"))
        result = enter_figure(self.admin, {"value": None}, instance=figure, partial=True)
        self.assertEqual(result.status, "updated")
        figure.refresh_from_db()
        self.assertEqual((figure.value, figure.entered_value, figure.yoy_pct), (None, None, Decimal("5")))

    def test_a_value_cleared_without_a_growth_is_refused_as_in_the_admin(self):
        figure = make_figure(self.fai, self.park, value=Decimal("3"), entered_value=Decimal("3"))
        result = enter_figure(self.admin, {"entered_value": None}, instance=figure, partial=True)
        self.assertEqual(result.errors["non_field_errors"], self.admin_errors(month=11)["__all__"])
        self.assertEqual(Figure.objects.get().value, Decimal("3"))

    def test_a_blank_park_code_is_required(self):
        result = self.enter(park="", value=1)
        self.assertEqual(result.errors, {"park": self.admin_errors(park="", entered_value="1")["park"]})


class BatchRaceTests(BulkTestCase):
    """What the batch read can change before it writes: the batch is rolled back and the item says why. The other
    writer is played on the test's own connection, inside the batch's transaction: rolled back with it."""

    def save_after(self, meddle):
        original = Entry.save
        calls = []

        def save(entry):
            if not calls:
                meddle()
            calls.append(entry)
            return original(entry)

        return mock.patch.object(Entry, "save", save)

    def test_a_figure_created_by_someone_else_meanwhile_rolls_the_batch_back(self):
        with self.save_after(lambda: make_figure(self.fai, self.park, month=1, value=Decimal("10"))):
            result = upsert_figures(self.admin, self.batch(3))
        self.assertFalse(result.ok)
        self.assertEqual([item.status for item in result.items], ["conflict", "created", "created"])
        self.assertIn("saved by someone else", result.items[0].errors["non_field_errors"][0])
        # Nothing of the batch is left (nor the other writer's stand-in: it shares the test's connection).
        self.assertFalse(Figure.objects.exists())

    def test_a_single_figure_created_by_someone_else_meanwhile_is_a_conflict_not_an_error(self):
        with self.save_after(lambda: make_figure(self.fai, self.park, month=1, value=Decimal("10"))):
            result = enter_figure(self.admin, self.item(month=1, value=11))
        self.assertEqual(result.status, "conflict")
        self.assertIn("saved by someone else at the same time", result.errors["non_field_errors"][0])
        self.assertFalse(Figure.objects.filter(value=11).exists())

    def test_a_figure_changed_by_someone_else_meanwhile_is_a_conflict_and_rolls_the_batch_back(self):
        stored = make_figure(self.fai, self.park, month=2, value=Decimal("9"), entered_value=Decimal("9"))

        def meddle():
            other = Figure.objects.get(pk=stored.pk)
            other.value = other.entered_value = Decimal("9.5")
            other.save()

        with self.save_after(meddle):
            result = upsert_figures(self.admin, self.batch(3))
        self.assertFalse(result.ok)
        self.assertEqual([item.status for item in result.items], ["created", "conflict", "created"])
        self.assertIn("value as entered is now 9.5", result.items[1].errors["non_field_errors"][0])
        self.assertEqual(list(Figure.objects.values_list("value", flat=True)), [Decimal("9")])


class VersionDefaultTests(BulkTestCase):
    def test_a_figure_without_a_version_is_final_as_the_admin_form_starts(self):
        result = self.enter(version=..., value=1)
        self.assertEqual((result.status, result.figure.version), ("created", "final"))

    def test_a_batch_item_without_a_version_names_the_final_figure(self):
        stored = make_figure(self.fai, self.park, month=1, value=Decimal("9"), entered_value=Decimal("9"))
        items = self.batch(2)
        for item in items:
            del item["version"]
        result = upsert_figures(self.admin, items)
        self.assertEqual([item.status for item in result.items], ["updated", "created"])
        self.assertEqual(result.items[0].figure.pk, stored.pk)

    def test_a_partial_update_without_a_version_keeps_the_figure_s(self):
        figure = make_figure(self.fai, self.park, version="preliminary", value=Decimal("9"), entered_value=Decimal("9"))
        enter_figure(self.admin, {"value": 10}, instance=figure, partial=True)
        self.assertEqual(Figure.objects.get().version, "preliminary")

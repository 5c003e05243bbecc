"""The entry service (indicators/entry.py): a figure from plain data is validated, converted, checked for
plausibility, confirmed, saved with its history and revision-checked exactly as the admin's figure form does it;
the same messages, compared with the admin's own for the same input. Batches: all or nothing, idempotent."""

from decimal import Decimal

from django.urls import reverse

from parkdash.indicators.entry import enter_figure
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
        for name in ("indicator", "park", "year", "month", "kind", "version"):
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

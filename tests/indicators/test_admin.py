"""Indicator and figure admin: entry in any compatible unit, readable columns, inlines, export."""

import csv
import io
from decimal import Decimal

from django.urls import reverse

from parkdash.indicators import quality
from parkdash.indicators.models import Figure
from tests.support import (
    EnglishTestCase,
    export,
    make_admin,
    make_figure,
    make_indicator,
    make_park,
    make_zone,
)
from tests.support.batteries import AdminPagesChecks, ExportChecks

FIGURE_ADD = reverse("admin:indicators_figure_add")
FIGURE_LIST = reverse("admin:indicators_figure_changelist")


class FigureAdminPagesTests(AdminPagesChecks, EnglishTestCase):
    model = Figure

    @classmethod
    def make_record(cls, park, zone):
        return make_figure(make_indicator(), park, zone=zone)


class FigureAdminTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")

    def setUp(self):
        self.client.force_login(self.admin)

    def form_data(self, **kwargs):
        data = {
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
        data.update(kwargs)
        return data


class FigureChangelistTests(FigureAdminTestCase):
    def test_it_shows_the_value_with_its_unit(self):
        make_figure(self.fai, self.park, value=Decimal("20.75"), yoy_pct=Decimal("42.45"))
        response = self.client.get(FIGURE_LIST)
        self.assertContains(response, "20.75 100M yuan")
        self.assertContains(response, "+42.45%")
        response = self.client.get(FIGURE_LIST, HTTP_ACCEPT_LANGUAGE="zh-hans")
        self.assertContains(response, "20.75 亿元")

    def test_it_shows_the_completion_of_an_actual_against_its_target(self):
        make_figure(self.fai, self.park, kind="target", month=12, value=Decimal("25"))
        make_figure(self.fai, self.park, value=Decimal("20.75"))
        response = self.client.get(FIGURE_LIST)
        self.assertContains(response, "83%")  # 83.0: the trailing zero dropped, as everywhere

    def test_a_zone_actual_shows_no_completion_against_the_whole_park_target(self):
        make_figure(self.fai, self.park, kind="target", month=12, value=Decimal("25"))
        make_figure(self.fai, self.park, zone=self.zone, value=Decimal("6.93"))
        response = self.client.get(FIGURE_LIST)
        self.assertContains(response, "6.93 100M yuan")  # the unit in the user's language (English here)
        self.assertNotContains(response, "27.7%")

    def test_the_kind_filter_lists_only_targets(self):
        target = make_figure(self.fai, self.park, kind="target", month=12, value=Decimal("25"))
        make_figure(self.fai, self.park)
        response = self.client.get(FIGURE_LIST, {"kind__exact": "target"})
        self.assertEqual(list(response.context["cl"].result_list), [target])

    def test_the_search_finds_figures_by_zone_name(self):
        zone_figure = make_figure(self.fai, self.park, zone=self.zone, value=Decimal("6.93"))
        make_figure(self.fai, self.park)
        response = self.client.get(FIGURE_LIST, {"q": "东部XX县区"})
        self.assertEqual(list(response.context["cl"].result_list), [zone_figure])


class FigureAddFormTests(FigureAdminTestCase):
    def test_a_value_typed_in_ten_thousand_yuan_is_stored_in_hundred_million_yuan(self):
        response = self.client.post(
            FIGURE_ADD, self.form_data(zone=self.zone.pk, entered_value="3214", entered_unit="万元")
        )
        self.assertEqual(response.status_code, 302)
        figure = Figure.objects.get()
        self.assertEqual(
            (figure.value, figure.entered_value, figure.entered_unit), (Decimal("0.3214"), Decimal("3214"), "万元")
        )
        self.assertEqual(figure.source, "manual")

    def test_the_add_form_shows_no_python_none_for_a_figure_without_a_summary(self):
        response = self.client.get(FIGURE_ADD)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, ">None<")

    def test_a_value_without_a_unit_is_in_the_canonical_unit(self):
        self.client.post(FIGURE_ADD, self.form_data(entered_value="20.75"))
        self.assertEqual(Figure.objects.get().value, Decimal("20.75"))

    def test_mu_for_a_money_indicator_is_a_form_error_naming_the_units_that_fit(self):
        response = self.client.post(FIGURE_ADD, self.form_data(entered_value="1696", entered_unit="亩"))
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertEqual(
            errors["entered_unit"], ["“亩” does not fit 亿元, the unit of 固定资产投资; use one of 亿元、万元、元."]
        )
        self.assertFalse(Figure.objects.exists())

    def test_a_figure_with_neither_value_nor_growth_is_a_form_error(self):
        response = self.client.post(FIGURE_ADD, self.form_data())
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Give a value, a year-on-year growth, or both.", response.context["adminform"].form.non_field_errors()
        )
        self.assertFalse(Figure.objects.exists())

    def test_a_growth_alone_is_accepted(self):
        response = self.client.post(FIGURE_ADD, self.form_data(yoy_pct="-3.5"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get().yoy_pct, Decimal("-3.5"))

    def test_a_second_figure_for_the_same_period_is_a_form_error(self):
        make_figure(self.fai, self.park)
        response = self.client.post(FIGURE_ADD, self.form_data(entered_value="21"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("There is already a figure", str(response.context["adminform"].form.non_field_errors()))
        self.assertEqual(Figure.objects.get().value, Decimal("20.75"))

    def test_a_zone_of_another_park_is_a_form_error(self):
        other_zone = make_zone(make_park(code="xibei", name="西北开发区"), "西区")
        response = self.client.post(FIGURE_ADD, self.form_data(zone=other_zone.pk, entered_value="1"))
        self.assertIn("zone", response.context["adminform"].form.errors)

    def test_changing_the_entered_value_recomputes_the_stored_value(self):
        figure = make_figure(
            self.fai, self.park, entered_value=Decimal("3214"), entered_unit="万元", value=Decimal("0.3214")
        )
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        response = self.client.post(url, self.form_data(entered_value="5000", entered_unit="万元"))
        self.assertEqual(response.status_code, 302)
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("0.5"))


class IndicatorInlineTests(FigureAdminTestCase):
    def change_url(self):
        return reverse("admin:indicators_indicator_change", args=[self.fai.pk])

    def inline_data(self, targets=(), actuals=()):
        """The indicator form with target and actual inline rows (dicts of field values, new rows only)."""
        data = {
            "code": self.fai.code,
            "name": self.fai.name,
            "name_en": self.fai.name_en,
            "unit": self.fai.unit,
            "category": self.fai.category,
            "aggregation": self.fai.aggregation,
            "higher_is_better": "on",
            "sort_order": 100,
            "aliases": "",
        }
        response = self.client.get(self.change_url())
        for formset, rows in zip(response.context["inline_admin_formsets"], (targets, actuals)):
            prefix = formset.formset.prefix
            existing = formset.formset.initial_form_count()
            for i, form in enumerate(formset.formset.initial_forms):
                data[f"{prefix}-{i}-id"] = form.instance.pk
                data[f"{prefix}-{i}-indicator"] = self.fai.pk
                for name in (
                    "park",
                    "zone",
                    "year",
                    "month",
                    "version",
                    "entered_value",
                    "entered_unit",
                    "yoy_pct",
                    "note",
                ):
                    value = form.initial.get(name)
                    data[f"{prefix}-{i}-{name}"] = "" if value is None else value
            for i, row in enumerate(rows, existing):
                data[f"{prefix}-{i}-indicator"] = self.fai.pk
                data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
            data[f"{prefix}-TOTAL_FORMS"] = existing + len(rows)
            data[f"{prefix}-INITIAL_FORMS"] = existing
            data[f"{prefix}-MIN_NUM_FORMS"] = 0
            data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        return data

    def row(self, **kwargs):
        return {
            "park": self.park.pk,
            "zone": "",
            "year": 2024,
            "month": 12,
            "version": "final",
            "entered_value": "",
            "entered_unit": "",
            "yoy_pct": "",
            "note": "",
            **kwargs,
        }

    def test_the_change_page_shows_targets_and_actuals_inline(self):
        target = make_figure(self.fai, self.park, kind="target", month=12, value=Decimal("25"))
        actual = make_figure(self.fai, self.park, value=Decimal("20.75"))
        response = self.client.get(self.change_url())
        formsets = {fs.opts.kind: fs.formset for fs in response.context["inline_admin_formsets"]}
        self.assertEqual([form.instance for form in formsets["target"].initial_forms], [target])
        self.assertEqual([form.instance for form in formsets["actual"].initial_forms], [actual])
        self.assertContains(response, "Annual targets (latest two years)")

    def test_a_target_added_inline_is_a_target_in_the_canonical_unit(self):
        data = self.inline_data(targets=[self.row(entered_value="120000", entered_unit="万元")])
        response = self.client.post(self.change_url(), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        target = Figure.objects.get()
        self.assertEqual((target.kind, target.value), ("target", Decimal("12")))

    def test_an_actual_added_inline_is_an_actual(self):
        data = self.inline_data(actuals=[self.row(year=2023, month=10, entered_value="20.75")])
        self.client.post(self.change_url(), data)
        self.assertEqual(Figure.objects.get().kind, "actual")

    def test_a_duplicate_target_added_inline_is_a_form_error(self):
        make_figure(self.fai, self.park, kind="target", year=2024, month=12, value=Decimal("12"))
        data = self.inline_data(targets=[self.row(entered_value="13")])
        response = self.client.post(self.change_url(), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("There is already a figure", str(response.context["errors"]))
        self.assertEqual(Figure.objects.get().value, Decimal("12"))

    def test_a_new_indicator_is_added_with_its_first_target_in_any_compatible_unit(self):
        data = self.inline_data(targets=[self.row(entered_value="7600", entered_unit="万元")])
        data.update({"code": "government_investment", "name": "政府性投入", "name_en": "Government investment"})
        for key in [key for key in data if key.endswith("-indicator")]:
            data[key] = ""
        response = self.client.post(reverse("admin:indicators_indicator_add"), data)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        target = Figure.objects.get(indicator__code="government_investment")
        self.assertEqual((target.kind, target.value), ("target", Decimal("0.76")))

    def test_an_inline_row_without_value_or_growth_is_a_form_error(self):
        data = self.inline_data(actuals=[self.row(year=2023, month=10)])
        response = self.client.post(self.change_url(), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Give a value, a year-on-year growth, or both.", str(response.context["errors"]))
        self.assertFalse(Figure.objects.exists())

    def test_an_implausible_actual_added_inline_is_saved_with_its_warning_said_and_left_open(self):
        make_figure(self.fai, self.park, year=2023, month=5, value=Decimal("18.5"))
        data = self.inline_data(actuals=[self.row(year=2023, month=6, entered_value="3214")])
        response = self.client.post(self.change_url(), data, follow=True)
        self.assertEqual(response.status_code, 200)
        june = Figure.objects.get(month=6)
        said = [str(message) for message in response.context["messages"]]
        self.assertTrue(any("173.7 times" in text and "data-quality page" in text for text in said), said)
        self.assertEqual([figure for figure, _warnings in quality.open_warnings(self.park, 2023)], [june])

    def test_a_plausible_actual_added_inline_says_no_warning(self):
        make_figure(self.fai, self.park, year=2023, month=5, value=Decimal("18.5"))
        data = self.inline_data(actuals=[self.row(year=2023, month=6, entered_value="20.75")])
        response = self.client.post(self.change_url(), data, follow=True)
        self.assertFalse([m for m in response.context["messages"] if "data-quality" in str(m)])
        self.assertEqual(quality.open_warnings(self.park, 2023), [])


class FigureExportTests(ExportChecks, FigureAdminTestCase):
    model = Figure
    export_texts = ("固定资产投资", "东部XX县区", "万元")
    export_cells = {"indicator": "固定资产投资", "park": "东部产业集聚区"}

    def make_exported(self):
        make_figure(
            self.fai,
            self.park,
            zone=self.zone,
            entered_value=Decimal("3214"),
            entered_unit="万元",
            value=Decimal("0.3214"),
        )

    def test_a_figure_stored_without_an_entered_value_exports_its_value_and_unit(self):
        # Figures written by code (seed, work-summary intake) may hold only the canonical value.
        make_figure(self.fai, self.park, value=Decimal("20.75"))
        rows = list(csv.DictReader(io.StringIO(export(self.client, Figure).content.decode("utf-8-sig"))))
        self.assertEqual((Decimal(rows[0]["value"]), rows[0]["unit"]), (Decimal("20.75"), "亿元"))

"""Amounts are bounded to what SQLite and PostgreSQL both store exactly, on every path in; a value stored out of range
before the bound existed (or by a path that skips validation) breaks no page.

SQLite keeps a DecimalField as REAL, a double: 15 significant digits come back exactly. With 4 decimals, an amount
must stay below 10^11. 9999999999999999 (16 digits) came back as 1E+16 and Django's converter raised on every page
that read the row: the project table, the admin list and change page, the XLSX export (500) and the CSV export
(cut off after the rows before it, with status 200); in a review candidate, the summary's review and delete pages.
"""

import csv
import io
from decimal import Decimal
from unittest import skipUnless

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from parkdash.core.numbers import format_number
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake import services
from parkdash.intake.models import Candidate
from parkdash.projects.models import Project
from tests.support import XLSX_FORMAT, EnglishTestCase, World, admin_form_data, export, import_errors, preview_import

SIXTEEN_DIGITS = "9999999999999999"
BOUND = "The value must be below 100,000,000,000 (10^11)"
# (model, builder key in the world, field, unit named in the message)
AMOUNTS = [
    (Project, "project", "total_investment", " 万元"),
    (Project, "project", "ytd_investment", " 万元"),
    (Enterprise, "enterprise", "land_area_mu", " 亩"),
    (Enterprise, "enterprise", "planned_investment", " 万元"),
    (InfrastructureWork, "work", "planned_quantity", ""),
    (InfrastructureWork, "work", "completed_quantity", ""),
    (Figure, "figure", "entered_value", ""),
]


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def store_bypassing_validation(obj, **values):
    """Write ``values`` with raw SQL, as a row stored before the bound existed (or by a bulk path) would be."""
    table = obj._meta.db_table
    assignments = ", ".join(f"{obj._meta.get_field(name).column} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*map(str, values.values()), obj.pk])


class AmountsRefusedOnEveryPathInTests(World, EnglishTestCase):
    def setUp(self):
        self.client.force_login(self.administrator)

    def test_a_sixteen_digit_amount_is_refused_by_every_admin_form_with_the_bound_in_words(self):
        for model, key, field, unit in AMOUNTS:
            with self.subTest(model=model.__name__, field=field):
                obj = self.a[key]
                before = model.objects.filter(pk=obj.pk).values_list(field, flat=True).get()
                response = self.client.get(change_url(obj))
                response = self.client.post(change_url(obj), admin_form_data(response, **{field: SIXTEEN_DIGITS}))
                self.assertEqual(response.status_code, 200)
                self.assertIn(f"{BOUND}{unit}.", response.context["adminform"].form.errors[field])
                self.assertEqual(model.objects.filter(pk=obj.pk).values_list(field, flat=True).get(), before)

    def test_the_largest_amount_accepted_is_stored_and_read_back_exactly(self):
        project = self.a["project"]
        project.total_investment = Decimal("99999999999.9999")
        project.ytd_investment = Decimal("12345678901.2345")
        project.full_clean()
        project.save()
        project.refresh_from_db()
        self.assertEqual(project.total_investment, Decimal("99999999999.9999"))
        self.assertEqual(project.ytd_investment, Decimal("12345678901.2345"))

    def test_full_clean_refuses_an_amount_of_ten_to_the_eleven(self):
        project = self.a["project"]
        project.total_investment = Decimal("100000000000")
        with self.assertRaises(ValidationError) as raised:
            project.full_clean()
        self.assertEqual(raised.exception.message_dict["total_investment"], [f"{BOUND} 万元."])

    def test_a_negative_growth_rate_beyond_the_bound_is_refused_as_too_far_below_zero(self):
        figure = self.a["figure"]
        figure.yoy_pct = Decimal("-10000000")
        with self.assertRaises(ValidationError) as raised:
            figure.full_clean()
        self.assertEqual(raised.exception.message_dict["yoy_pct"], ["The value must be above -10,000,000 (-10^7) %."])

    def test_a_figure_whose_converted_value_is_beyond_the_bound_is_refused_in_the_indicators_unit(self):
        # 10^10 平方公里 is within the bound as typed, but 1.5 × 10^13 亩 in the indicator's unit.
        figure = self.a["figures"][2]
        response = self.client.get(change_url(figure))
        response = self.client.post(
            change_url(figure), admin_form_data(response, entered_value="10000000000", entered_unit="平方公里")
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["entered_value"],
            [
                "In 亩, the unit of 供地, this is 15,000,000,000,000 亩; "
                "a figure must be below 100,000,000,000 (10^11) 亩."
            ],
        )
        figure.refresh_from_db()
        self.assertEqual(figure.value, Decimal("150"))

    def test_an_import_row_with_a_sixteen_digit_amount_is_a_row_error_with_the_bound(self):
        rows = {
            Project: f"park,name,total_investment\npark-a,甲新项目,{SIXTEEN_DIGITS}\n",
            Enterprise: f"park,name,land_area_mu\npark-a,甲新企业,{SIXTEEN_DIGITS}\n",
            InfrastructureWork: f"park,year,name,unit,planned_quantity\npark-a,2023,甲新路,公里,{SIXTEEN_DIGITS}\n",
            Figure: "indicator,park,zone,year,month,kind,version,value,unit\n"
            f"固定资产投资,park-a,,2022,6,actual,final,{SIXTEEN_DIGITS},\n",
        }
        for model, text in rows.items():
            with self.subTest(model=model.__name__):
                count = model.objects.count()
                upload = SimpleUploadedFile("rows.csv", text.encode("utf-8"), content_type="text/csv")
                errors = import_errors(preview_import(self.client, model, upload))
                self.assertEqual(list(errors), [2])
                self.assertTrue(any(message.startswith(BOUND) for message in errors[2]), errors)
                self.assertEqual(model.objects.count(), count)

    def test_a_summary_number_too_large_to_store_is_proposed_empty_flagged_and_unchecked(self):
        text = "1-6月,园区完成固定资产投资99999999999999999999亿元,同比增长8.5%。\n"
        summary = services.create_summary(park=self.park_a, year=2023, month=6, text=text)
        candidate = summary.candidates.get()
        self.assertIsNone(candidate.value)
        self.assertIn("out_of_range", candidate.flags)
        self.assertFalse(candidate.selected)
        self.assertEqual(candidate.yoy_pct, Decimal("8.5"))
        response = self.client.get(reverse("admin:intake_worksummary_review", args=[summary.pk]))
        self.assertContains(response, "number too large to store exactly")

    def test_the_review_form_refuses_a_candidate_value_too_large_to_store(self):
        summary = self.a["summary"]
        url = reverse("admin:intake_worksummary_review", args=[summary.pk])
        formset = self.client.get(url).context["formset"]
        data = {}
        for form in [formset.management_form, *formset.forms]:
            for name in form.fields:
                value = form[name].value()
                if value not in (None, False):
                    data[form.add_prefix(name)] = "on" if value is True else str(value)
        data["c-0-value"] = SIXTEEN_DIGITS
        before = list(summary.candidates.values_list("value", flat=True))
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["formset"].forms[0].errors["value"], [f"{BOUND}."])
        self.assertEqual(list(summary.candidates.values_list("value", flat=True)), before)


@pytest.mark.slow
class AmountsStoredOutOfRangeBreakNoPageTests(World, EnglishTestCase):
    """Rows written before the bound existed: on SQLite, 9999999999999999 is read back as 1E+16."""

    def setUp(self):
        self.client.force_login(self.administrator)

    def store(self, amount):
        store_bypassing_validation(self.a["project"], total_investment=amount, ytd_investment=amount)
        store_bypassing_validation(self.a["enterprise"], land_area_mu=amount, planned_investment=amount)
        store_bypassing_validation(self.a["work"], planned_quantity=amount, completed_quantity=amount)
        store_bypassing_validation(self.a["figure"], value=amount, entered_value=amount)
        store_bypassing_validation(self.a["figures"][2], value=amount, entered_value=amount)
        store_bypassing_validation(self.a["summary"].candidates.first(), value=amount)

    def pages(self):
        a = self.a
        yield from (
            "/",
            "/quality/",
            f"/indicators/{self.fai.code}/",
            f"/indicators/{self.land.code}/",
            reverse("projects:project_detail", args=[a["project"].pk]),
            reverse("enterprises:enterprise_detail", args=[a["enterprise"].pk]),
        )
        for table in ("/indicators/", "/projects/", "/enterprises/", "/works/"):
            yield from (table, table + "?_export=xlsx")
        for obj in (a["project"], a["enterprise"], a["work"], a["figure"]):
            yield reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_changelist")
            yield change_url(obj)
            yield reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])
        yield reverse("admin:indicators_indicator_change", args=[self.fai.pk])
        yield reverse("admin:indicators_indicator_change", args=[self.land.pk])
        yield reverse("admin:intake_worksummary_review", args=[a["summary"].pk])
        yield reverse("admin:intake_worksummary_delete", args=[a["summary"].pk])

    def assert_every_page_answers(self):
        for url in self.pages():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
        for model in (Project, Enterprise, InfrastructureWork, Figure):
            with self.subTest(admin_export=model.__name__):
                self.assertEqual(export(self.client, model, XLSX_FORMAT).status_code, 200)

    def assert_every_csv_export_is_whole(self):
        for table, model in (
            ("/indicators/", Figure),
            ("/projects/", Project),
            ("/enterprises/", Enterprise),
            ("/works/", InfrastructureWork),
        ):
            with self.subTest(csv=table):
                response = self.client.get(table + "?_export=csv")
                self.assertEqual(response.status_code, 200)
                rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
                self.assertEqual(len(rows) - 1, model.objects.count())
        for model in (Project, Enterprise, InfrastructureWork, Figure):
            with self.subTest(admin_csv=model.__name__):
                response = export(self.client, model)
                self.assertEqual(response.status_code, 200)
                rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
                self.assertEqual(len(rows) - 1, model.objects.count())

    def test_a_sixteen_digit_amount_stored_before_the_bound_breaks_no_page_and_no_export(self):
        self.store(SIXTEEN_DIGITS)
        self.assert_every_page_answers()
        self.assert_every_csv_export_is_whole()

    @skipUnless(connection.vendor == "sqlite", "PostgreSQL's numeric(20, 4) cannot hold 10^30 at all")
    def test_an_amount_of_ten_to_the_thirty_stored_on_sqlite_breaks_no_page_and_no_export(self):
        self.store("1e30")
        self.assert_every_page_answers()
        self.assert_every_csv_export_is_whole()

    def test_a_record_holding_an_out_of_range_amount_must_be_brought_within_the_bound_to_be_saved(self):
        self.store(SIXTEEN_DIGITS)
        project = self.a["project"]
        response = self.client.get(change_url(project))
        response = self.client.post(change_url(project), admin_form_data(response, name="甲污水处理厂二期"))
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"{BOUND} 万元.", response.context["adminform"].form.errors["total_investment"])
        response = self.client.post(
            change_url(project),
            admin_form_data(response, name="甲污水处理厂二期", total_investment="12000", ytd_investment="3000"),
        )
        self.assertEqual(response.status_code, 302)
        project.refresh_from_db()
        self.assertEqual((project.name, project.total_investment), ("甲污水处理厂二期", Decimal("12000")))


class BoundedFieldTests(EnglishTestCase):
    def test_every_amount_and_percentage_field_is_bounded(self):
        from parkdash.core.models import BoundedDecimalField

        for model in (Figure, Project, Enterprise, InfrastructureWork, Candidate):
            for field in model._meta.get_fields():
                if getattr(field, "get_internal_type", None) and field.get_internal_type() == "DecimalField":
                    if field.name == "progress_pct":
                        continue  # 0 to 100, a database constraint
                    with self.subTest(field=f"{model.__name__}.{field.name}"):
                        self.assertIsInstance(field, BoundedDecimalField)
                        self.assertLessEqual(field.whole_digits + field.decimal_places, 15)

    def test_format_number_shows_any_stored_magnitude(self):
        self.assertEqual(format_number(Decimal("1E+30")), "1,000,000,000,000,000,000,000,000,000,000")
        self.assertEqual(format_number(Decimal("20.7500")), "20.75")


class ApplyBoundsTests(World, EnglishTestCase):
    def test_applying_a_candidate_whose_converted_value_is_beyond_the_bound_skips_it_with_the_reason(self):
        # 99999999999 平方公里 is within the bound as written, but 1.5 × 10^14 亩 in the unit of 供地.
        summary = services.create_summary(
            park=self.park_a, year=2023, month=6, text="1-6月,园区完成供地99999999999平方公里。\n"
        )
        candidate = summary.candidates.get()
        self.assertEqual((candidate.indicator, candidate.value), (self.land, Decimal("99999999999")))
        summary.candidates.update(selected=True)
        figures = Figure.objects.count()

        result = services.apply(summary)

        candidate.refresh_from_db()
        self.assertEqual((result.skipped, candidate.status), (1, "skipped"))
        self.assertIn("a figure must be below 100,000,000,000 (10^11) 亩", candidate.message)
        self.assertEqual(Figure.objects.count(), figures)

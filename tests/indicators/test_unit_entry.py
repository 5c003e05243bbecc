"""The figure form keeps the unit in sight: shown next to the value, chosen from the units that fit, shorthand
accepted, a unit that does not fit refused with the list of those that do, and nothing saved on an error."""

import re
from decimal import Decimal

from django.urls import reverse

from parkdash.indicators.forms import SHOWN_SUFFIX
from parkdash.indicators.models import Figure
from tests.support import EnglishTestCase, make_admin, make_figure, make_indicator, make_park

FIGURE_ADD = reverse("admin:indicators_figure_add")


class UnitEntryTestCase(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = make_admin()
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")  # 亿元
        cls.agreed = make_indicator("agreed_investment", name="协议投资", unit="万元")
        cls.land = make_indicator("land_supplied")  # 亩

    def setUp(self):
        self.client.force_login(self.admin)

    def form_data(self, indicator=None, **kwargs):
        data = {
            "indicator": (indicator or self.fai).pk,
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

    def post(self, **kwargs):
        return self.client.post(FIGURE_ADD, self.form_data(**kwargs))

    def errors(self, response):
        self.assertEqual(response.status_code, 200)
        return response.context["adminform"].form.errors


class ShorthandTests(UnitEntryTestCase):
    def test_wan_typed_for_a_hundred_million_yuan_indicator_means_ten_thousand_yuan(self):
        response = self.post(entered_value="3214", entered_unit="万")
        self.assertEqual(response.status_code, 302)
        figure = Figure.objects.get()
        self.assertEqual((figure.value, figure.entered_unit), (Decimal("0.3214"), "万元"))

    def test_yi_typed_for_a_ten_thousand_yuan_indicator_means_a_hundred_million_yuan(self):
        response = self.post(indicator=self.agreed, entered_value="2.5", entered_unit="亿")
        self.assertEqual(response.status_code, 302)
        figure = Figure.objects.get()
        self.assertEqual((figure.value, figure.entered_unit), (Decimal("25000"), "亿元"))

    def test_wan_typed_for_an_area_in_mu_means_ten_thousand_mu(self):
        self.post(indicator=self.land, entered_value="1.5", entered_unit="万")
        self.assertEqual(Figure.objects.get().value, Decimal("15000"))

    def test_an_alias_such_as_wan_square_metres_is_its_unit(self):
        response = self.post(indicator=self.land, entered_value="3", entered_unit="万㎡")
        self.assertEqual(response.status_code, 302)
        self.assertEqual((Figure.objects.get().value, Figure.objects.get().entered_unit), (Decimal("45"), "万平方米"))


class RefusalTests(UnitEntryTestCase):
    def test_tonnes_for_a_money_indicator_are_refused_with_the_units_that_fit_and_nothing_is_saved(self):
        errors = self.errors(self.post(entered_value="3214", entered_unit="吨"))
        self.assertEqual(
            errors["entered_unit"], ["“吨” does not fit 亿元, the unit of 固定资产投资; use one of 亿元、万元、元."]
        )
        self.assertFalse(Figure.objects.exists())

    def test_an_unknown_unit_is_refused_with_the_units_that_fit(self):
        errors = self.errors(self.post(indicator=self.land, entered_value="5", entered_unit="亩地"))
        self.assertIn("use one of 万亩、平方公里、万平方米、公顷、亩、平方米.", errors["entered_unit"][0])
        self.assertFalse(Figure.objects.exists())

    def test_nan_and_infinity_are_refused_as_not_an_amount_and_nothing_is_saved(self):
        for text in ("NaN", "Infinity", "-inf"):
            errors = self.errors(self.post(entered_value=text))
            self.assertEqual(
                errors["entered_value"],
                [f"“{text}” is not an amount: type the value in figures, such as 3214 or 20.75."],
            )
        self.assertFalse(Figure.objects.exists())

    def test_words_are_refused_as_not_a_number(self):
        errors = self.errors(self.post(entered_value="七"))
        self.assertEqual(
            errors["entered_value"], ["“七” is not a number: type the value in figures, such as 3214 or 20.75."]
        )

    def test_a_change_refused_for_its_unit_leaves_the_figure_as_it_was(self):
        figure = make_figure(self.fai, self.park, entered_value=Decimal("20.75"), value=Decimal("20.75"))
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        response = self.client.post(url, self.form_data(entered_value="3214", entered_unit="吨"))
        self.assertIn("entered_unit", self.errors(response))
        figure.refresh_from_db()
        self.assertEqual(
            (figure.value, figure.entered_value, figure.entered_unit), (Decimal("20.75"), Decimal("20.75"), "")
        )


class BlankUnitTests(UnitEntryTestCase):
    def test_a_blank_unit_is_the_indicators_unit(self):
        response = self.post(entered_value="20.75", **{"entered_unit" + SHOWN_SUFFIX: "亿元"})
        self.assertEqual(response.status_code, 302)
        figure = Figure.objects.get()
        self.assertEqual((figure.value, figure.entered_unit), (Decimal("20.75"), ""))

    def test_a_blank_unit_the_form_did_not_show_is_refused_and_nothing_is_saved(self):
        # The add form rendered before an indicator was chosen, without its script: 3214 meant 万元, not 亿元.
        errors = self.errors(self.post(entered_value="3214", **{"entered_unit" + SHOWN_SUFFIX: ""}))
        self.assertIn("is in 亿元 when no unit is chosen", errors["entered_unit"][0])
        self.assertIn("亿元、万元、元", errors["entered_unit"][0])
        self.assertFalse(Figure.objects.exists())

    def test_the_form_shown_again_names_the_unit_so_the_same_entry_then_saves(self):
        response = self.post(entered_value="3214", **{"entered_unit" + SHOWN_SUFFIX: ""})
        self.assertContains(response, "亿元 (the indicator&#x27;s unit)")
        self.assertContains(response, f'name="entered_unit{SHOWN_SUFFIX}" value="亿元"')
        response = self.post(entered_value="3214", entered_unit="万元", **{"entered_unit" + SHOWN_SUFFIX: "亿元"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get().value, Decimal("0.3214"))


class RenderingTests(UnitEntryTestCase):
    def test_the_change_form_shows_the_unit_next_to_the_value_and_offers_the_units_that_fit(self):
        figure = make_figure(self.fai, self.park, entered_value=Decimal("20.75"), value=Decimal("20.75"))
        response = self.client.get(reverse("admin:indicators_figure_change", args=[figure.pk]))
        self.assertContains(response, '<option value="" selected>亿元 (the indicator&#x27;s unit)</option>')
        self.assertContains(
            response, 'class="unit-suffix" data-unit-suffix-for="id_entered_unit" aria-live="polite">亿元</span>'
        )
        select = response.context["adminform"].form["entered_unit"].as_widget()
        groups = re.findall(r'<optgroup label="[^"]+" data-dimension="([^"]+)">', select)
        self.assertEqual(groups[0], "money")  # first; the script hides the others until another indicator is chosen
        self.assertIn('<option value="万元" data-dimension="money">万元</option>', select)
        self.assertContains(response, "js/unit-entry.js")

    def test_the_add_form_offers_every_unit_grouped_and_the_units_of_every_indicator_for_the_script(self):
        response = self.client.get(FIGURE_ADD)
        select = response.context["adminform"].form["entered_unit"].as_widget()
        self.assertIn("The indicator&#x27;s unit (choose the indicator first)", select)
        self.assertIn('<optgroup label="Money (RMB)" data-dimension="money">', select)
        self.assertIn('<optgroup label="Area" data-dimension="area">', select)
        self.assertIn('data-indicator-field="id_indicator"', select)
        self.assertIn(f"&quot;{self.land.pk}&quot;: &quot;亩&quot;", select)

    def test_an_add_form_for_a_chosen_indicator_names_its_unit(self):
        response = self.client.get(FIGURE_ADD, {"indicator": self.land.pk})
        select = response.context["adminform"].form["entered_unit"].as_widget()
        self.assertIn("亩 (the indicator&#x27;s unit)", select)
        self.assertIn(
            '<optgroup label="Area" data-dimension="area"><option value="万亩"', select.split("</optgroup>")[0]
        )

    def test_an_entered_unit_outside_the_list_is_kept_as_an_option(self):
        figure = make_figure(
            self.fai, self.park, entered_value=Decimal("1"), entered_unit="千万元", value=Decimal("0.1")
        )
        response = self.client.get(reverse("admin:indicators_figure_change", args=[figure.pk]))
        self.assertContains(response, '<option value="千万元" data-dimension="money" selected>千万元</option>')

    def test_the_inlines_of_an_indicator_name_its_unit_and_offer_only_the_units_that_fit(self):
        response = self.client.get(reverse("admin:indicators_indicator_change", args=[self.land.pk]))
        self.assertContains(response, "亩 (the indicator&#x27;s unit)")
        select = response.context["inline_admin_formsets"][0].formset.empty_form["entered_unit"].as_widget()
        self.assertEqual(set(re.findall(r'data-dimension="([^"]+)"', select)), {"area"})

"""What the figure admin's add and change forms cost (issue 17, point 4): their queries pinned, and the constraint
check that was most of a POST's time read in memory, with Django's own messages."""

import json
import re
from decimal import Decimal
from functools import partial
from html import unescape
from unittest import mock

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation

from parkdash.core.roles import EDITOR
from parkdash.indicators import cache
from parkdash.indicators.admin import FigureAdmin
from parkdash.indicators.forms import UnitSelect, offered_units
from parkdash.indicators.models import Figure, Indicator
from tests.support import admin_form_data, make_figure, make_indicator, make_park, make_zone, persona
from tests.support.cases import EnglishTestCase

FIGURE_ADD = reverse("admin:indicators_figure_add")


def errors_of(check):
    """The message dict a validation raises ({} when it passes)."""
    try:
        check()
    except ValidationError as error:
        return {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
    return {}


class FigureConstraintCheckTests(EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.fai = make_indicator("fixed_asset_investment")
        cls.stored = make_figure(cls.fai, cls.park, month=5, value=Decimal("18.5"))
        cls.stored_in_zone = make_figure(cls.fai, cls.park, zone=cls.zone, month=5, value=Decimal("3"))

    def figure(self, **changes):
        fields = {"indicator": self.fai, "park": self.park, "year": 2023, "month": 6, "value": Decimal("19")}
        return Figure(**{**fields, **changes})

    def cases(self):
        return {
            "a new figure": self.figure(),
            "a second whole-park figure of a period": self.figure(month=5),
            "a second zone figure of a period": self.figure(month=5, zone=self.zone),
            "a zone figure beside the whole park's": self.figure(month=6, zone=self.zone),
            "month 13": self.figure(month=13),
            "year 1800": self.figure(year=1800),
            "a negative value": self.figure(value=Decimal("-1")),
            "neither value nor growth": self.figure(value=None),
            "a stored figure unchanged": Figure.objects.get(pk=self.stored.pk),
            "many faults at once": self.figure(month=5, value=None, year=1800),
        }

    def test_the_figure_s_constraints_say_what_django_s_own_check_says(self):
        for name, figure in self.cases().items():
            for exclude in (None, {"value"}, {"indicator"}, {"month"}):
                with self.subTest(name, exclude=exclude):
                    expected = errors_of(partial(models.Model.validate_constraints, figure, exclude=exclude))
                    self.assertEqual(errors_of(partial(figure.validate_constraints, exclude=exclude)), expected)

    def test_a_duplicate_figure_is_refused_in_words(self):
        self.assertEqual(
            errors_of(self.figure(month=5).validate_constraints),
            {"__all__": ["There is already a figure for this indicator, park, year, month, kind and version."]},
        )
        self.assertEqual(
            errors_of(self.figure(month=5, zone=self.zone).validate_constraints),
            {"__all__": ["There is already a figure for this indicator, zone, year, month, kind and version."]},
        )

    def test_checking_a_figure_s_constraints_costs_one_query(self):
        figure = self.figure(month=13, value=None)
        with self.assertNumQueries(1):
            messages = errors_of(figure.validate_constraints)["__all__"]
        self.assertEqual(
            messages, ["The month must be between 1 and 12.", "Give a value, a year-on-year growth, or both."]
        )


class FigureFormCostTests(EnglishTestCase):
    """The queries of the figure admin's forms for an editor of one park (the load test's persona). SQLite's
    savepoints count: the POSTs run in a transaction."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.zone = make_zone(cls.park)
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")
        cls.editor = persona("editor", EDITOR, [cls.park], staff=True)
        cls.figure = make_figure(cls.fai, cls.park, month=5, value=Decimal("18.5"))

    def setUp(self):
        ContentType.objects.clear_cache()  # counted every time, whichever test ran first
        self.client.force_login(self.editor)
        self.change_url = reverse("admin:indicators_figure_change", args=[self.figure.pk])

    def warm(self, url):
        """A first request: the user's permissions and parks in the cache (parkdash.parks.auth), as they are for
        every request but the first after a change; the content types counted again."""
        self.client.get(url)
        ContentType.objects.clear_cache()

    def new_figure(self, **changes):
        data = {
            "indicator": self.fai.pk,
            "park": self.park.pk,
            "zone": "",
            "year": 2023,
            "month": 6,
            "kind": "actual",
            "version": "final",
            "entered_value": "19.25",
            "entered_unit": "",
            "yoy_pct": "",
            "note": "",
        }
        return {**data, **changes}

    def test_the_add_form_reads_the_session_the_versions_and_the_content_type(self):
        self.warm(FIGURE_ADD)
        # the session and the data versions (the keys of the user's row, permissions and parks: no query for them);
        # the indicators' units come from the cached catalogue (parkdash.indicators.cache)
        with self.assertNumQueries(3):
            response = self.client.get(FIGURE_ADD)
        self.assertContains(response, "data-unit-select")

    def test_adding_a_figure_checks_its_constraints_once(self):
        self.warm(FIGURE_ADD)  # the form, as a user sees it before they post it
        with self.assertNumQueries(12):
            response = self.client.post(FIGURE_ADD, self.new_figure())
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Figure.objects.filter(month=6, value=Decimal("19.25")).exists())

    def test_a_duplicate_added_is_refused_as_before(self):
        response = self.client.post(FIGURE_ADD, self.new_figure(month=5))
        self.assertContains(
            response, "There is already a figure for this indicator, park, year, month, kind and version."
        )
        self.assertEqual(Figure.objects.count(), 1)

    def test_the_change_form_reads_the_figure_once(self):
        self.warm(self.change_url)
        # The indicator and park chosen come with the figure (FigureAdmin.get_object), not from a query each of their
        # autocomplete selects; so does the work summary it came from; the indicators' units from the cache; and
        # whether it has confirmed warnings (lowered from 5: no query of its warnings when it has none).
        with self.assertNumQueries(4):
            response = self.client.get(self.change_url)
        self.assertContains(response, "18.5")
        self.assertContains(response, '<div class="readonly">none</div>', html=True)

    def test_the_change_form_lists_the_confirmed_warnings_a_figure_has(self):
        from parkdash.indicators.models import FigureWarning

        self.warm(self.change_url)
        FigureWarning.objects.create(figure=self.figure, code="jump", message="A jump <checked>", value="18.5")
        with self.assertNumQueries(5):  # its warnings, with who confirmed them
            response = self.client.get(self.change_url)
        self.assertContains(response, "A jump &lt;checked&gt; — ")
        self.assertNotContains(response, '<div class="readonly">none</div>', html=True)
        FigureWarning.objects.all().delete()
        self.assertContains(self.client.get(self.change_url), '<div class="readonly">none</div>', html=True)

    def test_saving_a_changed_figure_checks_its_constraints_once(self):
        data = admin_form_data(self.client.get(self.change_url), note="checked")
        with self.assertNumQueries(13):
            response = self.client.post(self.change_url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get(pk=self.figure.pk).note, "checked")

    def test_a_save_landing_after_the_change_view_read_the_figure_is_not_overwritten_but_shown(self):
        # The form's check trusts the revision the view has just read; a save after that read fails the write's
        # compare-and-set, and the form comes back with the conflict.
        opened = self.client.get(self.change_url)
        get_object = FigureAdmin.get_object

        def read_then_overtaken(admin, request, object_id, from_field=None):
            obj = get_object(admin, request, object_id, from_field)
            if request.method == "POST" and not getattr(request, "edit_conflicts", None):
                other = Figure.objects.get(pk=obj.pk)
                other.entered_value = Decimal("25")
                other.save()
            return obj

        with mock.patch.object(FigureAdmin, "get_object", read_then_overtaken):
            response = self.client.post(self.change_url, admin_form_data(opened, entered_value="30"))
        self.assertEqual(response.status_code, 200)
        errors = " ".join(response.context["adminform"].form.non_field_errors())
        self.assertIn("value as entered is now 25 (your form: 30)", errors)
        self.assertNotEqual(Figure.objects.get(pk=self.figure.pk).value, Decimal("30"))


class UnitSelectTests(EnglishTestCase):
    """The unit select's groups are built once a process and language: never another language's, never another
    form's choice."""

    def test_each_language_gets_its_own_group_labels(self):
        select = UnitSelect(indicator_units={})
        with translation.override("zh-hans"):
            chinese = select.render("entered_unit", "")
        english = select.render("entered_unit", "")
        self.assertIn('label="金额（人民币）"', chinese)
        self.assertIn('label="Money (RMB)"', english)
        self.assertNotIn("金额（人民币）", english)

    def test_the_unit_chosen_is_selected_and_only_on_its_own_form(self):
        select = UnitSelect(unit="亿元", indicator_units={})
        self.assertNotIn("selected>万元", select.render("entered_unit", ""))
        self.assertIn(
            '<option value="万元" data-dimension="money" selected>万元</option>', select.render("entered_unit", "万元")
        )
        self.assertNotIn("selected>万元", select.render("entered_unit", "亿元"))
        self.assertNotIn(" selected>万元", select.render("entered_unit", ""))


class OfferedUnitsTests(EnglishTestCase):
    """The figure form's indicator → unit list (``data-indicator-units``) from the cached catalogue: the same as the
    query gave, in the same order, and the next form after an indicator changes shows it."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")
        cls.land = make_indicator("land_supplied")
        cls.editor = persona("editor", EDITOR, [cls.park], staff=True)

    def setUp(self):
        self.client.force_login(self.editor)

    def units_shown(self):
        html = self.client.get(FIGURE_ADD).content.decode()
        found = re.search(r'data-indicator-units="([^"]*)"', html)
        return json.loads(unescape(found.group(1)))

    def test_the_cached_units_are_what_the_query_gives_in_its_order(self):
        shown = self.units_shown()
        queried = {str(pk): unit for pk, unit in Indicator.objects.values_list("pk", "unit")}
        self.assertEqual(list(shown.items()), list(queried.items()))
        self.assertEqual(shown[str(self.land.pk)], self.land.unit)

    def test_a_unit_changed_or_an_indicator_added_shows_on_the_next_form(self):
        self.units_shown()  # cached
        Indicator.objects.filter(pk=self.land.pk).update(unit="亩")
        added = make_indicator("industrial_output")
        shown = self.units_shown()
        self.assertEqual(shown[str(self.land.pk)], "亩")
        self.assertEqual(shown[str(added.pk)], added.unit)

    def test_a_queryset_of_some_indicators_or_outside_a_request_asks_the_database(self):
        some = Indicator.objects.filter(pk=self.land.pk)
        self.assertFalse(cache.is_every_indicator(some))
        self.assertFalse(cache.is_every_indicator(Indicator.objects.order_by("-code")))
        self.assertTrue(cache.is_every_indicator(Indicator.objects.all()))
        self.assertEqual(offered_units(some), {str(self.land.pk): self.land.unit})
        with self.assertNumQueries(1):
            self.assertEqual(len(offered_units(Indicator.objects.all())), 2)  # no request: the query

"""What the figure admin's add and change forms cost (issue 17, point 4): their queries pinned, and the constraint
check that was most of a POST's time read in memory, with Django's own messages."""

import json
import re
from decimal import Decimal
from functools import partial
from html import unescape
from unittest import mock

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from parkdash.core.roles import EDITOR
from parkdash.indicators import cache, quality
from parkdash.indicators.admin import FigureAdmin
from parkdash.indicators.forms import NOT_SIMPLE, UnitSelect, offered_units, pk_choices
from parkdash.indicators.models import Figure, Indicator
from parkdash.parks.models import Park
from tests.support import World, admin_form_data, make_figure, make_indicator, make_park, make_zone, persona
from tests.support.cases import EnglishTestCase

FIGURE_ADD = reverse("admin:indicators_figure_add")


def figure_post(indicator, park, /, **changes):
    """The admin figure form's POST data: a whole-park actual, final figure of 2023-06 (``changes`` override)."""
    return {
        "indicator": indicator.pk,
        "park": park.pk,
        "zone": "",
        "year": 2023,
        "month": 6,
        "kind": "actual",
        "version": "final",
        "entered_value": "19.25",
        "entered_unit": "",
        "yoy_pct": "",
        "note": "",
        **changes,
    }


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

    def test_the_unique_check_read_from_the_neighbours_says_what_django_s_own_check_says(self):
        for name, figure in self.cases().items():
            for exclude in (None, {"value"}, {"indicator"}, {"month"}):
                with self.subTest(name, exclude=exclude):
                    expected = errors_of(partial(models.Model.validate_constraints, figure, exclude=exclude))
                    figure.read_around = True
                    try:
                        self.assertEqual(errors_of(partial(figure.validate_constraints, exclude=exclude)), expected)
                    finally:
                        figure.read_around = False

    def test_the_unique_check_and_the_warnings_read_the_neighbours_once(self):
        figure = self.figure(month=7, value=Decimal("190"))
        figure.read_around = True
        with self.assertNumQueries(1):
            figure.validate_constraints()
            warnings = quality.warnings_for(figure)
        self.assertEqual([warning.code for warning in warnings], ["jump"])

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
        self.client.get("/")  # the user's first page: their parks' rows cached too (parks.selection)
        self.client.get(url)
        ContentType.objects.clear_cache()

    def new_figure(self, **changes):
        return figure_post(self.fai, self.park, **changes)

    def test_the_add_form_reads_the_session_the_versions_and_the_content_type(self):
        self.warm(FIGURE_ADD)
        # the session and the data versions (the keys of the user's row, permissions and parks: no query for them);
        # the indicators' units come from the cached catalogue (parkdash.indicators.cache)
        with self.assertNumQueries(3):
            response = self.client.get(FIGURE_ADD)
        self.assertContains(response, "data-unit-select")

    def test_adding_a_figure_checks_its_constraints_once(self):
        self.warm(FIGURE_ADD)  # the form, as a user sees it before they post it
        # Was 12: the indicator now comes from the cached catalogue and the park from the user's cached parks
        # (forms.KnownRecordsMixin), and the unique check reads the figure's neighbours, which the plausibility
        # check reads again (Figure.stored_around): one query for both.
        with self.assertNumQueries(9):
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
        self.client.get("/")  # the user's first page: their parks' rows cached (parks.selection)
        data = admin_form_data(self.client.get(self.change_url), note="checked")
        # Was 13: the indicator from the cached catalogue, the park the figure was read with (forms.KnownRecordsMixin),
        # one query for the unique check and the neighbours (Figure.stored_around), and the confirmed warnings read
        # only when there are warnings (quality.to_confirm_all).
        with self.assertNumQueries(9):
            response = self.client.post(self.change_url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get(pk=self.figure.pk).note, "checked")

    def test_saving_a_changed_figure_reads_it_without_its_indicator_park_and_zone(self):
        # The form gives it those chosen (the cached catalogue and parks); its indicator until then is the catalogue's.
        data = admin_form_data(self.client.get(self.change_url), note="read alone")
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(self.change_url, data)
        self.assertEqual(response.status_code, 302)
        (read,) = [q["sql"] for q in queries.captured_queries if '"indicators_figure"."source_quote"' in q["sql"]]
        read = read.split(" FROM ", 1)[1]
        for table in ("indicators_indicator", "parks_park", "parks_zone"):
            self.assertNotIn(f'JOIN "{table}"', read)
        self.assertEqual(Figure.objects.get(pk=self.figure.pk).note, "read alone")

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


class FigurePostChoicesTests(World, EnglishTestCase):
    """The figure form takes the indicator and park chosen from the cached catalogue and the user's cached parks
    (forms.KnownRecordsMixin) instead of a query each: exactly as strict as the query was, for every persona, and
    never stale after a membership changes."""

    def setUp(self):
        self.client = self.client_class()

    def new_figure(self, park, **changes):
        defaults = {"year": 2030, "month": 3, "entered_value": "7", "note": "posted"}
        return figure_post(self.fai, park, **{**defaults, **changes})

    def add(self, user, park, **changes):
        self.client.force_login(user)
        self.client.get("/")  # the user's parks cached, as for every request but the first
        return self.client.post(FIGURE_ADD, self.new_figure(park, **changes))

    def assertRefusedPark(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.context["adminform"].form.errors["park"],
            ["Select a valid choice. That choice is not one of the available choices."],
        )

    def test_an_editor_of_park_a_cannot_add_a_figure_to_park_b(self):
        self.assertRefusedPark(self.add(self.editor_a, self.park_b))
        self.assertFalse(Figure.objects.filter(note="posted").exists())

    def test_an_editor_of_no_park_cannot_add_a_figure_to_any(self):
        for park in (self.park_a, self.park_b):
            with self.subTest(park=park.code):
                self.assertRefusedPark(self.add(self.editor_none, park))
        self.assertFalse(Figure.objects.filter(note="posted").exists())

    def test_an_editor_adds_to_their_own_park_and_the_administrator_to_any(self):
        for user, park in (
            (self.editor_a, self.park_a),
            (self.editor_b, self.park_b),
            (self.administrator, self.park_b),
        ):
            with self.subTest(user=user.username):
                response = self.add(user, park, note=f"posted by {user.username}", year=2030 + len(user.username))
                self.assertEqual(response.status_code, 302)
                figure = Figure.objects.get(note=f"posted by {user.username}")
                self.assertEqual((figure.park_id, figure.indicator_id), (park.pk, self.fai.pk))

    def test_an_editor_of_park_a_cannot_move_a_figure_to_park_b(self):
        figure = self.a["figures"][1]
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        self.client.force_login(self.editor_a)
        response = self.client.post(url, admin_form_data(self.client.get(url), park=self.park_b.pk))
        self.assertRefusedPark(response)
        self.assertEqual(Figure.objects.get(pk=figure.pk).park_id, self.park_a.pk)

    def test_a_park_left_is_refused_and_a_park_joined_accepted_at_the_next_post(self):
        self.assertEqual(self.add(self.editor_a, self.park_a, note="before").status_code, 302)
        self.park_a.members.remove(self.editor_a)
        self.assertRefusedPark(self.client.post(FIGURE_ADD, self.new_figure(self.park_a, month=4)))
        self.park_b.members.add(self.editor_a)
        self.assertEqual(self.client.post(FIGURE_ADD, self.new_figure(self.park_b, note="joined")).status_code, 302)
        self.assertEqual(Figure.objects.get(note="joined").park_id, self.park_b.pk)

    def test_an_indicator_that_is_gone_is_refused_and_a_new_one_accepted(self):
        self.client.force_login(self.editor_a)
        self.client.get(FIGURE_ADD)  # the catalogue cached
        response = self.client.post(FIGURE_ADD, self.new_figure(self.park_a, indicator=987654))
        self.assertEqual(
            response.context["adminform"].form.errors["indicator"],
            ["Select a valid choice. That choice is not one of the available choices."],
        )
        added = make_indicator("industrial_output")
        response = self.client.post(FIGURE_ADD, self.new_figure(self.park_a, indicator=added.pk, note="new one"))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Figure.objects.get(note="new one").indicator_id, added.pk)

    def test_the_indicator_and_park_chosen_cost_no_query(self):
        self.client.force_login(self.editor_a)
        self.client.get("/")  # the user's parks and the catalogue cached, as a user's first page does
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(FIGURE_ADD, self.new_figure(self.park_a))
        self.assertEqual(response.status_code, 302)
        read = " ".join(query["sql"] for query in queries.captured_queries if query["sql"].startswith("SELECT"))
        self.assertNotIn('FROM "indicators_indicator"', read)
        self.assertNotIn('FROM "parks_park"', read)


class FigurePostWarningsCostTests(EnglishTestCase):
    """The POSTs of the plausibility round trip (40 % of the load's: a figure with warnings shown, then confirmed):
    the unique check and the warnings read the neighbours once, the confirmations are read only when needed."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")
        cls.editor = persona("editor", EDITOR, [cls.park], staff=True)
        cls.june = make_figure(cls.fai, cls.park, month=6, value=Decimal("19.25"))

    def setUp(self):
        self.client.force_login(self.editor)
        self.client.get("/")  # permissions, parks and catalogue cached, as a user's first page does
        self.client.get(FIGURE_ADD)  # and the content types

    def slip(self, **changes):
        return figure_post(self.fai, self.park, **{"month": 7, "entered_value": "1925", **changes})

    def test_a_figure_with_warnings_comes_back_then_is_saved_confirmed(self):
        # the session, the versions, the savepoint and its release, the neighbours (once, for the unique check and
        # the warnings)
        with self.assertNumQueries(5):
            response = self.client.post(FIGURE_ADD, self.slip())
        self.assertContains(response, "100 times the figure of 2023, Months 1–6")
        shown = response.context["adminform"].form["warnings_shown"].value()
        # and the insert, its history row, the confirmation kept and the admin log (a new figure has no
        # confirmations to read)
        with self.assertNumQueries(9):
            response = self.client.post(FIGURE_ADD, self.slip(confirm_warnings="on", warnings_shown=shown))
        self.assertEqual(response.status_code, 302)
        july = Figure.objects.get(month=7)
        self.assertEqual(list(july.warnings.values_list("code", "value")), [("jump", Decimal("1925"))])

    def test_a_changed_figure_with_warnings_reads_its_confirmations_once(self):
        july = make_figure(self.fai, self.park, month=7, value=Decimal("20"))
        url = reverse("admin:indicators_figure_change", args=[july.pk])
        data = admin_form_data(self.client.get(url), entered_value="1925")
        # the session, the versions, the savepoint and its release, the figure, the neighbours, its confirmations
        # (and the confirmations the page lists, rendering the form again)
        with self.assertNumQueries(8):
            response = self.client.post(url, data)
        shown = response.context["adminform"].form["warnings_shown"].value()
        # and the update, its history row, the confirmation kept and the admin log
        with self.assertNumQueries(11):
            response = self.client.post(url, {**data, "confirm_warnings": "on", "warnings_shown": shown})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(list(july.warnings.values_list("code", "value")), [("jump", Decimal("1925"))])
        # Saved again unchanged: confirmed already, nothing asked, nothing kept twice.
        response = self.client.post(url, admin_form_data(self.client.get(url)))
        self.assertEqual(response.status_code, 302)
        self.assertEqual(july.warnings.count(), 1)


class FigureAdminLogTests(EnglishTestCase):
    """The admin log of a figure added (written without working out the changed fields' labels, which an addition's
    entry does not name) and of a figure changed, as Django writes them."""

    @classmethod
    def setUpTestData(cls):
        cls.park = make_park()
        cls.fai = make_indicator("fixed_asset_investment")
        cls.editor = persona("editor", EDITOR, [cls.park], staff=True)

    def test_an_addition_is_logged_as_added_and_a_change_with_the_fields_changed(self):
        self.client.force_login(self.editor)
        data = figure_post(self.fai, self.park)
        self.assertEqual(self.client.post(FIGURE_ADD, data).status_code, 302)
        figure = Figure.objects.get()
        added = LogEntry.objects.get(object_id=str(figure.pk))
        self.assertEqual((added.action_flag, added.change_message), (1, '[{"added": {}}]'))
        self.assertEqual(added.get_change_message(), "Added.")
        url = reverse("admin:indicators_figure_change", args=[figure.pk])
        response = self.client.post(url, admin_form_data(self.client.get(url), note="checked", entered_value="20"))
        self.assertEqual(response.status_code, 302)
        changed = LogEntry.objects.filter(object_id=str(figure.pk)).order_by("-pk").first()
        self.assertEqual(changed.get_change_message(), "Changed Value as entered and Note.")


class PkChoicesTests(EnglishTestCase):
    """What forms.pk_choices reads of a queryset: only every record, or a plain list of ids; anything else is left
    to the database."""

    def test_every_park_a_list_of_ids_or_nothing_simple(self):
        park = make_park()
        self.assertIsNone(pk_choices(Park.objects.all()))
        self.assertEqual(pk_choices(Park.objects.filter(pk__in=[park.pk, 7])), {park.pk, 7})
        for queryset in (
            Park.objects.filter(members=1),
            Park.objects.filter(pk__in=[park.pk], is_demo=True),
            Park.objects.filter(name__in=["甲园区"]),
            Park.objects.exclude(pk__in=[park.pk]),
            Park.objects.filter(pk__in=Park.objects.filter(is_demo=True)),
            Park.objects.filter(pk__in=[park.pk])[:1],
            Park.objects.filter(pk__in=[park.pk]).distinct(),
        ):
            with self.subTest(str(queryset.query)):
                self.assertIs(pk_choices(queryset), NOT_SIMPLE)

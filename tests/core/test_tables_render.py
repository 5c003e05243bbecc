"""Table cells written in Python (core.tables): the same HTML as the template loop wrote, at a cost per table rather
than per cell."""

import datetime
import inspect
import weakref
from functools import partial
from pathlib import Path
from unittest import mock

import django_tables2 as tables
from django.conf import settings
from django.db.models import base as model_base
from django.template import Context, engines
from django.template.defaultfilters import date as date_filter
from django.test import RequestFactory, SimpleTestCase, TestCase, override_settings
from django.urls import include, path, re_path, reverse, set_script_prefix
from django.urls.resolvers import URLResolver
from django.utils import dateformat, timezone, translation
from django_tables2.columns import templatecolumn
from django_tables2.rows import BoundRow

from parkdash.core import tables as core_tables
from parkdash.core.tables import BaseTable, DateColumn, NumberColumn, cached_signature, route_filler
from parkdash.projects.models import Project
from tests.support import make_admin, make_project, park_with_data

TABLES = ["/indicators/", "/projects/", "/enterprises/", "/works/"]

TEMPLATE = Path(settings.BASE_DIR) / "templates" / "generic" / "table.html"

# templates/generic/table.html as it was before {% table_cells %} and {% table_body %}: django-tables2's loop over
# table.paginated_rows, with a template loop over row.items for a row's cells.
REFERENCE = """{% extends "django_tables2/table.html" %}
{% load django_tables2 i18n l10n %}
{% block table.thead %}
{% if table.show_header %}
<thead {{ table.attrs.thead.as_html }}>
  <tr>
  {% for column in table.columns %}
    <th scope="col" {{ column.attrs.th.as_html }}>{% if column.orderable %}<a href="{% querystring_replace \
table.prefixed_order_by_field=column.order_by_alias.next %}">{{ column.header }}</a>{% else %}{{ column.header }}\
{% endif %}</th>
  {% endfor %}
  </tr>
</thead>
{% endif %}
{% endblock table.thead %}
{% block table.tbody.row %}
<tr {{ row.attrs.as_html }}>
  {% for column, cell in row.items %}
    <td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">{% if column.localize == None %}{{ cell }}\
{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>
  {% endfor %}
</tr>
{% endblock table.tbody.row %}
{% block table.tbody.empty_text %}
<tr><td colspan="{{ table.columns|length }}" class="empty">{{ table.empty_text }}</td></tr>
{% endblock table.tbody.empty_text %}
"""


def render(template_text, table, request):
    return engines["django"].from_string(template_text).render({"table": table, "request": request}, request)


def reference_template():
    return REFERENCE


def assert_same_as_the_loop(case, table, request):
    current = render(TEMPLATE.read_text(encoding="utf-8"), table, request)
    case.assertIn("<td", current)
    case.assertEqual(current, render(reference_template(), table, request))


class EdgeTable(BaseTable):
    """Columns of every kind the cell writer handles: a per-record td attribute, localize on and off, a choice
    field, a date, a link and an escaped name."""

    name = tables.Column(linkify=True)
    phase = tables.Column()
    planned_start = DateColumn()
    stock_start = tables.DateColumn(accessor="planned_start")
    progress_pct = NumberColumn(attrs={"td": {"data-pk": lambda record: record.pk, "class": "num"}})
    total_investment = tables.Column(localize=True)
    ytd_investment = tables.Column(localize=False)
    zone = tables.Column(default="—")
    zone_name = tables.Column(accessor="zone__name")  # a path through a relation that may be empty
    park = tables.Column()
    label = tables.Column(accessor="name", verbose_name="Label")  # render_label(value, record)
    number = tables.Column(accessor="pk", verbose_name="Number")  # render_number(record)
    phase_text = tables.Column(accessor="phase", verbose_name="Phase text")  # render_phase_text(value, **kwargs)
    # A link to a route, made without reverse() per row, with attributes around its href.
    page = tables.Column(
        accessor="name",
        verbose_name="Page",
        linkify=("projects:project_detail", [tables.A("pk")]),
        attrs={"a": {"class": "go", "href": "#", "title": 'a "b" <c>', "data-none": None}},
    )
    # The same route with the label from render_page_label(value, record), escaped.
    page_label = tables.Column(accessor="pk", verbose_name="Page label", linkify=("projects:project_detail", [3]))

    class Meta(BaseTable.Meta):
        model = Project
        fields = ()

    def render_label(self, value, record):
        return f"{value} <{record.pk}>"

    def render_number(self, record):
        return record.pk * 2

    def render_phase_text(self, value, **kwargs):
        return f"{value}/{kwargs['bound_column'].name}"

    def render_page_label(self, value, record):
        return f"<{record.name}>"


class SameHtmlTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(n_projects=12, n_enterprises=6, n_works=6)
        make_project(cls.park, name="<b>Bold & co</b>", total_investment=1234567, ytd_investment=7654321)
        make_project(cls.park, name="No date", planned_start=None, phase="continuing")
        Project.objects.filter(name="No date").update(phase="not-a-phase")  # a value outside the choices

    def setUp(self):
        self.client.force_login(self.user)

    def test_every_table_page_writes_its_rows_byte_for_byte_as_the_template_loop_did(self):
        for language in ("en", "zh-hans"):
            self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for url in TABLES:
                for query in ("", "?sort=-name", f"?park={self.park.pk}&per_page=10&page=2"):
                    with self.subTest(language=language, url=url + query):
                        response = self.client.get(url + query)
                        with translation.override(language):
                            assert_same_as_the_loop(self, response.context["table"], response.wsgi_request)

    def test_a_table_with_record_attrs_localize_choices_and_dates_writes_what_the_loop_wrote(self):
        request = RequestFactory().get("/projects/")
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                table = EdgeTable(Project.objects.order_by("pk"))
                html = render(TEMPLATE.read_text(encoding="utf-8"), table, request)
                self.assertIn("&lt;b&gt;Bold &amp; co&lt;/b&gt;", html)
                self.assertIn(f'data-pk="{Project.objects.get(name="No date").pk}"', html)
                self.assertIn(">not-a-phase</td>", html)
                assert_same_as_the_loop(self, table, request)

    def test_a_date_column_writes_what_django_tables2s_wrote_with_its_template(self):
        project = Project.objects.get(name="<b>Bold & co</b>")
        values = [datetime.date(2024, 3, 9), timezone.make_aware(datetime.datetime(2024, 12, 31, 23, 30)), None]
        for language in ("en", "zh-hans"):
            for value in values:
                for short in (True, False):
                    with self.subTest(language=language, value=value, short=short), translation.override(language):
                        ours, stock = DateColumn(short=short), tables.DateColumn(short=short)
                        table = EdgeTable([])
                        table.context = Context({}, use_tz=True)
                        bound = table.columns["planned_start"]
                        mine = ours.render(value=value, table=table, bound_column=bound)
                        theirs = stock.render(
                            record=project, table=table, value=value, bound_column=bound, bound_row=mock.Mock()
                        )
                        self.assertEqual(mine, theirs)

    def test_a_date_in_a_format_of_its_own_is_written_as_the_date_filter_writes_it(self):
        value = datetime.date(2024, 3, 9)
        for language in ("en", "zh-hans"):
            for fmt in ("Y/m/d", "D, j F Y", "N j"):
                with self.subTest(language=language, fmt=fmt), translation.override(language):
                    table = EdgeTable([])
                    table.context = Context({}, use_tz=True)
                    bound = table.columns["planned_start"]
                    mine = DateColumn(format=fmt).render(value=value, table=table, bound_column=bound)
                    self.assertEqual(mine, date_filter(value, fmt))

    def test_a_date_is_formatted_once_however_many_cells_show_it(self):
        value = datetime.date(1987, 6, 5)  # a date no other test shows
        table = EdgeTable([])
        table.context = Context({}, use_tz=True)
        bound = table.columns["planned_start"]
        with mock.patch.object(dateformat, "format", side_effect=dateformat.format) as counter:
            for _ in range(3):
                for language in ("en", "zh-hans"):
                    with translation.override(language):
                        DateColumn().render(value=value, table=table, bound_column=bound)
        self.assertEqual(counter.call_count, 2)  # once in each language


class CostTests(TestCase):
    """What a page costs grows with its cells only where the cell itself needs it."""

    @classmethod
    def setUpTestData(cls):
        cls.user = make_admin()
        cls.park = park_with_data(n_projects=60, n_enterprises=60, n_works=60)

    def setUp(self):
        self.client.force_login(self.user)

    def count_calls(self, target, attribute, url):
        # Warmed first: what the data-version caches keep (the park list, the catalogue) is read once, not per page.
        self.assertEqual(self.client.get(url).status_code, 200)
        original = getattr(target, attribute)
        with mock.patch.object(target, attribute, side_effect=original) as counter:
            self.assertEqual(self.client.get(url).status_code, 200)
        return counter.call_count

    def test_a_table_page_inspects_its_render_functions_a_fixed_number_of_times_however_many_rows(self):
        for url in TABLES:
            with self.subTest(url=url):
                small = self.count_calls(inspect, "signature", url + "?per_page=10")
                large = self.count_calls(inspect, "signature", url + "?per_page=50")
                self.assertEqual(small, large)

    def test_no_cell_goes_through_django_tables2s_argument_matching(self):
        # BoundRow._call_render builds six arguments and filters them by the render method's signature, per cell: a
        # cell whose render method takes its value and/or record is rendered with them directly, links included.
        for url in TABLES:
            with self.subTest(url=url):
                self.client.get(url + "?per_page=50")
                with mock.patch.object(
                    BoundRow, "_call_render", autospec=True, side_effect=BoundRow._call_render
                ) as counter:
                    response = self.client.get(url + "?per_page=50")
                self.assertGreater(len(response.context["table"].page.object_list), 10)
                self.assertEqual(counter.call_count, 0)

    def count_reverses(self, url):
        self.assertEqual(self.client.get(url).status_code, 200)
        original = URLResolver._reverse_with_prefix
        with mock.patch.object(URLResolver, "_reverse_with_prefix", autospec=True, side_effect=original) as counter:
            self.assertEqual(self.client.get(url).status_code, 200)
        return counter.call_count

    def test_a_table_page_reverses_its_links_a_fixed_number_of_times_however_many_rows(self):
        for url in TABLES:
            with self.subTest(url=url):
                small, large = self.count_reverses(url + "?per_page=10"), self.count_reverses(url + "?per_page=50")
                self.assertEqual(small, large)

    def test_every_link_of_a_table_page_is_its_records_page(self):
        for url in TABLES:
            with self.subTest(url=url):
                response = self.client.get(url + "?per_page=50")
                table = response.context["table"]
                html = response.content.decode()
                for column in table.columns:
                    if not column.link:
                        continue
                    for row in table.page.object_list:
                        target = column.accessor.resolve(row.record)
                        target = target if hasattr(target, "get_absolute_url") else row.record
                        self.assertIn('<a href="{}">'.format(target.get_absolute_url()), html)

    def test_a_year_is_localized_once_per_page_not_once_per_row(self):
        from django.template import base as template_base

        self.client.get("/works/?per_page=50")
        with mock.patch.object(template_base, "localize", side_effect=template_base.localize) as counter:
            response = self.client.get("/works/?per_page=50")
        rows = response.context["table"].page.object_list
        self.assertEqual(len(rows), 50)
        years = {row.record.year for row in rows}
        localized = [call.args[0] for call in counter.call_args_list if type(call.args[0]) is int]
        self.assertEqual(sorted(value for value in localized if value in years), sorted(years))

    def test_a_figures_value_and_unit_are_worked_out_once_per_row(self):
        from parkdash.indicators import tables as figure_tables

        for per_page in (10, 50):
            with self.subTest(per_page=per_page):
                url = f"/indicators/?per_page={per_page}"
                calls = self.count_calls(figure_tables, "quantity_parts", url)
                self.assertEqual(calls, len(self.client.get(url).context["table"].page.object_list))

    def test_choice_labels_are_not_looked_up_through_get_display_per_cell(self):
        # Django's get_FOO_display() builds a dict of the choices, every label translated, at each call.
        for url in TABLES:
            with self.subTest(url=url):
                small = self.count_calls(model_base, "make_hashable", url + "?per_page=10")
                large = self.count_calls(model_base, "make_hashable", url + "?per_page=50")
                self.assertEqual(small, large)

    def test_a_date_cell_compiles_no_template(self):
        for url in ("/projects/", "/enterprises/"):
            with self.subTest(url=url):
                self.assertEqual(self.count_calls(templatecolumn, "Template", url + "?per_page=50"), 0)


class CachedSignatureTests(TestCase):
    def test_the_cached_signature_is_the_librarys_for_functions_methods_and_other_callables(self):
        class Table(tables.Table):
            def render_x(self, value, record):
                return value

        def function(value, *args, table=None, **kwargs):
            return value

        library = core_tables._library_signature
        for fn in (function, Table([]).render_x, Table.render_x, lambda record: record, partial(function, 1), len):
            with self.subTest(fn=fn):
                self.assertEqual(cached_signature(fn), library(fn))
                self.assertEqual(cached_signature(fn), library(fn))  # the second time from the cache

    def test_the_library_calls_the_cached_signature(self):
        from django_tables2 import utils

        self.assertIs(utils.signature, cached_signature)

    def test_a_function_made_for_one_request_leaves_the_cache_with_it(self):
        def make():
            return lambda value: value

        fn = make()
        cached_signature(fn)
        reference = weakref.ref(fn)
        self.assertIn(fn, core_tables._signatures)
        del fn
        self.assertIsNone(reference())


def _view(request, **kwargs):
    raise AssertionError("never called")


_ROUTES = [
    path("<int:pk>/", _view, name="int"),
    path("<slug:code>/", _view, name="slug"),
    path("s/<str:text>/", _view, name="str"),
    path("p/<path:rest>", _view, name="path"),
    path("u/<uuid:id>/", _view, name="uuid"),
    path("two/<int:a>/<int:b>/", _view, name="two"),
    path("twice/<int:pk>/", _view, name="twice"),
    path("twice/<slug:code>/x/", _view, name="twice"),
    re_path(r"^re/(?P<n>[0-9]+)/$", _view, name="re"),
    path("none/", _view, name="none"),
]
# This module is the URLconf of RouteFillerTests.
urlpatterns = [path("t/", include((_ROUTES, "t"), namespace="t")), path("top/<int:pk>/", _view, name="top")]


def reversed_or_error(make, value):
    try:
        return make(value)
    except Exception as error:  # the same kind of error is the point
        return type(error)


@override_settings(ROOT_URLCONF=__name__)
class RouteFillerTests(SimpleTestCase):
    VALUES = [0, 7, 10**15, 7294036158, "7294036158", -1, "abc", "a-b_c", "A.b~c", "a b", "中文", "x/y", "", "%", "a?b"]

    def test_a_route_with_one_argument_gives_what_reverse_gives_for_every_value(self):
        for name in ("t:int", "t:slug", "t:str", "t:path", "top"):
            fill = route_filler(name)
            self.assertIsNotNone(fill, name)
            for value in self.VALUES:
                with self.subTest(name=name, value=value):
                    expected = reversed_or_error(lambda v, name=name: reverse(name, args=[v]), value)
                    self.assertEqual(reversed_or_error(fill, value), expected)

    def test_the_script_prefix_is_the_one_reverse_uses(self):
        try:
            set_script_prefix("/mount/")
            fill = route_filler("t:int")
            self.assertEqual(fill(5), "/mount/t/5/")
            self.assertEqual(fill(5), reverse("t:int", args=[5]))
        finally:
            set_script_prefix("/")

    def test_other_routes_are_reversed_row_by_row(self):
        for name in ("t:uuid", "t:two", "t:twice", "t:re", "t:none", "t:missing", "missing", "nowhere:int"):
            with self.subTest(name=name):
                self.assertIsNone(route_filler(name))


class SameValueCellTests(TestCase):
    """A column whose cell is a function of its value (its render takes the value, and what every row shares) writes
    each value's cell once per rendering; the page stays the loop's, byte for byte."""

    @classmethod
    def setUpTestData(cls):
        cls.park = park_with_data(n_projects=0, n_enterprises=0, n_works=0)
        for i in range(12):
            make_project(cls.park, name=f"项目{i}", phase="continuing", total_investment=1000 + i % 3, progress_pct=50)
        Project.objects.update(responsible_unit="甲单位")
        make_project(cls.park, name="<i>&</i>", responsible_unit="<b>甲</b>", total_investment=1000)
        # 14 rows: a table's rows are "odd" and "even" counting on from its last rendering (an even count starts over)
        make_project(cls.park, name="No date", planned_start=None, responsible_unit="<b>甲</b>", total_investment=1001)

    def test_a_value_shown_on_many_rows_is_rendered_once(self):
        request = RequestFactory().get("/projects/")
        rendered = []

        class Counting(BaseTable):
            total_investment = NumberColumn()
            responsible_unit = tables.Column()
            name = tables.Column(linkify=True)  # a link: written per row

            class Meta(BaseTable.Meta):
                model = Project
                fields = ()

            def render_responsible_unit(self, value):
                rendered.append(value)
                return value

        with mock.patch.object(NumberColumn, "render", autospec=True, side_effect=NumberColumn.render) as numbers:
            html = render(TEMPLATE.read_text(encoding="utf-8"), Counting(Project.objects.order_by("pk")), request)
        self.assertEqual(html.count("<tr "), 14)
        self.assertEqual(sorted(call.args[1] for call in numbers.call_args_list), [1000, 1001, 1002])
        self.assertEqual(sorted(rendered), sorted(["<b>甲</b>", "甲单位"]))
        self.assertIn("&lt;b&gt;甲&lt;/b&gt;", html)

    def test_an_empty_table_writes_its_empty_row_as_the_template_did_with_or_without_an_empty_text(self):
        request = RequestFactory().get("/projects/")

        class Silent(EdgeTable):
            class Meta(EdgeTable.Meta):
                empty_text = None

        for language in ("en", "zh-hans"):
            for table_class in (EdgeTable, Silent):
                with self.subTest(language=language, table=table_class), translation.override(language):
                    table = table_class(Project.objects.none())
                    current = render(TEMPLATE.read_text(encoding="utf-8"), table, request)
                    self.assertEqual(current, render(reference_template(), table, request))
        with translation.override("en"):
            self.assertIn(
                'class="empty">No rows match these filters.</td>',
                render(TEMPLATE.read_text(), EdgeTable(Project.objects.none()), request),
            )

    def test_the_pagination_links_are_written_as_the_template_wrote_them_on_every_kind_of_page(self):
        request = RequestFactory().get(
            "/projects/", {"q": "科技 & <b>", "sort": "-name", "page": "7", "tag": ["a", "b"]}
        )
        rows = Project.objects.count()
        for language in ("en", "zh-hans"):
            for per_page, number in ((1, 1), (1, 7), (1, 3), (1, rows), (2, 2), (rows, 1)):
                with self.subTest(language=language, per_page=per_page, page=number), translation.override(language):
                    tables_ = []
                    for _ in range(2):
                        table = EdgeTable(Project.objects.order_by("pk"))
                        table.paginate(page=number, per_page=per_page)
                        tables_.append(table)
                    current = render(TEMPLATE.read_text(encoding="utf-8"), tables_[0], request)
                    if per_page == 1 and 1 < number < rows:
                        self.assertIn('<li class="next">', current)
                        self.assertIn('<li class="previous">', current)
                    if per_page == 1 and number == 7:
                        self.assertEqual(current.count('<a href="#">...</a>'), 2)
                    self.assertEqual(current, render(reference_template(), tables_[1], request))

    def test_pinned_rows_write_their_own_attrs_as_the_template_did(self):
        request = RequestFactory().get("/projects/")

        class Pinned(BaseTable):
            name = tables.Column()
            phase = tables.Column()
            progress_pct = NumberColumn()

            def get_top_pinned_data(self):
                return [{"name": "Top"}]

            def get_bottom_pinned_data(self):
                return [{"name": "Bottom"}]

        current = render(TEMPLATE.read_text(encoding="utf-8"), Pinned(Project.objects.order_by("pk")), request)
        self.assertIn(' pinned-row ">', current)
        self.assertEqual(current, render(reference_template(), Pinned(Project.objects.order_by("pk")), request))

    def test_rows_with_row_attrs_write_them_as_the_template_did(self):
        request = RequestFactory().get("/projects/")

        class Marked(EdgeTable):
            class Meta(EdgeTable.Meta):
                row_attrs = {"data-id": lambda record: record.pk, "class": lambda record: "x" if record.pk % 2 else ""}

        table = Marked(Project.objects.order_by("pk"))
        current = render(TEMPLATE.read_text(encoding="utf-8"), table, request)
        self.assertIn('<tr data-id="', current)
        self.assertEqual(current, render(reference_template(), Marked(Project.objects.order_by("pk")), request))

    def test_every_column_writes_what_the_loop_wrote_with_values_repeated(self):
        request = RequestFactory().get("/projects/")
        for language in ("en", "zh-hans"):
            with self.subTest(language=language), translation.override(language):
                table = EdgeTable(Project.objects.order_by("pk"))
                assert_same_as_the_loop(self, table, request)

    def test_values_equal_but_written_differently_have_their_own_cells(self):
        from decimal import Decimal

        key = core_tables._memo_key
        self.assertNotEqual(key(Decimal("1.0")), key(Decimal("1.00")))
        self.assertNotEqual(key(1), key(True))
        self.assertNotEqual(key(0.0), key(-0.0))
        self.assertNotEqual(key(1), key(1.0))
        self.assertNotEqual(key("1"), key(1))
        self.assertIsNone(key(timezone.now()))
        self.assertIsNone(key(Project()))  # a record not saved: no key
        self.assertIsNone(key(["a"]))
        self.assertEqual(key(self.park), key(type(self.park).objects.get(pk=self.park.pk)))


class ColumnCopyTests(SimpleTestCase):
    """core.tables.column_deepcopy: each table's copy of its class's columns, sharing only what cannot change."""

    def table_classes(self):
        from parkdash.enterprises.tables import EnterpriseTable
        from parkdash.indicators.tables import FigureTable
        from parkdash.infrastructure.tables import WorkTable
        from parkdash.projects.tables import ProjectTable

        return [FigureTable, ProjectTable, EnterpriseTable, WorkTable, EdgeTable]

    def test_a_tables_columns_copy_holds_what_deepcopy_made_and_nothing_mutable_of_the_class(self):
        import copy
        import types

        def same(mine, stock, original, path):
            """``mine`` (our copy) equals ``stock`` (deepcopy()'s general way) and shares no mutable part of
            ``original``."""
            self.assertIs(type(mine), type(stock), path)
            if isinstance(stock, dict):
                self.assertIsNot(mine, original, path)
                self.assertEqual(list(mine), list(stock), path)
                for key in stock:
                    same(mine[key], stock[key], original[key], f"{path}[{key!r}]")
            elif isinstance(stock, (list, tuple)):
                if isinstance(stock, list):
                    self.assertIsNot(mine, original, path)
                self.assertEqual(len(mine), len(stock), path)
                for index, (a, b, c) in enumerate(zip(mine, stock, original)):
                    same(a, b, c, f"{path}[{index}]")
            elif hasattr(stock, "__dict__") and not isinstance(
                stock, (str, type, types.FunctionType, types.MethodType)
            ):
                if type(stock).__name__ != "__proxy__":  # a lazy translation: deepcopy() shares it too
                    self.assertIsNot(mine, original, path)
                    same(vars(mine), vars(stock), vars(original), path)
            else:
                self.assertEqual(mine, stock, path)

        for cls in self.table_classes():
            with self.subTest(table=cls.__name__):
                ours = copy.deepcopy(cls.base_columns)
                stock = {name: copy._reconstruct(c, {}, *c.__reduce_ex__(4)) for name, c in cls.base_columns.items()}
                self.assertEqual(list(ours), list(cls.base_columns))
                for name, column in cls.base_columns.items():
                    self.assertIsNot(ours[name], column)
                    same(ours[name], stock[name], column, f"{cls.__name__}.{name}")

    def test_changing_one_tables_column_attrs_or_visibility_leaves_the_class_and_other_tables_alone(self):
        first, second = EdgeTable([]), EdgeTable([])
        first.columns["progress_pct"].column.attrs["td"]["class"] = "changed"
        first.columns["page"].column.link.attrs["class"] = "changed"
        first.columns.hide("phase")
        self.assertEqual(second.columns["progress_pct"].column.attrs["td"]["class"], "num")
        self.assertEqual(EdgeTable.base_columns["progress_pct"].attrs["td"]["class"], "num")
        self.assertEqual(second.columns["page"].column.link.attrs["class"], "go")
        self.assertTrue(second.columns["phase"].visible)
        self.assertTrue(EdgeTable([]).columns["phase"].visible)

    def test_copying_a_tables_columns_takes_far_fewer_calls_than_deepcopy_took(self):
        import copy

        from parkdash.indicators.tables import FigureTable
        from tests.support.profiling import calls

        columns = FigureTable.base_columns
        ours = calls(lambda: copy.deepcopy(columns))
        stock = calls(lambda: {name: copy._reconstruct(c, {}, *c.__reduce_ex__(4)) for name, c in columns.items()})
        self.assertLess(ours * 2, stock)

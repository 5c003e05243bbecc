"""The permission matrix: every URL the project and its admin expose, for every persona, with GET and POST.

The URLs come from the resolver (``get_resolver()``, walked recursively: the project's pages and admin.site's URLs
of every registered model, custom ones included: import, export, history, revert, deleted, review, autocomplete),
so a new URL is in the matrix as soon as it exists. Each URL pattern is filled from the world
(tests/support/personas.py): a record in the path is filled twice, with park A's record and with park B's (a
project deleted in each park as well for the history and revert pages), and a URL whose parameters the matrix
cannot fill fails the test with a message saying where to teach it.

Every persona (anonymous; viewer of A; the same with staff status; editors of A, of B and of no park; a staff user
in no group, member of A; the administrator) sends every filled URL a GET and a POST. The POST carries the form a
browser would send: built from the administrator's page of the same record (``admin_form_data``), one field changed,
the parks' texts and amounts swapped for neutral ones, so that no answer can merely echo them back; an import file
names the record it targets. Each request runs in a savepoint rolled back afterwards: every cell starts from the
same world. For each cell the test checks:

- reveals: no body (HTML, JSON, streamed CSV, XLSX read with openpyxl), header or message shows a text or amount
  of a park the persona may not see (markers of park B for A's personas, of A for B's editor, of both for those of
  no park; of every park on the admin pages of a model the persona may not view), other than what the request
  itself sent;
- reach: a URL naming a record of such a park answers 403, 404, 405 or a redirect to a login page, to the admin
  index or within the same URL, never the page; anonymous visitors are sent to the login page from every page, and
  so are non-staff users from every admin page; a staff user with no permission on a model gets 403 (or 404) from
  every admin page of that model;
- changes: every row of every table (but sessions, login attempts and the time of the last login) is compared
  with the world before the request: a row may differ only when the persona holds a permission on its model and
  may use its park (an admin log entry only when it is the persona's);
- never a 500.

The administrator is the control: it must see B's markers on B's pages and its POSTs must change what they target,
which proves that the markers are found and that the forms are complete.

The matrix (URL pattern × persona × method → status and outcome) is printed at the end of the run (see conftest.py).
Cells of known findings that are being fixed are listed in KNOWN: they must fail, and the test fails when one of
them passes, so that a fix removes its entries.
"""

import html
import io
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, resolve, reverse
from knox.models import AuthToken

from parkdash.api.admin import manages_every_token
from parkdash.api.models import APIToken
from parkdash.enterprises.models import Enterprise
from parkdash.indicators.models import Figure, FigureTombstone, FigureWarning, Indicator
from parkdash.infrastructure.models import InfrastructureWork
from parkdash.intake.models import Candidate, SummaryFigure, WorkSummary
from parkdash.parks.models import DataVersion, Park, Zone
from parkdash.parks.scoping import may_use_park, sees_all_parks
from parkdash.projects.models import Project, ProjectUpdate
from parkdash.reports.models import ReportLine, Wording
from tests.support import (
    CSV_FORMAT,
    SUMMARY_TEXT,
    XLSX_FORMAT,
    EnglishClient,
    EnglishTestCase,
    World,
    admin_form_data,
    error_text,
    markers,
)

# Minutes: every URL for every persona (make test runs it, make test-fast does not).
pytestmark = pytest.mark.slow

User = get_user_model()

# Printed by tests/trust/conftest.py at the end of the run: [(title, [lines])].
PERMISSION_MATRIX_REPORT = []

PASSWORD = "Matrix-Pw-2024-long!"
CHANGED = "改过的说明"

# ---- known findings, being fixed in other branches: these cells must fail today ------------------------------
# (row label, persona, method): finding. Remove an entry when its fix is merged: the test fails while a KNOWN
# cell passes.
F1 = "issue 10 finding 1: a history revert saves with view permission only"
F2 = "issue 10 finding 2: the import preview shows another park's stored values"
F_SHORTCUT = "issue 10 finding 8: the view-on-site shortcut /admin/r/ redirects to other parks' records"
REVERTED = (
    "parks_park",
    "parks_zone",
    "indicators_figure",
    "projects_project",
    "enterprises_enterprise",
    "infrastructure_infrastructurework",
    "intake_worksummary",
)
IMPORTED = ("indicators_figure", "projects_project", "enterprises_enterprise", "infrastructure_infrastructurework")
KNOWN = {}
# The API's schema and documentation page: open to anonymous visitors (they show no record).
OPEN_API_URLS = {"api:schema", "api:docs"}


# ---- the URLs ------------------------------------------------------------------------------------------------


@dataclass
class Pattern:
    route: str  # the full route, e.g. "admin/projects/project/<path:object_id>/change/"
    name: str | None  # the qualified name, e.g. "admin:projects_project_change"
    callback: Callable
    model: type | None = None  # the model of an admin model URL
    action: str | None = None  # its action, e.g. "change" ("redirect" for the unnamed <object_id>/)

    @property
    def key(self):
        return self.name or self.route


def url_patterns(resolver=None, prefix="", namespace=""):
    """Every URL pattern of the project, walked recursively through include()s."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part)
            yield from url_patterns(entry, prefix + str(entry.pattern), inner)
        else:
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Pattern(prefix + str(entry.pattern), name, entry.callback)


def admin_model_of(pattern):
    """(model, action) when ``pattern`` belongs to a registered ModelAdmin, else (None, None)."""
    for model in admin.site._registry:
        opts = model._meta
        base = f"admin/{opts.app_label}/{opts.model_name}/"
        if pattern.route.startswith(base):
            if pattern.name is None:
                rest = pattern.route[len(base) :]
                return model, "redirect" if rest == "<path:object_id>/" else rest
            return model, pattern.name.removeprefix(f"admin:{opts.app_label}_{opts.model_name}_")
    return None, None


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\((\?P<(\w+)>)?[^()]*\)")


def fill_route(route, values):
    """``route`` with each parameter replaced: by name for <conv:name> and (?P<name>…), in order for (…)."""
    positional = iter(values.get("*", ()))

    def replace(match):
        name = match.group(1) or match.group(3)
        if name:
            return str(values[name])
        return str(next(positional))

    return "/" + PARAMETER.sub(replace, route).replace("^", "").replace("$", "")


@dataclass
class Case:
    """One row of the matrix: a filled URL, what it targets, and how to POST to it."""

    pattern: Pattern
    label: str
    url: str
    side: str | None = None  # "a"/"b": the URL's path names a record of park A/B
    post: Callable | None = None  # (persona) -> (data, echo): the body, and text the request sends otherwise
    control_sees: bool = False  # the administrator must see the side's markers on GET
    control_writes: bool = False  # the administrator's POST must change the database
    path_target: bool = True  # the side is in the path (else only in the query or body)
    json: bool = False  # the POST body is JSON (the API), not a form

    def body(self, persona):
        if self.post is None:
            return {}, ""
        return self.post(persona)


def query(url, **params):
    return url + "?" + urlencode(params) if params else url


def fixed(data):
    """A POST body that is the same for every persona."""
    return lambda persona: (dict(data), "")


def neutralise(data, all_markers):
    """The form data with every park's texts and amounts replaced by neutral ones (nothing left to echo)."""

    def clean(value):
        for marker in all_markers:
            value = marker.pattern.sub(marker.neutral, value)
        return value

    result = {}
    for key, value in data.items():
        if isinstance(value, list):
            result[key] = [clean(str(item)) for item in value]
        elif isinstance(value, str):
            result[key] = clean(value)
        else:
            result[key] = value
    return result


def drop_empty_multiple_choices(page, data):
    """A browser sends nothing at all for a multiple choice left empty (admin_form_data sends "")."""
    form = page.context["adminform"].form
    for name, form_field in form.fields.items():
        if isinstance(form_field, forms.ModelMultipleChoiceField) and data.get(form.add_prefix(name)) == "":
            del data[form.add_prefix(name)]
    return data


def echo_of(data):
    """The text a request sends: its values and the content of its files."""
    parts = []
    for value in data.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, SimpleUploadedFile):
                parts.append(item.read().decode("utf-8", "replace"))
                item.seek(0)
            else:
                parts.append(str(item))
    return "\n".join(parts)


# ---- the responses -------------------------------------------------------------------------------------------

UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def response_text(response):
    """Everything a response shows: headers that carry data, the body (streamed, CSV, XLSX or DOCX alike),
    messages."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [unquote(response.get("Location", "")), unquote(response.get("Content-Disposition", ""))]
    if body.startswith(b"PK\x03\x04") and b"word/document.xml" in body:
        import docx

        document = docx.Document(io.BytesIO(body))
        parts.extend(paragraph.text for paragraph in document.paragraphs)
        for table in document.tables:
            parts.extend("\t".join(cell.text for cell in row.cells) for row in table.rows)
    elif body.startswith(b"PK\x03\x04"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                parts.append("\t".join("" if cell is None else str(cell) for cell in row))
    else:
        parts.append(body.decode("utf-8", "replace"))
    request = getattr(response, "wsgi_request", None)
    if request is not None and hasattr(request, "_messages"):
        parts.extend(str(message) for message in get_messages(request))
    text = "\n".join(parts)
    # JSON escapes Chinese as \uXXXX (json_script, JsonResponse), HTML may use entities.
    return html.unescape(UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text))


# ---- the database ------------------------------------------------------------------------------------------

# Not records: sessions, login attempts (django-axes), and the time of the last login. Nor the data versions
# (parkdash.parks.versions): counters the database bumps with every write to a tracked table (the write itself is
# tracked) and to a user's row (the matrix's logins, which write last_login).
UNTRACKED_APPS = {"sessions", "axes"}
UNTRACKED_MODELS = {DataVersion}
UNTRACKED_COLUMNS = {"last_login"}
# The model whose permissions govern a table's rows, where it is not the table's own model.
# A figure's tombstone (the change feed's record of its deletion) is written by the database with the deletion.
GOVERNED_BY = {Candidate: WorkSummary, SummaryFigure: WorkSummary, FigureWarning: Figure, FigureTombstone: Figure}
# How a row leads to its park (a model with a ``park`` field needs no entry).
PARK_PATHS = {
    Park: "id",
    ProjectUpdate: "project__park_id",
    Candidate: "summary__park_id",
    SummaryFigure: "summary__park_id",
    FigureWarning: "figure__park_id",
    FigureTombstone: "park_id",
}


def governing_model(model):
    model = getattr(model, "instance_type", model)  # a historical model: the model it records
    if model._meta.auto_created:  # a many-to-many table: the model that declares the field
        model = next(
            f.model
            for f in model._meta.get_fields()
            if f.is_relation
            and f.many_to_one
            and f.related_model is not model
            and any(m2m.remote_field.through is model for m2m in f.related_model._meta.many_to_many)
        )
    return GOVERNED_BY.get(model, model)


def park_path(model):
    """The values() path from a row of ``model`` to its park id, or None for a table of no park."""
    governing = getattr(model, "instance_type", model)
    if governing in PARK_PATHS:
        return PARK_PATHS[governing]
    if model._meta.auto_created:
        for f in model._meta.get_fields():
            if f.is_relation and f.many_to_one and f.related_model is Park:
                return f.attname
        return None
    names = {f.name for f in model._meta.get_fields()}
    if "park" in names:
        return "park_id"
    return None


class Table:
    """A tracked table, read with one plain SELECT (the ORM would take most of the matrix's time)."""

    def __init__(self, model):
        self.model = model
        fields = [f for f in model._meta.concrete_fields if f.attname not in UNTRACKED_COLUMNS]
        self.columns = [f.attname for f in fields]
        quote = connection.ops.quote_name
        self.sql = "SELECT {} FROM {}".format(", ".join(quote(f.column) for f in fields), quote(model._meta.db_table))
        self.pk_index = self.columns.index(model._meta.pk.attname)
        self.path = park_path(model)

    def rows(self, cursor):
        cursor.execute(self.sql)
        return {row[self.pk_index]: row for row in cursor.fetchall()}

    def park_of(self, row, parks_before=None):
        """The park id of a row, None for a table of no park; the park of a parent removed by the request is
        the one it had before (``parks_before``: {model: {pk: park id}})."""
        if self.path is None:
            return None
        first, _, rest = self.path.partition("__")
        if not rest:
            return row[self.columns.index(first)]
        parent = self.model._meta.get_field(first)
        value = row[self.columns.index(parent.attname)]
        if value is None:
            return None
        park_id = parent.related_model._default_manager.filter(pk=value).values_list(rest, flat=True).first()
        if park_id is None and parks_before is not None:
            park_id = parks_before.get(parent.related_model, {}).get(value)
        return park_id


def tracked_tables():
    return [
        Table(model)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label not in UNTRACKED_APPS
        and model not in UNTRACKED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]


def snapshot(tables):
    """{table: {pk: row}} of every tracked table."""
    with connection.cursor() as cursor:
        return {table: table.rows(cursor) for table in tables}


def changes(before, after, parks_before):
    """[(model, pk, park id, row)] of every row added, removed or changed; the park of a removed row is the one
    it had before (``parks_before``: {model: {pk: park id}})."""
    found = []
    for table, rows in after.items():
        old = before[table]
        for pk, row in rows.items():
            if old.get(pk) != row:
                found.append((table.model, pk, table.park_of(row, parks_before), row))
        for pk, row in old.items():
            if pk not in rows:
                found.append((table.model, pk, parks_before[table.model].get(pk), row))
    return found


def may_change(user, model, pk, park_id):
    """Whether ``user`` may have changed this row: a permission on its model and the use of its park."""
    governing = governing_model(model)
    if governing is User and pk == user.pk:
        return True  # one's own password
    opts = governing._meta
    if not any(user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("add", "change", "delete")):
        return False
    if park_path(model) is None:
        return True
    return park_id is not None and may_use_park(user, park_id)


# ---- personas ----------------------------------------------------------------------------------------------


@dataclass
class Persona:
    name: str
    user: object | None  # None: anonymous
    client: EnglishClient = field(default_factory=lambda: EnglishClient(raise_request_exception=False))
    session_key: str = ""
    hidden: list | None = None  # the parks it may not see

    def login(self):
        if self.user is not None:
            self.client.force_login(self.user)
            self.session_key = self.client.cookies[settings.SESSION_COOKIE_NAME].value

    def logged_out(self):
        """Whether a request (a login, a logout, a password change: rolled back) took the session away."""
        cookie = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        return self.user is not None and (cookie is None or cookie.value != self.session_key)

    @property
    def staff(self):
        return self.user is not None and self.user.is_staff


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class PermissionMatrixTests(World, EnglishTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.group = Group.objects.get(name="viewer")
        # A figure with an open plausibility warning in each park, for the data-quality page: July's running total
        # typed as 1 after June's 12 (10× below the month before).
        for world in (cls.a, cls.b):
            world["slip"] = Figure.objects.create(
                indicator=cls.fai, park=world["park"], year=2023, month=7, kind="actual", value=1
            )
            # The park's own wording of the summary draft's title.
            world["wording"] = Wording.objects.create(
                park=world["park"], name="title.txt", language="zh", text="{{ park }}{{ year }}年工作总结"
            )
        # An API token of editor A's, for the token admin's pages.
        cls.api_token, _token = AuthToken.objects.create(user=cls.editor_a, expiry=None)

    def setUp(self):
        self.sides = {"a": self.a, "b": self.b}
        self.markers = {"a": markers(self.a), "b": markers(self.b)}
        self.all_markers = self.markers["a"] + self.markers["b"]
        self.personas = [
            Persona("anonymous", None),
            Persona("viewer", self.viewer_a),
            Persona("viewer_staff", self.viewer_staff_a),
            Persona("editor_a", self.editor_a),
            Persona("editor_b", self.editor_b),
            Persona("editor_none", self.editor_none),
            Persona("nogroup", self.nogroup_a),
            Persona("administrator", self.administrator),
        ]
        self.control = self.personas[-1]
        self.tmp = tempfile.mkdtemp(prefix="matrix-")
        saved, tempfile.tempdir = tempfile.tempdir, self.tmp  # import previews leave their files here
        self.addCleanup(setattr, tempfile, "tempdir", saved)
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    # ---- what a persona may see --------------------------------------------------------------------------

    def hidden_sides(self, persona):
        """The parks whose records ``persona`` may not see."""
        if persona.hidden is None:
            user = persona.user
            persona.hidden = (
                []
                if user is not None and sees_all_parks(user)
                else [
                    side
                    for side, world in self.sides.items()
                    if user is None or not may_use_park(user, world["park"].pk)
                ]
            )
        return persona.hidden

    # ---- records that fill the URLs ----------------------------------------------------------------------

    def record(self, model, side):
        """The record of ``model`` that fills a URL: park ``side``'s one, or the one global record."""
        world = self.sides[side] if side else None
        park_scoped = {
            Park: "park",
            Zone: "zone",
            Figure: "figure",
            Project: "project",
            Enterprise: "enterprise",
            InfrastructureWork: "work",
            WorkSummary: "summary",
            ReportLine: "report_line",
            Wording: "wording",
        }
        if model in park_scoped:
            return world[park_scoped[model]]
        return {Indicator: self.fai, User: self.nobody, Group: self.group, APIToken: self.api_token}[model]

    def sides_of(self, model):
        return ["a", "b"] if park_path(model) else [None]

    def version_id(self, model, pk):
        return model.history.filter(**{model._meta.pk.attname: pk}).latest("history_date", "history_id").history_id

    # ---- POST bodies -------------------------------------------------------------------------------------

    def as_control(self, method, url, data=None):
        """A request of the administrator, rolled back: the page a body is built from."""
        with transaction.atomic():
            response = getattr(self.control.client, method)(url, data or {})
            transaction.set_rollback(True)
        assert response.status_code == 200, f"the administrator cannot open {url}: {response.status_code}"
        return response

    def form_body(self, url, model, **values):
        """The administrator's form at ``url`` as a browser would send it, with ``values`` changed."""
        page = self.as_control("get", url)
        form = page.context["adminform"].form
        changed = {}
        if not values and model is Wording:
            changed["text"] = CHANGED  # its name is a choice of pattern; the text is what a person writes
        elif not values:
            name = next(
                (
                    n
                    for n in ("note", "notes", "description", "title", "first_name", "name", "label")
                    if n in form.fields and not form.fields[n].disabled
                ),
                None,
            )
            assert name, f"teach the matrix which field of {model.__name__} its POST changes (form_body)"
            changed[name] = CHANGED
        data = drop_empty_multiple_choices(page, admin_form_data(page, **changed, **values))
        for name, form_field in form.fields.items():
            if isinstance(form_field.widget, forms.SplitDateTimeWidget) and form.add_prefix(name) in data:
                moment = form[name].value()  # a browser sends a date and a time
                data.pop(form.add_prefix(name))
                data[form.add_prefix(name) + "_0"], data[form.add_prefix(name) + "_1"] = (
                    [str(part) for part in form_field.widget.decompress(moment)] if moment else ("", "")
                )
        data = neutralise(data, self.all_markers)
        return fixed(data)

    def deletable(self, model, obj):
        """Whether the administrator may delete ``obj``: not when records depend on it (PROTECT)."""
        opts = model._meta
        page = self.as_control("get", reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]))
        return not (page.context["protected"] or page.context["perms_lacking"])

    def add_values(self, model, side):
        park = self.sides[side]["park"].pk if side else None
        values = {
            Park: {"code": "new-park", "name": "新园区"},
            Zone: {"park": park, "name": "新片区"},
            Indicator: {
                "code": "new_indicator",
                "name": "新指标",
                "name_en": "New indicator",
                "unit": "亿元",
                "category": "investment",
            },
            Figure: {
                "indicator": self.fai.pk,
                "park": park,
                "year": 2024,
                "month": 3,
                "kind": "actual",
                "version": "final",
                "entered_value": "1",
            },
            Project: {
                "park": park,
                "name": "新项目",
                "category": "utility",
                "phase": "continuing",
                "progress_pct": "10",
            },
            Enterprise: {"park": park, "name": "新企业", "stage": "intent"},
            InfrastructureWork: {
                "park": park,
                "year": 2024,
                "kind": "road_base",
                "name": "新道路",
                "unit": "公里",
                "planned_quantity": "1",
            },
            WorkSummary: {"park": park, "month": 6, "year": 2024, "pasted": SUMMARY_TEXT.format(park="某园区")},
            ReportLine: {"park": park, "indicator": self.land.pk, "position": "2", "label": "新名称"},
            Wording: {"park": park, "name": "heading.txt", "language": "zh", "text": "{{ number_zh }}、新标题"},
            User: {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"},
            Group: {"name": "新组"},
            APIToken: {"user": self.nobody.pk},
        }
        assert model in values, f"teach the matrix the values of a new {model.__name__} (add_values)"
        return values[model]

    def import_rows(self, model, side, change=False):
        """A CSV naming park ``side``'s record of ``model`` (with one column changed for the confirm step)."""
        world = self.sides[side]
        code = world["park"].code
        rows = {
            Figure: (
                "indicator,park,zone,year,month,kind,version",
                f"fixed_asset_investment,{code},,2023,6,actual,final",
                "note",
            ),
            Project: ("park,name", f"{code},{world['project'].name}", "description"),
            Enterprise: ("park,name", f"{code},{world['enterprise'].name}", "notes"),
            InfrastructureWork: ("park,year,name", f"{code},2023,{world['work'].name}", "notes"),
        }
        assert model in rows, f"teach the matrix an import file for {model.__name__} (import_rows)"
        header, row, column = rows[model]
        if change:
            header, row = f"{header},{column}", f"{row},{CHANGED}"
        return f"{header}\n{row}\n"

    def import_body(self, model, side):
        def body(persona):
            text = self.import_rows(model, side)
            upload = SimpleUploadedFile("import.csv", text.encode(), content_type="text/csv")
            return {"import_file": upload, "format": CSV_FORMAT, "resource": 0}, text

        return body

    def confirm_body(self, model, side):
        opts = model._meta

        def body(persona):
            # A fresh preview by the administrator for each request: a confirm removes its file.
            text = self.import_rows(model, side, change=True)
            upload = SimpleUploadedFile("import.csv", text.encode(), content_type="text/csv")
            preview = self.as_control(
                "post",
                reverse(f"admin:{opts.app_label}_{opts.model_name}_import"),
                {"import_file": upload, "format": CSV_FORMAT, "resource": 0},
            )
            form = preview.context.get("confirm_form")
            assert form is not None, (
                f"the administrator's import preview of {opts.model_name} offers no confirm: "
                f"{error_text(preview)[:500]}"
            )
            return {name: form.initial.get(name, "") for name in form.fields}, text

        return body

    def export_body(self, model, side, fmt):
        opts = model._meta
        page = self.as_control("get", reverse(f"admin:{opts.app_label}_{opts.model_name}_export"))
        data = {"format": fmt, "resource": 0}
        data.update(
            {name: "on" for name, f in page.context["form"].fields.items() if isinstance(f, forms.BooleanField)}
        )
        if side:
            data["export_items"] = [str(self.record(model, side).pk)]
        return fixed(data)

    def review_body(self, url, confirm=False):
        page = self.as_control("get", url)
        data = {"c-TOTAL_FORMS": 0, "c-INITIAL_FORMS": 0, "c-MIN_NUM_FORMS": 0, "c-MAX_NUM_FORMS": 1000, "_apply": "1"}
        if confirm:
            # "Apply anyway" on the confirmation of figures stored already from a summary of the same text.
            data = {**data, "confirm_duplicates": "1:1"}
            del data["_apply"]
        for i, form in enumerate(page.context["formset"].forms):
            for name in form.fields:
                value = form[name].value()
                if value is True:
                    data[f"c-{i}-{name}"] = "on"
                elif value not in (None, False):
                    data[f"c-{i}-{name}"] = str(value)
            data["c-TOTAL_FORMS"] = data["c-INITIAL_FORMS"] = i + 1
        return fixed(data)

    # ---- filling the patterns ----------------------------------------------------------------------------

    def admin_cases(self, pattern):
        model, action = pattern.model, pattern.action
        cases = []

        def case(label_side, url, side=None, post=None, **kwargs):
            label = pattern.key + (f" [{label_side}]" if label_side else "")
            cases.append(Case(pattern, label, url, side, post, **kwargs))

        def fill(**values):
            return fill_route(pattern.route, values)

        if action == "import_template":
            # An empty file with the import's headings: no record of any park in it.
            case("", fill(), None, path_target=False)
            return cases
        if action in ("changelist", "add", "import", "export", "deleted", "process_import"):
            url = fill()
            for side in self.sides_of(model):
                self.collection_case(model, action, side, url, case)
            if action == "export":
                case("all xlsx", url, None, self.export_body(model, None, XLSX_FORMAT))
            return cases
        self.object_cases(pattern, fill, case)
        return cases

    def collection_case(self, model, action, side, url, case):
        """The case of park ``side`` on an admin page of the whole model (its ``url`` names no record)."""
        label = side.upper() if side else ""
        if action == "changelist":
            obj = self.record(model, side)
            post = fixed({"action": "delete_selected", "post": "yes", "index": "0", "_selected_action": [str(obj.pk)]})
            case(label, url, side, post, control_writes=self.deletable(model, obj), path_target=False)
        elif action == "add":
            body = self.form_body(url, model, **self.add_values(model, side))
            case(label, url, side, body, control_writes=True, path_target=False)
        elif action == "import":
            case(label, url, side, self.import_body(model, side), path_target=False)
        elif action == "process_import":
            case(label, url, side, self.confirm_body(model, side), control_writes=True, path_target=False)
        elif action == "export":
            case(label + " csv", url, side, self.export_body(model, side, CSV_FORMAT), path_target=False)
        elif action == "deleted":
            case(label, url, side, control_sees=model is Project and side is not None, path_target=False)

    def object_cases(self, pattern, fill, case):
        """The cases of an admin page of one record (its URL names the record), for each park's record."""
        model, action = pattern.model, pattern.action
        for side in self.sides_of(model):
            label = side.upper() if side else ""
            obj = self.record(model, side)
            # History and delete pages name the record: the control sees its park where the name is the park's.
            named = bool(side) and any(marker.find(str(obj)) for marker in self.markers[side])
            if action == "redirect":
                case(label, fill(object_id=obj.pk), side)
            elif action == "change" and model is APIToken:
                case(label, fill(object_id=obj.pk), side, fixed({}))  # read only: a token is never edited
            elif action == "change":
                url = fill(object_id=obj.pk)
                case(label, url, side, self.form_body(url, model), control_sees=bool(side), control_writes=True)
            elif action == "delete":
                case(
                    label,
                    fill(object_id=obj.pk),
                    side,
                    fixed({"post": "yes"}),
                    control_sees=named,
                    control_writes=self.deletable(model, obj),
                )
            elif action == "history":
                case(label, fill(object_id=obj.pk), side, control_sees=named)
                if model is Project and side:
                    deleted = self.sides[side]["deleted_project_id"]
                    case(label + " deleted", fill(object_id=deleted), side, control_sees=True)
            elif action == "simple_history":
                self.simple_history_cases(model, side, obj, label, fill, case)
            elif action == "review":
                url = fill(pk=obj.pk)
                case(label, url, side, self.review_body(url), control_sees=True, control_writes=True)
                case(
                    label + " confirm",
                    url,
                    side,
                    self.review_body(url, confirm=True),
                    control_sees=True,
                    control_writes=True,
                )
            elif action == "password_change":
                case(
                    label,
                    fill(id=obj.pk),
                    side,
                    fixed({"password1": PASSWORD, "password2": PASSWORD, "usable_password": "true"}),
                    control_writes=True,
                )
            else:
                raise AssertionError(
                    f"The permission matrix cannot fill {pattern.route} ({pattern.key}): teach it the admin action "
                    f"{action!r} in PermissionMatrixTests.object_cases (tests/trust/test_permission_matrix.py)."
                )

    def simple_history_cases(self, model, side, obj, label, fill, case):
        """A historical version of the record (and, for a project, of a deleted one) in the history's change form."""
        url = fill(**{"*": (obj.pk, self.version_id(model, obj.pk))})
        case(label, url, side, self.form_body(url, model), control_sees=bool(side), control_writes=True)
        if model is Project and side:
            deleted = self.sides[side]["deleted_project_id"]
            url = fill(**{"*": (deleted, self.version_id(model, deleted))})
            case(label + " deleted", url, side, self.form_body(url, model), control_sees=True, control_writes=True)

    def site_cases(self, pattern):
        """The cases of a URL that is not a ModelAdmin's."""
        key = pattern.key
        cases = []

        def case(label, url, side=None, post=None, **kwargs):
            cases.append(Case(pattern, key + (f" [{label}]" if label else ""), url, side, post, **kwargs))

        plain = fill_route(pattern.route, {}) if not PARAMETER.search(pattern.route) else None

        filled = (
            self.account_site_cases(key, plain, case)
            or self.admin_site_cases(pattern, plain, case)
            or self.dashboard_site_cases(pattern, plain, case)
            or self.report_site_cases(pattern, plain, case)
            or self.api_site_cases(pattern, plain, case)
        )
        if not filled:
            raise AssertionError(
                f"The permission matrix cannot fill {pattern.route} ({key}): teach it this URL's parameters and "
                f"POST body in PermissionMatrixTests.site_cases (tests/trust/test_permission_matrix.py)."
            )
        return cases

    def account_site_cases(self, key, plain, case):
        """Logging in and out, the password, the language and the admin's fixed pages; False if not one of them."""

        def login(persona):
            if persona.user is None:
                return {"username": "nobody", "password": "wrong"}, ""
            return {"username": persona.user.username, "password": "pw"}, ""

        if key in ("login", "admin:login"):
            case("", plain, post=login)
        elif key in ("logout", "admin:logout", "admin:index", "admin:password_change_done", "admin:jsi18n"):
            case("", plain)
        elif key == "admin:password_change":
            case("", plain, post=fixed({"old_password": "pw", "new_password1": PASSWORD, "new_password2": PASSWORD}))
        elif key == "set_language":
            case("", plain, post=fixed({"language": "en", "next": "/"}))
        else:
            return False
        return True

    def admin_site_cases(self, pattern, plain, case):
        """The admin's pages that are not a ModelAdmin's (app lists, autocomplete, view on site, the catch-all)."""
        key = pattern.key
        if key == "admin:app_list":
            for app_label in sorted({model._meta.app_label for model in admin.site._registry}):
                case(app_label, fill_route(pattern.route, {"app_label": app_label}))
        elif key == "admin:autocomplete":
            for model, model_admin in admin.site._registry.items():
                for name in model_admin.autocomplete_fields:
                    params = {
                        "app_label": model._meta.app_label,
                        "model_name": model._meta.model_name,
                        "field_name": name,
                    }
                    case(f"{model._meta.model_name}.{name}", query(plain, **params), control_sees=name == "park")
        elif key == "admin:view_on_site":
            content_type = ContentType.objects.get_for_model(Project)
            for side in self.sides:
                obj = self.sides[side]["project"]
                case(
                    side.upper(),
                    fill_route(pattern.route, {"content_type_id": content_type.pk, "object_id": obj.pk}),
                    side,
                )
        elif key == "admin/(?P<url>.*)$":
            case("", fill_route(pattern.route, {"url": "no-such-page/"}))
        else:
            return False
        return True

    def dashboard_site_cases(self, pattern, plain, case):
        """The dashboard's lists and detail pages, for each park; False if ``pattern`` is not one of them."""
        key = pattern.key
        if key == "dashboard:overview" or key.endswith("_list"):
            for side in self.sides:
                case(f"park {side.upper()}", query(plain, park=self.sides[side]["park"].pk), side, path_target=False)
            if key.endswith("_list"):
                case("csv", query(plain, _export="csv"), control_sees=True)
                case("xlsx", query(plain, _export="xlsx"), control_sees=True)
        elif key == "dashboard:quality":
            for side in self.sides:
                case(
                    f"park {side.upper()}",
                    query(plain, park=self.sides[side]["park"].pk),
                    side,
                    post=fixed({"figure": self.sides[side]["slip"].pk, "code": "jump"}),
                    control_sees=True,
                    control_writes=True,
                    path_target=False,
                )
        elif key == "indicators:indicator_detail":
            url = fill_route(pattern.route, {"code": self.fai.code})
            for side in self.sides:
                case(f"park {side.upper()}", query(url, park=self.sides[side]["park"].pk), side, path_target=False)
        elif key in ("projects:project_detail", "enterprises:enterprise_detail"):
            kind = key.split(":")[0].removesuffix("s")
            for side in self.sides:
                case(
                    side.upper(), fill_route(pattern.route, {"pk": self.sides[side][kind].pk}), side, control_sees=True
                )
        else:
            return False
        return True

    def report_site_cases(self, pattern, plain, case):
        """The reports (completion table, bulletin, summary draft), on screen and as files, for each park (the
        bulletin: of every park the persona sees); False if ``pattern`` is not one of them."""
        key = pattern.key
        files = {"reports:completion": ["xlsx"], "reports:bulletin": ["xlsx"], "reports:summary": ["docx"]}.get(key)
        if files is None:
            return False
        period = {"year": 2023, "month": 6}
        if key == "reports:bulletin":
            for fmt in [None, *files]:
                case(fmt or "", query(plain, **period, **({"_export": fmt} if fmt else {})))
            return True
        for side in self.sides:
            park = self.sides[side]["park"].pk
            for fmt in [None, *files]:
                url = query(plain, park=park, **period, **({"_export": fmt} if fmt else {}))
                case(f"park {side.upper()}" + (f" {fmt}" if fmt else ""), url, side, path_target=False)
        return True

    # The records the API's detail URLs name, by the basename of their route (parkdash/api/urls.py).
    API_RECORDS = {
        "figure": "figure",
        "park": "park",
        "zone": "zone",
        "project": "project",
        "enterprise": "enterprise",
        "work": "work",
    }

    def api_figure(self, side, **values):
        """A new figure of park ``side`` as an API client sends it."""
        park = self.sides[side]["park"].code
        figure = {"indicator": self.fai.code, "park": park, "year": 2024, "month": 3, "kind": "actual", "value": "1"}
        figure["version"] = "final"
        return {**figure, **values}

    def api_figure_write_cases(self, key, plain, case):
        """The figure list (GET lists, POST creates a figure in the side's park; entry refuses a park the persona
        may not edit), the changes feed, and the bulk endpoint."""
        if key == "api:figure-list":
            case("", plain, control_sees=True, json=True)
            for side in self.sides:
                url = query(plain, park=self.sides[side]["park"].code)
                post = fixed(self.api_figure(side))
                case(
                    f"park {side.upper()}",
                    url,
                    side,
                    post,
                    control_sees=True,
                    control_writes=True,
                    path_target=False,
                    json=True,
                )
            # On PostgreSQL the feed gives committed changes only (parkdash/indicators/changes.py) and the matrix's
            # records live in its test transaction: there the control sees nothing either, and what the feed gives is
            # checked by tests/api (TransactionTestCase). No persona may see park B's markers either way.
            case(
                "changes",
                query(plain, changed_since=""),
                control_sees=connection.vendor != "postgresql",
                json=True,
            )
        else:
            for side in self.sides:
                post = fixed({"figures": [self.api_figure(side), self.api_figure(side, month=4)]})
                case(side.upper(), plain, side, post, control_writes=True, path_target=False, json=True)

    def api_site_cases(self, pattern, plain, case):
        """The API (/api/v1/): each list whole and filtered by each park, each record of each park; False if
        ``pattern`` is not one of them."""
        key = pattern.key
        if not key.startswith("api:"):
            return False
        if key in OPEN_API_URLS:
            case("", plain)
            return True
        basename, _, kind = key.removeprefix("api:").rpartition("-")
        if key in ("api:figure-list", "api:figure-bulk"):
            self.api_figure_write_cases(key, plain, case)
        elif kind == "list":
            case("", plain, control_sees=basename != "indicator", json=True)
            if basename != "indicator":
                for side in self.sides:
                    url = query(plain, park=self.sides[side]["park"].code)
                    case(f"park {side.upper()}", url, side, control_sees=True, path_target=False, json=True)
        elif kind == "detail" and basename == "indicator":
            case("", fill_route(pattern.route, {"pk": self.fai.pk}), json=True)
        elif kind == "detail":
            for side in self.sides:
                obj = self.sides[side][self.API_RECORDS[basename]]
                case(side.upper(), fill_route(pattern.route, {"pk": obj.pk}), side, control_sees=True, json=True)
        else:
            return False
        return True

    def cases(self):
        cases = []
        for pattern in url_patterns():
            pattern.model, pattern.action = admin_model_of(pattern)
            found = self.admin_cases(pattern) if pattern.model else self.site_cases(pattern)
            for case in found:
                match = resolve(urlsplit(case.url).path)
                self.assertIs(
                    match.func,
                    pattern.callback,
                    f"{case.label}: the matrix filled {case.url}, which is not this pattern's view",
                )
            cases.extend(found)
        return cases

    # ---- one cell ----------------------------------------------------------------------------------------

    def request(self, persona, case, method):
        """The Cell of ``persona`` sending ``case`` a GET or a POST; the database is rolled back afterwards."""
        data, echo = case.body(persona) if method == "post" else ({}, "")
        echo = "\n".join((case.url, echo, echo_of(data)))
        with transaction.atomic():
            if case.json and method == "post":
                response = persona.client.post(case.url, json.dumps(data), content_type="application/json")
            else:
                response = getattr(persona.client, method)(case.url, data)
            text = response_text(response)
            changed = changes(self.baseline, snapshot(self.tables), self.baseline_parks)
            refused = [
                (model, pk)
                for model, pk, park_id, values in changed
                if not self.may_have_changed(persona, model, pk, park_id, values)
            ]
            transaction.set_rollback(True)
        persona.client.cookies.pop("messages", None)  # a message is checked with the response that made it
        if persona.logged_out():  # a login, logout or password change, rolled back
            persona.login()
        location = urlsplit(response.get("Location", "")).path
        cell = Cell(response.status_code, redirect_kind(response.status_code, location, case.url), bool(changed))
        if cell.status >= 500:
            cell.problems.append(f"answers {cell.status}")
        if persona is self.control:
            cell.problems += self.control_problems(case, method, cell, text, response)
            return cell
        revealed = self.revealed(persona, case, text, echo)
        if revealed:
            cell.problems.append("shows " + ", ".join(revealed))
        cell.problems += self.reach_problems(persona, case, cell)
        if refused:
            cell.problems.append("changes " + ", ".join(f"{model.__name__} {pk}" for model, pk in refused[:6]))
        return cell

    def may_have_changed(self, persona, model, pk, park_id, values):
        user = persona.user
        if user is None:
            return False
        if model is LogEntry:  # the admin's log of what the user did: the change itself is checked on its row
            return values[self.log_user_index] == user.pk
        if model is AuthToken:  # API tokens: every staff user's own, an administrator's everybody's
            return user.is_staff and (values[self.token_user_index] == user.pk or manages_every_token(user))
        return may_change(user, model, pk, park_id)

    def revealed(self, persona, case, text, echo):
        """The markers of parks ``persona`` may not see that ``text`` shows and the request did not send. In the
        admin pages of a model, a persona with neither view nor change permission on it may see no park at all."""
        hidden = self.hidden_sides(persona)
        model = case.pattern.model
        if model is not None and persona.user is not None and park_path(model):
            opts = model._meta
            if not any(
                persona.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}") for action in ("view", "change")
            ):
                hidden = list(self.sides)  # the admin pages of a model it may not view
        return [
            marker.text
            for side in hidden
            for marker in self.markers[side]
            if marker.find(text) and not marker.find(echo)
        ]

    def reach_problems(self, persona, case, cell):
        problems = []
        admin_url = case.url.startswith("/admin/")
        if case.url.startswith("/api/"):
            # The API answers 401 to anonymous requests (no login page); its schema and documentation are open.
            if persona.user is None and case.pattern.key not in OPEN_API_URLS and cell.status != 401:
                problems.append(f"answers {cell.status} instead of 401 to an anonymous request")
        elif persona.user is None or (admin_url and not persona.staff):
            login = reverse("admin:login") if admin_url else reverse("login")
            # The admin's logout sends a visitor to the admin index, which sends them on to the login page.
            open_urls = {"admin:login", "admin:logout"} if admin_url else {"login", "logout", "set_language"}
            sent = cell.redirect == ("L" if admin_url else "l")
            if case.pattern.key not in open_urls and not sent:
                problems.append(f"answers {cell.status} instead of sending to {login}")
        hidden = case.side and case.path_target and case.side in self.hidden_sides(persona)
        if hidden and not (cell.status in (400, 401, 403, 404, 405) or cell.redirect in ("L", "l", "I", "=")):
            problems.append(f"answers {cell.status}{cell.redirect} for a record it may not see")
        model = case.pattern.model
        # API tokens are every staff user's own (checked by the changes): no model permission is needed.
        unpermitted = (
            model is not None
            and model is not APIToken
            and persona.staff
            and not self.holds_any_permission(persona.user, model)
        )
        if unpermitted and not (cell.status in (403, 404, 405) or cell.redirect == "="):
            problems.append(f"answers {cell.status}{cell.redirect} with no permission on {model.__name__}")
        return problems

    def holds_any_permission(self, user, model):
        opts = model._meta
        return any(
            user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("view", "add", "change", "delete")
        )

    def control_problems(self, case, method, cell, text, response):
        """The administrator must see the target's park where it is named, and change what its POST targets."""
        problems = []
        if method == "get" and case.control_sees:
            side = case.side or "b"
            if not any(marker.find(text) for marker in self.markers[side]):
                problems.append(
                    f"the administrator does not see park {side.upper()} here ({cell.status}): "
                    "the markers or the way the matrix fills this URL are wrong"
                )
        if method == "post" and case.control_writes and not cell.changed:
            context = response.context or {}
            errors = context.get("errors") or (context.get("form").errors if context.get("form") else "")
            problems.append(
                f"the administrator's POST changed nothing ({cell.status}): the matrix's form for "
                f"this URL is incomplete {errors or ''}".rstrip()
            )
        return problems

    # ---- the matrix --------------------------------------------------------------------------------------

    def test_no_persona_sees_or_changes_what_its_parks_and_permissions_do_not_allow(self):
        started = time.monotonic()
        for persona in self.personas:
            persona.login()
        self.tables = tracked_tables()
        self.baseline = snapshot(self.tables)
        self.baseline_parks = {
            table.model: {pk: table.park_of(row) for pk, row in rows.items()} for table, rows in self.baseline.items()
        }
        log = next(table for table in self.tables if table.model is LogEntry)
        self.log_user_index = log.columns.index("user_id")
        tokens = next(table for table in self.tables if table.model is AuthToken)
        self.token_user_index = tokens.columns.index("user_id")
        cases = self.cases()
        cells = {}
        for persona in self.personas:
            gets = {}  # rows of one URL (a record in the POST body only) share their GET
            for case in cases:
                if case.url not in gets:
                    gets[case.url] = self.request(persona, case, "get")
                cells[case.label, persona.name, "GET"] = gets[case.url]
                cells[case.label, persona.name, "POST"] = self.request(persona, case, "post")
        elapsed = time.monotonic() - started
        message = verdict(cells, KNOWN, {case.label: case.url for case in cases})
        PERMISSION_MATRIX_REPORT.append(matrix_table(cases, self.personas, cells, elapsed, connection.vendor))
        self.assertFalse(message, message)

    # ---- the matrix's own guard rails ---------------------------------------------------------------------

    def test_the_walk_reaches_the_admin_custom_urls_of_every_registered_model(self):
        names = {pattern.name for pattern in url_patterns()}
        for model in admin.site._registry:
            info = model._meta.app_label, model._meta.model_name
            self.assertTrue({"admin:{}_{}_change".format(*info), "admin:{}_{}_history".format(*info)} <= names)
        for name in (
            "admin:intake_worksummary_review",
            "admin:projects_project_simple_history",
            "admin:projects_project_process_import",
            "admin:projects_project_deleted",
            "admin:autocomplete",
            "admin:view_on_site",
            "projects:project_detail",
        ):
            self.assertIn(name, names)

    def test_a_url_the_matrix_cannot_fill_fails_with_a_message_saying_where_to_teach_it(self):
        def view(request):
            return None

        with self.assertRaisesRegex(AssertionError, "cannot fill reports/<int:year>/ .*teach it"):
            self.site_cases(Pattern("reports/<int:year>/", "reports:yearly", view))
        action = Pattern(
            "admin/projects/project/<path:object_id>/publish/",
            "admin:projects_project_publish",
            view,
            Project,
            "publish",
        )
        with self.assertRaisesRegex(AssertionError, "teach it the admin action 'publish'"):
            self.admin_cases(action)

    def test_a_known_cell_that_passes_fails_the_matrix_and_one_that_fails_does_not(self):
        key = ("admin:projects_project_simple_history [A]", "viewer_staff", "POST")
        failing = Cell(302, "?", True, ["changes Project 1"])
        self.assertEqual(verdict({key: failing}, {key: F1}, {}), "")
        self.assertIn("KNOWN cells that pass now", verdict({key: Cell(403, "", False)}, {key: F1}, {}))
        self.assertIn("KNOWN cells that are not in the matrix", verdict({}, {key: F1}, {}))
        self.assertIn("1 cells fail", verdict({key: Cell(302, "?", True, ["changes Project 1"])}, {}, {}))


def verdict(cells, known, urls):
    """The failure message of the matrix ("" when it passes): failing cells not in ``known``, ``known`` cells that
    pass (a fix is merged: remove them), and ``known`` cells the matrix no longer has. Marks the known cells."""
    failures, known_passing = [], []
    for key, cell in cells.items():
        if key in known:
            cell.known = True
            if not cell.problems:
                known_passing.append(f"{key}: {known[key]}")
        elif cell.problems:
            failures.append(" ".join(key) + f" {urls.get(key[0], '')}: " + "; ".join(cell.problems))
    message = []
    if failures:
        message.append(f"{len(failures)} cells fail:\n  " + "\n  ".join(failures))
    if known_passing:
        message.append("KNOWN cells that pass now (remove them from KNOWN):\n  " + "\n  ".join(known_passing))
    stale = [str(key) for key in known if key not in cells]
    if stale:
        message.append("KNOWN cells that are not in the matrix:\n  " + "\n  ".join(stale))
    return "\n".join(message)


def redirect_kind(status, location, url):
    """L: to the admin login, l: to the site's login, I: to the admin index, =: within the requested URL (a slash
    appended, change/ after an id), ?: elsewhere; "" for no redirect."""
    if status not in (301, 302, 303, 307, 308):
        return ""
    if location == reverse("admin:login"):
        return "L"
    if location == reverse("login"):
        return "l"
    if location == reverse("admin:index"):
        return "I"
    return "=" if location.startswith(urlsplit(url).path) else "?"


@dataclass
class Cell:
    status: int
    redirect: str
    changed: bool
    problems: list = field(default_factory=list)
    known: bool = False

    def __str__(self):
        flag = "x" if self.known else ("!" if self.problems else ("*" if self.changed else ""))
        return f"{self.status}{self.redirect}{flag}"


def matrix_table(cases, personas, cells, elapsed, vendor):
    """The printed matrix: a row per filled URL, a GET and a POST column per persona."""
    width = 5
    label_width = max(len(case.label) for case in cases)
    head = " " * label_width
    sub = " " * label_width
    for persona in personas:
        span = max(len(persona.name), 2 * width + 1)
        head += " | " + persona.name.ljust(span)
        sub += " | " + ("GET".ljust(width) + " POST").ljust(span)
    lines = [head, sub, "-" * len(head)]
    for case in cases:
        line = case.label.ljust(label_width)
        for persona in personas:
            span = max(len(persona.name), 2 * width + 1)
            get, post = (str(cells[case.label, persona.name, m]) for m in ("GET", "POST"))
            line += " | " + (get.ljust(width) + " " + post).ljust(span)
        lines.append(line)
    failing = sum(1 for cell in cells.values() if cell.problems and not cell.known)
    known = sum(1 for cell in cells.values() if cell.known)
    patterns = len({case.pattern.key for case in cases})
    lines += [
        "",
        f"{patterns} URL patterns filled as {len(cases)} rows × {len(personas)} personas × 2 methods = "
        f"{len(cells)} cells on {vendor} in {elapsed:.0f} s; {failing} failing, {known} known (KNOWN).",
        "Cell: status, then a redirect to L the admin login, l the login, I the admin index, = the same URL, "
        "? elsewhere; "
        "* database changed (allowed); ! check failed; x known finding (expected to fail).",
        "Rows: [A]/[B] the record of park A/B in the URL. Personas: viewer, viewer_staff, editor_a, nogroup are "
        "members of A; editor_b of B; editor_none and anonymous of none; administrator sees all (control).",
    ]
    return f"permission matrix ({vendor})", lines


@override_settings(PARKDASH_ANONYMOUS_READ=False)
class AdminExportPermissionTests(World, EnglishTestCase):
    """Found by the matrix: django-import-export lets every staff user export unless a permission code is set."""

    def export_url(self, model):
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")

    def export_form(self, model):
        """The export form of every field, as the administrator's page offers it."""
        self.client.force_login(self.administrator)
        form = self.client.get(self.export_url(model)).context["form"]
        data = {"format": CSV_FORMAT, "resource": 0}
        data.update({name: "on" for name, f in form.fields.items() if isinstance(f, forms.BooleanField)})
        return data

    def test_a_staff_user_without_view_permission_cannot_export_from_the_admin(self):
        for model in (Figure, Project, Enterprise, InfrastructureWork):
            with self.subTest(model=model.__name__):
                data = self.export_form(model)
                self.client.force_login(self.nogroup_a)
                self.assertEqual(self.client.get(self.export_url(model)).status_code, 403)
                response = self.client.post(self.export_url(model), data)
                self.assertEqual(response.status_code, 403)
                self.assertNotIn("甲园区", response_text(response))

    def test_a_viewer_with_staff_status_still_exports_its_park_from_the_admin(self):
        data = self.export_form(Project)
        self.client.force_login(self.viewer_staff_a)
        response = self.client.post(self.export_url(Project), data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("甲污水处理厂", response_text(response))
        self.assertNotIn("乙污水处理厂", response_text(response))

"""The form renderer: Django's own widget, label and error templates, rendered by Jinja2.

Django ships every form template twice, for its own template engine (django/forms/templates) and for Jinja2
(django/forms/jinja2), written to give the same HTML. A form page renders dozens of them (a template per widget,
per <option>, per label, per error list, attrs.html in each): Jinja2 compiles a template to Python, which renders
these several times faster than Django's engine walks its nodes. A template only Django's engine has (the admin's
widget templates, such as admin/widgets/related_widget_wrapper.html, or an app's own) is rendered by it, as
Django's default renderer does (settings.FORM_RENDERER; tests/core/test_renderers.py compares the two).

The HTML is Django's but for the blank lines between the <option>s of a <select>: values are escaped as Django
escapes them (&quot; and &#x27;, where Jinja2's MarkupSafe writes &#34; and &#39;).
"""

import functools
import hashlib
import html
import re
from pathlib import Path

import django.forms
from django.conf import settings
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.widgets import Media
from django.template import TemplateDoesNotExist
from django.template.backends.jinja2 import Jinja2
from django.template.backends.jinja2 import Template as Jinja2Template
from django.template.base import render_value_in_context
from django.templatetags.static import static
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext


@functools.cache
def jinja2_engine():
    """The Jinja2 engine of Django's form templates (django/forms/jinja2) and of the apps' jinja2 directories
    (none of ParkDash's own today)."""
    return Jinja2(
        {
            "APP_DIRS": True,
            "DIRS": [Path(django.forms.__file__).parent / Jinja2.app_dirname],
            "NAME": "parkdash-jinja2",
            # Every value is escaped by Django's escape() (a SafeString, which Jinja2 then leaves as it is).
            "OPTIONS": {"finalize": escape},
        }
    )


def template_text(value, context):
    """``{{ value }}`` as Django's template engine writes it in ``context``, for HTML written in Python (the
    overview's cards, the indicator page's rows, the table cells): a safe string as it is, a plain one escaped (no
    localization applies to a string), anything else through the engine (localised, escaped unless safe). Django's
    escape() checks its arguments for lazy strings, which cost as much as the escaping."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str and context.autoescape:
        return html.escape(value)
    return render_value_in_context(value, context)


def escape(value):
    """Django's ``conditional_escape(value)``: the same result, without its lazy-argument wrapper for the two kinds
    of value a form template prints most, a str and a SafeString (each a widget's attributes, labels, values)."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return SafeString(html.escape(value))  # what django.utils.html.escape() gives a str
    return conditional_escape(value)


_SPECIAL = re.compile("[&<>\"']")  # what html.escape() replaces


def escaped_text(value):
    """``str(conditional_escape(value))`` for HTML written into a string: a str without a character to escape is
    itself (a search costs less than the five replacements escape() makes and the SafeString it wraps them in)."""
    kind = type(value)
    if kind is SafeString:
        return value
    if kind is str:
        return value if _SPECIAL.search(value) is None else html.escape(value)
    return conditional_escape(value)


class Jinja2Renderer(BaseRenderer):
    """django.forms.renderers.Jinja2 writing what Django's engine writes (see the module's docstring)."""

    def get_template(self, template_name):
        return jinja2_engine().get_template(template_name)


class FormRenderer(BaseRenderer):
    """Jinja2 for the templates it has (django/forms/jinja2, apps' jinja2 directories), else Django's engine; the
    templates a form renders most written in Python (:data:`WRITTEN`)."""

    def __init__(self):
        self.jinja2 = Jinja2Renderer()
        self.django = DjangoTemplates()
        self._renderer_of = {}  # template name -> the renderer that has it (a miss costs a search of the directories)
        self._writer_of = {}  # template name -> the function writing it, or None (rendered)

    def get_template(self, template_name):
        renderer = self._renderer_of.get(template_name)
        if renderer is not None:
            return renderer.get_template(template_name)
        try:
            template = self.jinja2.get_template(template_name)
            renderer = self.jinja2
        except TemplateDoesNotExist:
            template = self.django.get_template(template_name)
            renderer = self.django
        self._renderer_of[template_name] = renderer
        return template

    def render(self, template_name, context, request=None):
        try:
            writer = self._writer_of[template_name]
        except KeyError:
            writer = self._writer_of[template_name] = self.writer(template_name)
        if writer is not None:
            try:
                html = writer(context)
            except (KeyError, TypeError, AttributeError):
                html = None  # a context unlike the one Django's widget gives (a third party's): the template's
            if html is not None:  # None: a context the writer leaves to the template
                return html
        return self.get_template(template_name).render(context, request=request).strip()

    def writer(self, template_name):
        """The function writing ``template_name`` (see :data:`WRITTEN`), while the template found by that name and
        those it includes are the ones it was written from; else None."""
        written = WRITTEN.get(template_name)
        if written is None:
            return None
        writer, sources = written
        try:
            if any(self.source_digest(name) != digest for name, digest in sources):
                return None
        except TemplateDoesNotExist:
            return None
        return writer

    def source_digest(self, template_name):
        """The SHA-256 (its first 16 hexadecimal digits) of the source of the template rendered by that name."""
        template = self.get_template(template_name)
        if isinstance(template, Jinja2Template):
            environment = jinja2_engine().env
            source = environment.loader.get_source(environment, template_name)[0]
        else:
            source = template.template.source
        return hashlib.sha256(source.encode()).hexdigest()[:16]


# The templates written in Python (below), each by the function that writes what the template writes: Django's form
# templates a form page renders dozens of times (a label, an <input>, a <select> and its options, an error list)
# and the admin's related-object links around a select. A writer is used only while the template it stands for is
# the very one it was written from (its source's SHA-256 below; a Django upgrade that changes it gives the template
# back its place); tests/core/test_renderers.py compares each with its template, for every context the project's
# forms give them.
def attrs_html(attrs):
    """django/forms/widgets/attrs.html (and django/forms/attrs.html): each attribute in the dict's order, ``True`` as
    its bare name, ``False`` left out (by identity, as Jinja2's ``sameas``). flatatt() sorts them, booleans last: not
    the same bytes once a field has errors."""
    return "".join(
        [
            (" " + escaped_text(name))
            if value is True
            else (" " + escaped_text(name) + '="' + escaped_text(value) + '"')
            for name, value in attrs.items()
            if value is not False
        ]
    )


def _label(context):
    label = escaped_text(context["label"])
    if not context["use_tag"]:
        return label
    tag = escaped_text(context["tag"])
    attrs = context["attrs"]
    return "<" + tag + (attrs_html(attrs) if attrs else "") + ">" + label + "</" + tag + ">"


def _input(context):
    widget = context["widget"]
    value = widget["value"]
    return (
        '<input type="'
        + escaped_text(widget["type"])
        + '" name="'
        + escaped_text(widget["name"])
        + ('"' if value is None else '" value="' + escaped_text(value) + '"')
        + attrs_html(widget["attrs"])
        + ">"
    )


_OPTION = "django/forms/widgets/select_option.html"


def _option(option):
    return (
        '<option value="'
        + escaped_text(option["value"])
        + '"'
        + attrs_html(option["attrs"])
        + ">"
        + escaped_text(option["label"])
        + "</option>"
    )


def _select(context):
    widget = context["widget"]
    parts = ['<select name="', escaped_text(widget["name"]), '"', attrs_html(widget["attrs"]), ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append('\n  <optgroup label="' + escaped_text(group_name) + '">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None  # an option of another template: the select's template includes it
            parts.append("\n  " + _option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _textarea(context):
    widget = context["widget"]
    value = widget["value"]
    return (
        '<textarea name="'
        + escaped_text(widget["name"])
        + '"'
        + attrs_html(widget["attrs"])
        + ">\n"
        + (escaped_text(value) if value else "")
        + "</textarea>"
    )


def _errors(context):
    errors = context["errors"]
    if not errors:
        return ""
    field_id = getattr(errors, "field_id", None)
    return (
        '<ul class="'
        + escaped_text(context["error_class"])
        + ('"' if not field_id else '" id="' + escaped_text(field_id) + '_error"')
        + ">"
        + "".join(["<li>" + escaped_text(error) + "</li>" for error in errors])
        + "</ul>"
    )


def _related_link(kind, name, href_attribute, url, popup, title, icon):
    return (
        '<a class="related-widget-wrapper-link '
        + kind
        + '-related" id="'
        + kind
        + "_id_"
        + name
        + '"\n            '
        + (
            href_attribute + '="' + url + '"\n            data-popup="yes"\n            '
            if popup == "after"
            else 'data-popup="yes"\n            ' + href_attribute + '="' + url + '"\n            '
        )
        + 'title="'
        + title
        + '"><img src="'
        + escaped_text(static_url("admin/img/icon-" + icon + ".svg"))
        + '" alt="" width="24" height="24"></a>'
    )


def _related_widget_wrapper(context):
    """django/contrib/admin/templates/admin/widgets/related_widget_wrapper.html, rendered by Django's engine (its
    {% spaceless %} and {% blocktranslate %} spelled out: the model's name escaped into the translated title)."""
    name = escaped_text(context["name"])
    model = escaped_text(context["model"])
    params = escaped_text(context["url_params"])
    links = []
    if not context["is_hidden"]:
        if context["can_change_related"]:
            url = escaped_text(context["change_related_template_url"]) + "?" + params
            title = gettext("Change selected %(model)s") % {"model": model}
            links.append(_related_link("change", name, "data-href-template", url, "after", title, "changelink"))
        if context["can_add_related"]:
            url = escaped_text(context["add_related_url"]) + "?" + params
            title = gettext("Add another %(model)s") % {"model": model}
            links.append(_related_link("add", name, "href", url, "before", title, "addlink"))
        if context["can_delete_related"]:
            url = escaped_text(context["delete_related_template_url"]) + "?" + params
            title = gettext("Delete selected %(model)s") % {"model": model}
            links.append(_related_link("delete", name, "data-href-template", url, "after", title, "deletelink"))
        if context["can_view_related"]:
            url = (
                escaped_text(context["change_related_template_url"])
                + "?"
                + escaped_text(context["view_related_url_params"])
            )
            title = gettext("View selected %(model)s") % {"model": model}
            links.append(
                '<a class="related-widget-wrapper-link view-related" id="view_id_'
                + name
                + '"\n             data-href-template="'
                + url
                + '"\n             title="'
                + title
                + '"><img src="'
                + escaped_text(static_url("admin/img/icon-viewlink.svg"))
                + '" alt="" width="24" height="24"></a>'
            )
    reference = (
        "" if context["model_has_limit_choices_to"] else 'data-model-ref="' + escaped_text(context["model_name"]) + '"'
    )
    return (
        '<div class="related-widget-wrapper" '
        + reference
        + ">\n    "
        + escaped_text(context["rendered_widget"])
        + "\n    \n        "
        + "".join(links)
        + "\n    \n</div>"
    )


_ATTRS = ("django/forms/widgets/attrs.html", "fc9d8ff803a91c58")
_INPUT = [("django/forms/widgets/input.html", "bb5d9f65d7beba09"), _ATTRS]
_INCLUDES_INPUT = "7d7a5bc4ccc075bb"  # {% include "django/forms/widgets/input.html" %}
_INPUTS = ("checkbox", "color", "date", "datetime", "email", "hidden", "number", "password", "search", "tel", "text")
_INPUTS += ("time", "url")

# Template name -> (the function writing it, [(the name of a template it stands for, its source's digest), …]).
WRITTEN = {
    "django/forms/label.html": (
        _label,
        [("django/forms/label.html", "b6b5e8eb21787b30"), ("django/forms/attrs.html", "4c3d2534afa88438")],
    ),
    "django/forms/widgets/input.html": (_input, _INPUT),
    **{
        f"django/forms/widgets/{kind}.html": (_input, [(f"django/forms/widgets/{kind}.html", _INCLUDES_INPUT), *_INPUT])
        for kind in _INPUTS
    },
    "django/forms/widgets/select.html": (
        _select,
        [
            ("django/forms/widgets/select.html", "112c83cdb2d3b4ce"),
            ("django/forms/widgets/select_option.html", "b4d6b50f71bc8b2d"),
            _ATTRS,
        ],
    ),
    "django/forms/widgets/textarea.html": (
        _textarea,
        [("django/forms/widgets/textarea.html", "02fd58fa1a57514d"), _ATTRS],
    ),
    "django/forms/errors/list/default.html": (
        _errors,
        [
            ("django/forms/errors/list/default.html", "ab8d5de2ee977310"),
            ("django/forms/errors/list/ul.html", "bcae7f15e13bc395"),
        ],
    ),
    "django/forms/errors/list/ul.html": (_errors, [("django/forms/errors/list/ul.html", "bcae7f15e13bc395")]),
    "admin/widgets/related_widget_wrapper.html": (
        _related_widget_wrapper,
        [("admin/widgets/related_widget_wrapper.html", "6b7096bee4ed6fa8")],
    ),
}


_STATIC_URLS = {}


def static_url(path):
    """``{% static path %}``: the storage's URL of a static file, found once per process (the storage, its manifest
    and STATIC_URL with the script prefix it is read with do not change while a process runs; a test's
    override_settings of STATIC_URL gives other keys)."""
    key = (path, settings.STATIC_URL)
    url = _STATIC_URLS.get(key)
    if url is None:
        url = _STATIC_URLS[key] = static(path)
    return url


class CachedMedia(Media):
    """A page's Media whose HTML (``{{ media }}``: the lists merged, each path made a URL) is written once per
    process for the same lists of files, which depend only on the form and admin classes (widgets' Media)."""

    KEPT = 256
    _html = {}

    def render(self):
        key = self.key()
        if key is None:
            return super().render()
        html = self._html.get(key)
        if html is None:
            html = super().render()
            if len(self._html) >= self.KEPT:
                self._html.clear()
            self._html[key] = html
        return html

    def key(self):
        """The lists of files as a key (with STATIC_URL), or None for a list with anything but path strings (an
        asset object with attributes of its own)."""
        js = tuple(tuple(paths) for paths in self._js_lists)
        css = tuple(tuple((medium, tuple(paths)) for medium, paths in lists.items()) for lists in self._css_lists)
        if not all(type(path) is str for paths in js for path in paths):
            return None
        if not all(type(path) is str for lists in css for _medium, paths in lists for path in paths):
            return None
        return settings.STATIC_URL, js, css


def cached_media(media):
    """``media`` (a Media) as a :class:`CachedMedia`."""
    cached = CachedMedia()
    cached._css_lists, cached._js_lists = media._css_lists, media._js_lists
    return cached

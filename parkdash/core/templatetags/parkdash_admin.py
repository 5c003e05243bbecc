"""The admin's fieldsets written in Python (templates/admin/includes/fieldset.html).

Django's admin/includes/fieldset.html is a loop of tests and lookups per field: on the figure form it cost more
than the widgets it places, and a Jinja2 version of it still half the page. :func:`fieldset_html` writes what
Django's template writes, line for line and space for space (tests/core/test_renderers.py compares the two on forms
taking every branch of the template, tests/indicators/test_admin_render.py on the figure admin's pages).
"""

from django import template
from django.contrib.admin.helpers import AdminField, AdminReadonlyField
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from parkdash.core.renderers import escaped_text as escape

register = template.Library()

# What Django's change_form.html and edit_inline/stacked.html give the fieldset template ({% include … with … %}).
FIELDSET_CONTEXT = ("fieldset", "heading_level", "prefix", "id_prefix", "id_suffix")


@register.simple_tag(takes_context=True)
def admin_fieldset(context):
    """The fieldset in ``context`` (with its heading level and the prefixes of its heading's id), as Django's
    admin/includes/fieldset.html writes it. A name the include did not give stays undefined, as in Django's."""
    values = {name: context[name] for name in FIELDSET_CONTEXT if name in context}
    return mark_safe(fieldset_template().render(values))


class PythonFieldset:
    """The fieldset template's stand-in: ``render(values)`` as a template's."""

    @staticmethod
    def render(values):
        return fieldset_html(values)


def fieldset_template():
    """What renders the fieldset (tests put Django's template in its place)."""
    return PythonFieldset


def _value(values, name):
    """``{{ name }}``: the value escaped, or nothing for a name not given (Django's engine writes "" for it)."""
    return escape(values[name]) if name in values else ""


def _field_attribute(field, name):
    """``field.field.<name>``: a bound field's attribute, or a read-only field's entry (a dict), or None."""
    if type(field) is dict:
        return field.get(name)
    return getattr(field, name, None)


def fieldset_html(values):
    """Django's admin/includes/fieldset.html (5.2) for ``values`` (FIELDSET_CONTEXT), without its final newline."""
    fieldset = values["fieldset"]
    name = fieldset.name
    out = ['<fieldset class="module aligned ', escape(fieldset.classes), '"']
    heading_id = _value(values, "prefix") + "-" + _value(values, "id_prefix") + "-" + _value(values, "id_suffix")
    heading_id += "-heading"
    if name:
        out += [' aria-labelledby="', heading_id, '"']
    out.append(">\n    ")
    if name:
        level = escape(values.get("heading_level") or 2)
        collapsible = fieldset.is_collapsible
        out.append("\n        <details><summary>\n        <h" if collapsible else "\n        \n        <h")
        out += [level, ' id="', heading_id, '" class="fieldset-heading">', escape(name), "</h", level, ">\n        "]
        out.append("</summary>\n    " if collapsible else "\n    ")
    out.append("\n    ")
    if fieldset.description:
        out += ['\n        <div class="description">', str(fieldset.description), "</div>\n    "]
    any_errors = fieldset.form.errors  # a form without errors: every error list below writes nothing
    # Translators' punctuation that keeps a label from its suffix (BoundField.label_tag), looked up once.
    punctuation = gettext(":?.!")
    out.append("\n    ")
    for line in fieldset:
        single = len(line.fields) == 1
        line_errors = line.errors() if any_errors and single else ""
        fields = list(line)
        names = [_field_attribute(field.field, "name") for field in fields]
        out.append('\n        <div class="form-row')
        if line_errors:
            out.append(" errors")
        if not line.has_visible_field:
            out.append(" hidden")
        for field_name in names:
            if field_name:
                out += [" field-", escape(field_name)]
        out.append('">\n            ')
        out.append(escape(line_errors) if single else '<div class="flex-container form-multiline">')
        out.append("\n            ")
        for field, field_name in zip(fields, names):
            _write_field(out, field, field_name, single, any_errors, punctuation)
        out.append("\n            " if single else "\n            </div>")
        out.append("\n        </div>\n    ")
    out.append("\n    ")
    if name and fieldset.is_collapsible:
        out.append("</details>")
    out.append("\n</fieldset>")
    return "".join(out)


def _write_field(out, field, field_name, single, any_errors, punctuation):
    """One field of a line (an AdminField or an AdminReadonlyField), as the template's inner loop writes it."""
    bound = field.field
    readonly = field.is_readonly
    hidden = _field_attribute(bound, "is_hidden")
    out.append("\n                <div>\n                    ")
    if any_errors and not single and not readonly:
        out.append(escape(field.errors()))
    out.append('\n                        <div class="flex-container')
    if not single:
        out.append(" fieldBox")
        if field_name:
            out += [" field-", escape(field_name)]
        if any_errors and not readonly and field.errors():
            out.append(" errors")
        if hidden:
            out.append(" hidden")
    if field.is_checkbox:
        out += [' checkbox-row">\n                            \n                                ', escape(bound)]
        out += [label_tag(field, punctuation), "\n                            "]
    else:
        out += ['">\n                            \n                                ', label_tag(field, punctuation)]
        if readonly:
            out += ['\n                                \n                                    <div class="readonly">']
            out += [escape(field.contents()), "</div>\n                                "]
        else:
            out += ["\n                                \n                                    ", escape(bound)]
            out.append("\n                                ")
        out.append("\n                            ")
    out.append("\n                        </div>\n                    ")
    help_text = _field_attribute(bound, "help_text")
    if help_text:
        out.append('\n                        <div class="help')
        if hidden:
            out.append(" hidden")
        out.append('"')
        id_for_label = _field_attribute(bound, "id_for_label")
        if id_for_label:
            out += [' id="', escape(id_for_label), '_helptext"']
        out += [
            ">\n                            <div>",
            str(help_text),
            "</div>\n                        </div>\n                    ",
        ]
    out.append("\n                </div>\n            ")


def label_tag(field, punctuation):
    """``field.label_tag()``: for an AdminField of a form's BoundField, what AdminField.label_tag and
    BoundField.label_tag (Django 5.2) work out, without their wrappers (``punctuation``: ``gettext(":?.!")``); for
    an AdminReadonlyField, what its label_tag writes."""
    bound = field.field
    if type(field) is AdminReadonlyField:
        # AdminReadonlyField.label_tag: format_html("<label{}>{}{}</label>", flatatt(attrs), capfirst(label), suffix).
        attrs = "" if field.is_first else ' class="inline"'
        label = escape(capfirst(bound["label"])) + escape(field.form.label_suffix)
        return SafeString("<label" + attrs + ">" + label + "</label>")
    if type(field) is not AdminField or type(bound) is not BoundField:
        return escape(field.label_tag())
    formfield, form, checkbox = bound.field, bound.form, field.is_checkbox
    classes = []
    if checkbox:
        classes.append("vCheckboxLabel")
    if formfield.required:
        classes.append("required")
    if not field.is_first:
        classes.append("inline")
    attrs = {"class": " ".join(classes)} if classes else {}
    contents = SafeString(escape(bound.label)) or bound.label  # mark_safe(conditional_escape(label))
    suffix = formfield.label_suffix if formfield.label_suffix is not None else form.label_suffix
    suffix = "" if checkbox else suffix  # a checkbox's label follows it: no suffix
    if suffix and contents and contents[-1] not in punctuation:
        contents = SafeString(escape(contents) + escape(suffix))
    widget = formfield.widget
    id_ = widget.attrs.get("id") or bound.auto_id
    if id_:
        id_for_label = widget.id_for_label(id_)
        if id_for_label:
            attrs = {**attrs, "for": id_for_label}
        if formfield.required and hasattr(form, "required_css_class"):
            if "class" in attrs:
                attrs["class"] += " " + form.required_css_class
            else:
                attrs["class"] = form.required_css_class
    context = {"field": bound, "label": contents, "attrs": attrs, "use_tag": bool(id_), "tag": "label"}
    return form.render(form.template_name_label, context)

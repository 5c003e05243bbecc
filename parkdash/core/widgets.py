"""A <select> rendered in Python.

Django renders every <option> through a template include, about 0.2 ms each: the park list of a city with 250
parks cost 50 ms a page, more than the rest of the page. The markup is the same as Django's templates'.
"""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe


def options_html(options):
    """``<option>``s from ``(value, label, selected)`` triples, escaped as Django escapes."""
    return mark_safe(
        "".join(
            '<option value="{}"{}>{}</option>'.format(_escape(value), " selected" if selected else "", _escape(label))
            for value, label, selected in options
        )
    )


def _escape(value):
    # conditional_escape() without its lazy-argument wrapper, the bulk of its cost here.
    return value if isinstance(value, SafeData) else html.escape(str(value))


class QuickSelect(forms.Select):
    """A single-choice Select whose options are written in Python rather than one template include each."""

    def get_context(self, name, value, attrs):
        # The widget's own context only: Select's would also build a dict per option (optgroups()).
        return forms.Widget.get_context(self, name, value, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        chosen = set(widget["value"])

        def triples(choices):
            return [(str(v), label, str(v) in chosen) for v, label in choices]

        parts = []
        for value_, label in self.choices:
            if isinstance(label, (list, tuple)):  # an optgroup: (group name, [(value, label), …])
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value_, options_html(triples(label))))
            elif parts and isinstance(parts[-1], list):
                parts[-1].append((value_, label))
            else:
                parts.append([(value_, label)])
        body = "".join(options_html(triples(part)) if isinstance(part, list) else part for part in parts)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), mark_safe(body))

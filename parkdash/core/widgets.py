"""A <select> rendered in Python.

Django renders every <option> through a template include, about 0.2 ms each: the park list of a city with 250
parks cost 50 ms a page, more than the rest of the page. The markup is the same as Django's templates'.
"""

import html
import re

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe


def options_html(options):
    """``<option>``s from ``(value, label, selected)`` triples, escaped as Django escapes."""
    return mark_safe("".join([_option(value, label, selected) for value, label, selected in options]))


def _option(value, label, selected):
    return '<option value="' + _escape(value) + ('" selected>' if selected else '">') + _escape(label) + "</option>"


def attrs_html(attrs):
    """A tag's attributes as Django's widgets/attrs.html writes them: in the dict's order, ``True`` as the bare name,
    ``False`` left out (flatatt() sorts them, booleans last: not the same bytes once a field has errors)."""
    return mark_safe(
        "".join(
            " {}".format(_escape(name)) if value is True else ' {}="{}"'.format(_escape(name), _escape(value))
            for name, value in attrs.items()
            if value is not False
        )
    )


_SPECIAL = re.compile("[&<>\"']")  # what html.escape() replaces


def _escape(value):
    # conditional_escape() without its lazy-argument wrapper, the bulk of its cost here.
    if type(value) is str:  # most are; searching them takes half the time escape() does, and finds nothing
        return value if _SPECIAL.search(value) is None else html.escape(value)
    return value if isinstance(value, SafeData) else html.escape(str(value))


def _plain(choices):
    """Whether ``choices`` is a list of ``(value, label)`` tuples whose labels are strings (or lazy ones): what
    Django's normalize_choices() gives back unchanged, item for item."""
    return isinstance(choices, list) and all(
        type(choice) is tuple and len(choice) == 2 and isinstance(choice[1], (str, Promise)) for choice in choices
    )


class QuickSelect(forms.Select):
    """A single-choice Select whose options are written in Python rather than one template include each.

    Choices given as a callable (the table filters' park, zone and indicator lists) are read from what it returns:
    Django's CallableChoiceIterator normalizes every option again each time the choices are read (twice a
    rendering, the first time for the ``required`` attribute), a match against five kinds per label."""

    def pairs(self):
        """The choices as ``(value, label)`` pairs, as iterating ``self.choices`` gives them."""
        choices = self.choices
        if isinstance(choices, CallableChoiceIterator):
            raw = choices.func()
            if _plain(raw):
                return raw
        return choices

    def use_required_attribute(self, initial):
        # Select's: no ``required`` unless the first option is the empty one (invalid HTML otherwise).
        first = next(iter(self.pairs()), None)
        return (
            forms.Widget.use_required_attribute(self, initial)
            and first is not None
            and self._choice_has_empty_value(first)
        )

    def get_context(self, name, value, attrs):
        # The widget's own context only: Select's would also build a dict per option (optgroups()).
        return forms.Widget.get_context(self, name, value, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        chosen = set(widget["value"])
        parts = []
        for value_, label in self.pairs():
            if isinstance(label, (list, tuple)):  # an optgroup: (group name, [(value, label), …])
                options = "".join([_option(str(v), text, str(v) in chosen) for v, text in label])
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value_, mark_safe(options)))
            else:
                text = str(value_)
                parts.append(_option(text, label, text in chosen))
        body = "".join(parts)
        attrs = attrs_html(widget["attrs"])
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attrs, mark_safe(body))

"""A <select> rendered in Python.

Django renders every <option> through a template include, about 0.2 ms each: the park list of a city with 250
parks cost 50 ms a page, more than the rest of the page. The markup is the same as Django's templates'.
"""

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from parkdash.core.renderers import attrs_html, escaped_text


def options_html(options):
    """``<option>``s from ``(value, label, selected)`` triples, escaped as Django escapes."""
    return mark_safe("".join([_option(value, label, selected) for value, label, selected in options]))


def _option(value, label, selected):
    return (
        '<option value="'
        + escaped_text(value)
        + ('" selected>' if selected else '">')
        + escaped_text(label)
        + "</option>"
    )


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
        attrs = mark_safe(attrs_html(widget["attrs"]))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attrs, mark_safe(body))

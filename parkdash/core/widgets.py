"""A <select> rendered in Python.

Django renders every <option> through a template include, about 0.2 ms each: the park list of a city with 250
parks cost 50 ms a page, more than the rest of the page. The markup is the same as Django's templates'.
"""

import html

from django import forms
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django_filters.fields import ChoiceIterator

from parkdash.core.renderers import attrs_html, escaped_text

_LAZY = type(gettext_lazy(""))  # the kind of every gettext_lazy() string
_SPECIAL = "&<>\"'"  # what html.escape() replaces


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
    Django's normalize_choices() gives back unchanged, item for item. Checked by the kinds of the items and labels
    (a few) rather than item by item: a city's park list has hundreds."""
    if not isinstance(choices, list) or not {type(choice) for choice in choices} <= {tuple}:
        return False
    try:
        kinds = {type(label) for _value, label in choices}
    except ValueError:  # a tuple of another length than two
        return False
    return all([issubclass(kind, (str, Promise)) for kind in kinds])


def _escaped(texts):
    """``escaped_text()`` of each of ``texts`` (strings): themselves unless one of them has a character to escape,
    else escaped together (one escape() of them joined by a character it leaves as it is), or one by one when that
    character is one of theirs."""
    joined = "\x00".join(texts)
    if not any([char in joined for char in _SPECIAL]):
        return texts
    if joined.count("\x00") == len(texts) - 1:
        return html.escape(joined).split("\x00")
    return [html.escape(text) for text in texts]


def _texts(pairs):
    """``(values, written values, written labels)`` of ``pairs`` when every value is written as a ``str`` and every
    label is a ``str`` or a lazy one (no group, no safe string, nothing Django's escape() would treat otherwise), else
    None: the text of their ``<option>``s as :meth:`QuickSelect.options` writes them one by one."""
    try:
        values = [str(value) for value, _label in pairs]
    except (TypeError, ValueError):
        return None
    labels = [label for _value, label in pairs]
    kinds = {type(label) for label in labels}
    if _LAZY in kinds:
        labels = [str(label) if type(label) is _LAZY else label for label in labels]
        kinds = {type(label) for label in labels}
    if not kinds <= {str} or not {type(value) for value in values} <= {str}:
        return None
    return values, _escaped(values), _escaped(labels)


def _options_of(texts, chosen):
    values, written, labels = texts
    return "".join(
        [
            '<option value="' + text + ('" selected>' if value in chosen else '">') + label + "</option>"
            for value, text, label in zip(values, written, labels)
        ]
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

    def kept_texts(self, choices):
        """:func:`_texts` of a choice filter's choices (django-filter's ChoiceIterator over a list of its class, the
        same for every request, whose lazy labels cost 40 calls each to translate), kept per language until the
        choices are replaced."""
        language = get_language()
        kept = self.__dict__.get("_texts")
        if kept is not None and kept[0] is choices and kept[1] == language:
            return kept[2]
        texts = _texts(list(choices))
        self._texts = (choices, language, texts)  # a tuple, replaced, never changed: a copy of the widget keeps its own
        return texts

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
        # The options written as one list (_texts): a city's park list, hundreds of options, costs a few joins and
        # searches rather than a few calls an option. The choices are read once (a queryset's: one query).
        choices = self.choices
        if type(choices) is ChoiceIterator:
            texts = self.kept_texts(choices)
            pairs = None if texts is not None else list(choices)
        else:
            pairs = self.pairs()
            pairs = pairs if type(pairs) is list else list(pairs)
            texts = _texts(pairs)
        body = self.options(pairs, chosen) if texts is None else _options_of(texts, chosen)
        attrs = mark_safe(attrs_html(widget["attrs"]))
        return format_html('<select name="{}"{}>{}</select>', widget["name"], attrs, mark_safe(body))

    @staticmethod
    def options(pairs, chosen):
        parts = []
        for value_, label in pairs:
            if isinstance(label, (list, tuple)):  # an optgroup: (group name, [(value, label), …])
                options = "".join([_option(str(v), text, str(v) in chosen) for v, text in label])
                parts.append(format_html('<optgroup label="{}">{}</optgroup>', value_, mark_safe(options)))
            else:
                text = str(value_)
                parts.append(_option(text, label, text in chosen))
        return "".join(parts)

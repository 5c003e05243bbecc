"""Forms of figures: plausibility warnings a person confirms before a figure is saved."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import quality

CONFIRM_FIELD = "confirm_warnings"
SHOWN_FIELD = "warnings_shown"


def signature(warnings, value):
    """What a confirmation is about: the warnings' codes and the value they were shown for."""
    return ",".join(sorted({warning.code for warning in warnings})) + "@" + ("" if value is None else str(value))


class PlausibilityConfirmMixin(forms.Form):
    """Mixed into a figure's ModelForm before it: a valid figure with plausibility warnings (plausibility.py) is not
    saved; the form comes back with them and an "I checked these figures" checkbox. Saved with the box ticked for
    exactly the warnings shown, the warnings are kept as confirmed (``confirmed_warnings``, for the admin to keep
    once the figure is saved)."""

    confirm_warnings = forms.BooleanField(
        label=gettext_lazy("I checked these figures"),
        required=False,
        widget=forms.HiddenInput,
        help_text=gettext_lazy("Tick this box and save again to keep the figure with these warnings:"),
    )
    warnings_shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.plausibility_warnings = []
        self.confirmed_warnings = []

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        instance = self.instance
        warnings = quality.warnings_for(instance)
        if instance.pk is not None:
            warnings = quality.unconfirmed(instance, warnings)
        if not warnings:
            return
        self.plausibility_warnings = warnings
        shown = self.cleaned_data.get(SHOWN_FIELD) or ""
        if self.cleaned_data.get(CONFIRM_FIELD) and shown == signature(warnings, instance.value):
            self.confirmed_warnings = warnings
            return
        self.add_error(
            None,
            ValidationError(
                [warning.message for warning in warnings]
                + [
                    _(
                        "Nothing was saved. If the figures are right, tick “I checked these figures” below and save "
                        "again; the warnings are then kept with the figure."
                    )
                ]
            ),
        )
        # Shown again with the checkbox, unticked, for exactly these warnings, repeated under it (the admin shows a
        # help text unescaped: escaped here).
        confirm = self.fields[CONFIRM_FIELD]
        confirm.widget = forms.CheckboxInput()
        confirm.help_text = format_html(
            '{}<ul class="plausibility-warnings">{}</ul>',
            confirm.help_text,
            format_html_join("", "<li>{}</li>", ((warning.message,) for warning in warnings)),
        )
        self._bound_fields_cache.pop(CONFIRM_FIELD, None)  # bound before: it would keep the hidden input and text
        self.data = self.data.copy()
        self.data.pop(self.add_prefix(CONFIRM_FIELD), None)
        self.data[self.add_prefix(SHOWN_FIELD)] = signature(warnings, instance.value)

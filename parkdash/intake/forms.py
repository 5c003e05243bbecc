"""Upload and review forms of the work-summary import."""

import io
import zipfile
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formsets
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from parkdash.core import uploads
from parkdash.core.models import YEAR_MAX, YEAR_MESSAGE, YEAR_MIN
from parkdash.core.numbers import unit_label

from . import extract, services
from .models import Candidate, WorkSummary


def read_docx(data):
    """The paragraphs (and table cells) of a .docx file as text, or DecodeError for anything else."""
    import docx  # python-docx

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise extract.DecodeError(_("This is not a .docx file (Word 2007 or later). Save it as .docx or .txt."))
    try:
        uploads.check_zip(data, uploads.WORD_DOCUMENT)
    except uploads.UploadRejected as exc:
        raise extract.DecodeError(str(exc)) from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for damaged files
        raise extract.DecodeError(_("The .docx file could not be read: %(error)s") % {"error": exc}) from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    text = "\n".join(lines)
    if not text.strip():
        raise extract.DecodeError(_("The .docx file contains no text."))
    return text


MONTH_UNREADABLE = _(
    "The reporting period cannot be read from the summary (no 1-10月, 上半年 … that ends in a month): choose the "
    "month its figures run through."
)


class UploadForm(forms.ModelForm):
    """Upload a .txt or .docx work summary, or paste its text; the year is proposed from the text if left empty."""

    upload = forms.FileField(label=_("File"), required=False)
    pasted = forms.CharField(label=_("Or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    class Meta:
        model = WorkSummary
        fields = ("park", "year", "month", "plan_year", "title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(".txt (UTF-8 or GB18030/GBK, detected) or .docx, at most %(limit)s MB.") % {
            "limit": uploads.limit_mb()
        }
        self.fields["year"].required = False
        self.fields["year"].help_text = _("Leave empty to take the year named in the summary.")
        # No month chosen by default: the one the text names is taken (1-10月 → 10), and a text that names none
        # is sent back with the question, rather than stored silently as January's.
        self.fields["month"].required = False
        self.fields["month"].widget = forms.Select(choices=[("", _("From the text"))] + [(m, m) for m in range(1, 13)])
        self.fields["month"].help_text = _(
            "Leave it on “From the text” to take the period the summary names (1-10月 → 10, 上半年 → 6)."
        )
        self.fields["plan_year"].help_text = _("Leave empty: the next year for summaries written from October on.")

    def clean(self):
        cleaned = super().clean()
        upload, pasted = cleaned.get("upload"), (cleaned.get("pasted") or "").strip()
        if upload and pasted:
            raise forms.ValidationError(_("Upload a file or paste the text, not both."))
        if not upload and not pasted:
            raise forms.ValidationError(_("Upload a file or paste the text of the summary."))
        if upload:
            cleaned["text"], cleaned["encoding"] = self.read_upload(upload)
            cleaned["file_name"] = upload.name[:255]
        else:
            cleaned["text"], cleaned["encoding"], cleaned["file_name"] = pasted, "", ""
        try:
            uploads.check_summary_text(cleaned["text"])
        except uploads.UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        if not cleaned.get("year"):
            year = extract.propose_year(cleaned["text"])
            if year is None:
                self.add_error("year", _("The summary names no year: enter it."))
            cleaned["year"] = year
        if cleaned.get("year") and not YEAR_MIN <= cleaned["year"] <= YEAR_MAX:
            self.add_error("year", YEAR_MESSAGE)
        if cleaned.get("year") and not self.errors:
            # Extracted here, once, so that a summary with more figures than a review page shows is refused with
            # the form (the admin's save_model hands the result to services.propose).
            self.found = services.find(cleaned["text"], cleaned["year"], park=cleaned.get("park"))
            try:
                uploads.check_candidates(len(self.found))
            except uploads.UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from None
            if not cleaned.get("month"):
                cleaned["month"] = services.propose_month(self.found)
                if cleaned["month"] is None:
                    self.add_error("month", MONTH_UNREADABLE)
        return cleaned

    def read_upload(self, upload):
        try:
            uploads.check_size(upload)
        except uploads.UploadRejected as exc:
            raise forms.ValidationError(str(exc)) from None
        name = upload.name.lower()
        data = upload.read()
        try:
            if name.endswith(".docx"):
                return read_docx(data), "docx"
            if name.endswith(".txt"):
                text = extract.decode(data)
                return text, _guess_encoding(data)
        except extract.DecodeError as exc:
            raise forms.ValidationError(str(exc)) from None
        raise forms.ValidationError(
            _("Only .txt and .docx files can be read; “%(name)s” is neither.") % {"name": upload.name}
        )


def _guess_encoding(data):
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


class QuickInput(forms.TextInput):
    """An <input> rendered with one format_html call instead of a template: a review page has thousands."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "type": self.input_type, "name": name})
        value = self.format_value(value)
        if value is not None:
            final["value"] = value
        return format_html("<input{}>", flatatt(final))


class QuickNumberInput(QuickInput):
    """A number as people write it: 1696, not the 1696.0000 of a four-place decimal field."""

    def format_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return super().format_value(value)


class QuickHiddenInput(QuickInput):
    input_type = "hidden"


class QuickCheckbox(forms.CheckboxInput):
    """A checkbox rendered with one format_html call (see QuickInput)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, {**(attrs or {}), "type": "checkbox", "name": name})
        if self.check_test(value):
            final["checked"] = True
        return format_html("<input{}>", flatatt(final))


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ("selected", "indicator", "zone", "kind", "value", "unit", "yoy_pct", "apply_record")
        widgets = {
            "selected": QuickCheckbox(),
            # Each row's fields are named by the column heading, which a phone hides: labelled here as well.
            "value": QuickNumberInput(attrs={"size": 8, "aria-label": _("Value")}),
            "unit": QuickInput(attrs={"size": 5, "aria-label": _("Unit")}),
            "yoy_pct": QuickNumberInput(attrs={"size": 5, "aria-label": _("YoY %")}),
            "apply_record": QuickCheckbox(),
        }

    def _get_validation_exclusions(self):
        # The indicator and the zone were looked up among the existing ones by their PrefetchedChoiceFields: the
        # model's own check would ask the database again, for every candidate of the page.
        exclude = super()._get_validation_exclusions()
        for name in ("indicator", "zone"):
            if isinstance(self.fields.get(name), PrefetchedChoiceField):
                exclude.add(name)
        return exclude


PAGE_OUT_OF_DATE = _(
    "This page no longer matches the figures of the summary: nothing was saved. Reload the page "
    "and make your choices again."
)


class ReviewFormSet(forms.BaseModelFormSet):
    """The summary's candidates, edited in place: none added, none left out."""

    default_error_messages = {"too_many_forms": PAGE_OUT_OF_DATE}

    def clean(self):
        super().clean()
        # A form beyond the candidates (TOTAL_FORMS raised by hand) would create a candidate of no summary, an
        # INITIAL_FORMS lowered by hand would turn candidates into new ones that are never saved, and a candidate
        # id of another summary leaves its form without an instance of this one.
        expected = len(self.get_queryset())
        posted = self.management_form.cleaned_data.get(formsets.TOTAL_FORM_COUNT)
        if (
            self.initial_form_count() != expected
            or posted != expected
            or any(form.instance.pk is None for form in self.forms)
        ):
            raise forms.ValidationError(PAGE_OUT_OF_DATE)


class PrefetchedChoiceField(forms.ModelChoiceField):
    """A model choice looked up in a dict made once for the whole review page, not with a query per form."""

    def __init__(self, objects, **kwargs):
        self.objects = objects
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self.objects[str(value)]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            ) from None


class QuickSelect(forms.Select):
    """A <select> whose options are rendered once for the whole review page: Django renders every option of every
    select through a template, and a page of 500 figures has 1,500 selects."""

    def __init__(self, choices, attrs=None):
        super().__init__(attrs, choices)
        self.options = [
            (
                str(value),
                format_html('<option value="{}">{}</option>', value, label),
                format_html('<option value="{}" selected>{}</option>', value, label),
            )
            for value, label in choices
        ]

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        options = "".join(selected if key == chosen else plain for key, plain, selected in self.options)
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


def indicator_label(indicator):
    """An indicator as the review's select names it: its name in the user's language, with its unit if it has one
    there (供地 (亩), "Land supplied (mu)"; a count in English has none)."""
    unit = unit_label(indicator.unit)
    return f"{indicator.display_name} ({unit})" if unit else indicator.display_name


def _prefetched(field, objects, widget=None):
    return PrefetchedChoiceField(
        objects,
        queryset=field.queryset,
        required=field.required,
        label=field.label,
        initial=field.initial,
        widget=widget or field.widget,
    )


def candidate_formset(summary, data=None):
    """The review formset of a summary's candidates, made for pages of hundreds of them: the indicators, zones
    and candidates are read once (not once per form) and the selects rendered without a template per option."""
    from parkdash.indicators.models import Indicator
    from parkdash.parks.models import Zone

    queryset = summary.candidates.select_related("indicator", "zone")
    count = queryset.count()
    FormSet = forms.modelformset_factory(
        Candidate, form=CandidateForm, formset=ReviewFormSet, extra=0, edit_only=True, max_num=count, absolute_max=count
    )
    formset = FormSet(data, queryset=queryset, prefix="c")
    indicators = list(Indicator.objects.all())
    zones = list(Zone.objects.filter(park=summary.park))
    candidates = {str(c.pk): c for c in formset.get_queryset()}
    indicators_by_pk, zones_by_pk = {str(i.pk): i for i in indicators}, {str(z.pk): z for z in zones}
    indicator_select = QuickSelect(
        [("", "—")] + [(i.pk, indicator_label(i)) for i in indicators], {"aria-label": _("Indicator")}
    )
    zone_select = QuickSelect([("", _("Whole park"))] + [(z.pk, z.name) for z in zones], {"aria-label": _("Zone")})
    kind_select = None
    for form in formset.forms:
        fields = form.fields
        fields["id"] = _prefetched(fields["id"], candidates, QuickHiddenInput())
        fields["indicator"] = _prefetched(fields["indicator"], indicators_by_pk, indicator_select)
        fields["zone"] = _prefetched(fields["zone"], zones_by_pk, zone_select)
        kind_select = kind_select or QuickSelect(list(fields["kind"].choices), {"aria-label": _("Kind")})
        fields["kind"].widget = kind_select
    return formset

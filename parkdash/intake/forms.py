"""Upload and review forms of the work-summary import."""

import io
import zipfile

from django import forms
from django.forms import formsets
from django.utils.translation import gettext_lazy as _

from parkdash.core import uploads

from . import extract, services
from .models import Candidate, WorkSummary

MAX_SUMMARY_BYTES = 5 * 1024 * 1024


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


class UploadForm(forms.ModelForm):
    """Upload a .txt or .docx work summary, or paste its text; the year is proposed from the text if left empty."""

    upload = forms.FileField(label=_("File"), required=False,
                             help_text=_(".txt (UTF-8 or GB18030/GBK, detected) or .docx, at most 5 MB."))
    pasted = forms.CharField(label=_("Or paste the text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))

    class Meta:
        model = WorkSummary
        fields = ("park", "year", "month", "plan_year", "title")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["year"].help_text = _("Leave empty to take the year named in the summary.")
        self.fields["month"].widget = forms.Select(choices=[(m, m) for m in range(1, 13)])
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
        if cleaned.get("year") and not 1949 <= cleaned["year"] <= 2100:
            self.add_error("year", _("The year must be between 1949 and 2100."))
        if cleaned.get("year") and not self.errors:
            # Extracted here, once, so that a summary with more figures than a review page shows is refused with
            # the form (the admin's save_model hands the result to services.propose).
            self.found = services.find(cleaned["text"], cleaned["year"])
            try:
                uploads.check_candidates(len(self.found))
            except uploads.UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from None
        return cleaned

    def read_upload(self, upload):
        if upload.size > MAX_SUMMARY_BYTES:
            raise forms.ValidationError(_("The file is %(size).1f MB; the limit is 5 MB.")
                                        % {"size": upload.size / 1024 / 1024})
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
        raise forms.ValidationError(_("Only .txt and .docx files can be read; “%(name)s” is neither.")
                                    % {"name": upload.name})


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


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = ("selected", "indicator", "zone", "kind", "value", "unit", "yoy_pct", "apply_record")
        widgets = {
            "value": forms.TextInput(attrs={"size": 8}),
            "unit": forms.TextInput(attrs={"size": 5}),
            "yoy_pct": forms.TextInput(attrs={"size": 5}),
        }


class ReviewFormSet(forms.BaseModelFormSet):
    """The summary's candidates, edited in place: none added, none left out."""

    def clean(self):
        super().clean()
        # A form beyond the candidates (TOTAL_FORMS raised by hand) would create a candidate of no summary, and
        # an INITIAL_FORMS lowered by hand would turn candidates into new ones that are never saved.
        expected = len(self.get_queryset())
        posted = self.management_form.cleaned_data.get(formsets.TOTAL_FORM_COUNT)
        if self.initial_form_count() != expected or posted != expected:
            raise forms.ValidationError(_("This page no longer matches the figures of the summary: nothing was "
                                          "saved. Reload the page and make your choices again."))


def candidate_formset(summary, data=None):
    from parkdash.indicators.models import Indicator
    from parkdash.parks.models import Zone

    queryset = summary.candidates.select_related("indicator", "zone")
    count = queryset.count()
    FormSet = forms.modelformset_factory(Candidate, form=CandidateForm, formset=ReviewFormSet, extra=0,
                                         edit_only=True, max_num=count, absolute_max=count)
    formset = FormSet(data, queryset=queryset, prefix="c")
    indicators = list(Indicator.objects.all())
    zones = list(Zone.objects.filter(park=summary.park))
    for form in formset.forms:
        form.fields["indicator"].queryset = Indicator.objects.all()
        form.fields["indicator"].choices = [("", "—")] + [(i.pk, "{} ({})".format(i.name, i.unit)) for i in indicators]
        form.fields["zone"].queryset = Zone.objects.filter(park=summary.park)
        form.fields["zone"].choices = [("", _("Whole park"))] + [(z.pk, z.name) for z in zones]
    return formset

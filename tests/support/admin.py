"""The admin as a test drives it: the two-step import (preview, confirm), the export, the data a form would post.

Files are built in code (:func:`csv_upload`, :func:`xlsx_upload`) or read from tests/samples/import/.
"""

import io
import re
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parkdash.core.admin import ImportExportAdmin

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "import"
BOM = "\ufeff"
CSV_FORMAT = [fmt.__name__ for fmt in ImportExportAdmin.formats].index("ExcelCSV")
XLSX_FORMAT = [fmt.__name__ for fmt in ImportExportAdmin.formats].index("XLSX")


def admin_url(model, view, *args):
    """The URL of one of the admin's views of ``model`` (changelist, add, change, history, delete, import …)."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def sample(name):
    """The text of a sample file under tests/samples/import/."""
    return (SAMPLES / name).read_text(encoding="utf-8-sig")


# --- admin import and export ---------------------------------------------------------------------------------


def csv_upload(text, name="import.csv", bom=False):
    return SimpleUploadedFile(name, ((BOM if bom else "") + text).encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, name="import.xlsx"):
    """An XLSX file made with openpyxl, the first row being the header."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def import_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_import")


def preview_import(client, model, upload, fmt=CSV_FORMAT):
    """Step one of the admin import: upload the file, get the preview (or the row errors)."""
    return client.post(import_url(model), {"import_file": upload, "format": fmt, "resource": 0})


def confirm_import(client, model, preview):
    """Step two: POST the confirm form the preview page holds."""
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_process_import")
    return client.post(url, data)


def import_file(client, model, upload, fmt=CSV_FORMAT):
    """Both steps; fails the test when the preview offers no confirm step."""
    preview = preview_import(client, model, upload, fmt)
    assert preview.status_code == 200, preview.status_code
    assert preview.context.get("confirm_form"), error_text(preview)
    return confirm_import(client, model, preview)


def error_text(response):
    """The visible text of an import page's error section, tags stripped, for assertions and failure messages."""
    html = response.content.decode()
    html = html[html.find("<h2>") :] if "<h2>" in html else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def export(client, model, fmt=CSV_FORMAT):
    """The admin export of every row with every field; returns the response."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_export")
    form = client.get(url).context["form"]
    data = {"format": fmt, "resource": 0}
    data.update({name: "on" for name, field in form.fields.items() if isinstance(field, forms.BooleanField)})
    return client.post(url, data)


# --- admin forms ---------------------------------------------------------------------------------------------


def _bound_values(form, data):
    for name in form.fields:
        value = form[name].value()
        key = form.add_prefix(name)
        if value is True:
            data[key] = "on"
        elif value is False or value is None:
            if not isinstance(form.fields[name], forms.BooleanField):
                data[key] = ""
        elif isinstance(value, (list, tuple)):
            data[key] = [str(item) for item in value]
        else:
            data[key] = str(value)


def admin_form_data(response, **changes):
    """The POST data an admin change (or add, or history) page would submit unchanged, plus ``changes``."""
    data = {}
    _bound_values(response.context["adminform"].form, data)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        _bound_values(formset.management_form, data)
        for form in formset.initial_forms:
            _bound_values(form, data)
    data.update({key: str(value) for key, value in changes.items()})
    return data


def import_errors(preview):
    """{line number: [messages]} of an import preview: errors and validation errors alike."""
    result = preview.context["result"]
    errors = {}
    for line, row_errors in result.row_errors():
        errors.setdefault(line, []).extend(str(error.error) for error in row_errors)
    for row in result.invalid_rows:
        errors.setdefault(row.number, []).extend(str(m) for messages in row.error_dict.values() for m in messages)
    return errors


def reimport_export(client, model, fmt=CSV_FORMAT):
    """Export every row, then import that very file: returns the import preview."""
    exported = export(client, model, fmt)
    assert exported.status_code == 200 and not exported.get("Content-Type", "").startswith("text/html"), exported
    if fmt == CSV_FORMAT:
        upload = SimpleUploadedFile("export.csv", exported.content, content_type="text/csv")
    else:
        upload = SimpleUploadedFile("export.xlsx", exported.content)
    return preview_import(client, model, upload, fmt)


# --- the work-summary review ----------------------------------------------------------------------------------


def review_data(summary, overrides=None):
    """The work-summary review formset as the browser would post it, with overrides for some candidates, each named
    by its position or its label: {position or label: {field: value}} (True ticks a box, False unticks it)."""
    data = {
        "c-TOTAL_FORMS": summary.candidates.count(),
        "c-INITIAL_FORMS": summary.candidates.count(),
        "c-MIN_NUM_FORMS": 0,
        "c-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(summary.candidates.order_by("position")):
        row = {
            "id": c.pk,
            "selected": c.selected,
            "indicator": c.indicator_id or "",
            "zone": c.zone_id or "",
            "kind": c.kind,
            "value": "" if c.value is None else c.value,
            "unit": c.unit,
            "yoy_pct": "" if c.yoy_pct is None else c.yoy_pct,
            "apply_record": c.apply_record,
        }
        row.update((overrides or {}).get(c.position, {}))
        row.update((overrides or {}).get(c.label, {}))
        for key, value in row.items():
            if key in ("selected", "apply_record"):
                if value:
                    data["c-{}-{}".format(i, key)] = "on"
            else:
                data["c-{}-{}".format(i, key)] = value
    return data

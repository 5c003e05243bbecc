"""The summary draft as a Word document (python-docx): the title, a heading per section, its paragraphs as plain
text, and the completion table (主要经济指标完成情况表) appended."""

import io
from decimal import Decimal

import docx
from django.http import HttpResponse
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from parkdash.core import units
from parkdash.core.export import content_disposition
from parkdash.core.numbers import DASH, format_number, unit_label
from parkdash.core.periods import cumulative_label

from .draft import Draft

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "SimSun"


def table_headers(month: int) -> list[str]:
    return [
        _("Indicator"),
        _("Unit"),
        _("Annual target"),
        _("Cumulative %(period)s") % {"period": cumulative_label(month)},
        _("YoY %"),
        _("Completion of annual target %"),
        _("Time-elapsed pace %"),
        _("Ahead of (+) / behind (−) pace, points"),
    ]


def number(value: Decimal | None) -> str:
    return DASH if value is None else format_number(value, rounded=True)


def table_rows(draft: Draft) -> list[list[str]]:
    """The completion table's cells as text, one list per row: values in each indicator's display unit (the larger
    of the target and the actual decides 万元 or 亿元, so that both are in one unit)."""
    rows = []
    for row in draft.rows:
        indicator = row.indicator
        present = [abs(v) for v in (row.actual_value, row.target_value) if v is not None]
        shown = units.display_unit(max(present) if present else None, indicator.unit, indicator.display_unit or None)

        def shown_value(value, shown=shown, indicator=indicator):
            return None if value is None else units.to_display(value, indicator.unit, shown)

        gap = row.gap
        rows.append(
            [
                row.name,
                unit_label(shown),
                number(shown_value(row.target_value)),
                number(shown_value(row.actual_value)),
                number(row.yoy_pct),
                number(row.completion),
                number(row.expected),
                DASH if gap is None else ("+" if gap > 0 else "") + format_number(gap, rounded=True),
            ]
        )
    return rows


def document(draft: Draft):
    """The Word document of ``draft``."""
    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    # East Asian text takes the eastAsia font, not the one python-docx sets.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    title = doc.add_heading(draft.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in draft.sections:
        doc.add_heading(section.heading, level=1)
        for paragraph in section.paragraphs:
            p = doc.add_paragraph(paragraph.text(draft.language))
            p.paragraph_format.first_line_indent = Pt(24) if draft.language == "zh" else None
    if draft.rows:
        landscape = doc.add_section()
        landscape.orientation = WD_ORIENT.LANDSCAPE
        landscape.page_width, landscape.page_height = landscape.page_height, landscape.page_width
        for side in ("left_margin", "right_margin"):
            setattr(landscape, side, Cm(1.5))
        doc.add_heading(_("Completion of the main economic indicators"), level=1)
        headers = table_headers(draft.month)
        body = table_rows(draft)
        table = doc.add_table(rows=1 + len(body), cols=len(headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, text in enumerate(headers):
            cell = table.rows[0].cells[i]
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for r, values in enumerate(body, 1):
            for i, text in enumerate(values):
                cell = table.rows[r].cells[i]
                cell.text = text
                if i >= 2:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return doc


def file_names(draft: Draft) -> tuple[str, str]:
    """(the file name in the user's language, its ASCII fallback): 工作总结草稿-dongbu-2023-10.docx."""
    # Named in the draft's language, like its words (the wording templates), not through the message catalogue.
    report = "工作总结草稿" if draft.language == "zh" else "summary-draft"
    stem = "{}-{}-{}-{:02d}".format(report, draft.park.code, draft.year, draft.month)
    ascii_stem = "summary-draft-{}-{}-{:02d}".format(draft.park.code, draft.year, draft.month)
    return stem + ".docx", ascii_stem + ".docx"


def docx_response(draft: Draft) -> HttpResponse:
    buffer = io.BytesIO()
    document(draft).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=DOCX_TYPE)
    name, fallback = file_names(draft)
    response["Content-Disposition"] = content_disposition(name, fallback)
    return response

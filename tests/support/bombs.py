"""Generators of hostile uploads: ZIP bombs as .docx and .xlsx, huge CSV files and pastes.

Nothing here is kept as a file: each function builds its payload in memory, streaming the inflated part through
the compressor, so that a gigabyte of XML costs a few seconds and a few megabytes. The tests use small sizes;
``bench/bombs.py`` (``make bombs``) feeds the full-size ones through the real upload and import views.
"""

import io
import zipfile
from functools import cache

from .personas import SUMMARY_TEXT

MiB = 1024 * 1024
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
FIGURE_HEADER = ("indicator", "park", "zone", "year", "month", "kind", "version", "value", "unit", "yoy_pct", "note")


@cache
def _docx_skeleton():
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    return buffer.getvalue()


@cache
def _xlsx_skeleton():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(FIGURE_HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _chunks(head, unit, size, tail, chunk=MiB):
    """``head``, then ``unit`` repeated until about ``size`` bytes, then ``tail``; in chunks of about ``chunk``."""
    yield head
    block = unit * max(1, chunk // len(unit))
    written = 0
    while written + len(block) <= size:
        yield block
        written += len(block)
    rest = (size - written) // len(unit)
    if rest > 0:
        yield unit * rest
    yield tail


def rezip(skeleton, parts):
    """A copy of the ZIP ``skeleton`` with ``parts`` ({name: iterable of bytes chunks}) replaced or added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(skeleton)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info.filename))
        for name, chunks in parts.items():
            with target.open(name, "w", force_zip64=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
    return out.getvalue()


def _document(body_chunks):
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {}><w:body>'.format(W)).encode()
    tail = b"<w:sectPr/></w:body></w:document>"
    yield head
    yield from body_chunks
    yield tail


def docx_bomb(size=1024 * MiB):
    """A .docx whose word/document.xml inflates to ``size`` bytes of short paragraphs (1 GiB: about 1 MB)."""
    paragraph = "<w:p><w:r><w:t>园区完成固定资产投资12.5亿元。</w:t></w:r></w:p>".encode()
    return rezip(_docx_skeleton(), {"word/document.xml": _document(_chunks(b"", paragraph, size, b""))})


def docx_huge_text_node(size=1024 * MiB):
    """A .docx with one paragraph whose single text node is ``size`` bytes long."""
    return rezip(
        _docx_skeleton(),
        {"word/document.xml": _document(_chunks(b"<w:p><w:r><w:t>", b"A" * 1024, size, b"</w:t></w:r></w:p>"))},
    )


def docx_dense(size):
    """A .docx of ``size`` bytes of empty paragraphs: the most XML elements per byte a parser can be handed."""
    return rezip(_docx_skeleton(), {"word/document.xml": _document(_chunks(b"", b"<w:p/>", size, b""))})


def docx_runs(paragraphs, runs):
    """A .docx of ``paragraphs`` paragraphs of ``runs`` one-character bold runs each (five elements a run)."""
    paragraph = b"<w:p>" + b"<w:r><w:rPr><w:b/></w:rPr><w:t>\xe5\x9b\xad</w:t></w:r>" * runs + b"</w:p>"
    return rezip(
        _docx_skeleton(), {"word/document.xml": _document(_chunks(b"", paragraph, paragraphs * len(paragraph), b""))}
    )


def docx_damaged():
    """A .docx whose word/document.xml is cut off in the middle of a tag."""
    return rezip(_docx_skeleton(), {"word/document.xml": ["<w:document {}><w:body><w:p".format(W).encode()]})


def docx_billion_laughs():
    """A .docx whose document declares nested entities (a billion "lol"s once expanded)."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        '<!ENTITY lol{} "{}">'.format(i, "&lol{};".format(i - 1) * 10) for i in range(1, 10)
    ]
    xml = (
        '<?xml version="1.0"?>\n<!DOCTYPE w:document [{}]>\n<w:document {}><w:body><w:p><w:r><w:t>&lol9;'
        "</w:t></w:r></w:p></w:body></w:document>"
    ).format("".join(entities), W)
    return rezip(_docx_skeleton(), {"word/document.xml": [xml.encode()]})


def many_entries(skeleton="docx", count=None, limit=int(4.9 * MiB)):
    """A .docx (or .xlsx) padded with empty entries: ``count`` of them, or as many as fit in ``limit`` bytes."""
    base = _docx_skeleton() if skeleton == "docx" else _xlsx_skeleton()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        index = 0
        # Each entry costs a local header (30 bytes and the name) now and a central one (46 and the name) at the end.
        while (count is None and out.tell() + index * 54 < limit - 1024) or (count is not None and index < count):
            target.writestr("x/{:06x}".format(index), b"")
            index += 1
    return out.getvalue()


def _sheet(row_chunks, rows=1):
    # The dimension Excel writes first: readers pad every row to the header's eleven columns.
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {}><dimension ref="A1:K{}"/>'
        "<sheetData>".format(S, rows + 1)
    ).encode()
    header = "".join('<c t="inlineStr"><is><t>{}</t></is></c>'.format(name) for name in FIGURE_HEADER)
    yield head + "<row>{}</row>".format(header).encode()
    yield from row_chunks
    yield b"</sheetData></worksheet>"


SHARED_STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _content_types_with_shared_strings():
    with zipfile.ZipFile(io.BytesIO(_xlsx_skeleton())) as source:
        types = source.read("[Content_Types].xml").decode()
    return [types.replace("</Types>", SHARED_STRINGS_TYPE).encode()]


def xlsx_rows(rows):
    """An .xlsx with the figure import's header and ``rows`` rows of one number each (10M rows: about 3 MB)."""
    row = b"<row><c><v>1</v></c></row>"
    return rezip(_xlsx_skeleton(), {"xl/worksheets/sheet1.xml": _sheet(_chunks(b"", row, rows * len(row), b""), rows)})


def xlsx_blank_rows(rows):
    """An .xlsx with the header and then ``rows`` empty <row/> elements."""
    return rezip(_xlsx_skeleton(), {"xl/worksheets/sheet1.xml": _sheet(_chunks(b"", b"<row/>", rows * 6, b""), rows)})


def xlsx_wide_row(size):
    """An .xlsx whose second row is one row of ``size`` bytes of cells."""
    cells = _chunks(b"<row>", b"<c><v>1</v></c>", size, b"</row>")
    return rezip(_xlsx_skeleton(), {"xl/worksheets/sheet1.xml": _sheet(cells)})


def xlsx_shared_strings(size=1024 * MiB):
    """An .xlsx whose shared-strings table inflates to ``size`` bytes of one-letter strings."""
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {}>'.format(S).encode()
    return rezip(
        _xlsx_skeleton(),
        {
            "xl/worksheets/sheet1.xml": _sheet([]),
            "[Content_Types].xml": _content_types_with_shared_strings(),
            "xl/sharedStrings.xml": _chunks(head, b"<si><t>x</t></si>", size, b"</sst>"),
        },
    )


def xlsx_worst(rows, strings):
    """An .xlsx with ``rows`` full rows of figure cells and a shared-strings table of ``strings`` entries: as much
    as the bounds let through to openpyxl."""
    row = (
        "<row>"
        + '<c t="s"><v>0</v></c>' * 3
        + "<c><v>2023</v></c><c><v>6</v></c>"
        + '<c t="s"><v>1</v></c>' * 2
        + "<c><v>1.5</v></c>"
        + '<c t="s"><v>2</v></c>'
        + "<c><v>4</v></c>"
        + '<c t="s"><v>3</v></c></row>'
    ).encode()
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {}>'.format(S).encode()
    return rezip(
        _xlsx_skeleton(),
        {
            "xl/worksheets/sheet1.xml": _sheet([row * rows], rows),
            "[Content_Types].xml": _content_types_with_shared_strings(),
            "xl/sharedStrings.xml": _chunks(head, b"<si><t>x</t></si>", strings * 17, b"</sst>"),
        },
    )


def figure_keys(rows):
    """``rows`` distinct (indicator, version, year, month) keys in the year range: fixed-asset investment first
    (1950–2099, every month, each version), then industrial output."""
    per_indicator = 150 * 12 * 3
    for i in range(rows):
        indicator = ("固定资产投资", "工业总产值")[i // per_indicator]
        rest = i % per_indicator
        version = ("快报", "正式", "预计")[rest // (150 * 12)]
        year, month = 1950 + (rest % (150 * 12)) // 12, rest % 12 + 1
        yield indicator, version, year, month


def figures_csv(rows, park="甲园区", short=False):
    """A figure import CSV with ``rows`` valid rows (one month of one year each, up to 10,800 distinct); ``short``
    rows give only the columns a figure needs (100,000 of them fit in 5 MB)."""
    if short:
        lines = ["indicator,park,year,month,kind,value"]
        lines += ["固定资产投资,{},{},{},实际,1".format(park, 2000 + i // 12, i % 12 + 1) for i in range(rows)]
    else:
        lines = [",".join(FIGURE_HEADER)]
        lines += [
            "{},{},,{},{},实际,{},20.75,亿元,4.5,".format(indicator, park, year, month, version)
            for indicator, version, year, month in figure_keys(rows)
        ]
    return ("\n".join(lines) + "\n").encode()


def summary_text(chars, park="甲园区"):
    """A work summary of about ``chars`` characters: the trust world's sample, repeated as numbered chapters."""
    body = SUMMARY_TEXT.format(park=park)
    parts, total, chapter = [], 0, 0
    while total < chars:
        chapter += 1
        part = "第{}章\n{}".format(chapter, body)
        parts.append(part)
        total += len(part)
    return "".join(parts)[:chars]


def prose(chars):
    """``chars`` characters of a summary's prose without a single figure (the most text the extractor reads)."""
    sentence = "园区坚持项目为王，持续优化营商环境，推动产业转型升级和高质量发展。\n"
    return (sentence * (chars // len(sentence) + 1))[:chars]

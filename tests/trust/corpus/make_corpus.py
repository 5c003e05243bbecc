"""Write the bad-input corpus next to this file: ``python tests/trust/corpus/make_corpus.py``.

The files are committed; this script documents how each was made and can remake them (the garbage is seeded; the
XLSX files differ in their zip timestamps only). The 20 MB file is not here: test_bad_input.py writes it into a
temporary folder at test time.
"""

import datetime
import io
import random
import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

FIGURE_HEADER = ["indicator", "park", "zone", "year", "month", "kind", "version", "value", "unit", "yoy_pct", "note"]
GOOD_FIGURE = ["固定资产投资", "甲园区", "", "2021", "10", "实际", "快报", "20.75", "亿元", "42.45", "测试"]
PROJECT_HEADER = ["park", "zone", "name", "category", "phase", "total_investment", "progress_pct"]

SPREADSHEETS = {
    # A figure sheet without its park and value columns.
    "missing_columns": [["indicator", "year", "month", "kind"], ["固定资产投资", "2021", "10", "实际"]],
    # Every column, plus columns no resource has (id, password …): ignored, never written. The one valid sheet.
    "extra_columns": [
        FIGURE_HEADER + ["id", "password", "is_superuser", "history_user", "备注2"],
        GOOD_FIGURE + ["1", "hunter2", "1", "administrator", "多余"],
    ],
    # 亩 for an 亿元 indicator, a work in 亿元, an unknown unit.
    "wrong_units": [
        FIGURE_HEADER,
        ["固定资产投资", "甲园区", "", "2021", "10", "实际", "快报", "150", "亩", "", ""],
        ["供地", "甲园区", "", "2021", "10", "实际", "快报", "3", "亿元", "", ""],
        ["供地", "甲园区", "", "2021", "11", "实际", "快报", "3", "furlong", "", ""],
    ],
    # Negative, absurd and non-numbers, impossible periods.
    "absurd_values": [
        FIGURE_HEADER,
        ["固定资产投资", "甲园区", "", "2021", "1", "实际", "快报", "-5", "亿元", "", ""],
        ["固定资产投资", "甲园区", "", "2021", "2", "实际", "快报", "1e30", "亿元", "", ""],
        ["固定资产投资", "甲园区", "", "2021", "3", "实际", "快报", "abc", "亿元", "", ""],
        ["固定资产投资", "甲园区", "", "99999", "4", "实际", "快报", "1", "亿元", "", ""],
        ["固定资产投资", "甲园区", "", "2021", "13", "实际", "快报", "1", "亿元", "", ""],
        ["固定资产投资", "甲园区", "", "2021", "5", "实际", "快报", "NaN", "亿元", "Infinity", ""],
        ["固定资产投资", "甲园区", "", "-2021", "6", "实际", "快报", "1", "亿元", "1e30", ""],
    ],
    # HTML and script in names: valid projects, to be shown escaped.
    "html_names": [
        PROJECT_HEADER,
        ["甲园区", "", "<script>alert(1)</script>", "utility", "续建", "100", "10"],
        ["甲园区", "", "<img src=x onerror=alert(1)>", "utility", "续建", "100", "10"],
        ["甲园区", "", "<b>粗体</b>&amp;", "utility", "续建", "100", "10"],
    ],
    # Formula cells (CSV injection): valid project names, to be exported neutralised.
    "formulas": [
        PROJECT_HEADER,
        ["甲园区", "", "=cmd|' /C calc'!A0", "utility", "续建", "100", "10"],
        ["甲园区", "", "+1", "utility", "续建", "100", "10"],
        ["甲园区", "", "-1", "utility", "续建", "100", "10"],
        ["甲园区", "", "@SUM(1+1)*cmd|' /C calc'!A0", "utility", "续建", "100", "10"],
    ],
}


def csv_text(rows):
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def xlsx_bytes(rows):
    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = book.properties.modified = datetime.datetime(2024, 1, 1)
    sheet = book.active
    for row in rows:
        # Written as text, formulas included: openpyxl would store "=…" as a formula otherwise.
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def png_bytes():
    """A valid 2x2 PNG."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def main():
    rng = random.Random(6)
    files = {
        "binary_garbage.txt": b"\xff\xfe\x00\x80" + bytes(rng.randrange(256) for _ in range(2044)),
        "gbk.csv": csv_text([FIGURE_HEADER, GOOD_FIGURE]).encode("gbk"),
        "utf16_bom.csv": csv_text([FIGURE_HEADER, GOOD_FIGURE]).encode("utf-16"),
        "utf16_nobom.csv": csv_text([FIGURE_HEADER, GOOD_FIGURE]).encode("utf-16-le"),
        "empty.txt": b"",
        "png_renamed.csv": png_bytes(),
        "png_renamed.txt": png_bytes(),
    }
    for name, rows in SPREADSHEETS.items():
        files[name + ".csv"] = csv_text(rows).encode("utf-8")
        files[name + ".xlsx"] = xlsx_bytes(rows)
    for name, data in files.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()

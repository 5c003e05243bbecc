"""Decoding uploaded bytes (UTF-8, GB18030/GBK, UTF-16 with a BOM; binary refused) and proposing the year."""

import random
from pathlib import Path

import pytest

from parkdash.intake.extract import DecodeError, decode, propose_year

SEED_BYTES = (Path(__file__).resolve().parents[1] / "samples" / "seed_000.txt").read_bytes()
SEED = decode(SEED_BYTES)

SAMPLE = "东部产业集聚区2023年工作总结\n实现固定资产投资20.75亿元，同比增长42.45%。"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-8-sig"),
        SAMPLE.encode("gb18030"),
        SAMPLE.encode("gbk"),
        SAMPLE.encode("utf-16"),  # with a BOM
        b"\xfe\xff" + SAMPLE.encode("utf-16-be"),
        SEED_BYTES.decode("utf-8").encode("gb18030", "replace"),
    ],
)
def test_decode_reads_utf8_with_or_without_bom_gb18030_gbk_and_utf16(data):
    text = decode(data)
    assert text.replace("?", "").startswith("东部") or text.startswith("温馨提示")
    assert "\ufeff" not in text


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        (b"%PDF-1.7\n" + bytes(200), "PDF"),
        (b"PK\x03\x04" + bytes(100), "ZIP"),
        (b"\x00\x01\x02\x03" * 300, "control characters"),
        ("实现投资5亿元".encode() + b"\x00\x00\x00" * 50, "control characters"),
        (random.Random(0).randbytes(4096), "encoding"),
        ("café au lait, résumé".encode("latin-1"), "encoding"),
        (b"   \n\t  ", "no text"),
    ],
)
def test_decode_refuses_empty_binary_and_undecodable_bytes(data, message):
    with pytest.raises(DecodeError, match=message):
        decode(data)


def test_a_caller_refusing_bad_values_gets_what_the_file_is_and_what_to_do():
    # A DecodeError is a ValueError: code that refuses bad values catches it with them, and shows its message.
    with pytest.raises(ValueError) as refused:
        decode(b"%PDF-1.7\n" + bytes(200))
    assert (
        str(refused.value) == "This looks like a PDF document, not a text file. Save the summary as plain text (.txt)."
    )


@pytest.mark.parametrize(
    "text, year",
    [
        (SEED, 2023),
        ("XX园区2022年工作总结\n今年完成投资5亿元。", 2022),
        ("二〇二四年工作计划\n全年完成投资6亿元。", 2024),
        ("工作总结\n今年1-2023月完成投资,2021年同期,2021年底,2022年", 2021),
        ("工作总结\n完成投资5亿元。", None),
        ("工作总结\n完成投资2023万元,2023月26日签约。", None),
        ("", None),
    ],
)
def test_propose_year_reads_the_title_or_the_most_named_year(text, year):
    assert propose_year(text) == year


def test_a_refusal_reads_in_the_language_of_the_person_who_uploaded_the_file():
    from django.utils import translation

    with translation.override("en"), pytest.raises(DecodeError) as refused:
        decode(b"%PDF-1.7\n" + bytes(200))
    assert str(refused.value).startswith("This looks like a PDF document, not a text file.")
    with translation.override("zh-hans"), pytest.raises(DecodeError) as refused:
        decode(b"%PDF-1.7\n" + bytes(200))
    assert str(refused.value) == "这似乎是一份 PDF 文档，而不是文本文件。请将工作总结另存为纯文本（.txt）后再上传。"
    with translation.override("zh-hans"), pytest.raises(DecodeError) as refused:
        decode(b"")
    assert str(refused.value) == "文件是空的。"

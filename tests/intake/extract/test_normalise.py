"""Decoding and normalising: traditional characters, pinyin glosses, blanks and wrapped lines read like clean
simplified text, while every quote stays the original text between its offsets."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract
from parkdash.intake.extract.normalise import Normalised


@pytest.mark.parametrize(
    "text, norm",
    [
        ("工業總產值實現12億元", "工业总产值实现12亿元"),  # traditional characters
        ("規(guī)模以上工業(yè)增加值增長(zhǎng)9%", "规模以上工业增加值增长9%"),  # pinyin glosses
        ("營業收入 36.5 億元", "营业收入36.5亿元"),  # blanks around a number
        ("1-6 月,入驻企业 12 户", "1-6月,入驻企业12户"),
        ("高 新 区 统 计", "高新区统计"),  # a spaced-out heading
        ("实现税收３．５亿元（含个税）", "实现税收3.5亿元(含个税)"),  # full-width forms
        ("新增 1 2 家", "新增1 2家"),  # two numbers stay two numbers
    ],
)
def test_the_matching_copy_reads_like_clean_simplified_text(text, norm):
    assert Normalised(text).norm == norm


@pytest.mark.parametrize(
    "text",
    [
        "園區(qū)實現(xiàn)工業(yè)總產(chǎn)值 8.6 億元,同比增長(zhǎng) 12%",
        "完成固定資產投資28億元\n其中工業投資 19 億元",
    ],
)
def test_offsets_lead_back_to_the_original_text(text):
    normalised = Normalised(text)
    for a in range(len(normalised.norm)):
        original = normalised.original(a, a + 1)
        assert len(original) == 1 and Normalised(original).norm in ("", normalised.norm[a])


def test_a_traditional_summary_gives_simplified_indicators_and_units_with_original_quotes():
    text = "全年實(shí)現(xiàn)營業(yè)收入 56.7 億元,同比增長(zhǎng) 3.2%"
    c = extract(text)[0]
    assert (c.value, c.unit, c.yoy_pct, c.indicator_code) == (
        Decimal("56.7"),
        "亿元",
        Decimal("3.2"),
        "main_business_revenue",
    )
    assert text[c.start : c.end] == c.quote and "億元" in c.quote


def pdf_page(paragraph, width=30):
    """``paragraph`` as text pasted from a PDF: hard line breaks every ``width`` characters."""
    return "\n".join(paragraph[i : i + width] for i in range(0, len(paragraph), width))


def test_line_breaks_that_only_wrap_a_pdf_line_do_not_split_an_indicator_name():
    lead = "今年以来园区全力推进项目建设,持续优化营商环境,抓好招商引资工作,"
    lead = (lead * 8)[: 30 * 7 - len("完成工")]  # the line break falls between 工 and 业
    text = pdf_page(lead + "完成工业总产值 41.5 亿元,同比增长8%。")
    assert "工\n业总产值" in text
    c = extract(text)[0]
    assert (c.value, c.indicator_code, c.yoy_pct) == (Decimal("41.5"), "industrial_output", Decimal("8"))
    assert text[c.start : c.end] == c.quote and "工\n业" in c.quote


def test_short_lines_of_an_ordinary_text_are_not_joined():
    text = "一、工作完成情况\n完成工业总产值41.5亿元\n新建道路3条"
    assert Normalised(text).norm == text


class Widening:
    """A converter that turns 發 into two characters, as a phrase conversion may."""

    def convert(self, text):
        return text.replace("發", "发发")


def test_a_conversion_that_would_change_the_length_is_done_one_character_at_a_time(monkeypatch):
    from parkdash.intake.extract import normalise

    monkeypatch.setattr(normalise, "_converter", lambda: Widening())
    text = "開發區完成投資5億元"
    copy = normalise.Normalised(text)
    assert len(copy.norm) == len(text) and copy.original(0, len(copy.norm)) == text

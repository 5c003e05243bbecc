"""Properties of the extractor on any text: it never raises, and every quote is the text it points at.

Pure: no database, no Django.
"""

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parkdash.intake.extract import Candidate, extract, readable_length

# Hypothesis examples and megabyte texts.
pytestmark = pytest.mark.slow

# Pieces that make the extractor work hard: numbers, units, placeholders, growth, brackets, headings, periods.
PIECES = st.sampled_from(
    [
        "亿元",
        "万元",
        "亩",
        "公顷",
        "家",
        "个",
        "座",
        "条",
        "次",
        "%",
        " %",
        "xx",
        "XX",
        "29XX6",
        "2023",
        "202300",
        "1-10月",
        "1-2023月",
        "同比增长",
        "下降",
        "分别增长8.5%、9.5%",
        "其中",
        "(",
        ")",
        "(东部XX县区",
        "北片",
        "南北片",
        "、",
        ",",
        ";",
        "。",
        "\n",
        "一、",
        "二、工作思路\n",
        "(一)",
        "1.",
        "力争",
        "确保",
        "占全区的",
        "完成全年目标的",
        "以上",
        "第",
        "每天",
        "2-3",
        "余",
        "万元/亩",
        "固定资产投资",
        "工业用地",
        "续建工程",
        "温馨提示",
        "网站客服",
        "\t",
        "\t亿元\t",
        "指标\t单位\t完成\t目标\t增长%\n",
        "\t12.5\t",
        "\t8%",
        "(亿元)",
    ]
)
TEXT = st.lists(
    st.one_of(st.text(max_size=12), PIECES, st.integers(0, 10**7).map(str), st.decimals(0, 10**5, places=2).map(str)),
    max_size=40,
).map("".join)


def check(text):
    found = extract(text)
    assert isinstance(found, list)
    for c in found:
        assert isinstance(c, Candidate)
        assert 0 <= c.start <= c.end <= len(text)
        assert text[c.start : c.end] == c.quote
        assert c.kind in ("actual", "target")
        assert isinstance(c.flags, list)
        c.to_dict()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_unicode_text_gives_candidates_whose_quotes_are_the_text_they_point_at(text):
    check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
@example(text="00000000-0元")  # a range whose lower bound starts more than 8 characters before its upper one
def test_text_made_of_figure_like_pieces_gives_quotes_that_are_the_text_they_point_at(text):
    check(text)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.one_of(TEXT, st.text(min_size=1, max_size=200)), min_size=1, max_size=8))
def test_a_megabyte_of_repeated_random_chunks_is_read_without_error_in_reasonable_time(chunks):
    chunk = "".join(chunks) or "x"
    text = (chunk * (1_000_000 // len(chunk) + 1))[:1_000_000]
    started = time.process_time()  # CPU time: the machine's other work does not count
    check(text)
    assert time.process_time() - started < 2


@pytest.mark.parametrize(
    "piece",
    [
        "a",
        "x",
        "1",
        "1,",
        "\t",
        "(",
        "完成投资5亿元",
        "增长5%",
        "分别为5亿元、",
        "其中北片",
        "\n",
        "a b\n",
        "将",
        "目标",
        "業(yè)",
        "三个项目",
        "**",
        "工\n",
        "。",
        "xx亿元",
        "新开工A等项目4个",
    ],
)
def test_reading_one_repeated_piece_grows_no_faster_than_the_text_and_stops_at_its_readable_length(piece):
    # Each of these once made a pass rescan the rest of the text from every position, or hold a million of
    # something: reading stops at the line of the 4000th number (xx and ** count) and after 300,000 characters.
    # Ten times the text costs about ten times as much (a rescan from every position: a hundred times), and a
    # megabyte no more than 300,000 characters. Costs compared with each other rather than with a clock, so that a
    # busy machine slows them alike; the floor keeps the few milliseconds of a cheap piece out of the ratios.
    def cost(length):
        text = piece * (length // len(piece))
        started = time.process_time()
        check(text)
        return time.process_time() - started

    costs = [cost(length) for length in (3_000, 30_000, 300_000, 1_000_000)]
    for shorter, longer in zip(costs[:2], costs[1:3], strict=True):
        assert longer < max(30 * shorter, 0.25), (piece, costs)
    assert costs[3] < max(2 * costs[2], 0.25), (piece, costs)


def test_a_long_text_is_read_up_to_its_readable_length():
    figure = "完成投资5亿元。"
    text = figure * 10_000
    assert readable_length(text) < len(text)
    found = extract(text)
    assert 3_000 <= len(found) <= 4_100 and found[-1].end <= readable_length(text)
    assert readable_length("完成投资5亿元。") == len("完成投资5亿元。")

"""Word tables pasted as tab-separated rows: a header row gives each column's kind, period, unit and rates."""

from decimal import Decimal

from parkdash.intake.extract import extract

TABLE = (
    "一、主要指标完成情况\n指标\t单位\t1-10月完成\t同比增长%\t全年目标\t完成率%\n"
    "规上工业增加值\t亿元\t82.3\t7.6\t100\t82.3\n新入区企业\t家\t12\t\t15\t80\n"
)


def test_a_word_table_row_gives_its_actual_and_its_target_by_column():
    found = [(c.label, c.value, c.unit, c.kind, c.period, c.yoy_pct, c.share_pct) for c in extract(TABLE)]
    assert found == [
        ("规上工业增加值", Decimal("82.3"), "亿元", "actual", "1-10月", Decimal("7.6"), Decimal("82.3")),
        ("规上工业增加值", Decimal("100"), "亿元", "target", "全年", None, None),
        ("新入区企业", Decimal("12"), "家", "actual", "1-10月", None, Decimal("80")),
        ("新入区企业", Decimal("15"), "家", "target", "全年", None, None),
    ]
    assert all(TABLE[c.start : c.end] == c.quote and "\t" in c.quote for c in extract(TABLE))


def test_a_table_unit_may_sit_in_the_header_and_cells_with_units_read_as_text():
    text = "项目\t完成值(亿元)\t比上年增长(%)\n工业总产值\t23.21\t87.92\n固定资产投资\t20.75亿元\t42.45%\n"
    output, investment = extract(text)
    assert (output.value, output.unit, output.yoy_pct, output.indicator_code) == (
        Decimal("23.21"),
        "亿元",
        Decimal("87.92"),
        "industrial_output",
    )
    assert (investment.value, investment.unit, investment.yoy_pct) == (Decimal("20.75"), "亿元", Decimal("42.45"))

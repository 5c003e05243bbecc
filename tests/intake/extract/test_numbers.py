"""Numbers as people write them: ranges, glued figures, masked numbers, Chinese numerals, units, qualifiers and
growth forms; and numbers that are not figures (thresholds, bands, rankings, dates, names with numbers)."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract

D = Decimal


def read(text):
    return [(c.value, c.unit) for c in extract(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新开工项目10-15个", [(None, "个", "10-15")]),
        ("力争新增规上企业3至5家", [(None, "家", "3-5")]),
        ("目标是培育3-5个百亿元级产业集群", [(None, "个", "3-5")]),
    ],
)
def test_a_range_has_no_value_and_keeps_the_range_with_a_flag(text, expected):
    found = extract(text)
    assert [(c.value, c.unit, c.range) for c in found] == expected
    assert all("range" in c.flags for c in found)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全年共接待客商考察40余次400余人", [(D(40), "次"), (D(400), "人")]),
        ("投入1840万元,新修建成5条总长2150米的园区道路", [(D(1840), "万元"), (D(5), "条"), (D(2150), "米")]),
        ("完成xx400亩土地的挂牌出让", [(D(400), "亩")]),
    ],
)
def test_figures_glued_together_or_to_a_masked_name_are_read_one_by_one(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text", ["合同引资**00万元", "到位资金**万元(县外)", "完成产值XX亿元", "协议投资31XX2万元"])
def test_a_masked_number_has_no_value_and_is_flagged(text):
    c = extract(text)[0]
    assert c.value is None and "placeholder" in c.flags


@pytest.mark.parametrize(
    "text, expected",
    [
        ("完成了三个项目的包装策划", (D(3), "个")),
        ("新引进十二家企业", (D(12), "家")),
        ("新建两所学校", (D(2), "所")),
        ("新建跨河桥梁三座,道路硬化4公里", (D(3), "座")),  # the numeral after what it counts
        ("改造老旧小区五个。", (D(5), "个")),
    ],
)
def test_chinese_numerals_count_things_and_are_marked(text, expected):
    c = extract(text)[0]
    assert (c.value, c.unit) == expected and "chinese_numeral" in c.flags


@pytest.mark.parametrize(
    "text",
    [
        "坚持三个定位,突出两项重点",
        "实现一个定位、三个着力和十个新突破",
        "打造两大支柱产业",
        "跨上一个新台阶",
        "县委十四届五次全会",
        "建设“三个园区”",
        "抓好一个项目一个专班",
        "园区按照一园三区布局,突出重点两个。",
        "做好服务工作两项。",
    ],
)
def test_chinese_numerals_in_slogans_and_ordinals_are_not_figures(text):
    assert extract(text) == []


@pytest.mark.parametrize(
    "text, unit",
    [
        ("安装路灯215盏", "盏"),
        ("栽植树木1800棵", "棵"),
        ("建设住房0.6万套", "万套"),
        ("铺设光缆2千米", "千米"),
        ("修建给排水管网1.5万米", "万米"),
        ("绿化面积8千平方米", "千平方米"),
        ("绿化面积4.5万平方米", "万平方米"),
        ("实际利用外资1.1亿美元", "亿美元"),
        ("投资12亿港元的机械项目", "亿港元"),
        ("产值突破50个亿", "个亿"),
        ("营业收入突破1.2万亿元", "万亿元"),
        ("光伏装机容量50兆瓦", "兆瓦"),
        ("发放贷款12笔", "笔"),
        ("接待来访客商200多批次", "批次"),
        ("走访服务企业150余家次", "家次"),
        ("举办招聘会8场次", "场次"),
    ],
)
def test_units_are_kept_as_written(text, unit):
    assert extract(text)[0].unit == unit


def test_a_unit_written_as_a_count_of_hundred_millions_converts_to_yuan():
    c = extract("工业总产值突破45个亿")[0]
    assert (c.value, c.unit, c.canonical_value, c.canonical_unit) == (D(45), "个亿", D(45), "亿元")


@pytest.mark.parametrize(
    "text, flag",
    [
        ("引进项目20余个", "approximate"),
        ("引进项目130多个", "approximate"),
        ("近650亩土地", "approximate"),
        ("约1443亩", "approximate"),
        ("工业总产值90亿元以上", "at_least"),
        ("税收超过12亿元", "at_least"),
        ("成交额突破300亿元", "at_least"),
    ],
)
def test_qualifiers_are_kept_as_flags_and_not_in_the_value(text, flag):
    c = extract(text)[0]
    assert flag in c.flags and c.value == D(str(c.value))


@pytest.mark.parametrize(
    "text, yoy",
    [
        ("完成工业投资8亿元,比去年同期增长42", D(42)),
        ("地方财政收入增长90以上", D(90)),
        ("营业收入 1532.6 亿元,同比下降 6.1%", D("-6.1")),
        ("外贸出口5亿美元,同比减少5%", D(-5)),
        ("完成固定资产投资24.6亿元,较上年同期增长了37%", D(37)),
        ("完成工业投资12亿元,增速最快,达到25.3%", D("25.3")),
    ],
)
def test_growth_is_read_in_its_written_forms(text, yoy):
    assert extract(text)[0].yoy_pct == yoy


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新开工1-5亿元项目4个", [(D(4), "个")]),  # a size band
        ("开工建设总投资5000万元-5亿元的产业项目3个", [(D(3), "个")]),
        ("引进亿元以上项目11个", [(D(11), "个")]),  # a threshold
        ("连续引进30亿元以上、50亿元以上以及百亿元龙头型项目", []),
        ("8户企业增速在45%以上", [(D(8), "户")]),
        ("综合实力排名全省第28位,位列前3名", []),  # rankings
        ("北片污水处理厂于8月29日开工建设", []),  # dates
        ("推进“135”工业标准厂房和“55”提质升级工程,建设5G基站", []),  # names with numbers
        ("全年实现 GDP762 亿元", [(D(762), "亿元")]),  # an abbreviation is a name, not a code
        ("总投资8亿元的年产30万台电机项目建成投产", [(D(8), "亿元")]),  # a capacity in a project's name
        ("污水处理厂2座,日处理能力3万吨", [(D(2), "座"), (D(3), "万吨")]),  # a capacity that is a figure
        ("规上企业中产值超5亿元的仅有3家", [(D(3), "家")]),  # a threshold of what is counted after it
        ("其中“双十”项目(总投资10亿元以上、年税收1亿元以上)3个", [(D(3), "个")]),  # bounds defining a class
    ],
)
def test_thresholds_bands_rankings_dates_and_names_with_numbers_are_not_figures(text, expected):
    assert read(text) == expected

"""Labels name the indicator: catalogue aliases, labels carried over in parallel clauses, and otherwise the
nearest noun phrase, never a verb or a fragment."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract

D = Decimal


@pytest.mark.parametrize(
    "text, code",
    [
        ("全社会固定资产投资实现48亿元", "fixed_asset_investment"),
        ("规模以上工业增加值实现17.32亿元", "industrial_value_added"),
        ("规模以上工业企业增加值增长14%", "industrial_value_added"),
        ("实现主营业务收入145亿元", "main_business_revenue"),
        ("科工贸总收入突破500亿元", "tech_industry_trade_revenue"),
        ("国内生产总值增长8%以上", "gdp"),
        ("地方财政一般预算收入实现7.5亿元", "fiscal_revenue"),
        ("实际利用外资实现0.8亿美元", "foreign_investment"),
        ("出口创汇实现2.6亿美元", "export_value"),
        ("招商引资到位资金8亿元", "investment_received"),
        ("上交税金6.4亿元", "tax_revenue"),
        ("实现工业固定资产投资2.05亿元", "industrial_investment"),
        ("基础设施建设累计投资额11.2亿元", "infrastructure_investment"),
        ("确保全年技改投入7亿元", "tech_renovation_investment"),
        ("建设标准厂房10万平方米", "standard_factory_area"),
        ("规模以上企业达45户", "enterprises_above_size"),  # counted in 户: named, flagged unit_mismatch
    ],
)
def test_the_catalogue_knows_the_common_names(text, code):
    assert extract(text)[0].indicator_code == code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("全年力争实现主营业务收入100亿元,确保160亿元", ["main_business_revenue", "main_business_revenue"]),
        (
            "完成规上工业总产值85.6亿元、主营业务收入80.2亿元,分别增长8.5%、9.5%",
            ["industrial_output_above_size", "main_business_revenue"],
        ),
        ("到位市外资金4.4亿元,占目标任务4亿元的110%", ["investment_received", "investment_received"]),
    ],
)
def test_an_indicator_left_out_of_a_parallel_clause_is_carried_over(text, expected):
    assert [c.indicator_code for c in extract(text)] == expected


@pytest.mark.parametrize(
    "text, labels",
    [
        ("硬化道路4条,2000米", ["硬化道路", "硬化道路"]),  # a figure listed after another measures the same thing
        ("新修建成4条总长1630米的电子产业园和物流园道路", ["道路", "道路"]),  # a measure between count and noun
        ("在建2条长950米园区道路", ["在建", "道路"]),
        ("青禾食品等3户规上企业", ["规上企业"]),  # what is counted, not the names before it
        ("东兴物流中心和鸿达交易中心2个项目签订投资框架协议", ["签约项目"]),
        ("新开工华美包装扩建、纺织技改等1-5亿元项目3个", ["新开工项目"]),  # an activity and its head noun
        ("引进2个总投资10亿元以上的大项目", ["引进大项目"]),
        ("园区今年承担的星河电子等12个省、市重点项目", ["省、市重点项目"]),  # the modifiers listed stay
        ("建设住房0.8万套、85万平方米", ["住房", "住房"]),  # a verb opening the label is dropped
        ("即产值突破20个亿", ["产值"]),
        ("全年共接待客商考察40余次", ["接待客商考察"]),  # adverbs opening a label are dropped
        ("其中10亿元以上项目不少于5个", ["10亿元以上项目"]),  # and bounds closing it
        ("固定资产投资确保增长10%", ["固定资产投资"]),  # and target words before a growth rate
        ("申报获得各类政策项目资金3210万元", ["政策项目资金"]),
        ("青山经济技术开发区52户规模以上工业企业", ["规模以上工业企业"]),  # the park is not a label
    ],
)
def test_an_unknown_label_is_the_nearest_noun_phrase(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, labels",
    [
        ("1.工业总产值:完成45.6亿元,同比增长12%。\n2.固定资产投资:完成20亿元。", ["工业总产值", "固定资产投资"]),
        ("(一)规上工业增加值。完成38.2亿元,增长8%。", ["规上工业增加值"]),
        ("工业总产值:45.6亿元;税收:3.2亿元", ["工业总产值", "税收"]),
        ("主要指标完成情况如下:实现12亿元", [""]),  # a heading that names no indicator
    ],
)
def test_a_name_before_a_colon_or_a_full_stop_labels_the_clause_after_it(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, expected",
    [
        # (label, indicator code, flagged as an increment) in order
        ("亩均税收达到18.6万元", [("亩均税收", None, False)]),  # per mu: another indicator than 税收
        ("规上工业企业发展到86家", [("规上工业企业", "enterprises_above_size", False)]),
        (
            "完成税收收入3.2亿元,同比减收0.4亿元",
            [("税收收入", "tax_revenue", False), ("税收收入", "tax_revenue", True)],
        ),
    ],
)
def test_words_of_measure_and_change_around_a_name_are_read_as_such(text, expected):
    assert [(c.label, c.indicator_code, "increment" in c.flags) for c in extract(text)] == expected


def test_a_label_is_written_in_simplified_characters_without_glosses():
    c = extract("凈利潤(rùn) 86.4 億元")[0]
    assert (c.label, c.value) == ("净利润", D("86.4"))


def test_a_comparison_is_not_a_label_and_the_figure_before_gives_it():
    total, excess = extract("全年签约项目达到31个,比目标任务增加6个")
    assert (excess.label, excess.indicator_code) == (total.label, total.indicator_code)
    assert (total.label, total.indicator_code) == ("签约项目", "projects_signed")


@pytest.mark.parametrize(
    "text, labels",
    [
        (
            "主要目标:固定资产投资增长10%以上,达到108亿元",
            ["固定资产投资", "固定资产投资"],
        ),  # after a growth-only figure
        ("完成土地征收3200亩", ["土地征收"]),  # a catalogue name ending in a verb keeps it
    ],
)
def test_labels_carried_after_rates_and_catalogue_names_ending_in_verbs(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, labels",
    [
        ("新认定科技型企业12家,总数达到96家", ["新认定科技型企业", "新认定科技型企业"]),
        ("新修农村公路9条、总长度4.2千米", ["农村公路", "农村公路"]),
        ("储备项目45个,总规模320亿元", ["储备项目", "储备项目"]),
    ],
)
def test_a_label_that_only_names_a_measure_takes_the_thing_named_before(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, labels",
    [
        ("完成工业产值4.1亿元,预计全年可达5.5亿元", ["工业产值", "工业产值"]),  # words of expectation are not the label
        ("目前仍有6个已签约项目因资金问题未能开工", ["已签约项目"]),  # 已签约 names which projects
        ("园区尚有闲置厂房3.2万平方米", ["闲置厂房"]),
    ],
)
def test_adverbs_of_expectation_and_of_what_remains_are_not_labels(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, labels",
    [
        ("东区建成迎宾路、纬二路等道路4条", ["道路"]),  # 等 closes the names listed before the thing
        ("举办高等院校人才招聘会6场", ["高等院校人才招聘会"]),  # 高等 is a word, not the end of a list
        ("组织政银企对接会5场", ["政银企对接会"]),  # a verb leaving one character is part of a word
        ("电子信息产业完成产值19.7亿元", ["电子信息产业产值"]),  # the subject of a bare 产值, without the verb
        ("全区规上工业企业完成产值60亿元", ["规上工业企业产值"]),  # the park as a whole is not part of it
        ("建成人才公寓3栋、共420套", ["人才公寓", "人才公寓"]),  # 共 between two measures of one thing
        ("甲公司、乙公司等5个项目已竣工投产", ["竣工投产项目"]),
    ],
)
def test_the_label_is_the_noun_phrase_not_the_names_listed_or_the_verb(text, labels):
    assert [c.label for c in extract(text)] == labels


@pytest.mark.parametrize(
    "text, labels",
    [
        ("亩均税收方面,东区达到32.5万元/亩", ["亩均税收"]),
        ("从单位能耗看,下降到0.42吨标准煤", ["单位能耗"]),
        ("分园区看,东区达到8亿元", [""]),  # a breakdown is not a topic
    ],
)
def test_a_figure_without_a_label_takes_the_topic_its_sentence_opens_with(text, labels):
    assert [c.label for c in extract(text)] == labels

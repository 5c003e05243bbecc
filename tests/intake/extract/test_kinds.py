"""Kind (actual or target) and version come from the document and the sentence, never from a fallback."""

from decimal import Decimal

import pytest

from parkdash.intake.extract import extract


def kinds(text, **kwargs):
    return [(c.value, c.kind, c.version) for c in extract(text, **kwargs)]


A, T, E = "actual", "target", "estimate"
D = Decimal


@pytest.mark.parametrize(
    "text, expected",
    [
        # a report holds actuals, whatever its verbs
        ("园区2023年工作总结\n全年实现工业总产值56亿元,新增规上企业8家。", [(D(56), A, None), (D(8), A, None)]),
        # 预计 in a report: an actual with the estimate version, and so are the clauses after it
        ("主营业务收入预计完成132亿元,同比增长18%;固定资产投资预计完成87亿元。", [(D(132), A, E), (D(87), A, E)]),
        (
            "园区预计:完成工业总产值28亿元;实现税收5200万元;新增规上企业3户。",
            [(D(28), A, E), (D(5200), A, E), (D(3), A, E)],
        ),
        # target words make the rest of the sentence targets
        (
            "确保全年技改投入9亿元,力争招商80亿元以上,引资15亿元以上。",
            [(D(9), T, None), (D(80), T, None), (D(15), T, None)],
        ),
        ("今年,园区将新开工项目10个,全社会固定资产投资超50亿元。", [(D(10), T, None), (D(50), T, None)]),
        (
            "今年完成投资20亿元。下一步,新开工项目10个。明年引进企业8家。",
            [(D(20), A, None), (D(10), T, None), (D(8), T, None)],
        ),
        ("主要预期目标是:地区生产总值实现44亿元,增长20%;财政收入实现10亿元。", [(D(44), T, None), (D(10), T, None)]),
        (
            "九个重点项目总投资26亿元,2016年计划投资10.6亿元,截至3月底累计完成投资1.9亿元。",
            [(D(9), A, None), (D(26), A, None), (D("10.6"), T, None), (D("1.9"), A, None)],
        ),
        # the words of a share phrase are about the actual's progress
        (
            "到位资金5.5亿元,占目标任务5亿元的110%;新开工项目6个。",
            [(D("5.5"), A, None), (D(5), T, None), (D(6), A, None)],
        ),
        (
            "1-3月实现税金7340万元,完成年任务4亿元的18.4%;投产企业达到76户。",
            [(D(7340), A, None), (D(4), T, None), (D(76), A, None)],
        ),
    ],
)
def test_kind_follows_the_document_and_the_sentence(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # a plan document: its title, or an opening sentence that announces plans
        ("园区2024年工作要点\n完成固定资产投资30亿元。引进项目12个。", [(D(30), T, None), (D(12), T, None)]),
        (
            "今年计划完成规划面积2平方公里,修建道路4公里。引进大项目1个。",
            [(D(2), T, None), (D(4), T, None), (D(1), T, None)],
        ),
        # a plan part inside a summary; last year's actuals quoted in it stay actuals
        (
            "一、2023年工作总结\n完成投资20亿元。\n二、2024年工作计划\n2023年完成投资20亿元,今年完成投资25亿元。",
            [(D(20), A, None), (D(20), A, None), (D(25), T, None)],
        ),
        # a sentence of a plan that opens with last year keeps reporting last year
        (
            "园区2024年工作要点\n2023年,园区完成工业产值80亿元,同比增长9%。\n一、主要目标\n工业产值达到90亿元。",
            [(D(80), A, None), (D(90), T, None)],
        ),
        # …and so do the lines it goes on in, one item a line
        (
            "园区2024年工作计划\n2023年,园区完成工业产值80亿元;\n完成投资12亿元。\n一、主要目标\n工业产值增长9%;\n完成投资14亿元。",
            [(D(80), A, None), (D(12), A, None), (None, T, None), (D(14), T, None)],
        ),
        # a report's part on the second half's work plans
        (
            "园区1-6月工作情况\n完成投资8亿元。\n二、下半年工作重点\n再开工项目6个以上。",
            [(D(8), A, None), (D(6), T, None)],
        ),
        # the parts of a plan that name neither plans nor results plan; a part reporting results reports
        (
            "开发区2024年工作要点\n一、主要预期目标\n地区生产总值增长7%左右。\n二、重点工作任务\n新开工项目12个。"
            "\n三、保障措施\n建设人才公寓300套。\n四、一季度完成情况\n完成投资20亿元。",
            [(None, T, None), (D(12), T, None), (D(300), T, None), (D(20), A, None)],
        ),
        # a masked or missing year does not turn a report into targets
        ("20XX年工作总结\n实现工业总产值12.8亿元、固定资产投资1.3亿元。", [(D("12.8"), A, None), (D("1.3"), A, None)]),
        ("二、**年一季度主要指标完成情况\n园区一季度完成工业产值7.4亿元。", [(D("7.4"), A, None)]),
    ],
)
def test_plans_are_told_by_their_title_opening_or_heading(text, expected):
    assert kinds(text, year=2024) == expected


def test_a_count_of_what_already_exists_is_an_actual_even_in_a_plan():
    found = extract("2024年工作计划\n全年引进项目18个;推进24个在建项目早日投产。")
    assert [(c.value, c.kind, c.period) for c in found] == [(D(18), T, "全年"), (D(24), A, None)]


def test_the_investment_size_of_a_named_project_is_an_actual_descriptor():
    c = extract("2024年工作计划\n力促投资1.2亿元的兄弟家具项目尽快建成投产。")[0]
    assert (c.value, c.kind, c.period) == (D("1.2"), A, None)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("紧紧围绕年初确定的目标任务,全年完成固定资产投资25亿元", A),  # targets as the context of a report
        ("按照年度计划,完成投资5亿元", A),
        ("较好地完成了各项目标任务,新增企业5家", A),
        ("园区将项目建设作为重中之重,全年完成投资20亿元", A),  # 将A作为B is not a plan
        ("全年主要经济指标目标任务完成情况:完成工业总产值50亿元", A),  # a report on targets
        ("园区将新开工项目10个", T),
        ("一要抓项目。全年要新开工项目30个", T),  # a directive in a speech
        ("要素保障有力,全年新开工项目30个", A),  # 要素 is a noun
        ("主要新开工项目30个", A),
        ("二、明年工作计划\n预计明年完成投资30亿元", T),  # 预计 in a plan part is a projection
    ],
)
def test_words_about_targets_that_report_results_do_not_make_targets(text, kind):
    assert [c.kind for c in extract(text)] == [kind]


def test_an_amount_actually_done_after_a_planned_one_is_an_actual():
    planned, done = extract("年度计划投资120亿元,实际完成投资131亿元,完成年度计划的109.2%")
    assert (planned.kind, done.kind, done.share_pct) == (T, A, D("109.2"))

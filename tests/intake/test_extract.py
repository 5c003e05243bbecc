"""Tests of the pure work-summary extractor: no database, no Django, only pure modules are imported.

What counts as a figure. ``gold_seed.json`` lists every figure of the seed summary (samples/seed_000.txt),
written by reading the document, not by running the extractor, following these rules:

* A figure is a reported or planned quantity: an Arabic number, or a placeholder (xx, XX, x, 29XX6), followed by
  a unit of amount, area, length or mass (20.75亿元, 1696亩, 478公顷, 56.5公里, 35万平方米, 1800万吨) or of count
  (13个续建工程, 新入区企业6家, 9座桥梁, 7条市政道路, 6宗, 20余人次). A figure written with 余/多 is still one
  (3700余亩, flagged approximate). Each "(桥2座)" of the plan's road list is a figure.
* A breakdown is a figure too: by zone ("东部XX县区6.93亿元" in brackets: the indicator before it, with the zone),
  or by kind ("其中工业用地1113亩", "其中标准厂房企业6家": an indicator of its own, no zone).
* A value that is the year pasted over a number (新投产企业2023家, 202300亩) is still a figure, flagged
  suspect_year. Figures in a paragraph whose period is the year in disguise (今年1-2023月) are flagged
  suspect_period and have no period.
* Not figures: dates and periods (8月29日, 2023月26日, 9月底, 3月份, 1-10月); ranks and ordinals (第28位, 第四批,
  一期, 三期); street names and road/bridge tallies without a unit (21街, 3路5桥); thresholds (亿元以上项目,
  500万元以上企业, 百亿元级); ranges given as guidance (每位领导联系2-3家企业, 培育3-5个产业集群): they are not one
  value a dashboard could store; rates per day or per person (每天联系1次); back-references (这2项约束); numbers in
  Chinese numerals (三个定位, 两次); growth and share percentages, which belong to a figure (yoy_pct, share_pct).
  (Since issue 11 the extractor proposes a range such as 培育3-5个产业集群 as a candidate without a value, flagged
  ``range``, for a person to decide; the gold keeps it out, and the thresholds below allow for it.)
* kind: "actual" in part one (今年以来工作完成情况), "target" in part two (工作思路).
"""

import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from parkdash.intake.extract import decode, extract, propose_year

from .test_command import KEYS as PUBLIC_KEYS

HERE = Path(__file__).parent
SEED_BYTES = (HERE / "samples" / "seed_000.txt").read_bytes()
SEED = decode(SEED_BYTES)
GOLD = json.loads((HERE / "gold_seed.json").read_text(encoding="utf-8"))
REVIEW_FLAGS = {"suspect_year", "placeholder", "suspect_period"}


def dec(value):
    return None if value is None else Decimal(value)


def key(value, unit):
    return (dec(value), unit)


def pair_with_gold(candidates, gold):
    """Pair candidates with gold entries of the same (value, unit), in document order."""
    by_key = defaultdict(list)
    for g in gold:
        by_key[key(g["value"], g["unit"])].append(g)
    pairs = []
    for c in candidates:
        entries = by_key.get((c.value, c.unit))
        if entries:
            pairs.append((c, entries.pop(0)))
    return pairs


def only(text, **kwargs):
    found = extract(text, **kwargs)
    assert len(found) == 1, [c.to_dict() for c in found]
    return found[0]


def values(text, **kwargs):
    return [(c.value, c.unit) for c in extract(text, **kwargs)]


@pytest.fixture(scope="module")
def seed_candidates():
    return extract(SEED)


# --- the seed against the gold ----------------------------------------------------------------------------------


def test_seed_recall_and_precision_are_at_least_95_percent(seed_candidates):
    gold = Counter(key(g["value"], g["unit"]) for g in GOLD)
    found = Counter((c.value, c.unit) for c in seed_candidates)
    matched = sum((gold & found).values())
    recall, precision = matched / sum(gold.values()), matched / sum(found.values())
    assert recall >= 0.95, "recall {:.3f}; missing {}".format(recall, dict(gold - found))
    assert precision >= 0.95, "precision {:.3f}; not in the gold {}".format(precision, dict(found - gold))


def test_matched_seed_figures_have_the_right_kind_and_growth(seed_candidates):
    pairs = pair_with_gold(seed_candidates, GOLD)
    wrong = [
        (c.label, str(c.value), c.unit, c.kind, g["kind"], c.yoy_pct, g["yoy_pct"])
        for c, g in pairs
        if c.kind != g["kind"] or c.yoy_pct != dec(g["yoy_pct"])
    ]
    assert not wrong, wrong


def test_seed_figures_carry_the_review_flags_of_the_gold(seed_candidates):
    pairs = pair_with_gold(seed_candidates, GOLD)
    wrong = [
        (c.label, str(c.value), c.flags, g["flags"])
        for c, g in pairs
        if REVIEW_FLAGS & set(c.flags) != REVIEW_FLAGS & set(g["flags"])
    ]
    assert not wrong, wrong


def test_seed_indicators_and_zones_mostly_match_the_gold(seed_candidates):
    pairs = pair_with_gold(seed_candidates, GOLD)
    codes = sum(c.indicator_code == g["indicator_code"] for c, g in pairs) / len(pairs)
    zones = sum(c.zone == g["zone"] for c, g in pairs) / len(pairs)
    assert codes >= 0.95, codes
    assert zones >= 0.95, zones


def test_seed_boilerplate_before_the_title_yields_nothing(seed_candidates):
    title = SEED.index("市东部产业集聚区工作总结")
    assert all(c.start > title for c in seed_candidates)


def test_seed_sections_name_the_heading_each_figure_came_from(seed_candidates):
    first = seed_candidates[0]
    assert first.section == "(一)经济指标稳中有升"
    assert seed_candidates[-1].section.startswith("1.高标准建设开展平台")


def test_seed_year_is_proposed_from_the_title():
    assert propose_year(SEED) == 2023


def test_every_seed_quote_is_the_text_between_start_and_end(seed_candidates):
    for c in seed_candidates:
        assert SEED[c.start : c.end] == c.quote
        assert c.start <= SEED.index(str(c.value) if c.value is not None else c.quote, c.start) < c.end


# --- a summary of another park, never used to build the rules ----------------------------------------------------

OTHER = (HERE / "samples" / "other_park_2024.txt").read_text(encoding="utf-8")
A, T = "actual", "target"
# (value, unit, kind, yoy_pct), read by hand from samples/other_park_2024.txt
OTHER_EXPECTED = [
    ("386.5", "亿元", A, "9.8"),
    ("82.3", "亿元", A, "7.6"),
    ("112.4", "亿元", A, None),
    ("58.6", "亿元", A, "-3.2"),
    ("15.8", "亿元", A, "6"),
    ("4860", "万美元", A, None),
    ("12", "家", A, None),
    ("215", "家", A, None),
    ("68", "个", A, None),
    ("526", "亿元", A, None),
    ("25", "个", A, None),
    ("17", "个", A, None),
    ("12.6", "万平方米", A, None),
    ("8.5", "公里", A, None),
    ("3", "座", A, None),
    ("41", "个", A, None),
    ("19", "个", A, None),
    (None, "亿元", A, None),
    ("6", "家", A, None),
    ("15", "次", A, None),
    ("1860", "亩", A, None),
    ("920", "亩", A, None),
    ("310", "亩", A, None),
    (None, None, T, "8"),
    ("120", "亿元", T, None),
    ("20", "个", T, None),
    ("30", "个", T, None),
]


def test_another_parks_summary_is_read_figure_by_figure():
    found = [(c.value, c.unit, c.kind, c.yoy_pct) for c in extract(OTHER)]
    expected = [(dec(v), u, k, dec(y)) for v, u, k, y in OTHER_EXPECTED]
    assert found == expected


def test_another_parks_summary_shares_periods_and_zones():
    found = {(str(c.value), c.unit): c for c in extract(OTHER)}
    assert found["112.4", "亿元"].share_pct == Decimal("93.7")
    assert found["386.5", "亿元"].period == "1-11月"
    assert found["12.6", "万平方米"].zone == "城西产业园"
    assert found["8.5", "公里"].zone == "北片区"
    assert found["120", "亿元"].period == "全年"
    assert found["None", "亿元"].flags == ["placeholder"]


# --- coping rules, one sentence each, in the style of other parks ---------------------------------------------


def test_growth_without_a_percent_sign_belongs_to_the_placeholder_figure_before_it():
    c = only("1-10月,园区完成规上工业增加值xx亿元,比去年同期增长42")
    assert (c.value, c.unit, c.yoy_pct, c.period, c.kind) == (None, "亿元", Decimal("42"), "1-10月", "actual")
    assert c.indicator_code == "industrial_value_added"
    assert "placeholder" in c.flags


def test_an_indicator_left_out_of_a_clause_is_carried_over_from_the_one_before():
    first, second = extract("全年力争实现主营业务收入100亿元,确保160亿元")
    assert [first.value, second.value] == [Decimal("100"), Decimal("160")]
    assert {first.indicator_code, second.indicator_code} == {"main_business_revenue"}
    assert first.label == second.label == "主营业务收入"
    assert {first.kind, second.kind, first.period, second.period} == {"target", "全年"}


def test_a_target_given_only_as_a_growth_rate_has_no_value():
    c = only("二、2024年工作计划\n规上工业增加值增长12%。")
    assert (c.value, c.unit, c.yoy_pct, c.kind, c.period) == (None, None, Decimal("12"), "target", "全年")
    assert c.indicator_code == "industrial_value_added" and c.canonical_unit == "亿元"
    assert only("工业增加值增长12%").yoy_pct == Decimal("12")


def test_a_decline_written_with_a_spaced_percent_sign_is_negative_growth():
    c = only("实际利用外资2500万美元,同比下降3.5 %")
    assert (c.value, c.unit, c.yoy_pct) == (Decimal("2500"), "万美元", Decimal("-3.5"))
    assert (c.indicator_code, c.canonical_value, c.canonical_unit) == ("foreign_investment", Decimal("2500"), "万美元")
    assert only("税收收入同比减少5%").yoy_pct == Decimal("-5")


def test_growth_in_multiples_counts_and_percentage_points_do_not():
    assert only("实现工业总产值50亿元,增长1.2倍").yoy_pct == Decimal("120")
    assert only("实现工业总产值50亿元,占比提高2个百分点").yoy_pct is None


def test_growth_rates_listed_after_respectively_pair_with_the_figures_before_them_in_order():
    first, second = extract("完成规上工业总产值85.6亿元、主营业务收入80.2亿元,分别增长8.5%、9.5%")
    assert (first.yoy_pct, second.yoy_pct) == (Decimal("8.5"), Decimal("9.5"))


def test_labels_listed_before_respectively_pair_with_the_values_in_order():
    first, second = extract("规上工业总产值、主营业务收入分别为85.6亿元、80.2亿元")
    assert (first.indicator_code, second.indicator_code) == ("industrial_output_above_size", "main_business_revenue")


def test_counts_in_a_list_are_each_a_figure_with_their_own_label():
    roads, bridges = extract("新建道路3条、桥梁2座")
    assert (roads.value, roads.unit, roads.label) == (Decimal("3"), "条", "道路")
    assert (bridges.value, bridges.unit, bridges.label) == (Decimal("2"), "座", "桥梁")


def test_a_label_written_after_a_count_is_read_after_it():
    c = only("今年以来,重点围绕12个续建项目推进")
    assert (c.label, c.indicator_code) == ("续建项目", "projects_continuing")


def test_a_threshold_is_not_a_figure_but_the_count_it_qualifies_is():
    assert values("共引进亿元以上项目8个") == [(Decimal("8"), "个")]
    assert values("年主营业务收入500万元以上企业达到126家") == [(Decimal("126"), "家")]
    assert values("投资超10亿元的项目3个,培育百亿元级产业集群") == [(Decimal("3"), "个")]


def test_completion_of_the_annual_target_is_a_share_of_the_figure_before_it():
    c = only("1-6月完成固定资产投资12.5亿元,完成全年目标的49%")
    assert (c.value, c.share_pct, c.kind, c.period) == (Decimal("12.5"), Decimal("49"), "actual", "1-6月")
    c = only("实现税收2.3亿元,同比增长15.6%,占全区的35%")
    assert (c.yoy_pct, c.share_pct) == (Decimal("15.6"), Decimal("35"))


@pytest.mark.parametrize(
    "text",
    [
        "北片污水处理厂于8月29日开工建设,9月底前完成主体",
        "3月份赴广州招商,2023年10月26日签约",
        "综合实力排名全省第28位,位列前3名",
        "第四批企业入驻,一期工程完工,三期开工",
        "完成21街、25街的路面硬化,开工建设3路5桥",
        "通过这2项约束,每天联系1次企业、每月召开1次对接会",
        "每位领导联系2-3家企业,每个园区建设1-2条道路",
        "坚持三个定位,突出两项重点",
        "上半年,增长率为12%",
    ],
)
def test_dates_ranks_ordinals_streets_ranges_and_rates_per_day_are_not_figures(text):
    assert extract(text) == []


def test_a_zone_in_brackets_breaks_down_the_figure_before_it():
    total, part = extract("完成固定资产投资20亿元(其中城东工业园8亿元)")
    assert (part.value, part.zone, part.indicator_code) == (Decimal("8"), "城东工业园", "fixed_asset_investment")
    assert total.zone is None


def test_of_which_a_kind_is_its_own_indicator_and_not_a_zone():
    _, part = extract("完成供地1200亩(其中工业用地800亩)")
    assert (part.zone, part.indicator_code, part.label) == (None, "industrial_land_supplied", "工业用地")


def test_a_zone_heading_a_dash_list_covers_the_items_of_the_list():
    first, second, other = extract("北片新建3路5桥——金塘路(桥2座)、柳海路(桥1座),完成绿化5万平方米")
    assert (first.zone, second.zone, other.zone) == ("北片", "北片", None)


def test_zones_are_recognised_by_pattern_not_by_a_list_of_names():
    found = extract("南片完成投资3亿元,北片新建道路5公里。其中滨江工业园完成投资4亿元,西片区完成投资2亿元")
    assert [c.zone for c in found] == ["南片", "北片", "滨江工业园", "西片区"]
    assert extract("完成固定资产投资12.5亿元;其中北片3.2亿元")[1].zone == "北片"
    assert only("南北片河道完成开挖18公里").zone is None


def test_a_year_pasted_over_a_number_is_flagged_and_never_silently_trusted():
    firms, land = extract("新开工企业2023家,完成了202300亩未利用地指标的报批工作", year=2023)
    assert "suspect_year" in firms.flags and firms.value == Decimal("2023")
    assert "suspect_year" in land.flags
    assert extract("布展方案2023月2023日完成招投标,2023月26日签约") == []
    c = only("今年1-2023月,完成投资5亿元")
    assert c.period is None and "suspect_period" in c.flags


def test_placeholders_have_no_value_and_are_flagged():
    found = extract("新签约项目XX个,协议投资29XX6万元,完成产值x亿元")
    assert [(c.value, c.unit) for c in found] == [(None, "个"), (None, "万元"), (None, "亿元")]
    assert all("placeholder" in c.flags for c in found)


def test_figures_in_the_plan_part_are_targets_for_the_whole_year():
    text = (
        "一、2023年工作完成情况\n1-11月完成固定资产投资18亿元。\n"
        "二、2024年工作打算\n完成固定资产投资22亿元,新开工项目15个。"
    )
    actual, target, projects = extract(text)
    assert (actual.kind, actual.period, actual.section) == ("actual", "1-11月", "一、2023年工作完成情况")
    assert (target.kind, target.period, projects.kind) == ("target", "全年", "target")


def test_a_long_numbered_item_does_not_turn_its_part_into_a_plan():
    text = "一、工作完成情况\n1.全年计划投资30亿元的重点项目稳步推进,进展顺利,截至目前已完成投资25亿元。"
    planned, done = extract(text)
    assert (planned.kind, done.value, done.kind) == ("target", Decimal("25"), "actual")


def test_a_part_may_be_named_on_a_line_of_its_own_without_a_number():
    text = "2023年工作完成情况\n全年完成投资30亿元。\n下一步工作打算\n完成投资35亿元,新开工项目12个。"
    assert [c.kind for c in extract(text)] == ["actual", "target", "target"]


def test_a_year_to_date_figure_after_a_target_in_the_same_sentence_is_actual():
    target, actual = extract("全年目标任务为固定资产投资30亿元,1-10月完成25亿元,完成全年目标的83%")
    assert (target.kind, actual.kind, actual.period, actual.share_pct) == ("target", "actual", "1-10月", Decimal("83"))


def test_target_verbs_make_targets_outside_the_plan_part():
    done, planned = extract("1-10月完成投资20亿元,力争全年完成25亿元")
    assert (done.kind, planned.kind, planned.period) == ("actual", "target", "全年")


def test_an_estimate_for_the_year_in_a_report_is_an_actual_with_the_estimate_version():
    done, expected = extract("1-10月完成投资20亿元,预计全年完成25亿元")
    assert (done.kind, done.version) == ("actual", None)
    assert (expected.kind, expected.version, expected.period) == ("actual", "estimate", "全年")
    assert only("争取到省级补助资金1500万元").kind == "actual"


def test_site_boilerplate_before_the_title_is_skipped():
    text = (
        "温馨提示:\n1. 本文档由用户上传,已有200人下载,请放心下载。\n网站客服:3074922707\n"
        "XX园区2023年工作总结\n今年实现税收3亿元。"
    )
    c = only(text)
    assert (c.value, c.unit, c.indicator_code) == (Decimal("3"), "亿元", "tax_revenue")


def test_rewritten_words_are_matched_while_quotes_keep_the_original_text():
    catalogue = [
        SimpleNamespace(code="new_projects", name_zh="新开工项目", aliases="开工项目、新开项目", unit="个"),
        SimpleNamespace(code="service_firms", name_zh="服务业企业", aliases="", unit="家"),
    ]
    projects, firms = extract("新开工工程24个,效劳业企业8家", catalogue=catalogue)
    assert (projects.indicator_code, projects.label, firms.indicator_code) == (
        "new_projects",
        "新开工工程",
        "service_firms",
    )
    assert projects.quote == "新开工工程24个"


def test_values_convert_to_the_catalogue_unit():
    c = only("实现工业总产值3214万元")
    assert (c.canonical_value, c.canonical_unit) == (Decimal("0.3214"), "亿元")
    c = only("完成供地15公顷")
    assert (c.canonical_value, c.canonical_unit) == (Decimal("225"), "亩")


def test_count_units_never_convert_into_each_other():
    c = only("新入区企业6个")
    assert (c.indicator_code, c.canonical_value) == (None, None)
    assert "unit_mismatch" in c.flags


def test_an_unknown_label_still_gives_a_candidate_without_an_indicator():
    c = only("建成自行车绿道12.5公里")
    assert (c.value, c.unit, c.indicator_code, c.canonical_value) == (Decimal("12.5"), "公里", None, None)
    assert "自行车绿道" in c.label


def test_to_dict_gives_the_public_keys_ready_for_json():
    c = only("实现工业总产值3214万元,同比增长8.50%")
    d = c.to_dict()
    assert list(d) == PUBLIC_KEYS  # spelled out: what the JSON of extract_summary promises its readers
    assert (d["indicator_name"], d["version"], d["range"]) == ("工业总产值", None, None)
    assert (d["value"], d["canonical_value"], d["yoy_pct"]) == ("3214", "0.3214", "8.5")
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d
    assert c.to_dict(with_section=True)["section"] == ""


@pytest.mark.parametrize(
    "text",
    [
        "1-10月,园区完成规上工业增加值xx亿元,比去年同期增长42",
        "全年力争实现主营业务收入100亿元,确保160亿元",
        "工业增加值增长12%",
        "实际利用外资2500万美元,同比下降3.5 %",
        "新建道路3条、桥梁2座",
        "共引进亿元以上项目8个",
        "1-6月完成固定资产投资12.5亿元,完成全年目标的49%",
        "  \n固定资产投资20亿元(其中城东工业园8亿元)\r\n",
        "规上工业总产值、主营业务收入分别为85.6亿元、80.2亿元,分别增长8.5%、9.5%",
        OTHER,
    ],
)
def test_every_quote_is_the_text_between_start_and_end(text):
    found = extract(text)
    assert found
    for c in found:
        assert text[c.start : c.end] == c.quote and c.quote == c.quote.strip()


def test_empty_text_gives_no_candidates():
    assert extract("") == [] and extract("   \n") == []

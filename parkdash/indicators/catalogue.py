"""The indicator catalogue: every indicator ParkDash knows, with the aliases summaries use.

Pure data, no Django. It is the single source for the catalogue part of
``fixtures/seed.json`` (see ``fixtures/build_seed.py``) and for the work-summary
extractor when it runs without a database. Users add aliases in the admin; the
extractor then reads them from the database.

Each entry: code, Chinese name, English name, canonical unit, category,
whether higher is better, aliases (other ways summaries write the same thing),
and how the indicator adds up over the year (``aggregation``):

* ``cumulative`` (the default): a running total from January (money, output, land supplied, enterprises or
  projects *newly* admitted, started, completed, quantities built), judged against 序时进度;
* ``stock``: a level at a date (enterprises above designated size, high-tech enterprises, projects continuing or
  in approval), compared with its target directly;
* ``rate``: a ratio (energy per 万元 of value added), compared with its target directly, in the direction of
  ``higher_is_better``.
"""

from dataclasses import dataclass, field

# The aggregation kinds (indicators.choices.Aggregation); plain strings so that the catalogue stays pure data.
CUMULATIVE, STOCK, RATE = "cumulative", "stock", "rate"


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name_zh: str
    name_en: str
    unit: str
    category: str
    higher_is_better: bool = True
    aliases: tuple = field(default_factory=tuple)
    aggregation: str = CUMULATIVE

    @property
    def labels(self):
        """The Chinese name followed by every alias."""
        return (self.name_zh, *self.aliases)


CATALOGUE = (
    # investment
    IndicatorSpec(
        "fixed_asset_investment",
        "固定资产投资",
        "Fixed-asset investment",
        "亿元",
        "investment",
        aliases=("固投", "全社会固定资产投资", "固定资产投资额", "完成投资", "固定资产投资总额", "固定资产投入"),
    ),
    IndicatorSpec(
        "government_investment",
        "政府性投入",
        "Government investment",
        "亿元",
        "investment",
        aliases=("政府性投资", "政府投资", "政府投入"),
    ),
    IndicatorSpec(
        "industrial_investment",
        "工业投资",
        "Industrial investment",
        "亿元",
        "investment",
        aliases=("工业性投入", "工业性投资", "工业投入", "工业实际投入", "工业固定资产投资", "工业项目投资"),
    ),
    IndicatorSpec(
        "foreign_investment",
        "实际利用外资",
        "Foreign direct investment used",
        "万美元",
        "investment",
        aliases=("利用外资", "实际使用外资", "到位外资", "实际到位外资"),
    ),
    IndicatorSpec(
        "domestic_investment",
        "实际到位内资",
        "Domestic investment received",
        "亿元",
        "investment",
        aliases=("到位内资", "利用内资", "引进内资"),
    ),
    # output
    IndicatorSpec(
        "industrial_output", "工业总产值", "Gross industrial output", "亿元", "output", aliases=("工业产值",)
    ),
    IndicatorSpec(
        "industrial_output_above_size",
        "规上工业总产值",
        "Industrial output above designated size",
        "亿元",
        "output",
        aliases=("规模以上工业总产值", "规模以上工业产值", "规上工业产值"),
    ),
    IndicatorSpec(
        "industrial_value_added",
        "规上工业增加值",
        "Industrial value added above designated size",
        "亿元",
        "output",
        aliases=(
            "规模以上工业增加值",
            "工业增加值",
            "规模以上工业企业增加值",
            "规上工业企业增加值",
            "规模以上企业工业增加值",
            "规模工业增加值",
        ),
    ),
    IndicatorSpec(
        "main_business_revenue",
        "主营业务收入",
        "Main business revenue",
        "亿元",
        "output",
        aliases=("营业收入", "主营收入", "销售收入", "营业总收入", "主营业务收入总额"),
    ),
    IndicatorSpec(
        "tax_revenue",
        "税收收入",
        "Tax revenue",
        "亿元",
        "output",
        aliases=("税收", "实现税收", "入库税收", "税金", "上交税金", "实缴税金", "入库税金", "应缴税收"),
    ),
    IndicatorSpec(
        "fiscal_revenue",
        "财政总收入",
        "Total fiscal revenue",
        "亿元",
        "output",
        aliases=(
            "财政收入",
            "一般公共预算收入",
            "地方财政收入",
            "一般预算收入",
            "地方财政一般预算收入",
            "公共财政预算收入",
            "地方公共财政预算收入",
            "大口径财政收入",
        ),
    ),
    IndicatorSpec(
        "export_value",
        "自营出口",
        "Exports",
        "亿美元",
        "output",
        aliases=("出口总额", "外贸出口", "出口额", "出口创汇"),
    ),
    # land
    IndicatorSpec(
        "land_supplied", "供地", "Land supplied", "亩", "land", aliases=("供应土地", "土地供应", "完成供地", "供地面积")
    ),
    IndicatorSpec(
        "industrial_land_supplied",
        "工业用地",
        "Industrial land supplied",
        "亩",
        "land",
        aliases=("工业用地供应", "供应工业用地"),
    ),
    IndicatorSpec(
        "land_transferred",
        "出让土地",
        "Land transferred to enterprises",
        "亩",
        "land",
        aliases=("土地出让", "出让用地"),
    ),
    IndicatorSpec("land_reclaimed", "造田造地", "Land reclaimed", "亩", "land", aliases=("围垦造地", "造地")),
    IndicatorSpec(
        "land_financing_certificates",
        "融资权证办理",
        "Land with financing certificates",
        "亩",
        "land",
        aliases=("融资权证",),
    ),
    IndicatorSpec(
        "sea_use_acceptance",
        "用海工程验收",
        "Sea-use projects accepted and reserved",
        "亩",
        "land",
        aliases=("用海项目验收", "用海工程的验收"),
    ),
    IndicatorSpec(
        "unused_land_quota", "未利用地指标", "Unused-land quota approved", "亩", "land", aliases=("未利用地",)
    ),
    # enterprises
    IndicatorSpec(
        "enterprises_admitted",
        "新入区企业",
        "Enterprises newly admitted",
        "家",
        "enterprises",
        aliases=("新引进企业", "新落户企业", "新进区企业", "入驻企业", "新入驻企业", "入园企业", "新入园企业"),
    ),
    IndicatorSpec(
        "enterprises_started",
        "新开工企业",
        "Enterprises started construction",
        "家",
        "enterprises",
        aliases=("开工企业",),
    ),
    IndicatorSpec(
        "enterprises_in_production",
        "新投产企业",
        "Enterprises started production",
        "家",
        "enterprises",
        aliases=("投产企业", "竣工投产企业"),
    ),
    IndicatorSpec(
        "enterprises_in_production_std_factory",
        "标准厂房投产企业",
        "Enterprises started production in standard factory buildings",
        "家",
        "enterprises",
        aliases=("标准厂房企业", "标准厂房企业投产"),
    ),
    IndicatorSpec(
        "enterprises_evaluated",
        "企业评估",
        "Enterprises evaluated for admission",
        "家",
        "enterprises",
        aliases=("评估企业", "完成企业评估"),
    ),
    IndicatorSpec(
        "enterprises_above_size",
        "规上工业企业",
        "Enterprises above designated size",
        "家",
        "enterprises",
        aliases=("规上企业", "规模以上企业", "规模以上工业企业"),
        aggregation=STOCK,
    ),
    # construction
    IndicatorSpec(
        "projects_continuing",
        "续建工程",
        "Continuing projects",
        "个",
        "construction",
        aliases=("续建项目",),
        aggregation=STOCK,
    ),
    IndicatorSpec(
        "projects_new_start", "新开工工程", "Newly started projects", "个", "construction", aliases=("新开工项目",)
    ),
    IndicatorSpec(
        "projects_in_approval",
        "筹备报批工程",
        "Projects in preparation and approval",
        "个",
        "construction",
        aliases=("筹备报批项目", "前期报批工程", "前期报批项目", "报批工程", "报批项目"),
        aggregation=STOCK,
    ),
    IndicatorSpec(
        "projects_completed",
        "完工工程",
        "Completed projects",
        "个",
        "construction",
        aliases=("完工项目", "竣工项目", "竣工工程"),
    ),
    IndicatorSpec("road_base", "道路路基", "Road base built", "公里", "construction", aliases=("路基",)),
    IndicatorSpec(
        "earth_fill",
        "填筑土石方",
        "Earth and rock fill",
        "万吨",
        "construction",
        aliases=("土石方", "填筑宕碴", "宕碴"),
    ),
    IndicatorSpec(
        "river_excavation",
        "河湖开挖",
        "River and lake excavation",
        "万平方米",
        "construction",
        aliases=("河道湖泊开挖", "河道开挖"),
    ),
    IndicatorSpec(
        "river_excavation_length",
        "河道开挖长度",
        "River and lake excavation (length)",
        "公里",
        "construction",
        aliases=("河道湖泊工程开挖", "河道湖泊开挖长度", "河湖开挖长度", "开挖"),
    ),
    IndicatorSpec(
        "loans_obtained", "获得贷款", "Loans obtained", "亿元", "investment", aliases=("获得银行贷款", "新增贷款")
    ),
    # Common in other parks' summaries (not in the seed).
    IndicatorSpec(
        "gdp", "地区生产总值", "Gross regional product", "亿元", "output", aliases=("GDP", "生产总值", "国内生产总值")
    ),
    IndicatorSpec("total_profit", "利润总额", "Total profit", "亿元", "output", aliases=("实现利润",)),
    IndicatorSpec("foreign_trade", "进出口总额", "Imports and exports", "亿美元", "output", aliases=("外贸进出口",)),
    IndicatorSpec("rd_spending", "研发经费投入", "R&D spending", "亿元", "output", aliases=("研发投入",)),
    IndicatorSpec(
        "high_tech_enterprises",
        "高新技术企业",
        "High-tech enterprises",
        "家",
        "enterprises",
        aliases=("高企",),
        aggregation=STOCK,
    ),
    IndicatorSpec(
        "new_enterprises_above_size",
        "新增规上工业企业",
        "New enterprises above designated size",
        "家",
        "enterprises",
        aliases=(
            "新增规上企业",
            "新增规模企业",
            "新增规模以上企业",
            "新增规模以上工业企业",
            "新进规上企业",
            "新进规上工业企业",
            "新入规企业",
        ),
    ),
    IndicatorSpec(
        "projects_signed",
        "签约项目",
        "Projects signed",
        "个",
        "investment",
        aliases=("新签约项目", "招引项目", "签约产业项目", "签约工业项目", "签约入园项目"),
    ),
    IndicatorSpec(
        "agreed_investment",
        "协议投资",
        "Agreed investment",
        "亿元",
        "investment",
        aliases=("合同引资额", "协议引资", "协议总投资", "协议投资额", "招商引资协议投资"),
    ),
    IndicatorSpec(
        "investment_received",
        "招商引资到位资金",
        "Attracted investment received",
        "亿元",
        "investment",
        aliases=("到位资金", "到位省外资金", "实际到位资金", "到位市外资金", "招商引资实际到位资金"),
    ),
    IndicatorSpec("land_acquired", "土地征收", "Land acquired", "亩", "land", aliases=("征收土地",)),
    IndicatorSpec(
        "idle_land_revitalised", "盘活低效用地", "Idle land put back to use", "亩", "land", aliases=("盘活闲置土地",)
    ),
    IndicatorSpec("pipe_network", "管网", "Pipe network", "公里", "construction", aliases=("污水管网", "供水管网")),
    IndicatorSpec(
        "infrastructure_investment",
        "基础设施投资",
        "Infrastructure investment",
        "亿元",
        "investment",
        aliases=(
            "基础设施建设投资",
            "基础建设投资",
            "基础建设总投资",
            "基础设施投入",
            "基础设施建设",
            "基础设施总投资",
        ),
    ),
    IndicatorSpec(
        "tech_renovation_investment",
        "技改投资",
        "Technical renovation investment",
        "亿元",
        "investment",
        aliases=("技改投入", "技术改造投资", "工业技改投资"),
    ),
    IndicatorSpec(
        "tech_industry_trade_revenue",
        "技工贸总收入",
        "Technology, industry and trade revenue",
        "亿元",
        "output",
        aliases=("科工贸总收入", "技工贸收入"),
    ),
    IndicatorSpec(
        "standard_factory_area",
        "标准化厂房",
        "Standard factory buildings",
        "万平方米",
        "construction",
        aliases=("标准厂房", "标准化厂房面积", "标准厂房面积"),
    ),
    IndicatorSpec(
        "land_reserved", "土地收储", "Land taken into the reserve", "亩", "land", aliases=("收储土地", "土地储备")
    ),
    IndicatorSpec(
        "industrial_power_use", "工业用电量", "Industrial power use", "万千瓦时", "output", aliases=("用电量",)
    ),
    # ecology
    IndicatorSpec("greening_area", "绿化面积", "Greening area", "万平方米", "ecology", aliases=("绿化", "景观绿化")),
    IndicatorSpec(
        "greening_soil", "填筑绿化用土", "Soil filled for greening", "万吨", "ecology", aliases=("绿化用土",)
    ),
    IndicatorSpec(
        "energy_per_output",
        "单位工业增加值能耗",
        "Energy use per unit of industrial value added",
        "吨标准煤/万元",
        "ecology",
        higher_is_better=False,
        aliases=("万元工业增加值能耗", "单位能耗"),
        aggregation=RATE,
    ),
)

BY_CODE = {spec.code: spec for spec in CATALOGUE}

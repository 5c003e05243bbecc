"""The catalogue learns the names other parks' summaries use (issue 11).

Only a database that already holds the catalogue changes: an empty one gets the whole catalogue later, from
catalogue.py, when the seed fixture or the demo data is loaded. The data is written out here rather than read
from catalogue.py, so that later changes to the catalogue do not change what this migration did. Names and
aliases a user changed in the admin are kept: a name is only renamed while it is still the old default, and
aliases are only added.
"""

from django.db import migrations

# code → (old default name, new name): the statistician's names.
RENAMES = {
    "industrial_investment": ("工业性投入", "工业投资"),
    "enterprises_above_size": ("规上企业", "规上工业企业"),
    "new_enterprises_above_size": ("新增规上企业", "新增规上工业企业"),
}
NEW_ALIASES = {
    "fixed_asset_investment": ("固定资产投资总额", "固定资产投入"),
    "industrial_investment": ("工业性投入", "工业实际投入", "工业固定资产投资", "工业项目投资"),
    "foreign_investment": ("实际到位外资",),
    "industrial_value_added": ("规模以上工业企业增加值", "规上工业企业增加值", "规模以上企业工业增加值", "规模工业增加值"),
    "main_business_revenue": ("营业总收入", "主营业务收入总额"),
    "tax_revenue": ("税金", "上交税金", "实缴税金", "入库税金", "应缴税收"),
    "fiscal_revenue": ("一般预算收入", "地方财政一般预算收入", "公共财政预算收入", "地方公共财政预算收入", "大口径财政收入"),
    "export_value": ("出口创汇",),
    "enterprises_above_size": ("规上企业", "规模以上工业企业"),
    "gdp": ("国内生产总值",),
    "agreed_investment": ("协议总投资", "协议投资额", "招商引资协议投资"),
    "new_enterprises_above_size": ("新增规上企业", "新增规模企业", "新增规模以上企业", "新增规模以上工业企业", "新进规上企业",
                                   "新进规上工业企业", "新入规企业"),
    "projects_signed": ("签约产业项目", "签约工业项目", "签约入园项目"),
    "investment_received": ("实际到位资金", "到位市外资金", "招商引资实际到位资金"),
}
# (code, Chinese name, English name, unit, category, aliases)
NEW_INDICATORS = (
    ("infrastructure_investment", "基础设施投资", "Infrastructure investment", "亿元", "investment",
     ("基础设施建设投资", "基础建设投资", "基础建设总投资", "基础设施投入", "基础设施建设", "基础设施总投资")),
    ("tech_renovation_investment", "技改投资", "Technical renovation investment", "亿元", "investment",
     ("技改投入", "技术改造投资", "工业技改投资")),
    ("tech_industry_trade_revenue", "技工贸总收入", "Technology, industry and trade revenue", "亿元", "output",
     ("科工贸总收入", "技工贸收入")),
    ("standard_factory_area", "标准化厂房", "Standard factory buildings", "万平方米", "construction",
     ("标准厂房", "标准化厂房面积", "标准厂房面积")),
    ("land_reserved", "土地收储", "Land taken into the reserve", "亩", "land", ("收储土地", "土地储备")),
)
SEPARATORS = str.maketrans({",": "、", "，": "、", ";": "、", "；": "、", "\n": "、"})


def _aliases(text):
    return [a.strip() for a in (text or "").translate(SEPARATORS).split("、") if a.strip()]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    if not Indicator.objects.exists():
        return
    names = set(Indicator.objects.values_list("name", flat=True))
    for code, (old, new) in RENAMES.items():
        indicator = Indicator.objects.filter(code=code, name=old).first()
        if indicator is not None and new not in names:
            indicator.name = new
            indicator.save(update_fields=["name"])
            names.discard(old)
            names.add(new)
    for code, added in NEW_ALIASES.items():
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            continue
        aliases = _aliases(indicator.aliases)
        missing = [a for a in added if a not in aliases and a != indicator.name]
        if missing:
            indicator.aliases = "、".join(aliases + missing)
            indicator.save(update_fields=["aliases"])
    order = max(Indicator.objects.values_list("sort_order", flat=True), default=0)
    for code, name, name_en, unit, category, aliases in NEW_INDICATORS:
        if Indicator.objects.filter(code=code).exists() or name in names:
            continue
        order += 10
        Indicator.objects.create(code=code, name=name, name_en=name_en, unit=unit, category=category,
                                 aliases="、".join(aliases), sort_order=order)
        names.add(name)


class Migration(migrations.Migration):

    dependencies = [
        ("indicators", "0005_revision_counter"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]

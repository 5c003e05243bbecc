"""Units of measure and conversion between compatible units.

Pure Python, no Django: the work-summary extractor and the models both use it.
Each unit belongs to a dimension and has an exact factor (a ``Fraction``) to the
dimension's base unit. Count units (家, 个, 座 …) are each their own dimension:
a count unit is part of the meaning, so 家 never converts to 个.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction


class UnitError(ValueError):
    """A unit is unknown, or two units cannot be converted into each other."""


@dataclass(frozen=True)
class Unit:
    symbol: str
    dimension: str
    factor: Fraction  # how many base units one of this unit is


def _units() -> dict[str, Unit]:
    table: list[tuple[str, str, int | Fraction]] = [
        # money (base: 元)
        ("元", "money", 1),
        ("千元", "money", 1000),
        ("万元", "money", 10**4),
        ("百万元", "money", 10**6),
        ("千万元", "money", 10**7),
        ("亿元", "money", 10**8),
        ("万亿元", "money", 10**12),
        ("美元", "money_usd", 1),
        ("万美元", "money_usd", 10**4),
        ("亿美元", "money_usd", 10**8),
        ("港元", "money_hkd", 1),
        ("万港元", "money_hkd", 10**4),
        ("亿港元", "money_hkd", 10**8),
        # area (base: m²). 1 公顷 = 15 亩 = 10,000 m²
        ("平方米", "area", 1),
        ("m²", "area", 1),
        ("㎡", "area", 1),
        ("千平方米", "area", 10**3),
        ("万平方米", "area", 10**4),
        ("公顷", "area", 10**4),
        ("亩", "area", Fraction(10**4, 15)),
        ("万亩", "area", Fraction(10**8, 15)),
        ("平方公里", "area", 10**6),
        ("平方千米", "area", 10**6),
        # length (base: m)
        ("米", "length", 1),
        ("m", "length", 1),
        ("公里", "length", 1000),
        ("千米", "length", 1000),
        ("km", "length", 1000),
        ("万米", "length", 10**4),
        # mass (base: 吨)
        ("吨", "mass", 1),
        ("万吨", "mass", 10**4),
        # volume (base: m³); 方 is the colloquial cubic metre
        ("立方米", "volume", 1),
        ("m³", "volume", 1),
        ("方", "volume", 1),
        ("万立方米", "volume", 10**4),
        ("万方", "volume", 10**4),
        # power (base: kW)
        ("千瓦", "power", 1),
        ("万千瓦", "power", 10**4),
        ("兆瓦", "power", 1000),
        # electricity (base: kWh), e.g. 工业用电量
        ("千瓦时", "energy", 1),
        ("kWh", "energy", 1),
        ("万千瓦时", "energy", 10**4),
        ("亿千瓦时", "energy", 10**8),
        # energy use in standard coal equivalent (base: 吨标准煤), e.g. 综合能耗
        ("吨标准煤", "coal_equivalent", 1),
        ("万吨标准煤", "coal_equivalent", 10**4),
        # energy intensity (base: 吨标准煤 per 万元), e.g. 单位工业增加值能耗. A rate: it converts only to its own
        # variants, never to 吨标准煤 or to 万元.
        ("吨标准煤/万元", "coal_per_money", 1),
        ("千克标准煤/万元", "coal_per_money", Fraction(1, 1000)),
        # percentage points
        ("%", "percent", 1),
    ]
    counts = [
        "家",
        "个",
        "座",
        "条",
        "户",
        "人",
        "人次",
        "项",
        "宗",
        "所",
        "套",
        "栋",
        "幢",
        "台",
        "件",
        "批",
        "次",
        "名",
        "辆",
        "处",
        "场",
        "块",
        "株",
        "棵",
        "标箱",
        "盏",
        "笔",
        # visits and events counted per visit: 接待客商300批次, 走访企业320家次
        "批次",
        "家次",
        "户次",
        "场次",
    ]
    # Large counts are written with 万 (1.2万人, 5万株); they stay in their count's dimension.
    ten_thousands = ["人", "人次", "户", "套", "台", "件", "辆", "株", "棵", "标箱"]
    units = {s: Unit(s, d, Fraction(f)) for s, d, f in table}
    units.update({s: Unit(s, "count:" + s, Fraction(1)) for s in counts})
    units.update({"万" + s: Unit("万" + s, "count:" + s, Fraction(10**4)) for s in ten_thousands})
    return units


UNITS = _units()

# Symbols as they may be written, mapped to the canonical symbol.
ALIASES = {
    "平方": "平方米",
    "平米": "平方米",
    "万平米": "万平方米",
    "万m²": "万平方米",
    "万㎡": "万平方米",
    "千米": "千米",
    "万元人民币": "万元",
    "亿元人民币": "亿元",
    "个亿": "亿元",  # 产值突破30个亿
    "％": "%",
    "吨标煤": "吨标准煤",
    "万吨标煤": "万吨标准煤",
    "吨标煤/万元": "吨标准煤/万元",
    "吨标准煤每万元": "吨标准煤/万元",
    "tce/万元": "吨标准煤/万元",
    "千克标煤/万元": "千克标准煤/万元",
    "kgce/万元": "千克标准煤/万元",
}


def get_unit(symbol: str | None) -> Unit:
    """Return the :class:`Unit` for ``symbol`` (stripped, aliases resolved) or raise UnitError."""
    key = (symbol or "").strip()
    key = ALIASES.get(key, key)
    try:
        return UNITS[key]
    except KeyError:
        raise UnitError(f"unknown unit “{symbol}”") from None


def is_known(symbol: str | None) -> bool:
    try:
        get_unit(symbol)
    except UnitError:
        return False
    return True


def compatible(a: str | None, b: str | None) -> bool:
    """True when a value in unit ``a`` can be expressed in unit ``b``."""
    return get_unit(a).dimension == get_unit(b).dimension


def convert(value: Decimal | int | str, from_unit: str | None, to_unit: str | None, places: int = 4) -> Decimal:
    """Convert ``value`` from one unit to another, exactly, rounded to ``places`` decimals.

    >>> convert(Decimal("3214"), "万元", "亿元")
    Decimal('0.3214')
    >>> convert(1, "公顷", "亩")
    Decimal('15.0000')
    """
    src, dst = get_unit(from_unit), get_unit(to_unit)
    if src.dimension != dst.dimension:
        raise UnitError(f"cannot convert {src.symbol} to {dst.symbol}: they measure different things")
    exact = Fraction(Decimal(value)) * src.factor / dst.factor
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(quantum)


# --- entry: the units a value may be typed in, and the shorthand people type ------------------------------------

# Spellings and rarely used sizes that are accepted when typed but not offered in a list of units to choose from.
NOT_OFFERED = frozenset(
    {
        "万亿元",
        "千万元",
        "百万元",
        "千元",
        "m²",
        "㎡",
        "千平方米",
        "平方千米",
        "m",
        "千米",
        "km",
        "万米",
        "m³",
        "方",
        "万方",
        "kWh",
    }
)
# Multipliers typed alone for "this many of the indicator's unit": 亿 (亿元), 万 (万元, 万亩, 万吨 …).
PREFIXES = ("万亿", "千万", "百万", "亿", "万", "千")


def entry_units(canonical):
    """The units a value of an indicator in ``canonical`` may be chosen in, largest first, ``canonical`` included.

    >>> entry_units("亿元")
    ['亿元', '万元', '元']
    """
    dimension = get_unit(canonical).dimension
    symbol = get_unit(canonical).symbol
    found = [
        u for u in UNITS.values() if u.dimension == dimension and (u.symbol not in NOT_OFFERED or u.symbol == symbol)
    ]
    return [u.symbol for u in sorted(found, key=lambda u: -u.factor)]  # a stable sort: table order for equal sizes


def entry_groups():
    """Every offered unit grouped by dimension: [(dimension, [symbol, …])], each group largest first."""
    groups = {}
    for unit in UNITS.values():
        if unit.symbol not in NOT_OFFERED:
            groups.setdefault(unit.dimension, []).append(unit)
    return [
        (dimension, [u.symbol for u in sorted(found, key=lambda u: -u.factor)]) for dimension, found in groups.items()
    ]


def _base_symbol(symbol):
    """``symbol`` without its multiplier: 元 for 亿元, 亩 for 万亩, 千瓦时 for 亿千瓦时 (千瓦 is not 千 × 瓦)."""
    for prefix in PREFIXES:
        if symbol.startswith(prefix) and symbol[len(prefix) :] in UNITS:
            return symbol[len(prefix) :]
    return symbol


def resolve(symbol, canonical):
    """The canonical symbol of the unit meant by ``symbol`` for a value of an indicator in ``canonical``.

    Blank means ``canonical``; a known unit or alias is itself; a multiplier typed alone is completed from the
    indicator's unit (亿 → 亿元 and 万 → 万元 for money, 万 → 万亩 for 亩, 万 → 万吨 for 万吨). Raises
    :class:`UnitError` when the unit is unknown or measures something else than ``canonical``.

    >>> resolve("亿", "万元"), resolve("万", "亩"), resolve("", "亿元")
    ('亿元', '万亩', '亿元')
    """
    target = get_unit(canonical)
    text = (symbol or "").strip()
    if not text:
        return target.symbol
    if text in PREFIXES and (text + _base_symbol(target.symbol)) in UNITS:
        unit = UNITS[text + _base_symbol(target.symbol)]
    else:
        unit = get_unit(text)
    if unit.dimension != target.dimension:
        raise UnitError(f"{unit.symbol} does not fit {target.symbol}")
    return unit.symbol


# --- display: the unit people read a value in, and its name in English -------------------------------------------

# Money is read in 万 below one 亿 and in 亿 from one 亿 up (0.3214 亿元 is "3,214 万元"), in every currency.
AUTO_DISPLAY = {
    "万元": ("万元", "亿元"),
    "亿元": ("万元", "亿元"),
    "万美元": ("万美元", "亿美元"),
    "亿美元": ("万美元", "亿美元"),
    "万港元": ("万港元", "亿港元"),
    "亿港元": ("万港元", "亿港元"),
}

# English names of the units. A count unit (家, 个, 座 …) is a measure word: English says "14 enterprises" through
# the indicator's name, so the unit is left out ("").
ENGLISH = {
    "元": "yuan",
    "千元": "thousand yuan",
    "万元": "10k yuan",
    "百万元": "million yuan",
    "千万元": "10M yuan",
    "亿元": "100M yuan",
    "万亿元": "trillion yuan",
    "美元": "USD",
    "万美元": "10k USD",
    "亿美元": "100M USD",
    "港元": "HKD",
    "万港元": "10k HKD",
    "亿港元": "100M HKD",
    "平方米": "m²",
    "m²": "m²",
    "㎡": "m²",
    "千平方米": "thousand m²",
    "万平方米": "10k m²",
    "公顷": "ha",
    "亩": "mu",
    "万亩": "10k mu",
    "平方公里": "km²",
    "平方千米": "km²",
    "米": "m",
    "m": "m",
    "公里": "km",
    "千米": "km",
    "km": "km",
    "万米": "10 km",
    "吨": "t",
    "万吨": "10k t",
    "立方米": "m³",
    "m³": "m³",
    "方": "m³",
    "万立方米": "10k m³",
    "万方": "10k m³",
    "千瓦": "kW",
    "万千瓦": "10 MW",
    "兆瓦": "MW",
    "千瓦时": "kWh",
    "kWh": "kWh",
    "万千瓦时": "10k kWh",
    "亿千瓦时": "100M kWh",
    "吨标准煤": "tce",
    "万吨标准煤": "10k tce",
    "吨标准煤/万元": "tce per 10k yuan",
    "千克标准煤/万元": "kgce per 10k yuan",
    "%": "%",
}


def english_symbol(symbol: str | None) -> str:
    """The unit ``symbol`` as English writes it: 亿元 → "100M yuan", 亩 → "mu", 家 → "" (a measure word).

    A large count (万人) is "10k"; a symbol the table does not know is returned as it is.
    """
    text = (symbol or "").strip()
    key = ALIASES.get(text, text)
    if key in ENGLISH:
        return ENGLISH[key]
    unit = UNITS.get(key)
    if unit is not None and unit.dimension.startswith("count:"):
        return "10k" if unit.factor != 1 else ""
    return text


def display_unit(value: Decimal | int | None, unit: str, chosen: str | None = None) -> str:
    """The unit to show ``value`` (stored in ``unit``) in: ``chosen`` when it is set and fits, otherwise the size's
    usual unit for money (万元 below one 亿元, 亿元 from there), otherwise ``unit`` itself."""
    if chosen:
        try:
            if compatible(chosen, unit):
                return get_unit(chosen).symbol
        except UnitError:
            pass
    pair = AUTO_DISPLAY.get(ALIASES.get(unit, unit))
    if pair is None or value is None or value == 0:
        return unit
    small, large = pair
    in_large = Fraction(Decimal(value)) * get_unit(unit).factor / get_unit(large).factor
    return large if abs(in_large) >= 1 else small


def to_display(value: Decimal | int, unit: str, target: str) -> Decimal:
    """``value`` in ``unit`` expressed in ``target``, exactly (no rounding: rounding is for the formatter)."""
    if target == unit:
        return Decimal(value)
    src, dst = get_unit(unit), get_unit(target)
    if src.dimension != dst.dimension:
        raise UnitError(f"cannot convert {src.symbol} to {dst.symbol}: they measure different things")
    exact = Fraction(Decimal(value)) * src.factor / dst.factor
    return Decimal(exact.numerator) / Decimal(exact.denominator)

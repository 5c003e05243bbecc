"""Small things every pass shares: character classes and distances."""

HAN = "\u4e00-\u9fff"
CN_DIGITS = "一二三四五六七八九十两"
LOOKBACK = 40  # a label is at most this far before its number
QUOTE_MAX = 150  # a quote reaches at most this far on either side of its figure


def last_match(regex, s, a, b):
    """The last match of ``regex`` in ``s[a:b]``, or None."""
    found = None
    for found in regex.finditer(s, a, b):  # noqa: B007 - the last one is wanted
        pass
    return found

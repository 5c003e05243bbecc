"""The sentence patterns of the summary draft: Django templates under ``templates/reports/wording/<lang>/``.

Each pattern (``indicator.txt``, ``projects.txt`` …) is rendered by a dedicated :class:`~django.template.Engine`:
no autoescape (the result is plain text), no context processors, no app template libraries, and a context made of
plain values only (strings, numbers, booleans), so that a pattern a park's staff write can reach nothing else.

A park may have its own version of a pattern: ``<lang>/<park code>/<name>`` is chosen before ``<lang>/<name>``.

Every number is passed to the pattern as a placeholder token; :func:`render` splits the rendered text on the tokens
and gives back segments — plain text, or the token's value with the link to the record it came from — so that the
page can link each number while the text and the .docx get the same words without links.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine

WORDING_DIR = Path(settings.BASE_DIR) / "templates" / "reports" / "wording"
LANGUAGES = ("zh", "en")

# Private-use characters: no pattern text contains them, so a token cannot be confused with the words around it.
TOKEN_OPEN, TOKEN_CLOSE = "\ue000", "\ue001"
TOKEN_RE = re.compile(TOKEN_OPEN + r"(\d+)" + TOKEN_CLOSE)
NEWLINES = re.compile(r"\s*\n\s*")
DEBUG_TAG = re.compile(r"{%\s*debug\b")


@dataclass(frozen=True)
class Segment:
    """A piece of a sentence: words, or a value (a number, a name) with the URL of the record it came from."""

    text: str
    url: str = ""


def engine() -> Engine:
    """The engine of the wording templates: plain text, Django's built-in tags and filters only. Directories in
    ``settings.PARKDASH_WORDING_DIRS`` (if any) are searched before the project's own."""
    extra = tuple(str(d) for d in getattr(settings, "PARKDASH_WORDING_DIRS", ()))
    return _engine((*extra, str(WORDING_DIR)))


@cache
def _engine(dirs: tuple[str, ...]) -> Engine:
    return Engine(dirs=list(dirs), autoescape=False, context_processors=[], libraries={}, app_dirs=False)


def language_of(code: str | None) -> str:
    """The wording language for a Django language code: en for English, zh for everything else."""
    return "en" if (code or "").startswith("en") else "zh"


def template_names(name: str, language: str, park_code: str = "") -> list[str]:
    """The templates to try for pattern ``name``: the park's own first, then the default."""
    names = [f"{language}/{park_code}/{name}"] if park_code and re.fullmatch(r"[\w-]+", park_code) else []
    return [*names, f"{language}/{name}"]


class Values:
    """The context of one pattern: plain values, and tokens that stand for linked segments."""

    def __init__(self):
        self.context: dict[str, object] = {}
        self.tokens: list[list[Segment]] = []

    def plain(self, **values):
        for key, value in values.items():
            if value is not None and not isinstance(value, (str, int, float, bool)):
                raise TypeError(f"{key}: a wording template gets plain values only, not {type(value).__name__}")
            self.context[key] = value
        return self

    def linked(self, key: str, segments: list[Segment] | Segment | None):
        """``key`` stands for ``segments`` (one or several, e.g. names joined by 、); None leaves it empty."""
        if segments is None:
            self.context[key] = ""
            return self
        if isinstance(segments, Segment):
            segments = [segments]
        self.context[key] = TOKEN_OPEN + str(len(self.tokens)) + TOKEN_CLOSE
        self.tokens.append(list(segments))
        return self


def render_text(name: str, language: str, park_code: str, context: dict, source: str | None = None) -> str:
    """Pattern ``name`` (or the template ``source`` given, e.g. a park's own from the database) rendered with
    ``context``; lines joined (no space in Chinese, one in English) and trimmed."""
    if source is not None:
        template = engine().from_string(source)
    else:
        template = engine().select_template(template_names(name, language, park_code))
    text = template.render(Context(context, autoescape=False))
    text = NEWLINES.sub("" if language == "zh" else " ", text.strip())
    if language == "en":
        text = re.sub(r" +([,.;:)])", r"\1", re.sub(r" {2,}", " ", text))
    return text


def render(name: str, language: str, park_code: str, values: Values, source: str | None = None) -> list[Segment]:
    """Pattern ``name`` rendered with ``values``, as segments: words and the tokens' linked values."""
    text = render_text(name, language, park_code, values.context, source)
    segments: list[Segment] = []
    position = 0
    for match in TOKEN_RE.finditer(text):
        if match.start() > position:
            segments.append(Segment(text[position : match.start()]))
        index = int(match.group(1))
        if index < len(values.tokens):
            segments.extend(values.tokens[index])
        position = match.end()
    if position < len(text):
        segments.append(Segment(text[position:]))
    # A pattern that prints a token twice, or mangles one, must not leave the private characters in the text.
    return [Segment(s.text.replace(TOKEN_OPEN, "").replace(TOKEN_CLOSE, ""), s.url) for s in segments if s.text]


# Sample values of each pattern, as the draft passes them (numbers as the text they are written as): a pattern
# written in the admin must render against them before it is saved.
COMMON = {"month": 10, "year": 2023, "park": "东部产业集聚区"}
SAMPLES = {
    "title.txt": [{}],
    "heading.txt": [{"section": key, "number": 1, "number_zh": "一"} for key in ("indicators", "projects")],
    "indicator.txt": [
        {
            "name": "固定资产投资",
            "name_lower": "fixed-asset investment",
            "stock": False,
            "rate": False,
            "is_count": False,
            "has_verb": False,
            "value": "20.75",
            "unit": "亿元",
            "yoy": "42.45",
            "yoy_down": False,
            "completion": "86.5",
            "gap": "3.2",
            "gap_behind": False,
            "gap_even": False,
            "first": True,
            "last": False,
        },
        {
            "name": "规上工业企业",
            "name_lower": "enterprises above designated size",
            "stock": True,
            "rate": False,
            "is_count": True,
            "has_verb": False,
            "value": "12",
            "unit": "家",
            "yoy": "",
            "yoy_down": False,
            "completion": "",
            "gap": "",
            "gap_behind": False,
            "gap_even": False,
            "first": False,
            "last": True,
        },
    ],
    "projects.txt": [{"phase": "new_start", "count": "30", "names": "城市规划馆、港湾大道", "more": True}],
    "projects_investment.txt": [{"amount": "3.5", "unit": "亿元", "projects": 12}],
    "enterprises.txt": [{"stage": "settled", "count": "6", "names": "浙江爱仕达电器", "more": False}],
    "enterprises_land.txt": [{"area": "643", "unit": "亩", "enterprises": 1}],
    "infrastructure.txt": [
        {"name": "道路路基", "done": "56.5", "planned": "60", "completion": "94.2", "unit": "公里"},
        {"name": "填筑土石方", "done": "1800", "planned": "", "completion": "", "unit": "万吨"},
    ],
}


def check(name: str, language: str, source: str) -> str:
    """What is wrong with ``source`` as pattern ``name`` ("" when nothing): it must compile with the wording engine
    and render a non-empty text against the pattern's sample values."""
    from django.template import TemplateSyntaxError
    from django.utils.translation import gettext as _

    if DEBUG_TAG.search(source):
        # {% debug %} prints the context and the loaded modules on a development site: nothing a sentence needs.
        return _("The debug tag cannot be used in a wording.")
    try:
        template = engine().from_string(source)
    except TemplateSyntaxError as error:
        return _("This is not a valid template: %(error)s") % {"error": error}
    for sample in SAMPLES.get(name, [{}]):
        try:
            text = template.render(Context({**COMMON, **sample}, autoescape=False)).strip()
        except Exception as error:  # noqa: BLE001 - any failure of a user's template is reported, not raised
            return _("The template fails with sample values: %(error)s") % {"error": error}
        if not text:
            return _("The template writes nothing with sample values.")
    return ""


def has_own_file(name: str, language: str, park_code: str) -> bool:
    """True when the park has its own file of pattern ``name`` (templates/reports/wording/<language>/<code>/)."""
    from django.template import TemplateDoesNotExist

    names = template_names(name, language, park_code)
    if len(names) < 2:
        return False
    try:
        engine().get_template(names[0])
    except TemplateDoesNotExist:
        return False
    return True

"""The Chinese catalogue is complete: every message of the code and templates has a translation."""

import re
from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries() if not entry.obsolete]
    assert missing == []


def test_the_compiled_catalogue_holds_what_the_source_catalogue_says():
    po = {entry.msgid: entry.msgstr for entry in polib.pofile(str(CATALOGUE / "django.po")).translated_entries()}
    mo = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE / "django.mo"))}
    stale = sorted(
        msgid for msgid, msgstr in po.items() if msgstr and not msgid.count("\x00") and mo.get(msgid) != msgstr
    )
    assert stale == []


BRACES = re.compile(r"(?<!\{)\{(\w*)[^{}]*\}(?!\})")
PERCENT = re.compile(r"%\((\w+)\)[sdif]")


def placeholders(text):
    return set(BRACES.findall(text)) | set(PERCENT.findall(text))


def test_no_translation_names_a_placeholder_its_message_does_not_fill():
    """A {unit} in a translation that its English message lacks is a KeyError (a 500) for every Chinese reader."""
    wrong = []
    for entry in polib.pofile(str(CATALOGUE / "django.po")).translated_entries():
        given = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for text in [entry.msgstr, *(entry.msgstr_plural or {}).values()]:
            extra = placeholders(text) - given
            if text and extra:
                wrong.append((entry.msgid, sorted(extra)))
    assert wrong == []

"""The Chinese catalogue is complete: every message of the code and templates has a translation."""

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

"""The Chinese of msgids not yet compiled into locale/zh_Hans (they wait in locale/pending/*.tsv for the lead to
compile), for tests that read a page in Chinese.

Inside :func:`pending_translations`, a msgid the compiled catalogue lacks is translated from the pending files; one
the catalogue has keeps the catalogue's translation. Once compiled, the context manager changes nothing.
"""

import gettext
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import trans_real

PENDING = Path(settings.BASE_DIR) / "locale" / "pending"


def pending_entries():
    """{msgid: Chinese} of every pending file (``msgid<TAB>Chinese``, \\n for a newline inside a msgid)."""
    entries = {}
    for path in sorted(PENDING.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and "\t" in line:
                msgid, chinese = line.split("\t", 1)
                entries[msgid.replace("\\n", "\n")] = chinese.replace("\\n", "\n")
    return entries


class _Pending(gettext.NullTranslations):
    def __init__(self, entries, fallback):
        super().__init__()
        self.entries = entries
        if fallback is not None:
            self.add_fallback(fallback)

    def gettext(self, message):
        if message in self.entries:
            return self.entries[message]
        return super().gettext(message)


@contextmanager
def pending_translations(language="zh-hans"):
    """Translate into ``language`` with the pending msgids as a fallback of the compiled catalogue."""
    translation = trans_real.translation(language)
    previous = translation._fallback
    translation._fallback = _Pending(pending_entries(), previous)
    try:
        yield
    finally:
        translation._fallback = previous

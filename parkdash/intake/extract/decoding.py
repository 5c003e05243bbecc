"""Bytes → text: strict decoders in a fixed order, never a silent guess.

Its messages are shown to the person who uploaded the file: they are in the active language (Django's gettext;
outside a request, the default language; in English when the extractor runs with no Django settings at all).
"""

import re

from django.conf import settings
from django.utils.translation import gettext


def _(message):
    """``message`` in the active language; as it is when no Django settings are configured (the pure extractor)."""
    return gettext(message) if settings.configured else message


def gettext_noop(message):
    """Marks ``message`` for translation (makemessages finds it); translated where it is shown, with :func:`_`."""
    return message


class DecodeError(ValueError):
    """The uploaded bytes are not a text document in an encoding we can read without guessing."""


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", gettext_noop("a PNG image")),
    (b"\xff\xd8\xff", gettext_noop("a JPEG image")),
    (b"GIF87a", gettext_noop("a GIF image")),
    (b"GIF89a", gettext_noop("a GIF image")),
    (b"%PDF", gettext_noop("a PDF document")),
    (b"PK\x03\x04", gettext_noop("a ZIP archive (a .docx, .xlsx or .zip file)")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", gettext_noop("an old Office document (.doc, .xls, .wps)")),
    (b"{\\rtf", gettext_noop("an RTF document")),
    (b"\x1f\x8b", gettext_noop("a gzip archive")),
    (b"Rar!", gettext_noop("a RAR archive")),
    (b"7z\xbc\xaf\x27\x1c", gettext_noop("a 7z archive")),
    (b"II*\x00", gettext_noop("a TIFF image")),
    (b"MM\x00*", gettext_noop("a TIFF image")),
)
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# C0 controls other than tab, newline, carriage return and form feed never occur in a text document.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Decode an uploaded summary, trying strict decoders in a fixed order; never guess silently.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32), then strict UTF-8, then strict GB18030 (a superset of
    GBK and GB2312) accepted only when the result reads as Chinese text. Raises :class:`DecodeError` for empty
    input, known binary formats (images, PDF, Office files) and anything else.
    """
    if not data:
        raise DecodeError(_("The file is empty."))
    head = bytes(data[:16])
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise DecodeError(
                _("This looks like %(what)s, not a text file. Save the summary as plain text (.txt).")
                % {"what": _(what)}
            )
    for bom, codec in _BOMS:
        if head.startswith(bom):
            try:
                text = bytes(data).decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    _("The file starts with a %(codec)s byte-order mark but is not valid %(codec)s: %(error)s")
                    % {"codec": codec.upper(), "error": exc}
                ) from None
            return _checked(text, codec)
    try:
        return _checked(bytes(data).decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = bytes(data).decode("gb18030")
    except UnicodeDecodeError:
        raise DecodeError(
            _(
                "The file is neither UTF-8 nor GB18030/GBK text; it may be binary or in another "
                "encoding. Save it as UTF-8 text and upload it again."
            )
        ) from None
    if not _reads_as_chinese(text):
        raise DecodeError(
            _(
                "The file is not valid UTF-8, and read as GB18030/GBK it gives no sensible text; "
                "it may be binary or in another encoding (Big5, Latin-1 …)."
            )
        )
    return _checked(text, "gb18030")


def _checked(text, codec):
    if "\x00" in text or len(_CONTROL_RE.findall(text, 0, 1 << 20)) > 2:
        raise DecodeError(
            _("The file decodes as %(codec)s but contains control characters: it is binary, not text.")
            % {"codec": codec.upper()}
        )
    if not text.strip():
        raise DecodeError(_("The file contains no text."))
    return text


def _reads_as_chinese(text):
    """True when nearly every non-ASCII character is a common (GB2312) character: real Chinese prose is."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii == 0:
        return True
    # Characters outside GB2312 come out as "?"; random bytes decode mostly to rare or private-use ones.
    rare = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return rare <= 0.05 * non_ascii

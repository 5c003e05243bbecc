"""Bytes → text: strict decoders in a fixed order, never a silent guess."""

import re


class DecodeError(ValueError):
    """The uploaded bytes are not a text document in an encoding we can read without guessing."""


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls, .wps)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
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
        raise DecodeError("The file is empty.")
    head = bytes(data[:16])
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise DecodeError(
                "This looks like {}, not a text file. Save the summary as plain text (.txt).".format(what)
            )
    for bom, codec in _BOMS:
        if head.startswith(bom):
            try:
                text = bytes(data).decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    "The file starts with a {} byte-order mark but is not valid {}: {}".format(
                        codec.upper(), codec.upper(), exc
                    )
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
            "The file is neither UTF-8 nor GB18030/GBK text; it may be binary or in another "
            "encoding. Save it as UTF-8 text and upload it again."
        ) from None
    if not _reads_as_chinese(text):
        raise DecodeError(
            "The file is not valid UTF-8, and read as GB18030/GBK it gives no sensible text; "
            "it may be binary or in another encoding (Big5, Latin-1 …)."
        )
    return _checked(text, "gb18030")


def _checked(text, codec):
    if "\x00" in text or len(_CONTROL_RE.findall(text, 0, 1 << 20)) > 2:
        raise DecodeError(
            "The file decodes as {} but contains control characters: it is binary, not text.".format(codec.upper())
        )
    if not text.strip():
        raise DecodeError("The file contains no text.")
    return text


def _reads_as_chinese(text):
    """True when nearly every non-ASCII character is a common (GB2312) character: real Chinese prose is."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    if non_ascii == 0:
        return True
    # Characters outside GB2312 come out as "?"; random bytes decode mostly to rare or private-use ones.
    rare = text.encode("gb2312", "replace").count(b"?") - text.count("?")
    return rare <= 0.05 * non_ascii

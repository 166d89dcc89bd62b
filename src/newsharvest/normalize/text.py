"""Text normalisation shared by the extractor and the normalizer.

Why not just collapse all whitespace to one space: HTML source breaks lines between Han
characters (``配合川普\\n宣誓``) where a browser shows no space, and trafilatura-style joins
invent ``配合川普 宣誓``. CSS Text 3 drops a segment break between two wide characters; we
do the same, and keep a space the author typed deliberately.
"""

from __future__ import annotations

import re
import unicodedata

from ..text.scripts import WIDE

# Characters that carry no text: zero-width spaces/joiners, BOM, soft hyphen, word joiner,
# bidi marks. Removed outright.
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e]")
# C0/C1 control characters except tab/newline.
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ASCII_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_DROPPED_RE = re.compile(f"{_INVISIBLE_RE.pattern}|{_CONTROL_RE.pattern}")  # both, one pass
# Any run of whitespace, including NBSP (U+00A0) and the ideographic space (U+3000).
_WS_RE = re.compile(r"[\s\u00a0\u3000]+")
# A whitespace run that contains a line break and sits between two wide characters.
_WIDE_BREAK_RE = re.compile(f"(?<=[{WIDE}])[ \\t\\u00a0]*[\\r\\n][\\s\\u00a0]*(?=[{WIDE}])")


def clean_inline(text: str) -> str:
    """Normalise one paragraph's text: NFC, no invisible/control chars, folded whitespace."""
    if not text:
        return ""
    if not text.isascii():  # (ASCII text is NFC: nothing to compose)
        text = unicodedata.normalize("NFC", text)
    # Printable text holds no control, invisible or line-break character and no whitespace
    # but " " (every other one is Cc/Cf/Zs/Zl/Zp, not printable): nothing to drop, and
    # unless a space is doubled or at an end, nothing to fold. One C scan for most lines.
    if text.isprintable():
        if "  " in text or text[:1] == " " or text[-1:] == " ":
            return " ".join(text.split())
        return text
    # str.split() splits on exactly what _WS_RE matches (str.isspace, which NBSP and the
    # ideographic space satisfy) and drops the ends: one C call instead of a regex that
    # replaces every single space.
    if text.isascii():  # O(1): no composition, invisible or wide characters to handle
        # (_CONTROL_RE's ASCII members deleted by a bytes translate: no regex scan.)
        raw = text.encode("ascii").translate(None, _ASCII_CONTROL_BYTES)
        return " ".join(raw.decode("ascii").split())
    text = _DROPPED_RE.sub("", text)
    if "\n" in text or "\r" in text:
        text = _WIDE_BREAK_RE.sub("", text)
    return " ".join(text.split())


def join_paragraphs(paragraphs: list[str] | tuple[str, ...]) -> str:
    """Paragraphs -> body text: one blank line between paragraphs, none empty."""
    return "\n\n".join(p for p in (clean_inline(x) for x in paragraphs) if p)



# A UTF-16 surrogate code point: legal in a Python str (JSON "\ud800" decodes to one),
# but not encodable as UTF-8, so SQLite, JSON output and printing fail on it.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` encodable as UTF-8: a surrogate pair becomes its character, a lone
    surrogate U+FFFD. One C-level scan on text that needs nothing (nearly all)."""
    if _SURROGATE_RE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")

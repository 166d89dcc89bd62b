"""Turn response bytes into text the way a browser would, and tell HTML from other bodies.

Why this exists: httpx ignores ``<meta charset>``, trusts lying headers and knows nothing
of the browser label table, so Chinese pages come out as mojibake or lose GBK-only /
HKSCS characters (see LIBRARY-FACTS.md). We decode once, here, and record which rule
decided, so that a wrong page can be explained later.

Order (browser-style, with one deliberate deviation):

1. BOM (utf-8, utf-16le/be): always wins.
2. The Content-Type header's charset.
3. A ``<meta charset>`` / ``<meta http-equiv content="...charset=...">`` prescan of the
   first ``PRESCAN_BYTES`` bytes (also an XHTML ``<?xml encoding=...?>`` declaration).
4. Detection: valid UTF-8 first (cheap and nearly never wrong), else charset-normalizer
   on a bounded window that starts at the first non-ASCII byte.
5. utf-8.

A declared encoding only wins if its decode is clean: at most ``MAX_ERROR_SHARE`` of the
non-ASCII characters may be decode errors (one broken byte on a long page is fine; a
``charset=utf-8`` header on GBK bytes yields errors on most characters and is rejected).
Deviation from browsers: bytes that are valid, non-ASCII UTF-8 beat a legacy declaration
(``gb2312``, ``iso-8859-1``...). Chinese templates migrated to UTF-8 often keep their old
``<meta charset=gb2312>``, and GB18030 decodes UTF-8 bytes almost without errors, so the
error check alone cannot catch that lie. Legacy-encoded text of any length is essentially
never valid UTF-8 by accident.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

import charset_normalizer

from ..text.scripts import count_han

logger = logging.getLogger(__name__)

PRESCAN_BYTES = 8192
"""Meta prescan window. Browsers use 1024 bytes, but Chinese portals put long inline
scripts and styles before their meta tag; a regex over 8 KB costs microseconds."""

DETECT_WINDOW = 65536
"""Bytes given to charset-normalizer. Its cost grows with the input; 64 KB of the text
region is plenty and keeps detection around 1-2 ms per page."""

MAX_ERROR_SHARE = 0.01
"""Largest share of non-ASCII characters that may fail to decode under a declared or
detected encoding for it still to win. Correct decodes of real pages with a stray broken
byte sit far below 0.1%; a wrong multi-byte decode sits above 30%."""

# Browser (WHATWG Encoding Standard) overrides, by label and by Python codec name.
_LABEL_ALIASES = {
    "x-gbk": "gb18030", "gb_2312-80": "gb18030", "csgb2312": "gb18030",
    "iso-ir-58": "gb18030", "csiso58gb231280": "gb18030", "x-gb18030": "gb18030",
    "x-x-big5": "big5hkscs", "csbig5": "big5hkscs", "cn-big5": "big5hkscs",
    "x-big5": "big5hkscs", "ms950": "big5hkscs",
    "windows-31j": "cp932", "x-sjis": "cp932", "ms932": "cp932", "ms_kanji": "cp932",
    "windows-874": "cp874", "x-mac-cyrillic": "mac-cyrillic", "mac": "mac-roman",
    "x-mac-roman": "mac-roman", "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8", "x-unicode20utf8": "utf-8", "iso-8859-8-i": "iso8859-8",
    "x-user-defined": "cp1252", "ansi_x3.4-1968": "cp1252",
}
_CODEC_OVERRIDES = {
    "gb2312": "gb18030", "gbk": "gb18030",
    "big5": "big5hkscs", "cp950": "big5hkscs",
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254",
    "iso8859-11": "cp874", "tis-620": "cp874",
    "euc_kr": "cp949", "shift_jis": "cp932", "utf-16": "utf-16-le",
}
_MULTI_BYTE = frozenset(
    {"utf-8", "utf-16-le", "utf-16-be", "gb18030", "big5hkscs", "cp932", "euc_jp",
     "iso2022_jp", "cp949"})
# Encodings a browser can decode; anything else Python knows (utf-7, rot-13, base64...)
# is treated as an unknown label.
_ALLOWED = (
    _MULTI_BYTE
    | {"cp866", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic", "cp874"}
    | {f"cp125{i}" for i in range(9)}
    | {f"iso8859-{i}" for i in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)}
)
_ASCII_COMPATIBLE_EXCEPTIONS = frozenset({"utf-16-le", "utf-16-be", "iso2022_jp"})

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|\Z)", re.DOTALL)
_META_TAG = re.compile(rb"""<meta(?=[\s/>])((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.IGNORECASE)
_ATTR = re.compile(rb"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
_CONTENT_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([^"';\s]+)""", re.IGNORECASE)
_XML_DECL = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_NON_ASCII = re.compile(rb"[\x80-\xff]")


_DOUBLE_ENCODED_CANDIDATES = frozenset({"gb18030", "big5hkscs"})


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded page text, the Python codec used and the rule that chose it.

    ``rule`` is one of "bom", "header", "meta", "detected", "default".
    """

    text: str
    encoding: str
    rule: str  # "bom" | "header" | "meta" | "detected" | "repaired" | "default"


def canonical_encoding(label: str | bytes | None) -> str | None:
    """Map a charset label to the Python codec a browser would use, or None if unknown.

    gb2312/gbk/cp936 -> gb18030 (a superset: keeps 镕, 喆); big5/cp950 -> big5hkscs
    (keeps HKSCS characters); iso-8859-1/ascii -> cp1252 (what servers really send).
    """
    if label is None:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    label = label.strip().strip("\"'").strip().lower()
    if not label:
        return None
    if label in _LABEL_ALIASES:
        return _LABEL_ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = _CODEC_OVERRIDES.get(name, name)
    return name if name in _ALLOWED else None


def decode_html(content: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML body browser-style; never raises (errors become U+FFFD)."""
    encoding: str | None  # a BOM's, then the header's and the meta tag's (None: not given)
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return Decoded(content[len(bom):].decode(encoding, "replace"), encoding, "bom")

    is_ascii = content.isascii()
    best: tuple[float, Decoded] | None = None
    tried: set[str] = set()
    for rule, encoding in (("header", _header_encoding(content_type)),
                           ("meta", _prescan(content))):
        if encoding is None or encoding in tried:
            continue
        tried.add(encoding)
        if encoding.startswith("utf-16") and b"\x00" not in content[:1024]:
            logger.debug("ignoring %s %s: body has no NUL bytes", rule, encoding)
            continue
        if is_ascii and encoding not in _ASCII_COMPATIBLE_EXCEPTIONS:
            return Decoded(content.decode("ascii"), encoding, rule)
        if encoding != "utf-8" and (utf8 := _strict_utf8(content)) is not None:
            repaired = _undo_double_encoding(utf8, encoding)
            if repaired is not None:
                return Decoded(repaired, encoding, "repaired")
            logger.debug("%s says %s but the body is valid UTF-8", rule, encoding)
            return Decoded(utf8, "utf-8", "detected")
        text, share = _decode_share(content, encoding)
        if share <= MAX_ERROR_SHARE:
            return Decoded(text, encoding, rule)
        logger.debug("%s encoding %s rejected: %.1f%% decode errors", rule, encoding,
                     share * 100)
        if best is None or share < best[0]:
            best = (share, Decoded(text, encoding, rule))

    if is_ascii:
        return Decoded(content.decode("ascii"), "utf-8", "default")
    if (utf8 := _strict_utf8(content)) is not None:
        return Decoded(utf8, "utf-8", "detected")
    guess = _detect(content)
    if guess is not None and guess not in tried:
        text, share = _decode_share(content, guess)
        if share <= MAX_ERROR_SHARE:
            return Decoded(text, guess, "detected")
        if best is None or share < best[0]:
            best = (share, Decoded(text, guess, "detected"))
    if best is not None:
        logger.debug("no clean decode; using %s (%s) with %.1f%% errors",
                     best[1].encoding, best[1].rule, best[0] * 100)
        return best[1]
    return Decoded(content.decode("utf-8", "replace"), "utf-8", "default")


def _undo_double_encoding(text: str, declared: str) -> str | None:
    """Reverse a legacy page saved twice: its GBK/Big5 bytes read as Latin-1 and written
    out again as UTF-8 (a CMS or proxy bug; the page still declares the legacy charset).

    Only tried for Chinese legacy charsets, when the text is full of Latin-1 letters and
    has almost no Han; accepted only if reversing it gives mostly Han and no errors.
    """
    if declared not in _DOUBLE_ENCODED_CANDIDATES:
        return None
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if len(non_ascii) < 50:
        return None
    latin = sum(1 for c in non_ascii if ord(c) <= 0xFF)
    if latin < 0.9 * len(non_ascii):
        return None
    try:
        repaired = text.encode("latin-1").decode(declared)
    except (UnicodeEncodeError, UnicodeDecodeError):
        try:
            repaired = text.encode("cp1252").decode(declared)
        except (UnicodeEncodeError, UnicodeDecodeError):
            return None
    han = count_han(repaired)
    return repaired if han >= 0.5 * len([c for c in repaired if ord(c) > 0x7F]) else None


def _header_encoding(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return canonical_encoding(match.group(1)) if match else None


def _prescan(content: bytes) -> str | None:
    """Find the first usable meta charset in the prescan window (bytes level)."""
    head = content[:PRESCAN_BYTES]
    decl = _XML_DECL.match(head.lstrip())
    if decl:
        encoding = _meta_encoding(decl.group(1))
        if encoding:
            return encoding
    head = _COMMENT.sub(b"", head)
    for tag in _META_TAG.finditer(head):
        attrs: dict[bytes, bytes] = {}
        for name, value in _ATTR.findall(tag.group(1)):
            attrs.setdefault(name.lower(), value.strip(b"\"'").strip())
        label: bytes | None = attrs.get(b"charset")
        if not label and attrs.get(b"http-equiv", b"").lower() == b"content-type":
            found = _CONTENT_CHARSET.search(attrs.get(b"content", b""))
            label = found.group(1) if found else None
        encoding = _meta_encoding(label)
        if encoding:
            return encoding
    return None


def _meta_encoding(label: bytes | None) -> str | None:
    """A label found inside the document; utf-16 there means utf-8 (WHATWG rule)."""
    encoding = canonical_encoding(label)
    if encoding is not None and encoding.startswith("utf-16"):
        return "utf-8"
    return encoding


def _strict_utf8(content: bytes) -> str | None:
    """The UTF-8 decode if the bytes are valid UTF-8 (fails fast on legacy bytes)."""
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_share(content: bytes, encoding: str) -> tuple[str, float]:
    """Decode with replacement; return the text and the share of non-ASCII chars in error."""
    try:
        return content.decode(encoding), 0.0
    except UnicodeDecodeError:
        pass
    text = content.decode(encoding, "replace")
    errors = text.count("\ufffd")
    if encoding == "utf-8":  # U+FFFD genuinely present in the page is not an error
        errors -= content.count("\ufffd".encode())
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return text, max(errors, 0) / max(non_ascii, 1)


def _detect(content: bytes) -> str | None:
    """Ask charset-normalizer about a window that starts where the text does.

    Markup, scripts and styles are ASCII and only dilute the signal, so the window
    starts just before the first non-ASCII byte and both ends are cut at a newline or
    '>' (never inside a multi-byte character, which makes detection give up).
    """
    first = _NON_ASCII.search(content)
    if first is None:
        return None
    start = max(0, first.start() - 1024)
    if start:
        cut = max(content.rfind(b"\n", 0, start), content.rfind(b">", 0, start))
        start = cut + 1 if cut >= 0 else 0
    end = start + DETECT_WINDOW
    if end < len(content):
        cut = max(content.rfind(b"\n", first.start(), end), content.rfind(b">", first.start(), end))
        end = cut + 1 if cut > first.start() else end
    window = content[start:end]
    allowed = [(m.chaos, name) for m in charset_normalizer.from_bytes(window)
               if (name := canonical_encoding(m.encoding)) is not None]
    if not allowed:
        return None
    top_chaos, guess = allowed[0]
    if guess == "cp1252" or guess in _MULTI_BYTE:
        return guess
    # Single-byte code pages often tie (charset-normalizer even drops cp1252 when another
    # code page gives the same text): prefer the web's Latin default, windows-1252.
    if any(name == "cp1252" and chaos <= top_chaos for chaos, name in allowed):
        return "cp1252"
    if window.decode("cp1252", "replace") == window.decode(guess, "replace"):
        return "cp1252"
    return guess


# --- HTML or not ---------------------------------------------------------------------

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_GENERIC_TYPES = frozenset({
    "", "application/octet-stream", "binary/octet-stream", "application/unknown",
    "unknown/unknown", "application/x-unknown-content-type", "text/plain", "*/*",
    "application/xml", "text/xml", "application/download", "application/force-download",
})
_BINARY_MAGIC = (
    b"%PDF-", b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b",
    b"BM", b"RIFF", b"OggS", b"ID3", b"%!PS", b"{\\rtf", b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf",
    b"Rar!", b"\x00asm", b"wOFF", b"wOF2", b"\x00\x00\x01\x00", b"fLaC", b"BZh",
)
_HTML_TAGS = frozenset({
    "html", "head", "body", "script", "iframe", "h1", "div", "font", "table", "a",
    "style", "title", "b", "br", "p", "meta", "link", "span", "section", "article",
})
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_SNIFF_BYTES = 4096


def root_element_name(content: bytes) -> str | None:
    """Lower-case local name of the first element in a markup prefix, or None.

    Skips the XML declaration, processing instructions, comments and DOCTYPE and drops
    any namespace prefix, so ``<?xml ...?><!-- x --><rdf:RDF ...>`` gives "rdf". Shared by
    is_html_response and discover.detect_kind so both sniff the same way.
    """
    head = content[:_SNIFF_BYTES * 4]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", "replace").encode("utf-8", "replace")
    head = _COMMENT.sub(b"", head)
    match = _FIRST_ELEMENT.search(head)
    if match is None:
        return None
    return match.group(1).decode("ascii", "replace").rsplit(":", 1)[-1].lower()


def is_html_response(content_type: str | None, content: bytes) -> bool:
    """True for an HTML/XHTML body: by its header, or by sniffing when the header is
    missing or generic. Binary signatures (PDF, images, zip, gzip...) always give False,
    even under a text/html header, because servers mislabel downloads."""
    prefix = content[:_SNIFF_BYTES].lstrip(b"\t\n\f\r ")
    if prefix.startswith(_BINARY_MAGIC):
        return False
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _HTML_TYPES:
        return True
    if media not in _GENERIC_TYPES:
        return False
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        prefix = prefix.decode("utf-16", "replace").encode("utf-8", "replace")
    prefix = prefix.removeprefix(codecs.BOM_UTF8).lstrip()
    if b"\x00" in prefix:
        return False  # NUL bytes: binary, not markup
    if not prefix.startswith(b"<"):
        return False  # markup sniffing needs a tag first, as browsers do
    if prefix[:14].lower() == b"<!doctype html":
        return True
    return root_element_name(prefix) in _HTML_TAGS

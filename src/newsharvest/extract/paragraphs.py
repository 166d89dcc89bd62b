"""Paragraph-level cleanup inside the located content.

What survives content location can still hold portal furniture: a related list inside the
article container, a credit line, a platform notice, the title repeated as the first line,
a paragraph printed twice. Each rule here looks at one paragraph (and what came before it),
so it can be tested on its own; fixed phrases are data in ``vocab/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial

from ..text.scripts import SENTENCE_PUNCT_RE, count_tokens, word_key
from .blocks import HEADING_TAGS, Block
from .captions import Signature, body_signature, item_row, signature
from .content import CHROME_TOKENS, LINK_DENSITY_MAX
from .edges import BYLINE_TOKENS, drop_author_boxes, trim_chrome
from .lists import announced_list_item, in_text_structure, is_link_prose, text_structures
from .panels import drop_slide_captions, teaser_cards
from .repeats import Repeats
from .vocabulary import (
    vocab_phrase_set_lower,
    vocab_regex,
    vocab_regex_lower,
    vocab_regexes,
    vocab_regexes_lower,
)

_BRACKETS = "[]【】()（）〔〕<>《》「」"
_QUOTES = "\"'“”‘’"
_MONTH = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_FULL_DATE_RE = re.compile(
    rf"\b\d{{1,2}}(st|nd|rd|th)? {_MONTH},? \d{{4}}\b|\b{_MONTH} \d{{1,2}},? ?\d{{4}}\b|"
    r"\b\d{1,2}/\d{1,2}/\d{4}\b|\d{4}年\d{1,2}月\d{1,2}日|\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b", re.I)
_DIGIT_RE = re.compile(r"\d")  # what _FULL_DATE_RE needs (a \d: any script's digits)
_FINAL_STOP_RE = re.compile(r"[。！？.!?]['\"’”」』)）]*\s*$")
DATELINE_TOKENS = 20
_BAR_SPLIT_RE = re.compile(r"\s[|｜]\s|\s*[|｜]\s*(?=\S)")
_TRAILING_CODE_RE = re.compile(r"([)）\]】])\s*\d{4,8}\s*$")
_BRACKET_GROUP_RE = re.compile(r"[【\[(（〔]([^】\])）〕]{1,40})[】\])）〕]")
_STAMP_RE = re.compile(
    r"^\s*((\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?\s*)?\d{1,2}[:：]\d{2}([:：]\d{2})?\s*"
    r"([AaPp]\.?[Mm]\.?)?\s*[A-Z]{0,4}$|"
    r"^\s*\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    r"([T ]\d{1,2}:\d{2}(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?\s*$|"
    r"^\s*\d{1,2}\.\d{1,2}\.\d{4},?\s*(\d{1,2}:\d{2})?\s*$|"
    r"^\s*(\d+|an?|one) (second|minute|min|hour|hr|day|week)s? ago$|"
    r"^[\s|·•-]*((Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,? )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|"
    r"Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2},? \d{4}(,? \d{1,2}:\d{2}( ?[AaPp]\.?[Mm]\.?)?)?"
    r"( [A-Z]{2,4})?\s*$|"
    r"^\s*\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{4}\s*$|"
    r"^\s*\d+\s*(秒|分钟|分鐘|小时|小時|天)前$", re.I)
# A dated copyright notice opens the page footer: nothing after it is the article; so
# does "Copyright: <owner>" (a bare "© name" is more often a photo credit).
_COPYRIGHT_RE = re.compile(r"\s*((Copyright|©|\(c\)|版权所有|版權所有)\s*(©|\(c\))?\s*(\d{4}|by)\b"
                           r"|(Copyright|版权所有|版權所有)\s*[:：])", re.I)
# A paragraph that is only a URL, a number or a measurement: microdata leaking as text.
_BARE_RE = re.compile(r"^\s*(https?://\S+|[\d.,:%/\s-]+(px)?)\s*$")
_TRUNCATED_RE = re.compile(r"(\.\.\.|…|»|>>|更多)\s*$")
# Longest text taken as the caption of an image in its own block, without a photo credit.
CAPTION_WITH_TOKENS = 40
# The headline repeated within this many leading paragraphs marks them as header material.
HEADER_PARAGRAPHS = 4
# A leading line this long (key characters) that opens the <title> is the headline.
TITLE_PREFIX_CHARS = 6
BOILERPLATE_SCAN_CHARS = 300
# Credit and source lines are short: no longer than this many tokens.
CREDIT_TOKENS = 40
# Paragraphs up to this long are also searched for notices that may sit anywhere in them.
NOTICE_CHARS = 250


@dataclass(slots=True)
class Cleaned:
    """Body paragraphs plus what was pulled out of them on the way."""

    paragraphs: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    origin: str | None = None


def is_boilerplate_line(text: str) -> bool:
    """A fixed portal phrase in either language (特别声明, Write a comment, ...)."""
    # Notices start with their phrase or are short: the head of a paragraph decides, and
    # long prose is not scanned end to end by every pattern.
    bare = _bare(text[:BOILERPLATE_SCAN_CHARS]).lower()
    if vocab_regex_lower("boilerplate_lines.txt").search(bare):
        return True
    if len(text) > NOTICE_CHARS:
        return False
    if len(text) > BOILERPLATE_SCAN_CHARS:  # (never, while NOTICE_CHARS is the shorter)
        bare = _bare(text).lower()
    # One search per pattern (faster than one alternation) whose literals occur.
    return vocab_phrase_set_lower("notice_lines.txt").any_match(bare)


def credit_line(text: str, tokens: int | None = None) -> str | None:
    """The credit text when the paragraph is an editor/production credit, else None.

    Only short lines count: a paragraph of prose that mentions 编辑 is not a credit.
    `tokens` is the line's token count when the caller has it already.
    """
    if (tokens if tokens is not None else count_tokens(text)) > CREDIT_TOKENS:
        return None
    credits_rx = vocab_regex_lower("credit_lines.txt")
    # A line made only of bracketed labels: "【纠错】 【责任编辑:张樵苏 】" (before the
    # whole-line test, which would keep the inner brackets: "纠错】【责任编辑:张樵苏").
    if text.rstrip()[-1:].isdigit():  # (a \d is isdigit: no digit last, nothing to cut)
        text = _TRAILING_CODE_RE.sub(r"\1", text)  # "（編輯：陳俊華）1141014": a date code
    groups = _BRACKET_GROUP_RE.findall(text)
    if groups and not _BRACKET_GROUP_RE.sub("", text).strip():
        credits = [g.strip() for g in groups if credits_rx.search(g.strip().lower())]
        if credits:
            return " ".join(credits)
    bare = text.strip().strip(_BRACKETS + "-—–").strip()
    if credits_rx.search(bare.lower()):
        return bare
    return None


def origin_of(text: str, tokens: int | None = None) -> str | None:
    """The outlet named by a 来源/來源/Source line, else None."""
    if (tokens if tokens is not None else count_tokens(text)) > CREDIT_TOKENS:
        return None
    bare = text.strip().strip(_BRACKETS).strip()
    lowered = bare.lower()
    if len(lowered) != len(bare):  # a letter whose lower case is longer: spans would shift
        matches = (rx.search(bare) for rx in vocab_regexes("origin_lines.txt"))
        return next((m.group("origin").strip() for m in matches if m), None)
    for rx in vocab_regexes_lower("origin_lines.txt"):
        match = rx.search(lowered)
        if match:  # the outlet as printed: the same span of the original text
            return bare[match.start("origin"):match.end("origin")].strip()
    return None


def is_end_marker(text: str) -> bool:
    """The heading of a panel that follows the article (相关图集, 熱門推播, Related ...)."""
    if len(text) > 400:  # a heading, not prose: skip stripping long paragraphs
        return False
    bare = _bare(text)
    return len(bare) <= 40 and bool(vocab_regex_lower("end_markers.txt").search(bare.lower()))


def is_caption(block: Block,
               body_markup: Callable[[], Signature | None] | None = None) -> bool:
    """Short text next to an image: inside the image's block, or right after an image-only
    block when it is marked up or worded as a caption (a class, centred, a photo credit).

    `body_markup` gives the markup most of the content is set in (captions.body_signature):
    a function, so that it is worked out only for a marked line after an image (few pages).
    """
    if block.image == "with":
        # Alone with an image in its block: short, or worded as a caption (an ad image
        # inside a prose paragraph does not make the paragraph a caption).
        # A <p> with a floated image is usually the article's own paragraph; so is a
        # list item or a data table's row holding its picture (a recipe step, a product).
        if vocab_regex("photo_credit_words.txt").search(block.text):
            return True
        return (block.tokens <= CAPTION_WITH_TOKENS and block.tag not in ("p", "li")
                and not item_row(block))
    if block.image != "after" or block.tag in HEADING_TAGS:
        return False  # a heading under a photo is the standfirst or a sub-heading
    node = block.node
    attrs = node.attributes if node is not None else {}
    marked = bool(attrs.get("class")) or "center" in (attrs.get("style") or "")
    # A line set like most of the content is body text, however it is marked.
    marked = marked and signature(block) != (body_markup() if body_markup else None)
    return marked or bool(vocab_regex("photo_credit_words.txt").search(block.text))


def clean_paragraphs(
    blocks: list[Block], title: str | None = None, site_names: list[str] | None = None,
    page_title: str | None = None,
) -> Cleaned:
    """Blocks of the main content -> clean body paragraphs, credits and origin."""
    out = Cleaned()
    kept: list[Block] = []
    repeats = Repeats(blocks)
    title_key = word_key(title) if title else None
    tag_key = word_key(page_title) if page_title else ""
    cards = teaser_cards(blocks)
    body_markup = cache(partial(body_signature, blocks))  # pure: the same when worked out
    lists: set[int] = set()  # lists the text announced (lists.py)
    structures = text_structures(blocks, LINK_DENSITY_MAX)  # lists and tables of text
    for index, block in enumerate(blocks):
        text = block.text
        if index in cards or (block.image and is_caption(block, body_markup)):
            continue
        announced = (block.tag == "li" and announced_list_item(blocks, index, kept, lists)
                     and not is_end_marker(text))
        linked = (block.link_density > LINK_DENSITY_MAX and not announced
                  and not is_link_prose(block) and not in_text_structure(block, structures))
        if linked and block.tag not in HEADING_TAGS:
            continue
        # A panel heading is often a link to the panel's own page ("Comments (3)").
        end_marker = is_end_marker(text)
        if linked and not end_marker and not _linked_subheading(blocks, index, kept):
            continue
        # A panel heading inside an island (a panel nested in the content, content.py)
        # heads that panel only: the island goes, and the article may go on after it.
        if (kept and (end_marker or _COPYRIGHT_RE.match(text)) and not block.island
                and not _prose_follows(blocks, index, cards)):
            break
        if block.island and not announced:
            continue
        if block.tokens <= CREDIT_TOKENS:  # (what origin_of and credit_line look at)
            origin = origin_of(text, block.tokens)
            if origin is not None:
                out.origin = out.origin or origin
                continue
            credit = credit_line(text, block.tokens)
            if credit is not None:
                out.credits.append(credit)
                continue
        if (end_marker or is_boilerplate_line(text) or is_link_bar(text)
                or (_BARE_RE.match(text) and not _STAMP_RE.match(text))):
            continue
        if _is_table_title(blocks, index):
            continue
        if block.tokens <= BYLINE_TOKENS and vocab_regex("byline_lines.txt").search(text):
            continue
        if _is_dateline(block):
            continue
        key = word_key(text)
        if title_key and key == title_key:
            # The headline repeated inside the content: whatever came before it (kicker,
            # original-language title, breadcrumb) was header material too.
            if len(kept) <= HEADER_PARAGRAPHS:
                kept.clear()
            continue
        if _opens_page_title(block, key, tag_key, kept):
            continue  # a weaker sign than an exact match: the lines before it stay
        if repeats.is_copy(block, key):
            continue
        kept.append(block)
    stamps = {id(b) for b in kept if _STAMP_RE.match(b.text)}  # tried once per line
    _drop_stamped_lists(kept, stamps)
    drop_slide_captions(kept)
    _drop_teaser_runs(kept)
    if stamps:  # lone stamps: never text
        kept[:] = [b for b in kept if id(b) not in stamps]
    # Chrome first: a support link after an author's note would hide the note's end.
    trim_chrome(kept, site_names or [])
    if drop_author_boxes(kept):
        trim_chrome(kept, site_names or [])
    out.paragraphs = [b.text for b in kept]
    return out


def _opens_page_title(block: Block, key: str, tag_key: str, kept: list[Block]) -> bool:
    """A leading unpunctuated line that the <title> starts with ("headline_site name"):
    the headline printed in the content on pages without an <h1> or og:title."""
    return (len(key) >= TITLE_PREFIX_CHARS and len(kept) <= HEADER_PARAGRAPHS
            and tag_key.startswith(key) and not _FINAL_STOP_RE.search(block.text))


def _is_table_title(blocks: list[Block], index: int) -> bool:
    """A short unpunctuated label right before a table's first row is the table's title
    (a caption in all but markup), like <caption>, which is dropped."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return (following is not None and following.tag == "tr" and block.tag not in HEADING_TAGS
            and block.tag != "tr" and block.tokens < CHROME_TOKENS
            and not SENTENCE_PUNCT_RE.search(block.text) and not block.text.endswith((":", "："))
            )


def _is_dateline(block: Block) -> bool:
    """A short unpunctuated line carrying a full date: "<site name>, Wednesday 14
    December 2011 15.53 GMT", "PTI | 03:01 PM,Jan 12,2012", "2012年01月17日 19:49 来源".
    Not inside a quotation: an embedded post signs off with its author and date
    ("— Name (@name) November 1, 2019"), which is part of the quote."""
    text = block.text  # (every date has a digit: one C scan before ten regex branches)
    return (block.tokens <= DATELINE_TOKENS and _DIGIT_RE.search(text) is not None
            and not _FINAL_STOP_RE.search(text) and bool(_FULL_DATE_RE.search(text))
            and "blockquote" not in block.ancestor_tags)


def _drop_teaser_runs(kept: list[Block]) -> None:
    """Two or more consecutive teasers cut short with an ellipsis: a panel of summaries."""
    out: list[Block] = []
    i = 0
    while i < len(kept):
        j = i
        while j < len(kept) and kept[j].tokens <= 60 and _ellipsis_end(kept[j].text):
            j += 1
        if j - i >= 2:
            i = j  # one rebuild at the end, not a deletion per run: linear in the page
        else:
            out.extend(kept[i:max(j, i + 1)])
            i = max(j, i + 1)
    kept[:] = out


def _ellipsis_end(text: str) -> bool:
    r"""Whether the text ends with "..." or "…" (trailing space aside): what the regex
    ``(\.\.\.|…)\s*$`` tells (``\s`` and ``str.rstrip`` strip the same characters),
    without trying it at every full stop of the paragraph."""
    return text.rstrip().endswith(("...", "…"))


def _is_prose(block: Block) -> bool:
    return block.tokens >= 20 and block.punct >= 2 and block.link_density < 0.3


def _linked_subheading(blocks: list[Block], index: int, kept: list[Block]) -> bool:
    """A sub-heading that happens to be a link, between two prose paragraphs, is text."""
    block = blocks[index]
    if block.tag not in HEADING_TAGS or block.tag == "h1" or not kept:
        return False
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and _is_prose(following)


def _prose_follows(blocks: list[Block], index: int, cards: set[int] | None = None) -> bool:
    """Whether the article goes on after a panel heading (an inline "More on this story").

    Teasers in a panel read like prose too, but they are cut short ("…", "more »"), sit
    between time stamps, or are the summaries of teaser cards (`cards`, panels.py); only
    other untruncated paragraphs count, up to the next heading of a panel.
    """
    prose = 0
    for i in range(index + 1, len(blocks)):
        block = blocks[i]
        if is_end_marker(block.text):
            return False
        if (cards and i in cards) or block.image == "with":
            continue  # a card's summary, or text sharing its box with a picture (a thumbnail)
        if (block.tokens >= 25 and block.punct >= 2 and block.link_density < 0.3
                and not _TRUNCATED_RE.search(block.text)
                and not (i > 0 and _STAMP_RE.match(blocks[i - 1].text))):
            prose += 1
            if prose >= 2:
                return True
    return False


def _drop_stamped_lists(kept: list[Block], stamped: set[int]) -> None:
    """Remove feed lists: three or more bare time stamps each followed by an item
    ("15:31" / "【港股收评…】" ...), the 7x24 flash lists portals put under articles;
    a live blog's timeline, which outweighs any intro before it, stays. `stamped`: the
    ids of the blocks that are bare time stamps (_STAMP_RE)."""
    if len(stamped) < 3:
        return  # no run of three
    stamps = [i for i, b in enumerate(kept) if id(b) in stamped]
    runs: list[list[int]] = []
    for i in stamps:
        if runs and i - runs[-1][-1] <= 3:
            runs[-1].append(i)
        else:
            runs.append([i])
    sums = [0]  # running token totals: each run's weighing is O(1)
    for block in kept:
        sums.append(sums[-1] + block.tokens)
    drop: list[tuple[int, int]] = []
    for run in runs:
        if len(run) >= 3:
            end = min(len(kept), run[-1] + 2)
            # A live blog is such a list too, but it is the article: drop the run only
            # when the prose before it outweighs it (a feed panel under a story).
            if sums[run[0]] > sums[end] - sums[run[0]]:
                drop.append((run[0], end))
    if drop:
        gone = {i for start, end in drop for i in range(start, end)}
        kept[:] = [b for i, b in enumerate(kept) if i not in gone]


def is_link_bar(text: str) -> bool:
    """A bar of short labels between pipes: "Support | Policies & Ethics | Contact Us"."""
    if "|" not in text and "｜" not in text:
        return False
    parts = [p for p in _BAR_SPLIT_RE.split(text) if p.strip()]
    return len(parts) >= 4 and all(count_tokens(p) <= 5 for p in parts)


def _bare(text: str) -> str:
    return text.strip().strip(_BRACKETS + _QUOTES).strip()

"""Repeated paragraphs: copies go, lines repeated by the article's own structure stay, and
the index finds the same copies the all-pairs comparison found, in linear time."""

from __future__ import annotations

import random

from newsharvest.extract import repeats as repeats_module
from newsharvest.extract.blocks import collect_blocks
from newsharvest.extract.paragraphs import clean_paragraphs
from newsharvest.extract.parse import parse_page
from newsharvest.extract.repeats import MAX_CANDIDATES, Repeats, shingles

PROSE = ("The council voted on Tuesday to approve the new budget for the coming year, "
         "after a long debate about school funding and road repairs in the northern districts.")


def _clean(html: str) -> list[str]:
    page = parse_page(f"<html><body><article>{html}</article></body></html>")
    assert page.body is not None
    return clean_paragraphs(collect_blocks(page.body)).paragraphs


def test_exact_and_near_copies_are_dropped() -> None:
    """Copies set in other markup than the first occurrence: the standfirst again in the
    body, a caption repeated in the text, a pull quote."""
    near = PROSE.replace("coming year", "coming fiscal year")
    assert _clean(f"<p class='standfirst'>{PROSE}</p><div class='body'><p>{PROSE}</p>"
                  f"<blockquote><p>{near}</p></blockquote></div>") == [PROSE]


def test_a_paragraph_the_text_repeats_stays() -> None:
    """Siblings set alike (two <p> of one body, a <p> in each of two like sections) are
    the text saying the same thing twice: a quote the article returns to, a chorus."""
    near = PROSE.replace("coming year", "coming fiscal year")
    other = "Parents said the changes came too late for this year's classes, but welcomed them."
    assert _clean(f"<p>{PROSE}</p><p>{other}</p><p>{PROSE}</p>") == [PROSE, other, PROSE]
    assert _clean(f"<div><p>{PROSE}</p></div><h2>The second vote</h2><div><p>{near}</p></div>") == [
        PROSE, "The second vote", near]
    # Paragraphs directly in <body> (no wrapper) are siblings too.
    page = parse_page(f"<html><body><p>{PROSE}</p><h2>Again</h2><p>{PROSE}</p></body></html>")
    assert page.body is not None
    assert clean_paragraphs(collect_blocks(page.body)).paragraphs == [PROSE, "Again", PROSE]


def test_a_copy_in_an_unlike_section_still_goes() -> None:
    """The same two wrappers with different classes (a mobile and a desktop copy)."""
    assert _clean(f"<div class='m'><p>{PROSE}</p></div><div class='d'><p>{PROSE}</p></div>"
                  ) == [PROSE]


def test_cut_off_copy_is_dropped() -> None:
    assert _clean(f"<p>{PROSE}</p><p>{PROSE[:60]}…</p>") == [PROSE]


def test_paragraphs_that_differ_only_in_numbers_are_a_series() -> None:
    days = [f"On day {n} the group walks {n * 4} kilometres along the river and camps "
            "near the old mill before the evening meal is served to everyone." for n in (1, 2, 3)]
    assert _clean("".join(f"<p>{d}</p>" for d in days)) == days


def test_meal_plan_lines_repeated_per_day_stay() -> None:
    days = "".join(
        f"<h3>Day {n}</h3><ul><li>Breakfast: oatmeal with berries</li>"
        f"<li>Lunch: lentil soup</li><li>Dinner: dish {n}</li></ul>" for n in (1, 2, 3))
    found = _clean(f"<p>{PROSE}</p>{days}")
    assert found.count("Breakfast: oatmeal with berries") == 3
    assert found.count("Lunch: lentil soup") == 3


def test_repeated_short_lines_outside_lists_still_go() -> None:
    second = "Parents said the changes came too late for this year's classes, but welcomed them."
    third = "The mayor promised that the repairs would start in spring, weather permitting."
    found = _clean(f"<p>{PROSE}</p><p>Keep calm</p><p>{second}</p><div class='x'>Keep calm</div>"
                   f"<p>{third}</p>")
    assert found == [PROSE, "Keep calm", second, third]
    # Set alike too: a short unpunctuated line repeated is furniture, not text.
    found = _clean(f"<p>{PROSE}</p><p>Keep calm</p><p>{second}</p><p>Keep calm</p>"
                   f"<p>{third}</p>")
    assert found == [PROSE, "Keep calm", second, third]


def _random_paragraphs(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    words = [f"w{i}" for i in range(3000)]
    return [" ".join(rnd.choice(words) for _ in range(rnd.randint(14, 40))) for _ in range(n)]


def _all_pairs_near(texts: list[str]) -> list[bool]:
    """The old definition: Jaccard >= 0.8 with any earlier kept paragraph."""
    kept: list[frozenset[int]] = []
    out = []
    for text in texts:
        found = shingles(text)
        dup = any(len(found & k) / len(found | k) >= 0.8 for k in kept)
        out.append(dup)
        if not dup:
            kept.append(found)
    return out


def test_index_finds_what_all_pairs_finds() -> None:
    base = _random_paragraphs(300)
    rnd = random.Random(1)
    texts = list(base)
    for _ in range(200):  # near copies: one word changed, dropped or added
        words = rnd.choice(base).split()
        i = rnd.randrange(len(words))
        op = rnd.choice(("swap", "drop", "add"))
        if op == "swap":
            words[i] = "zz"
        elif op == "drop":
            del words[i]
        else:
            words.insert(i, "yy")
        texts.insert(rnd.randrange(len(texts) + 1), " ".join(words))
    page = parse_page("<html><body>" + "".join(f"<p>{t}</p>" for t in texts) + "</body></html>")
    assert page.body is not None
    blocks = collect_blocks(page.body)
    repeats = Repeats(blocks)
    indexed = [repeats._near_copy(shingles(b.text), (), repeats._ordered_prefix(
        shingles(b.text))) or repeats._add_shingles(shingles(b.text), (), repeats._ordered_prefix(
            shingles(b.text))) or False for b in blocks]
    assert indexed == _all_pairs_near([b.text for b in blocks])


def test_candidates_per_paragraph_are_bounded(monkeypatch) -> None:
    """Thousands of paragraphs sharing most shingles (kept: they differ in their numbers)
    are each compared exactly with at most MAX_CANDIDATES earlier ones: linear work."""
    stem = " ".join(f"w{i}" for i in range(30))
    page = parse_page("<html><body>" + "".join(
        f"<p>{stem} item {i} of the list</p>" for i in range(2000)) + "</body></html>")
    assert page.body is not None
    blocks = collect_blocks(page.body)
    calls = [0]
    original = repeats_module._near

    def counting(a: frozenset[int], b: frozenset[int]) -> bool:
        calls[0] += 1
        return original(a, b)

    monkeypatch.setattr(repeats_module, "_near", counting)
    repeats = Repeats(blocks)
    per_paragraph = []
    for block in blocks:
        calls[0] = 0
        assert not repeats.is_copy(block, block.text)
        per_paragraph.append(calls[0])
    assert max(per_paragraph) <= MAX_CANDIDATES


def test_repeats_in_alternating_settings_stay_linear(monkeypatch) -> None:
    """A page alternating one paragraph between two settings: every paragraph is compared
    with at most MAX_SETTINGS kept occurrences of its text and MAX_CANDIDATES near ones,
    not with all of them."""
    calls = [0]
    original = repeats_module.same_setting

    def counting(a, b) -> bool:
        calls[0] += 1
        return original(a, b)

    monkeypatch.setattr(repeats_module, "same_setting", counting)
    page = parse_page("<html><body>" + "".join(
        f"<div class='a'><p>{PROSE}</p></div><div class='b'><p>{PROSE}</p></div>"
        for _ in range(400)) + "</body></html>")
    assert page.body is not None
    found = clean_paragraphs(collect_blocks(page.body)).paragraphs
    assert found.count(PROSE) == 400  # the 'a' ones: set alike; the 'b' ones: copies
    assert calls[0] <= 800 * (repeats_module.MAX_SETTINGS + MAX_CANDIDATES)


def test_skipping_the_index_changes_no_result() -> None:
    """Paragraphs that share too few shingles to have a near copy skip the index (pages of
    at most MAX_CANDIDATES long paragraphs): the answers are the index's, copy for copy."""
    rnd = random.Random(5)
    for trial in range(40):
        base = _random_paragraphs(rnd.randint(2, 30), seed=trial)
        texts = list(base)
        for _ in range(rnd.randint(0, 20)):  # near copies, exact copies, shared stems
            words = rnd.choice(base).split()
            op = rnd.choice(("swap", "copy", "stem"))
            if op == "swap":
                words[rnd.randrange(len(words))] = "zz"
            elif op == "stem":
                words = words[: len(words) // 2] + _random_paragraphs(1, rnd.random())[0].split()
            texts.insert(rnd.randrange(len(texts) + 1), " ".join(words))
        page = parse_page("<html><body>" + "".join(f"<p>{t}</p>" for t in texts)
                          + "</body></html>")
        assert page.body is not None
        blocks = collect_blocks(page.body)
        assert len(blocks) <= MAX_CANDIDATES
        fast, indexed = Repeats(blocks), Repeats(blocks)
        indexed._skips = 0  # always consult the index
        assert ([fast.is_copy(b, b.text) for b in blocks]
                == [indexed.is_copy(b, b.text) for b in blocks])
        assert fast._skipped or not blocks  # the shortcut was taken

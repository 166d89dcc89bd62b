"""bound_markup's long-tag finder agrees with the regex that defines it."""

from __future__ import annotations

import random

from newsharvest.extract.parse import _LONG_TAG_RE, LONG_TAG_CHARS, _long_tag


def test_long_tag_finder_is_the_regex() -> None:
    rnd = random.Random(8)
    pieces = ["<", ">", "<a", "<div ", "</p>", "<br/", " x=1", "\"", "'", "/", "<1",
              "a" * (LONG_TAG_CHARS // 3), "b" * (LONG_TAG_CHARS + 5), "c" * 100]
    for case in range(400):
        html = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        if case % 2:  # a tag around the threshold, sometimes broken by a "<"
            size = LONG_TAG_CHARS + rnd.randint(-3, 3)
            attrs = "".join(rnd.choice(" x=\"'/") for _ in range(size))
            if rnd.random() < 0.3:
                cut = rnd.randrange(size)
                attrs = attrs[:cut] + "<" + attrs[cut:]
            html = rnd.choice(["", "text", "<p>"]) + f"<{rnd.choice(['a', 'img', 'x-y'])}{attrs}" \
                + rnd.choice([">", "", "/>", ">tail<b>"])
        for at in [i for i, ch in enumerate(html) if ch == "<"] + [0, len(html)]:
            match = _LONG_TAG_RE.match(html, at)
            expected = (match.end(), match.group(1), match.group(2)) if match else None
            assert _long_tag(html, at) == expected

"""Story linking: copies of one story share a story_id, different stories do not."""

from __future__ import annotations

from functools import partial

from helpers import FIXTURES, make_article, make_outcome

from newsharvest.fixtures import read_expected
from newsharvest.records import Article
from newsharvest.store import Store


def body_of(case: str) -> str:
    return read_expected(FIXTURES / case / "expected.json")["body"]


article = partial(make_article, with_simhash=True)


def save(store: Store, a: Article) -> str:
    store.save(a, make_outcome(a.url), "r")
    return next(store.query("select story_id from articles where url = ?", [a.url]))["story_id"]


def reprint(body: str) -> str:
    """What a second portal does to a syndicated story: drops a paragraph, edits words."""
    paragraphs = body.split("\n\n")
    del paragraphs[len(paragraphs) // 2]
    edited = "\n\n".join(paragraphs).replace("OpenAI", "Open AI", 2).replace("数据中心", "数据中心项目", 1)
    return edited + "\n\n（本文综合自证券时报）"


def test_copies_share_a_story_and_other_stories_do_not(tmp_path):
    original = body_of("netease/seed-002")
    other = body_of("thepaper/county-childcare")
    with Store(tmp_path / "x.db") as store:
        first = save(store, article("https://a.example/1", original))
        assert save(store, article("https://b.example/2", reprint(original))) == first
        assert save(store, article("https://c.example/3", original)) == first  # exact copy
        assert save(store, article("https://d.example/4", other)) != first


def test_story_on_one_topic_is_not_a_copy(tmp_path):
    # Two different Chinese finance stories share vocabulary but are not one story.
    with Store(tmp_path / "x.db") as store:
        a = save(store, article("https://a.example/1", body_of("sina/market-close")))
        b = save(store, article("https://b.example/2", body_of("stcn/investor-services")))
        assert a != b

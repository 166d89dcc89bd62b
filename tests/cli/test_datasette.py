"""Datasette on a harvested file: the plugin makes its search find Chinese and English."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

pytest.importorskip("datasette")

from datasette.app import Datasette  # noqa: E402
from datasette.plugins import pm  # noqa: E402

from newsharvest import datasette_plugin, harvest, load_sources  # noqa: E402
from newsharvest.fetch.replay import ReplayTransport  # noqa: E402
from newsharvest.store.search import search as newsharvest_search  # noqa: E402

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture portals harvested as cron would (no Datasette config written by hand)."""
    path = tmp_path_factory.mktemp("ds") / "news.db"
    sources = load_sources(FIXTURES / "sources.yaml")
    harvest(sources, path, transport=ReplayTransport(FIXTURES), replay=True)
    if pm.get_plugin("newsharvest") is None:  # an editable install registers the entry point
        pm.register(datasette_plugin, name="newsharvest")
    return path


def expected(db_path: Path, term: str) -> set[str]:
    """What `newsharvest search --variants` finds: Datasette must find the same."""
    return {hit.url for hit in newsharvest_search(db_path, term, limit=None, variants=True)}


def search(db_path: Path, term: str) -> set[str]:
    async def run() -> set[str]:
        ds = Datasette([str(db_path)])
        response = await ds.client.get(f"/news/articles.json?_search={term}&_shape=array"
                                       "&_col=url")
        assert response.status_code == 200, response.text
        return {row["url"] for row in response.json()}

    return asyncio.run(run())


def test_two_character_chinese_word(db_path: Path) -> None:
    found = search(db_path, "芯片")
    assert len(found) >= 2 and found == expected(db_path, "芯片")


def test_phrase_finds_both_scripts(db_path: Path) -> None:
    traditional = search(db_path, "東北季風")
    assert traditional and traditional == expected(db_path, "東北季風")
    assert search(db_path, "东北季风") == traditional  # the pages print 東北季風


def test_english_word_and_no_match(db_path: Path) -> None:
    found = search(db_path, "police")
    assert found and found == expected(db_path, "police")
    assert search(db_path, "zzyzxqwv") == set()


def test_every_row_without_search(db_path: Path) -> None:
    async def run() -> int:
        response = await Datasette([str(db_path)]).client.get("/news/articles.json?_size=max")
        return len(response.json()["rows"])

    assert asyncio.run(run()) > len(search(db_path, "police"))


def test_table_page_has_a_search_box(db_path: Path) -> None:
    async def run() -> str:
        response = await Datasette([str(db_path)]).client.get("/news/articles")
        return response.text

    assert 'name="_search"' in asyncio.run(run())


def test_serve_metadata_names_the_index() -> None:
    meta = datasette_plugin.search_metadata("news")
    assert json.loads(json.dumps(meta))["databases"]["news"]["tables"]["articles"][
        "fts_table"] == "articles_search"

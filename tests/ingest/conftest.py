"""WARC files built from fixtures/ (with warcio), intact and damaged, for the ingest tests."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from helpers import FIXTURES

from newsharvest.config import load_sources
from newsharvest.ingest.write import ResponseInput, replay_responses, write_warc
from newsharvest.records import Source


@dataclass(frozen=True)
class Archives:
    folder: Path
    warcs: list[Path]  # intact WARCs holding every fixture article page between them
    damaged: Path  # pages + non-HTML + a wrong charset + a corrupt member + a truncated end
    responses: list[ResponseInput]  # the article pages in the intact WARCs
    sources: list[Source]


def article_responses() -> list[ResponseInput]:
    """Every fixture page a replay harvest stores: all but the feeds and listings."""
    sources = load_sources(FIXTURES / "sources.yaml")
    return replay_responses(FIXTURES, skip={s.url for s in sources})


def corrupt_member(path: Path, offsets: list[int], index: int) -> None:
    """Flip bytes inside the compressed data of record `index` (its gzip member)."""
    data = bytearray(path.read_bytes())
    end = offsets[index + 1] if index + 1 < len(offsets) else len(data)
    middle = (offsets[index] + end) // 2
    for k in range(middle, middle + 16):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))


def misdeclared(response: ResponseInput) -> ResponseInput:
    """The page re-encoded as GB18030 while its header still says UTF-8."""
    text = response.payload.decode("utf-8").replace('charset="utf-8"', "").replace(
        "charset=utf-8", "")
    return replace(response, url=response.url + "?gbk", payload=text.encode("gb18030"),
                   headers={"content-type": "text/html; charset=utf-8"})


def build(folder: Path) -> Archives:
    folder.mkdir(parents=True, exist_ok=True)
    responses = article_responses()
    warcs = []
    for i in range(4):  # two compressed, two plain: both readers' paths
        path = folder / f"news-{i}.warc{'.gz' if i % 2 == 0 else ''}"
        write_warc(path, responses[i::4])
        warcs.append(path)
    zh = next(r for r in responses if "thepaper.cn" in r.url)
    date = zh.date
    extras = [
        responses[0],
        ResponseInput("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                      headers={"content-type": "image/png"}, date=date),
        ResponseInput("https://example.org/report.pdf", b"%PDF-1.7\n" + b"x" * 64,
                      headers={"content-type": "text/html"}, date=date),  # mislabelled
        ResponseInput("https://example.org/gone", b"<html><p>Not here</p></html>", status=404,
                      headers={"content-type": "text/html"}, date=date),
        responses[1],  # this record's gzip member gets damaged
        misdeclared(zh),
        responses[2],
        responses[3],  # the file ends half way through this one
    ]
    damaged = folder / "damaged.warc.gz"
    offsets = write_warc(damaged, extras)
    corrupt_member(damaged, offsets, 4)
    data = damaged.read_bytes()
    damaged.write_bytes(data[: (offsets[-1] + len(data)) // 2])
    return Archives(folder, warcs, damaged, responses, load_sources(FIXTURES / "sources.yaml"))


@pytest.fixture(scope="session")
def archives(tmp_path_factory: pytest.TempPathFactory) -> Archives:
    return build(tmp_path_factory.mktemp("warcs"))


@pytest.fixture(scope="session")
def parts(archives: Archives, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Parquet parts that `ingest` makes of the intact WARCs (the load tests' input)."""
    from newsharvest.ingest import IngestOptions, PageFilter, ingest

    out = tmp_path_factory.mktemp("parts")
    keep = PageFilter(sources=tuple(archives.sources))
    result = ingest([str(w) for w in archives.warcs], out, IngestOptions(filter=keep), jobs=2)
    assert result.ok
    return sorted(out.glob("*.parquet"))

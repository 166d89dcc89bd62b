"""`harvest --shard I/N`: machines sharing one sources.yaml split it by site, no overlap."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import FIXTURES, sql_rows

from newsharvest.cli import main
from newsharvest.config import load_sources, parse_shard, select_shard
from newsharvest.errors import ConfigError
from newsharvest.normalize.urls import registrable_domain


def site(url: str) -> str:
    from urllib.parse import urlsplit

    return registrable_domain(urlsplit(url).hostname or "")


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_shards_partition_the_sources_and_keep_each_site_together(count):
    sources = load_sources(FIXTURES / "sources.yaml")
    shards = [select_shard(sources, i, count) for i in range(1, count + 1)]
    names = [s.name for shard in shards for s in shard]
    assert sorted(names) == sorted(s.name for s in sources)  # each source exactly once
    for i, shard in enumerate(shards):
        others = {site(s.url) for j, o in enumerate(shards) if j != i for s in o}
        assert not {site(s.url) for s in shard} & others  # one site, one machine
    if count > 1:
        assert sum(1 for shard in shards if shard) > 1  # it does split


def test_the_split_is_stable_across_processes():
    import os
    import subprocess
    import sys

    code = ("from newsharvest.config import load_sources, select_shard;"
            f"s = load_sources({str(FIXTURES / 'sources.yaml')!r});"
            "print(','.join(x.name for x in select_shard(s, 2, 3)))")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"PYTHONHASHSEED": seed, "PYTHONPATH": os.pathsep.join(sys.path)},
                           check=True).stdout
            for seed in ("1", "2")}
    assert len(runs) == 1  # not Python's randomised hash()


@pytest.mark.parametrize("bad", ["0/3", "4/3", "2", "a/b", "1/0"])
def test_bad_shard_values_name_the_setting(bad):
    with pytest.raises(ConfigError, match="field 'shard'"):
        parse_shard(bad)


def test_sharded_harvests_merged_by_load_equal_one_harvest(tmp_path, capsys):
    whole = tmp_path / "whole.db"
    main(["harvest", "--replay", str(FIXTURES), "--db", str(whole)])
    parts = []
    for i in (1, 2):
        db = tmp_path / f"shard{i}.db"
        main(["harvest", "--replay", str(FIXTURES), "--db", str(db), "--shard", f"{i}/2"])
        parts.append(str(db))
    assert "shard 2/2:" in capsys.readouterr().err
    merged = tmp_path / "merged.db"
    main(["load", *parts, "--db", str(merged)])
    cols = "url, source, title, published, body, language, content_hash, fetched_at"

    def rows(db: Path) -> set[tuple]:
        return set(sql_rows(db, f"SELECT {cols} FROM articles"))

    assert rows(merged) == rows(whole) and len(rows(whole)) > 30

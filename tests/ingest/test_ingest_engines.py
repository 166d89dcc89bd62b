"""Engines: a process pool and Ray write the same parts; a killed run resumes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from helpers import sql_rows

from newsharvest.cli import main
from newsharvest.ingest import find_warcs, ingest, part_name
from newsharvest.ingest.write import write_warc


def row_set(folder: Path) -> set[tuple]:
    rows = set()
    for part in sorted(folder.glob("*.parquet")):
        for row in pq.read_table(part).to_pylist():
            rows.add(tuple(sorted(row.items())))
    return rows


def test_one_worker_and_two_workers_write_identical_parts(archives, tmp_path):
    one = ingest([str(w) for w in archives.warcs], tmp_path / "one", jobs=1)
    two = ingest([str(w) for w in archives.warcs], tmp_path / "two", jobs=2)
    assert one.ok and two.ok
    assert [w.rows for w in one.warcs] == [w.rows for w in two.warcs]
    assert row_set(tmp_path / "one") == row_set(tmp_path / "two")
    pages = [r for r in archives.responses if r.status == 200]  # not the redirect fixture
    assert len(row_set(tmp_path / "one")) == one.total("rows") == len(pages)


def test_ray_and_local_produce_identical_row_sets(archives, tmp_path):
    ray = pytest.importorskip("ray")  # installed by the test extra; see pyproject.toml
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        warcs = [str(w) for w in [*archives.warcs, archives.damaged]]
        by_ray = ingest(warcs, tmp_path / "ray", engine="ray")
    finally:
        ray.shutdown()
    local = ingest(warcs, tmp_path / "local", engine="local", jobs=2)
    assert row_set(tmp_path / "ray") == row_set(tmp_path / "local")
    assert len(row_set(tmp_path / "ray")) > len(archives.responses)
    assert [(w.warc, w.rows, w.problem_count) for w in by_ray.warcs] == \
           [(w.warc, w.rows, w.problem_count) for w in local.warcs]
    names = sorted(p.name for p in (tmp_path / "ray").glob("*.parquet"))
    assert names == sorted(part_name(w) for w in warcs)


def test_globs_and_folders_expand_and_a_typo_is_an_error(archives):
    from newsharvest.errors import ConfigError

    assert find_warcs([str(archives.folder)]) == sorted(
        str(p) for p in [*archives.warcs, archives.damaged])
    assert find_warcs([str(archives.folder / "news-*.warc.gz")]) == [
        str(archives.warcs[0]), str(archives.warcs[2])]
    with pytest.raises(ConfigError, match="no WARC file found"):
        find_warcs([str(archives.folder / "nwes-*.warc")])


def test_an_output_folder_that_cannot_be_made_is_a_config_error(archives, tmp_path, capsys):
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(SystemExit) as info:
        main(["ingest", str(archives.warcs[0]), "--out", str(tmp_path / "taken")])
    assert info.value.code == 2 and "--out" in capsys.readouterr().err


def test_cli_reports_damage_with_exit_1_and_writes_the_rest(archives, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["ingest", str(archives.folder), "--out", str(tmp_path / "parts"),
              "--jobs", "2"])
    assert info.value.code == 1
    out = capsys.readouterr().out
    assert "damaged.warc.gz: done" in out and "problems=2" in out
    assert len(list((tmp_path / "parts").glob("*.parquet"))) == 5
    # A rerun finds every part done; their problems were reported by the run that met them.
    main(["ingest", str(archives.folder), "--out", str(tmp_path / "parts")])
    assert capsys.readouterr().out.count(": exists ") == 5


def test_killed_ingest_resumes_and_writes_each_part_once(archives, tmp_path):
    # Eight WARCs of the fixture pages (each page under eight URLs), one worker, so the
    # run is still going when it is killed.
    folder = tmp_path / "warcs"
    folder.mkdir()
    for i in range(8):
        write_warc(folder / f"batch-{i}.warc.gz",
                   [replace(r, url=f"{r.url}#copy{i}{j}") for j in range(3)
                    for r in archives.responses])
    out = tmp_path / "parts"
    command = [sys.executable, "-m", "newsharvest", "ingest", str(folder), "--out", str(out),
               "--jobs", "1"]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob("*.parquet")):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = {p.name for p in out.glob("*.parquet")}
    assert 1 <= len(finished) < 8, "the kill came too late to test anything"
    for part in finished:
        pq.read_table(out / part)  # every part present is whole

    rerun = subprocess.run(command, capture_output=True, text=True, check=True)
    assert rerun.stdout.count(": exists ") == len(finished)
    assert rerun.stdout.count(": done ") == 8 - len(finished)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        part_name(w) for w in sorted(folder.iterdir()))  # no temporary file left
    clean = ingest([str(folder)], tmp_path / "clean", jobs=2)
    assert row_set(out) == row_set(tmp_path / "clean") and clean.total("rows") > 0


def test_warcs_and_parts_may_live_behind_fsspec_urls(archives, tmp_path):
    """s3://, gs://... work the same way; fsspec's in-memory file system stands in."""
    import fsspec

    memory = fsspec.filesystem("memory")
    for warc in archives.warcs[:2]:
        memory.pipe(f"/ccnews/{warc.name}", warc.read_bytes())
    remote = ingest(["memory:///ccnews/*.warc*"], "memory:///parts", jobs=1)
    local = ingest([str(w) for w in archives.warcs[:2]], tmp_path / "local", jobs=1)
    assert remote.ok and [w.rows for w in remote.warcs] == [w.rows for w in local.warcs]
    names = sorted(p.rsplit("/", 1)[1] for p in memory.ls("/parts", detail=False))
    assert len(names) == 2 and not any(n.endswith(".tmp") for n in names)
    rows = set()
    for name in names:
        with memory.open(f"/parts/{name}", "rb") as f:
            rows |= {tuple(sorted(r.items())) for r in pq.read_table(f).to_pylist()}
    assert rows == row_set(tmp_path / "local")
    again = ingest(["memory:///ccnews/"], "memory:///parts", jobs=1)
    assert [w.status for w in again.warcs] == ["exists", "exists"]
    main(["load", "memory:///parts", "--db", str(tmp_path / "remote.db")])
    main(["load", str(tmp_path / "local"), "--db", str(tmp_path / "local.db")])

    def stored(db):
        return set(sql_rows(db, "SELECT url, content_hash FROM articles"))

    assert stored(tmp_path / "remote.db") == stored(tmp_path / "local.db") != set()
    memory.rm("/ccnews", recursive=True)
    memory.rm("/parts", recursive=True)

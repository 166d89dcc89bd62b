"""`newsharvest ingest` (WARC -> Parquet parts) and `newsharvest load` (parts -> SQLite)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import DEFAULT_PAGE_TIMEOUT, load_sources
from .common import DEFAULT_DB, existing_database, lang_choice
from .progress import progress_bar


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, metavar="PATH_OR_GLOB...")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Folder for the Parquet parts (one per WARC).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local",
              show_default=True, help="A process pool here, or a Ray cluster.")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Worker processes for --engine local [default: available CPUs].")
@click.option("--ray-address", metavar="ADDRESS",
              help="Ray cluster to join [default: RAY_ADDRESS, else a local instance].")
@click.option("--host", "hosts", multiple=True, metavar="HOST",
              help="Keep pages of this host and its subdomains (repeatable).")
@click.option("--url-pattern", metavar="REGEX", help="Keep URLs this expression matches.")
@click.option("--lang", "--language", "languages", multiple=True, type=lang_choice(),
              help="Keep pages in this language (repeatable; zh = any Chinese).")
@click.option("--sources", "sources_path", type=click.Path(exists=True, dir_okay=False),
              help="Keep pages of these sources' sites, with their names, timezones, rules.")
@click.option("--overwrite", is_flag=True, help="Redo parts an earlier run finished.")
@click.option("--page-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_PAGE_TIMEOUT,
              show_default=True, metavar="SECONDS",
              help="Seconds one record's extraction may take; over it the record is "
                   "reported as 'timeout' and skipped.")
def ingest_command(paths: tuple[str, ...], out_dir: str, engine: str, jobs: int | None,
                   ray_address: str | None, hosts: tuple[str, ...], url_pattern: str | None,
                   languages: tuple[str, ...], sources_path: str | None,
                   overwrite: bool, page_timeout: float) -> None:
    """Extract the HTML pages of WARC files (.warc, .warc.gz) into Parquet parts.

    One part per WARC, written whole or not at all: rerun the same command after a crash
    and finished parts are skipped. Damaged records and gzip members are reported and
    skipped. Exit status 1 when any WARC had problems (the rest is still written).

    Example: newsharvest ingest 'CC-NEWS-*.warc.gz' --out parts/ --lang zh --lang en
    """
    import re

    from ..errors import ConfigError

    try:
        from ..ingest import IngestOptions, PageFilter, WarcReport, find_warcs, ingest
    except ImportError as exc:
        raise ConfigError(f"ingest needs its extra ({exc.name} is missing): "
                          "pip install 'newsharvest[ingest]'") from exc

    if url_pattern:
        try:
            re.compile(url_pattern)
        except re.error as exc:
            raise ConfigError(f"invalid regular expression: {exc}", field="--url-pattern"
                              ) from exc
    sources = tuple(load_sources(sources_path)) if sources_path else ()
    keep = PageFilter(hosts=tuple(h.lower() for h in hosts), url_pattern=url_pattern,
                      languages=languages, sources=sources)
    warcs = find_warcs(paths)
    with progress_bar("WARCs", len(warcs)) as bar:

        def echo(report: WarcReport) -> None:
            bar.echo(f"{report.warc}: {report.status} rows={report.rows} html={report.html} "
                     f"filtered={report.filtered} no_text={report.no_text} "
                     f"failed={report.failed} problems={report.problem_count}")
            bar.advance()

        try:
            result = ingest([str(w) for w in warcs], out_dir,
                            IngestOptions(filter=keep, overwrite=overwrite,
                                          page_timeout=page_timeout), engine=engine,
                            jobs=jobs, ray_address=ray_address, on_done=echo)
        except ConfigError as exc:  # the library names its arguments; say the options
            option = {"out_dir": "--out", "engine": "--engine"}.get(exc.field or "")
            if option is None:
                raise
            raise click.BadParameter(f"{exc.path + ': ' if exc.path else ''}{exc.reason}",
                                     param_hint=option) from exc
    click.echo(f"total: {len(result.warcs)} WARCs, rows={result.total('rows')} "
               f"responses={result.total('responses')} problems={result.total('problem_count')}")
    if not result.ok:
        sys.exit(1)


@click.command("load")
@click.argument("parts", nargs=-1, required=True, metavar="PART_OR_FOLDER...")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False), help="SQLite file to merge into.")
def load_command(parts: tuple[str, ...], db_path: str) -> None:
    """Merge Parquet parts (from ingest) or shard databases (harvest --shard) into --db.

    Same dedupe as harvest: one row per canonical URL (the latest fetch wins), copies
    linked by story_id. A folder means every *.parquet in it. Safe to repeat.

    Example: newsharvest load parts/ shard2.db --db data/all.db
    """
    from ..errors import ConfigError
    from ..store.load import load_parts

    existing_database(db_path, may_be_new=True)
    paths: list[str | Path] = []
    for part in parts:
        found = _expand_part(part)
        if not found:
            raise ConfigError("no *.parquet part in this folder", path=part)
        paths.extend(found)
    with progress_bar("parts", len(paths)) as bar:
        counts = load_parts(paths, db_path, on_part=lambda path, counts: bar.advance())
    click.echo(" ".join(f"{k}={counts.get(k, 0)}"
                        for k in ("new", "updated", "unchanged", "older", "bad_parts")))
    if counts.get("bad_parts"):
        sys.exit(1)


def _expand_part(part: str) -> list[str | Path]:
    """A part file, or every *.parquet in a folder; local paths or fsspec URLs."""
    from ..errors import ConfigError
    from ..location import Location, is_url

    if is_url(part):
        where = Location(part)
        if where.fs.isdir(where.path):
            return list(where.glob("*.parquet"))
        return [part] if where.exists() else []
    path = Path(part.removeprefix("file://"))
    if path.is_dir():
        return list(sorted(path.glob("*.parquet")))
    if not path.exists():
        raise ConfigError("no such part or folder", path=part)
    return [path]

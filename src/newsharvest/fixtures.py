"""Saved pages on disk: ``manifest.json`` (URL -> file, status, headers) and fixture cases.

One reader and one writer for the layout described in fixtures/README.md, shared by replay
(``harvest --replay``), the evaluation (fixture cases), ``fixture add`` and the tests, so
the format cannot drift between the place that writes it and the places that read it::

    <portal>/manifest.json        {"<url>": {"file": "<case>/page.html", "status": 200,
                                             "headers": {"content-type": ..., "date": ...}}}
    <portal>/<case>/page.html     the page bytes as served
    <portal>/<case>/expected.json the record a correct extractor produces

`file` is relative to the manifest's folder; header names are case-insensitive and read
lower-cased. Problems are `ConfigError`s naming the manifest (and the URL).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .records import Article

MANIFEST = "manifest.json"
EXPECTED = "expected.json"
PAGE = "page.html"


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One saved response: where its bytes are and what the server answered with."""

    url: str
    path: Path  # the page file: the manifest's folder / `file`
    manifest: Path  # the manifest.json that lists it
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased


def read_manifest(path: str | Path) -> dict[str, ManifestEntry]:
    """The entries of one manifest.json, by URL; ConfigError when it is not a valid one."""
    path = Path(path)
    entries = _read_json(path, "manifest")
    if not isinstance(entries, dict):
        raise ConfigError("must map URLs to entries", path=str(path))
    result: dict[str, ManifestEntry] = {}
    for url, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            raise ConfigError("needs a 'file'", path=str(path), entry=url, field="file")
        try:
            status = int(entry.get("status", 200))
        except (TypeError, ValueError):
            raise ConfigError("must be an HTTP status number", path=str(path), entry=url,
                              field="status") from None
        result[url] = ManifestEntry(url=url, path=path.parent / entry["file"], manifest=path,
                                    status=status, headers=lower_headers(entry.get("headers")))
    return result


def load_manifests(root: str | Path) -> dict[str, ManifestEntry]:
    """Every manifest.json under `root` merged; a URL may be listed only once."""
    root = Path(root)
    if not root.is_dir():
        raise ConfigError("replay folder not found", path=str(root))
    merged: dict[str, ManifestEntry] = {}
    for manifest in sorted(root.rglob(MANIFEST)):
        for url, entry in read_manifest(manifest).items():
            if url in merged:
                raise ConfigError(f"URL listed twice (also in {merged[url].manifest})",
                                  path=str(manifest), entry=url)
            merged[url] = entry
    return merged


def entry_for_page(
    page: Path, url: str | None = None,
    read: Callable[[Path], dict[str, ManifestEntry]] = read_manifest,
) -> ManifestEntry | None:
    """The entry serving `page`, from the nearest manifest.json in its folder or above it.

    An entry naming this very file wins; failing that, the entry for `url`. `read` lets a
    caller that looks up many pages read each manifest once.
    """
    target = page.resolve()
    by_url: ManifestEntry | None = None
    for folder in _ancestors(page.parent):
        manifest = folder / MANIFEST
        if not manifest.is_file():
            continue
        for entry in read(manifest).values():
            if entry.path.resolve() == target:
                return entry
            if by_url is None and url is not None and entry.url == url:
                by_url = entry
    return by_url


def add_manifest_entry(folder: str | Path, url: str, file: str, *, status: int = 200,
                       headers: dict[str, str] | None = None) -> Path:
    """Add (or replace) `url` in `folder`/manifest.json, keeping its other entries."""
    path = Path(folder) / MANIFEST
    data: dict[str, Any] = {}
    if path.exists():
        read_manifest(path)  # refuse to rewrite a manifest we cannot read
        data = _read_json(path, "manifest")
    data[url] = {"file": file, "status": status, "headers": dict(headers or {})}
    _write_json(path, data)
    return path


def expected_record(article: Article, source: str, *, note: str | None = None) -> dict[str, Any]:
    """An article as an expected.json record (see fixtures/README.md); `note` goes first."""
    record: dict[str, Any] = {"_review": note} if note else {}
    record.update({
        "url": article.url,
        "source": source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "body": article.body,
        "boilerplate": [],
        "authors": list(article.authors),
        "credits": list(article.credits),
        "origin": article.origin,
    })
    return record


def read_expected(path: str | Path) -> dict[str, Any]:
    """An expected.json record; ConfigError unless it is an object with a string body."""
    path = Path(path)
    data = _read_json(path, "expected record")
    if not isinstance(data, dict) or not isinstance(data.get("body"), str):
        raise ConfigError("must be an object with a string 'body'", path=str(path))
    return data


def write_expected(case_dir: str | Path, record: dict[str, Any]) -> Path:
    """Write `record` as `case_dir`/expected.json (UTF-8, readable Chinese, sorted by hand)."""
    path = Path(case_dir) / EXPECTED
    _write_json(path, record)
    return path


def lower_headers(headers: object) -> dict[str, str]:
    """HTTP header names are case-insensitive; a manifest may spell them either way."""
    if not isinstance(headers, dict):
        return {}
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _ancestors(start: Path) -> Iterable[Path]:
    start = start.resolve()
    return [start, *start.parents]


def _read_json(path: Path, what: str) -> Any:
    """The JSON in `path`; a ConfigError naming `what` when it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"unreadable {what}: {exc}", path=str(path)) from exc


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

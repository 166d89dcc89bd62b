"""Find evaluation cases on disk, in either of the two layouts we measure against.

* Evaluation datasets: ``DIR/<dataset>/<id>.html`` + ``<id>.json`` with url, title,
  published, language and body (paragraphs separated by "\\n"). A null title or date means
  the dataset does not know it.
* Our fixtures: ``fixtures/<portal>/<case>/page.html`` + ``expected.json`` (body paragraphs
  separated by "\\n\\n", a boilerplate list), with the response headers in the portal's
  ``manifest.json`` and the sources in ``fixtures/sources.yaml``. A null date there is a
  real expectation: the page states none.

The walk is recursive, so DIR may be the root of either corpus, one dataset or portal
folder, or a single fixture case; cases are returned in a stable (sorted) order so that
``--limit`` picks the same pages every time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import load_sources
from ..errors import ConfigError, EvalError
from ..fetch.politeness import http_date
from ..fixtures import (
    EXPECTED,
    MANIFEST,
    PAGE,
    ManifestEntry,
    entry_for_page,
    read_expected,
    read_manifest,
)
from ..records import Source
from .snippets import snippet_language

DATASET = "dataset"
FIXTURE = "fixture"
_RESERVED_JSON = frozenset({EXPECTED, MANIFEST})


@dataclass(frozen=True, slots=True)
class Truth:
    """The expected record of one page, as the corpus states it."""

    body: str
    title: str | None = None
    published: str | None = None
    language: str | None = None
    boilerplate: tuple[str, ...] = ()
    # Snippet truths (trafilatura's evaluation format): passages the body must / must not
    # contain; `body` is then empty and token scores do not apply.
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()

    @property
    def is_snippets(self) -> bool:
        return bool(self.with_snippets or self.without_snippets)


@dataclass(frozen=True, slots=True)
class Case:
    """One page to extract and score, with what the extractor may be told about it.

    `kind` is DATASET or FIXTURE: it decides what a null date means (see scoring.date_match)
    and whether boilerplate leaks are counted.
    """

    id: str
    kind: str
    html_path: Path
    truth: Truth
    url: str | None = None
    content_type: str | None = None
    fetched_at: datetime | None = None
    source: Source | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def read_html(self) -> bytes:
        """The page bytes exactly as saved (decoding is the extractor's job)."""
        return self.html_path.read_bytes()


def load_cases(path: str | Path) -> list[Case]:
    """Every case below `path` (either layout), sorted by id; EvalError when there is none."""
    root = Path(path)
    if not root.exists():
        raise EvalError(f"{root}: no such file or directory")
    if root.is_file():
        root = root.parent
    cases: list[Case] = []
    context = _FixtureContext(root)
    for json_path in sorted(root.rglob("*.json")):
        if json_path.name == EXPECTED:
            page = json_path.with_name(PAGE)
            if page.is_file():
                cases.append(_fixture_case(root, json_path, page, context))
        elif json_path.name not in _RESERVED_JSON:
            page = json_path.with_suffix(".html")
            if page.is_file():
                cases.append(_dataset_case(root, json_path, page))
    if not cases:
        raise EvalError(
            f"{root}: no cases found (expected <dataset>/<id>.html + <id>.json, or "
            "<portal>/<case>/page.html + expected.json)"
        )
    cases.sort(key=lambda c: c.id)
    return cases


def _read_json(path: Path) -> dict[str, Any]:
    """A truth file of either layout: an object with a string 'body' (fixtures.read_expected)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EvalError(f"{path}: cannot read ground truth: {exc}") from exc
    if isinstance(data, dict) and not isinstance(data.get("body"), str) and _snippets(data):
        return data  # trafilatura's snippet format: {"url", "with": [...], "without": [...]}
    try:
        return read_expected(path)
    except ConfigError as exc:
        raise EvalError(f"{path}: cannot read ground truth: {exc.reason} (or give "
                        "'with' / 'without' snippet lists)") from exc


def _snippets(data: dict[str, Any]) -> bool:
    """Whether `data` is a snippet truth: a 'with' or 'without' list of strings."""
    lists = [data.get(key) for key in ("with", "without") if key in data]
    return bool(lists) and all(
        isinstance(v, list) and all(isinstance(s, str) for s in v) for v in lists)


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _case_id(root: Path, item: Path) -> str:
    """"<dataset>/<id>" or "<portal>/<case>", even when DIR points at that folder or case.

    `item` is the truth file without suffix (datasets) or the case folder (fixtures).
    """
    if item == root:
        return f"{root.parent.name}/{root.name}"
    rel = item.relative_to(root)
    if len(rel.parts) < 2:
        rel = item.relative_to(root.parent)
    return rel.as_posix()


def _dataset_case(root: Path, json_path: Path, page: Path) -> Case:
    data = _read_json(json_path)
    if not isinstance(data.get("body"), str):
        with_, without = tuple(data.get("with") or ()), tuple(data.get("without") or ())
        truth = Truth(body="", language=_text(data, "language") or snippet_language(with_),
                      with_snippets=with_, without_snippets=without)
    else:
        truth = Truth(
            body=data["body"],
            title=_text(data, "title"),
            published=_text(data, "published"),
            language=_text(data, "language"),
        )
    return Case(
        id=_case_id(root, json_path.with_suffix("")), kind=DATASET, html_path=page, truth=truth,
        url=_text(data, "url"),
    )


def _fixture_case(root: Path, json_path: Path, page: Path, context: _FixtureContext) -> Case:
    data = _read_json(json_path)
    boilerplate = data.get("boilerplate") or []
    truth = Truth(
        body=data["body"],
        title=_text(data, "title"),
        published=_text(data, "published"),
        language=_text(data, "language"),
        boilerplate=tuple(str(line) for line in boilerplate),
    )
    url = _text(data, "url")
    headers = context.headers_for(page, url)
    source_name = _text(data, "source")
    case_dir = json_path.parent
    return Case(
        id=_case_id(root, case_dir),
        kind=FIXTURE,
        html_path=page,
        truth=truth,
        url=url,
        content_type=headers.get("content-type"),
        fetched_at=http_date(headers.get("date")),
        source=context.source(case_dir, source_name) if source_name else None,
        headers=headers,
    )


class _FixtureContext:
    """Manifests and sources.yaml files near the cases, each read once per run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._manifests: dict[Path, dict[str, ManifestEntry]] = {}
        self._sources: dict[Path, dict[str, Source]] = {}

    def _ancestors(self, start: Path) -> list[Path]:
        """`start` and its parents: a case may be evaluated on its own, below its manifest."""
        start = start.resolve()
        return [start, *start.parents]

    def _manifest(self, path: Path) -> dict[str, ManifestEntry]:
        if path not in self._manifests:
            try:
                self._manifests[path] = read_manifest(path)
            except ConfigError as exc:
                entry = f" (entry {exc.entry})" if exc.entry else ""
                raise EvalError(f"{path}: cannot read manifest{entry}: {exc.reason}") from exc
        return self._manifests[path]

    def headers_for(self, page: Path, url: str | None) -> dict[str, str]:
        """The response headers of the manifest entry serving `page` (by file, then URL)."""
        entry = entry_for_page(page, url, read=self._manifest)
        return entry.headers if entry is not None else {}

    def source(self, case_dir: Path, name: str) -> Source | None:
        """The Source called `name` in the nearest sources.yaml above the case, if any."""
        for folder in self._ancestors(case_dir):
            path = folder / "sources.yaml"
            if path.is_file():
                if path not in self._sources:
                    self._sources[path] = {s.name: s for s in load_sources(path)}
                return self._sources[path].get(name)
        return None

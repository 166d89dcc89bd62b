"""Run an extractor over evaluation cases, score every page and aggregate per language.

Two extractors can be measured: newsharvest itself (``newsharvest.extract_html``) and
trafilatura 2.3 as the comparator we claim to beat. Both get the page bytes decoded the
same way (newsharvest's own decoder when present), so the comparison measures extraction
rather than charset guessing. One page failing never aborts a run: its output counts as
empty (F1 0) and the error is listed, because a crash on page 180 of 250 should cost that
page, not the whole measurement.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import EvalError, ExtractionError, PageBug
from ..page import PageFailure, extract_page, log_failure
from . import scoring
from .datasets import FIXTURE, Case, load_cases
from .peers import extract_readability, readability_available
from .prediction import Prediction, decode_page
from .snippets import SnippetCounts, count_snippets

# Snippet pages are totalled apart from token-scored pages of the same language.
SNIPPET_GROUP = "-snippets"


Extractor = Callable[[Case, bytes], Prediction]


@dataclass(frozen=True, slots=True)
class PageResult:
    """The scores of one page. `None` in a *_ok field means "not counted" for this page."""

    id: str
    language: str | None
    group: str
    precision: float
    recall: float
    f1: float
    leaked_lines: int
    title_ok: bool | None
    date_ok: bool | None
    language_ok: bool | None
    boilerplate_leaked: int | None  # fixtures only
    ms: float
    error: str | None = None
    leaks: tuple[str, ...] = field(default=(), repr=False)
    snippets: SnippetCounts | None = None  # snippet truths only (P/R/F1 are then theirs)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready numbers (the leaked text itself stays out: it is page content)."""
        data = asdict(self)
        del data["leaks"]
        if self.snippets is None:
            del data["snippets"]
        for key in ("precision", "recall", "f1"):
            data[key] = round(data[key], 4)
        data["ms"] = round(self.ms, 1)
        return data


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Totals of one language group; a rate is None when no page of the group counted it."""

    pages: int
    precision: float
    recall: float
    f1: float
    f1_p10: float
    leaked_per_page: float
    title_rate: float | None
    title_counted: int
    date_rate: float | None
    date_counted: int
    language_rate: float | None
    language_counted: int
    boilerplate_leaked: int | None
    errors: int
    median_ms: float
    # Snippet groups: accuracy and the summed counts (precision/recall/F1 are pooled too).
    accuracy: float | None = None
    snippets: SnippetCounts | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(slots=True)
class EvalResult:
    """One extractor's results on one set of cases: per page, and totals per language."""

    extractor: str
    path: str
    pages: list[PageResult]
    totals: dict[str, Aggregate]

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(page id, message) of every page whose extraction raised."""
        return [(p.id, p.error) for p in self.pages if p.error is not None]

    def to_dict(self) -> dict[str, Any]:
        return {
            "extractor": self.extractor,
            "path": self.path,
            "totals": {group: agg.to_dict() for group, agg in self.totals.items()},
            "pages": [p.to_dict() for p in self.pages],
            "errors": [{"id": i, "error": e} for i, e in self.errors],
        }


EXTRACTORS = ("newsharvest", "trafilatura", "readability")


def evaluate_dir(
    path: str | Path,
    *,
    extractor: str | Extractor = "newsharvest",
    lang: str | None = None,
    limit: int | None = None,
) -> EvalResult:
    """Load every case below `path` (either layout), keep `lang` / the first `limit`, score."""
    cases = select_cases(load_cases(path), lang=lang, limit=limit)
    return evaluate_cases(cases, extractor=extractor, path=str(path))


def select_cases(
    cases: Iterable[Case], *, lang: str | None = None, limit: int | None = None
) -> list[Case]:
    """Cases of one language group (zh, en, ...), then the first `limit` in id order."""
    chosen = [c for c in cases if lang is None or scoring.language_group(c.truth.language) == lang]
    return chosen[:limit] if limit is not None else chosen


def evaluate_cases(
    cases: Iterable[Case],
    *,
    extractor: str | Extractor = "newsharvest",
    path: str = "",
    on_page: Callable[[PageResult], None] | None = None,
) -> EvalResult:
    """Extract and score each case; a failing page scores as empty output and is listed.

    `on_page` is called after each page (the CLI's progress bar; runs take seconds).
    """
    run, name = _resolve(extractor)
    pages: list[PageResult] = []
    for case in cases:
        pages.append(_run_case(case, run))
        if on_page is not None:
            on_page(pages[-1])
    return EvalResult(extractor=name, path=path, pages=pages, totals=aggregate(pages))


def _resolve(extractor: str | Extractor) -> tuple[Extractor, str]:
    if not isinstance(extractor, str):
        return extractor, getattr(extractor, "__name__", "custom")
    return get_extractor(extractor), extractor


def get_extractor(name: str) -> Extractor:
    """The extractor called `name`, checked importable now (not once per page)."""
    if name == "newsharvest":
        return extract_newsharvest
    if name == "trafilatura":
        try:
            import trafilatura  # noqa: F401
        except ImportError as exc:
            raise EvalError(f"trafilatura cannot be imported: {exc}") from exc
        return extract_trafilatura
    if name == "readability":
        readability_available()
        return extract_readability
    raise EvalError(f"unknown extractor {name!r} (known: {', '.join(EXTRACTORS)})")


def _run_case(case: Case, run: Extractor) -> PageResult:
    html = case.read_html()
    error: str | None = None
    started = time.perf_counter()
    try:
        prediction = run(case, html)
    except Exception as exc:  # noqa: BLE001 - any page failure is that page's score, not the run's
        prediction = Prediction(body="")
        # A bug newsharvest's page policy caught already says its own type.
        error = exc.reason if isinstance(exc, PageBug) else f"{type(exc).__name__}: {exc}"
    ms = (time.perf_counter() - started) * 1000
    return score_page(case, prediction, ms=ms, error=error)


def score_page(
    case: Case, prediction: Prediction, *, ms: float = 0.0, error: str | None = None
) -> PageResult:
    """All scores of one page. After an extraction error every counted check is a miss."""
    truth = case.truth
    body = prediction.body or ""
    truth_tokens = scoring.tokenize(truth.body)  # once, for both scores
    score = scoring.token_score(scoring.tokenize(body), truth_tokens)
    leaks = scoring.leaked_lines(body, truth.body, truth_tokens=truth_tokens)
    title_ok = scoring.title_match(prediction.title, truth.title)
    date_ok = scoring.date_match(
        prediction.published, truth.published, null_is_expected=case.kind == FIXTURE
    ) if prediction.provides_date else None
    language_ok = (
        scoring.language_match(prediction.language, truth.language)
        if prediction.provides_language else None
    )
    boilerplate = (
        scoring.boilerplate_leaked(body, truth.boilerplate) if case.kind == FIXTURE else None
    )
    snippets = None
    if truth.is_snippets:
        snippets = count_snippets("" if error else body, truth.with_snippets,
                                  truth.without_snippets)
        score = scoring.BodyScore(snippets.precision, snippets.recall, snippets.f1)
        leaks = []
        language_ok = None  # a snippet truth's language is only guessed from its script
    if error is not None and snippets is None:
        score = scoring.BodyScore(0.0, 0.0, 0.0)
    if error is not None:
        title_ok, date_ok, language_ok = (
            None if ok is None else False for ok in (title_ok, date_ok, language_ok)
        )
    group = scoring.language_group(truth.language) + (SNIPPET_GROUP if snippets else "")
    return PageResult(
        id=case.id, language=truth.language, group=group,
        precision=score.precision, recall=score.recall, f1=score.f1,
        leaked_lines=len(leaks), title_ok=title_ok, date_ok=date_ok, language_ok=language_ok,
        boilerplate_leaked=boilerplate, ms=ms, error=error, leaks=tuple(leaks),
        snippets=snippets,
    )


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), q in [0, 100]; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _rate(flags: list[bool | None]) -> tuple[float | None, int]:
    counted = [f for f in flags if f is not None]
    return (sum(counted) / len(counted) if counted else None), len(counted)


def aggregate(pages: list[PageResult]) -> dict[str, Aggregate]:
    """Totals per language group (zh = zh-Hans + zh-Hant), groups in name order."""
    groups: dict[str, list[PageResult]] = {}
    for page in pages:
        groups.setdefault(page.group, []).append(page)
    totals: dict[str, Aggregate] = {}
    for group in sorted(groups):
        members = groups[group]
        f1s = [p.f1 for p in members]
        title_rate, title_counted = _rate([p.title_ok for p in members])
        date_rate, date_counted = _rate([p.date_ok for p in members])
        language_rate, language_counted = _rate([p.language_ok for p in members])
        leaked = [p.boilerplate_leaked for p in members if p.boilerplate_leaked is not None]
        totals[group] = Aggregate(
            pages=len(members),
            precision=statistics.fmean(p.precision for p in members),
            recall=statistics.fmean(p.recall for p in members),
            f1=statistics.fmean(f1s),
            f1_p10=percentile(f1s, 10),
            leaked_per_page=statistics.fmean(p.leaked_lines for p in members),
            title_rate=title_rate, title_counted=title_counted,
            date_rate=date_rate, date_counted=date_counted,
            language_rate=language_rate, language_counted=language_counted,
            boilerplate_leaked=sum(leaked) if leaked else None,
            errors=sum(1 for p in members if p.error is not None),
            median_ms=statistics.median(p.ms for p in members),
        )
        if group.endswith(SNIPPET_GROUP):
            totals[group] = _pooled(totals[group], members)
    return totals


def _pooled(agg: Aggregate, members: list[PageResult]) -> Aggregate:
    """A snippet group's totals: counts summed over pages, then P/R/F1/accuracy."""
    counts = sum((p.snippets for p in members if p.snippets is not None), SnippetCounts())
    return replace(agg, precision=counts.precision, recall=counts.recall, f1=counts.f1,
                   accuracy=counts.accuracy, snippets=counts)


# --- the two extractors ---------------------------------------------------------------


def extract_newsharvest(case: Case, html: bytes) -> Prediction:
    """newsharvest on the page bytes, told what a harvest would know (headers, source),
    through the same page step as harvest and ingest (page.extract_page). A page with no
    article text is an empty prediction; any other failure is that page's error."""
    headers = dict(case.headers)
    if case.content_type and "content-type" not in headers:
        headers["content-type"] = case.content_type
    article = extract_page(html, case.url or "", source=case.source, headers=headers,
                           fetched_at=case.fetched_at)
    if isinstance(article, PageFailure):
        if article.kind == ExtractionError.kind:
            return Prediction(body="")
        log_failure(article, f"eval {case.id}")
        raise article.error()
    return Prediction(
        body=article.body or "", title=article.title, published=article.published,
        language=article.language,
    )


def extract_trafilatura(case: Case, html: bytes) -> Prediction:
    """trafilatura 2.3 as published: comments off, metadata on, our decoding of the bytes."""
    import trafilatura

    doc: Any = trafilatura.bare_extraction(
        decode_page(html, case.content_type), url=case.url,
        include_comments=False, with_metadata=True,
    )
    if doc is None:
        return Prediction(body="", provides_language=False)
    return Prediction(
        body=doc.text or "", title=doc.title, published=doc.date, provides_language=False
    )

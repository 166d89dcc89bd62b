"""Measure extraction quality: body token P/R/F1, leaked lines, title / date / language.

``newsharvest eval DIR`` runs on the evaluation datasets (``<dataset>/<id>.html`` +
``<id>.json``) and on our fixtures (``<portal>/<case>/page.html`` + ``expected.json``),
optionally next to trafilatura, so that every extractor change is judged by numbers
measured the same way as the published reference figures.

Split in three: ``scoring`` (pure functions), ``datasets`` (finding cases on disk) and
``runner`` (running an extractor and aggregating per language).
"""

from __future__ import annotations

from ..errors import EvalError
from .datasets import DATASET, FIXTURE, Case, Truth, load_cases
from .prediction import Prediction, decode_page
from .runner import (
    EXTRACTORS,
    Aggregate,
    EvalResult,
    Extractor,
    PageResult,
    aggregate,
    evaluate_cases,
    evaluate_dir,
    extract_newsharvest,
    extract_trafilatura,
    get_extractor,
    percentile,
    score_page,
    select_cases,
)
from .scoring import (
    BodyScore,
    body_score,
    boilerplate_leaked,
    date_match,
    language_group,
    language_match,
    leaked_lines,
    normalize_title,
    title_match,
    token_score,
    tokenize,
)

__all__ = [
    "DATASET",
    "EXTRACTORS",
    "FIXTURE",
    "Aggregate",
    "BodyScore",
    "Case",
    "EvalError",
    "EvalResult",
    "Extractor",
    "PageResult",
    "Prediction",
    "Truth",
    "aggregate",
    "body_score",
    "boilerplate_leaked",
    "date_match",
    "decode_page",
    "evaluate_cases",
    "evaluate_dir",
    "extract_newsharvest",
    "extract_trafilatura",
    "get_extractor",
    "language_group",
    "language_match",
    "leaked_lines",
    "load_cases",
    "normalize_title",
    "percentile",
    "score_page",
    "select_cases",
    "title_match",
    "token_score",
    "tokenize",
]

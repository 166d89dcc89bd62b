"""What an extractor produced for one page, as the evaluation scores it; shared by the
runner and the peer extractors (readability-lxml) so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..fetch.decode import decode_html


@dataclass(frozen=True, slots=True)
class Prediction:
    """What an extractor produced for one page, reduced to the fields we score.

    `provides_language` is False for extractors that do not detect language (trafilatura
    without a target language), so their pages are "not counted" rather than misses.
    """

    body: str
    title: str | None = None
    published: date | datetime | str | None = None
    language: str | None = None
    provides_language: bool = True
    provides_date: bool = True  # False: readability-lxml reads no dates (not counted)


def decode_page(content: bytes, content_type: str | None) -> str:
    """Bytes -> text with newsharvest's own decoder, so both extractors see the same
    characters."""
    return str(decode_html(content, content_type).text)

"""readability-lxml as a second comparator (the optional ``compare`` extra).

Mozilla's reader-mode algorithm, in the Python port most projects use, is the other
general extractor users weigh us against: on pages that are not news portals (blogs,
documentation, reader-mode test pages) it often beats trafilatura. It returns cleaned
HTML; the text is cut into paragraphs by newsharvest's own block walker, so the body is
scored with the same paragraph boundaries as ours, and decoded with our decoder, so
charset guessing is not what is compared.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from selectolax.lexbor import LexborHTMLParser

from ..errors import EvalError
from ..extract.blocks import collect_blocks
from .prediction import Prediction, decode_page

if TYPE_CHECKING:
    from .datasets import Case


def readability_available() -> None:
    """Raise EvalError when readability-lxml is not installed (checked once per run)."""
    try:
        import readability  # noqa: F401
    except ImportError as exc:
        raise EvalError(
            f"readability-lxml cannot be imported ({exc}): pip install 'newsharvest[compare]'"
        ) from exc


def html_text(fragment: str) -> str:
    """Visible text of an HTML fragment, one paragraph per block, blank-line separated."""
    tree = LexborHTMLParser(fragment)
    root = tree.body or tree.root
    if root is None:
        return ""
    return "\n\n".join(block.text for block in collect_blocks(root))


def extract_readability(case: Case, html: bytes) -> Prediction:
    """readability-lxml's ``Document.summary()`` as text, with its title."""
    from readability import Document


    doc = Document(decode_page(html, case.content_type), url=case.url)
    body = html_text(doc.summary(html_partial=True))
    return Prediction(body=body, title=doc.short_title() or None, provides_language=False,
                      provides_date=False)

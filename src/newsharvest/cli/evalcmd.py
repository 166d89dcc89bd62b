"""`newsharvest eval DIR`: measure extraction on labelled pages, optionally next to trafilatura.

The output is for someone working on the extractor: a per-page table (sortable down to the
worst pages with ``--worst``) and totals per language, with the comparator's numbers from
the same run beside ours. ``--json`` prints one JSON object for scripts and CI. Tables use
rich on a terminal and plain aligned text otherwise, so piped output stays greppable and
the plain path needs nothing beyond click.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from ..evaluate import (
    EXTRACTORS,
    EvalResult,
    PageResult,
    evaluate_cases,
    load_cases,
    select_cases,
)

ID_WIDTH = 56
Row = list[str]


@click.command("eval")
@click.argument("directory", type=click.Path(exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of tables.")
@click.option("--compare", type=click.Choice(["trafilatura", "readability"]), multiple=True,
              help="Also run this extractor on the same pages and show it side by side "
              "(repeat for both; readability needs the 'compare' extra).")
@click.option("--extractor", type=click.Choice(EXTRACTORS), default="newsharvest",
              show_default=True, help="The extractor under test.")
@click.option("--lang", type=click.Choice(["zh", "en"]),
              help="Only pages of this language (zh = zh-Hans + zh-Hant).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N pages (by id).")
@click.option("--worst", type=click.IntRange(min=1),
              help="List only the N pages with the lowest F1 (totals still cover all pages).")
def eval_command(
    directory: Path, as_json: bool, compare: tuple[str, ...], extractor: str, lang: str | None,
    limit: int | None, worst: int | None,
) -> None:
    """Score body / title / date / language extraction on labelled pages in DIRECTORY.

    DIRECTORY holds evaluation datasets (<dataset>/<id>.html + <id>.json) or fixtures
    (<portal>/<case>/page.html + expected.json), at any level. Body scores are bag-of-token
    precision, recall and F1 (each Han character one token, other text words); a leaked
    line is an output line of 5+ tokens whose token pairs are mostly not in the truth.

    Example: newsharvest eval fixtures/ --compare trafilatura
    """
    if extractor in compare:
        raise click.BadParameter("compare with a different extractor", param_hint="--compare")
    cases = select_cases(load_cases(directory), lang=lang, limit=limit)
    names = [extractor] + list(dict.fromkeys(compare))
    results: dict[str, EvalResult] = {}
    stderr = sys.stderr
    for name in names:
        if not _is_terminal(stderr):  # no progress noise in logs and pipes
            results[name] = evaluate_cases(cases, extractor=name, path=str(directory))
            continue
        with click.progressbar(length=len(cases), label=f"{name:<12}", file=stderr) as bar:
            results[name] = evaluate_cases(
                cases, extractor=name, path=str(directory), on_page=lambda _p: bar.update(1)
            )
    shown = _page_order(results[extractor].pages, worst)
    if as_json:
        click.echo(json.dumps(_as_json(directory, names, results, shown), ensure_ascii=False))
        return
    _show_tables(names, results, shown)


def _is_terminal(stream: Any) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _page_order(pages: list[PageResult], worst: int | None) -> list[int]:
    """Indexes of the pages to list: all in id order, or the `worst` lowest F1 first."""
    order = list(range(len(pages)))
    if worst is None:
        return order
    return sorted(order, key=lambda i: (pages[i].f1, pages[i].id))[:worst]


def _as_json(
    directory: Path, names: list[str], results: dict[str, EvalResult], shown: list[int]
) -> dict[str, Any]:
    main = results[names[0]]
    pages = []
    for i in shown:
        page = main.pages[i]
        entry: dict[str, Any] = {"id": page.id, "language": page.language, "group": page.group}
        for name in names:
            scores = results[name].pages[i].to_dict()
            for key in ("id", "language", "group"):
                del scores[key]
            entry[name] = scores
        pages.append(entry)
    return {
        "path": str(directory),
        "extractors": names,
        "pages_total": len(main.pages),
        "totals": {n: {g: a.to_dict() for g, a in results[n].totals.items()} for n in names},
        "pages": pages,
        "errors": {n: [{"id": i, "error": e} for i, e in results[n].errors] for n in names},
    }


# --- tables ----------------------------------------------------------------------------


def _flag(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _rate(value: float | None, counted: int) -> str:
    return "-" if value is None else f"{value:.3f} n={counted}"


def _short(page_id: str) -> str:
    return page_id if len(page_id) <= ID_WIDTH else page_id[: ID_WIDTH - 1] + "…"


def _page_rows(names: list[str], results: dict[str, EvalResult], shown: list[int]) -> tuple[
    Row, list[Row]
]:
    main = results[names[0]].pages
    fixtures = any(p.boilerplate_leaked is not None for p in main)
    header = ["page", "lang", "P", "R", "F1"] + [f"F1 {n[:4]}" for n in names[1:]]
    header += ["leaks", "title", "date"] + (["boilerplate"] if fixtures else [])
    rows = []
    for i in shown:
        page = main[i]
        f1 = f"{page.f1:.3f}" + ("!" if page.error else "")
        row = [_short(page.id), page.language or "-", f"{page.precision:.3f}",
               f"{page.recall:.3f}", f1]
        row += [f"{results[n].pages[i].f1:.3f}" for n in names[1:]]
        row += [str(page.leaked_lines), _flag(page.title_ok), _flag(page.date_ok)]
        if fixtures:
            row.append("-" if page.boilerplate_leaked is None else str(page.boilerplate_leaked))
        rows.append(row)
    return header, rows


_METRICS: list[tuple[str, Callable[[Any], str]]] = [
    ("pages", lambda a: str(a.pages)),
    ("precision", lambda a: f"{a.precision:.3f}"),
    ("recall", lambda a: f"{a.recall:.3f}"),
    ("F1 (mean)", lambda a: f"{a.f1:.3f}"),
    ("F1 (10th pct)", lambda a: f"{a.f1_p10:.3f}"),
    ("leaked lines/page", lambda a: f"{a.leaked_per_page:.2f}"),
    ("accuracy (snippets)", lambda a: "-" if a.accuracy is None else f"{a.accuracy:.3f}"),
    ("title ok", lambda a: _rate(a.title_rate, a.title_counted)),
    ("date ok", lambda a: _rate(a.date_rate, a.date_counted)),
    ("language ok", lambda a: _rate(a.language_rate, a.language_counted)),
    ("boilerplate leaks", lambda a: "-" if a.boilerplate_leaked is None
     else str(a.boilerplate_leaked)),
    ("errors", lambda a: str(a.errors)),
    ("ms/page (median)", lambda a: f"{a.median_ms:.1f}"),
]


def _total_rows(names: list[str], results: dict[str, EvalResult]) -> tuple[Row, list[Row]]:
    """Metrics down, (language, extractor) across: the extractors of one language adjoin."""
    groups = sorted({g for n in names for g in results[n].totals})
    columns = [(g, n) for g in groups for n in names]
    header = ["metric"] + [f"{g} {n}" for g, n in columns]
    rows = []
    for label, fmt in _METRICS:
        row = [label]
        for group, name in columns:
            agg = results[name].totals.get(group)
            row.append(fmt(agg) if agg is not None else "-")
        rows.append(row)
    return header, rows


def _show_tables(names: list[str], results: dict[str, EvalResult], shown: list[int]) -> None:
    page_header, page_rows = _page_rows(names, results, shown)
    total_header, total_rows = _total_rows(names, results)
    errors = [(n, i, e) for n in names for i, e in results[n].errors]
    title = "pages" if len(shown) == len(results[names[0]].pages) else f"worst {len(shown)} pages"
    if _is_terminal(sys.stdout):
        _rich_tables([(title, page_header, page_rows), ("totals", total_header, total_rows)])
    else:
        click.echo(_plain_table(page_header, page_rows))
        click.echo()
        click.echo(_plain_table(total_header, total_rows))
    if errors:
        click.echo(f"\nextraction errors ({len(errors)}):")
        for name, page_id, message in errors:
            click.echo(f"  [{name}] {page_id}: {message}")


def _plain_table(header: Row, rows: Sequence[Row]) -> str:
    """Aligned columns: text left in the first column, everything else right."""
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]

    def line(row: Row) -> str:
        cells = [row[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(r) for r in rows)])


def _rich_tables(tables: list[tuple[str, Row, list[Row]]]) -> None:
    """The same tables through rich (imported here: only terminals pay for it)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for title, header, rows in tables:
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
        widths = [max(len(cell) for cell in [name, *(row[i] for row in rows)])
                  for i, name in enumerate(header)]
        # The page id gives way first on a narrow terminal; the numbers never wrap.
        room = max(12, console.width - sum(w + 3 for w in widths[1:]) - 6)
        table.add_column(header[0], no_wrap=True, overflow="ellipsis", max_width=room)
        for name, width in zip(header[1:], widths[1:], strict=True):
            table.add_column(name, justify="right", no_wrap=True, min_width=width)
        for row in rows:
            table.add_row(*row)
        console.print(table)

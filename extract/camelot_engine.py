"""camelot-py lattice: the second engine, for ruled pages pdfplumber could not grid
(`camelot_tables`) and for its grids that read doubtful (`second_opinion`).

camelot finds the ruling lines in a rendered image of the page, so it copes with
rules pdfplumber does not see as lines (hairlines drawn as images or thin
shapes, broken segments). Only its grid is used: cell boxes, with merged cells
read from the missing edges. The text is taken from pdfplumber's words, the
same as for every other engine, so all cells carry the same line geometry.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from dhrplans.extract.headers import table_score
from dhrplans.extract.layout import Word, is_bold, text_lines, words_in
from dhrplans.extract.model import BBox, RawCell, RawRow, RawTable
from dhrplans.extract.provenance import CAMELOT

from dhrplans.settings import Settings


def camelot_tables(
    path: str | Path,
    page_number: int,
    page_height: float,
    words: Sequence[Word],
    settings: dict | None = None,
    mark_edges: Callable[[list, float], None] | None = None,
    engine: str = CAMELOT.name,
) -> list[RawTable]:
    """Tables camelot's lattice parser finds on one page, as RawTables.

    `settings` are extra `camelot.read_pdf` lattice options (scans need their own);
    `mark_edges(cells, page_height)` may correct which cell edges are ruled before
    merged cells are read from them (the OCR path re-reads rules from the image)."""
    import camelot  # imported lazily: it is slow to import and rarely needed

    logging.getLogger("camelot").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = camelot.read_pdf(
                str(path), flavor="lattice", pages=str(page_number), **(settings or {})
            )
        except Exception:  # camelot raises bare Exceptions on pages it cannot grid
            return []
    tables = []
    for table in found:
        if mark_edges is not None:
            mark_edges(table.cells, page_height)
        rows = _rows(table.cells, page_number, page_height, words)
        if len(rows) < 2:
            continue
        edges = sorted({round(c.x1, 2) for c in table.cells[0]} | {round(table.cells[0][-1].x2, 2)})
        top = page_height - max(c.y2 for c in table.cells[0])
        bottom = page_height - min(c.y1 for c in table.cells[-1])
        tables.append(
            RawTable(
                page=page_number,
                bbox=(round(edges[0], 2), round(top, 2), round(edges[-1], 2), round(bottom, 2)),
                engine=engine,
                n_cols=len(edges) - 1,
                col_edges=edges,
                rows=rows,
            )
        )
    return tables


def second_opinion(
    path: str | Path,
    page_number: int,
    page_height: float,
    words: Sequence[Word],
    grids: list[RawTable],
    previous: RawTable | None,
    settings: Settings,
) -> list[RawTable]:
    """pdfplumber's grid is doubtful where no top row of a table reads as a header and
    the table cannot continue the previous one (its column count differs): camelot's
    lattice grid is read too, and wins for that table when it scores higher."""
    for table in grids:
        table.score = table_score(table, settings.headers)
    doubtful = [
        t
        for t in grids
        if t.score < settings.layout.doubtful_score
        and not (previous is not None and t.n_cols == previous.n_cols)
        and not _columns_whole(t, settings)
    ]
    if not doubtful:
        return grids
    rivals = camelot_tables(path, page_number, page_height, words)
    for rival in rivals:
        rival.score = table_score(rival, settings.headers)
    chosen = []
    for table in grids:
        best = None
        if table in doubtful:
            overlapping = [
                r for r in rivals if overlap(r.bbox, table.bbox) > settings.layout.rival_overlap
            ]
            best = max(overlapping, key=lambda r: r.score, default=None)
        chosen.append(best if best is not None and best.score > table.score else table)
    return chosen


def overlap(a: BBox, b: BBox) -> float:
    """Share of the smaller box that the two boxes have in common."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return width * height / smaller if smaller > 0 else 0.0


def _rows(grid, page_number: int, page_height: float, words: Sequence[Word]) -> list[RawRow]:
    """Merge camelot's unit cells into spanning cells, row by row."""
    covered: set[tuple[int, int]] = set()
    rows = []
    for r, row in enumerate(grid):
        cells = []
        c = 0
        while c < len(row):
            if (r, c) in covered:
                c += 1
                continue
            span = 1
            while c + span < len(row) and not row[c + span - 1].right:
                span += 1
            last = r
            while last + 1 < len(grid) and not grid[last][c].bottom:
                last += 1
            for rr in range(r, last + 1):
                for cc in range(c, c + span):
                    covered.add((rr, cc))
            x0, x1 = row[c].x1, row[c + span - 1].x2
            top = page_height - row[c].y2
            bottom = page_height - grid[last][c].y1
            bbox = (round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2))
            inside = words_in(words, bbox)
            cells.append(RawCell(c, span, page_number, bbox, text_lines(inside), is_bold(inside)))
            c += span
        if cells:
            row_top = min(cell.bbox[1] for cell in cells)
            row_bottom = max(cell.bbox[3] for cell in cells)
            bbox = (cells[0].bbox[0], row_top, cells[-1].bbox[2], row_bottom)
            rows.append(RawRow(page_number, bbox, cells))
    return rows


def _columns_whole(table: RawTable, settings: Settings) -> bool:
    """The grid's top row holds one short label in each of its columns (a glossary's
    "Acronym | Meaning", a sign-off's "Role | Name | Date"): its columns are whole, only
    not an action plan's. camelot reads the same rules from the page's image and finds
    no others; a grid that lost its columns has a top cell empty or running on with
    several labels' words."""
    top = table.rows[0].cells if table.rows else []
    words = [len(c.text.split()) for c in top]
    return (
        len(top) == table.n_cols >= 2
        and all(c.colspan == 1 for c in top)
        and all(1 <= n <= settings.layout.label_max_words for n in words)
    )

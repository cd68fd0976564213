"""Ruled tables: pdfplumber finds the grid from the drawn lines.

pdfplumber's `Table` gives one bbox per cell, with merged cells as one bbox; we
turn those into a grid of columns so a banner row (one cell across the table)
and a merged first column (one cell down several rows) keep their span.
"""

from __future__ import annotations

from collections.abc import Sequence

from extract.layout import Word, is_bold, text_lines, words_in
from extract.model import RawCell, RawRow, RawTable

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EDGE_TOLERANCE = 2.0


def cluster(values: Sequence[float], tolerance: float = EDGE_TOLERANCE) -> list[float]:
    """Sorted distinct positions, merging those closer than `tolerance`."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def _index(edges: Sequence[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def ruled_tables(page, words: Sequence[Word], page_number: int) -> list[RawTable]:
    """Every table pdfplumber finds from ruling lines on the page, as RawTables."""
    tables = []
    for found in page.find_tables(TABLE_SETTINGS):
        cells = found.cells
        if len(cells) < 2:
            continue
        edges = cluster([c[0] for c in cells] + [c[2] for c in cells])
        n_cols = len(edges) - 1
        if n_cols < 2:
            continue
        rows = []
        for row in found.rows:
            raw_cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue
                col = _index(edges, bbox[0])
                span = max(1, _index(edges, bbox[2]) - col)
                inside = words_in(words, bbox)
                raw_cells.append(
                    RawCell(
                        col=col,
                        colspan=span,
                        page=page_number,
                        bbox=tuple(round(v, 2) for v in bbox),
                        lines=text_lines(inside),
                        bold=is_bold(inside),
                    )
                )
            if raw_cells:
                rows.append(RawRow(page=page_number, bbox=row.bbox, cells=raw_cells))
        if len(rows) < 1:
            continue
        tables.append(
            RawTable(
                page=page_number,
                bbox=tuple(round(v, 2) for v in found.bbox),
                engine="pdfplumber-lattice",
                n_cols=n_cols,
                col_edges=[round(e, 2) for e in edges],
                rows=rows,
            )
        )
    return tables

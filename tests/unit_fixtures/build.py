"""Builders for hand-written extract-stage data: text lines, cells, rows, tables, words.

Geometry defaults: columns are `COL_WIDTH` points wide starting at `LEFT`, text
sits `PAD` points inside a cell's left border, and every character is `CW` wide,
so a line's `x1` is `x0 + CW * len(text)`. Rows are stacked `ROW_HEIGHT` apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from dhrplans.extract.layout import PageLine, group_lines
from dhrplans.extract.model import RawCell, RawDocument, RawRow, RawTable, TextLine

LATTICE = "pdfplumber-lattice"
LEFT = 20.0
COL_WIDTH = 100.0
PAD = 4.0
CW = 5.0
LINE_PITCH = 12.0
ROW_HEIGHT = 60.0

Text = str | Sequence[str] | None


def line(text: str, x0: float = LEFT + PAD, top: float = 0.0, cw: float = CW) -> TextLine:
    """One printed line, `cw` points per character."""
    return TextLine(text, x0, x0 + cw * len(text), top, top + 10.0, cw)


def _lines(text: Text) -> list[str]:
    if text is None or text == "":
        return []
    return [text] if isinstance(text, str) else list(text)


def cell(
    col: int,
    text: Text,
    page: int = 1,
    colspan: int = 1,
    x0: float | None = None,
    x1: float | None = None,
    top: float = 100.0,
    bottom: float | None = None,
    cw: float = CW,
    bold: bool = False,
) -> RawCell:
    """A cell whose lines (a str is one line, a list several) start `PAD` inside it."""
    x0 = LEFT + col * COL_WIDTH if x0 is None else x0
    x1 = x0 + colspan * COL_WIDTH if x1 is None else x1
    texts = _lines(text)
    lines = [line(t, x0 + PAD, top + 2.0 + i * LINE_PITCH, cw) for i, t in enumerate(texts)]
    if bottom is None:
        bottom = top + max(ROW_HEIGHT, 4.0 + LINE_PITCH * len(texts))
    return RawCell(col, colspan, page, (x0, top, x1, bottom), lines, bold)


def row(cells: Sequence[RawCell], page: int | None = None) -> RawRow:
    page = cells[0].page if page is None else page
    boxes = [c.bbox for c in cells]
    bbox = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    return RawRow(page, bbox, list(cells))


def grid_row(texts: Sequence[Text], page: int = 1, top: float = 100.0) -> RawRow:
    """One cell per column; None leaves the column without a cell (covered by a merge)."""
    cells = [cell(i, t, page, top=top) for i, t in enumerate(texts) if t is not None]
    return row(cells, page)


def banner(text: Text, n_cols: int, page: int = 1, top: float = 100.0) -> RawRow:
    """A full-width row: one cell spanning every column."""
    return row([cell(0, text, page, colspan=n_cols, top=top)], page)


def table(
    rows: Sequence[RawRow | str | Sequence[Text]],
    n_cols: int | None = None,
    page: int = 1,
    heading: str | None = None,
    engine: str = LATTICE,
    top: float = 80.0,
) -> RawTable:
    """A table on one page. A str item is a banner row, a list a grid row, a RawRow as is."""
    if n_cols is None:
        n_cols = max(len(r) for r in rows if isinstance(r, (list, tuple)))
    built: list[RawRow] = []
    y = top
    for item in rows:
        if isinstance(item, RawRow):
            built.append(item)
        elif isinstance(item, str):
            built.append(banner(item, n_cols, page, top=y))
        else:
            built.append(grid_row(item, page, top=y))
        y = built[-1].bbox[3]
    edges = [LEFT + i * COL_WIDTH for i in range(n_cols + 1)]
    bbox = (edges[0], built[0].bbox[1], edges[-1], built[-1].bbox[3])
    return RawTable(
        page=page,
        bbox=bbox,
        engine=engine,
        n_cols=n_cols,
        col_edges=edges,
        rows=built,
        heading=heading,
    )


def doc(tables: Sequence[RawTable], doc_id: str = "unit-doc") -> RawDocument:
    pages = max((t.page for t in tables), default=0)
    return RawDocument(
        doc_id=doc_id,
        source_file=f"{doc_id}.pdf",
        pages=pages,
        title=None,
        tables=list(tables),
        text_pages=pages,
    )


# --- words, as pdfplumber's extract_words(extra_attrs=["fontname", "size"]) gives them -------

SPACE = 2.5
FONT = "Arial"
BOLD_FONT = "Arial-BoldMT"


def word(
    text: str, x0: float, top: float, size: float = 10.0, bold: bool = False, cw: float = CW
) -> dict:
    return {
        "text": text,
        "x0": x0,
        "x1": x0 + cw * len(text),
        "top": top,
        "bottom": top + size,
        "fontname": BOLD_FONT if bold else FONT,
        "size": size,
    }


def phrase(
    text: str, x0: float, top: float, size: float = 10.0, bold: bool = False, cw: float = CW
) -> list[dict]:
    """The words of `text` from `x0`, one `SPACE` apart."""
    out = []
    x = x0
    for part in text.split():
        w = word(part, x, top, size, bold, cw)
        out.append(w)
        x = w["x1"] + SPACE
    return out


def page_lines(placed: Sequence[tuple[float, float, str]], **kw) -> list[PageLine]:
    """Page lines from (x0, top, text) phrases."""
    words = [w for x0, top, text in placed for w in phrase(text, x0, top, **kw)]
    return group_lines(words)

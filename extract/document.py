"""Extract stage entry point: one PDF in, its raw tables (with page and bbox) out.

Each page is parsed once by pdfplumber. Ruled tables come from its line-based
table finder; the text outside them goes to the text-alignment engine, which
also carries a header-led layout across pages for unruled tables. camelot is
the second engine, asked only when a page is ruled but pdfplumber found no
usable grid on it. Each table is scored (how much of its top rows reads as a
known header) and the engine that produced it is recorded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from extract.aligned import ColumnLayout, aligned_tables
from extract.camelot_engine import camelot_tables
from extract.headers import header_score
from extract.layout import PageLine, Word, group_lines, space_width
from extract.model import RawDocument, RawTable
from extract.ruled import ruled_tables

WORD_ATTRS = ["fontname", "size"]
MIN_RULINGS = 6
PAGE_NUMBER = re.compile(r"^(page )?#( (of|/) #)?$|^- # -$")


class ExtractError(Exception):
    """A document that cannot be read; the message is one line naming the cause."""


def table_score(table: RawTable) -> float:
    """Share of the columns of the best of the first rows that read as known headers."""
    best = 0.0
    for row in table.rows[:3]:
        texts = [c.text for c in row.cells if c.text.strip()]
        if len(texts) < 2:
            continue
        good = sum(header_score(t) >= 85.0 for t in texts)
        best = max(best, good / max(table.n_cols, len(texts)))
    return round(best, 3)


def _inside(word: Word, boxes: Sequence[tuple[float, float, float, float]]) -> bool:
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)


def _heading_above(
    table: RawTable, free_lines: Sequence[PageLine], floor: float, page_width: float, body: float
) -> tuple[str | None, tuple | None]:
    """The short block of lines printed just above a table: its section heading."""
    above = [ln for ln in free_lines if floor - 1 <= ln.top and ln.bottom <= table.bbox[1] + 1]
    if not above:
        return None, None
    block = [above[-1]]
    if table.bbox[1] - block[0].bottom > 4 * (block[0].bottom - block[0].top):
        return None, None
    for ln in reversed(above[:-1]):
        if len(block) >= 2 or block[0].top - ln.bottom > 0.6 * (ln.bottom - ln.top):
            break
        block.insert(0, ln)
    headingish = all(
        ln.bold or ln.size > body + 0.5 or (ln.x1 - ln.x0) < 0.5 * page_width for ln in block
    )
    if not headingish:
        return None, None
    text = " ".join(ln.text for ln in block).strip()
    bbox = (
        min(ln.x0 for ln in block),
        block[0].top,
        max(ln.x1 for ln in block),
        block[-1].bottom,
    )
    return text or None, tuple(round(v, 2) for v in bbox)


def _title_block(first_lines: Sequence[PageLine]) -> set[tuple[float, str]]:
    """The document title: the lines of page 1 in its largest type, when that type is
    larger than the rest of the page and printed at its top. A title is not a heading."""
    if len(first_lines) < 2:
        return set()
    biggest = max(ln.size for ln in first_lines)
    if all(ln.size == biggest for ln in first_lines):
        return set()
    start = next(i for i, ln in enumerate(first_lines) if ln.size == biggest)
    top = []
    for ln in first_lines[start:]:
        if ln.size != biggest:
            break
        top.append(ln)
    return {(round(ln.top, 1), ln.text) for ln in top}


def _title(pdf, first_lines: Sequence[PageLine]) -> str | None:
    meta = (pdf.metadata or {}).get("Title")
    if isinstance(meta, str) and meta.strip():
        return meta.strip()
    if not first_lines:
        return None
    biggest = max(ln.size for ln in first_lines)
    top = [ln for ln in first_lines if ln.size == biggest]
    return " ".join(ln.text for ln in top[:2]) if biggest > 0 else None


def _furniture_key(line: PageLine) -> str:
    return re.sub(r"\d+", "#", line.text.lower())


def _page_furniture(pages: list[list[PageLine]]) -> set[str]:
    """Running headers and footers: the same text (numbers aside) on many pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [ln for ln in lines[:1] + lines[-1:] if not any(_header_like(ln))]
        counts.update({_furniture_key(ln) for ln in edge})
    repeated = {key for key, n in counts.items() if n >= 3 and n >= 0.4 * len(pages)}
    return repeated | {key for key in counts if PAGE_NUMBER.match(key)}


def _header_like(line: PageLine):
    """Yields for each word that starts a known column label (repeated table headers
    look like running page headers, but must stay)."""
    for word in line.words:
        if header_score(word["text"]) >= 85.0:
            yield word


def _is_heading_block(block: Sequence[PageLine], body: float) -> bool:
    return 0 < len(block) <= 2 and all(ln.bold or ln.size > body + 0.5 for ln in block)


def extract_document(path: str | Path, doc_id: str | None = None) -> RawDocument:
    """Raw tables of every page of one PDF, in reading order."""
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise ExtractError(f"cannot open as PDF: {type(exc).__name__}: {exc}".strip()) from exc
    with pdf:
        n_pages = len(pdf.pages)
        parsed = [_parse_page(page, i + 1) for i, page in enumerate(pdf.pages)]
        first_lines = group_lines(parsed[0].words) if parsed and parsed[0].words else []
        title = _title(pdf, first_lines)
    furniture = _page_furniture([group_lines(p.words) for p in parsed if p.words])
    title_lines = _title_block(first_lines)
    all_words = [w for p in parsed for w in p.words]
    body = _body_size(all_words)
    tables: list[RawTable] = []
    carry: ColumnLayout | None = None
    pending: tuple[str, tuple] | None = None  # heading printed at the foot of the last page
    for page in parsed:
        if not page.words:
            carry, pending = None, None
            continue
        boxes = [t.bbox for t in page.ruled]
        free_words = [w for w in page.words if not _inside(w, boxes)]
        lines = [ln for ln in group_lines(free_words) if _furniture_key(ln) not in furniture]
        if page.number == 1:
            lines = [ln for ln in lines if (round(ln.top, 1), ln.text) not in title_lines]
        gutter = max(3.5, 1.8 * space_width(page.words))
        aligned, used, carry = aligned_tables(
            lines, page.number, gutter, page.hrules, None if page.ruled else carry
        )
        if page.ruled:
            carry = None
        elif not aligned and page.rulings >= MIN_RULINGS:
            # Ruled, yet no grid from pdfplumber: ask camelot, which reads the rules
            # from an image of the page.
            page.ruled = camelot_tables(path, page.number, page.height, page.words)
            for table in page.ruled:
                inside = [table.bbox]
                lines = [ln for ln in lines if not all(_inside(w, inside) for w in ln.words)]
        page_tables = sorted(page.ruled + aligned, key=lambda t: t.bbox[1])
        used_set = set(used)
        free = [ln for i, ln in enumerate(lines) if i not in used_set]
        floor = 0.0
        for n, table in enumerate(page_tables):
            table.heading, table.heading_bbox = _heading_above(table, free, floor, page.width, body)
            if n == 0 and table.heading is None and pending is not None:
                above = [ln for ln in free if ln.bottom <= table.bbox[1] + 1]
                if not above:
                    table.heading, table.heading_bbox = pending
            table.score = table_score(table)
            table.page_bottom = page.bottom
            floor = table.bbox[3]
        trailing = [ln for ln in free if ln.top >= floor - 1]
        block = trailing[-2:]
        if len(trailing) > 1 and block[0].top - trailing[-3 if len(trailing) > 2 else 0].bottom < 0:
            block = trailing[-1:]
        if page_tables and _is_heading_block(block, body):
            text = " ".join(ln.text for ln in block)
            bbox = (
                min(ln.x0 for ln in block),
                block[0].top,
                max(ln.x1 for ln in block),
                block[-1].bottom,
            )
            pending = (text, tuple(round(v, 2) for v in bbox))
        elif page_tables or trailing:
            pending = None
        tables.extend(page_tables)
    text_pages = sum(1 for p in parsed if p.words)
    warnings = []
    if text_pages == 0 and n_pages:
        warnings.append("no text layer on any page: the document needs OCR")
    elif text_pages < n_pages:
        warnings.append(f"{n_pages - text_pages} page(s) without a text layer (need OCR)")
    return RawDocument(
        doc_id=doc_id,
        source_file=path.name,
        pages=n_pages,
        title=title,
        tables=tables,
        text_pages=text_pages,
        warnings=warnings,
    )


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    words: list[Word]
    ruled: list[RawTable]
    hrules: list[tuple[float, float, float]]
    bottom: float
    height: float = 0.0
    rulings: int = 0  # ruling lines and thin boxes drawn on the page


def _parse_page(page, number: int) -> _Page:
    """Everything read from one page, parsed once."""
    words = page.extract_words(extra_attrs=WORD_ATTRS)
    if not words:
        return _Page(number, float(page.width), [], [], [], 0.0, float(page.height))
    # A lone ruled header row (its shading or rules boxed) over an unruled body is not
    # the table: leave it to the text-alignment engine, which reads header and body.
    ruled = [
        t
        for t in ruled_tables(page, words, number)
        if t.rows and not (len(t.rows) == 1 and table_score(t) >= 0.5)
    ]
    boxes = [t.bbox for t in ruled]
    hrules = [
        (round(e["top"], 2), e["x0"], e["x1"])
        for e in page.horizontal_edges
        if not any(b[1] - 1 <= e["top"] <= b[3] + 1 for b in boxes)
    ]
    bottom = round(max(w["bottom"] for w in words), 2)
    rulings = len(page.lines) + len(page.rects)
    return _Page(
        number, float(page.width), words, ruled, hrules, bottom, float(page.height), rulings
    )


def _body_size(words: Sequence[Word]) -> float:
    sizes = sorted(round(w.get("size", 0.0), 1) for w in words)
    return sizes[len(sizes) // 2] if sizes else 0.0

"""Plain data passed from the extract stage to the normalise stage.

Extract knows geometry, not meaning: a `RawTable` is a grid of `RawCell`s, each
with the page it sits on, its bbox in PDF points (pdfplumber's top-left origin)
and its text as the printed lines. Joining lines, mapping headers and deciding
what a row means is the normalise stage's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


class ExtractError(Exception):
    """A document that cannot be read; the message is one line naming the cause."""


@dataclass(frozen=True, slots=True)
class TextLine:
    """One printed line inside a cell, with the widths needed to mend broken words."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    char_width: float  # mean width of one character on this line


@dataclass(slots=True)
class RawCell:
    """A table cell: `col` is its first grid column, `colspan` how many it covers."""

    col: int
    colspan: int
    page: int  # 1-based
    bbox: BBox
    lines: list[TextLine] = field(default_factory=list)
    bold: bool = False  # most of its characters are in a bold font
    fill: tuple[float, float, float] | None = None  # background colour (RGB 0..1), if shaded
    # read by OCR from its own crop: the confidence (0..100) of each word, in reading order
    ocr_confidences: tuple[float, ...] | None = None

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)


@dataclass(slots=True)
class RawRow:
    page: int
    bbox: BBox
    cells: list[RawCell]


@dataclass(slots=True)
class RawTable:
    """One table as found on one page. Tables continuing across pages are joined later."""

    page: int
    bbox: BBox
    engine: str  # "pdfplumber-lattice" | "pdfplumber-text" | "camelot-lattice" | ...
    n_cols: int
    col_edges: list[float]  # n_cols + 1 x positions
    rows: list[RawRow]
    heading: str | None = None  # text printed just above the table on its page
    heading_bbox: BBox | None = None
    # the heading printed above `heading`, when there is one (a section name over a
    # recommendation printed as a paragraph above its table)
    outer_heading: str | None = None
    outer_heading_bbox: BBox | None = None
    score: float = 0.0  # engine quality score, 0..1


@dataclass(frozen=True, slots=True)
class LooseLine:
    """A printed line that no table, heading, title or page furniture took: kept so the
    normalise stage can tell whether words printed among a table's rows were left out."""

    page: int
    bbox: BBox
    text: str
    phrase_starts: tuple[float, ...]  # left edge of each phrase (split at column gutters)
    phrases: tuple[str, ...] = ()  # the text of each phrase
    phrase_ends: tuple[float, ...] = ()  # right edge of each phrase


@dataclass(slots=True)
class RawDocument:
    doc_id: str
    source_file: str
    pages: int
    title: str | None
    tables: list[RawTable]
    text_pages: int  # pages with a usable text layer
    warnings: list[str] = field(default_factory=list)
    loose_lines: list[LooseLine] = field(default_factory=list)
    # text printed outside the tables (a Word file's paragraphs, a PDF's lines no table
    # took, joined page by page): where a plan defines its acronyms ("... Trust (NUH)")
    prose: list[str] = field(default_factory=list)
    ocr_pages: int = 0  # pages read by OCR (scans)
    ocr_seconds: float = 0.0  # time spent reading them (OCR and cell by cell)

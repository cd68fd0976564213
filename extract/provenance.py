"""What a table's engine name tells the later stages about the grid it reports.

Every `RawTable` records the engine that made it; this table says what the rest of the
pipeline may assume about that engine's output, so no other stage compares engine name
strings (how the engines run on a page is extract/engines.py). An engine that reads the
grid itself (drawn rules, document structure) is `exact`; one that infers it from text
alignment is not, and its records carry a little less confidence. Cells of an engine
that reads drawn rules end at the rule, so text must stop a cell's padding short of it
(`drawn_cells`). Tables read from a scan carry the `OCR_SUFFIX` after the engine's name.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Engine:
    name: str
    exact: bool  # the grid is read, not inferred
    drawn_cells: bool  # cell boxes are the drawn cell borders
    reads: str  # what it reads, for the docs and `dhrplans inspect`
    placed: bool = True  # bboxes place tables on their page (DOCX: grid units per table)


RULED = Engine("pdfplumber-lattice", True, True, "ruling lines drawn on the page")
RULED_ROWS = Engine(
    "pdfplumber-ruled-rows", False, False, "text alignment, rows from horizontal rules"
)
ALIGNED = Engine("pdfplumber-text", False, False, "text alignment under a header line")
CAMELOT = Engine("camelot-lattice", False, True, "ruling lines found in the page image")
DOCX = Engine("python-docx", True, False, "the Word document's table structure", placed=False)

OCR_SUFFIX = "+ocr"

REGISTRY: dict[str, Engine] = {e.name: e for e in (RULED, RULED_ROWS, ALIGNED, CAMELOT, DOCX)}


def engine(name: str) -> Engine:
    """The engine of a table's `engine` name (with or without the OCR suffix)."""
    try:
        return REGISTRY[name.removesuffix(OCR_SUFFIX)]
    except KeyError:
        raise ValueError(f"unknown table engine: {name!r}") from None


def is_ocr(name: str) -> bool:
    return name.endswith(OCR_SUFFIX)

"""Provenance pictures: a page drawn with what the pipeline read from it.

Uses pdfplumber's own page rendering (`page.to_image`) and draws, in distinct
colours: every table the extractor found, each cell, the header rows, the
recommendation rows, the actions (those joined across a page break in their own
colour), and, with a record id, that record's cells. A legend names the colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from PIL import ImageDraw

from dhrplans.extract.document import extract_document
from dhrplans.normalise.plan import header_index, normalise_document
from dhrplans.schemas import vocab as user_vocab
from dhrplans.schemas.vocab import UserVocabulary

RESOLUTION = 110
COLOURS = {
    "table": (30, 90, 200),
    "cell": (150, 150, 150),
    "header row": (20, 150, 60),
    "recommendation": (235, 140, 0),
    "action": (90, 60, 180),
    "joined across pages": (210, 0, 160),
    "selected record": (220, 0, 0),
}


class InspectError(Exception):
    """Bad page number or record id; the message is one line."""


@dataclass(slots=True)
class Picture:
    path: Path
    size: tuple[int, int]
    boxes: dict[str, int]  # how many boxes of each kind were drawn


def inspect_page(
    pdf_path: str | Path,
    page_number: int,
    out: str | Path,
    record: str | None = None,
    vocab: UserVocabulary | None = None,
) -> Picture:
    """Draw one page with its detected tables, rows and cells; save a PNG. `vocab`: a
    user vocabulary added to the shipped one, as in a run."""
    with user_vocab.active(vocab):
        return _inspect_page(Path(pdf_path), page_number, Path(out), record)


def _inspect_page(pdf_path: Path, page_number: int, out: Path, record: str | None) -> Picture:
    try:
        raw = extract_document(pdf_path)
    except Exception as exc:  # not a PDF, damaged, encrypted: the reader says which
        reason = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise InspectError(f"cannot read {pdf_path.name} as a PDF: {reason}") from None
    if not 1 <= page_number <= raw.pages:
        raise InspectError(f"page {page_number} out of range: the document has {raw.pages} pages")
    doc = normalise_document(raw)
    records = {a["action_id"]: a for a in doc.actions}
    records.update({r["rec_id"]: r for r in doc.recommendations})
    if record is not None and record not in records:
        raise InspectError(f"no record {record!r} in {pdf_path.name}")
    if record is not None:
        pages = sorted({c["page"] for c in records[record]["cells"]})
        if pages and page_number not in pages:
            listed = ", ".join(str(p) for p in pages)
            raise InspectError(
                f"record {record!r} is not on page {page_number}: it is on page(s) {listed}"
            )

    boxes: dict[str, list[tuple]] = {name: [] for name in COLOURS}
    for table in raw.tables:
        if table.page != page_number:
            continue
        boxes["table"].append(table.bbox)
        for row in table.rows:
            boxes["cell"].extend(c.bbox for c in row.cells)
        index = header_index(table)
        if index is not None:
            boxes["header row"].append(table.rows[index].bbox)
    for rec in doc.recommendations:
        boxes["recommendation"].extend(_on_page(rec["cells"], page_number))
    for action in doc.actions:
        kind = "action"
        if any("joined across a page break" in n for n in action["notes"]):
            kind = "joined across pages"
        boxes[kind].extend(_on_page(action["cells"], page_number))
    if record is not None:
        boxes["selected record"].extend(_on_page(records[record]["cells"], page_number))

    with pdfplumber.open(pdf_path) as pdf:
        image = pdf.pages[page_number - 1].to_image(resolution=RESOLUTION)
        widths = {"table": 3, "selected record": 4, "header row": 3}
        for kind, found in boxes.items():
            if found:
                image.draw_rects(
                    found, fill=None, stroke=COLOURS[kind], stroke_width=widths.get(kind, 1)
                )
        picture = image.annotated.convert("RGB")
    picture = _legend(picture, {k: len(v) for k, v in boxes.items()})
    out.parent.mkdir(parents=True, exist_ok=True)
    picture.save(out, format="PNG")
    return Picture(out, picture.size, {k: len(v) for k, v in boxes.items()})


def _on_page(cells: list[dict], page: int) -> list[tuple]:
    return [(c["x0"], c["top"], c["x1"], c["bottom"]) for c in cells if c["page"] == page]


LEGEND_HEIGHT = 24


def _legend(picture, counts: dict[str, int]):
    """The page with a legend strip added below it (nothing on the page is covered)."""
    from PIL import Image

    width, height = picture.size
    canvas = Image.new("RGB", (width, height + LEGEND_HEIGHT), (255, 255, 255))
    canvas.paste(picture, (0, 0))
    draw = ImageDraw.Draw(canvas)
    x = 8
    y = height + 6
    for kind, colour in COLOURS.items():
        label = f"{kind} ({counts.get(kind, 0)})"
        draw.rectangle((x, y + 1, x + 12, y + 10), outline=colour, width=3)
        draw.text((x + 16, y), label, fill=(0, 0, 0))
        x += 16 + int(draw.textlength(label)) + 14
    return canvas

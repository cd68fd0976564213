"""Scanned tables read cell by cell: each cell OCR'd from its own crop of the page image.

Once the grid of a scanned table is known (camelot found its rules in the image, or the
text engine aligned the words of the page's first OCR pass), each cell is read again on
its own. A whole-page OCR pass reads a table as lines running across the columns: rules
become bars and brackets, a narrow column's words are split or glued to the next column,
short cells (refs, dates, status words) are read without the context of a text line. A
crop of one cell, with the table rules removed from the image, is one small block of text
that Tesseract reads well.

The page (the OCR'd copy, already deskewed by OCRmyPDF) is rendered at `cell_dpi`
(upsampling scans made at less), the table rules are painted out (dark runs longer than
any letter), and every cell is read by Tesseract through tesserocr (its C++ API in
process: one engine per worker process, no process started per cell) as one block of
text (page segmentation mode 6). The words whose centres fall inside the cell become its
lines, as the page's words did, and each word's confidence is kept on the cell
(`RawCell.ocr_confidences`) for the record's confidence and the checks of
normalise/ocrfix.py. A cell whose crop reads nothing keeps the text of the first pass.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from dhrplans.extract.layout import text_lines
from dhrplans.extract.model import RawTable
from dhrplans.extract.ocr import (
    LANGUAGE,
    RULE_GLYPHS,
    dash,
    english,
    join_split_words,
    render_grey,
)
from dhrplans.extract.provenance import engine as engine_info

from dhrplans.settings import OcrSettings


def available() -> bool:
    """tesserocr is installed and finds Tesseract's English data."""
    return _api() is not None


@lru_cache(maxsize=1)
def _tessdata() -> str | None:
    """Where Tesseract's language data is: $TESSDATA_PREFIX, else what the tesseract
    program says (`--list-langs` names the folder)."""
    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    exe = shutil.which("tesseract")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'"([^"]+)"', done.stdout + done.stderr)
    return found.group(1) if found else None


@lru_cache(maxsize=1)
def _api():
    """One Tesseract engine for this process (it takes a second to load), or None."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # one core per worker process
    try:
        import tesserocr
    except ImportError:
        return None
    path = _tessdata()
    if path is None or not (Path(path) / f"{LANGUAGE}.traineddata").is_file():
        return None
    try:
        api = tesserocr.PyTessBaseAPI(path=path.rstrip("/") + "/", lang=LANGUAGE)
    except RuntimeError:
        return None
    api.SetPageSegMode(tesserocr.PSM.SINGLE_BLOCK)
    return api


def page_image(source: str | Path, page_number: int, settings: OcrSettings):
    """The page rendered at `cell_dpi` as greyscale, table rules painted white, a little
    blurred (`blur`)."""
    import cv2
    import numpy as np

    grey = np.array(render_grey(source, page_number, settings.cell_dpi))  # a writable copy
    # Rules are printed dark; shading (header rows, banners) is light and is no rule.
    ink = (grey < settings.rule_ink).astype(np.uint8)
    run = max(3, round(settings.rule_min_length * settings.cell_dpi / 72))
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    # A dark fill (a header row printed white on black) is no rule: it stays, and its
    # cells are read inverted (`read_cell`). Fills are what a square as thick as no rule
    # is leaves of the ink.
    thick = max(3, round(settings.rule_max_thickness * settings.cell_dpi / 72))
    fill = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8))
    rules &= 1 - cv2.dilate(fill, np.ones((2 * thick, 2 * thick), np.uint8))
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))  # the rule's grey fringe too
    grey[rules > 0] = 255
    if settings.blur > 0:
        grey = cv2.GaussianBlur(grey, (0, 0), settings.blur)
    return grey


#: A crop is a halftone (a filled cell scanned in black and white: the fill is dots)
#: when at least this many pieces of its ink are specks (fewer pixels than
#: `HALFTONE_SPECK`), and they are half its pieces or more: text, even noisy, is a few
#: specks among letters.
HALFTONE_SPECKS = 100
HALFTONE_SPECK = 12
#: The median filter (points) that clears a halftone's dots and keeps letters' strokes.
HALFTONE_MEDIAN = 1.2


def halftoned(bw) -> bool:
    """Is the black-and-white crop `bw` (ink 0) a ground of dots, letters on it or not?
    Tesseract reads a halftone as letters and the letters on it as noise ("Green" as
    "Ber SG BP")."""
    import cv2
    import numpy as np

    n, _, stats, _ = cv2.connectedComponentsWithStats((bw == 0).astype(np.uint8), connectivity=8)
    specks = int((stats[1:, cv2.CC_STAT_AREA] < HALFTONE_SPECK).sum())
    return specks >= HALFTONE_SPECKS and 2 * specks >= n - 1


def read_cell(grey, bbox: Sequence[float], margin: float, settings: OcrSettings) -> list[dict]:
    """The words Tesseract reads in the crop of `bbox` grown by `margin` (points; negative
    shrinks it), with their boxes in points and confidences; only words centred in bbox."""
    import numpy as np
    from PIL import Image

    api = _api()
    scale = settings.cell_dpi / 72
    height, width = grey.shape
    x0 = max(0, int((bbox[0] - margin) * scale))
    top = max(0, int((bbox[1] - margin) * scale))
    x1 = min(width, int((bbox[2] + margin) * scale) + 1)
    bottom = min(height, int((bbox[3] + margin) * scale) + 1)
    if x1 - x0 < 4 or bottom - top < 4:
        return []
    crop = grey[top:bottom, x0:x1]
    if int((crop < 128).sum()) < settings.min_ink_pixels:  # blank, or specks
        return []
    # Black on white at the crop's own threshold (Otsu): a shaded cell's grey ground
    # makes Tesseract misread short values ("3a" as "Bea").
    import cv2

    bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    if halftoned(bw):  # a fill's dots: a median over them leaves the letters' strokes
        side = 2 * round(HALFTONE_MEDIAN * scale / 2) + 1
        bw = cv2.medianBlur(crop, side)
        bw = cv2.threshold(bw, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    crop = bw
    if int((crop == 0).sum()) * 2 > crop.size:  # light type on a dark fill: turned over
        crop = 255 - crop
    import tesserocr

    # Tesseract reads text touching the image's edge badly: a white border around it.
    border = round(settings.crop_border * scale)
    framed = np.pad(crop, border, constant_values=255)
    api.SetImage(Image.fromarray(framed))
    api.Recognize()
    words: list[dict] = []
    level = tesserocr.RIL.WORD
    iterator = api.GetIterator()
    line = -1
    for item in tesserocr.iterate_level(iterator, level):
        if item.Empty(level):  # an image with nothing read in it
            continue
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        try:
            text = item.GetUTF8Text(level)
        except RuntimeError:  # tesserocr: "No text returned"
            continue
        box = item.BoundingBox(level)
        if not text or not text.strip() or box is None or RULE_GLYPHS.match(text.strip()):
            continue
        bx0, btop, bx1, bbottom = box
        word = {
            "text": dash(text.strip()),
            "x0": (x0 + bx0 - border) / scale,
            "x1": (x0 + bx1 - border) / scale,
            "top": (top + btop - border) / scale,
            "bottom": (top + bbottom - border) / scale,
            "confidence": float(item.Confidence(level)),
            "line": line,
        }
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            words.append(word)
    words = drop_phantoms(words, settings)
    words = join_split_words(words, lambda w: w["line"])
    # Words take their line's top and bottom (Tesseract's lines): a comma or a dash sits
    # lower than the letters, and lines are grouped by the tops of their words.
    for k in {w["line"] for w in words}:
        same = [w for w in words if w["line"] == k]
        top_k, bottom_k = min(w["top"] for w in same), max(w["bottom"] for w in same)
        for w in same:
            w["top"], w["bottom"] = top_k, bottom_k
    return words


#: Text the page's OCR pass left out (a column of short values, a line of a long cell):
#: a run of letters at least this tall and wide (points), no word over it, ...
DROPPED_MIN_HEIGHT = 3.0
DROPPED_MAX_HEIGHT = 16.0
DROPPED_MIN_WIDTH = 4.0
#: ... whose letters lie closer than this (points) along the line, ...
DROPPED_JOIN = 5.0
#: ... read again from its own crop; its words kept when read at this confidence or more.
DROPPED_CONFIDENCE = 60.0


def dropped_words(
    words: Sequence[dict], letters, scale: float, path: str | Path, page_number: int, settings=None
) -> list[dict]:
    """Words printed on the page that its OCR pass did not return. Tesseract's page
    layout analysis now and then drops a block: a column of dates in an unruled table,
    a line in a long cell of small type. The page's letter ink (`_ink`) outside every
    word's box, grouped into runs along a line, is read again from its own crop
    (`read_cell`), and what reads with confidence becomes words of the page (called by
    `ocr.scan_words`, which has the letter ink)."""
    import cv2
    import numpy as np
    from dhrplans.extract import cellocr

    from dhrplans.settings import OcrSettings

    settings = settings or OcrSettings()
    if not cellocr.available():
        return []
    covered = np.zeros_like(letters)
    pad = round(1.0 * scale)
    for w in words:
        covered[
            max(0, int(w["top"] * scale) - pad) : int(w["bottom"] * scale) + pad + 1,
            max(0, int(w["x0"] * scale) - pad) : int(w["x1"] * scale) + pad + 1,
        ] = 1
    rest = letters & (1 - covered)
    join = max(1, round(DROPPED_JOIN * scale))
    runs = cv2.morphologyEx(rest, cv2.MORPH_CLOSE, np.ones((1, join), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if (
            DROPPED_MIN_HEIGHT * scale <= h <= DROPPED_MAX_HEIGHT * scale
            and w >= DROPPED_MIN_WIDTH * scale
        ):
            boxes.append((x / scale, y / scale, (x + w) / scale, (y + h) / scale))
    if not boxes:
        return []
    grey = page_image(path, page_number, settings)
    found: list[dict] = []
    for box in boxes:
        for w in read_cell(grey, box, settings.text_pad, settings):
            if w["confidence"] < DROPPED_CONFIDENCE or not any(ch.isalnum() for ch in w["text"]):
                continue
            top, bottom = _line_of(words, w["top"], w["bottom"])
            if _overlaps(words, w["x0"], w["x1"], top, bottom):
                continue  # the page's pass has a word there: its letters lie off its box
            found.append(
                {
                    "text": w["text"],
                    "x0": w["x0"],
                    "x1": w["x1"],
                    "top": top,
                    "bottom": bottom,
                    "fontname": "GlyphLessFont",
                    "upright": True,
                }
            )
    return found


def _overlaps(words: Sequence[dict], x0: float, x1: float, top: float, bottom: float) -> bool:
    """Does a word of `words` lie over a fifth or more of the span x0..x1 on a line
    overlapping top..bottom?"""
    need = 0.2 * (x1 - x0)
    return any(
        min(x1, w["x1"]) - max(x0, w["x0"]) > need and min(bottom, w["bottom"]) > max(top, w["top"])
        for w in words
    )


def _line_of(words: Sequence[dict], top: float, bottom: float) -> tuple[float, float]:
    """The top and bottom of the page's line a word read at (top, bottom) is on: the
    word of the page's pass whose middle is nearest its own, within half its height
    (the page's pass sets the words of a line on one box; a crop's are the letters'),
    else its own."""
    middle, half = (top + bottom) / 2, (bottom - top) / 2
    best = min(words, key=lambda w: abs((w["top"] + w["bottom"]) / 2 - middle), default=None)
    if best is None or abs((best["top"] + best["bottom"]) / 2 - middle) > half:
        return top, bottom
    return best["top"], best["bottom"]


def drop_phantoms(words: list[dict], settings: OcrSettings) -> list[dict]:
    """The words of a cell without what OCR made of rules and specks: a few letters read
    with doubt over a run far wider than they are (a piece of a rule or of a fill's
    edge), and an opening quote with no closing one in the cell (the corner of a rule
    or a speck before the first word)."""
    kept = []
    for w in words:
        height = max(1.0, w["bottom"] - w["top"])
        wide = w["x1"] - w["x0"] > settings.phantom_width * len(w["text"]) * height
        if not (wide and w["confidence"] < settings.keep_first_pass + 10):
            kept.append(w)
    if kept and kept[0]["text"][:1] in _OPENING and len(kept[0]["text"]) > 1:
        rest = kept[0]["text"][1:] + "".join(w["text"] for w in kept[1:])
        if not any(q in rest for q in _CLOSING):
            kept[0] = {**kept[0], "text": kept[0]["text"][1:]}
    return kept


_OPENING = "‘“'\"`"
_CLOSING = "’”'\""
_NUMBER = re.compile(r"^[(\[]?[A-Za-z]{0,2}\d[\d/.:,\-]*[a-z]?[)\].,:;]?$")
_WORD = re.compile(r"^[(\"'‘“]?([A-Za-z][A-Za-z'’\-]*)[)\"'’”.,:;!?]*$")


@lru_cache(maxsize=1)
def _english():
    return english()


def plausibility(text: str) -> float:
    """Share of the tokens of `text` that are English words (pyspellchecker's list),
    numbers, dates or refs: misread text is made of tokens that are none of these. Used
    to choose between two readings of one cell."""
    tokens = text.split()
    if not tokens:
        return 0.0
    english = _english()
    good = 0
    for token in tokens:
        if _NUMBER.match(token):
            good += 1
            continue
        word = _WORD.match(token)
        if word and all(part in english for part in word.group(1).lower().split("-") if part):
            good += 1
    return good / len(tokens)


#: A numbered ref (`1.1`, `R4.2`, `3.1a`) and the same with its dot lost (`11`, `R42`).
_DOTTED = re.compile(r"^[A-Za-z]{0,2}\d+\.\d+[a-z]?$")
_DOT_LOST = re.compile(r"^([A-Za-z]{0,2}\d)(\d[a-z]?)$")


def mend_lost_dots(tables: Sequence[RawTable], min_share: float = 0.5) -> int:
    """Refs whose dot OCR lost, in a column whose refs are numbered with one: `11` among
    `1.2`, `2.1`, `3.1` is `1.1` (a small dot between two digits is the first thing a
    scan loses). A column is one of the document's scanned tables' columns, the tables
    of as many columns taken together (a plan's tables repeat their layout). Only two
    digits: `111` could be `1.11` or `11.1`. Returns how many were mended."""
    from dataclasses import replace

    from dhrplans.extract.provenance import OCR_SUFFIX

    columns: dict[tuple[int, int], list] = {}
    for table in tables:
        if not table.engine.endswith(OCR_SUFFIX):
            continue
        for row in table.rows:
            for c in row.cells:
                if c.colspan == 1 and c.text.strip():
                    columns.setdefault((table.n_cols, c.col), []).append(c)
    mended = 0
    for cells in columns.values():
        dotted = sum(1 for c in cells if _DOTTED.match(c.text.strip()))
        lost = [
            (c, m) for c in cells if len(c.lines) == 1 and (m := _DOT_LOST.match(c.text.strip()))
        ]
        if dotted < 3 or dotted < min_share * (dotted + len(lost)):
            continue
        for c, m in lost:
            c.lines = [replace(c.lines[0], text=f"{m.group(1)}.{m.group(2)}")]
            mended += 1
    return mended


def reread_tables(
    tables: Sequence[RawTable], source: str | Path, page_number: int, settings: OcrSettings
) -> int:
    """Read every cell of the scanned page's `tables` again from its own crop of the page
    image of `source`, in place. Returns how many cells were read; 0 when tesserocr is
    not available (the first pass's text stays)."""
    if not tables or not available():
        return 0
    grey = page_image(source, page_number, settings)
    n = 0
    for table in tables:
        drawn = engine_info(table.engine).drawn_cells
        margin = -settings.drawn_inset if drawn else settings.text_pad
        for row in table.rows:
            for cell in row.cells:
                if cell.page != page_number:
                    continue
                words = read_cell(grey, cell.bbox, margin, settings)
                if not words:
                    continue
                mean = sum(w["confidence"] for w in words) / len(words)
                if mean < settings.keep_first_pass:
                    continue  # nothing read with confidence: the first pass's text stays
                lines = text_lines(words)
                if cell.lines and plausibility(cell.text) > plausibility(
                    " ".join(ln.text for ln in lines)
                ):
                    continue  # the first pass read more real words: its text stays
                cell.lines = lines
                cell.ocr_confidences = tuple(w["confidence"] for w in words)
                n += 1
    return n


#: A ref as a plan numbers its actions: letters, a number, a number after a dot, a letter
#: (`1.2`, `3a`, `C2.1`, `R4`); its shape is which of these it has.
_REF_PARTS = re.compile(r"^([A-Z]{0,2})(\d{1,3})(?:\.(\d{1,3}))?([a-z])?$")
#: A misread ref is at most this long: a cell of words is no ref.
_MAX_MISREAD = 8


def _ref_parts(text: str) -> tuple[str, int, int | None, str | None] | None:
    m = _REF_PARTS.match(text)
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3)) if m.group(3) else None, m.group(4)


def _shape(parts) -> tuple[bool, bool, bool]:
    return bool(parts[0]), parts[2] is not None, parts[3] is not None


def _ref_text(prefix: str, number: int, sub: int | None, letter: str | None) -> str:
    return f"{prefix}{number}{'' if sub is None else f'.{sub}'}{letter or ''}"


def _after(parts) -> list[str]:
    """The refs that may follow `parts` in a column: the next in its group, the first of
    the next group (`1.2` -> `1.3`, `2.1`; `4a` -> `4b`, `5a`; `3` -> `4`)."""
    prefix, number, sub, letter = parts
    if sub is not None and letter is None:
        return [_ref_text(prefix, number, sub + 1, None), _ref_text(prefix, number + 1, 1, None)]
    if letter is not None and sub is None and letter < "z":
        return [_ref_text(prefix, number, None, chr(ord(letter) + 1))] + [
            _ref_text(prefix, number + 1, None, "a")
        ]
    if sub is None and letter is None:
        return [_ref_text(prefix, number + 1, None, None)]
    return []


def _before(parts) -> list[str]:
    """The ref that comes right before `parts` in its group, when it has one."""
    prefix, number, sub, letter = parts
    if sub is not None and letter is None and sub > 1:
        return [_ref_text(prefix, number, sub - 1, None)]
    if letter is not None and sub is None and letter > "a":
        return [_ref_text(prefix, number, None, chr(ord(letter) - 1))]
    if sub is None and letter is None and number > 1:
        return [_ref_text(prefix, number - 1, None, None)]
    return []


def mend_ref_sequence(tables: Sequence[RawTable], min_share: float = 0.6) -> int:
    """Refs OCR misread past what `normalise/ocrfix` can turn back (`4b` read `Ab`, `1b`
    as `1p`, `5.1` as `Sik` or `3.1`), in a column of refs that number the actions in
    order. A ref of the column's shape that follows the ref above it, or is followed by
    the one below, is sure. Any other cell is the ref the sure refs around it say stands
    there, counting the cells between (a ref a few after the one above, a few before the
    one below), and that the cell's own table does not hold already (each section of a
    plan may number from 1.1, its table the same columns): a cell of another shape when
    one ref can stand there (the likeliest of a few, as read), a ref of the column's
    shape out of order only when the refs above and below agree on it. A column is one
    of the document's scanned tables' columns, the tables of as many columns taken
    together, read top to bottom; most of its cells (`min_share`, three at least) are
    refs of one shape. Only short cells (a misread ref is no phrase), never a header
    label, a word or a date. Returns how many were mended."""
    from dataclasses import replace

    from dhrplans.extract.headers import is_header_phrase
    from dhrplans.extract.provenance import OCR_SUFFIX
    from rapidfuzz import fuzz

    columns: dict[tuple[int, int], list] = {}
    for table in tables:
        if not table.engine.endswith(OCR_SUFFIX):
            continue
        for row in table.rows:
            for c in row.cells:
                text = c.text.strip()
                if c.colspan == 1 and text and len(text) <= _MAX_MISREAD and len(c.lines) <= 2:
                    if not is_header_phrase(text):
                        columns.setdefault((table.n_cols, c.col), []).append((id(table), c))
    mended = 0
    for column in columns.values():
        cells = [c for _, c in column]
        table_of = [t for t, _ in column]
        parsed = [_ref_parts(c.text.strip()) for c in cells]
        shapes = [_shape(p) for p in parsed if p is not None]
        if len(shapes) < 3:
            continue
        shape = max(set(shapes), key=shapes.count)
        if shapes.count(shape) < max(3.0, min_share * len(cells) - 1e-9):
            continue
        texts = [c.text.strip() for c in cells]
        good = [p is not None and _shape(p) == shape for p in parsed]
        # Sure: in order with the nearest good ref above or below it, then, in turn, with
        # the nearest sure one (a ref two cells under a sure one may be two refs on).
        sure = [False] * len(cells)
        for among in (good, sure, sure):
            for i in range(len(cells)):
                if not good[i] or sure[i]:
                    continue
                up = next((j for j in range(i - 1, -1, -1) if among[j]), None)
                down = next((j for j in range(i + 1, len(cells)) if among[j]), None)
                sure[i] = (up is not None and texts[i] in _steps_after(parsed[up], i - up)) or (
                    down is not None and texts[down] in _steps_after(parsed[i], down - i)
                )
        for i, cell in enumerate(cells):
            if sure[i]:
                continue
            if not good[i] and (
                "/" in texts[i]
                or (
                    len(texts[i]) > 2
                    and not any(ch.isdigit() for ch in texts[i])
                    and plausibility(texts[i]) == 1.0
                )
            ):
                continue  # a word or a date ("N/A", "All"): no misread ref
            up = next((j for j in range(i - 1, -1, -1) if sure[j]), None)
            down = next((j for j in range(i + 1, len(cells)) if sure[j]), None)
            above = _steps_after(parsed[up], i - up) if up is not None else None
            below = _steps_before(parsed[down], down - i) if down is not None else None
            # refs its own table holds (a plan's sections may each number from 1.1)
            held = {t for j, t in enumerate(texts) if j != i and table_of[j] == table_of[i]}
            if above and below:
                can = [r for r in above if r in below]
                if not can and not good[i]:
                    can = below  # the ref before the one below is one ref: the surer
            elif good[i] and (up is None or down is None):
                continue  # out of order, and only one side to say what it is
            else:
                can = list(above or below or [])
            can = [r for r in can if r not in held]
            if not can or (good[i] and len(can) != 1):
                continue
            meant = max(can, key=lambda r: fuzz.ratio(r, texts[i]))
            cell.lines = [replace(cell.lines[0], text=meant)]
            texts[i], parsed[i], good[i], sure[i] = meant, _ref_parts(meant), True, True
            mended += 1
    return mended


def _steps_after(parts, n: int) -> list[str]:
    """The refs that may stand `n` cells after `parts` in a column."""
    found = [_ref_text(*parts)]
    for _ in range(n):
        found = list(dict.fromkeys(r for f in found for r in _after(_ref_parts(f))))
    return found


def _steps_before(parts, n: int) -> list[str]:
    """The ref that stands `n` cells before `parts` in its group, if it has one."""
    found = [_ref_text(*parts)]
    for _ in range(n):
        found = [r for f in found for r in _before(_ref_parts(f))]
    return found

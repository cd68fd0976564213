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
    ROMAN_REF,
    RULE_GLYPHS,
    dash,
    join_split_words,
    plausibility,
    render_grey,
    settle_dashes,
)
from dhrplans.extract.provenance import engine as engine_info

from dhrplans.settings import OcrSettings

#: Quotes OCR reads at the opening and the closing of a cell's text.
_OPENING = "‘“'\"`"
_CLOSING = "’”'\""


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


#: A cell read as one line of at most this many characters is a short value (a ref, a
#: date, a status word) ...
SHORT_CHARS = 12
#: ... and is read again from its crop enlarged this many times, the more confident
#: reading kept. Tesseract reads a lone short token in small type (6-9 pt: letters 20-30
#: pixels tall at 300 dpi) unsteadily: without the words of a line to go by, a glyph a
#: pixel fatter or thinner turns `C1.1` into `fos` or `C2` into `qc`; the same letters
#: made larger are read as it reads body text. Long cells are read once: their lines
#: give it the context, and an enlarged crop of many lines costs seconds.
SHORT_ZOOM = 2


def read_cell(grey, bbox: Sequence[float], margin: float, settings: OcrSettings) -> list[dict]:
    """The words Tesseract reads in the crop of `bbox` grown by `margin` (points; negative
    shrinks it), with their boxes in points and confidences; only words centred in bbox.
    A short value (one line of `SHORT_CHARS` or fewer) is read at `SHORT_ZOOM` too."""
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
    words = _read_crop(crop, (x0, top), 1, bbox, settings)
    if not words or (
        len({w["line"] for w in words}) == 1
        and len(" ".join(w["text"] for w in words)) <= SHORT_CHARS
    ):
        import cv2

        big = cv2.resize(crop, None, fx=SHORT_ZOOM, fy=SHORT_ZOOM, interpolation=cv2.INTER_CUBIC)
        again = _read_crop(big, (x0, top), SHORT_ZOOM, bbox, settings)
        if again and (not words or _mean_confidence(again) > _mean_confidence(words)):
            words = again
        roman = roman_numeral(big, (x0, top), SHORT_ZOOM, bbox, settings)
        if roman is not None:  # bars alone ("II") Tesseract often reads as nothing
            words = [{**roman, "line": words[0]["line"] if words else 0}]
    words = drop_phantoms(words, settings)
    words = join_split_words(words, lambda w: w["line"])
    words = mend_final_ells(words)
    # Tesseract's boxes are its letters' ink: a word's own box gives its height
    settle_dashes(words, lambda w: w["line"], lambda w: w["bottom"] - w["top"])
    # Words take their line's top and bottom (Tesseract's lines): a comma or a dash sits
    # lower than the letters, and lines are grouped by the tops of their words.
    for k in {w["line"] for w in words}:
        same = [w for w in words if w["line"] == k]
        top_k, bottom_k = min(w["top"] for w in same), max(w["bottom"] for w in same)
        for w in same:
            w["top"], w["bottom"] = top_k, bottom_k
    return words


#: Roman numerals in sans-serif type, told by the shape of their glyphs: a capital I is
#: an upright bar, as tall as the tallest glyph of the value (`BAR_HEIGHT` of it at
#: least), no wider than `BAR_WIDTH` of its height and filled (`BAR_FILL`): a digit 1
#: has a flag (and mostly a foot), half as wide as tall, a third filled.
BAR_HEIGHT = 0.8
BAR_WIDTH = 0.35
BAR_FILL = 0.8
#: A full stop: no taller than `DOT_SIZE` of the tallest glyph, on the baseline.
DOT_SIZE = 0.3
#: Ink of less than this share of the tallest glyph's height (squared) is a speck.
SPECK_SIZE = 0.1
ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")


def roman_numeral(
    grey, origin: tuple[int, int], zoom: int, bbox: Sequence[float], settings: OcrSettings
) -> dict | None:
    """A short value printed as a Roman numeral, alone or numbering a ref (`II`, `IV.1`,
    `III.2`), read from its glyphs, or None. Plans number recommendations I, II, III
    and their actions I.1, II.2; in the sans-serif type most are set in, a capital I is
    a bare bar, the same glyph as a lower-case l, and Tesseract reads a run of them by
    its language model, not its shape: `W.1`, `H.2`, `Wd`, `ll`, `1.1`. Its glyphs say
    what it is: bars (I), a V (two arms meeting at the foot), then a full stop and
    digits (read by Tesseract on their own). `grey` is the cell's crop enlarged `zoom`
    times, its corner at `origin` (page pixels at `cell_dpi`); only ink centred in
    `bbox` counts."""
    import cv2
    import numpy as np

    scale = settings.cell_dpi / 72
    bw = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    ink = (bw == 0).astype(np.uint8)
    if int(ink.sum()) * 2 > ink.size:
        return None  # a dark fill
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    pieces = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        cx = (origin[0] + (x + w / 2) / zoom) / scale
        cy = (origin[1] + (y + h / 2) / zoom) / scale
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            pieces.append((x, y, w, h, area, i))
    if not pieces:
        return None
    tall = max(p[3] for p in pieces)
    if tall < 8 * zoom:
        return None
    pieces = [p for p in pieces if p[4] >= (SPECK_SIZE * tall) ** 2]
    if not pieces:
        return None
    # the tallest piece may be a speck (a hairline left of a rule): the glyphs are what
    # is left, measured by their own tallest
    tall = max(p[3] for p in pieces)
    if tall < 8 * zoom:
        return None
    pieces.sort()
    # glyphs: pieces one over the other (the dot of an i, a colon) are one; kerned
    # glyphs ("V.") overlap by less than half the narrower one
    glyphs: list[list] = []
    for p in pieces:
        last = glyphs[-1][-1] if glyphs else None
        if last is not None and min(p[0] + p[2], last[0] + last[2]) - p[0] > 0.5 * min(
            p[2], last[2]
        ):
            glyphs[-1].append(p)
        else:
            glyphs.append([p])
    foot = max(p[1] + p[3] for p in pieces if p[3] >= BAR_HEIGHT * tall)
    kinds = []
    for g in glyphs:
        x, y, w, h, area, label = g[0]
        if len(g) > 1:
            kinds.append("?")
        elif h >= BAR_HEIGHT * tall and w <= BAR_WIDTH * h and area >= BAR_FILL * w * h:
            kinds.append("I")
        elif h <= DOT_SIZE * tall and w <= DOT_SIZE * tall and abs(y + h - foot) <= 0.15 * tall:
            kinds.append(".")
        elif h >= BAR_HEIGHT * tall and _is_v(labels[y : y + h, x : x + w] == label):
            kinds.append("V")
        else:
            kinds.append("?")
    head = "".join(kinds).split(".", 1)[0]
    if not head or not ROMAN.match(head):
        return None
    rest = kinds[len(head) :]
    text = head
    if rest:
        if rest[0] != "." or len(rest) == 1 or "." in rest[1:]:
            return None
        tail = glyphs[len(head) + 1 :]
        digits = _digits(bw, tail, zoom)
        if digits is None:
            return None
        text += "." + digits
    xs = [p[0] for p in pieces] + [p[0] + p[2] for p in pieces]
    ys = [p[1] for p in pieces] + [p[1] + p[3] for p in pieces]
    return {
        "text": text,
        "x0": (origin[0] + min(xs) / zoom) / scale,
        "x1": (origin[0] + max(xs) / zoom) / scale,
        "top": (origin[1] + min(ys) / zoom) / scale,
        "bottom": (origin[1] + max(ys) / zoom) / scale,
        "confidence": 90.0,
    }


def _is_v(mask) -> bool:
    """The glyph `mask` is a V: two strokes apart along its top and half way down,
    one at its foot, and about as wide as it is tall."""
    import numpy as np

    h, w = mask.shape
    if not 0.6 * h <= w <= 1.3 * h:
        return False

    def runs(row) -> int:
        row = row.astype(np.int8)
        return int((np.diff(np.concatenate(([0], row, [0]))) == 1).sum())

    return (
        runs(mask[round(0.1 * (h - 1))]) == 2
        and runs(mask[round(0.5 * (h - 1))]) == 2
        and runs(mask[h - 1]) == 1
    )


def _digits(bw, glyphs: Sequence[Sequence], zoom: int) -> str | None:
    """The number printed by `glyphs` (pieces of `bw`, after a ref's full stop), read by
    Tesseract alone as one line, OCR's letter-for-digit slips turned back; None unless
    it reads as one digit a glyph."""
    import numpy as np
    from dhrplans.normalise.ocrfix import load_confusions
    from PIL import Image

    x0 = min(p[0] for g in glyphs for p in g)
    x1 = max(p[0] + p[2] for g in glyphs for p in g)
    y0 = min(p[1] for g in glyphs for p in g)
    y1 = max(p[1] + p[3] for g in glyphs for p in g)
    pad = 10 * zoom
    part = np.pad(bw[y0:y1, x0:x1], pad, constant_values=255)
    api = _api()
    api.SetPageSegMode(7)  # one line
    try:
        api.SetImage(Image.fromarray(part))
        read = "".join(api.GetUTF8Text().split())
    finally:
        api.SetPageSegMode(6)
    digit = load_confusions().digit
    read = "".join(ch if ch.isdigit() else digit.get(ch, ch) for ch in read)
    return read if read.isdigit() and len(read) == len(glyphs) else None


def _mean_confidence(words: Sequence[dict]) -> float:
    return sum(w["confidence"] for w in words) / len(words)


def _read_crop(
    crop, origin: tuple[int, int], zoom: int, bbox: Sequence[float], settings: OcrSettings
) -> list[dict]:
    """The words Tesseract reads in `crop` (grey, the page image at `cell_dpi` enlarged
    `zoom` times; its corner at `origin`, page pixels), boxes in points; only words
    centred in bbox."""
    import cv2
    import numpy as np
    import tesserocr
    from PIL import Image

    api = _api()
    scale = settings.cell_dpi / 72
    # Black on white at the crop's own threshold (Otsu): a shaded cell's grey ground
    # makes Tesseract misread short values ("3a" as "Bea").
    bw = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    if halftoned(bw):  # a fill's dots: a median over them leaves the letters' strokes
        side = 2 * round(HALFTONE_MEDIAN * scale * zoom / 2) + 1
        bw = cv2.medianBlur(crop, side)
        bw = cv2.threshold(bw, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1]
    crop = bw
    if int((crop == 0).sum()) * 2 > crop.size:  # light type on a dark fill: turned over
        crop = 255 - crop
    # Tesseract reads text touching the image's edge badly: a white border around it.
    border = round(settings.crop_border * scale * zoom)
    framed = np.pad(crop, border, constant_values=255)
    api.SetImage(Image.fromarray(framed))
    api.Recognize()
    words: list[dict] = []
    level = tesserocr.RIL.WORD
    iterator = api.GetIterator()
    line = -1
    x0, top = origin
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
        bx0, btop, bx1, bbottom = ((v - border) / zoom for v in box)
        word = {
            "text": dash(text.strip()),
            "x0": (x0 + bx0) / scale,
            "x1": (x0 + bx1) / scale,
            "top": (top + btop) / scale,
            "bottom": (top + bbottom) / scale,
            "confidence": float(item.Confidence(level)),
            "line": line,
        }
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            words.append(word)
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
        # a run ending just before a word of the page's pass (within the letters' join)
        # may be the head of that word: read with it, the crop reads the whole word
        after = [
            w
            for w in words
            if 0 <= w["x0"] - box[2] <= DROPPED_JOIN
            and min(box[3], w["bottom"]) > max(box[1], w["top"])
        ]
        if after:
            tail = min(after, key=lambda w: w["x0"])
            box = (box[0], min(box[1], tail["top"]), tail["x1"], max(box[3], tail["bottom"]))
        for w in read_cell(grey, box, settings.text_pad, settings):
            if not any(ch.isalnum() for ch in w["text"]):
                continue
            top, bottom = _line_of(words, w["top"], w["bottom"])
            tail = _tail_read(words, w, top, bottom)
            if w["confidence"] < DROPPED_CONFIDENCE and tail is None:
                continue
            if _overlaps([x for x in words if x is not tail], w["x0"], w["x1"], top, bottom):
                continue  # the page's pass has a word there: its letters lie off its box
            found.append(
                {
                    "text": w["text"],
                    "x0": w["x0"],
                    "x1": max(w["x1"], tail["x1"]) if tail is not None else w["x1"],
                    "top": top,
                    "bottom": bottom,
                    "fontname": "GlyphLessFont",
                    "upright": True,
                }
            )
    return found


def _tail_read(words: Sequence[dict], read: dict, top: float, bottom: float) -> dict | None:
    """The page's word that is the end of the word `read` from a crop, if any: on its
    line, its box running into the read's right end, and the read's text ending with its
    text. Tesseract's page pass now and then returns only the last letters of a word
    (a label on a filled header, "measure" read "e", boxed on those letters alone); the
    crop's read of the whole word then agrees with it, which vouches for a read of lower
    confidence, and the word's pieces are one word (`ocr.scan_words` drops the tail)."""
    text = read["text"].casefold()
    for w in words:
        piece = w["text"].casefold()
        if (
            piece
            and len(piece) < len(text)
            and text.endswith(piece)
            and min(bottom, w["bottom"]) > max(top, w["top"])
            and read["x0"] < w["x0"] <= read["x1"] < w["x1"] + (read["x1"] - read["x0"]) / len(text)
        ):
            return w
    return None


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


_FINAL_MARK = re.compile(r"^(.*[a-z])(\W)([.,;:]?)$")


def mend_final_ells(words: list[dict]) -> list[dict]:
    """The words of a cell with a mark OCR read for the lower-case letter ending a word
    turned back (`schemas/ocr_confusions.csv`, `letter`: "al!" and "al)" are "all",
    "pane!" is "panel"). A lower-case l is a bare bar, and Tesseract reads one ending a
    word, with nothing after it to go by, now and then as `!` (a bar over a speck) or
    `)` (a bar a scan has bent). Only where the word with the letter is an English word
    and as read is none (a mark glued to a word is no English); a bracket closing one
    the cell opened before it is a bracket, and a letter alone before one a list marker
    ("a)", "f)"). In place; returns the words."""
    from dhrplans.extract.ocr import english
    from dhrplans.normalise.ocrfix import load_confusions

    letters = load_confusions().letter
    english_words = english()
    opened = 0
    for w in words:
        found = _FINAL_MARK.match(w["text"])
        mark = found.group(2) if found else None
        own = found.group(1).count("(") + found.group(1).count("[") if found else 0
        if found and mark in letters and not (mark in ")]" and opened + own > 0):
            head = found.group(1)
            word = head.rsplit("-", 1)[-1].lstrip("(\"'‘“")
            meant = (word + letters[mark]).lower()
            # a letter alone before its bracket is a list marker ("a)", "f)"), no word
            if word.isalpha() and len(word) >= 2 and meant in english_words:
                w["text"] = head + letters[mark] + found.group(3)
        opened += w["text"].count("(") + w["text"].count("[")
        opened -= w["text"].count(")") + w["text"].count("]")
        opened = max(0, opened)
    return words


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


def mend_ref_sequence(tables: Sequence[RawTable], min_share: float = 0.5) -> int:
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
        good = [p is not None and _shape(p) == shape for p in parsed]
        # recommendations' numbers over their refs are of the column, not against it
        # ... where the plan prints them: a number alone over half its groups or more
        # (else a number alone is a ref misread: `6` for `5b`)
        heads = sum(1 for p in parsed if _number_alone(p, shape))
        groups = {(t, p[:2]) for t, p, g in zip(table_of, parsed, good, strict=True) if g}
        headed = 2 * heads >= len(groups)
        heads = heads if headed else 0
        if shapes.count(shape) < max(3.0, min_share * (len(cells) - heads) - 1e-9):
            continue
        texts = [c.text.strip() for c in cells]
        # Sure: in order with the nearest good ref above or below it, then, in turn, with
        # the nearest sure one (a ref two cells under a sure one may be two refs on).
        head = [
            headed and _heads_group(parsed, good, j, shape, table_of) for j in range(len(cells))
        ]
        prefixes = [p[0] for p, g in zip(parsed, good, strict=True) if g]
        prefix = max(set(prefixes), key=prefixes.count)  # the column's letters, if any

        sure = [good[i] and _headed(i, parsed, head, table_of) for i in range(len(cells))]
        for among in (good, sure, sure):
            for i in range(len(cells)):
                if not good[i] or sure[i]:
                    continue
                up = next((j for j in range(i - 1, -1, -1) if among[j]), None)
                down = next((j for j in range(i + 1, len(cells)) if among[j]), None)
                sure[i] = (
                    sure[i]
                    or (up is not None and texts[i] in _steps_after(parsed[up], i - up))
                    or (down is not None and texts[down] in _steps_after(parsed[i], down - i))
                )
        for i, cell in enumerate(cells):
            if sure[i]:
                continue
            if not good[i] and (
                "/" in texts[i]
                or ROMAN_REF.match(texts[i])  # read from its glyphs (`roman_numeral`)
                or (
                    len(texts[i]) > 2
                    and not any(ch.isdigit() for ch in texts[i])
                    and plausibility(texts[i]) == 1.0
                    # a short word opening with the column's letter ("Chr" for "C1.1")
                    # is as likely its ref misread
                    and not (prefix and len(texts[i]) <= 4 and texts[i][0].upper() == prefix[0])
                )
            ):
                continue  # a word or a date ("N/A", "All"): no misread ref
            if head[i]:
                continue  # the recommendation's own number over its actions' refs
            up = next((j for j in range(i - 1, -1, -1) if sure[j] or head[j]), None)
            down = next((j for j in range(i + 1, len(cells)) if sure[j]), None)
            above = None
            if up is not None and head[up]:  # the first refs of its group follow it
                above = _after_head((*parsed[up][:2], 0 if shape[1] else None, None), i - up)
            elif up is not None:
                above = _steps_after(parsed[up], i - up)
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
            if down is not None and table_of[down] == table_of[i]:
                # the sure ref below in its own table has the last word: refs start again
                # in a plan's next section, whatever the table before it ended on
                can = [r for r in can if texts[down] in _steps_after(_ref_parts(r), down - i)]
                prefix, number = parsed[down][:2]
                if headed and not good[i] and _rank(parsed[down]) == down - i:
                    # right over its group's refs: the recommendation's number, misread
                    can.append(_ref_text(prefix, number, None, None))
            can = [r for r in can if r not in held]
            if not can or (good[i] and len(can) != 1):
                continue
            meant = max(can, key=lambda r: fuzz.ratio(r.lower(), texts[i].lower()))
            cell.lines = [replace(cell.lines[0], text=meant)]
            texts[i], parsed[i] = meant, _ref_parts(meant)
            head[i] = _number_alone(parsed[i], shape)
            good[i] = sure[i] = not head[i]
            mended += 1
    return mended


def _headed(i: int, parsed: Sequence, head: Sequence[bool], table_of: Sequence) -> bool:
    """Ref `i` is the first of its group right under its recommendation's number, or the
    last of its group right over the next one's, in its own table."""
    prefix, number = parsed[i][:2]
    rank = _rank(parsed[i])
    if rank is None:
        return False
    for j, n in ((i - rank, number), (i + 1, number + 1)):
        if 0 <= j < len(parsed) and head[j] and table_of[j] == table_of[i]:
            if parsed[j][:2] == (prefix, n):
                return True
    return False


def _rank(parts) -> int | None:
    """Where a ref stands in its group: `2.3` and `2c` are third."""
    if parts[2] is not None:
        return parts[2]
    return ord(parts[3]) - ord("a") + 1 if parts[3] else None


def _after_head(parts, n: int) -> list[str]:
    """The refs that may stand `n` cells under the recommendation number `parts` in a
    column of refs of `shape`: its group's first ref (`2` -> `2.1` or `2a`), on."""
    prefix, number = parts[:2]
    dotted = parts[2] is not None
    first = [
        _ref_text(prefix, m, 1 if dotted else None, None if dotted else "a")
        for m in (number, number + 1)
    ]
    found = first
    for _ in range(n - 1):
        found = list(dict.fromkeys(r for f in found for r in _after(_ref_parts(f))))
    return found


def _number_alone(parts, shape) -> bool:
    """`parts` is a number alone of a column of numbered refs' kind (`2`, `C1` among
    `C1.1`, `3` among `3a`): the way plans print a recommendation's number over its
    actions' refs."""
    return (
        (shape[1] or shape[2])
        and parts is not None
        and parts[2] is None
        and not parts[3]
        and bool(parts[0]) == shape[0]
    )


def _heads_group(parsed: Sequence, good: Sequence[bool], i: int, shape, table_of: Sequence) -> bool:
    """Cell `i` is a number alone (`2`, `C1`) in a column of numbered refs, of a group not
    before that of the ref above it nor after that of the ref below (in its own table):
    the number of a recommendation printed in the ref column on its own row, over the
    refs of its actions, as many plans lay them out. It is as printed, no misread ref
    (`3` between `1.2` and `2.1` is one)."""
    if not _number_alone(parsed[i], shape):
        return False
    prefix, number = parsed[i][:2]
    same = [j for j in range(len(parsed)) if table_of[j] == table_of[i] and good[j]]
    up = next((j for j in reversed(same) if j < i), None)
    down = next((j for j in same if j > i), None)
    if up is not None and (parsed[up][0] != prefix or parsed[up][1] > number):
        return False
    return down is None or (parsed[down][0] == prefix and parsed[down][1] >= number)


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

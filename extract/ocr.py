"""Scanned pages: which pages need OCR, OCR with OCRmyPDF and Tesseract, and reading
the OCR'd pages.

A page needs OCR when it has no usable text layer: no words at all (a scan, or text
drawn as outlines), or a few stray words (a stamped page number) on an image that
covers the page. A page whose invisible words lie on a page-sized image with no
vector rules is a scan that already has a text layer (an earlier OCR): it is not
OCR'd again, but read as a scan.

The document is OCR'd once, only the pages that need it (``--pages``), into a
temporary PDF: OCRmyPDF turns a page scanned sideways upright (``--rotate-pages``),
straightens it (``--deskew``, its own: no unpaper), runs Tesseract and lays the
recognised words as an invisible text layer over the page image. That PDF is then
read as any other, except that on a scan:

* ruled tables come from camelot lattice, which finds the grid in the page image,
  with the ruled edges of each cell read from the image again (`RuleMask`);
* bars and brackets OCR made of table rules are dropped (`RULE_GLYPHS`);
* the type size of a word comes from its width, and bold from the stroke width of
  its letters in the image (`settle_words`): OCR gives neither, and headings, header
  rows and banners are told by them;
* a header row repeated on each page reads as most of its copies read it
  (`mend_repeated_headers`), so that the pages of one table join up.

Tables from scans have "+ocr" appended to their engine name.

OCRmyPDF runs as a child process (``python -m ocrmypdf``): it can be timed out and
killed, and its pool of Tesseract processes stays out of the caller's process.
Ghostscript is not needed: the output is a plain PDF (no PDF/A) and pages are
rasterised with pypdfium2.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from dhrplans.extract.provenance import CAMELOT, OCR_SUFFIX

from dhrplans.settings import DEFAULT_SETTINGS

#: Appended to the engine name of every table read from a scanned page.
SUFFIX = OCR_SUFFIX
#: Fewer words than this on a page-sized image: stamps, not a text layer.
MIN_WORDS = 10
#: Share of the page an image (or several) must cover for the page to be a scan.
SCAN_COVER = 0.5
#: Ruling lines and boxes drawn as vectors: a page with this many is not a scan.
MAX_VECTOR_RULINGS = 6
#: Seconds allowed per page OCR'd (Tesseract takes 2 to 10 on one core).
SECONDS_PER_PAGE = 60.0
LANGUAGE = "eng"
#: Tesseract's orientation confidence needed to turn a page. Its default (14) leaves
#: a table page scanned sideways as it is (it reads 11 or so); upright pages of the
#: fixtures read "upright" anyway, at 5 to 16.
ROTATE_CONFIDENCE = 5.0
INSTALL = (
    "install it with `make setup` (as root), or: apt-get install tesseract-ocr tesseract-ocr-eng"
)


#: Called with the number of pages just before they are OCR'd (a worker process tells its
#: parent, which extends the document's time limit); None: nobody is told.
before_ocr: Callable[[int], None] | None = None


class OcrError(Exception):
    """OCR could not run or failed; the message is one line."""


def image_cover(page) -> float:
    """Share of the page (a pdfplumber page) covered by its images, 0..1."""
    width, height = float(page.width), float(page.height)
    if width <= 0 or height <= 0:
        return 0.0
    x_min, y_min = float(page.bbox[0]), float(page.bbox[1])
    area = 0.0
    for image in page.images:
        x0, x1 = max(image["x0"], x_min), min(image["x1"], x_min + width)
        top, bottom = max(image["top"], y_min), min(image["bottom"], y_min + height)
        area += max(0.0, x1 - x0) * max(0.0, bottom - top)
    return min(1.0, area / (width * height))


def needs_ocr(page, words: Sequence[dict]) -> bool:
    """The page has no usable text layer: no words but something drawn, or a few
    words (stamps, a page number) on an image covering the page."""
    if len(words) >= MIN_WORDS:
        return False
    if not words:
        return bool(page.images or page.curves)
    return image_cover(page) >= SCAN_COVER


def is_scan(page, words: Sequence[dict], path: str | Path) -> bool:
    """Words over a page-sized image, no vector rules, and text drawn invisible: a scan
    with a text layer from an earlier OCR, whose table rules are in the image. (A
    printed page with a background image, a letterhead, has visible text.)"""
    return (
        len(words) >= MIN_WORDS
        and len(page.lines) + len(page.rects) < MAX_VECTOR_RULINGS
        and image_cover(page) >= 0.8
        and invisible_text_share(path, page.page_number) >= 0.9
    )


def invisible_text_share(path: str | Path, page_number: int) -> float:
    """Share of a page's text objects drawn in render mode 3 (invisible), as OCR text
    layers are; text inside form XObjects included. pdfium tells the render mode,
    which pdfplumber does not."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    counts = [0, 0]  # invisible, all

    def walk(n: int, get) -> None:
        for i in range(n):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                mode = raw.FPDFTextObj_GetTextRenderMode(obj)
                counts[0] += mode == raw.FPDF_TEXTRENDERMODE_INVISIBLE
                counts[1] += 1
            elif kind == raw.FPDF_PAGEOBJ_FORM:
                walk(
                    raw.FPDFFormObj_CountObjects(obj),
                    lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j),
                )

    try:
        doc = pdfium.PdfDocument(str(path))
    except Exception:  # pdfium cannot read it: not a scan we can tell
        return 0.0
    try:
        page = doc[page_number - 1]
        walk(raw.FPDFPage_CountObjects(page.raw), lambda j: raw.FPDFPage_GetObject(page.raw, j))
    finally:
        doc.close()
    return counts[0] / counts[1] if counts[1] else 0.0


# ------------------------------------------------------------------- text layer


#: OCR reads a table rule, or the edge of one, as a bar or a bracket.
_BARS = "|{}\\[\\]¦"
_MARKS = "_\"“”'‘’`.,"
RULE_GLYPHS = re.compile(f"^[{_MARKS}]*[{_BARS}][{_BARS}{_MARKS}]*$")


#: OCR reads every dash as a hyphen. A dash standing alone between words is an en dash:
#: Word turns a hyphen typed between spaces into one as it is typed (AutoFormat).
SPACED_DASHES = frozenset("-‐‑‒—―")
EN_DASH = "–"


def dash(text: str) -> str:
    """An OCR word that is a dash alone, as the en dash Word prints between words."""
    return EN_DASH if len(text) == 1 and text in SPACED_DASHES else text


#: ... unless its glyph says it is a hyphen. A dash's ink is as wide as 0.29 to 0.40 of
#: the height of its line's capitals and ascenders for a hyphen, 0.53 to 0.76 for an en
#: dash, in the faces plans are set in (Arial, Calibri, Verdana, Times, Georgia and the
#: faces printed for them, regular and bold): a lone dash narrower than this share is a
#: hyphen typed between words and left so ("NHS - Surgery 1", "Nov 14 - In line").
EN_DASH_WIDTH = 0.46
#: Words whose ink runs from the cap height (or an ascender's) to the baseline: a capital,
#: a digit or an ascender, and no descender (g, j, p, q, y; J and Q dip in some faces).
_TALL_WORD = re.compile(r"^(?=.*[A-IK-PR-Z0-9bdfhkl])[A-IK-PR-Za-fh-ik-oru-xz0-9]+$")


def settle_dashes(
    words: Sequence[dict],
    line_of: Callable[[dict], object],
    ink_height: Callable[[dict], float | None],
) -> None:
    """Each lone dash of `words` (read as an en dash by `dash`) a hyphen where its glyph is
    narrower than `EN_DASH_WIDTH` of the height of the capitals and ascenders of its line
    (`ink_height` of its words that have them and no descender; of the page's words when
    its line has none); left as read where no word gives that height. In place."""
    dashes = [w for w in words if w["text"] == EN_DASH]
    if not dashes:
        return
    heights: dict[object, list[float]] = {}
    for w in words:
        if _TALL_WORD.match(w["text"]):
            h = ink_height(w)
            if h:
                heights.setdefault(line_of(w), []).append(h)
    everywhere = sorted(h for hs in heights.values() for h in hs)
    for w in dashes:
        hs = sorted(heights.get(line_of(w), [])) or everywhere
        if hs and w["x1"] - w["x0"] < EN_DASH_WIDTH * hs[len(hs) // 2]:
            w["text"] = "-"


def _ink_height(letters, word: dict, scale: float) -> float | None:
    """The height (points) of the letters' ink of a word: the pieces (specks left out)
    centred in its box, looked for within `LINE_REACH` of its height above and below."""
    import cv2

    y0, y1 = int(word["top"] * scale), int(word["bottom"] * scale) + 1
    reach = int(LINE_REACH * (y1 - y0))
    z0, z1 = max(0, y0 - reach), min(letters.shape[0], y1 + reach)
    box = letters[z0:z1, int(word["x0"] * scale) : int(word["x1"] * scale) + 1]
    if not box.size:
        return None
    n, _, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8)
    top = bottom = None
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] < MIN_MARK_INK:
            continue
        a = z0 + int(stats[i, cv2.CC_STAT_TOP])
        b = a + int(stats[i, cv2.CC_STAT_HEIGHT])
        if y0 <= (a + b) / 2 < y1:
            top = a if top is None else min(top, a)
            bottom = b if bottom is None else max(bottom, b)
    return None if top is None else (bottom - top) / scale


@lru_cache(maxsize=1)
def english():
    """pyspellchecker's English word list (loaded once per process)."""
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


_NUMBER = re.compile(r"^[(\[]?[A-Za-z]{0,2}\d[\d/.:,\-]*[a-z]?[)\].,:;]?$")
#: A Roman numeral, alone or numbering a ref (`IV`, `II.1`).
ROMAN_REF = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?:\.\d+)*$")
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
        if _NUMBER.match(token) or ROMAN_REF.match(token):
            good += 1
            continue
        word = _WORD.match(token)
        if word and all(part in english for part in word.group(1).lower().split("-") if part):
            good += 1
    return good / len(tokens)


#: Two words of a line closer than this share of the line's type size may be one word
#: OCR split ("Gree n", "Birmin gham").
SPLIT_GAP_EM = 0.5
#: Words of at least this many letters or digits give their line's type size.
SIZE_LETTERS = 3
_LETTERS = re.compile(r"^([(\"'‘“]?)([A-Za-z]+)$")
_TAIL = re.compile(r"^([a-z]+)([)\"'’”.,:;!?]*)$")


#: Two words that are both English are one only when together a word this many times
#: more common than the rarer piece (pyspellchecker's frequencies: "green" 107189,
#: "gree" 50; "into" 2147783, "to" 56394910).
SPLIT_MORE_COMMON = 20


def _one_word(a: str, b: str, english_words) -> bool:
    """Are `a` and `b` (lower case) one word OCR split: together a word of `english_words`
    and apart no word, or a word far rarer than the whole?"""
    whole = a + b
    if whole not in english_words:
        return False
    if a not in english_words or b not in english_words:
        return True
    frequency = english_words.word_frequency
    return frequency[whole] >= SPLIT_MORE_COMMON * min(frequency[a], frequency[b])


def join_split_words(words: list[dict], line_of: Callable[[dict], object]) -> list[dict]:
    """Words OCR split in two joined again: two words of a line closer than half an
    em, when together they are an English word and apart they are not two
    (`_one_word`: "Birmin" "gham", "Gree" "n"; "in" "to" stays). The second piece is
    lower case (a capital starts a new word), the first letters only. Returns the
    words, the joined ones as one (the first piece's dict, grown over the second)."""
    english_words = english()
    sizes: dict[object, list[float]] = {}
    for w in words:
        if sum(ch.isalnum() for ch in w["text"]) >= SIZE_LETTERS:
            sizes.setdefault(line_of(w), []).append(_type_size(w))
    joined: set[int] = set()
    prev: dict | None = None
    for w in sorted(words, key=lambda w: (str(line_of(w)), w["x0"])):
        if prev is not None and line_of(prev) == line_of(w):
            head, tail = _LETTERS.match(prev["text"]), _TAIL.match(w["text"])
            line_sizes = sorted(sizes.get(line_of(w), []))
            size = line_sizes[len(line_sizes) // 2] if line_sizes else 0.0
            gap = w["x0"] - prev["x1"]
            if head and tail and 0 <= gap < SPLIT_GAP_EM * size:
                a, b = head.group(2).lower(), tail.group(1)
                if _one_word(a, b, english_words):
                    prev["text"] += w["text"]
                    prev["x1"] = w["x1"]
                    joined.add(id(w))
                    continue
        prev = w
    return [w for w in words if id(w) not in joined]


def scan_words(
    page, path: str | Path, page_number: int, reread: Callable | None = None
) -> list[dict]:
    """Words of a scanned page's text layer, without the bars and brackets that are
    table rules read as text, each with the stroke width of its letters in the page
    image (`STROKE`, for `settle_words`) and the type size its width gives. OCR sets
    each line in a size fitted to its box, which jitters along a slightly turned line:
    words are not split on size."""
    words = [
        w for w in page.extract_words(extra_attrs=["fontname"]) if not RULE_GLYPHS.match(w["text"])
    ]
    for w in words:
        w["text"] = dash(w["text"])
    ink, letters = _ink(path, page_number, STROKE_DPI, letters=True)
    scale = STROKE_DPI / 72
    # Marks read where the image has no ink (an "_" in the gutter between two columns,
    # which then reads as one line across them, or the edge of a filled cell):
    # Tesseract's phantoms. Letters and digits read in specks (a fill's halftone,
    # noise): no piece of their ink is as tall as a letter.
    words = [
        w
        for w in words
        if (
            _lettered(letters, w, scale)
            if any(ch.isalnum() for ch in w["text"])
            else _inked(letters, w, scale)
        )
    ]
    for word in words:
        _fit_to_letters(letters, word, scale)
    _fit_lines_to_letters(letters, words, scale)
    if reread is not None:  # text the page's pass dropped (cellocr.dropped_words)
        words = with_reread(words, reread(words, letters, scale))
    words = join_split_words(words, lambda w: (w["top"], w["bottom"]))
    settle_dashes(
        words, lambda w: (w["top"], w["bottom"]), lambda w: _ink_height(letters, w, scale)
    )
    for word in words:
        word["size"] = _type_size(word)
        word[STROKE] = _stroke(ink, word, scale)
    return words


def with_reread(words: list[dict], found: list[dict]) -> list[dict]:
    """The page's words with those read again from their crops (`cellocr.dropped_words`).
    A page word within a word read again is a piece of it (the tail the page's pass read
    of a word whose head it lost): the whole word replaces it."""
    return [w for w in words if not any(_within(w, f) for f in found)] + found


def _within(word: dict, outer: dict) -> bool:
    """Does `word` lie along `outer`'s span, on its line?"""
    return (
        outer["x0"] <= word["x0"]
        and word["x1"] <= outer["x1"]
        and min(word["bottom"], outer["bottom"]) > max(word["top"], outer["top"])
    )


def _type_size(word: dict, font: str = "Helvetica") -> float:
    """The type size a word is printed in, from its width: OCR fits each word's text to
    the word's box, so its width over the word's width in `font` at 1 pt (Helvetica, or
    Helvetica-Bold for a word in bold: bold letters are wider, and measured as regular
    ones 8 pt bold reads as 9 pt). (The height of an OCR line's box follows its letters,
    not its type.)"""
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS[font][1]
    units = sum(widths.get(ch, 556) for ch in word["text"])
    return (word["x1"] - word["x0"]) * 1000 / units if units else 0.0


STROKE = "ocr_stroke"  # word key, removed by settle_words
STROKE_DPI = 300
BOLD_CONTRAST = 1.25  # heavy words must have strokes this much wider than the others


def _ink(path: str | Path, page_number: int, dpi: int, letters: bool = False):
    """The inked pixels of a page image (uint8 0/1), rendered with pdfium; with
    `letters`, also the pixels of marks darker than what lies around them
    (`LETTER_CONTEXT`): letters, on paper or on a filled cell, without the fill."""
    import cv2
    import numpy as np

    grey = render_grey(path, page_number, dpi)
    paper = float(np.median(grey))  # most of a page is paper
    ink = (grey < min(200.0, paper - 40.0)).astype(np.uint8)
    if not letters:
        return ink
    side = max(3, round(LETTER_CONTEXT * dpi / 72))
    around = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, np.ones((side, side), np.uint8))
    marks = ((around.astype(np.int16) - grey) > LETTER_CONTRAST).astype(np.uint8)
    run = round(LETTER_MAX_RUN * dpi / 72)  # rules, not letters
    rules = cv2.morphologyEx(marks, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    rules |= cv2.morphologyEx(marks, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    return ink, marks & (1 - rules)


#: Marks narrower than this (points) are letters, or rules; a fill is wider.
LETTER_CONTEXT = 3.0
#: ... and they are this much darker (grey levels) than what lies around them.
LETTER_CONTRAST = 60
#: A straight run of ink this long (points) is a rule: no letter's stroke is.
LETTER_MAX_RUN = 14.0


def _fit_to_letters(letters, word: dict, scale: float) -> None:
    """The word's box across its letters' ink, when OCR's box runs more than a point
    past it (over the edge of a filled cell, or a speck): a word starting a few points
    left of its letters falls in the column before. Never widened."""
    import numpy as np

    box = letters[
        int(word["top"] * scale) : int(word["bottom"] * scale) + 1,
        int(word["x0"] * scale) : int(word["x1"] * scale) + 1,
    ]
    cols = np.flatnonzero(box.any(axis=0))
    if cols.size == 0:
        return
    x0 = int(word["x0"] * scale) + int(cols[0])
    x1 = int(word["x0"] * scale) + int(cols[-1]) + 1
    if x0 / scale - word["x0"] > 1.0:
        word["x0"] = x0 / scale
    if word["x1"] - x1 / scale > 1.0:
        word["x1"] = x1 / scale


#: An OCR line's box is fitted to its letters' ink found up to this share of its height
#: above and below it.
LINE_REACH = 0.4
#: Words whose tops lie further apart than this are on two lines (`group_lines`).
LINE_TOLERANCE = DEFAULT_SETTINGS.layout.line_tolerance


def _fit_lines_to_letters(
    letters, words: list[dict], scale: float, tolerance: float = LINE_TOLERANCE
) -> None:
    """Each OCR line's top set to the top of its letters' ink. OCR sets every word of a line
    on one box, whose top follows the line's tallest letters and the size the text layer
    was fitted in: a line with descenders ("Birmingham") sits 2 or 3 points higher than
    the line of the cell beside it, a line whose box took in a piece of a rule higher
    still, and lines are grouped by their tops: one printed line became two rows. The
    words of one line are those of one box (same top and bottom); the pieces of ink
    (specks left out) centred in the box, looked for within `LINE_REACH` of its height
    above and below, are its letters, ascenders and descenders included (the lines
    above and below reach into the box of a line set close: their ink is centred
    outside it). Only the top moves, and only of lines that `group_lines` would part
    from a line beside them (`tolerance`): a cell's crop (extract/cellocr.py) is drawn
    round OCR's boxes, and grows with them."""
    import cv2

    height, _ = letters.shape
    lines: dict[tuple[float, float], list[dict]] = {}
    for w in words:
        lines.setdefault((w["top"], w["bottom"]), []).append(w)
    fitted: dict[tuple[float, float], float] = {}
    for (top, bottom), same in lines.items():
        y0, y1 = int(top * scale), int(bottom * scale) + 1
        reach = int(LINE_REACH * (y1 - y0))
        z0, z1 = max(0, y0 - reach), min(height, y1 + reach)
        first = None
        for w in same:
            box = letters[z0:z1, int(w["x0"] * scale) : int(w["x1"] * scale) + 1]
            if not box.size:
                continue
            n, _, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8)
            for i in range(1, n):
                if stats[i, cv2.CC_STAT_AREA] < MIN_MARK_INK:
                    continue  # a speck
                a = z0 + int(stats[i, cv2.CC_STAT_TOP])
                b = a + int(stats[i, cv2.CC_STAT_HEIGHT])
                if not y0 <= (a + b) / 2 < y1:
                    continue  # ink of the line above or below, reaching into the box
                first = a if first is None else min(first, a)
        if first is not None:
            fitted[(top, bottom)] = first / scale
    # Only lines that split from a line they share (boxes overlapping over half the
    # shorter's height, tops further apart than lines are grouped by) move.
    moved: set[tuple[float, float]] = set()
    keys = sorted(fitted)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if b[0] >= a[1]:
                break
            shared = min(a[1], b[1]) - max(a[0], b[0])
            if shared > 0.5 * min(a[1] - a[0], b[1] - b[0]) and abs(a[0] - b[0]) > tolerance:
                moved |= {a, b}
    for key in moved:
        for w in lines[key]:  # the top only: lines are grouped by it; the bottom stays
            w["top"] = fitted[key]


#: Inked pixels (at STROKE_DPI) a printed mark has at least: a full stop of 6 pt type.
MIN_MARK_INK = 8


#: A mark's ink spans at least this share of the width of its box: OCR's box of a mark is
#: the mark's own; a speck read as a dash is a dot in a box a dash wide.
MIN_MARK_SPAN = 0.4


def _inked(ink, word: dict, scale: float) -> bool:
    """Does the image hold ink in the word's box, across as much of it as a mark?"""
    import numpy as np

    box = ink[
        int(word["top"] * scale) : int(word["bottom"] * scale) + 1,
        int(word["x0"] * scale) : int(word["x1"] * scale) + 1,
    ]
    if int(box.sum()) < MIN_MARK_INK:
        return False
    cols = np.flatnonzero(box.any(axis=0))
    return int(cols[-1] - cols[0] + 1) >= MIN_MARK_SPAN * box.shape[1]


#: The tallest piece of ink in a word read as letters or digits is at least this share
#: of the word's box: a letter's height (a broken one's half). Specks are a few pixels.
MIN_LETTER_SHARE = 0.35


def _lettered(ink, word: dict, scale: float) -> bool:
    """Does the image hold a letter-sized piece of ink in the word's box? A "word" read
    in the halftone of a shaded cell or in noise has only specks, and shifts the columns
    of the line it joins."""
    import cv2

    box = ink[
        int(word["top"] * scale) : int(word["bottom"] * scale) + 1,
        int(word["x0"] * scale) : int(word["x1"] * scale) + 1,
    ]
    if box.size == 0:
        return True  # no box to judge by
    n, _, stats, _ = cv2.connectedComponentsWithStats(box, connectivity=8)
    tallest = int(stats[1:, 3].max()) if n > 1 else 0
    return tallest >= MIN_LETTER_SHARE * box.shape[0]


def _stroke(ink, word: dict, scale: float) -> float | None:
    """Mean stroke width of a word's letters, in pixels: inked pixels over the pixels
    on the edge of the ink (a stroke w wide has about 2 edge pixels per w inked)."""
    import cv2
    import numpy as np

    box = ink[
        int(word["top"] * scale) : int(word["bottom"] * scale) + 1,
        int(word["x0"] * scale) : int(word["x1"] * scale) + 1,
    ]
    inked = int(box.sum())
    if inked < 20:
        return None
    inner = int(cv2.erode(box, np.ones((3, 3), np.uint8)).sum())
    return inked / max(1, inked - inner)


def settle_words(pages: Sequence[Sequence[dict]]) -> None:
    """The type of the OCR words of a document (its scanned pages' words), in place.

    Size: each line takes the median of its words' sizes (`_type_size`), and line sizes
    closer than 0.6 pt chain into one group, which takes its median: 8 pt lines read
    as 7.4 to 8.7, 10 pt as 9.7 to 10.7, and the engines compare sizes to half a point.

    Weight: OCR gives none, yet headings, header rows and recommendation banners are
    told by it. Bold letters have wider strokes: the words' stroke widths are split in
    two at Otsu's threshold, and when the heavy group's strokes are at least
    `BOLD_CONTRAST` times the others' (a document with no bold splits at about 1.15),
    its words get a bold font name. Words of one size group are split at their own
    threshold when they have one (strokes grow with the type), else the document's.
    """
    from dhrplans.extract.layout import group_lines

    lines = [ln for words in pages for ln in group_lines(list(words))]
    groups = _settle_sizes(lines)
    words = [w for page in pages for w in page]
    cut = _otsu(sorted(w[STROKE] for w in words if w.get(STROKE)))
    # Strokes grow with the type: small bold type (a 6.5 pt header row) has the strokes
    # of regular 10 pt. Within one size the split is its own where it has one.
    for group in groups:
        same = [w for i in group for w in lines[i].words]
        own = _otsu(sorted(w[STROKE] for w in same if w.get(STROKE)))
        for w in same:
            w[STROKE + "_cut"] = own if own is not None else cut
    for w in words:
        stroke = w.pop(STROKE, None)
        at = w.pop(STROKE + "_cut", cut)
        if at is not None and stroke is not None and stroke > at:
            w["fontname"] = f"{w.get('fontname', '')}-OCRBold"
    # Bold words measured again in bold letters' widths: a bold banner row or header in
    # the body's type is then of the body's size, not a heading's.
    if any(w.get("fontname", "").endswith("OCRBold") for w in words):
        for w in words:
            bold = w.get("fontname", "").endswith("OCRBold")
            w["size"] = _type_size(w, "Helvetica-Bold" if bold else "Helvetica")
        _settle_sizes(lines)


def _settle_sizes(lines: Sequence) -> list[list[int]]:
    """Each line's words take the line's median size, and line sizes closer than 0.6 pt
    chain into one group, which takes its median (see `settle_words`). Returns the
    groups, as indexes of `lines`, smallest size first."""
    from statistics import median

    line_size = [median(w["size"] for w in ln.words) for ln in lines]
    order = sorted(range(len(lines)), key=lambda i: line_size[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and line_size[i] - line_size[groups[-1][-1]] < 0.6:
            groups[-1].append(i)
        else:
            groups.append([i])
    for group in groups:
        size = round(median(line_size[i] for i in group), 1)
        for i in group:
            for w in lines[i].words:
                w["size"] = size
    return groups


def _otsu(values: Sequence[float]) -> float | None:
    """The threshold splitting sorted `values` into two groups with the largest
    between-group variance, if the upper group's mean is BOLD_CONTRAST times the lower's."""
    n = len(values)
    if n < 20:
        return None
    total = sum(values)
    best, cut, low_sum = -1.0, None, 0.0
    for i in range(1, n):
        low_sum += values[i - 1]
        if values[i] == values[i - 1]:
            continue
        mean_low, mean_high = low_sum / i, (total - low_sum) / (n - i)
        between = i * (n - i) * (mean_high - mean_low) ** 2
        if between > best:
            best, cut = between, (values[i - 1] + values[i]) / 2
            contrast = mean_high / mean_low if mean_low else 0.0
    if cut is None or contrast < BOLD_CONTRAST:
        return None
    return cut


def mend_repeated_headers(tables: Sequence, min_ratio: float = 80.0) -> int:
    """A table running over scanned pages repeats its header row on each, and OCR reads
    each copy with its own slips ("Outcome/Progress", "Outcomel/progress"). Runs of
    tables on consecutive pages whose first rows have the same cells, each nearly the
    same text (but one, in a row of four labels or more that reads 90% the same), are
    one header: each cell takes the text most of the copies read
    (the first copy's on a tie). Only tables from scanned pages are changed. Returns
    how many cells were changed."""
    from rapidfuzz import fuzz

    def shape(table) -> tuple:
        return tuple((c.col, c.colspan) for c in table.rows[0].cells) if table.rows else ()

    def same(a, b) -> bool:
        if shape(a) != shape(b) or b.page <= a.page or b.page > a.page + 1:
            return False
        pairs = list(zip(a.rows[0].cells, b.rows[0].cells))
        filled = sum(1 for x, _ in pairs if x.text.strip())
        # One short label may be misread past recognition ("Ref" as "Ret") when the
        # rest of the row reads the same.
        off = sum(1 for x, y in pairs if fuzz.ratio(x.text, y.text) < min_ratio)
        whole = fuzz.ratio(
            " | ".join(x.text for x, _ in pairs), " | ".join(y.text for _, y in pairs)
        )
        return filled >= 2 and (off == 0 or (off == 1 and filled >= 4 and whole >= 90.0))

    runs: list[list] = []
    for table in tables:
        if runs and same(runs[-1][-1], table):
            runs[-1].append(table)
        else:
            runs.append([table])
    changed = 0
    for run in runs:
        if len(run) < 2 or not any(t.engine.endswith(SUFFIX) for t in run):
            continue
        for i in range(len(run[0].rows[0].cells)):
            copies = [t.rows[0].cells[i] for t in run]
            texts = [c.text for c in copies]
            best = max(texts, key=lambda t: (texts.count(t), -texts.index(t)))
            source = copies[texts.index(best)]
            for table, cell in zip(run, copies):
                if cell.text != best and table.engine.endswith(SUFFIX):
                    dx, dy = cell.bbox[0] - source.bbox[0], cell.bbox[1] - source.bbox[1]
                    cell.lines = [
                        replace(
                            ln, x0=ln.x0 + dx, x1=ln.x1 + dx, top=ln.top + dy, bottom=ln.bottom + dy
                        )
                        for ln in source.lines
                    ]
                    changed += 1
    return changed


#: A scanned page lies up to this far (points) across from the page before: each page is
#: placed on the scanner, and straightened, on its own.
MAX_PAGE_SHIFT = 24.0
#: A phrase starts at a column when it is within this (points) of the column's start.
SHIFT_FIT = 1.5


def page_shift(starts: Sequence[float], phrase_starts: Sequence[float]) -> float:
    """How far (points, along the line) a scanned page's columns lie from `starts`, the
    column starts carried from the page before: the shift that starts the most of the
    page's phrases at a column (within `SHIFT_FIT`), and of those the one that starts
    them closest; 0 when no shift starts more of them than none. A table running over
    scanned pages has its columns where the last page had them, but for where each
    page lay on the scanner."""
    if not starts or not phrase_starts:
        return 0.0

    def fit(dx: float) -> tuple[int, float]:
        near = [min(abs(p - s - dx) for s in starts) for p in phrase_starts]
        close = [d for d in near if d <= SHIFT_FIT]
        return len(close), -sum(close)

    steps = round(MAX_PAGE_SHIFT * 4)
    best = max((k / 4 for k in range(-steps, steps + 1)), key=lambda dx: (fit(dx), -abs(dx)))
    return best if fit(best)[0] > fit(0.0)[0] else 0.0


# ----------------------------------------------------------------------- tables

#: camelot lattice settings for page images: rules in a scan are broken by noise and
#: thinned by the threshold, so shorter line elements (page size / 40: about 60 px at
#: camelot's 300 dpi) and a wider, stricter adaptive threshold than for clean renders.
#: A rule left turned a little (OCRmyPDF's deskew is a few tenths of a degree off now and
#: then, and turns a straight page) is found as pieces 2 to 3 points apart: grid lines
#: closer than 4 points are one (`line_tol`; no row of text is that thin).
SCAN_LATTICE = {
    "line_scale": 40,
    "threshold_blocksize": 31,
    "threshold_constant": -5,
    "line_tol": 4,
}


def scan_tables(path: str | Path, page_number: int, page_height: float, words: Sequence[dict]):
    """Ruled tables of a scanned page: camelot lattice finds the grid in the page image
    (settings for scans); which grid lines are really ruled, cell by cell, is read from
    the image again (`RuleMask`), as noise breaks camelot's line segments; cell
    text comes from the page's OCR words, as in extract/camelot_engine.py."""
    from dhrplans.extract.camelot_engine import camelot_tables

    rules: list[RuleMask] = []

    def mark_edges(cells, height: float) -> None:
        if not rules:
            rules.append(RuleMask(path, page_number))  # rendered only when a grid is found
        rules[0].mark_edges(cells, height)

    tables = camelot_tables(
        path,
        page_number,
        page_height,
        words,
        settings=SCAN_LATTICE,
        mark_edges=mark_edges,
        engine=CAMELOT.name + SUFFIX,
    )
    # The edges of filled cells (RAG colours) between rules across are a grid to camelot:
    # a table is ruled down when some rule between its columns is a line on paper.
    return [t for t in tables if t.n_cols < 2 or rules[0].ruled_down(t)]


def render_grey(path: str | Path, page_number: int, dpi: float):
    """Page `page_number` (1-based) of the PDF rendered at `dpi` as a greyscale array."""
    import numpy as np
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        bitmap = doc[page_number - 1].render(scale=dpi / 72, grayscale=True)
        return np.asarray(bitmap.to_pil().convert("L"))
    finally:
        doc.close()


#: Horizontal rules of a scanned page (`scan_hrules`): dark runs at least this long
#: (points; no letter or underlined word of a cell is) and at most this thick (a shaded
#: row or a dark banner is thicker).
HRULE_MIN_LENGTH = 72.0
HRULE_MAX_THICKNESS = 4.0
HRULE_DPI = 150
#: Share of every stretch of a rule (a quarter of HRULE_MIN_LENGTH) that must be ink.
HRULE_COVER = 0.9


def scan_hrules(path: str | Path, page_number: int) -> list[tuple[float, float, float]]:
    """The horizontal rules printed on a scanned page, as (y, x0, x1) in points, as the
    text engine takes drawn rules from a born-digital page: rules between rows (a table
    ruled across only) split its rows where a wrapped line or OCR's glued words cannot.

    Found in the page image (OCRmyPDF deskewed it) as thin runs of ink that hold up
    along their length, whatever a scan did to them:

    * a hairline resampled falls across two rows of pixels, each too light to be ink:
      a pixel is ink when it, or it with the pixel above or below, is dark enough;
    * noise and a threshold leave a thin rule dotted with breaks of a pixel or two: a
      run is ink over `HRULE_COVER` of every stretch a quarter of `HRULE_MIN_LENGTH`
      long, not over all of it (letters and words cover far less of a line);
    * a dark fill (a RAG cell printed in colour, black on a black-and-white scan) that
      the rule runs into is no part of it: fills (ink thicker than any rule) are taken
      out first, and the rule's pieces either side of one are joined across it.
    """
    import cv2
    import numpy as np

    grey = render_grey(path, page_number, HRULE_DPI)
    paper = float(np.median(grey))
    dark = paper - grey.astype(np.float32)
    pair = np.maximum(
        *(
            cv2.boxFilter(
                dark, -1, (1, 2), anchor=(0, a), normalize=False, borderType=cv2.BORDER_CONSTANT
            )
            for a in (0, 1)
        )
    )
    ink = (np.maximum(dark, np.minimum(pair, paper)) > max(paper - 160.0, 60.0)).astype(np.uint8)
    scale = HRULE_DPI / 72
    thick = round(HRULE_MAX_THICKNESS * scale) + 4  # pixels: a residual skew, the pair
    fill = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8))
    fill = cv2.dilate(fill, np.ones((3, 3), np.uint8))
    ink &= 1 - fill
    run = round(HRULE_MIN_LENGTH * scale / 4)
    cover = cv2.boxFilter(
        ink.astype(np.float32), -1, (run, 1), normalize=True, borderType=cv2.BORDER_CONSTANT
    )
    # the stretches that hold up, grown back to the ink they cover
    kept = cv2.dilate((cover >= HRULE_COVER).astype(np.uint8), np.ones((1, run), np.uint8)) & ink
    n, _, stats, _ = cv2.connectedComponentsWithStats(kept, connectivity=8)
    pieces = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if h <= thick:
            pieces.append(((y + (h - 1) / 2) / scale, x / scale, (x + w) / scale))
    rules: list[list[float]] = []
    for y, x0, x1 in sorted(pieces, key=lambda p: p[1]):
        for r in rules:
            across = fill[int(y * scale), int(r[2] * scale) : int(x0 * scale)]
            if abs(r[0] - y) <= 1.5 and (
                x0 - r[2] <= 6.0  # the same rule, a gap of noise
                or (across.size > 0 and float(across.mean()) >= 0.8)  # or a fill
            ):
                r[2] = max(r[2], x1)
                break
        else:
            rules.append([y, x0, x1])
    return sorted(
        (round(y, 2), round(x0, 2), round(x1, 2))
        for y, x0, x1 in rules
        if x1 - x0 >= HRULE_MIN_LENGTH
    )


#: A run of ink across a line of words, from the top of their box to this share of its
#: height above its foot, is their letters' ink, not a rule ...
RULE_IN_TEXT_FOOT = 0.25
#: ... when their boxes cover this share of its length or more (a rule runs on past
#: its cells' words, across the gutters between them).
RULE_IN_TEXT_COVER = 0.9


def rules_off_text(
    rules: Sequence[tuple[float, float, float]], words: Sequence[dict]
) -> list[tuple[float, float, float]]:
    """`rules` (from `scan_hrules`) without the runs of ink that are a line of text: in a
    long word of heavy serif type the serifs along the tops of the letters or their
    baseline make a run as long and as solid as a rule (a bold header label
    "recommendation" split the header row in two). A run is text when words lie over
    nearly all its length (`RULE_IN_TEXT_COVER`), on a line whose box holds it above its
    last quarter (the descenders). A rule under text set close to it (a descender
    crossing it) lies at the foot of the words' boxes; a rule across a table runs on
    past its cells' words and across the gutters between them (a line whose box a rule
    crosses, Tesseract having taken the rule into it, covers no more of it than its
    words)."""
    kept = []
    for y, x0, x1 in rules:
        over = sorted(
            (max(x0, w["x0"]), min(x1, w["x1"]))
            for w in words
            if w["top"] - 0.5 < y < w["bottom"] - RULE_IN_TEXT_FOOT * (w["bottom"] - w["top"])
            and w["x1"] > x0
            and w["x0"] < x1
            and sum(ch.isalnum() for ch in w["text"]) >= 2
        )
        covered, reach = 0.0, x0
        for a, b in over:
            covered += max(0.0, b - max(a, reach))
            reach = max(reach, b)
        if covered < RULE_IN_TEXT_COVER * (x1 - x0):
            kept.append((y, x0, x1))
    return kept


class RuleMask:
    """The ruling lines of a page image: dark runs at least 6 points long across, 10
    points down (letters are shorter and vanish), found by morphological openings of
    the inked pixels. Thin rules that noise left broken still show as runs once the
    page is rendered at 150 dpi with a lenient ink threshold."""

    DPI = 150
    RUN_ACROSS = 6.0  # points: shortest piece of a horizontal rule kept
    RUN_DOWN = 10.0  # points: of a vertical rule (taller than a letter's stroke)
    BAND = 8  # pixels either side of camelot's grid line searched for its rule: a page
    # straightened to a tenth of a degree still has a rule 2 to 3 points off at the far end
    COVER = 0.6  # share of a cell edge that must be ruled
    CONTEXT = 9  # pixels: the square a rule's darkness is measured against
    CONTRAST = 20  # grey levels darker than around it
    DARK = 128  # grey level: darker than this is ink wherever it is
    THICK = 4.0  # points: ink this thick every way is a fill, no rule
    DOTTED_CLEAR = 3  # pixels: paper this far above and below a dotted rule's row

    def __init__(self, path: str | Path, page_number: int):
        import cv2
        import numpy as np

        grey = render_grey(path, page_number, self.DPI)
        # Ink darker than what lies around it (a black-hat transform): a rule on paper or
        # over a shaded row, but not a light shading (a banner row's grey ground would
        # rule every grid line through it, and split the banner across the columns). A
        # dark fill (a header row printed light on dark) is ink: its cells are not merged.
        around = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, np.ones((self.CONTEXT,) * 2, np.uint8))
        ink = (around.astype(np.int16) - grey > self.CONTRAST) | (grey < self.DARK)
        ink = ink.astype(np.uint8)
        self.scale = self.DPI / 72

        def opened(shape: tuple[int, int]):
            return cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones(shape, np.uint8))

        run = round(self.RUN_ACROSS * self.scale)
        self.horizontal = opened((1, run)) | self._dotted_rules(ink, run)
        self.vertical = opened((round(self.RUN_DOWN * self.scale), 1))
        self._ink = ink
        self._thin = None

    def _dotted_rules(self, ink, run: int):
        """Horizontal rules the scan left dotted: a hairline scanned in black and white
        and straightened comes out as every other pixel of its row, with no run of ink
        as long as `RUN_ACROSS`. Gaps of a pixel or two closed, a row's ink is a rule
        where the rows `DOTTED_CLEAR` pixels above and below it are paper, along at
        least `RUN_ACROSS`: a rule is one thin line on paper, while the letters of a line
        of text, their gaps closed too, stand over or under any row of their ink every
        few pixels."""
        import cv2
        import numpy as np

        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 3), np.uint8))
        near = cv2.dilate(ink, np.ones((1, 3), np.uint8))
        off = self.DOTTED_CLEAR
        above = np.zeros_like(ink)
        above[off:] = near[:-off]
        below = np.zeros_like(ink)
        below[:-off] = near[off:]
        alone = closed & (1 - above) & (1 - below)
        return cv2.morphologyEx(alone, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))

    def ruled_down(self, table) -> bool:
        """Is some line between the table's columns ruled, over half the table's height,
        by a thin line (paper either side of it), not by the edge of a filled cell?"""
        import cv2
        import numpy as np

        if self._thin is None:
            # the inked lines without the fills (ink thicker than a rule) they edge
            thick = round(self.THICK * self.scale)
            fill = cv2.morphologyEx(self._ink, cv2.MORPH_OPEN, np.ones((thick, thick), np.uint8))
            fill = cv2.dilate(fill, np.ones((5, 5), np.uint8))
            thin = self._ink & (1 - fill)
            run = round(self.RUN_DOWN * self.scale)
            self._thin = cv2.morphologyEx(thin, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
        s = self.scale
        top, bottom = table.bbox[1] * s, table.bbox[3] * s
        return any(
            self._covered(self._thin, x * s, top, bottom, across=False, cover=0.5)
            for x in table.col_edges[1:-1]
        )

    def _covered(
        self, mask, at: float, start: float, end: float, across: bool, cover: float | None = None
    ) -> bool:
        """Is the line at `at` (pixels) ruled from `start` to `end` (pixels), over `cover`
        of it (default `COVER`)?"""
        lo, hi = round(start) + self.BAND, round(end) - self.BAND
        if hi <= lo:
            return True
        c = round(at)
        if across:  # a horizontal line: rows around `at`, columns lo..hi
            band = mask[max(0, c - self.BAND) : c + self.BAND + 1, lo:hi]
            hits = band.any(axis=0)
        else:
            band = mask[lo:hi, max(0, c - self.BAND) : c + self.BAND + 1]
            hits = band.any(axis=1)
        return bool(hits.size) and float(hits.mean()) >= (self.COVER if cover is None else cover)

    def mark_edges(self, grid, page_height: float) -> None:
        """Set camelot's cell edge flags (left/right/top/bottom) from the image."""
        s = self.scale
        for row in grid:
            for cell in row:
                x0, x1 = cell.x1 * s, cell.x2 * s
                top, bottom = (page_height - cell.y2) * s, (page_height - cell.y1) * s
                cell.top = self._covered(self.horizontal, top, x0, x1, True)
                cell.bottom = self._covered(self.horizontal, bottom, x0, x1, True)
                cell.left = self._covered(self.vertical, x0, top, bottom, False)
                cell.right = self._covered(self.vertical, x1, top, bottom, False)


# ------------------------------------------------------------------------ running


def unavailable() -> str | None:
    """Why OCR cannot run here (one line, with what to install), or None."""
    reason = tesseract_missing()
    if reason:
        return reason
    if importlib.util.find_spec("ocrmypdf") is None:
        return "OCRmyPDF is not installed: pip install ocrmypdf (or `make setup`)"
    return None


def tesseract_missing() -> str | None:
    """Why Tesseract (with its English data) cannot be used, or None."""
    langs = tesseract_languages()
    if isinstance(langs, str):
        return langs
    if LANGUAGE not in langs:
        return f"Tesseract has no English data (tesseract-ocr-eng): {INSTALL}"
    return None


@lru_cache(maxsize=1)
def tesseract_languages() -> frozenset[str] | str:
    """The data Tesseract has ("eng", "osd" for page orientation...), or why it
    cannot run."""
    exe = shutil.which("tesseract")
    if exe is None:
        return f"Tesseract OCR is not installed: {INSTALL}"
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"Tesseract does not run ({type(exc).__name__}): {INSTALL}"
    return frozenset((done.stdout + "\n" + done.stderr).split())


def _die_with_parent():
    """A function for the child to run before exec: ask the kernel to kill it when the
    process that started it dies (a worker killed on its time limit), so that OCR does
    not outlive it. Resolved here, in the parent: the child only calls it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def ocr_pdf(
    source: str | Path,
    target: str | Path,
    pages: Sequence[int],
    *,
    jobs: int | None = None,
    timeout: float | None = None,
) -> None:
    """OCR `pages` (1-based) of `source` into `target`; the other pages are copied.

    Raises OcrError with a one-line reason when OCR is unavailable or fails.
    """
    reason = unavailable()
    if reason:
        raise OcrError(reason)
    if not pages:
        raise OcrError("no pages to OCR")
    if before_ocr is not None:
        before_ocr(len(set(pages)))
    jobs = jobs or max(1, min(len(pages), os.cpu_count() or 1))
    timeout = timeout or SECONDS_PER_PAGE * len(pages) / jobs + 60.0
    # a page scanned sideways or upside down is turned upright, with Tesseract's
    # orientation data (tesseract-ocr-osd)
    rotate = "osd" in tesseract_languages()
    _ocrmypdf(source, target, pages, jobs, timeout, rotate)
    if rotate:
        _read_unturned(source, target, pages, jobs, timeout)


#: Share of a page's words that are words (`cellocr.plausibility`) below which the page
#: may have been read turned the wrong way.
TURNED_PLAUSIBLE = 0.5


def _read_unturned(
    source: str | Path, target: str | Path, pages: Sequence[int], jobs: int, timeout: float
) -> None:
    """Pages OCRmyPDF turned upside down that were upright, read again as they lie, in
    `target`. Tesseract's guess of a page's orientation is weak on pages of tables in
    small type: an upright page read "180" at confidence 5.0, and the same page turned
    read "0" at 6.4; a page read upside down is made of non-words ("Buipurysaspun").
    Each page of `target` whose words are mostly no words (`TURNED_PLAUSIBLE`) is OCR'd
    again without turning, and the reading with more words is kept."""
    import pdfplumber
    import pikepdf

    def plausible(path: str | Path, numbers: Sequence[int]) -> dict[int, tuple[float, int]]:
        found = {}
        with pdfplumber.open(path) as pdf:
            for n in numbers:
                words = [w["text"] for w in pdf.pages[n - 1].extract_words()]
                found[n] = (plausibility(" ".join(words)), len(words))
        return found

    read = plausible(target, sorted(set(pages)))
    # a page of a few words (a stamp, a blank page's specks) says nothing either way
    doubtful = [n for n, (share, k) in read.items() if k >= MIN_WORDS and share < TURNED_PLAUSIBLE]
    if not doubtful:
        return
    if before_ocr is not None:
        before_ocr(len(doubtful))
    again = Path(target).with_name(Path(target).stem + "-unturned.pdf")
    try:
        _ocrmypdf(source, again, doubtful, jobs, timeout, rotate=False)
    except OcrError:
        # a second reading that fails or runs out of time leaves the first one, which
        # read the whole document: a doubt about some pages, not a lost document
        again.unlink(missing_ok=True)
        return
    better = [n for n, (share, _) in plausible(again, doubtful).items() if share > read[n][0]]
    if better:
        with pikepdf.open(target, allow_overwriting_input=True) as out, pikepdf.open(again) as un:
            for n in better:
                out.pages.insert(n - 1, un.pages[n - 1])
                del out.pages[n]
            out.save(target)
    again.unlink(missing_ok=True)


def _ocrmypdf(
    source: str | Path,
    target: str | Path,
    pages: Sequence[int],
    jobs: int,
    timeout: float,
    rotate: bool,
) -> None:
    """OCRmyPDF on `pages` of `source` into `target`, turning pages upright by
    Tesseract's orientation guess when `rotate`. Raises OcrError."""
    turn = ["--rotate-pages", "--rotate-pages-threshold", str(ROTATE_CONFIDENCE)] if rotate else []
    cmd = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--force-ocr",  # the pages chosen are images: rasterise them whatever they hold
        "--pages",
        ",".join(str(p) for p in sorted(set(pages))),
        "--deskew",
        "--output-type",
        "pdf",  # no PDF/A: no Ghostscript
        "--optimize",
        "0",
        "--language",
        LANGUAGE,
        "--jobs",
        str(jobs),
        "--tesseract-timeout",
        str(int(SECONDS_PER_PAGE)),
        "--quiet",
        *turn,
        str(source),
        str(target),
    ]
    # Its work files go next to `target`: a killed run leaves nothing elsewhere.
    env = dict(os.environ, MALLOC_ARENA_MAX="2", TMPDIR=str(Path(target).resolve().parent))
    try:
        done = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent(),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR timed out after {timeout:.0f} s") from None
    except OSError as exc:
        raise OcrError(f"OCR could not start: {exc.strerror or exc}") from None
    if done.returncode != 0 or not Path(target).is_file():
        lines = [ln.strip() for ln in done.stderr.splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit code {done.returncode}"
        raise OcrError(f"OCRmyPDF failed: {detail}"[:300])

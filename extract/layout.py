"""Words to lines and phrases: the small geometry every table engine needs.

Words come from pdfplumber's ``extract_words`` (dicts with x0, x1, top, bottom,
text, fontname, size). Everything here is pure and works on lists of those dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from statistics import median

import numpy as np
from dhrplans.extract.model import BBox, TextLine

from dhrplans.settings import DEFAULT_SETTINGS

Word = dict  # a pdfplumber word dict


@dataclass(slots=True)
class PageLine:
    """A line of words across the page (may cross several table columns). Its measures
    are computed once, when first asked (the engines ask for them many times): its words
    are not changed after the line is made."""

    words: list[Word]
    _top: float | None = field(default=None, init=False, repr=False, compare=False)
    _bottom: float | None = field(default=None, init=False, repr=False, compare=False)
    _x1: float | None = field(default=None, init=False, repr=False, compare=False)
    _size: float | None = field(default=None, init=False, repr=False, compare=False)
    _bold: bool | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def top(self) -> float:
        if self._top is None:
            self._top = min(w["top"] for w in self.words)
        return self._top

    @property
    def bottom(self) -> float:
        if self._bottom is None:
            self._bottom = max(w["bottom"] for w in self.words)
        return self._bottom

    @property
    def x0(self) -> float:
        return self.words[0]["x0"]

    @property
    def x1(self) -> float:
        if self._x1 is None:
            self._x1 = max(w["x1"] for w in self.words)
        return self._x1

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)

    @property
    def size(self) -> float:
        if self._size is None:
            self._size = round(median(w.get("size", 0.0) for w in self.words), 1)
        return self._size

    @property
    def bold(self) -> bool:
        if self._bold is None:
            self._bold = is_bold(self.words)
        return self._bold


def is_contents_entry(line: PageLine, gap_ems: float) -> bool:
    """A line of a table of contents: an entry, then its page number at the line's end,
    set apart by a tab's gap (at least `gap_ems` of the type size) or by dot leaders."""
    if len(line.words) < 2 or not _is_page_number(line.words[-1]["text"]):
        return False
    before = line.words[-2]
    if is_leader(before["text"]):
        return True
    gap = line.words[-1]["x0"] - before["x1"]
    return gap >= gap_ems * max(line.size, 1.0)


def is_leader(text: str) -> bool:
    """Dot (or dash, underscore) leaders between a contents entry and its page number."""
    return len(text) >= 3 and set(text) <= set("._-\u2026\u00b7 ")


def _is_page_number(text: str) -> bool:
    return text.isdigit() and len(text) <= 3


def is_contents_entry_text(parts: Sequence[str]) -> bool:
    """A paragraph of a table of contents typed with a tab stop (Word's parts between
    tabs): an entry, then its page number (after dot leaders, or in a part of its own)."""
    kept = [p.strip() for p in parts if p.strip() and not is_leader(p.strip())]
    return len(kept) >= 2 and _is_page_number(kept[-1])


def is_bold(words: Sequence[Word]) -> bool:
    """Most characters set in a bold (or black/heavy) font."""
    if not words:
        return False
    heavy = sum(len(w["text"]) for w in words if _bold_font(w.get("fontname", "")))
    return heavy * 2 > sum(len(w["text"]) for w in words)


@lru_cache(maxsize=1024)
def _bold_font(fontname: str) -> bool:
    name = fontname.lower()
    return any(mark in name for mark in ("bold", "black", "heavy", "semibold"))


class _Rounded(dict):
    """`round(v, ndigits)` of the numbers met, remembered: a page's words share few
    distinct coordinates, and Python's correctly rounded `round` costs far more than a
    look-up. Keeps nonzero floats only (an int or a -0.0 would find the entry of an
    equal float and get that float's result), a bounded number of them."""

    __slots__ = ("ndigits",)

    def __init__(self, ndigits: int) -> None:
        super().__init__()
        self.ndigits = ndigits

    def __missing__(self, value: float) -> float:
        out = round(value, self.ndigits)
        if type(value) is float and value == value and value != 0:
            if len(self) >= 1 << 16:
                self.clear()
            self[value] = out
        return out

    def of(self, value: float) -> float:
        """Exactly `round(value, ndigits)`, the type of `value` kept."""
        return self[value] if type(value) is float and value != 0 else round(value, self.ndigits)


_ROUND1 = _Rounded(1)
_ROUND2 = _Rounded(2)
_ROUND3 = _Rounded(3)
_X0, _X1, _TOP, _BOTTOM = (itemgetter(k) for k in ("x0", "x1", "top", "bottom"))


def _line_order(word: Word) -> tuple[float, float]:
    # Equal to (round(top, 1), x0) as a sort key: an int's or a zero's entry, where one
    # finds an equal float's, is an equal number.
    return _ROUND1[word["top"]], word["x0"]


def group_lines(
    words: Iterable[Word], tolerance: float = DEFAULT_SETTINGS.layout.line_tolerance
) -> list[PageLine]:
    """Cluster words into lines by their top, left to right, top to bottom."""
    return [PageLine(ws) for ws in _line_words(words, tolerance)]


def _line_words(words: Iterable[Word], tolerance: float) -> list[list[Word]]:
    """`group_lines`' lines as lists of words."""
    lines: list[list[Word]] = []
    current: list[Word] = []
    first_top = 0.0
    for word in sorted(words, key=_line_order):
        top = word["top"]
        if current and abs(top - first_top) <= tolerance:
            current.append(word)
        else:
            current = [word]
            first_top = top
            lines.append(current)
    return [sorted(ws, key=_X0) for ws in lines]


def space_width(words: Sequence[Word]) -> float:
    """Typical gap between words on a line (the width of a space)."""
    gaps = []
    for line in group_lines(words):
        ws = line.words
        gaps.extend(b["x0"] - a["x1"] for a, b in zip(ws, ws[1:]) if b["x0"] > a["x1"])
    gaps = [g for g in gaps if g < 6.0]
    return median(gaps) if gaps else 2.2


def split_phrases(line: PageLine, gap: float) -> list[list[Word]]:
    """Split a line where the gap between words is wider than `gap` (a column gutter)
    and than a word space of the line's own type (`LayoutSettings.gutter_em`)."""
    gap = max(gap, DEFAULT_SETTINGS.layout.gutter_em * line.size)
    phrases: list[list[Word]] = [[line.words[0]]]
    # the gap is measured from the furthest right any word before reached: a word in
    # another font can overprint its neighbours ("(", "✓✗" over "/", ")")
    reach = line.words[0]["x1"]
    for word in line.words[1:]:
        if word["x0"] - reach > gap:
            phrases.append([word])
        else:
            phrases[-1].append(word)
        reach = max(reach, word["x1"])
    return phrases


def char_width(words: Sequence[Word]) -> float:
    chars = sum(len(w["text"]) for w in words)
    width = sum(w["x1"] - w["x0"] for w in words)
    return width / chars if chars else 4.0


def text_lines(words: Sequence[Word]) -> list[TextLine]:
    """The printed lines of one cell, with the geometry needed to mend broken words."""
    out = []
    for ws in _line_words(words, DEFAULT_SETTINGS.layout.line_tolerance):
        out.append(
            TextLine(
                text=" ".join([w["text"] for w in ws]),
                x0=_ROUND2.of(ws[0]["x0"]),
                x1=_ROUND2.of(max(map(_X1, ws))),
                top=_ROUND2.of(min(map(_TOP, ws))),
                bottom=_ROUND2.of(max(map(_BOTTOM, ws))),
                char_width=_ROUND3.of(char_width(ws)),
            )
        )
    return out


def words_in(words: Iterable[Word] | WordIndex, bbox: BBox, slack: float = 1.0) -> list[Word]:
    """Words whose centre lies inside bbox, in their order (a `WordIndex` of a page's
    words answers without a scan over all of them)."""
    if isinstance(words, WordIndex):
        return words.within(bbox, slack)
    x0, top, x1, bottom = bbox
    out = []
    for w in words:
        cx = (w["x0"] + w["x1"]) / 2
        cy = (w["top"] + w["bottom"]) / 2
        if x0 - slack <= cx <= x1 + slack and top - slack <= cy <= bottom + slack:
            out.append(w)
    return out


class WordIndex:
    """A page's words sorted by the x of their centre, for "which words lie in this
    cell": a binary search for the cell's columns, then a test of the few words
    there. Gives what `words_in` gives over the list (same arithmetic, same order)."""

    __slots__ = ("words", "_order", "_cx", "_cy")

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = list(words)
        n = len(self.words)
        x0 = np.fromiter((w["x0"] for w in self.words), np.float64, n)
        x1 = np.fromiter((w["x1"] for w in self.words), np.float64, n)
        top = np.fromiter((w["top"] for w in self.words), np.float64, n)
        bottom = np.fromiter((w["bottom"] for w in self.words), np.float64, n)
        cx = (x0 + x1) / 2
        self._order = np.argsort(cx, kind="stable")
        self._cx = cx[self._order]
        self._cy = ((top + bottom) / 2)[self._order]

    def within(self, bbox: BBox, slack: float = 1.0) -> list[Word]:
        x0, top, x1, bottom = bbox
        lo = np.searchsorted(self._cx, x0 - slack, side="left")
        hi = np.searchsorted(self._cx, x1 + slack, side="right")
        if hi <= lo:
            return []
        cy = self._cy[lo:hi]
        hit = self._order[lo:hi][(top - slack <= cy) & (cy <= bottom + slack)]
        hit.sort()
        words = self.words
        return [words[i] for i in hit.tolist()]


def next_word_fits(end: float, right: float, word: Word, size: float, settings) -> bool:
    """Word wraps a line only when its next word does not fit: `word` (a space of the
    line's type `size` before it) would still fit between a line ending at `end` and the
    text's right edge `right` (`settings`: LayoutSettings' wrap_space_share and
    wrap_fit_slack)."""
    need = settings.wrap_space_share * size + (word["x1"] - word["x0"])
    return right - end >= need + settings.wrap_fit_slack


def union_bbox(boxes: Iterable[BBox]) -> BBox:
    boxes = list(boxes)
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def word_bbox(words: Sequence[Word]) -> BBox:
    return union_bbox((w["x0"], w["top"], w["x1"], w["bottom"]) for w in words)

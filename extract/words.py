"""pdfplumber's word grouping on columns of characters, vectorised with numpy.

pdfplumber's `WordExtractor` walks one dict per character in Python; on a page of
several thousand characters that is most of the cost of reading it. `CharColumns`
holds the same characters as arrays, and `extract_words` groups them by the same
rules, with the same arithmetic, for the settings this project uses (upright text,
left to right, absolute tolerances, blanks split words, no punctuation split):

1. runs of consecutive characters (content-stream order) sharing `upright` and the
   `extra_attrs` (pdfplumber's `itertools.groupby`);
2. in each run, lines: the distinct `top` values sorted and chained while each is
   within `y_tolerance` of the last (`cluster_objects`, `x <= last + tolerance`);
   a line's characters in stream order, then sorted by `x0` (both sorts stable);
3. in each line, a blank ends a word, and a character starts one when it lies left
   of the previous one's `x0`, more than `x_tolerance` right of its `x1`, or more
   than `y_tolerance` above or below its `top`;
4. a word's box is the union of its characters', its text theirs with ligatures
   expanded, `doctop`, `upright` and the extra attributes its first character's.

Characters that are not upright (text turned sideways: a narrow cell's label) are
few: their runs go to pdfplumber's own extractor, on dicts of those characters only,
and their words take their run's place among the others. Other settings (tolerance
ratios, text flow...) return None: the caller then runs pdfplumber's own extractor.
`tests/test_words.py` checks the words equal pdfplumber's on every page of the corpus
and the fixtures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from pdfplumber.utils.text import (
    DEFAULT_X_TOLERANCE,
    DEFAULT_Y_TOLERANCE,
    LIGATURES,
    WordExtractor,
)

#: Character attributes a word may copy from its first character (`extra_attrs`).
EXTRA_ATTRS = ("fontname", "size")
#: Keyword arguments of pdfplumber's `extract_words` understood here.
_KWARGS = {"extra_attrs", "x_tolerance", "y_tolerance"}


@dataclass(slots=True)
class CharColumns:
    """A page's characters, one array per attribute, in content-stream order."""

    text: list[str]
    fontname: list[str]
    x0: np.ndarray
    x1: np.ndarray
    top: np.ndarray
    bottom: np.ndarray
    doctop: np.ndarray
    size: np.ndarray
    upright: np.ndarray  # bool
    #: Optional: each character's font name as a number (equal names, equal numbers).
    font_code: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.text)

    @classmethod
    def from_dicts(cls, chars: Sequence[dict]) -> CharColumns:
        """Columns of pdfplumber's character dicts (for tests and comparisons)."""

        def column(key: str, dtype=np.float64) -> np.ndarray:
            return np.fromiter((c[key] for c in chars), dtype, len(chars))

        return cls(
            text=[c["text"] for c in chars],
            fontname=[c["fontname"] for c in chars],
            x0=column("x0"),
            x1=column("x1"),
            top=column("top"),
            bottom=column("bottom"),
            doctop=column("doctop"),
            size=column("size"),
            upright=column("upright", bool),
        )


def _codes(values: list[Any]) -> np.ndarray:
    """Each value's index among the distinct values (equal values, equal codes)."""
    index: dict[Any, int] = {}
    return np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))


def extract_words(chars: CharColumns, **kwargs: Any) -> list[dict] | None:
    """pdfplumber's `extract_words(chars, **kwargs)`, or None where these settings or
    characters are not the ones handled here (see the module docstring)."""
    if set(kwargs) - _KWARGS:
        return None
    extra = list(kwargs.get("extra_attrs") or [])
    if any(attr not in EXTRA_ATTRS for attr in extra):
        return None
    x_tol = kwargs.get("x_tolerance", DEFAULT_X_TOLERANCE)
    y_tol = kwargs.get("y_tolerance", DEFAULT_Y_TOLERANCE)
    n = len(chars)
    if n == 0:
        return []
    if not all(chars.text):
        return None  # an empty text is a "punctuation" split in pdfplumber
    top, x0, x1 = chars.top, chars.x0, chars.x1
    # 1. runs of characters alike in the grouping attributes
    starts_run = np.zeros(n, dtype=bool)
    starts_run[0] = True
    starts_run[1:] |= chars.upright[1:] != chars.upright[:-1]
    if "fontname" in extra:
        font = chars.font_code if chars.font_code is not None else _codes(chars.fontname)
        starts_run[1:] |= font[1:] != font[:-1]
    if "size" in extra:
        starts_run[1:] |= chars.size[1:] != chars.size[:-1]
    run = np.cumsum(starts_run)
    rotated = _rotated_words(chars, run, x_tol, y_tol, extra)
    ups = np.flatnonzero(chars.upright)
    m = len(ups)
    if m == 0:
        return [w for _, w in rotated]
    # 2. lines: within a run, tops sorted, a new line where one is beyond the last + tol
    urun, utop = run[ups], top[ups]
    by_top = np.lexsort((utop, urun))
    t = utop[by_top]
    new_line = np.ones(m, dtype=bool)
    new_line[1:] = (urun[by_top][1:] != urun[by_top][:-1]) | ~(t[1:] <= t[:-1] + y_tol)
    line = np.empty(m, dtype=np.int64)
    line[by_top] = np.cumsum(new_line)
    # line by line, left to right, stable
    order = ups[np.lexsort((np.arange(m), x0[ups], line))]
    line_of = np.empty(n, dtype=np.int64)
    line_of[ups] = line
    # 3. words
    blank = np.fromiter(map(str.isspace, chars.text), bool, n)[order]
    lo, xo0, xo1, to = line_of[order], x0[order], x1[order], top[order]
    starts = np.ones(m, dtype=bool)
    starts[1:] = (
        (lo[1:] != lo[:-1])
        | blank[:-1]
        | (xo0[1:] < xo0[:-1])
        | (xo0[1:] > xo1[:-1] + x_tol)
        | (np.abs(to[1:] - to[:-1]) > y_tol)
    )
    keep = ~blank
    if not keep.any():
        return [w for _, w in rotated]
    members = order[keep]
    first = np.flatnonzero(starts[keep])
    # 4. merge
    wx0 = np.minimum.reduceat(x0[members], first)
    wx1 = np.maximum.reduceat(x1[members], first)
    wtop = np.minimum.reduceat(top[members], first)
    wbottom = np.maximum.reduceat(chars.bottom[members], first)
    lead = members[first]
    wdoctop = wtop + (chars.doctop[lead] - top[lead])
    text = chars.text
    pieces = list(map(text.__getitem__, members.tolist()))
    if not LIGATURES.keys().isdisjoint(pieces):
        pieces = [LIGATURES.get(p, p) for p in pieces]
    ends = first.tolist()[1:] + [len(pieces)]
    texts = ["".join(pieces[a:b]) for a, b in zip(first.tolist(), ends)]
    heights = (wbottom - wtop).tolist()
    widths = (wx1 - wx0).tolist()
    lead_list = lead.tolist()
    upright = chars.upright[lead].tolist()
    words = [
        {
            "text": s,
            "x0": a,
            "x1": b,
            "top": c,
            "doctop": d,
            "bottom": e,
            "upright": u,
            "height": h,
            "width": w,
            "direction": "ltr",
        }
        for s, a, b, c, d, e, u, h, w in zip(
            texts,
            wx0.tolist(),
            wx1.tolist(),
            wtop.tolist(),
            wdoctop.tolist(),
            wbottom.tolist(),
            upright,
            heights,
            widths,
        )
    ]
    for attr in extra:
        values = chars.fontname if attr == "fontname" else chars.size.tolist()
        for word, i in zip(words, lead_list):
            word[attr] = values[i]
    if rotated:
        runs = run[lead].tolist()
        merged = list(zip(runs, words)) + rotated
        merged.sort(key=lambda p: p[0])  # stable: each run's words keep their order
        words = [w for _, w in merged]
    return words


def _rotated_words(
    chars: CharColumns, run: np.ndarray, x_tol: float, y_tol: float, extra: list[str]
) -> list[tuple[int, dict]]:
    """pdfplumber's words of the characters that are not upright, run by run, each with
    its run: pdfplumber's own extractor on dicts of those characters only (they are few:
    a sideways label or two; upright text keeps the vectorised path)."""
    turned = np.flatnonzero(~chars.upright)
    if not len(turned):
        return []
    extractor = WordExtractor(x_tolerance=x_tol, y_tolerance=y_tol, extra_attrs=extra)
    out: list[tuple[int, dict]] = []
    runs = run[turned].tolist()
    for r in dict.fromkeys(runs):
        idx = turned[run[turned] == r].tolist()
        dicts = [
            {
                "text": chars.text[i],
                "fontname": chars.fontname[i],
                "x0": float(chars.x0[i]),
                "x1": float(chars.x1[i]),
                "top": float(chars.top[i]),
                "bottom": float(chars.bottom[i]),
                "doctop": float(chars.doctop[i]),
                "size": float(chars.size[i]),
                "height": float(chars.bottom[i] - chars.top[i]),
                "upright": False,
            }
            for i in idx
        ]
        out.extend((r, w) for w in extractor.extract_words(dicts))
    return out

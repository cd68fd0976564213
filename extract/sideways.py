"""Text set sideways in a table cell, read in its own reading order.

Word lets any cell's text run bottom to top or top to bottom ("text direction"), and
narrow cells of many plans use it: a header label ("Date completed", "RAG") or an
agency's name turned up a merged column. pdfplumber groups such characters with its
upright defaults turned through a right angle (lines left to right, characters top
down), which spells text turned anticlockwise backwards, and gives each sideways line
its own word, so a cell holding two sideways lines orders them by their top ("completed
Date"). Here each character's matrix tells which way its text runs:

- bottom to top (turned anticlockwise, the matrix's b > 0): a line is a column of
  characters read from the foot up, and the next line stands to its right;
- top to bottom (turned clockwise, b < 0): read from the head down, the next line
  stands to its left.

A sideways line ends where its characters part by more than a word space or a drawn
rule crosses between them (cells stacked in a column, each with its own sideways
text). Lines that wrap one text (the next line in reading order, one line pitch away,
of one size, overlapping along their length, no rule between them) make one block, and
each block is one word whose text is its lines in reading order: a cell then reads the
text as it is printed, whatever the engine's line order.

Only the characters that are not upright come here; upright text keeps its own
(vectorised) path.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, LIGATURES

Word = dict

#: Characters of one sideways line lie within this many points across the line.
LINE_TOLERANCE = DEFAULT_X_TOLERANCE
#: A gap along a line wider than this share of the line's thickness (its font size,
#: roughly) ends the line: a word space is about a third of it, a cell's padding and
#: rule more.
LINE_GAP = 0.6
#: The next line of a wrapped text stands this many line thicknesses away, centre to
#: centre (single to generous line spacing); an adjacent cell's text, with two cell
#: paddings between, stands further.
PITCH = (0.5, 1.6)
#: Two lines of one text overlap along their length by more than this share of the
#: shorter (same start when aligned to the line start, same centre when centred).
OVERLAP = 0.5
#: A rule between two sideways lines separates them when it is at least this long.
RULE_MIN = 2.0


def runs_up(char: dict) -> bool:
    """Text turned anticlockwise, read from the foot up (its matrix's b is positive)."""
    matrix = char.get("matrix") or (0.0, 1.0)
    return matrix[1] > 0


def _line_chars(chars: list[dict]) -> list[list[dict]]:
    """Characters of one direction clustered across the lines (by x0, chained)."""
    lines: list[list[dict]] = []
    last = None
    for char in sorted(chars, key=lambda c: c["x0"]):
        if last is not None and char["x0"] <= last + LINE_TOLERANCE:
            lines[-1].append(char)
        else:
            lines.append([char])
        last = char["x0"]
    return lines


def _crossed(rules: Sequence[dict], x0: float, x1: float, y0: float, y1: float) -> bool:
    """A horizontal rule crosses the band x0..x1 between heights y0 and y1."""
    return any(
        r["orientation"] == "h"
        and y0 <= r["top"] <= y1
        and r["x0"] <= x0 + 1.0
        and r["x1"] >= x1 - 1.0
        and r["x1"] - r["x0"] >= RULE_MIN
        for r in rules
    )


def _parted(rules: Sequence[dict], x0: float, x1: float, y0: float, y1: float) -> bool:
    """A vertical rule stands between x0 and x1 along the heights y0..y1 (a cell's side)."""
    return any(
        r["orientation"] == "v"
        and x0 <= r["x0"] <= x1
        and r["top"] <= y1
        and r["bottom"] >= y0
        and min(y1, r["bottom"]) - max(y0, r["top"]) >= min(RULE_MIN, y1 - y0)
        for r in rules
    )


def _segments(line: list[dict], up: bool, rules: Sequence[dict]) -> list[list[list[dict]]]:
    """A sideways line's characters in reading order, cut into segments (lists of words,
    each a list of characters) where a gap wider than a word space or a rule parts them."""
    line = sorted(line, key=(lambda c: -c["bottom"]) if up else (lambda c: c["top"]))
    thick = max(c["x1"] for c in line) - min(c["x0"] for c in line)
    segments: list[list[list[dict]]] = []
    word: list[dict] = []
    prev = None
    for char in line:
        if prev is not None:
            gap = (prev["top"] - char["bottom"]) if up else (char["top"] - prev["bottom"])
            lo, hi = (char["bottom"], prev["top"]) if up else (prev["bottom"], char["top"])
            x0, x1 = min(prev["x0"], char["x0"]), max(prev["x1"], char["x1"])
            if gap > LINE_GAP * thick or (gap > 0 and _crossed(rules, x0, x1, lo, hi)):
                if word:
                    segments[-1].append(word)
                word = []
                segments.append([])
            elif gap > DEFAULT_X_TOLERANCE and word:
                segments[-1].append(word)
                word = []
        elif not segments:
            segments.append([])
        if char["text"].isspace():
            if word:
                segments[-1].append(word)
            word = []
        else:
            word.append(char)
        prev = char
    if word:
        segments[-1].append(word)
    return [s for s in segments if s]


def _box(chars: Sequence[dict]) -> tuple[float, float, float, float]:
    return (
        min(c["x0"] for c in chars),
        min(c["top"] for c in chars),
        max(c["x1"] for c in chars),
        max(c["bottom"] for c in chars),
    )


def _follows(prev: list[dict], nxt: list[dict], up: bool, rules: Sequence[dict]) -> bool:
    """`nxt` is the line after `prev` in one wrapped text (see the module docstring)."""
    a, b = _box(prev), _box(nxt)
    thick_a, thick_b = a[2] - a[0], b[2] - b[0]
    thick = max(thick_a, thick_b)
    if thick <= 0 or min(thick_a, thick_b) < 0.8 * thick:
        return False  # another size of type: another text
    # the next line in reading order: to the right when reading up, else to the left
    pitch = ((b[0] + b[2]) - (a[0] + a[2])) / 2 * (1 if up else -1)
    if not PITCH[0] * thick < pitch <= PITCH[1] * thick:
        return False
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    if overlap <= OVERLAP * min(a[3] - a[1], b[3] - b[1]):
        return False
    left, right = (a, b) if a[0] < b[0] else (b, a)
    return not _parted(rules, left[2] - 0.5, right[0] + 0.5, max(a[1], b[1]), min(a[3], b[3]))


def sideways_words(
    chars: Sequence[dict], rules: Sequence[dict] = (), attrs: Sequence[str] = ()
) -> list[Word]:
    """One word per sideways text (block of wrapped sideways lines) of the characters
    that are not upright, its text in reading order; `rules`: the page's ruling edges
    (pdfplumber's edge dicts), which part cells; `attrs`: character attributes the
    words copy from their first character (as pdfplumber's `extra_attrs`)."""
    out: list[Word] = []
    for up in (True, False):
        turned = [c for c in chars if not c.get("upright", True) and runs_up(c) == up]
        if not turned:
            continue
        segments = [s for line in _line_chars(turned) for s in _segments(line, up, rules)]
        # reading order of lines: left to right when reading up, right to left when down
        segments.sort(key=lambda s: s[0][0]["x0"], reverse=not up)
        blocks: list[list[list[list[dict]]]] = []
        for seg in segments:
            flat = [c for w in seg for c in w]
            home = next(
                (
                    b
                    for b in reversed(blocks)
                    if _follows([c for w in b[-1] for c in w], flat, up, rules)
                ),
                None,
            )
            if home is not None:
                home.append(seg)
            else:
                blocks.append([seg])
        for block in blocks:
            words = [w for seg in block for w in seg]
            flat = [c for w in words for c in w]
            x0, top, x1, bottom = _box(flat)
            first = words[0][0]
            word = {
                "text": " ".join(
                    "".join(LIGATURES.get(c["text"], c["text"]) for c in w) for w in words
                ),
                "x0": x0,
                "x1": x1,
                "top": top,
                "doctop": top + (first.get("doctop", first["top"]) - first["top"]),
                "bottom": bottom,
                "upright": False,
                "height": bottom - top,
                "width": x1 - x0,
                "direction": "btt" if up else "ttb",
            }
            for attr in attrs:
                word[attr] = first.get(attr)
            out.append(word)
    return out

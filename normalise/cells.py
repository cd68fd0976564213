"""Cell text: printed lines joined with a space, except where a narrow column broke a word.

Word processors break a word only when it is wider than the column: its first
part then sits alone on a line that is filled to the column's edge, and the
rest starts the next line ("Action complet" / "ed", "3." / "1", "Re" / "f").
Any other line break is an ordinary wrap at a space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extract.model import TextLine

_WS = re.compile(r"\s+")


def fold_ws(text: str | None) -> str:
    """Runs of white space as one space, stripped."""
    return _WS.sub(" ", text or "").strip()


def broke_mid_word(line: TextLine, following: TextLine, right_edge: float) -> bool:
    """True when `line` ends in the first part of a word that `following` finishes."""
    if " " in line.text.strip() or not line.text or not following.text:
        return False
    last, first = line.text[-1], following.text[0]
    letters = last.isalpha() and first.islower()
    digits = (last.isdigit() or last in ".-/") and first.isdigit()
    if not (letters or digits):
        return False
    return right_edge - line.x1 < 1.2 * max(line.char_width, 1.0)


def join_lines(lines: Sequence[TextLine], right_edge: float | None = None) -> str:
    """The cell's text on one line, broken words mended; `right_edge` is the column's."""
    if not lines:
        return ""
    edge = right_edge if right_edge is not None else max(ln.x1 for ln in lines)
    parts = [lines[0].text]
    for prev, line in zip(lines, lines[1:]):
        parts.append(line.text if broke_mid_word(prev, line, edge) else " " + line.text)
    return fold_ws("".join(parts))

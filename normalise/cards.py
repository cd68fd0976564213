"""Card forms: each cell of a small table prints its own label and value.

Some templates set each action as a "card": a table whose cells each read "Label: value"
("Ref: 1.1 | Lead: DCI Public Protection | Target date: Mar-22", then "Action: ..." across
the card). No cell is a label alone, so neither the header finder nor the two-column form
reader sees one. Read as what it is, a form of label | value rows (one row per cell, in
reading order), the form reader takes it from there. The label is told by the one rule the
"Label: value" lines of web-form exports use (extract.forms.colon_label_words).
"""

from __future__ import annotations

from dataclasses import replace

from dhrplans.extract.forms import colon_label_words
from dhrplans.extract.model import RawCell, RawRow, RawTable, TextLine

from dhrplans.settings import DEFAULT_SETTINGS, Settings


def card_form(table: RawTable, settings: Settings = DEFAULT_SETTINGS) -> RawTable:
    """The table as a two-column label | value form when every printed cell opens with a
    known label and a colon; else the table unchanged."""
    cells = [c for r in table.rows for c in r.cells if c.text.strip()]
    if len(cells) < settings.headers.min_labels:
        return table
    rows = []
    for cell in cells:
        split = _label_and_value(cell, settings)
        if split is None:
            return table
        rows.append(RawRow(cell.page, cell.bbox, list(split)))
    x0, _, x1, _ = table.bbox
    middle = min(r.cells[1].bbox[0] for r in rows)
    return replace(table, n_cols=2, col_edges=[x0, middle, x1], rows=rows)


def _label_and_value(cell: RawCell, settings: Settings) -> tuple[RawCell, RawCell] | None:
    """The cell as a label cell and a value cell, split after the label's colon on its
    first line (the label's place measured by the line's mean character width)."""
    first, *rest = cell.lines
    words = first.text.split()
    k = colon_label_words(words, settings)
    if k is None:
        return None
    label_text = " ".join(words[:k]).rstrip(":").rstrip()
    value_text = " ".join(words[k:])
    cut = first.x0 + len(" ".join(words[:k])) * first.char_width
    label_line = TextLine(label_text, first.x0, cut, first.top, first.bottom, first.char_width)
    value_lines = (
        [
            TextLine(
                value_text,
                cut + first.char_width,
                first.x1,
                first.top,
                first.bottom,
                first.char_width,
            )
        ]
        if value_text
        else []
    )
    value_lines.extend(rest)
    x0, top, x1, bottom = cell.bbox
    label = RawCell(0, 1, cell.page, (x0, top, cut, bottom), [label_line], cell.bold, cell.fill)
    value = RawCell(1, 1, cell.page, (cut, top, x1, bottom), value_lines, False, cell.fill)
    return label, value

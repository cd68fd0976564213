"""Rows printed under a drawn grid in its columns, without the grid's rules.

A grid finder only sees cells closed by rules: where a plan rules its header and shaded
banners but only underlines (or does not rule) its action rows, the grid stops after a
few rows while the table goes on in the same columns. The text-alignment engine reads
those rows with the grid's columns as a layout carried over (extract/aligned.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from dhrplans.extract.aligned import ColumnLayout, aligned_tables
from dhrplans.extract.layout import PageLine
from dhrplans.extract.model import RawTable

from dhrplans.settings import Settings


def grid_layout(table: RawTable, body: float) -> ColumnLayout:
    """A drawn grid's columns as a text layout: each column starts where its cells' text
    starts (the rule plus the cell padding), so text-aligned rows can continue it."""
    starts = []
    for col in range(table.n_cols):
        x0s = [
            min(line.x0 for line in cell.lines)
            for row in table.rows
            for cell in row.cells
            if cell.col == col and cell.colspan == 1 and cell.lines
        ]
        starts.append(min(x0s) if x0s else table.col_edges[col])
    return ColumnLayout(starts, table.col_edges[-1], body)


def rows_below_grids(
    page_number: int,
    grids: Sequence[RawTable],
    lines: list[PageLine],
    used: set[int],
    aligned: Sequence[RawTable],
    gutter: float,
    body: float,
    hrules: Sequence[tuple[float, float, float]],
    settings: Settings,
    drawn_rules: bool = True,
) -> tuple[list[RawTable], list[int], ColumnLayout | None]:
    """The lines below each grid, down to the next table, read as text-aligned rows in the
    grid's columns when they align with them (the test the text engine applies to a
    table carried over from the last page); and the top of the page, above its first
    grid, read the same way (the rest of a row broken by the page break). `used`: the
    indexes of lines other tables took; `aligned`: the page's text tables so far.
    Returns the tables, the lines they used and, when the last grid runs on to the foot
    of the page, its columns to carry."""
    found: list[RawTable] = []
    taken: list[int] = []
    carry: ColumnLayout | None = None
    tops = sorted(t.bbox[1] for t in [*grids, *aligned])
    for table in sorted(grids, key=lambda t: t.bbox[1]):
        if table.n_cols < 2:
            continue
        floor = table.bbox[3] - 1
        ceiling = next((top for top in tops if top > floor + 1), float("inf"))
        # Below the grid by the test that left the line out of it (engines.inside: the
        # middle of its words): a cell with no top padding prints its first line across
        # the rule under the row above, its words' boxes rising above the rule.
        below = [
            i
            for i, ln in enumerate(lines)
            if i not in used
            and floor <= (ln.top + ln.bottom) / 2
            and ln.bottom <= ceiling + 1
            and ln.x0 >= table.bbox[0] - settings.layout.column_overrun
        ]
        if not below:
            continue
        layout = grid_layout(table, body)
        tables, rows_used, carried = aligned_tables(
            [lines[i] for i in below], page_number, gutter, hrules, layout, settings, drawn_rules
        )
        # Rows, not a footnote or a line of furniture: some row fills two columns.
        tables = [
            t for t in tables if t.n_cols == table.n_cols and any(len(r.cells) >= 2 for r in t.rows)
        ]
        if not tables:
            continue
        found.extend(tables)
        taken.extend(below[k] for k in rows_used)
        if ceiling == float("inf"):
            carry = carried
    first = min(grids, key=lambda t: t.bbox[1], default=None)
    if first is not None and first.n_cols >= 2 and first.bbox[1] <= min(tops):
        # The top of the page, above its first grid, may hold the rest of a row broken by
        # the page break, printed in the grid's columns in body type (a heading is bold
        # or larger): it is read like a continued table's first rows.
        above = [
            i
            for i, ln in enumerate(lines)
            if i not in used and i not in taken and ln.bottom <= first.bbox[1] + 1
        ]
        body_like = all(
            not lines[i].bold and lines[i].size <= body + settings.layout.body_heading_step
            for i in above
        )
        if above and body_like:
            layout = grid_layout(first, body)
            tables, rows_used, _ = aligned_tables(
                [lines[i] for i in above],
                page_number,
                gutter,
                hrules,
                layout,
                settings,
                drawn_rules,
            )
            tables = [t for t in tables if t.n_cols == first.n_cols]
            found.extend(tables)
            taken.extend(above[k] for k in rows_used)
    return found, taken, carry

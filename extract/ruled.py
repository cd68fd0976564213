"""Ruled tables: pdfplumber finds the grid from the drawn lines.

pdfplumber's `Table` gives one bbox per cell, with merged cells as one bbox; we
turn those into a grid of columns so a banner row (one cell across the table)
and a merged first column (one cell down several rows) keep their span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from dhrplans.extract.layout import Word, WordIndex, is_bold, text_lines, words_in
from dhrplans.extract.model import BBox, RawCell, RawRow, RawTable
from dhrplans.extract.provenance import RULED
from pdfplumber import utils
from pdfplumber.table import TableFinder, TableSettings

from dhrplans.settings import DEFAULT_SETTINGS, LayoutSettings


def is_shading(rect: dict, thin: float) -> bool:
    """A filled, unstroked rectangle wider and taller than a rule: a cell's or a row's
    background, not a border. Word draws borders as lines or thin boxes, and shading as
    filled areas; a grid read from shading alone finds a 'table' in every shaded row."""
    return (
        bool(rect.get("fill"))
        and not rect.get("stroke")
        and (min(rect["width"], rect["height"]) > thin)
    )


def ruling_edges(page, thin: float) -> list[dict]:
    """The edges of the page's rules: lines, curves and rectangles that are not shading."""
    rects = [r for r in getattr(page, "rects", []) if not is_shading(r, thin)]
    edges = [utils.line_to_edge(line) for line in getattr(page, "lines", [])]
    edges += [e for rect in rects for e in utils.rect_to_edges(rect)]
    edges += [e for curve in getattr(page, "curves", []) for e in utils.curve_to_edges(curve)]
    return edges


@dataclass(frozen=True, slots=True)
class DrawnRules:
    """What pdfplumber's table finder reads of a page, kept once the page is closed: its
    rules (`ruling_edges`), given to the finder explicitly so it never goes back to the
    page, and its filled shapes (`rects`: cell shading, for `cell_fill`)."""

    edges: list[dict]
    rects: list[dict]

    def find_tables(self, table_settings: dict) -> list:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables


def row_rules(edges: Sequence[dict], grids: Sequence[RawTable]) -> list[tuple[float, float, float]]:
    """The horizontal rules outside the grids, as (top, x0, x1): rows for the text
    engines (a grid's own rules, its banners' and shaded rows' edges, part no rows)."""
    boxes: list[BBox] = [t.bbox for t in grids]
    return [
        (round(e["top"], 2), e["x0"], e["x1"])
        for e in edges
        if e["orientation"] == "h" and not any(b[1] - 1 <= e["top"] <= b[3] + 1 for b in boxes)
    ]


def shaded_bands(
    shading: Sequence[dict], tolerance: float
) -> list[tuple[float, float, float, float]]:
    """The shaded bands of the page, as (top, bottom, x0, x1): shaded boxes of one height
    side by side, each starting where the one before ends (a row's cells shaded by a
    table style, a banner, a header), joined into one band."""
    rects = sorted(shading, key=lambda r: (round(r["top"]), round(r["bottom"]), r["x0"]))
    bands: list[list[float]] = []
    for r in rects:
        last = bands[-1] if bands else None
        if (
            last is not None
            and abs(r["top"] - last[0]) <= tolerance
            and abs(r["bottom"] - last[1]) <= tolerance
            and last[2] - tolerance <= r["x0"] <= last[3] + tolerance
        ):
            last[3] = max(last[3], r["x1"])
            continue
        bands.append([r["top"], r["bottom"], r["x0"], r["x1"]])
    return [(b[0], b[1], b[2], b[3]) for b in bands]


def rules_across_bands(
    rules: Sequence[tuple[float, float, float]], shading: Sequence[dict], tolerance: float
) -> list[tuple[float, float, float]]:
    """Row rules drawn under part of a row, carried across the shaded band they bound.
    Word's banded table styles (Medium Shading 2 and the like) shade alternate rows and
    draw the rule between two rows under the first column only: the band's top or bottom
    edge, on the rule, is where the row ends across the table. A rule meeting the edge of
    a band it overlaps spans the band too; a band with no rule on its edge adds none (a
    highlight behind text, a shaded cell in an unruled table draw no row)."""
    bands = shaded_bands(shading, tolerance)
    out = []
    for y, x0, x1 in rules:
        for top, bottom, bx0, bx1 in bands:
            if (abs(y - top) <= tolerance or abs(y - bottom) <= tolerance) and (
                bx0 - tolerance <= x1 and x0 <= bx1 + tolerance
            ):
                x0, x1 = min(x0, bx0), max(x1, bx1)
        out.append((y, x0, x1))
    return out


def cluster(
    values: Sequence[float], tolerance: float = DEFAULT_SETTINGS.layout.edge_tolerance
) -> list[float]:
    """Sorted distinct positions, merging those closer than `tolerance`."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tolerance:
            continue
        out.append(v)
    return out


def as_rgb(colour) -> tuple[float, float, float] | None:
    """A PDF fill colour (gray, RGB or CMYK components 0..1) as RGB, else None."""
    if not isinstance(colour, (tuple, list)) or not all(
        isinstance(v, (int, float)) for v in colour
    ):
        return None
    if len(colour) == 1:
        return (float(colour[0]),) * 3
    if len(colour) == 3:
        return tuple(float(v) for v in colour)
    if len(colour) == 4:
        c, m, y, k = colour
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None


def cell_fill(
    bbox, shading: Sequence[dict], min_cover: float = DEFAULT_SETTINGS.layout.cell_cover
) -> tuple[float, float, float] | None:
    """The colour of the filled shape covering most of a cell (a shaded or RAG cell)."""
    x0, top, x1, bottom = bbox
    area = max((x1 - x0) * (bottom - top), 1e-6)
    best, best_cover = None, 0.0
    for rect in shading:
        w = min(x1, rect["x1"]) - max(x0, rect["x0"])
        h = min(bottom, rect["bottom"]) - max(top, rect["top"])
        cover = (w * h) / area if w > 0 and h > 0 else 0.0
        if cover >= best_cover and cover > 0:  # the later shape is painted over
            best, best_cover = rect, cover
    if best is None or best_cover < min_cover:
        return None
    return as_rgb(best.get("non_stroking_color"))


def _transition(a: str, b: str) -> bool:
    """Where a new word may start with no space: a capital after a small letter or a
    mark ("teamsWork", "No.What"), digits against letters ("2020Supervision")."""
    return (
        (b.isupper() and not a.isupper() and not a.isspace())
        or (a.isdigit() and b.isalpha())
        or (a.isalpha() and b.isdigit())
        or (not a.isalnum() and b.isalnum())
    )


def split_at_borders(
    words: Sequence[Word], rows: Sequence, settings: LayoutSettings = DEFAULT_SETTINGS.layout
) -> list[Word]:
    """Words that run across a border between two cells of a row, parted there. A
    spreadsheet printed with its gridlines sets text flush against the cell's rule, and
    text that overflows meets the next cell's: the word extractor then joins the two
    cells' words ("teamsWork"). The part past the border starts where the text changes
    case or kind; with no such change near the border the word stays whole (text that
    overflows into an empty cell)."""
    borders = []  # (x, top, bottom) of each rule between two cells of a row
    for row in rows:
        boxes = sorted((b for b in row.cells if b is not None), key=lambda b: b[0])
        for left, right in zip(boxes, boxes[1:]):
            if abs(left[2] - right[0]) <= settings.edge_tolerance:
                borders.append((right[0], min(left[1], right[1]), max(left[3], right[3])))
    if not borders:
        return list(words)
    out: list[Word] = []
    slack = settings.border_overrun
    for word in words:
        text = word["text"]
        cy = (word["top"] + word["bottom"]) / 2
        cut = next(
            (
                x
                for x, top, bottom in borders
                if top <= cy <= bottom and word["x0"] + slack < x < word["x1"] - slack
            ),
            None,
        )
        if cut is None or len(text) < 2:
            out.append(word)
            continue
        width = (word["x1"] - word["x0"]) / len(text)
        guess = (cut - word["x0"]) / width
        near = [i for i in range(1, len(text)) if _transition(text[i - 1], text[i])]
        near = [i for i in near if abs(i - guess) <= settings.border_split_chars]
        if not near:
            out.append(word)
            continue
        i = min(near, key=lambda k: abs(k - guess))
        at = word["x0"] + i * width
        out.append(dict(word, text=text[:i], x1=min(at, cut)))
        out.append(dict(word, text=text[i:], x0=max(at, cut)))
    return out


def _drawn(edge: dict, edges: Sequence[dict], tolerance: float) -> bool:
    """Whether a rule in `edges` already draws the whole of `edge`."""
    along, across = ("x0", "top") if edge["orientation"] == "h" else ("top", "x0")
    end = "x1" if along == "x0" else "bottom"
    return any(
        e["orientation"] == edge["orientation"]
        and abs(e[across] - edge[across]) <= tolerance
        and e[along] <= edge[along] + tolerance
        and e[end] >= edge[end] - tolerance
        for e in edges
    )


def shaded_cell_edges(
    edges: Sequence[dict], shading: Sequence[dict], boxes: Sequence[BBox], tolerance: float
) -> list[dict]:
    """The borders of shaded cells inside drawn grids, where no rule is drawn. Word's
    table styles (List, Shading, Grid and their accents) shade a header, banded rows or a
    first column and rule little else: a cell's shading fills its box exactly, so inside a
    grid a shaded box is a cell whose borders are the box's edges. A box counts as a cell
    when both its sides stand on column lines of the grid (a rule drawn in some row, or
    the grid's frame): a highlight behind a few words does not. Only the edges that no rule
    already draws are returned."""
    verticals = cluster([e["x0"] for e in edges if e["orientation"] == "v"], tolerance)

    def on_column(x: float) -> bool:
        return any(abs(x - v) <= tolerance for v in verticals)

    def drawn(edge: dict) -> bool:
        return _drawn(edge, edges, tolerance)

    out: list[dict] = []
    for rect in shading:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if not any(
            b[0] - tolerance <= x0
            and x1 <= b[2] + tolerance
            and b[1] - tolerance <= top
            and bottom <= b[3] + tolerance
            for b in boxes
        ):
            continue
        if not (on_column(x0) and on_column(x1)):
            continue
        for edge in _box_edges(x0, top, x1, bottom):
            if not drawn(edge):
                out.append(edge)
    return out


def abutting_cells(
    edges: Sequence[dict], shading: Sequence[dict], boxes: Sequence[BBox], tolerance: float
) -> list[BBox]:
    """Shaded boxes outside the drawn grids that are cells of the same table. Word's
    Colorful Shading and Medium Grid 2 styles rule only the body columns from the second
    one on: the shaded first column, the header row and the banner rows sit outside the
    drawn rules, which break into one piece per banner. Their shading still tiles the
    table's area edge to edge: a first column's box lies beside the grid (or a cell
    already found) within its height, its top and bottom on the table's lines (a rule, or
    a side of the grid or of a cell found); a header's or banner's boxes, side by side,
    make a row above or below it across its whole width, their ends on its lines. Such
    boxes are cells; boxes overlapping the grid or a cell found (a table's or page's
    background) are not, nor a box touching the grid at a corner only, ending off its
    lines (a highlight, a shaded paragraph) or under part of its width only (a status
    cell of a row the page's foot leaves unruled)."""
    tol = tolerance
    cells: list[BBox] = []
    known: list[BBox] = list(boxes)
    rects = {
        (round(r["x0"], 1), round(r["top"], 1), round(r["x1"], 1), round(r["bottom"], 1))
        for r in shading
        if r["x1"] - r["x0"] > tol and r["bottom"] - r["top"] > tol
    }

    def near(v: float, values) -> bool:
        return any(abs(v - w) <= tol for w in values)

    def overlaps(a: BBox, b: BBox) -> bool:
        return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol

    # boxes inside a grid are its own cells (`shaded_cell_edges`), not candidates
    candidates = sorted(r for r in rects if not any(overlaps(r, b) for b in boxes))
    grown = True
    while grown:
        grown = False
        xs = [e["x0"] for e in edges if e["orientation"] == "v"]
        xs += [v for b in known for v in (b[0], b[2])]
        ys = [e["top"] for e in edges if e["orientation"] == "h"]
        ys += [v for b in known for v in (b[1], b[3])]
        for r in candidates:
            if r in cells or any(overlaps(r, b) for b in known):
                continue
            beside = any(  # left or right of a known box, within its height
                (abs(r[2] - b[0]) <= tol or abs(r[0] - b[2]) <= tol)
                and r[1] >= b[1] - tol
                and r[3] <= b[3] + tol
                for b in known
            )
            if beside and near(r[1], ys) and near(r[3], ys):
                cells.append(r)
                known.append(r)
                grown = True
        # Above or below a known box, a row: the shaded boxes side by side (a header's
        # cells, a banner) tile the box's whole width. A box under one column only (a
        # status cell of a row the page's foot leaves unruled) is no row of the table.
        left = [r for r in candidates if r not in cells and not any(overlaps(r, b) for b in known)]
        rows = shaded_bands(
            [{"x0": r[0], "top": r[1], "x1": r[2], "bottom": r[3]} for r in left], tol
        )
        for top, bottom, x0, x1 in rows:
            if not (near(x0, xs) and near(x1, xs)):
                continue
            if any(
                (abs(bottom - b[1]) <= tol or abs(top - b[3]) <= tol)
                and x0 <= b[0] + tol
                and x1 >= b[2] - tol
                for b in known
            ):
                members = [
                    r
                    for r in left
                    if abs(r[1] - top) <= tol
                    and abs(r[3] - bottom) <= tol
                    and x0 - tol <= r[0]
                    and r[2] <= x1 + tol
                ]
                cells += members
                known += members
                grown = True
    return cells


def merged_cell_sides(
    edges: Sequence[dict], tolerance: float, words: Sequence[Word] = ()
) -> list[dict]:
    """The sides of cells merged down across a row rule, where the table style draws no
    vertical rules in the rows they run through. Word draws no rule inside a vertically
    merged cell: a row rule broken into pieces at one height, the gap between two pieces
    starting and ending on column lines (a vertical rule drawn at each end somewhere on
    the page), is crossed by a merged cell. Its sides are those column lines, from the
    nearest rule above that crosses the gap to the nearest one below (else as far as the
    rules framing the table run: the page cut the cell). Styles that rule alternate rows
    only (List, Shading) leave the sides undrawn in the other rows, and the broken rules
    then close no cell there: the sides drawn in close the merged cell and the rows
    beside it. A cell's side is never crossed by a word printed beside it: where a word
    of `words` crosses a side between the broken rule and the rule below (a heading
    printed between two tables, over the next one), no merged cell runs down there, and
    the broken rule is the foot of the cell over it. Only the parts no rule already draws
    are returned."""
    tol = tolerance
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = [e for e in edges if e["orientation"] == "v"]
    columns = cluster([e["x0"] for e in vs], tol)

    def on_column(x: float) -> float | None:
        return next((c for c in columns if abs(x - c) <= tol), None)

    out: list[dict] = []
    for y in cluster([e["top"] for e in hs], tol):
        pieces = sorted((e for e in hs if abs(e["top"] - y) <= tol), key=lambda e: e["x0"])
        spans: list[list[float]] = []
        for e in pieces:
            if spans and e["x0"] <= spans[-1][1] + tol:
                spans[-1][1] = max(spans[-1][1], e["x1"])
            else:
                spans.append([e["x0"], e["x1"]])
        for (_, a), (b, _) in zip(spans, spans[1:]):
            left, right = on_column(a), on_column(b)
            if left is None or right is None or right - left <= 2 * tol:
                continue

            def crosses(e: dict, left: float = left, right: float = right) -> bool:
                return e["x0"] <= left + tol and e["x1"] >= right - tol

            above = [e["top"] for e in hs if e["top"] < y - tol and crosses(e)]
            below = [e["top"] for e in hs if e["top"] > y + tol and crosses(e)]
            # the rules running past the gap's height (the table's frame)
            framing = [e for e in vs if e["top"] <= y + tol and e["bottom"] >= y - tol]
            if not framing:
                continue
            top = max(above) if above else min(e["top"] for e in framing)
            bottom = min(below) if below else max(e["bottom"] for e in framing)
            if any(
                y + tol < (w["top"] + w["bottom"]) / 2 < bottom - tol
                and w["x0"] < x - tol < x + tol < w["x1"]
                for w in words
                for x in (left, right)
            ):
                continue  # printed across a side: no cell runs down there
            for x in (left, right):
                side = _box_edges(x, top, x, bottom)[2]
                if not _drawn(side, vs, tol):
                    out.append(side)
    return out


def open_frame_feet(edges: Sequence[dict], tolerance: float) -> list[dict]:
    """The foot of a table's frame the page cut: two vertical rules starting at one rule
    drawn across from one to the other (the frame's top) and ending level with each
    other, no rule across there. A table running on to the next page is drawn without its
    bottom border by styles that rule alternate rows only, so its last row closes on
    nothing; the frame's ends are where it stops. Only where rows are ruled apart, the
    row above the open foot boxed (the foot then holds one row). The rule across
    returned."""
    tol = tolerance
    hs = [e for e in edges if e["orientation"] == "h"]
    vs = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["x0"])

    def across(y: float, x0: float, x1: float) -> bool:
        return any(
            abs(e["top"] - y) <= tol and e["x0"] <= x0 + tol and e["x1"] >= x1 - tol for e in hs
        )

    out: list[dict] = []
    for i, left in enumerate(vs):
        for right in vs[i + 1 :]:
            if right["x0"] - left["x0"] <= 2 * tol:
                continue
            if abs(left["top"] - right["top"]) > tol or abs(left["bottom"] - right["bottom"]) > tol:
                continue
            x0, x1 = left["x0"], right["x0"]
            top, bottom = max(left["top"], right["top"]), min(left["bottom"], right["bottom"])
            if not across(top, x0, x1) or across(bottom, x0, x1):
                continue
            # the frame: no vertical rule outside the pair beside any part of it
            if any(
                (v["x0"] < x0 - tol or v["x0"] > x1 + tol)
                and v["top"] < bottom - tol
                and v["bottom"] > top + tol
                for v in vs
            ):
                continue
            # Rows ruled apart, alternately: rules under the header and under body rows,
            # and the row above the open foot boxed by column rules ending on its rule,
            # so the foot holds one row (a frame round unruled rows is left to the text).
            inside = cluster(
                [
                    e["top"]
                    for e in hs
                    if top - tol <= e["top"] <= bottom + tol and e["x1"] > x0 and e["x0"] < x1
                ],
                tol,
            )
            if len(inside) < 3:
                continue
            last = inside[-1]
            if not any(
                x0 + tol < v["x0"] < x1 - tol
                and abs(v["bottom"] - last) <= tol
                and v["top"] < last - tol
                for v in vs
            ):
                continue
            out.append(_box_edges(x0, bottom, x1, bottom)[0])
    return out


def _box_edges(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """A box's four sides as pdfplumber edges."""

    def edge(orientation: str, ex0: float, etop: float, ex1: float, ebottom: float) -> dict:
        return {
            "object_type": "rect_edge",
            "orientation": orientation,
            "x0": ex0,
            "x1": ex1,
            "top": etop,
            "bottom": ebottom,
            "doctop": etop,
            "width": ex1 - ex0,
            "height": ebottom - etop,
        }

    return [
        edge("h", x0, top, x1, top),
        edge("h", x0, bottom, x1, bottom),
        edge("v", x0, top, x0, bottom),
        edge("v", x1, top, x1, bottom),
    ]


def _unruled_row_cells(
    words: Sequence[Word], edges: Sequence[float], settings: LayoutSettings, beside: bool = False
) -> list[list[Word]] | None:
    """The words of a cell spanning a grid's full width, parted by the grid's columns,
    when they are a row of cells whose vertical rules are not drawn (a table style that
    rules the table's frame, its header or alternate rows only): every word inside one
    column, two columns or more holding text, and on each line the words either side of
    a column line apart by a gutter, not a word space. A banner's text runs across the
    column lines and stays one cell. Text inside one column alone is that column's cell
    when the column is not the box's first and the text is not centred on the box, or
    when the box is `beside` a cell of its own in the table's first column (no banner,
    which spans the table): a banner's text starts at the box's left edge (or sits
    centred on it), while the rest of a row the page broke (the tail of its action, under
    the next page's header) sits in its own column, the row's other cells empty. None
    when the words are not such a row."""
    cols: list[list[Word]] = [[] for _ in range(len(edges) - 1)]
    slack = settings.border_overrun
    for word in words:
        col = next(
            (
                c
                for c in range(len(edges) - 1)
                if word["x0"] >= edges[c] - slack and word["x1"] <= edges[c + 1] + slack
            ),
            None,
        )
        if col is None:
            return None
        cols[col].append(word)
    filled = [c for c, ws in enumerate(cols) if ws]
    if not filled:
        return None
    if len(filled) == 1:
        if filled[0] == 0:
            return None
        if beside:
            return cols
        left = min(w["x0"] for w in words)
        right = max(w["x1"] for w in words)
        centred = abs((left + right) - (edges[0] + edges[-1])) <= 2 * settings.edge_tolerance
        return None if centred else cols
    col_of = {id(w): c for c, ws in enumerate(cols) for w in ws}
    for line in text_lines_words(words, settings.line_tolerance):
        for a, b in zip(line, line[1:]):
            if col_of[id(a)] == col_of[id(b)]:
                continue
            size = max(a.get("size", 0.0), b.get("size", 0.0))
            if b["x0"] - a["x1"] < max(settings.gutter_min, settings.gutter_em * size):
                return None
    return cols


def _rules_inside(
    bbox: BBox, hlines: Sequence[dict], tolerance: float
) -> list[tuple[float, float, float]]:
    """The horizontal rules running inside a cell's box (across part of it), as (y, x0,
    x1): the box holds rows pdfplumber could not close for want of vertical rules."""
    x0, top, x1, bottom = bbox
    return sorted(
        (e["top"], e["x0"], e["x1"])
        for e in hlines
        if top + tolerance < e["top"] < bottom - tolerance and e["x0"] < x1 and e["x1"] > x0
    )


def _place_pending(
    rows: list[RawRow], pending: dict[float, list[RawCell]], page_number: int, tolerance: float
) -> None:
    """Cells parted from a box above (`_rules_inside`) joined to the row starting where
    their rule is, or as a row of their own there."""
    for top, cells in sorted(pending.items()):
        row = next((r for r in rows if abs(r.bbox[1] - top) <= tolerance), None)
        if row is None:
            box = (
                min(c.bbox[0] for c in cells),
                top,
                max(c.bbox[2] for c in cells),
                max(c.bbox[3] for c in cells),
            )
            row = RawRow(page=page_number, bbox=box, cells=[])
            rows.append(row)
            rows.sort(key=lambda r: r.bbox[1])
        taken = {c.col for c in row.cells}
        row.cells.extend(c for c in cells if c.col not in taken)
        row.cells.sort(key=lambda c: c.col)


def _cell(
    col: int,
    colspan: int,
    page_number: int,
    box: BBox,
    words: Sequence[Word],
    shading: Sequence[dict],
    settings: LayoutSettings,
) -> RawCell:
    """A grid's cell over `box` holding `words`, with its type and background."""
    return RawCell(
        col=col,
        colspan=colspan,
        page=page_number,
        bbox=tuple(round(v, 2) for v in box),
        lines=text_lines(words),
        bold=is_bold(words),
        fill=cell_fill(box, shading, settings.cell_cover),
    )


def _place_unclaimed(
    rows: list[RawRow],
    words: Sequence[Word],
    edges: Sequence[float],
    page_number: int,
    shading: Sequence[dict],
    settings: LayoutSettings,
) -> None:
    """Words inside the grid's box that no cell took, made the cell of the row whose band
    holds them, in their column: a cell whose top rule and sides are drawn but whose
    bottom rule is not (a banded style, or a merged cell running on to the frame below)
    is closed by no rules, so pdfplumber gives no cell for it. A row that has a cell over
    that column already is left as it is (its words are its own)."""
    if not rows or not words:
        return
    boxes = np.array([c.bbox for r in rows for c in r.cells], dtype=np.float64).reshape(-1, 4)
    cx = np.array([(w["x0"] + w["x1"]) / 2 for w in words])[:, None]
    cy = np.array([(w["top"] + w["bottom"]) / 2 for w in words])[:, None]
    claimed = (
        (boxes[:, 0] - 1 <= cx)
        & (cx <= boxes[:, 2] + 1)
        & (boxes[:, 1] - 1 <= cy)
        & (cy <= boxes[:, 3] + 1)
    ).any(axis=1)
    unclaimed = [w for w, taken in zip(words, claimed.tolist()) if not taken]
    found: dict[tuple[int, int], list[Word]] = {}
    for word in unclaimed:
        x, y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        col = next((c for c in range(len(edges) - 1) if edges[c] <= x < edges[c + 1]), None)
        # the row opening nearest above it (a row's box runs down its merged cells, so
        # an earlier row's may reach past later rows' tops)
        opened = [i for i, r in enumerate(rows) if r.bbox[1] <= y]
        k = max(opened, key=lambda i: rows[i].bbox[1], default=None)
        if col is None or k is None:
            continue
        if any(c.col <= col < c.col + c.colspan for c in rows[k].cells):
            continue
        found.setdefault((k, col), []).append(word)
    for (k, col), piece in sorted(found.items()):
        row = rows[k]
        box = (edges[col], row.bbox[1], edges[col + 1], row.bbox[3])
        row.cells.append(_cell(col, 1, page_number, box, piece, shading, settings))
        row.cells.sort(key=lambda c: c.col)


def _merged_text_to_its_row(rows: list[RawRow], tolerance: float) -> None:
    """A box down several rows whose text is all printed from a later row's first line
    down is that row's cell. Word sets a cell's text at the cell's top: where no rule
    parts two cells merged down one column (the last recommendation's, run on from the
    page before with its text above it there, and the next one's), pdfplumber gives one
    box over both, and its text, opening level with a later row's first line with
    nothing above it in the box, opens there. The box is cut at that row's top; the rows
    above it keep no cell in that column (as beside a merged cell).

    Text set vertically centred in its cell (Word's vAlign center) stands in the box's
    middle, as far from its top as from its foot, and may be level with a middle row's
    first line: such a box is one merged cell with its text centred, and stays whole.
    The next recommendation's text opening a box at a later row is set at that row's top,
    its space above (the rows before it) unlike its space below but by chance."""
    touched: set[int] = set()
    for i, row in enumerate(rows):
        for cell in list(row.cells):
            if cell.colspan != 1 or not cell.lines or _centred(cell):
                continue
            first = min(ln.top for ln in cell.lines)
            later = [
                k
                for k in range(i + 1, len(rows))
                if rows[k].bbox[1] - tolerance <= first and rows[k].bbox[1] < cell.bbox[3]
            ]
            if not later:
                continue
            target = rows[later[-1]]
            level = [ln.top for c in target.cells for ln in c.lines[:1]]
            if (
                not level
                or abs(first - min(level)) > tolerance
                or any(c.col <= cell.col < c.col + c.colspan for c in target.cells)
            ):
                continue
            row.cells.remove(cell)
            cell.bbox = (cell.bbox[0], target.bbox[1], cell.bbox[2], cell.bbox[3])
            target.cells.append(cell)
            target.cells.sort(key=lambda c: c.col)
            touched.update((id(row), id(target)))
    for row in rows:
        if id(row) in touched and row.cells:
            row.bbox = (
                min(c.bbox[0] for c in row.cells),
                min(c.bbox[1] for c in row.cells),
                max(c.bbox[2] for c in row.cells),
                max(c.bbox[3] for c in row.cells),
            )
    rows[:] = [r for r in rows if r.cells]  # a row whose one cell was the box's


def _centred(cell: RawCell) -> bool:
    """The cell's text stands in its middle: the space above its first line and the space
    under its last differ by less than a line's height."""
    first = min(ln.top for ln in cell.lines)
    last = max(ln.bottom for ln in cell.lines)
    height = max(ln.bottom - ln.top for ln in cell.lines)
    return abs((first - cell.bbox[1]) - (cell.bbox[3] - last)) < height


def text_lines_words(words: Sequence[Word], tolerance: float) -> list[list[Word]]:
    """The words grouped into printed lines (tops within `tolerance`), each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _index(edges: Sequence[float], x: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - x))


def ruled_tables(
    page,
    words: Sequence[Word],
    page_number: int,
    settings: LayoutSettings = DEFAULT_SETTINGS.layout,
    edges: list[dict] | None = None,
) -> list[RawTable]:
    """Every table pdfplumber finds from ruling lines on the page, as RawTables
    (`page`: a pdfplumber page or its `DrawnRules`; `edges`: the page's ruling_edges,
    when the caller has them already)."""
    shading = [r for r in getattr(page, "rects", []) if r.get("fill")]
    tables = []
    if edges is None:
        edges = ruling_edges(page, settings.rule_max_thickness)
    if min(sum(e["orientation"] == o for e in edges) for o in "vh") < 2:
        return []  # no grid can be drawn (pdfplumber needs two rules each way)
    edges = edges + merged_cell_sides(edges, settings.edge_tolerance, words)
    edges = edges + open_frame_feet(edges, settings.edge_tolerance)
    explicit = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [e for e in edges if e["orientation"] == "v"],
        "explicit_horizontal_lines": [e for e in edges if e["orientation"] == "h"],
    }
    whole = WordIndex(words)  # each cell finds its words by a binary search
    found_tables = page.find_tables(explicit)
    extra = shaded_cell_edges(
        explicit["explicit_vertical_lines"] + explicit["explicit_horizontal_lines"],
        shading,
        # Only grids that rule some row inside their frame: a box ruled around and
        # between its columns with no rule across it at all is a table bordered
        # "outside and between columns" (not a style that rules few rows), its header
        # shaded by hand and its rows parted by their text alone; its shaded header is
        # no cell border, so the box stays one row of cells (header over rows) for the
        # text-alignment engine to part by text, as with no shading.
        [f.bbox for f in found_tables if len(f.cells) >= 2 and len(f.rows) >= 2],
        settings.edge_tolerance,
    )
    # Shaded cells abutting the drawn grids (a first column, a header, banners the rules
    # leave out): their undrawn sides join them, and the grid's pieces, into one table.
    drawn_edges = explicit["explicit_vertical_lines"] + explicit["explicit_horizontal_lines"]
    for box in abutting_cells(
        drawn_edges,
        shading,
        [f.bbox for f in found_tables if len(f.cells) >= 2],
        settings.edge_tolerance,
    ):
        extra += [
            e for e in _box_edges(*box) if not _drawn(e, drawn_edges, settings.edge_tolerance)
        ]
    if extra:
        explicit["explicit_vertical_lines"] += [e for e in extra if e["orientation"] == "v"]
        explicit["explicit_horizontal_lines"] += [e for e in extra if e["orientation"] == "h"]
        found_tables = page.find_tables(explicit)
    hlines = explicit["explicit_horizontal_lines"]
    for found in found_tables:
        cells = found.cells
        if len(cells) < 2:
            continue
        in_table = words_in(whole, found.bbox)
        parted = split_at_borders(in_table, found.rows, settings)
        index = WordIndex(parted) if len(parted) != len(in_table) else whole
        edges = cluster([c[0] for c in cells] + [c[2] for c in cells], settings.edge_tolerance)
        n_cols = len(edges) - 1
        if n_cols < 2:
            continue
        rows = []
        pending: dict[float, list[RawCell]] = {}  # row top -> cells parted from a box above
        for row in found.rows:
            raw_cells = []
            for bbox in row.cells:
                if bbox is None:
                    continue
                col = _index(edges, bbox[0])
                span = max(1, _index(edges, bbox[2]) - col)
                inside = words_in(index, bbox)
                parts = (
                    _unruled_row_cells(inside, edges[col : col + span + 1], settings, col > 0)
                    if span >= 2
                    else None
                )
                if parts is not None:
                    # Rules inside the box part its rows in the columns they cross; a
                    # column no rule crosses is a cell merged down the box (Word draws no
                    # rule inside a vertically merged cell).
                    cuts = _rules_inside(bbox, hlines, settings.edge_tolerance)
                    for k, part in enumerate(parts):
                        c = col + k
                        left, right = edges[c], edges[c + 1]
                        ys = [
                            y
                            for y, x0, x1 in cuts
                            if x0 < right - settings.edge_tolerance
                            and x1 > left + settings.edge_tolerance
                        ]
                        bounds = [bbox[1], *ys, bbox[3]]
                        for top, bottom in zip(bounds, bounds[1:]):
                            piece = [
                                w for w in part if top <= (w["top"] + w["bottom"]) / 2 < bottom
                            ]
                            box = (left, top, right, bottom)
                            made = _cell(c, 1, page_number, box, piece, shading, settings)
                            if top == bbox[1]:
                                raw_cells.append(made)
                            else:
                                pending.setdefault(round(top, 1), []).append(made)
                    continue
                raw_cells.append(_cell(col, span, page_number, bbox, inside, shading, settings))
            if raw_cells:
                # a column both parted from a box and closed by rules of its own: the
                # cell its rules close (pdfplumber gives both when a box overlaps them)
                own: dict[int, RawCell] = {}
                for c in raw_cells:
                    area = (c.bbox[2] - c.bbox[0]) * (c.bbox[3] - c.bbox[1])
                    kept = own.get(c.col)
                    if kept is None or area < (kept.bbox[2] - kept.bbox[0]) * (
                        kept.bbox[3] - kept.bbox[1]
                    ):
                        own[c.col] = c
                if len(own) < len(raw_cells):
                    raw_cells = [own[k] for k in sorted(own)]
                rows.append(RawRow(page=page_number, bbox=row.bbox, cells=raw_cells))
        _place_pending(rows, pending, page_number, settings.edge_tolerance)
        if len(rows) < 1:
            continue
        _place_unclaimed(rows, index.within(found.bbox), edges, page_number, shading, settings)
        _merged_text_to_its_row(rows, settings.line_tolerance)
        tables.append(
            RawTable(
                page=page_number,
                bbox=tuple(round(v, 2) for v in found.bbox),
                engine=RULED.name,
                n_cols=n_cols,
                col_edges=[round(e, 2) for e in edges],
                rows=rows,
            )
        )
    return tables

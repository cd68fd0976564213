"""The table engines a PDF page goes through, in order, and the one page they all read.

camelot's parsers are the model: each engine is a module with one entry point over
plain data (ruled.py, camelot_engine.py, aligned.py, gridrows.py, forms.py). This is
their registry: one `PageEngine` per step says when it runs on a page and how what it
finds joins the page's tables, and `PAGE_ENGINES` is the order they run in. Each reads a
`PageContext` (the parsed page, the document around it, and what the engines before it
found) and returns it with its own finding added; extract/document.py folds each page
through them. The order is the design:

1. drawn grids (pdfplumber, from the page's rules): the surest reading, so first;
2. camelot's second opinion on a grid that reads doubtful (it wins on header score);
3. text alignment, on the lines outside the grids, under a header or carried over;
4. rows printed under a grid in its columns, without its rules;
5. camelot alone, on a ruled page where nothing before found a table;
6. forms (label | value blocks) among the lines no table took.

The engines that read text see only the lines outside the grids: those lines are made
once, before the first such engine. A scanned page's grids are read when it is OCR'd
(extract/ocr.py) and start its context. An engine's exception is not caught: the
document fails and the runner records why (camelot's failures on a page it cannot grid
are no tables, in camelot_engine.py). What a table's engine name tells the later stages
is extract/provenance.py.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from dhrplans.extract.aligned import ColumnLayout, aligned_tables, with_fills
from dhrplans.extract.camelot_engine import camelot_tables, second_opinion
from dhrplans.extract.forms import FormEdges, colon_form_tables, form_tables
from dhrplans.extract.gridrows import rows_below_grids
from dhrplans.extract.headers import is_header_phrase, table_score
from dhrplans.extract.layout import PageLine, Word, group_lines
from dhrplans.extract.model import BBox, RawTable
from dhrplans.extract.ruled import (
    DrawnRules,
    row_rules,
    ruled_tables,
    rules_across_bands,
    shaded_bands,
)

from dhrplans.settings import Settings


@dataclass(frozen=True, slots=True)
class PageContext:
    """One page as the engines read it: what was parsed of it, what the document around
    it says, and what the engines before the current one found on it. Engines return a
    new context (`dataclasses.replace`), never change this one's lists."""

    # the page, parsed once
    path: Path  # the PDF (camelot renders the page from it)
    number: int
    height: float
    words: list[Word]
    edges: list[dict]  # its drawn rules (ruled.ruling_edges)
    shading: list[dict]  # its filled shapes (cell and row shading)
    rulings: int  # ruling lines and thin boxes drawn on it
    scan: bool
    # the document around it
    body: float  # the plan's body type size
    gutter: float  # the gap that parts two phrases of a line
    settings: Settings
    skip: frozenset[tuple[float, str]] = frozenset()  # (top, text): furniture, the title
    text_top: float = float("-inf")  # lines above it are a letterhead (over page 1's title)
    previous: RawTable | None = None  # the last table of the pages before
    carry: ColumnLayout | None = None  # the unruled table the last page ended in
    form_carry: FormEdges | None = None  # the form the last page ended in
    # found so far
    grids: list[RawTable] = field(default_factory=list)  # drawn grids (cells closed by rules)
    hrules: list[tuple[float, float, float]] = field(default_factory=list)  # rules outside them
    lines: list[PageLine] | None = None  # the lines outside the grids, once made
    text: list[RawTable] = field(default_factory=list)  # text-aligned tables
    forms: list[RawTable] = field(default_factory=list)
    used: list[int] = field(default_factory=list)  # indexes of `lines` the tables took
    next_carry: ColumnLayout | None = None  # the unruled table this page ends in
    next_form_carry: FormEdges | None = None  # the form this page's forms end in


@dataclass(frozen=True, slots=True)
class PageEngine:
    """One step of the registry: `when` it runs on a page and its `read`, which returns
    the context with what it found added. `reads_lines`: it reads the page's text lines
    (made, outside the grids found so far, before the first engine that does)."""

    name: str
    reads_lines: bool
    when: Callable[[PageContext], bool]
    read: Callable[[PageContext], PageContext]


def inside(word: Word, boxes: Sequence[BBox]) -> bool:
    """The word's centre falls in one of the boxes (a point of slack)."""
    cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return any(b[0] - 1 <= cx <= b[2] + 1 and b[1] - 1 <= cy <= b[3] + 1 for b in boxes)


def with_lines(ctx: PageContext) -> PageContext:
    """The context with its text lines: the words outside the grids, grouped into lines,
    without the page's furniture and title lines or what is printed above the title."""
    boxes = [t.bbox for t in ctx.grids]
    free_words = [w for w in ctx.words if not inside(w, boxes)]
    lines = [
        ln
        for ln in group_lines(free_words, ctx.settings.layout.line_tolerance)
        if (round(ln.top, 1), ln.text) not in ctx.skip and ln.top >= ctx.text_top
    ]
    return replace(ctx, lines=lines)


# --- the engines: when each runs, and how its finding joins the page's ------------------


def _always(ctx: PageContext) -> bool:
    return True


def _grids_when(ctx: PageContext) -> bool:
    return not ctx.scan  # a scan's rules are in its image: its grids come with its OCR


def _grids(ctx: PageContext) -> PageContext:
    # A lone ruled header row (its shading or rules boxed) over an unruled body is not the
    # table: it is left to the text-alignment engine (header and body).
    rules = DrawnRules(ctx.edges, ctx.shading)
    lone = ctx.settings.headers.lone_header_score
    # A box ruled around and between its columns but not under its header or between its
    # rows holds the header and every row in one row of cells: its text is read by the
    # text-alignment engine, which parts rows by their text.
    grids = [
        t
        for t in ruled_tables(rules, ctx.words, ctx.number, ctx.settings.layout, ctx.edges)
        if t.rows
        and not (
            len(t.rows) == 1 and t.n_cols > 2 and table_score(t, ctx.settings.headers) >= lone
        )  # a row of two cells is a form's label | value, cut by the page
        and not _header_over_rows(t, ctx.settings)
    ]
    # a rule drawn under part of a row spans the shaded band whose edge it is
    hrules = rules_across_bands(
        row_rules(ctx.edges, grids), ctx.shading, ctx.settings.layout.edge_tolerance
    )
    return replace(ctx, grids=grids, hrules=hrules)


def _header_over_rows(table: RawTable, settings: Settings) -> bool:
    """A row of the grid whose cells each open with a column label and go on below it
    ("No. / 3.1 / 3.2", "Action / Nominate ... / Publicise ..."): no rule parts the
    header from the rows under it."""
    for row in table.rows[:2]:
        cells = [c for c in row.cells if c.lines]
        if len(cells) < settings.headers.min_labels:
            continue
        over = [
            c
            for c in cells
            if len(c.lines) > 1
            and is_header_phrase(c.lines[0].text, settings.headers)
            and not is_header_phrase(c.text, settings.headers)
        ]
        if len(over) >= settings.headers.min_labels and len(over) >= (
            settings.headers.label_share * len(cells)
        ):
            return True
    return False


def _second_opinion_when(ctx: PageContext) -> bool:
    return bool(ctx.grids) and not ctx.scan


def _second_opinion(ctx: PageContext) -> PageContext:
    grids = second_opinion(
        ctx.path, ctx.number, ctx.height, ctx.words, ctx.grids, ctx.previous, ctx.settings
    )
    return replace(ctx, grids=grids)


def shaded_column_rules(
    shading: Sequence[dict], right: float, slack: float
) -> list[tuple[float, float, float]]:
    """Row edges drawn by shading alone: cells of one column shaded one under another, each
    starting where the one above ends (a form's label column, shaded, no rules drawn).
    Each edge is a rule from the column across to `right` (the page's text edge); rows
    shaded apart (alternate rows, banners, a header) tile no column and draw none."""
    rects = sorted(shading, key=lambda r: (round(r["x0"]), r["top"]))
    rules: list[tuple[float, float, float]] = []
    run: list[dict] = []

    def close() -> None:
        if len(run) >= 3:
            edges = [run[0]["top"]] + [r["bottom"] for r in run]
            rules.extend((y, run[0]["x0"], right) for y in edges)
        run.clear()

    for rect in rects:
        last = run[-1] if run else None
        if (
            last is not None
            and abs(rect["x0"] - last["x0"]) <= slack
            and abs(rect["x1"] - last["x1"]) <= slack
        ):
            if abs(rect["top"] - last["top"]) <= slack:
                continue  # the same cell's background drawn again
            if abs(rect["top"] - last["bottom"]) <= slack:
                run.append(rect)
                continue
        close()
        run.append(rect)
    close()
    return rules


def _aligned(ctx: PageContext) -> PageContext:
    # A page with a grid does not continue the last page's unruled table.
    carry = None if ctx.grids else ctx.carry
    hrules = ctx.hrules
    if not hrules and ctx.lines:
        # no rule drawn outside the grids: rows a shaded column parts
        right = max(ln.x1 for ln in ctx.lines)
        hrules = shaded_column_rules(ctx.shading, right, ctx.settings.layout.column_cluster)
    tolerance = ctx.settings.layout.edge_tolerance
    band_edges = [
        (y, x0, x1)
        for top, bottom, x0, x1 in shaded_bands(ctx.shading, tolerance)
        for y in (top, bottom)
    ]
    tables, used, carry = aligned_tables(
        ctx.lines, ctx.number, ctx.gutter, hrules, carry, ctx.settings, not ctx.scan, band_edges
    )
    tables = [with_fills(t, ctx.shading, ctx.settings.layout) for t in tables]
    return replace(ctx, text=ctx.text + tables, used=ctx.used + used, next_carry=carry)


def _grid_rows_when(ctx: PageContext) -> bool:
    return bool(ctx.grids)


def _grid_rows(ctx: PageContext) -> PageContext:
    # The columns carried to the next page are the last grid's, when it runs to the foot.
    tables, used, carry = rows_below_grids(
        ctx.number,
        ctx.grids,
        ctx.lines,
        set(ctx.used),
        ctx.text,
        ctx.gutter,
        ctx.body,
        ctx.hrules,
        ctx.settings,
        not ctx.scan,
    )
    return replace(ctx, text=ctx.text + tables, used=ctx.used + used, next_carry=carry)


def _camelot_alone_when(ctx: PageContext) -> bool:
    # Ruled, yet no grid from pdfplumber and no text table: camelot reads the rules from
    # an image of the page.
    return (
        not ctx.grids
        and not ctx.text
        and ctx.rulings >= ctx.settings.layout.min_rulings
        and not _opens_in_form(ctx)
    )


def _opens_in_form(ctx: PageContext) -> bool:
    """The page's first line sits at an edge of the form the last page ended in: the page
    carries it on (its shaded cells are no grid for camelot to find)."""
    if ctx.form_carry is None or not ctx.lines:
        return False
    slack = ctx.settings.layout.column_cluster
    return any(abs(ctx.lines[0].x0 - edge) <= slack for edge in ctx.form_carry)


def _camelot_alone(ctx: PageContext) -> PageContext:
    # Its grids' text leaves the free lines (a line wholly inside one of them).
    grids = camelot_tables(ctx.path, ctx.number, ctx.height, ctx.words)
    lines = ctx.lines
    for table in grids:
        lines = [ln for ln in lines if not all(inside(w, [table.bbox]) for w in ln.words)]
    return replace(ctx, grids=grids, lines=lines)


def _forms(ctx: PageContext) -> PageContext:
    lines = ctx.lines
    taken = set(ctx.used)
    free_idx = [i for i in range(len(lines)) if i not in taken]
    # the page opens in the rest of the last page's form only when nothing came before it
    at_top = bool(free_idx) and free_idx[0] == 0 and not ctx.grids and not ctx.text
    forms, used, form_carry = form_tables(
        [lines[i] for i in free_idx],
        ctx.number,
        ctx.gutter,
        ctx.settings,
        ctx.hrules,
        ctx.form_carry if at_top else None,
        # the foot of the page's text: its last line, or a table below it (furniture aside)
        max([ln.bottom for ln in lines] + [t.bbox[3] for t in ctx.grids + ctx.text], default=None),
        ctx.body,
        ctx.scan,
    )
    return replace(
        ctx,
        forms=ctx.forms + forms,
        used=ctx.used + [free_idx[k] for k in used],
        next_form_carry=form_carry,
    )


def _colon_forms(ctx: PageContext) -> PageContext:
    lines = ctx.lines
    taken = set(ctx.used)
    free_idx = [i for i in range(len(lines)) if i not in taken]
    # the page opens in the rest of the last page's form only when nothing came before it
    at_top = bool(free_idx) and free_idx[0] == 0 and not (ctx.grids or ctx.text or ctx.forms)
    forms, used = colon_form_tables(
        [lines[i] for i in free_idx],
        ctx.number,
        ctx.settings,
        carried=at_top and ctx.form_carry is not None,
    )
    # the page may end in the last of them: its edges open the next page
    ends = (forms[-1].col_edges[0], forms[-1].col_edges[1]) if forms else ctx.next_form_carry
    return replace(
        ctx,
        forms=ctx.forms + forms,
        used=ctx.used + [free_idx[k] for k in used],
        next_form_carry=ends,
    )


PAGE_ENGINES: tuple[PageEngine, ...] = (
    PageEngine("drawn grids", False, _grids_when, _grids),
    PageEngine("camelot second opinion", False, _second_opinion_when, _second_opinion),
    PageEngine("text alignment", True, _always, _aligned),
    PageEngine("rows under grids", True, _grid_rows_when, _grid_rows),
    PageEngine("camelot alone", True, _camelot_alone_when, _camelot_alone),
    PageEngine("forms", True, _always, _forms),
    PageEngine("colon forms", True, _always, _colon_forms),
)


def read_page(ctx: PageContext, engines: Sequence[PageEngine] | None = None) -> PageContext:
    """The page through each engine of `engines` (default `PAGE_ENGINES`) in turn, those
    whose `when` holds; its lines are made before the first engine that reads them, or
    at the end."""
    for engine in PAGE_ENGINES if engines is None else engines:
        if engine.reads_lines and ctx.lines is None:
            ctx = with_lines(ctx)
        if engine.when(ctx):
            ctx = engine.read(ctx)
    return ctx if ctx.lines is not None else with_lines(ctx)

"""extract.ruled: edge clustering, and pdfplumber's cell boxes to a grid with spans."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from dhrplans.extract.ruled import cluster, ruled_tables, ruling_edges
from unit_fixtures.build import phrase

from dhrplans.settings import DEFAULT_SETTINGS

# --- cluster ---------------------------------------------------------------------------------


def test_cluster_sorts_and_merges_near_values() -> None:
    assert cluster([200.0, 20.0, 20.4, 119.0, 120.5, 199.1]) == [20.0, 119.0, 199.1]


def test_cluster_keeps_the_smallest_of_a_group() -> None:
    assert cluster([10.9, 10.0, 10.5]) == [10.0]


def test_cluster_tolerance_is_inclusive() -> None:
    assert DEFAULT_SETTINGS.layout.edge_tolerance == 2.0
    assert cluster([0.0, 2.0]) == [0.0]
    assert cluster([0.0, 2.01]) == [0.0, 2.01]


def test_cluster_measures_from_the_kept_value_not_the_last_seen() -> None:
    # A chain of values each within tolerance of the next is not one cluster.
    assert cluster([0.0, 1.5, 3.0, 4.5, 6.0]) == [0.0, 3.0, 6.0]


def test_cluster_custom_tolerance() -> None:
    assert cluster([30.0, 32.5, 80.0, 82.9], 3.0) == [30.0, 80.0]
    assert cluster([30.0, 32.5], 1.0) == [30.0, 32.5]


def test_cluster_empty_and_duplicates() -> None:
    assert cluster([]) == []
    assert cluster([5.0, 5.0, 5.0]) == [5.0]


# --- ruled_tables on a stand-in for a pdfplumber page ----------------------------------------


@dataclass
class FakeRow:
    cells: list
    bbox: tuple


@dataclass
class FakeTable:
    rows: list[FakeRow]
    bbox: tuple

    @property
    def cells(self) -> list:
        return [c for r in self.rows for c in r.cells if c is not None]


def line(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "pts": [(x0, top), (x1, bottom)],
    }


class FakePage:
    """The table's rules as lines, one shaded row as a filled rectangle (not a rule)."""

    def __init__(self, tables: list[FakeTable]):
        self.tables = tables
        self.settings = None
        self.lines = [line(x, 50, x, 150) for x in (20, 120, 220, 320)]
        self.lines += [line(20, y, 320, y) for y in (50, 70, 90, 120, 150)]
        self.rects = [
            {
                "x0": 20,
                "x1": 320,
                "top": 70,
                "bottom": 90,
                "width": 300,
                "height": 20,
                "fill": True,
                "stroke": False,
                "non_stroking_color": (0.85,),
            }
        ]
        self.curves = []

    def find_tables(self, settings):
        self.settings = settings
        return self.tables


# Three columns at x 20 | 120 | 220 | 320, edges printed slightly off (cell boxes jitter).
HEAD = FakeRow([(20, 50, 120, 70), (120, 50, 220.6, 70), (220.6, 50, 320, 70)], (20, 50, 320, 70))
BANNER = FakeRow([(20, 70, 320.4, 90)], (20, 70, 320.4, 90))
ROW1 = FakeRow([(20, 90, 120, 150), (120.4, 90, 220, 120), (220, 90, 320, 120)], (20, 90, 320, 120))
ROW2 = FakeRow([None, (120, 120, 220, 150), (220, 120, 320, 150)], (20, 120, 320, 150))


def words() -> list[dict]:
    return (
        phrase("Recommendation", 24, 55, bold=True)
        + phrase("Action", 124, 55, bold=True)
        + phrase("Lead", 224, 55, bold=True)
        + phrase("Recommendation 1: Train all staff", 24, 75)
        + phrase("Train", 24, 95)
        + phrase("staff", 24, 107)
        + phrase("Run training", 124, 95)
        + phrase("BCC", 224, 95)
        + phrase("Audit", 124, 125)
        + phrase("WMP", 224, 125)
    )


@pytest.fixture(scope="module")
def found():
    page = FakePage([FakeTable([HEAD, BANNER, ROW1, ROW2], (20, 50, 320.4, 150))])
    tables = ruled_tables(page, words(), 3)
    assert page.settings["vertical_strategy"] == "explicit"
    assert len(page.settings["explicit_vertical_lines"]) == 4  # the shading is no rule
    assert len(page.settings["explicit_horizontal_lines"]) == 5
    return tables


def test_shading_is_not_a_rule() -> None:
    page = FakePage([])
    edges = ruling_edges(page, 2.0)
    assert len(edges) == 9  # the lines; the filled 300 x 20 rectangle gives none
    thin = dict(page.rects[0], height=0.75, bottom=70.75, y0=0.0, y1=0.75, doctop=70.0)
    page.rects.append(thin)  # a thin filled rectangle is a rule
    assert len(ruling_edges(page, 2.0)) == 9 + 4


def test_ruled_table_grid(found) -> None:
    (t,) = found
    assert t.engine == "pdfplumber-lattice"
    assert t.page == 3
    assert t.n_cols == 3
    assert t.col_edges == [20.0, 120.0, 220.0, 320.0]
    assert t.bbox == (20, 50, 320.4, 150)
    assert len(t.rows) == 4
    assert all(r.page == 3 and all(c.page == 3 for c in r.cells) for r in t.rows)


def test_ruled_table_header_cells(found) -> None:
    head = found[0].rows[0]
    assert [(c.col, c.colspan, c.text, c.bold) for c in head.cells] == [
        (0, 1, "Recommendation", True),
        (1, 1, "Action", True),
        (2, 1, "Lead", True),
    ]


def test_ruled_table_banner_spans_every_column(found) -> None:
    (cell,) = found[0].rows[1].cells
    assert (cell.col, cell.colspan) == (0, 3)
    assert cell.text == "Recommendation 1: Train all staff"
    assert not cell.bold


def test_ruled_table_merged_first_column(found) -> None:
    row1, row2 = found[0].rows[2:]
    merged = row1.cells[0]
    assert (merged.col, merged.colspan) == (0, 1)
    assert [ln.text for ln in merged.lines] == ["Train", "staff"]
    assert merged.bbox == (20, 90, 120, 150)  # down both rows
    assert [(c.col, c.text) for c in row1.cells[1:]] == [(1, "Run training"), (2, "BCC")]
    # The row under the merged cell has no cell in the first column.
    assert [(c.col, c.text) for c in row2.cells] == [(1, "Audit"), (2, "WMP")]


def test_ruled_table_cell_lines_carry_geometry(found) -> None:
    line = found[0].rows[2].cells[1].lines[0]
    assert line.text == "Run training"
    assert line.x0 == 124
    assert line.top == 95 and line.bottom == 105
    assert line.char_width == pytest.approx(5.0, abs=0.3)


def test_ruled_tables_skips_tables_too_small_to_be_tables() -> None:
    one_cell = FakeTable([FakeRow([(20, 50, 320, 70)], (20, 50, 320, 70))], (20, 50, 320, 70))
    one_column = FakeTable(
        [
            FakeRow([(20, 50, 320, 70)], (20, 50, 320, 70)),
            FakeRow([(20, 70, 320, 90)], (20, 70, 320, 90)),
        ],
        (20, 50, 320, 90),
    )
    empty_rows = FakeTable(
        [FakeRow([None, None], (20, 50, 320, 70))]
        + [FakeRow([(20, 70, 120, 90), (120, 70, 320, 90)], (20, 70, 320, 90))],
        (20, 50, 320, 90),
    )
    (t,) = ruled_tables(FakePage([one_cell, one_column, empty_rows]), [], 1)
    assert t.n_cols == 2
    assert len(t.rows) == 1  # the row of merged-away cells is dropped
    assert all(not c.lines for c in t.rows[0].cells)


def test_cell_fill_takes_the_covering_shape_colour() -> None:
    from dhrplans.extract.ruled import as_rgb, cell_fill

    amber = {"x0": 10, "top": 10, "x1": 50, "bottom": 30, "non_stroking_color": (1, 0.75, 0)}
    sliver = {"x0": 10, "top": 10, "x1": 12, "bottom": 30, "non_stroking_color": (1, 0, 0)}
    assert cell_fill((10, 10, 50, 30), [sliver, amber]) == (1.0, 0.75, 0.0)
    assert cell_fill((10, 10, 50, 30), [sliver]) is None  # covers too little
    assert as_rgb((0.5,)) == (0.5, 0.5, 0.5)
    assert as_rgb((0, 0, 0, 0)) == (1, 1, 1)  # CMYK white
    assert as_rgb("pattern") is None


def test_words_joined_across_a_cell_border_are_parted_there() -> None:
    """A spreadsheet's text meets the next cell's at the rule ("teamsWork", "No.What"):
    parted where the text changes case or kind near the border; a word overflowing into
    an empty cell with no such change stays whole."""
    from types import SimpleNamespace

    from dhrplans.extract.ruled import split_at_borders

    row = SimpleNamespace(cells=[(50.0, 100.0, 100.0, 120.0), (100.0, 100.0, 200.0, 120.0)])
    joined = {"text": "teamsWork", "x0": 75.0, "x1": 120.0, "top": 105.0, "bottom": 113.0}
    flowing = {"text": "overflowing", "x0": 75.0, "x1": 130.0, "top": 105.0, "bottom": 113.0}
    inside = {"text": "plain", "x0": 55.0, "x1": 80.0, "top": 105.0, "bottom": 113.0}
    got = split_at_borders([joined, flowing, inside], [row])
    assert [w["text"] for w in got] == ["teams", "Work", "overflowing", "plain"]
    assert got[0]["x1"] <= 100.0 <= got[1]["x0"]


# --- Word table styles that shade cells and rule few lines -----------------------------------


def shade(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {
        "object_type": "rect",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "y0": 800 - bottom,
        "y1": 800 - top,
        "width": x1 - x0,
        "height": bottom - top,
        "fill": True,
        "stroke": False,
        "non_stroking_color": (0.78, 0.85, 0.95),
    }


def styled_table():
    """A 'Light List' table at columns 20 | 120 | 220 | 320: a frame, a rule under each
    row, column rules drawn in the first body row only, and a header shaded cell by cell
    (no column rules). Rows: header 50-70, body 70-100 (ruled), body 100-130 (no column
    rules), a banner 130-150 (text across the columns)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    lines = [line(20, y, 320, y) for y in (50, 70, 100, 130, 150)]
    lines += [line(x, 50, x, 150) for x in (20, 320)]
    lines += [line(x, 70, x, 100) for x in (120, 220)]
    rects = [shade(x, 50, x + 100, 70) for x in (20, 120, 220)]
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = (
        phrase("No", 24, 55)
        + phrase("Action", 124, 55)
        + phrase("Lead", 224, 55)
        + phrase("1", 24, 75)
        + phrase("Train staff", 124, 75)
        + phrase("Police", 224, 75)
        + phrase("2", 24, 105)
        + phrase("Audit files", 124, 105)
        + phrase("Council", 224, 105)
        + phrase("Recommendation 2: the board should audit cases", 24, 135)
    )
    return DrawnRules(edges, rects), text


def test_shaded_header_cells_part_columns_where_no_rule_is_drawn() -> None:
    """Word's List and Shading styles shade the header cell by cell and draw no column
    rules there: each shaded box inside the grid, standing on the grid's column lines,
    is a cell (failed before: the header was one cell across the table)."""
    rules, text = styled_table()
    (t,) = ruled_tables(rules, text, 1, edges=rules.edges)
    head = t.rows[0]
    assert [(c.col, c.colspan, c.text) for c in head.cells] == [
        (0, 1, "No"),
        (1, 1, "Action"),
        (2, 1, "Lead"),
    ]
    assert head.cells[1].fill == pytest.approx((0.78, 0.85, 0.95))


def test_unruled_row_in_a_grid_is_parted_by_its_columns_banner_is_not() -> None:
    """A row whose column rules a banded style leaves out prints its text inside the
    grid's columns, a gutter apart: parted into the columns' cells. A banner's words run
    across the column lines: it stays one cell (failed before: the row was one cell)."""
    rules, text = styled_table()
    (t,) = ruled_tables(rules, text, 1, edges=rules.edges)
    assert len(t.rows) == 4
    assert [(c.col, c.text) for c in t.rows[2].cells] == [
        (0, "2"),
        (1, "Audit files"),
        (2, "Council"),
    ]
    assert t.rows[2].cells[0].bbox == (20, 100, 120, 130)
    (banner,) = t.rows[3].cells
    assert (banner.col, banner.colspan) == (0, 3)
    assert banner.text == "Recommendation 2: the board should audit cases"


def test_box_without_column_rules_parts_rows_where_a_rule_crosses_its_columns() -> None:
    """A banded style draws column rules in alternate rows only: a recommendation merged
    down over two actions leaves pdfplumber one box over both rows of the first columns.
    Parted by the grid's columns, and within each column by the rules inside the box that
    cross it: the merged columns stay one cell down the box, the others part into two rows
    (failed before: one cell holding both actions)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    lines = [line(20, y, 320, y) for y in (50, 70, 130)]
    lines += [line(120, 100, 320, 100)]  # under the first action, not the merged cells
    lines += [line(x, 50, x, 130) for x in (20, 320)]
    lines += [line(x, 50, x, 100) for x in (120, 220)]  # column rules: header, first row
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = (
        phrase("No", 24, 55)
        + phrase("Action", 124, 55)
        + phrase("Lead", 224, 55)
        + phrase("1", 24, 75)
        + phrase("Train staff", 124, 75)
        + phrase("Police", 224, 75)
        + phrase("Audit files", 124, 105)
        + phrase("Council", 224, 105)
    )
    (t,) = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    body = t.rows[1:]
    assert [[(c.col, c.text) for c in r.cells] for r in body] == [
        [(0, "1"), (1, "Train staff"), (2, "Police")],
        [(1, "Audit files"), (2, "Council")],
    ]
    assert body[0].cells[0].bbox == (20, 70, 120, 130)  # merged down both rows


def test_box_ruled_between_columns_only_keeps_its_shaded_header_over_its_rows() -> None:
    """A table bordered outside and between its columns, no rule across it, its header
    shaded by hand: its rows are parted by their text alone. The shading does not close
    the header, so the box stays one row of cells opening with the labels, which the
    text-alignment engine reads (failed before: the shaded header made a grid of a header
    and one row holding every action, "1 | 2", "Train staff | Audit files")."""
    from dhrplans.extract.engines import _header_over_rows
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    from dhrplans.settings import Settings

    lines = [line(20, y, 420, y) for y in (50, 130)]
    lines += [line(x, 50, x, 130) for x in (20, 120, 220, 320, 420)]
    rects = [shade(x, 50, x + 100, 70) for x in (20, 120, 220, 320)]
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = (
        phrase("No", 24, 55)
        + phrase("Action", 124, 55)
        + phrase("Lead", 224, 55)
        + phrase("Progress", 324, 55)
        + phrase("1", 24, 75)
        + phrase("Train staff", 124, 75)
        + phrase("Thames Police", 224, 75)
        + phrase("Course booked", 324, 75)
        + phrase("2", 24, 105)
        + phrase("Audit files", 124, 105)
        + phrase("County Council", 224, 105)
        + phrase("Sample chosen", 324, 105)
    )
    (t,) = ruled_tables(DrawnRules(edges, rects), text, 1, edges=edges)
    assert len(t.rows) == 1
    assert [c.lines[0].text for c in t.rows[0].cells] == ["No", "Action", "Lead", "Progress"]
    assert _header_over_rows(t, Settings())


def test_shaded_cells_abutting_a_grid_join_it_and_its_pieces() -> None:
    """Word's Colorful Shading and Medium Grid 2 styles rule only the body columns from
    the second one on (here 120 | 220 | 320): the shaded first column (refs), the header
    and the banner rows sit outside the rules, which break into one piece per banner. The
    shading tiles the table's area edge to edge: each box meeting the grid along a whole
    side, on its lines, is a cell, and the pieces join into one table (failed before: two
    grids of two columns, no refs, no header, no banner). The table's background box
    (under the whole table), a shaded box touching the grid at a corner and one under a
    single column (a status cell of a row left unruled) are no cells."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    lines = [line(120, y, 320, y) for y in (70, 100, 120, 150)]
    lines += [line(x, 70, x, 100) for x in (120, 220, 320)]
    lines += [line(x, 120, x, 150) for x in (120, 220, 320)]
    rects = [shade(20, 50, 320, 150)]  # the table's background
    rects += [shade(x, 50, x + 100, 70) for x in (20, 120, 220)]  # header
    rects += [shade(20, 70, 120, 100), shade(20, 120, 120, 150)]  # first column
    rects += [shade(20, 100, 320, 120)]  # banner
    rects += [shade(320, 150, 400, 170)]  # touches the grid's corner only
    rects += [shade(220, 150, 320, 170)]  # under one column only: no row of the table
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = (
        phrase("No", 24, 55)
        + phrase("Action", 124, 55)
        + phrase("Lead", 224, 55)
        + phrase("1", 24, 75)
        + phrase("Train staff", 124, 75)
        + phrase("Police", 224, 75)
        + phrase("Recommendation 2: the board should audit cases", 24, 105)
        + phrase("2", 24, 125)
        + phrase("Audit files", 124, 125)
        + phrase("Council", 224, 125)
        + phrase("Note", 324, 155)
    )
    (t,) = ruled_tables(DrawnRules(edges, rects), text, 1, edges=edges)
    assert t.bbox == (20, 50, 320, 150)
    assert [[(c.col, c.colspan, c.text) for c in r.cells] for r in t.rows] == [
        [(0, 1, "No"), (1, 1, "Action"), (2, 1, "Lead")],
        [(0, 1, "1"), (1, 1, "Train staff"), (2, 1, "Police")],
        [(0, 3, "Recommendation 2: the board should audit cases")],
        [(0, 1, "2"), (1, 1, "Audit files"), (2, 1, "Council")],
    ]


def test_words_in_a_cell_the_rules_leave_open_join_the_row_its_top_rule_opens() -> None:
    """A banded style rules alternate rows: the last ruled row's merged middle cell has
    its top rule and both sides drawn, but no rule under it before the frame below (the
    rule under the row stops either side of it), so pdfplumber closes no cell there and
    the grid's box holds words no cell took. They are the cell of the row whose band they
    lie in, in their column (failed before: the words were in no cell, and no engine read
    them, nor counted them as lost)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    lines = [line(20, y, 320, y) for y in (50, 70, 100, 150)]
    lines += [line(20, 130, 120, 130), line(220, 130, 320, 130)]  # not under the middle
    lines += [line(x, 50, x, 150) for x in (20, 320)]
    lines += [line(x, 50, x, 130) for x in (120, 220)]  # column rules stop at 130
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = (
        phrase("No", 24, 55)
        + phrase("Recommendation", 124, 55)
        + phrase("Lead", 224, 55)
        + phrase("1", 24, 75)
        + phrase("Train staff", 124, 75)
        + phrase("Police", 224, 75)
        + phrase("2", 24, 105)
        + phrase("Review the", 124, 105)
        + phrase("register", 124, 115)
        + phrase("Council", 224, 105)
    )
    (t,) = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    row = next(r for r in t.rows if any(c.text == "Council" for c in r.cells))
    assert [(c.col, c.text) for c in row.cells] == [
        (0, "2"),
        (1, "Review the register"),
        (2, "Council"),
    ]
    # merged down across the broken rule: its sides run on to the frame's rule below
    assert row.cells[1].bbox == (120, 100, 220, 150)


def test_merged_column_in_a_style_ruling_alternate_rows_keeps_every_row() -> None:
    """A style ruling alternate rows only (column rules and a box round rows 1 and 3, none
    in rows 2 and 4) with a middle column merged down two rows at a time: the rule under
    rows 1 and 3 stops either side of the merged cell, and the page cuts the table after
    row 4 with no rule under it (the frame's sides end level). Every row is read, in its
    columns, and the merged cells keep their text (failed before: rows 2 and 4 closed no
    cell, and row 3's first cell, cut off from the rest by the open merged cell, was
    dropped with its text)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    xs = (20, 120, 220, 320, 420)
    lines = [line(20, y, 420, y) for y in (50, 70, 130)]
    for y in (100, 160):  # under rows 1 and 3: not under the merged cell
        lines += [line(20, y, 120, y), line(220, y, 420, y)]
    lines += [line(x, 50, x, 190) for x in (20, 420)]  # the frame, open at its foot
    lines += [line(x, top, x, bottom) for x in xs[1:-1] for top, bottom in ((50, 100), (130, 160))]
    edges = [utils.line_to_edge(ln) for ln in lines]
    rows = [
        ("Ref", "Recommendation", "Action", "Lead", 55),
        ("1.1", "Staff should", "Train staff", "Police", 75),
        ("1.2", None, "Audit files", "Council", 105),
        ("2.1", "Partners should", "Share notes", "Trust", 135),
        ("2.2", None, "Write policy", "Board", 165),
    ]
    text = [
        w
        for *cells, top in rows
        for x, t in zip(xs, cells)
        if t is not None
        for w in phrase(t, x + 4, top)
    ]
    (t,) = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    assert [[c.text for c in r.cells if c.text] for r in t.rows] == [
        ["Ref", "Recommendation", "Action", "Lead"],
        ["1.1", "Staff should", "Train staff", "Police"],
        ["1.2", "Audit files", "Council"],
        ["2.1", "Partners should", "Share notes", "Trust"],
        ["2.2", "Write policy", "Board"],
    ]
    assert next(c for c in t.rows[3].cells if c.col == 1).bbox == (120, 130, 220, 190)


def test_rest_of_a_broken_row_in_one_column_beside_a_merged_cell_is_that_columns() -> None:
    """The first row of a page, unruled, holds the rest of a row the page broke in one
    column only (the lead's last words), beside a merged cell running on from the page
    before: its box starts right of the first column, so it is no banner, and the words
    are the cell of their own column (failed before: one cell over the last three
    columns, read as the action's)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    xs = (20, 120, 220, 320, 420)
    lines = [line(20, y, 420, y) for y in (50, 70, 160)]
    lines += [line(20, 100, 120, 100), line(220, 100, 420, 100)]
    lines += [line(x, 50, x, 160) for x in (20, 420)]
    lines += [line(x, 50, x, 70) for x in xs[1:-1]]
    lines += [line(x, 100, x, 160) for x in xs[1:-1]]
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = [
        w
        for x, t, top in (
            (20, "Ref", 55),
            (120, "Recommendation", 55),
            (220, "Action", 55),
            (320, "Lead", 55),
            (320, "Services", 75),
            (20, "2.1", 105),
            (220, "Share notes", 105),
            (320, "Trust", 105),
        )
        for w in phrase(t, x + 4, top)
    ]
    (t,) = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    rest = t.rows[1]
    assert [(c.col, c.colspan, c.text) for c in rest.cells if c.text] == [(3, 1, "Services")]


def test_a_rule_broken_under_a_merged_cell_at_a_tables_foot_does_not_run_to_the_next_table() -> (
    None
):
    """A table's last row beside a merged cell: its foot rule stops either side of the
    merged cell (Word draws no border under it). The next table, one per agency, starts
    below a heading printed across the column line. A cell's side is never crossed by a
    word printed beside it: the heading's words crossing the column line say no merged
    cell runs down there, so the first table ends at its foot and the heading is in no
    table (failed before: the merged cell's sides were drawn down to the next table's
    top rule, and the heading was read as a row of the first table)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    xs = (20, 120, 220, 320)
    lines = [line(20, y, 320, y) for y in (50, 70, 200, 220)]
    lines += [line(20, 130, 120, 130), line(220, 130, 320, 130)]  # not under the merged cell
    lines += [line(x, 50, x, 130) for x in xs] + [line(x, 200, x, 220) for x in xs]
    edges = [utils.line_to_edge(ln) for ln in lines]
    labels = ("Ref", "Recommendation", "Action")
    text = [w for x, t in zip(xs, labels) for w in phrase(t, x + 4, 55)]
    text += [
        w for x, t in zip(xs, ("1.1", "Staff should", "Train staff")) for w in phrase(t, x + 4, 75)
    ]
    text += phrase("Northshire Fire and Rescue", 24, 165, size=12.0, bold=True)
    text += [w for x, t in zip(xs, labels) for w in phrase(t, x + 4, 205)]
    tables = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    assert [t.bbox[1::2] for t in tables] == [(50, 130), (200, 220)]
    read = " ".join(c.text for t in tables for r in t.rows for c in r.cells)
    assert "Northshire" not in read


def test_text_of_a_box_down_several_rows_starting_level_with_a_later_row_is_that_rows() -> None:
    """A style ruling no line inside the Recommendation column: the last recommendation's
    cell, merged down from the page before, and the next one's cell, both without a rule
    between them, are one box down the column. A cell's text is set at its top: text
    printed only from a later row's first line down, nothing above it in the box, is the
    cell of that row (failed before: the next recommendation's text was the first row's,
    opening it there, a row too early, with the rows between under it)."""
    from dhrplans.extract.ruled import DrawnRules
    from pdfplumber import utils

    xs = (20, 120, 220, 320)
    lines = [line(20, y, 320, y) for y in (50, 70, 160)]
    for y in (100, 130):  # rows ruled apart except in the Recommendation column
        lines += [line(20, y, 120, y), line(220, y, 320, y)]
    lines += [line(x, 50, x, 160) for x in xs]
    edges = [utils.line_to_edge(ln) for ln in lines]
    text = [
        w for x, t in zip(xs, ("Ref", "Recommendation", "Action")) for w in phrase(t, x + 4, 55)
    ]
    text += phrase("1.2", 24, 75) + phrase("Audit files", 224, 75)
    text += phrase("1.3", 24, 105) + phrase("Report on it", 224, 105)
    text += phrase("2.1", 24, 135) + phrase("Share notes", 224, 135)
    text += phrase("2. Partners should", 124, 135) + phrase("share notes.", 124, 145)
    (t,) = ruled_tables(DrawnRules(edges, []), text, 1, edges=edges)
    assert [[(c.col, c.text) for c in r.cells if c.text] for r in t.rows[1:]] == [
        [(0, "1.2"), (2, "Audit files")],
        [(0, "1.3"), (2, "Report on it")],
        [(0, "2.1"), (1, "2. Partners should share notes."), (2, "Share notes")],
    ]
    moved = next(c for c in t.rows[3].cells if c.col == 1)
    assert moved.bbox == (120, 130, 220, 160)


def test_text_centred_in_a_box_down_several_rows_stays_the_boxs() -> None:
    """A recommendation's number and text merged down its three actions' rows and set
    vertically centred (Word's vAlign center): the text stands in the box's middle, level
    with the middle row's first line, nothing above it in the box. The box is one merged
    cell of its first row, not the middle row's (failed before: the text was moved to the
    middle row, and the first action was left without its recommendation's number).
    Geometry as LibreOffice renders such a Word table."""
    from dhrplans.extract.model import RawCell, RawRow
    from dhrplans.extract.ruled import _merged_text_to_its_row
    from unit_fixtures.build import line

    def action(top: float, bottom: float, text: str) -> RawCell:
        return RawCell(1, 1, 1, (349.0, top, 482.0, bottom), [line(text, 355.0, top - 0.3)])

    number = RawCell(0, 1, 1, (85.0, 128.0, 217.0, 219.0), [line("1", 90.0, 166.6)])
    rows = [
        RawRow(1, (85.0, 128.0, 482.0, 219.0), [number, action(128.0, 167.0, "Train staff")]),
        RawRow(1, (349.0, 167.0, 482.0, 193.0), [action(167.0, 193.0, "Audit files")]),
        RawRow(1, (349.0, 193.0, 482.0, 219.0), [action(193.0, 219.0, "Brief staff")]),
    ]
    _merged_text_to_its_row(rows, DEFAULT_SETTINGS.layout.line_tolerance)
    assert [[c.text for c in r.cells] for r in rows] == [
        ["1", "Train staff"],
        ["Audit files"],
        ["Brief staff"],
    ]

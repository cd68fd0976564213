"""extract.engines: the registry of page engines, each run alone on a hand-built page."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dhrplans.extract.engines as engines
import pytest
from dhrplans.extract import document
from dhrplans.extract.engines import PAGE_ENGINES, PageContext, PageEngine, read_page, with_lines
from dhrplans.extract.model import RawTable
from dhrplans.extract.ruled import row_rules
from pdfplumber import utils
from unit_fixtures.build import phrase

from dhrplans.settings import DEFAULT_SETTINGS

TESTS = Path(__file__).parent
GUTTER = 4.5  # what extract.document derives from a 2.5pt word space
XS = (20.0, 120.0, 220.0, 320.0)  # a drawn grid's column rules
LABELS = ("Ref", "Action", "Lead Agency")


def rule(x0: float, top: float, x1: float, bottom: float) -> dict:
    """The edge of one drawn line, as ruled.ruling_edges gives it."""
    return utils.line_to_edge(
        {
            "object_type": "line",
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "pts": [(x0, top), (x1, bottom)],
        }
    )


def grid_rules(ys: tuple[float, ...] = (50.0, 70.0, 110.0)) -> list[dict]:
    """A three-column grid: a header row and one action row."""
    return [rule(x, ys[0], x, ys[-1]) for x in XS] + [rule(XS[0], y, XS[-1], y) for y in ys]


def row_words(texts: tuple[str, ...], top: float, bold: bool = False) -> list[dict]:
    return [w for x, text in zip(XS, texts) for w in phrase(text, x + 4.0, top, bold=bold)]


def grid_words() -> list[dict]:
    return row_words(LABELS, 55.0, bold=True) + row_words(("1.1", "Train staff", "BCC"), 80.0)


def context(words: list[dict], edges: list[dict] = (), **kw) -> PageContext:
    """A page as extract.document hands it to the engines."""
    edges = list(edges)
    page = {
        "path": Path("no.pdf"),  # no engine here renders the page
        "number": 1,
        "height": 800.0,
        "words": words,
        "edges": edges,
        "shading": [],
        "rulings": len(edges),
        "scan": False,
        "body": 10.0,
        "gutter": GUTTER,
        "settings": DEFAULT_SETTINGS,
        "hrules": row_rules(edges, []),
    }
    return PageContext(**{**page, **kw})


def boxed(engine: str = "camelot-lattice") -> RawTable:
    """A table over the grid's box (its cells do not matter here)."""
    return RawTable(1, (XS[0], 50.0, XS[-1], 110.0), engine, 3, list(XS), [])


def only(*names: str) -> list[PageEngine]:
    by_name = {e.name: e for e in PAGE_ENGINES}
    return [by_name[n] for n in names]


# --- the registry ----------------------------------------------------------------------------


def test_the_order_is_the_documented_one() -> None:
    assert [e.name for e in PAGE_ENGINES] == [
        "drawn grids",
        "camelot second opinion",
        "text alignment",
        "rows under grids",
        "camelot alone",
        "forms",
        "colon forms",
    ]
    # the engines that read drawn rules come first: the text ones read what is left
    reads = [e.reads_lines for e in PAGE_ENGINES]
    assert reads == sorted(reads)


def test_an_engine_whose_when_fails_is_not_read() -> None:
    def never_read(ctx: PageContext) -> PageContext:
        raise AssertionError("read")

    skipped = PageEngine("never", True, lambda ctx: False, never_read)
    ctx = read_page(context(grid_words()), [skipped])
    assert ctx.lines is not None and not ctx.text and not ctx.grids


def test_an_engine_raising_fails_the_page_and_no_later_engine_runs() -> None:
    # As before the registry: no engine's error is swallowed (the document fails and the
    # runner records why); camelot's own failures are no tables (camelot_engine.py).
    def broken(ctx: PageContext) -> PageContext:
        raise RuntimeError("engine bug")

    ran = []
    later = PageEngine("later", True, lambda ctx: ran.append(1) or True, lambda ctx: ctx)
    with pytest.raises(RuntimeError, match="engine bug"):
        read_page(context(grid_words()), [PageEngine("broken", False, bool, broken), later])
    assert not ran


def test_an_engine_raising_fails_the_document(monkeypatch) -> None:
    def broken(ctx: PageContext) -> PageContext:
        raise RuntimeError("engine bug")

    monkeypatch.setattr(engines, "PAGE_ENGINES", (PageEngine("broken", False, bool, broken),))
    with pytest.raises(RuntimeError, match="engine bug"):
        document.extract_document(TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-ragfill.pdf")


def test_lines_are_the_text_outside_the_grids_without_furniture_or_letterhead() -> None:
    words = (
        phrase("Safer City Partnership", 20.0, 10.0)  # over the title: a letterhead
        + grid_words()
        + phrase("Recommendation 2", 20.0, 130.0)
        + phrase("Page 1 of 3", 20.0, 780.0)
    )
    grid = boxed()
    ctx = context(words, skip=frozenset({(780.0, "Page 1 of 3")}), text_top=30.0, grids=[grid])
    assert [ln.text for ln in with_lines(ctx).lines] == ["Recommendation 2"]


# --- each engine alone -----------------------------------------------------------------------


def test_drawn_grids_alone() -> None:
    edges = grid_rules() + [rule(XS[0], 300.0, XS[-1], 300.0)]  # and a rule under a paragraph
    ctx = read_page(context(grid_words(), edges), only("drawn grids"))
    (grid,) = ctx.grids
    assert grid.engine == "pdfplumber-lattice" and grid.n_cols == 3
    assert [[c.text for c in r.cells] for r in grid.rows] == [
        list(LABELS),
        ["1.1", "Train staff", "BCC"],
    ]
    assert ctx.hrules == [(300.0, XS[0], XS[-1])]  # the grid's own rules part no text rows
    assert ctx.lines == []  # made at the end: every word is in the grid


def test_drawn_grids_skip_a_scan() -> None:
    ctx = read_page(context(grid_words(), grid_rules(), scan=True), only("drawn grids"))
    assert ctx.grids == []


def test_camelot_second_opinion_is_not_asked_about_a_grid_that_reads_well(monkeypatch) -> None:
    def no_camelot(*args, **kw):
        raise AssertionError("camelot asked")

    monkeypatch.setattr("dhrplans.extract.camelot_engine.camelot_tables", no_camelot)
    ctx = read_page(
        context(grid_words(), grid_rules()), only("drawn grids", "camelot second opinion")
    )
    (grid,) = ctx.grids
    assert grid.engine == "pdfplumber-lattice" and grid.score == 1.0


def test_text_alignment_alone() -> None:
    xs = (30.0, 80.0, 250.0)
    words = [w for x, t in zip(xs, LABELS) for w in phrase(t, x, 100.0, bold=True)]
    for n, top in enumerate((120.0, 140.0)):
        texts = (f"1.{n + 1}", "Review the policy", "BCC")
        words += [w for x, t in zip(xs, texts) for w in phrase(t, x, top)]
    ctx = read_page(context(words), only("text alignment"))
    (found,) = ctx.text
    assert found.engine == "pdfplumber-text" and found.n_cols == 3
    assert ctx.used == [0, 1, 2] and ctx.next_carry is not None  # it runs to the page foot


def test_rows_under_a_grid_in_its_columns() -> None:
    # The grid rules its header and first row only; the next row is printed in its columns.
    words = grid_words() + row_words(("1.2", "Audit case files", "Police"), 120.0)
    ctx = read_page(
        context(words, grid_rules()), only("drawn grids", "text alignment", "rows under grids")
    )
    assert len(ctx.grids) == 1
    (rows,) = ctx.text
    assert rows.n_cols == 3 and [c.text for c in rows.rows[0].cells] == [
        "1.2",
        "Audit case files",
        "Police",
    ]
    assert ctx.used == [0]


def test_camelot_alone_only_on_a_ruled_page_nothing_else_read(monkeypatch) -> None:
    grid = boxed()
    monkeypatch.setattr(engines, "camelot_tables", lambda *args: [grid])
    words = grid_words() + phrase("Recommendation 2", 20.0, 130.0)
    alone = only("camelot alone")
    assert read_page(context(words), alone).grids == []  # no rules drawn: not asked
    ruled = context(words, grid_rules())
    ctx = read_page(ruled, alone)
    assert ctx.grids == [grid]
    assert [ln.text for ln in ctx.lines] == ["Recommendation 2"]  # its lines leave the text
    assert (
        read_page(replace(ruled, grids=[grid]), alone).lines
        == with_lines(replace(ruled, grids=[grid])).lines
    )  # a page with a grid already: not asked again


def test_forms_alone() -> None:
    placed = [
        (30.0, 100.0, "Ref No"),
        (160.0, 100.0, "R1.1"),
        (30.0, 114.0, "Action"),
        (160.0, 114.0, "Train staff"),
        (30.0, 128.0, "Lead agency"),
        (160.0, 128.0, "Birmingham City Council"),
    ]
    words = [w for x, top, text in placed for w in phrase(text, x, top)]
    ctx = read_page(context(words), only("forms"))
    (form,) = ctx.forms
    assert form.engine == "pdfplumber-text"
    assert [r.cells[0].text for r in form.rows] == ["Ref No", "Action", "Lead agency"]
    assert ctx.used == [0, 1, 2] and ctx.next_form_carry is not None


def test_the_whole_registry_reads_a_grid_then_rows_then_a_form() -> None:
    words = grid_words() + row_words(("1.2", "Audit case files", "Police"), 120.0)
    ctx = read_page(context(words, grid_rules()))
    assert [t.engine for t in ctx.grids] == ["pdfplumber-lattice"]
    assert len(ctx.text) == 1 and ctx.forms == []
    assert all(isinstance(t, RawTable) for t in ctx.grids + ctx.text)


def test_grid_with_no_rule_under_its_header_is_left_to_the_text_engine() -> None:
    # A box ruled around and between its columns only: one row of cells, each a label
    # over the rows' values. Such a grid is not a table of one row.
    from dhrplans.extract.engines import _header_over_rows
    from unit_fixtures.build import table

    from dhrplans.settings import DEFAULT_SETTINGS

    boxed = table(
        [
            [
                ["No.", "3.1", "3.2"],
                ["Action", "Nominate a champion", "Publicise the scheme"],
                ["Lead", "MCC", "MCC"],
                ["Deadline", "Ongoing", "01/10/2021"],
                ["Status", "Complete", "Completed"],
            ]
        ]
    )
    ruled = table(
        [
            ["No.", "Action", "Lead", "Deadline", "Status"],
            ["3.1", "Nominate", "MCC", "Ongoing", "Done"],
        ]
    )
    wrapped = table([[["Target", "date"], ["Lead", "agency"], "Ref", "Action", "Status"]])
    assert _header_over_rows(boxed, DEFAULT_SETTINGS)
    assert not _header_over_rows(ruled, DEFAULT_SETTINGS)
    assert not _header_over_rows(wrapped, DEFAULT_SETTINGS)


def test_a_shaded_label_column_draws_its_rows_edges() -> None:
    # A form with no rules, its label cells shaded one under another (each background
    # drawn twice, as Word does): the cells' edges part its rows. Shaded rows apart
    # (alternate rows, a header) tile no column and draw none.
    from dhrplans.extract.engines import shaded_column_rules

    def rect(x0: float, top: float, bottom: float) -> dict:
        return {"x0": x0, "x1": x0 + 90.0, "top": top, "bottom": bottom}

    column = [rect(45.0, t, t + 7.5) for t in (110.0, 117.5, 125.0, 132.5)]
    rules = shaded_column_rules(column + column, 530.0, 3.0)
    assert [y for y, _, _ in rules] == [110.0, 117.5, 125.0, 132.5, 140.0]
    assert {(x0, x1) for _, x0, x1 in rules} == {(45.0, 530.0)}
    alternate = [rect(45.0, t, t + 7.5) for t in (110.0, 125.0, 140.0, 155.0)]
    assert shaded_column_rules(alternate, 530.0, 3.0) == []


def test_camelot_alone_not_on_a_page_carrying_on_the_last_pages_form(monkeypatch) -> None:
    # The last page ended in a form; this one opens at its label edge, its label cells
    # shaded (drawn shapes enough for camelot to be asked): the form goes on, no grid.
    grid = boxed()
    monkeypatch.setattr(engines, "camelot_tables", lambda *args: [grid])
    placed = [(30.0, 40.0, "Progress"), (160.0, 40.0, "Started"), (30.0, 54.0, "Status")]
    words = [w for x, top, text in placed for w in phrase(text, x, top)]
    page = context(words, grid_rules())
    alone = only("camelot alone")
    assert read_page(replace(page, form_carry=(30.0, 160.0)), alone).grids == []
    assert read_page(replace(page, form_carry=(300.0, 400.0)), alone).grids == [grid]


def test_shaded_cells_are_no_rulings_for_camelot() -> None:
    # An unruled form or table whose label cells, banners and header are shaded draws
    # filled boxes only: their edges are in the page image, so camelot's lattice would
    # read a grid of them (and swallow the form). Only lines and thin boxes are rulings.
    from types import SimpleNamespace

    def rect(x0, top, x1, bottom, fill=True, stroke=False):
        return {
            "x0": x0,
            "top": top,
            "x1": x1,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "fill": fill,
            "stroke": stroke,
        }

    shaded = [rect(46.0, 380.0 + 10 * k, 140.0, 389.0 + 10 * k) for k in range(12)]
    thin = [rect(46.0, 380.0 + 10 * k, 540.0, 380.5 + 10 * k) for k in range(8)]
    thin_layout = DEFAULT_SETTINGS.layout.rule_max_thickness
    assert document._rulings(SimpleNamespace(lines=[], rects=shaded), thin_layout) == 0
    page = SimpleNamespace(lines=[{}] * 2, rects=shaded + thin)
    assert document._rulings(page, thin_layout) == 10


def test_camelot_is_not_asked_about_a_grid_whose_columns_each_hold_one_label(monkeypatch) -> None:
    # A glossary or sign-off grid ("Acronym | Meaning | Notes") reads as no action-plan
    # header, but its columns are whole: one short label per cell, no cell running into
    # the next. camelot, reading the same rules from the page image, finds no others, and
    # each such grid cost a page render (no rival ever won on the test corpora).
    def no_camelot(*args, **kw):
        raise AssertionError("camelot asked")

    monkeypatch.setattr("dhrplans.extract.camelot_engine.camelot_tables", no_camelot)
    words = row_words(("Acronym", "Meaning", "Notes"), 55.0, bold=True) + row_words(
        ("IDVA", "Independent Domestic Violence Advisor", "see 2.1"), 80.0
    )
    ctx = read_page(context(words, grid_rules()), only("drawn grids", "camelot second opinion"))
    (grid,) = ctx.grids
    assert grid.engine == "pdfplumber-lattice" and grid.score < 0.3


def test_a_rule_under_part_of_a_row_spans_the_shaded_band_it_bounds() -> None:
    # Word's banded styles (Medium Shading 2) shade alternate rows and draw the rule
    # between two rows under the first column only (full rules part the others): the
    # band's top on that rule is the row's edge across the table, so the rows part
    # (failed before: the short rule was no row rule and two actions were one row,
    # "1.1 1.2"). A band with no rule on its edge draws none.
    xs = (30.0, 80.0, 250.0)
    words = [w for x, t in zip(xs, LABELS) for w in phrase(t, x, 100.0, bold=True)]
    for n, top in enumerate((120.0, 140.0, 160.0)):
        texts = (f"1.{n + 1}", "Review the policy", "BCC")
        words += [w for x, t in zip(xs, texts) for w in phrase(t, x, top)]
    edges = [rule(28.0, y, 330.0, y) for y in (95.0, 112.0, 153.0, 173.0)]
    edges.append(rule(28.0, 134.0, 78.0, 134.0))  # under the first column only

    def rect(x0: float, x1: float, top: float, bottom: float) -> dict:
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "fill": True}

    band = [rect(28.0, 78.0, 133.5, 153.0), rect(78.0, 248.0, 133.5, 153.0)]
    band.append(rect(248.0, 330.0, 133.5, 153.0))
    ctx = read_page(context(words, edges, shading=band), only("drawn grids", "text alignment"))
    (found,) = ctx.text
    assert [[c.text for c in r.cells] for r in found.rows[1:]] == [
        ["1.1", "Review the policy", "BCC"],
        ["1.2", "Review the policy", "BCC"],
        ["1.3", "Review the policy", "BCC"],
    ]
    assert (134.0, 28.0, 330.0) in ctx.hrules
    # a band whose edges meet no rule adds none
    lone = [rect(28.0, 330.0, 200.0, 210.0)]
    ctx = read_page(context(words, edges, shading=lone), only("drawn grids"))
    assert sorted(ctx.hrules) == sorted(row_rules(edges, []))


def test_shaded_bands_part_the_rows_of_a_table_whose_rows_are_ruled() -> None:
    # A banded style draws a rule where a shaded row meets a plain one only in part (here
    # under the first column, which spans the band) and none at the next band's top: in a
    # table whose rows are ruled, a band's edges across the table part rows too (failed
    # before: actions 1.2 and 1.3, no rule drawn between them, were one row "1.2 1.3").
    xs = (30.0, 80.0, 250.0)
    words = [w for x, t in zip(xs, LABELS) for w in phrase(t, x, 100.0, bold=True)]
    for n, top in enumerate((120.0, 140.0, 160.0)):
        texts = (f"1.{n + 1}", "Review the policy", "BCC")
        words += [w for x, t in zip(xs, texts) for w in phrase(t, x, top)]
    edges = [rule(28.0, y, 330.0, y) for y in (95.0, 112.0, 173.0)]
    edges.append(rule(28.0, 134.0, 78.0, 134.0))  # under the first column only

    def rect(x0: float, x1: float, top: float, bottom: float) -> dict:
        return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "fill": True}

    shading = [
        rect(x0, x1, top, bottom)
        for x0, x1 in ((28.0, 78.0), (78.0, 330.0))
        for top, bottom in ((112.0, 133.5), (154.0, 173.0))
    ]
    ctx = read_page(context(words, edges, shading=shading), only("drawn grids", "text alignment"))
    (found,) = ctx.text
    assert [r.cells[0].text for r in found.rows[1:]] == ["1.1", "1.2", "1.3"]
    # with no rule drawn between its rows, the table's rows come from its text alone
    plain = [rule(28.0, y, 330.0, y) for y in (95.0, 112.0, 173.0)]
    ctx = read_page(
        context(words, plain, shading=shading[:1]), only("drawn grids", "text alignment")
    )
    (found,) = ctx.text
    assert [r.cells[0].text for r in found.rows[1:]] == ["1.1", "1.2", "1.3"]


def test_a_shaded_band_parts_a_full_width_row_from_the_banner_under_it() -> None:
    # A table with no rules between rows (a rule under its header only), a shaded row
    # naming an agency across the table, then at once a plain banner: the band's edge
    # between the two lines parts them (failed before: one banner "Elmshire Constabulary
    # Service Recommendation 1: ...").
    xs = (30.0, 80.0, 250.0)
    words = [w for x, t in zip(xs, LABELS) for w in phrase(t, x, 100.0, bold=True)]
    words += phrase("Elmshire Constabulary Service", 30.0, 116.0)
    words += phrase("Recommendation 1: Share risk information", 30.0, 127.0)
    for n, top in enumerate((145.0, 160.0)):
        texts = (f"1.{n + 1}", "Review the policy", "Elmshire Borough Council")
        words += [w for x, t in zip(xs, texts) for w in phrase(t, x, top)]
    edges = [rule(28.0, 112.0, 380.0, 112.0)]
    band = {"x0": 28.0, "x1": 380.0, "top": 114.5, "bottom": 126.5, "fill": True}
    ctx = read_page(context(words, edges, shading=[band]), only("drawn grids", "text alignment"))
    (found,) = ctx.text
    assert [r.cells[0].text.split()[0] for r in found.rows[1:]] == [
        "Elmshire",
        "Recommendation",
        "1.1",
        "1.2",
    ]
    # no band: the two lines, no gap between them, are read as one banner as before
    ctx = read_page(context(words, edges), only("drawn grids", "text alignment"))
    (found,) = ctx.text
    assert [r.cells[0].text.split()[0] for r in found.rows[1:]] == ["Elmshire", "1.1", "1.2"]

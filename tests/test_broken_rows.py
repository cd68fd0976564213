"""Rows a page break or a banded style leaves without the rules that part them: the rest
of a row under the next page's header, and a column no rule crosses (invented plans)."""

from __future__ import annotations

from dhrplans.extract.aligned import _merge_where_rules_stop
from dhrplans.extract.model import RawCell, RawRow, TextLine
from dhrplans.extract.ruled import _unruled_row_cells
from unit_fixtures.build import phrase

from dhrplans.settings import DEFAULT_SETTINGS

EDGES = [50.0, 150.0, 250.0, 350.0, 450.0]  # a box across four columns, no inner rules


def test_rest_of_a_broken_row_is_its_columns_cell() -> None:
    # the tail of an action, alone in the second column under the repeated header
    words = phrase("kept under", 155, 60) + phrase("review by", 155, 72)
    parts = _unruled_row_cells(words, EDGES, DEFAULT_SETTINGS.layout)
    assert parts is not None
    assert [len(p) for p in parts] == [0, 4, 0, 0]


def test_banner_inside_the_first_column_stays_one_cell() -> None:
    words = phrase("Lantern Trust", 55, 60)
    assert _unruled_row_cells(words, EDGES, DEFAULT_SETTINGS.layout) is None


def test_centred_banner_stays_one_cell() -> None:
    words = phrase("Part two", 0, 60)
    width = words[-1]["x1"] - words[0]["x0"]
    words = phrase("Part two", 250 - width / 2, 60)  # centred on the box
    assert _unruled_row_cells(words, EDGES, DEFAULT_SETTINGS.layout) is None


def _line(text: str, x0: float, top: float) -> TextLine:
    return TextLine(text, x0, x0 + 6 * len(text), top, top + 10, 6.0)


def _cell(col: int, top: float, bottom: float, *texts: str) -> RawCell:
    lines = [_line(t, 100 * col + 55, top + 12 * k) for k, t in enumerate(texts)]
    return RawCell(col, 1, 1, (100 * col + 50, top, 100 * col + 150, bottom), lines)


def _rows(first_col_below: str, at: float) -> list[RawRow]:
    above = RawRow(
        1,
        (50, 100, 450, 160),
        [_cell(0, 100, 160, "7.1"), _cell(1, 100, 160, "Audit the", "rota", "monthly")],
    )
    below = RawRow(
        1,
        (50, 170, 450, 200),
        [_cell(0, at, 200, first_col_below), _cell(1, 170, 200, "Brief the wardens")],
    )
    return [above, below]


RULE = [(165.0, 145.0, 450.0)]  # a band's edge across every column but the first


def test_column_no_rule_crosses_keeps_each_rows_own_text() -> None:
    rows = _rows("7.2", 170)
    _merge_where_rules_stop(rows, RULE, [50, 150, 250, 350, 450])
    assert [c.text for c in rows[0].cells] == ["7.1", "Audit the rota monthly"]
    assert [c.text for c in rows[1].cells] == ["7.2", "Brief the wardens"]


def test_merged_cell_running_on_across_the_rule_is_one_cell() -> None:
    rows = [
        RawRow(
            1,
            (50, 100, 450, 160),
            [
                _cell(0, 100, 160, "Every", "ward", "reviews", "its", "rota"),
                _cell(1, 100, 160, "x"),
            ],
        ),
        RawRow(1, (50, 166, 450, 200), [_cell(0, 166, 200, "weekly"), _cell(1, 170, 200, "y")]),
    ]
    _merge_where_rules_stop(rows, RULE, [50, 150, 250, 350, 450])
    assert rows[0].cells[0].text == "Every ward reviews its rota weekly"

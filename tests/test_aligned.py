"""extract.aligned: unruled and horizontally ruled tables from hand-placed words."""

from __future__ import annotations

import pytest
from dhrplans.extract.aligned import ColumnLayout, aligned_tables, header_phrases
from dhrplans.extract.layout import group_lines
from dhrplans.extract.model import RawTable
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, phrase

GUTTER = 4.5  # what extract.document derives from a 2.5pt word space
COLS = [30.0, 80.0, 250.0, 350.0, 450.0]
LABELS = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]


def header(top: float = 100.0, cols=COLS, labels=LABELS) -> list[dict]:
    return [w for x, label in zip(cols, labels) for w in phrase(label, x, top, bold=True)]


def data(texts: list[str], top: float, cols=COLS) -> list[dict]:
    return [w for x, text in zip(cols, texts) if text for w in phrase(text, x, top)]


def grid(t: RawTable) -> list[list[tuple[int, int, list[str]]]]:
    """Each row as (col, colspan, lines) per cell."""
    return [[(c.col, c.colspan, [ln.text for ln in c.lines]) for c in r.cells] for r in t.rows]


def page_words(top: float = 130.0) -> list[dict]:
    """A banner over two data rows with multi-line cells."""
    return (
        phrase("Recommendation 1: All agencies should review their domestic abuse", 30.0, top)
        + data(["1.1", "Review the policy", "BCC", "Mar-14", "Complete"], top + 20)
        + data(["", "and procedures"], top + 32)
        + data(["1.2", "Audit case files", "West Midlands", "Jun-14", "Ongoing"], top + 46)
        + data(["", "", "Police"], top + 58)
    )


UNRULED_ROWS = [
    [(0, 5, ["Recommendation 1: All agencies should review their domestic abuse"])],
    [
        (0, 1, ["1.1"]),
        (1, 1, ["Review the policy", "and procedures"]),
        (2, 1, ["BCC"]),
        (3, 1, ["Mar-14"]),
        (4, 1, ["Complete"]),
    ],
    [
        (0, 1, ["1.2"]),
        (1, 1, ["Audit case files"]),
        (2, 1, ["West Midlands", "Police"]),
        (3, 1, ["Jun-14"]),
        (4, 1, ["Ongoing"]),
    ],
]


# --- header detection ------------------------------------------------------------------------


def test_header_phrases_of_a_header_line() -> None:
    (line,) = group_lines(header())
    phrases = header_phrases(line, GUTTER)
    assert phrases is not None
    assert [" ".join(w["text"] for w in p) for p in phrases] == LABELS


def test_header_phrases_of_a_data_line_is_none() -> None:
    (line,) = group_lines(data(["1.1", "Review the policy", "BCC", "Mar-14", "Complete"], 100.0))
    assert header_phrases(line, GUTTER) is None


def test_header_phrases_needs_three_columns() -> None:
    (line,) = group_lines(phrase("Ref", 30.0, 100.0) + phrase("Action", 80.0, 100.0))
    assert header_phrases(line, GUTTER) is None


# --- an unruled page -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unruled():
    words = header() + phrase("for Completion", 350.0, 112.0, bold=True) + page_words()
    return aligned_tables(group_lines(words), 1, GUTTER, [], None)


def test_unruled_page_columns(unruled) -> None:
    tables, used, carry = unruled
    (t,) = tables
    assert t.engine == "pdfplumber-text"
    assert t.page == 1
    assert t.n_cols == 5
    assert t.col_edges[:5] == COLS
    labels = ("Ref", "Action", "Lead Agency", "Target Date for Completion", "Status")
    assert carry == ColumnLayout(COLS, t.col_edges[-1], 10.0, labels)
    assert used == list(range(7))  # every line of the page is in the table


def test_unruled_page_header_row_keeps_wrapped_labels(unruled) -> None:
    (t,) = unruled[0]
    assert grid(t)[0] == [
        (0, 1, ["Ref"]),
        (1, 1, ["Action"]),
        (2, 1, ["Lead Agency"]),
        (3, 1, ["Target Date", "for Completion"]),
        (4, 1, ["Status"]),
    ]
    assert all(c.bold for c in t.rows[0].cells)


def test_unruled_page_banner_and_rows(unruled) -> None:
    (t,) = unruled[0]
    assert grid(t)[1:] == UNRULED_ROWS
    assert all(r.page == 1 for r in t.rows)


def test_unruled_cell_bboxes_follow_the_columns(unruled) -> None:
    (t,) = unruled[0]
    banner = t.rows[1].cells[0]
    assert banner.bbox[0] == COLS[0] and banner.bbox[2] == t.col_edges[-1]
    action = t.rows[2].cells[1]
    assert action.bbox[0] == COLS[1]
    assert action.bbox[2] == COLS[2] - 1.0  # up to the next column's start
    assert action.bbox[1] == 150.0 and action.bbox[3] == 172.0  # both lines


def test_banner_keeps_its_short_last_line() -> None:
    words = (
        header()
        + phrase("Recommendation 1: All agencies should review their", 30.0, 120.0, bold=True)
        + phrase("policies", 30.0, 132.0, bold=True)
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 146.0)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert grid(t)[1] == [
        (0, 5, ["Recommendation 1: All agencies should review their", "policies"])
    ]
    assert len(t.rows) == 3


def banner_then_rows(bold: bool) -> list[dict]:
    """A one-line banner and two one-line rows at the ordinary line pitch (no row gap)."""
    return (
        header()
        + phrase("Recommendation 1: All agencies should review their", 30.0, 120.0, bold=bold)
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 132.0)
        + data(["1.2", "Audit", "BCC", "Apr-14", "Open"], 144.0)
    )


BANNER_THEN_ROWS = [
    [(0, 5, ["Recommendation 1: All agencies should review their"])],
    [(0, 1, ["1.1"]), (1, 1, ["Train"]), (2, 1, ["BCC"]), (3, 1, ["Mar-14"]), (4, 1, ["Done"])],
    [(0, 1, ["1.2"]), (1, 1, ["Audit"]), (2, 1, ["BCC"]), (3, 1, ["Apr-14"]), (4, 1, ["Open"])],
]


def test_bold_banner_then_rows_without_a_gap() -> None:
    (t,), _, _ = aligned_tables(group_lines(banner_then_rows(True)), 1, GUTTER, [], None)
    assert grid(t)[1:] == BANNER_THEN_ROWS


def test_regular_weight_banner_then_rows_without_a_gap() -> None:
    (t,), _, _ = aligned_tables(group_lines(banner_then_rows(False)), 1, GUTTER, [], None)
    assert grid(t)[1:] == BANNER_THEN_ROWS


def compound_column_page() -> list[dict]:
    """No rules: each recommendation a row of bold lines printing only in the action's
    column ("Recommendation N: ..."), its actions' rows in regular type under it."""
    return (
        header(labels=["Ref", "Recommendation / Action", "Lead Agency", "Target Date", "Status"])
        + phrase("Recommendation 1: Agencies", 80.0, 112.0, bold=True)
        + phrase("should share data.", 80.0, 124.0, bold=True)
        + data(["1.1", "Write a protocol", "BCC", "Mar-14", "Done"], 136.0)
        + data(["", "and train staff"], 148.0)
        + phrase("Recommendation 2: Housing", 80.0, 160.0, bold=True)
        + phrase("should screen.", 80.0, 172.0, bold=True)
        + data(["2.1", "Audit files", "BCC", "Apr-14", "Open"], 184.0)
    )


def test_recommendation_rows_in_the_action_column_of_an_unruled_table() -> None:
    # The recommendation's line under the header is in the header's weight, but a
    # recommendation's number opens it: the first row, not a label wrapped. The next
    # one, bold under an action's regular lines, opens its own row as a rule would.
    (t,), _, _ = aligned_tables(group_lines(compound_column_page()), 1, GUTTER, [], None)
    assert grid(t) == [
        [
            (0, 1, ["Ref"]),
            (1, 1, ["Recommendation / Action"]),
            (2, 1, ["Lead Agency"]),
            (3, 1, ["Target Date"]),
            (4, 1, ["Status"]),
        ],
        [(1, 1, ["Recommendation 1: Agencies", "should share data."])],
        [
            (0, 1, ["1.1"]),
            (1, 1, ["Write a protocol", "and train staff"]),
            (2, 1, ["BCC"]),
            (3, 1, ["Mar-14"]),
            (4, 1, ["Done"]),
        ],
        [(1, 1, ["Recommendation 2: Housing", "should screen."])],
        [
            (0, 1, ["2.1"]),
            (1, 1, ["Audit files"]),
            (2, 1, ["BCC"]),
            (3, 1, ["Apr-14"]),
            (4, 1, ["Open"]),
        ],
    ]
    out = normalise_document(doc([t]))
    assert [r["text"] for r in out.recommendations] == [
        "Agencies should share data.",
        "Housing should screen.",
    ]
    assert [a["rec_number"] for a in out.actions] == ["1", "2"]
    assert [a["action"] for a in out.actions] == ["Write a protocol and train staff", "Audit files"]


def test_one_line_rows_split_at_each_new_ref() -> None:
    words = (
        header()
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 120.0)
        + data(["1.2", "Audit", "BCC", "Apr-14", "Open"], 132.0)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[c.text for c in r.cells][:2] for r in t.rows[1:]] == [
        ["1.1", "Train"],
        ["1.2", "Audit"],
    ]


def test_ref_broken_by_a_narrow_column_stays_in_its_row() -> None:
    cols = [30.0, 50.0, 250.0, 350.0, 450.0]  # the ref column is four characters wide
    words = (
        header(cols=cols)
        + data(["3.", "Train", "BCC", "Mar-14", "Done"], 120.0, cols)
        + data(["1", "staff"], 132.0, cols)
        + data(["3.", "Audit", "BCC", "Mar-14", "Done"], 146.0, cols)
        + data(["2"], 158.0, cols)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[ln.text for ln in r.cells[0].lines] for r in t.rows[1:]] == [["3.", "1"], ["3.", "2"]]
    assert [ln.text for ln in t.rows[1].cells[1].lines] == ["Train", "staff"]


def test_body_stops_at_a_larger_heading_and_a_second_header_opens_a_table() -> None:
    words = (
        header()
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 120.0)
        + phrase("West Midlands Police", 30.0, 150.0, size=14.0, bold=True)
        + header(180.0)
        + data(["1", "Patrol", "WMP", "Apr-14", "Open"], 200.0)
    )
    lines = group_lines(words)
    tables, used, _ = aligned_tables(lines, 1, GUTTER, [], None)
    assert [len(t.rows) for t in tables] == [2, 2]
    assert [t.rows[1].cells[1].text for t in tables] == ["Train", "Patrol"]
    assert lines[2].text == "West Midlands Police"
    assert 2 not in used  # left for the caller to read as the second table's heading


def test_page_without_a_table() -> None:
    words = phrase("Domestic Homicide Review", 30.0, 50.0, size=16.0) + phrase(
        "An introduction in prose.", 30.0, 80.0
    )
    assert aligned_tables(group_lines(words), 1, GUTTER, [], None) == ([], [], None)


# --- horizontal rules ------------------------------------------------------------------------

RULE = (25.0, 495.0)


def ruled_words() -> list[dict]:
    # Row 1.1's lead cell starts on its second line, and the second row has no ref:
    # line occupancy alone reads these wrongly, the rules decide.
    return (
        header()
        + data(["1.1", "Review the policy", "", "Mar-14", "Complete"], 120.0)
        + data(["", "and procedures", "BCC"], 132.0)
        + data(["", "Train the staff", "", "", "Ongoing"], 146.0)
    )


def test_without_rules_rows_come_from_line_occupancy() -> None:
    (t,), _, _ = aligned_tables(group_lines(ruled_words()), 1, GUTTER, [], None)
    assert t.engine == "pdfplumber-text"
    # The lead cell opening on the row's second line is read as a new row.
    assert [[c.text for c in r.cells] for r in t.rows[1:]] == [
        ["1.1", "Review the policy", "Mar-14", "Complete"],
        ["and procedures", "BCC"],
        ["Train the staff", "Ongoing"],
    ]


def test_horizontal_rules_split_rows() -> None:
    rules = [(y, *RULE) for y in (98.0, 117.0, 144.0, 158.0)]
    (t,), _, _ = aligned_tables(group_lines(ruled_words()), 1, GUTTER, rules, None)
    assert t.engine == "pdfplumber-ruled-rows"
    assert grid(t)[1:] == [
        [
            (0, 1, ["1.1"]),
            (1, 1, ["Review the policy", "and procedures"]),
            (2, 1, ["BCC"]),
            (3, 1, ["Mar-14"]),
            (4, 1, ["Complete"]),
        ],
        [(1, 1, ["Train the staff"]), (4, 1, ["Ongoing"])],
    ]


def test_short_rules_are_ignored() -> None:
    # Rules under 60% of the table width (e.g. a cell underline) do not split rows.
    rules = [(y, 25.0, 120.0) for y in (98.0, 117.0, 144.0, 158.0)]
    (t,), _, _ = aligned_tables(group_lines(ruled_words()), 1, GUTTER, rules, None)
    assert t.engine == "pdfplumber-text"


# --- a table continued on the next page ------------------------------------------------------


def test_page_without_header_continues_with_the_carried_layout(unruled) -> None:
    carry = unruled[2]
    lines = group_lines(page_words(top=60.0))
    tables, used, carry_out = aligned_tables(lines, 2, GUTTER, [], carry)
    (t,) = tables
    assert t.page == 2
    assert t.n_cols == 5
    assert grid(t) == UNRULED_ROWS  # no header row on this page
    assert all(c.page == 2 for r in t.rows for c in r.cells)
    assert used == list(range(len(lines)))
    assert carry_out == carry


def test_page_without_header_and_no_carry_has_no_table() -> None:
    lines = group_lines(page_words(top=60.0))
    assert aligned_tables(lines, 2, GUTTER, [], None) == ([], [], None)


def test_carried_layout_is_not_used_for_text_that_does_not_align(unruled) -> None:
    carry = unruled[2]
    words = (
        phrase("Some prose that starts", 40.0, 60.0)
        + phrase("elsewhere on the page", 60.0, 72.0)
        + phrase("and is not a table", 95.0, 84.0)
    )
    tables, used, carry_out = aligned_tables(group_lines(words), 2, GUTTER, [], carry)
    assert tables == [] and used == []
    assert carry_out == carry


def test_a_page_of_lines_across_the_carried_columns_is_not_the_table(unruled) -> None:
    """A closing remark pushed to the next page, printed from the first column's start
    across the others, starts where a column does but prints in none: no row of the
    carried table (failed before: read as a banner and glued to the last recommendation)."""
    carry = unruled[2]
    words = phrase(
        "Agreed by the board of the partnership at its meeting. Next review: in spring.",
        30.0,
        60.0,
    )
    tables, used, carry_out = aligned_tables(group_lines(words), 2, GUTTER, [], carry)
    assert tables == [] and used == []
    assert carry_out == carry


def test_a_banner_over_rows_still_continues_the_carried_table(unruled) -> None:
    carry = unruled[2]
    (t,), _, _ = aligned_tables(group_lines(page_words(top=60.0)), 2, GUTTER, [], carry)
    assert t.rows[0].cells[0].colspan == 5


def test_carried_table_then_a_new_header_on_the_same_page(unruled) -> None:
    carry = unruled[2]
    cols = [30.0, 100.0, 300.0, 400.0]
    labels = ["Ref", "Action", "Lead Agency", "Status"]
    words = (
        data(["1.3", "Finish the audit", "BCC", "Apr-14", "Done"], 60.0)
        + header(120.0, cols, labels)
        + data(["1", "Patrol", "WMP", "Open"], 140.0, cols)
    )
    tables, _, carry_out = aligned_tables(group_lines(words), 2, GUTTER, [], carry)
    assert [t.n_cols for t in tables] == [5, 4]
    assert [len(t.rows) for t in tables] == [1, 2]
    assert tables[0].rows[0].cells[1].text == "Finish the audit"
    assert carry_out.starts == cols


def test_text_engine_tables_normalise_into_one_section() -> None:
    page1 = group_lines(header() + page_words())
    t1, _, carry = aligned_tables(page1, 1, GUTTER, [], None)
    page2 = group_lines(
        data(["", "in the Homeless team"], 60.0)
        + data(["1.3", "Train the staff", "BCC", "May-14", "Done"], 74.0)
    )
    t2, _, _ = aligned_tables(page2, 2, GUTTER, [], carry)
    out = normalise_document(doc(t1 + t2))
    assert out.n_sections == 1
    assert [a["ref"] for a in out.actions] == ["1.1", "1.2", "1.3"]
    assert out.actions[0]["action"] == "Review the policy and procedures"
    assert out.actions[1]["action"] == "Audit case files in the Homeless team"
    assert (out.actions[1]["page_start"], out.actions[1]["page_end"]) == (1, 2)
    assert out.actions[1]["lead_agency"] == "West Midlands Police"
    assert [a["rec_number"] for a in out.actions] == ["1", "1", "1"]
    assert out.recommendations[0]["n_actions"] == 3
    assert all(a["engine"] == "pdfplumber-text" for a in out.actions)


def test_repeated_header_ends_where_it_ended_on_the_last_page(unruled) -> None:
    """The rest of a bold row broken by the page sits right under the repeated header, in
    a label's column: once the header reads as it did on the last page, that text is the
    first row, not more label."""
    carry = unruled[2]
    words = (
        header(top=50.0)
        + phrase("for Completion", 350.0, 62.0, bold=True)
        + phrase("the rest of a broken row", 80.0, 74.0, bold=True)
        + data(["2.1", "Train staff", "BCC", "Mar-14", "Complete"], 100.0)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 2, GUTTER, [], carry)
    assert [c.text for c in t.rows[0].cells] == list(carry.header_texts)
    assert [c.text for c in t.rows[1].cells] == ["the rest of a broken row"]


def test_new_ref_in_a_ref_column_that_is_not_first_opens_a_row() -> None:
    # "Action | Who | Item | Status": the ref column is third. Row 1.1 is one line and
    # row 1.2 starts on the next line: the new ref there opens a row.
    labels = ["Action", "Lead Agency", "Ref", "Status"]
    cols = [30.0, 250.0, 400.0, 450.0]
    words = (
        header(100.0, cols, labels)
        + data(["Add questions to the tool", "KMPT", "1.1", "Amber"], 114.0, cols)
        + data(["Chairs should draw up plans", "Kent Police", "1.2", "Amber"], 126.0, cols)
        + data(["that protect the child"], 138.0, cols)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[c.text for c in r.cells] for r in tables[0].rows[1:]] == [
        ["Add questions to the tool", "KMPT", "1.1", "Amber"],
        ["Chairs should draw up plans that protect the child", "Kent Police", "1.2", "Amber"],
    ]


def test_new_ref_in_the_last_column_opens_a_row() -> None:
    labels = ["Action", "Lead Agency", "Status", "Ref"]
    cols = [30.0, 250.0, 400.0, 480.0]
    words = (
        header(100.0, cols, labels)
        + data(["Refresh the policy", "KMPT", "Green", "C2.1"], 114.0, cols)
        + data(["Ensure that all staff", "Kent Police", "Amber", "C2.2"], 126.0, cols)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [r.cells[-1].text for r in tables[0].rows[1:]] == ["C2.1", "C2.2"]


def test_row_rule_below_the_top_of_the_next_line_still_parts_rows() -> None:
    # Tight cell padding: the font box of a row's first line rises above the rule over
    # the row. The rule still parts the rows (it lies between the lines' middles).
    words = (
        header(100.0)
        + data(["1.1", "Review the policy", "BCC", "Mar-14", "Complete"], 114.0)
        + data(["", "and procedures"], 124.0)
        + data(["", "Audit case files", "WMP", "Jun-14", "Ongoing"], 134.0)
    )
    lines = group_lines(words)
    rules = [(112.0, 25.0, 560.0), (135.5, 25.0, 560.0), (146.0, 25.0, 560.0)]
    tables, _, _ = aligned_tables(lines, 1, GUTTER, rules, None)
    actions = [next(c.text for c in r.cells if c.col == 1) for r in tables[0].rows[1:]]
    assert actions == ["Review the policy and procedures", "Audit case files"]


@pytest.mark.parametrize("text", ["Action 1.1", "Ref 2a", "I.2", "A1", "C2.1", "(4)"])
def test_refs_with_a_word_before_them_or_lettered_read_as_refs(text: str) -> None:
    from dhrplans.extract.aligned import REF_RE

    assert REF_RE.match(text)


@pytest.mark.parametrize("text", ["Action plan", "Review 1.1", "Actions"])
def test_words_are_not_refs(text: str) -> None:
    from dhrplans.extract.aligned import REF_RE

    assert not REF_RE.match(text)


def test_column_lookup_equals_the_scan():
    """The binary search over column starts gives the linear scan's column for every
    left edge: on a start, either side of it, before the first, unordered starts, NaN."""
    import random

    from dhrplans.extract.aligned import _col_of, _Columns

    rng = random.Random(7)
    cases = [COLS, [30.0, 30.0, 80.0], [80.0, 30.0, 250.0], [50.0]]
    cases += [sorted(rng.uniform(0, 600) for _ in range(rng.randint(1, 8))) for _ in range(50)]
    for starts in cases:
        for slack in (0.0, 2.0, 3.5):
            cols = _Columns(starts, slack)
            edges = [s - slack for s in starts]
            xs = edges + [e + d for e in edges for d in (-1e-9, 1e-9, -0.5, 0.5)]
            xs += [rng.uniform(-10, 700) for _ in range(40)] + [float("nan"), -1e9, 1e9]
            for x in xs:
                assert cols.of(x) == _col_of(starts, x, slack), (starts, slack, x)


def test_plain_row_under_a_bold_header_is_no_new_header() -> None:
    # Under a bold header, a ruled row whose cells open with label-like words ("Action plan
    # review", "Monitoring of the ...", "Action completed") in plain type is a row, not the
    # header of a new table.
    from unit_fixtures.build import page_lines

    head = page_lines(
        [(30.0, 50.0, "Action"), (150.0, 50.0, "Monitoring"), (300.0, 50.0, "Status")], bold=True
    )
    rows = page_lines(
        [
            (30.0, 70.0, "Train staff"),
            (150.0, 70.0, "Audit"),
            (300.0, 70.0, "Open"),
            (30.0, 90.0, "Action plan review"),
            (150.0, 90.0, "Monitoring of the"),
            (300.0, 90.0, "Action completed"),
            (30.0, 110.0, "Brief partners"),
            (150.0, 110.0, "Board report"),
            (300.0, 110.0, "Ongoing"),
        ]
    )
    rules = [(y, 25.0, 400.0) for y in (66.0, 86.0, 106.0, 122.0)]
    tables, _, _ = aligned_tables(head + rows, 1, 6.0, rules, None)
    assert len(tables) == 1
    assert [r.cells[0].text for r in tables[0].rows][1:] == [
        "Train staff",
        "Action plan review",
        "Brief partners",
    ]


def test_a_second_tables_header_in_plain_type_reading_as_the_first_is_a_header() -> None:
    # Two tables of one template on a page, the second header not bold (an OCR'd page
    # often loses the weight): it still opens a table.
    from unit_fixtures.build import page_lines

    def header(top: float, bold: bool) -> list:
        return page_lines(
            [(30.0, top, "Action"), (150.0, top, "Monitoring"), (300.0, top, "Status")],
            bold=bold,
        )

    def data(top: float, text: str) -> list:
        return page_lines([(30.0, top, text), (150.0, top, "Audit"), (300.0, top, "Open")])

    lines = header(50.0, True) + data(70.0, "Train staff") + header(200.0, False)
    lines += data(220.0, "Brief partners")
    tables, _, _ = aligned_tables(lines, 1, 6.0, [], None)
    assert len(tables) == 2


def test_rows_without_refs_or_gaps_part_where_no_column_wrapped() -> None:
    """Unruled rows set tight, with no ref column: a line is a new row when two of its
    columns start a word that would have fitted on the line before (Word did not wrap
    there); a line that continues a wrapped cell (its column was full) stays."""
    cols = [30.0, 190.0, 260.0, 440.0]
    labels = ["Lead Officer", "RAG", "Key actions", "Due date"]
    first = ["Communications Officer", "Amber", "Check each month.", "01/03/2013"]
    second = ["Safeguarding Children Board", "Green", "Write and implement a policy so that"]
    words = (
        header(cols=cols, labels=labels)
        + data(first, 120.0, cols)
        + data([*second, "Complete"], 132.0, cols)
        + data(["(BSCB)", "", "all staff know it"], 144.0, cols)  # both columns were full
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[ln.text for ln in r.cells[0].lines] for r in t.rows[1:]] == [
        ["Communications Officer"],
        ["Safeguarding Children Board", "(BSCB)"],
    ]
    assert [ln.text for ln in t.rows[2].cells[2].lines] == [
        "Write and implement a policy so that",
        "all staff know it",
    ]


def test_rules_boxing_only_the_header_part_no_rows() -> None:
    """A rule over and a rule under the header, none in the body: the body's rows come
    from line occupancy (all its rows were read as one)."""
    words = (
        header()
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 120.0)
        + data(["1.2", "Audit", "BCC", "Apr-14", "Open"], 140.0)
    )
    rules = [(y, *RULE) for y in (98.0, 112.0)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    assert [[c.text for c in r.cells][:2] for r in t.rows[1:]] == [
        ["1.1", "Train"],
        ["1.2", "Audit"],
    ]


def test_bilingual_header_one_language_over_the_other() -> None:
    # From a generated plan (unruled, 6.5 pt): the Welsh half's line, most labels ending in
    # "/", over the English half; only the Welsh line labels the first column ("Rec").
    # The English line alone read as the header cut every row at its first column.
    def line(placed, top, bold=False):
        return [w for x, t in placed for w in phrase(t, x, top, size=6.5, bold=bold, cw=3.2)]

    xs = [28.5, 78.5, 128.3, 223.1, 312.2, 397.7, 493.1, 576.5, 649.2, 750.0]
    welsh = [
        "Rec",
        "Cyf /",
        "Cam Gweithredu /",
        "Asiantaeth Arweiniol",
        "Swyddog Arweiniol /",
        "Canlyniad Dymunol /",
        "Mesur Llwyddiant /",
        "Dyddiad",
        "Cynnydd / Update",
        "Statws /",
    ]
    english = [
        "Action No.",
        "Action to take",
        "/ Responsible",
        "Responsible officer",
        "Outcome",
        "Evidence of",
        "Targed / Due",
        None,
        "Status",
    ]
    rest = {223.1: "organisation", 493.1: "completion", 576.5: "date"}
    row = [
        "1",
        "Action 1.{}",
        "Remind all",
        "KCC",
        "Nurse",
        "Raised",
        "Audit",
        "Oct-13",
        "In progress",
        "Open",
    ]
    words = (
        line(zip(xs, welsh), 100.0, bold=True)
        + line([(x, t) for x, t in zip(xs[1:], english) if t], 107.6, bold=True)
        + line(rest.items(), 115.2, bold=True)
        + line([(x, t.format(1)) for x, t in zip(xs, row)], 125.0)
        + line([(x, t.format(2)) for x, t in zip(xs, row)], 140.0)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    (t,) = [t for t in tables if len(t.rows) > 1]
    assert [c.text for c in t.rows[0].cells][:2] == ["Rec", "Cyf / Action No."]
    assert [[c.text for c in r.cells][:2] for r in t.rows[1:]] == [
        ["1", "Action 1.1"],
        ["1", "Action 1.2"],
    ]


def test_an_empty_cell_in_a_colour_is_kept_with_its_fill() -> None:
    # RAG shown as the cell's colour alone in an unruled table: the cell has no words,
    # the page a green box there; banded grey rows add no cell.
    from dhrplans.extract.aligned import with_fills

    words = header() + data(["1.1", "Train", "BCC", "Mar-14", ""], 120.0)
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    row = t.rows[1]
    x0, x1 = t.col_edges[4], t.col_edges[5]
    green = {
        "x0": x0,
        "x1": x1,
        "top": row.bbox[1] - 1,
        "bottom": row.bbox[3] + 1,
        "non_stroking_color": (0.0, 0.69, 0.31),
        "fill": True,
    }
    grey = dict(green, x0=t.col_edges[0], x1=t.col_edges[-1], non_stroking_color=(0.9,))
    with_fills(t, [grey, green])
    assert [(c.col, c.text, c.fill) for c in t.rows[1].cells][-1] == (4, "", (0.0, 0.69, 0.31))


def test_group_row_over_an_unruled_header_is_the_tables_first_row() -> None:
    # "Action | Delivery" over "Ref Action | Lead Agency Target Date Status": a row of the
    # table (normalise reads it as a group header), not the table's heading.
    words = (
        header(top=88.0, cols=[30.0, 300.0], labels=["Action", "Delivery"])
        + header()
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 120.0)
    )
    (t,), used, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [(c.col, c.colspan, c.text) for c in t.rows[0].cells] == [
        (0, 2, "Action"),
        (2, 3, "Delivery"),
    ]
    assert [c.text for c in t.rows[1].cells] == LABELS
    assert used == [0, 1, 2]


def test_bilingual_header_whose_welsh_labels_wrap_without_a_slash() -> None:
    # From a generated plan: the Welsh half's labels wrap over two lines, only some
    # ending in "/"; the English halves below. The header starts at the Welsh line (its
    # phrases in the header's columns), so the "Recommendation" column keeps its rows.
    def line(placed, top, bold=False):
        return [w for x, t in placed for w in phrase(t, x, top, size=7.0, bold=bold, cw=3.4)]

    xs = [51.1, 146.5, 195.2, 279.9, 354.5, 434.1]
    words = (
        line(
            zip(
                xs,
                [
                    "Recommendation",
                    "Cyf /",
                    "Cam Gweithredu /",
                    "Asiantaeth",
                    "Swyddog",
                    "Canlyniad",
                ],
            ),
            100.0,
            True,
        )
        + line(
            zip(
                xs[1:],
                ["Action", "Action to take", "Arweiniol /", "Arweiniol /", "Dymunol / Desired"],
            ),
            108.1,
            True,
        )
        + line(
            zip([146.5, 279.9, 354.5, 434.1], ["Ref", "Owner", "Responsible", "outcome"]),
            116.2,
            True,
        )
        + line([(354.5, "officer")], 124.3, True)
        + line(zip(xs, ["1", "1a", "Carry out a review", "Cumbria CSP", "Manager", "Safer"]), 134.0)
        + line(zip(xs, ["2", "2a", "Add questions", "Kent Police", "Head", "Aware"]), 150.0)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    (t,) = [t for t in tables if len(t.rows) > 1]
    assert [c.text for c in t.rows[0].cells][:2] == ["Recommendation", "Cyf / Action Ref"]
    assert [[c.text for c in r.cells][:2] for r in t.rows[1:]] == [["1", "1a"], ["2", "2a"]]


def test_a_lettered_recommendation_row_under_the_header_is_no_label() -> None:
    # "I | Improve the way ..." right under the header, in its bold type, no gap: a row (a
    # Roman-numbered recommendation), not the header's second line.
    words = (
        header()
        + header(top=111.0, cols=COLS[:2], labels=["I", "Improve the way staff record abuse"])
        + data(["I.1", "Train", "BCC", "Mar-14", "Done"], 123.0)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [c.text for c in t.rows[0].cells] == LABELS
    assert [c.text for c in t.rows[1].cells] == ["I", "Improve the way staff record abuse"]


def test_a_label_in_two_languages_reads_by_its_known_half() -> None:
    # "Cyf / No.": the Welsh half reads as no label at all (it was as sure as its weaker
    # half, so an unruled bilingual header was no header); two unknown halves stay unknown.
    from dhrplans.extract.headers import is_header_phrase

    assert is_header_phrase("Cyf / No.")
    assert is_header_phrase("Asiantaeth / Agency")
    assert not is_header_phrase("Police / Health")


def test_an_unruled_header_of_questions_wrapped_over_two_lines() -> None:
    # "Which agency will / lead?", "By when will it / be done?": labels written as
    # questions read by their cue words in the header finder too (they were read only in
    # normalise, and the header line was taken for a form's row).
    from dhrplans.extract.headers import is_header_phrase

    assert is_header_phrase("Which agency will")
    assert is_header_phrase("By when will it")
    assert is_header_phrase("How will we know it has")


def test_a_label_beside_a_value_running_across_the_columns_is_two_cells() -> None:
    # A ruled form row: its label wrapped in the first column, its value (word-spaced)
    # running across the columns right of it. A gap wider than a word space at a column
    # start, crossed by no word, parts the row there: a cell of the label, a cell of the
    # value over the other columns (not one banner of both). A banner under it, spaced as
    # words all along, stays one cell.
    value = "Arrange training for staff on domestic abuse and review the policy now"
    words = (
        header()
        + phrase("How will", 30.0, 120.0)
        + phrase(value, 80.0, 120.0)
        + phrase("it be", 30.0, 132.0)
        + phrase("Recommendation 2: All agencies should share the learning of it", 30.0, 150.0)
    )
    rules = [(y, *RULE) for y in (98.0, 117.0, 146.0, 164.0)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    assert grid(t)[1:] == [
        [(0, 1, ["How will", "it be"]), (1, 4, [value])],
        [(0, 5, ["Recommendation 2: All agencies should share the learning of it"])],
    ]


def test_a_rule_under_the_header_line_ends_the_header() -> None:
    # A line in the header's type and columns right under it would be read as the
    # header's labels wrapped onto a second line; a drawn rule between them parts two
    # rows: the header, then the first row (a form's label | value pairs read as columns).
    row = ["Item", "Train staff", "Kent Police", "Soon", "Open"]
    words = header() + [w for x, text in zip(COLS, row) for w in phrase(text, x, 112.0, bold=True)]
    words += data(["1.1", "Review the policy", "BCC", "Mar-14", "Complete"], 126.0)
    rules = [(y, *RULE) for y in (98.0, 110.5, 124.5, 138.0)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    assert [c.text for c in t.rows[0].cells] == LABELS
    assert [c.text for c in t.rows[1].cells] == row


def test_unruled_form_of_pairs_is_left_to_the_form_finder() -> None:
    # "Lead agency | Kent Police | Status | Done" reads as a header of four labels, but the
    # lines under it open with labels down the first column ("Ref", "Action", "Target
    # date"): a form of pairs, no table of these columns. Its lines stay free.
    words = (
        data(
            ["Lead agency", "Kent Police", "Status", "Done"],
            100.0,
            cols=[30.0, 130.0, 250.0, 350.0],
        )
        + data(["Ref", "R5.1"], 112.0, cols=[30.0, 130.0])
        + data(["Action", "Review the practice policy"], 124.0, cols=[30.0, 130.0])
        + data(["Target date", "Jun-13"], 136.0, cols=[30.0, 130.0])
    )
    tables, used, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert tables == [] and used == []


def test_a_header_in_two_languages_one_line_over_the_other_without_slashes() -> None:
    # "Cyfeirnod | Cam gweithredu | Arweinydd | Erbyn | Statws" set over "Ref | Action |
    # Lead Agency | Target Date | Status", one label over each: the header's first line,
    # not the table's heading.
    welsh = ["Cyfeirnod", "Cam gweithredu", "Arweinydd", "Erbyn", "Statws"]
    english = ["Reference", "Action", "Lead", "By", "Status"]
    words = (
        header(top=89.0, labels=welsh)
        + header(labels=english)
        # a recommendation banner right under it, in the header's bold type
        + phrase(
            "Argymhelliad 1 / Recommendation 1: The police should audit", 30.0, 111.0, bold=True
        )
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 123.0)
    )
    (t,), used, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [c.text for c in t.rows[0].cells] == [f"{w} {e}" for w, e in zip(welsh, english)]
    assert [c.text for c in t.rows[2].cells] == ["1.1", "Train", "BCC", "Mar-14", "Done"]
    assert used == [0, 1, 2, 3]


def test_a_list_of_recommendations_headed_rec_is_a_table() -> None:
    # "Rec | Recommendation", unruled: "Rec" names one of two fields (a recommendation's
    # number or text: schemas/ambiguous_labels.csv), a label all the same.
    cols = [30.0, 80.0]
    words = (
        header(cols=cols, labels=["Rec", "Recommendation"])
        + data(["1", "Agencies should review risk assessments."], 120.0, cols=cols)
        + data(["2", "The board should audit referrals."], 135.0, cols=cols)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[c.text for c in r.cells] for r in tables[0].rows] == [
        ["Rec", "Recommendation"],
        ["1", "Agencies should review risk assessments."],
        ["2", "The board should audit referrals."],
    ]


def test_a_rule_stopping_short_of_a_column_leaves_its_cell_merged_down() -> None:
    # Rows ruled only horizontally; the rule between the two actions stops short of the
    # first column (Word draws no border inside a vertically merged cell): the first
    # row's cell there covers the second row too.
    words = (
        header()
        + data(["1", "Review the policy", "BCC", "Mar-14", "Complete"], 120.0)
        + data(["", "Train the staff", "BCC", "", "Ongoing"], 146.0)
    )
    rules = [(98.0, *RULE), (117.0, *RULE), (144.0, 75.0, RULE[1]), (158.0, *RULE)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    first, second = t.rows[1], t.rows[2]
    merged = next(c for c in first.cells if c.col == 0)
    assert merged.text == "1"
    assert merged.bbox[3] >= second.bbox[3] - 0.5
    assert all(c.col != 0 for c in second.cells)
    # a scan's rules break anywhere (tilt, faint ink): read from its image, they merge nothing
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None, drawn_rules=False)
    assert any(c.col == 0 for c in t.rows[1].cells)
    assert next(c for c in t.rows[1].cells if c.col == 0).bbox[3] < t.rows[2].bbox[1]
    # a rule across the whole table merges nothing
    rules = [(98.0, *RULE), (117.0, *RULE), (144.0, *RULE), (158.0, *RULE)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    first, second = t.rows[1], t.rows[2]
    assert next(c for c in first.cells if c.col == 0).bbox[3] < second.bbox[1]


def test_bold_labels_beside_plain_values_are_no_header() -> None:
    # "Due date | 01/06/2013 | Progress status | Action completed": three phrases read as
    # labels, but the labels are bold and the values beside them are not. A header is set
    # in one weight: this is a line of label | value pairs, no header.
    line = [
        w
        for x, text, bold in [
            (30.0, "Due date", True),
            (130.0, "01/06/2013", False),
            (250.0, "Progress status", True),
            (400.0, "Action completed", False),
        ]
        for w in phrase(text, x, 100.0, bold=bold)
    ]
    (ln,) = group_lines(line)
    assert header_phrases(ln, GUTTER) is None
    (ln,) = group_lines([dict(w, fontname="Arial-Bold") for w in line])
    assert header_phrases(ln, GUTTER) is not None  # all bold: a header


def test_a_table_of_values_that_read_like_labels_down_its_first_column_stays() -> None:
    # First columns whose cells read fuzzily like labels are no form: one status repeated
    # down the column ("Action completed") and numbered refs ("Action 2.1") are values.
    cols = [30.0, 130.0, 250.0, 350.0]
    head = data(["Overall status", "By whom", "Item", "Planned action"], 100.0, cols=cols)
    status = [
        data(["Action completed", "KMPT", f"{k}.1", "Audit the files"], 112.0 + 12 * k, cols=cols)
        for k in range(1, 5)
    ]
    refs = [
        data([f"Action {k}.1", "Audit the files", "KMPT", "Mar-23"], 112.0 + 12 * k, cols=cols)
        for k in range(1, 5)
    ]
    head2 = data(["Ref", "Action", "Lead agency", "Target date"], 100.0, cols=cols)
    for words in (head + [w for r in status for w in r], head2 + [w for r in refs for w in r]):
        tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
        assert len(tables) == 1 and len(tables[0].rows) == 5


def test_rules_boxing_the_header_and_closing_the_table_part_no_rows() -> None:
    """The header boxed and a rule closing the table right under its last line (on a scan
    the closing rule may lie within 2 points of the last line's OCR box), none between
    the body's lines: the rows come from line occupancy (all
    were read as one banner)."""
    words = (
        header()
        + data(["1.1", "Train", "BCC", "Mar-14", "Done"], 120.0)
        + data(["1.2", "Audit", "BCC", "Apr-14", "Open"], 140.0)
    )
    last = max(w["bottom"] for w in words)
    rules = [(y, *RULE) for y in (98.0, 112.0, last + 1.0)]
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, rules, None)
    assert [[c.text for c in r.cells][:2] for r in t.rows[1:]] == [
        ["1.1", "Train"],
        ["1.2", "Audit"],
    ]


def test_a_lettered_recommendation_number_under_a_whole_label_is_no_label() -> None:
    # The ref column last ("... | No."): the first row's recommendation, "A", sits in it
    # right under the header, in the header's bold type, no gap. A letter under a whole label
    # is a row's number, wherever its column stands (a label broken letter by letter in a
    # narrow column, "RA" / "G", is under no whole label).
    cols, labels = COLS, ["Status", "Lead Agency", "Action", "Target Date", "No."]
    words = (
        header(cols=cols, labels=labels)
        + header(top=111.0, cols=[cols[2], cols[4]], labels=["Train all staff", "A"])
        + data(["Done", "BCC", "Train", "Mar-14", "A1"], 123.0, cols)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [c.text for c in t.rows[0].cells] == labels
    assert " ".join(c.text for c in t.rows[1].cells) == "Train all staff A"


def _grouped_words() -> list[dict]:
    """ "Ref | Action | Lead Agency | Progress" over "Update | Date | RAG" under Progress
    (Word prints a merged cell's label at its left), then a row of data."""
    cols = [30.0, 80.0, 250.0, 350.0, 450.0, 520.0]
    return (
        header(
            top=100.0,
            cols=cols[:4],
            labels=["Ref", "Action", "Lead Agency", "Progress"],
        )
        + header(top=112.0, cols=cols[3:], labels=["Update", "Date", "RAG"])
        + data(["1.1", "Train", "BCC", "Held", "Jan-24", "Red"], 130.0, cols=cols)
    )


def test_a_header_label_grouping_the_labels_under_it_is_a_header_of_two_rows() -> None:
    (t,), used, _ = aligned_tables(group_lines(_grouped_words()), 1, GUTTER, [], None)
    assert grid(t) == [
        [(0, 1, ["Ref"]), (1, 1, ["Action"]), (2, 1, ["Lead Agency"]), (3, 3, ["Progress"])],
        [(3, 1, ["Update"]), (4, 1, ["Date"]), (5, 1, ["RAG"])],
        [
            (0, 1, ["1.1"]),
            (1, 1, ["Train"]),
            (2, 1, ["BCC"]),
            (3, 1, ["Held"]),
            (4, 1, ["Jan-24"]),
            (5, 1, ["Red"]),
        ],
    ]
    assert used == [0, 1, 2]
    (action,) = normalise_document(doc([t])).actions
    assert (action["progress"], action["completion_date_raw"], action["rag_raw"]) == (
        "Held",
        "Jan-24",
        "Red",
    )


def test_a_label_wrapped_under_itself_groups_nothing() -> None:
    # "Target" over "Date" (a label wrapped), beside "Update" under "Progress" alone:
    # one phrase under each label is a wrap, no group.
    cols = [30.0, 80.0, 250.0, 350.0]
    words = (
        header(top=100.0, cols=cols, labels=["Ref", "Action", "Target", "Progress"])
        + header(top=112.0, cols=cols[2:], labels=["Date", "update"])
        + data(["1.1", "Train", "Mar-24", "Done"], 130.0, cols=cols)
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert grid(t)[0] == [
        (0, 1, ["Ref"]),
        (1, 1, ["Action"]),
        (2, 1, ["Target", "Date"]),
        (3, 1, ["Progress", "update"]),
    ]


def test_a_coloured_header_adds_no_empty_cell_under_a_group_label() -> None:
    # A shaded header of two rows: the group label's cell spans its columns, so the
    # shading under it is that cell's, not empty cells of the columns it covers.
    from dhrplans.extract.aligned import with_fills

    (t,), _, _ = aligned_tables(group_lines(_grouped_words()), 1, GUTTER, [], None)
    group = t.rows[0]
    navy = {
        "x0": t.col_edges[0],
        "x1": t.col_edges[-1],
        "top": group.bbox[1] - 1,
        "bottom": group.bbox[3] + 1,
        "non_stroking_color": (0.12, 0.22, 0.4),
        "fill": True,
    }
    with_fills(t, [navy])
    assert [(c.col, c.colspan, c.text) for c in t.rows[0].cells] == [
        (0, 1, "Ref"),
        (1, 1, "Action"),
        (2, 1, "Lead Agency"),
        (3, 3, "Progress"),
    ]


def test_a_rule_under_the_group_label_alone_leaves_the_header_whole() -> None:
    # Ruled only horizontally: Word draws the rule between the header's two rows only
    # under the group cell (the cells beside it are merged down through both rows).
    rules = [(111.0, 345.0, 600.0), (128.0, 25.0, 600.0)]
    (t,), _, _ = aligned_tables(group_lines(_grouped_words()), 1, GUTTER, rules, None)
    assert [(c.col, c.colspan, c.text) for c in t.rows[0].cells][-1] == (3, 3, "Progress")
    assert [c.text for c in t.rows[1].cells] == ["Update", "Date", "RAG"]


def test_a_banners_short_last_line_does_not_set_where_columns_end() -> None:
    """A banner wraps at the table's width: its last line, under the first column alone,
    may run almost to the next column's start. The columns' ends are measured on the data
    rows, so a data row whose columns wrapped (the next word would not fit before the cell's
    padding) stays one row."""
    cols = [30.0, 190.0, 260.0, 440.0]
    labels = ["Lead Officer", "RAG", "Key actions", "Due date"]
    banner = "Recommendation 1: Partners should check that all staff are trained to recognise"
    words = (
        header(cols=cols, labels=labels)
        + phrase(banner + " coercive control", 30.0, 120.0, bold=True)
        + phrase("reviewed by the named supervisor.", 30.0, 132.0, bold=True)  # ends at 185
        + data(
            ["Designated lead nurse", "Amber", "Write and implement a policy", "01/03/2013"],
            150.0,
            cols,
        )
        + data(["children", "", "training"], 162.0, cols)  # both columns were full
        + data(
            ["Community safety partnership", "Green", "Check each month and report it", "Complete"],
            180.0,
            cols,
        )
    )
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[ln.text for ln in c.lines] for c in t.rows[2].cells[:1]] == [
        ["Designated lead nurse", "children"]
    ]
    assert [ln.text for ln in t.rows[2].cells[2].lines] == [
        "Write and implement a policy",
        "training",
    ]
    assert len(t.rows) == 4  # header, banner, two rows


def test_merged_first_column_runs_on_beside_the_rows_it_spans() -> None:
    # A recommendation merged down beside two actions: its lines keep their own spacing,
    # a few points off the second action's lines. Each action is one row; the
    # recommendation's lines beside the second action stay in its cell.
    cols = [30.0, 130.0, 250.0, 350.0, 450.0]
    labels = ["Recommendation", "Action", "Lead Agency", "Target Date", "Status"]
    rec = [
        "1. Agencies should",
        "ask about abuse",
        "where there are",
        "signs of control",
        "and coercive",
        "behaviour.",
    ]
    words = header(cols=cols, labels=labels)
    words += data([rec[0], "Develop a practice", "Police", "Mar-14", "Open"], 120.0, cols)
    words += data([rec[1], "guidance note"], 133.0, cols)
    words += data([rec[2]], 146.0, cols)
    words += data(["", "Issue guidance to", "Council", "Apr-14", "Done"], 149.0, cols)
    words += data([rec[3]], 159.0, cols)
    words += data(["", "housing officers"], 162.0, cols)
    words += data([rec[4]], 172.0, cols)
    words += data([rec[5]], 185.0, cols)
    (t,), _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    assert [[c.text for c in r.cells if c.col == 1] for r in t.rows[1:]] == [
        ["Develop a practice guidance note"],
        ["Issue guidance to housing officers"],
    ]
    assert [ln.text for ln in t.rows[1].cells[0].lines] == rec


def test_status_column_first_is_no_form_of_labels() -> None:
    # A status column printed first ("Progress status | Action No. | ..."): its values
    # ("Completed", "Action completed") read like labels, but a status word is a value,
    # never a form's label: the rows stay a table's rows, not a form left to the form
    # finder (which found none, and the table's actions were lost without a warning).
    cols = [30.0, 120.0, 180.0, 260.0, 420.0]
    labels = ["Progress status", "Action No.", "Due date", "Recommendation/Action", "Lead"]
    statuses = ["", "Action completed", "Completed", "Complete", "Action completed"]
    words = header(cols=cols, labels=labels)
    for k, status in enumerate(statuses):
        words += data(
            [status, f"R{k + 1}.1", "", f"Action number {k + 1}", "Police"], 120 + 14 * k, cols
        )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    (t,) = tables
    refs = [next(c.text for c in r.cells if c.col == 1) for r in t.rows[1:]]
    assert refs == [f"R{k}.1" for k in range(1, 6)]


def test_bold_sub_heading_row_in_its_own_shaded_band_under_the_header_is_no_label() -> None:
    # The header row shaded in one fill (its band from 98 to 112), an agency's sub-heading
    # row right under it shaded in another (112 to 126), both bold, no rule drawn: the
    # band's edge ends the header, and the sub-heading is the table's first row.
    cols = [30.0, 180.0, 300.0, 400.0, 480.0]  # a wide first column: the name fits in it
    words = (
        header(cols=cols)
        + phrase("West Midlands Police", 30.0, 114.0, bold=True)
        + data(["1.1", "Review the policy", "BCC", "Mar-14", "Complete"], 134.0, cols)
        + data(["1.2", "Audit case files", "BCC", "Jun-14", "Ongoing"], 154.0, cols)
    )
    bands = [(98.0, 25.0, 520.0), (112.0, 25.0, 520.0), (126.0, 25.0, 520.0)]
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None, band_edges=bands)
    (t,) = tables
    assert [c.text for c in t.rows[0].cells] == LABELS
    assert t.rows[1].cells[0].text == "West Midlands Police"


def test_header_labels_scored_only_while_the_count_can_change(monkeypatch):
    """A line of many phrases reads as a header or not by how many of them are labels:
    once that count cannot reach the share any more (or has reached it), the phrases left
    are not scored, and the answer is the one counting them all gives."""
    from dhrplans.extract import aligned

    from dhrplans.settings import DEFAULT_SETTINGS

    scored: list[str] = []
    real = aligned.is_header_phrase

    def counting(label, settings):
        scored.append(label)
        return real(label, settings)

    monkeypatch.setattr(aligned, "is_header_phrase", counting)
    texts = ["We", "will train", "all staff", "Action", "Status"]
    words = [w for x, text in zip(COLS, texts) for w in phrase(text, x, 100.0)]
    line = group_lines(words)[0]
    assert header_phrases(line, GUTTER, DEFAULT_SETTINGS) is None
    # three of five needed: after three phrases that are no labels, two cannot make it
    assert scored == texts[:3]
    scored.clear()
    assert header_phrases(group_lines(header())[0], GUTTER, DEFAULT_SETTINGS) is not None
    assert scored == LABELS[:3]  # three of five labels are enough


def test_a_label_wrapped_onto_a_lower_case_recommendation_line_stays_in_the_header() -> None:
    # "Scope of" / "recommendation i.e." / "local or regional": the wrapped label's rest
    # opens with the word recommendation and what reads as a Roman "i", but in lower case
    # (a recommendation's own row opens with a capital, "Recommendation 3:"): still header
    cols = [30.0, 100.0, 250.0, 350.0, 450.0]
    labels = ["Ref", "Scope of", "Action", "Lead Agency", "Target Date"]
    words = (
        header(cols=cols, labels=labels)
        + phrase("recommendation i.e.", 100.0, 112.0, bold=True)
        + phrase("local or regional", 100.0, 124.0, bold=True)
        + data(["1.1", "Local", "Train staff", "Kent Police", "Mar-24"], 140.0, cols)
        + data(["1.2", "Local", "Audit files", "Kent Police", "Apr-24"], 154.0, cols)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    (t,) = tables
    assert [c.text for c in t.rows[0].cells][1] == "Scope of recommendation i.e. local or regional"
    assert [c.text for c in t.rows[1].cells][0] == "1.1"


def test_a_label_wrapped_onto_a_line_opening_with_a_count_stays_in_the_header() -> None:
    # "Progress at" / "6 Month Review": a label may open with a number counting something
    # (a recommendation's number is set off by a stop or colon, "3." / "3:", or named)
    cols = [30.0, 100.0, 250.0, 350.0, 450.0]
    labels = ["Ref", "Action", "Lead Agency", "Progress at", "Status"]
    words = (
        header(cols=cols, labels=labels)
        + phrase("6 Month Review", 350.0, 112.0, bold=True)
        + data(["1.1", "Train staff", "Kent Police", "Started", "Open"], 128.0, cols)
        + data(["1.2", "Audit files", "Kent Police", "Done", "Closed"], 142.0, cols)
    )
    tables, _, _ = aligned_tables(group_lines(words), 1, GUTTER, [], None)
    (t,) = tables
    assert [c.text for c in t.rows[0].cells][3] == "Progress at 6 Month Review"

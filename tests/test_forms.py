"""Form plans (one action as a label | value table) cut by page breaks, ruled only
horizontally, and new sections in the same form: extract.forms and normalise.forms."""

from __future__ import annotations

from dhrplans.extract.forms import form_tables
from dhrplans.extract.layout import group_lines
from dhrplans.normalise.forms import form_part, split_paired_form
from dhrplans.normalise.plan import normalise_document
from hypothesis import given
from hypothesis import strategies as st
from unit_fixtures.build import cell, doc, page_lines, phrase, row, table

GUTTER = 4.5
LABEL_X, VALUE_X = 30.0, 160.0
BCC = "Birmingham City Council"


def rules_under(lines, x0: float = 25.0, x1: float = 500.0) -> list[tuple[float, float, float]]:
    """A horizontal rule under each of these lines, the width of the form."""
    return [(ln.bottom + 1.0, x0, x1) for ln in lines]


def test_ruled_form_row_keeps_a_label_wrapped_onto_a_capital() -> None:
    # "Date of completion and / Outcome": no rule between the two lines, so one row,
    # although the second line starts with a capital as a new label would.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref No"),
            (VALUE_X, 100.0, "R1.1"),
            (LABEL_X, 114.0, "Action"),
            (VALUE_X, 114.0, "Train staff"),
            (LABEL_X, 128.0, "Lead agency"),
            (VALUE_X, 128.0, BCC),
            (LABEL_X, 142.0, "Date of completion and"),
            (VALUE_X, 142.0, "Completed 20/01/2023"),
            (LABEL_X, 154.0, "Outcome"),
        ]
    )
    rules = rules_under([lines[i] for i in (0, 1, 2, 4)]) + [(99.0, 25.0, 500.0)]
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert len(tables) == 1 and len(used) == len(lines)
    labels = [r.cells[0].text for r in tables[0].rows]
    assert labels == ["Ref No", "Action", "Lead agency", "Date of completion and Outcome"]


def test_last_line_of_a_heading_over_a_ruled_form_is_no_row() -> None:
    # The wrapped heading's last word ("complete.") reads as a label, but no rule parts
    # it from the heading line above, and the form starts under a rule.
    lines = page_lines(
        [
            (LABEL_X, 70.0, "R4 - The partnership should monitor the plan until every action is"),
            (LABEL_X, 82.0, "complete."),
            (LABEL_X, 100.0, "Ref No"),
            (VALUE_X, 100.0, "R4.1"),
            (LABEL_X, 114.0, "Action"),
            (VALUE_X, 114.0, "Train staff"),
            (LABEL_X, 128.0, "Lead agency"),
            (VALUE_X, 128.0, BCC),
        ]
    )
    rules = [(97.0, 25.0, 500.0)] + rules_under(lines[2:])
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert len(tables) == 1
    assert [r.cells[0].text for r in tables[0].rows] == ["Ref No", "Action", "Lead agency"]
    assert 1 not in used  # left for the heading


def test_rest_of_a_form_at_the_top_of_the_next_page_is_read() -> None:
    # The page broke "Actions to be / taken": the next page opens with the label's
    # lower-case rest and its value, at the edges of the form the last page ended in.
    lines = page_lines(
        [
            (LABEL_X, 50.0, "taken"),
            (VALUE_X, 50.0, "and report the results"),
            (LABEL_X, 64.0, "Lead agency"),
            (VALUE_X, 64.0, BCC),
        ]
    )
    tables, _, carry = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    assert len(tables) == 1
    assert [r.cells[0].text for r in tables[0].rows] == ["taken", "Lead agency"]
    assert carry == (LABEL_X, VALUE_X)
    # without the carried edges the lines are not a form
    assert form_tables(lines, 2, GUTTER)[0] == []


def test_label_cut_by_the_page_continues_its_value() -> None:
    labels = ["ref no", "actions to be taken", "lead agency", "date of completion"]
    foot = table([["Ref No", "R1.1"], ["Actions to be", "Dip-sample closed cases"]])
    part = form_part(foot, labels)
    assert part is not None and [c.col for c in part.rows[0].cells] == [0, 1]
    top = table([["taken", "and report the results"], ["Lead agency", BCC]], page=2)
    rest = form_part(top, labels)
    assert rest is not None and [c.col for c in rest.rows[0].cells] == [1, 2]


def test_label_that_starts_two_labels_is_not_guessed() -> None:
    labels = ["ref no", "date of review", "date of completion"]
    assert form_part(table([["Ref No", "R1.1"], ["Date of", "x"]]), labels) is None


def form(values: dict[str, str], top: float, page: int = 1, heading: str | None = None):
    t = table([[label, value] for label, value in values.items()], page=page, top=top)
    t.heading = heading
    if heading:
        t.heading_bbox = (20.0, top - 20.0, 300.0, top - 8.0)
    return t


def test_new_section_whose_first_form_the_page_cut() -> None:
    # An agency heading over a form of the same template, cut after two rows by the
    # page: a new section, and the rest of the form on the next page belongs to it.
    first = form(
        {"Ref": "1.1", "Action": "Train staff", "Lead agency": BCC, "By when": "Mar-14"}, 80
    )
    cut = form({"Ref": "2.1", "Action": "Audit files"}, 400, heading="West Midlands Police")
    rest = form({"Lead agency": "West Midlands Police", "By when": "Jun-14"}, 40, page=2)
    result = normalise_document(doc([first, cut, rest]))
    assert [a["ref"] for a in result.actions] == ["1.1", "2.1"]
    assert [a["section"] for a in result.actions][1] == "West Midlands Police"
    assert result.actions[1]["target_date_raw"] == "Jun-14"
    assert result.words_accounted == result.words_in_tables


def test_section_learns_labels_its_cut_first_form_did_not_print() -> None:
    # The section's only form so far was cut before "By when" and "Status": the rest on
    # the next page prints them, and the next forms use them.
    first = form({"Ref": "1.1", "Action": "Train staff", "Lead agency": BCC}, 600, heading="Plan")
    rest = form({"By when": "Mar-14", "Status": "Complete"}, 40, page=2)
    second = form(
        {
            "Ref": "1.2",
            "Action": "Audit",
            "Lead agency": BCC,
            "By when": "Jun-14",
            "Status": "Open",
        },
        200,
        page=2,
    )
    result = normalise_document(doc([first, rest, second]))
    assert [a["ref"] for a in result.actions] == ["1.1", "1.2"]
    assert [a["target_date_raw"] for a in result.actions] == ["Mar-14", "Jun-14"]
    assert [a["status_raw"] for a in result.actions] == ["Complete", "Open"]
    assert len({a["section"] for a in result.actions}) == 1


def test_start_of_a_form_at_the_foot_of_the_page_is_read() -> None:
    # The page ends two rows into the next form ("No. | C2.2", "Actions | ..."): fewer
    # rows than a form needs on its own, but at the foot of a page of forms.
    rows = [("Ref No", "R1.1"), ("Action", "Train staff"), ("Lead agency", BCC)]
    placed = []
    for k, (label, value) in enumerate(rows + rows[:1]):
        top = 100.0 + 14 * k + (20.0 if k >= 3 else 0.0)  # a blank line before the next form
        placed += [(LABEL_X, top, label), (VALUE_X, top, value if k < 3 else "R1.2")]
    lines = page_lines(placed)
    tables, _, carry = form_tables(lines, 1, GUTTER, page_bottom=lines[-1].bottom)
    assert [len(t.rows) for t in tables] == [3, 1]
    assert carry == (LABEL_X, VALUE_X)
    # under a paragraph, with no form above it, one labelled line is not a form
    paragraph = [(LABEL_X, 60.0, "The panel met six times and agreed the plan below.")]
    alone = page_lines(paragraph + placed[-2:])
    assert form_tables(alone, 1, GUTTER, page_bottom=alone[-1].bottom)[0] == []
    # and above the foot of the page (text below it taken by a table) it is no form
    assert len(form_tables(lines, 1, GUTTER, page_bottom=lines[-1].bottom + 50)[0]) == 1


def test_start_of_a_form_at_the_foot_whose_one_label_wraps_is_read() -> None:
    # The page ends one row into the next form, its label wrapped over two lines ("What
    # needs to" / "happen?"): the label is known by its whole text, not its first line.
    rows = [("Ref No", "R1.1"), ("Action", "Train staff"), ("Lead agency", BCC)]
    placed = []
    for k, (label, value) in enumerate(rows):
        placed += [(LABEL_X, 100.0 + 14 * k, label), (VALUE_X, 100.0 + 14 * k, value)]
    placed += [
        (LABEL_X, 162.0, "What needs to"),
        (VALUE_X, 162.0, "Flag patients with repeated injuries for"),
        (LABEL_X, 174.0, "happen?"),
        (VALUE_X, 174.0, "review by the team."),
    ]
    lines = page_lines(placed)
    tables, _, _ = form_tables(lines, 1, GUTTER, page_bottom=lines[-1].bottom)
    assert [len(t.rows) for t in tables] == [3, 1]
    assert [c.text for c in tables[1].rows[0].cells] == [
        "What needs to happen?",
        "Flag patients with repeated injuries for review by the team.",
    ]


def test_heading_in_larger_type_over_a_form_is_no_row() -> None:
    # "Recommendation 1: Ensure that ..." printed over an unruled form in larger type,
    # its words spaced so that a phrase reaches the value edge: a heading, not a row.
    heading = page_lines(
        [(LABEL_X, 60.0, "Recommendation 1:"), (VALUE_X, 60.0, "Ensure that files are shared")],
        size=12.0,
    )
    form = page_lines(
        [
            (LABEL_X, 80.0, "Ref No"),
            (VALUE_X, 80.0, "1a"),
            (LABEL_X, 90.0, "Action"),
            (VALUE_X, 90.0, "Train staff"),
            (LABEL_X, 100.0, "Lead agency"),
            (VALUE_X, 100.0, BCC),
        ],
        size=7.0,
    )
    tables, used, _ = form_tables(heading + form, 1, GUTTER)
    assert len(tables) == 1 and 0 not in used
    assert [r.cells[0].text for r in tables[0].rows] == ["Ref No", "Action", "Lead agency"]


def test_two_labels_joined_by_and_read_as_a_label() -> None:
    from dhrplans.extract.headers import is_header_phrase

    assert is_header_phrase("Completion date and outcome")
    assert is_header_phrase("Status/RAG")
    assert not is_header_phrase("Review and learning")


def test_rest_of_a_label_two_labels_end_with_is_the_one_printed_last() -> None:
    # "Expected / outcome" cut by the page; "Date of completion and outcome" also ends in
    # "outcome": the rest belongs to the label printed last before the break.
    labels = ["ref no", "expected outcome", "evidence", "date of completion and outcome"]
    top = table([["outcome", "of the review."], ["Evidence", "Audit"]], page=2)
    rest = form_part(top, labels, last_col=1)
    assert rest is not None and [c.col for c in rest.rows[0].cells] == [1, 2]


def test_rest_of_a_label_opening_with_a_bracket_at_the_top_of_a_page() -> None:
    # "Scope" / "(local/national)": a label's rest may open with a bracket, not a capital.
    lines = page_lines(
        [(LABEL_X, 50.0, "(local/national)"), (LABEL_X, 64.0, "Action"), (VALUE_X, 64.0, "Train")]
    )
    tables, _, _ = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    assert [r.cells[0].text for r in tables[0].rows] == ["(local/national)", "Action"]


def test_label_unknown_whole_at_the_top_of_a_page_with_its_value() -> None:
    # "Target date for" (wrapped onto "completion") with its value, the first line of the
    # page, at the edges of the form the last page ended in.
    lines = page_lines(
        [
            (LABEL_X, 50.0, "Target date for"),
            (VALUE_X, 50.0, "March 2023"),
            (LABEL_X, 62.0, "completion"),
            (LABEL_X, 76.0, "Update"),
            (VALUE_X, 76.0, "Audit tool agreed"),
        ]
    )
    tables, _, _ = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    assert [r.cells[0].text for r in tables[0].rows] == ["Target date for completion", "Update"]


def test_new_section_whose_cut_first_form_names_too_few_fields_for_a_plan() -> None:
    # The page cut the new section's first form after its monitoring, action and date
    # rows: read in the columns of the form before it, the rest joins on the next page.
    first = form(
        {"Monitoring": "Audit", "Action": "Train staff", "Deadline": "Mar-14", "Lead agency": BCC},
        80,
        heading="Kent Police",
    )
    cut = form(
        {"Monitoring": "Data", "Action": "Audit files", "Deadline": "Jun-14"},
        400,
        heading="West Midlands Police",
    )
    rest = form({"Lead agency": "West Midlands Police"}, 40, page=2)
    result = normalise_document(doc([first, cut, rest]))
    assert [a["action"] for a in result.actions] == ["Train staff", "Audit files"]
    assert [a["section"] for a in result.actions] == ["Kent Police", "West Midlands Police"]
    assert result.actions[1]["lead_agency_raw"] == "West Midlands Police"


def test_heading_in_larger_type_at_the_top_of_a_page_is_no_form() -> None:
    # "Overview Report Recommendations" (a label by the vocabulary, spaced wide) opening
    # page 1 in heading type over a grid: no form; in body type it could be a form's rest.
    heading = page_lines(
        [(LABEL_X, 50.0, "Overview"), (VALUE_X, 50.0, "Report Recommendations")], size=12.0
    )
    assert form_tables(heading, 1, GUTTER, body=7.0)[0] == []
    body = page_lines([(LABEL_X, 50.0, "Action No."), (VALUE_X, 50.0, "C2.2")], size=7.0)
    assert len(form_tables(body, 2, GUTTER, body=7.0)[0]) == 1


def test_label_line_ending_in_a_slash_goes_on_below() -> None:
    # "Recommendation/" over "Action": the second line starts with a capital, but the
    # first ends in a joining mark, so the label is one.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Recommendation/"),
            (VALUE_X, 100.0, "Ensure that all staff"),
            (LABEL_X, 112.0, "Action"),
            (VALUE_X, 112.0, "receive regular training"),
            (LABEL_X, 126.0, "Item"),
            (VALUE_X, 126.0, "1a"),
            (LABEL_X, 140.0, "Lead agency"),
            (VALUE_X, 140.0, BCC),
        ]
    )
    tables, _, _ = form_tables(lines, 1, GUTTER)
    assert [r.cells[0].text for r in tables[0].rows][:2] == ["Recommendation/ Action", "Item"]
    # and one ending in a joining word ("Lead Officer and" / "Agency")
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref"),
            (VALUE_X, 100.0, "1a"),
            (LABEL_X, 112.0, "Lead Officer and"),
            (VALUE_X, 112.0, "CPS"),
            (LABEL_X, 124.0, "Agency"),
            (LABEL_X, 138.0, "Action"),
            (VALUE_X, 138.0, "Train staff"),
        ]
    )
    tables, _, _ = form_tables(lines, 1, GUTTER)
    labels = [r.cells[0].text for r in tables[0].rows]
    assert labels == ["Ref", "Lead Officer and Agency", "Action"]


def test_rest_of_a_value_at_the_top_of_a_page_then_a_capitalised_line() -> None:
    # The page opens with the rest of a value (no label), then a line whose first word,
    # at the label edge, is capitalised: no label to wrap, no crash.
    lines = page_lines(
        [
            (VALUE_X, 50.0, "and partner agencies"),
            (LABEL_X, 64.0, "Lead agency"),
            (VALUE_X, 64.0, BCC),
        ]
    )
    tables, _, _ = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    assert [len(r.cells) for r in tables[0].rows] == [1, 2]


def test_ruled_form_whose_first_row_has_no_value_yet() -> None:
    # A ruled form opening on a label with its value blank on that line: the line under
    # it in the same row (no rule between) is the value, found at its own edge.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref No"),
            (VALUE_X, 112.0, "R1.1"),
            (LABEL_X, 126.0, "Action"),
            (VALUE_X, 126.0, "Train staff"),
            (LABEL_X, 140.0, "Lead agency"),
            (VALUE_X, 140.0, BCC),
        ]
    )
    rules = [(98.0, 25.0, 500.0), (124.5, 25.0, 500.0), (138.5, 25.0, 500.0), (152.0, 25.0, 500.0)]
    tables, _, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert [[c.text for c in r.cells] for r in tables[0].rows][0] == ["Ref No", "R1.1"]


@given(
    st.lists(
        st.tuples(
            st.sampled_from([LABEL_X, VALUE_X, 300.0]),
            st.integers(0, 30),
            st.sampled_from(["Ref No", "Action", "taken", "Lead agency", "R1.1", "Train staff"]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.integers(0, 30), max_size=8),
    st.booleans(),
)
def test_form_finder_never_raises(placed, rule_rows, carried) -> None:
    lines = page_lines([(x, 40.0 + 12 * row, text) for x, row, text in placed])
    rules = [(38.5 + 12 * r, 25.0, 500.0) for r in rule_rows]
    carry = (LABEL_X, VALUE_X) if carried else None
    form_tables(lines, 1, GUTTER, hrules=rules, carry=carry, page_bottom=500.0, body=10.0)


def test_form_of_label_value_pairs_side_by_side_with_recommendation_banners() -> None:
    # label | value | label | value rows, an action's labels printed again for the next,
    # a recommendation across the whole table between them: one action per block.
    paired = table(
        [
            "Recommendation 1: Housing officers should be trained on economic abuse.",
            ["Ref", "1.1", "Lead Agency", BCC],
            ["Action", "Commission training", None, None],
            ["Target Date", "30/11/2022", "Status", "Completed"],
            ["Ref", "1.2", "Lead Agency", BCC],
            ["Action", "Add economic abuse to the assessment", None, None],
            ["Target Date", "End of March 2023", "Status", "In progress"],
            "Recommendation 2: The police should review breaches of orders.",
            ["Ref", "2.1", "Lead Agency", "West Midlands Police"],
            ["Action", "Review all breaches", None, None],
            ["Target Date", "Q1 2023/24", "Status", "Not started"],
        ],
        heading="Birmingham City Council",
    )
    result = normalise_document(doc([paired]))
    assert [a["ref"] for a in result.actions] == ["1.1", "1.2", "2.1"]
    assert [a["rec_number"] for a in result.actions] == ["1", "1", "2"]
    assert result.actions[1]["action"] == "Add economic abuse to the assessment"
    assert result.actions[2]["status"] == "not_started"
    assert {a["section"] for a in result.actions} == {"Birmingham City Council"}
    assert [r["text"] for r in result.recommendations][1].startswith("The police should")
    assert result.words_accounted == result.words_in_tables


def test_two_column_form_holding_several_actions_parts_them_where_a_label_repeats() -> None:
    values = [
        ("Ref", "1.1"),
        ("Action", "Train staff"),
        ("Lead agency", BCC),
        ("By when", "Mar-14"),
    ]
    again = [("Ref", "1.2"), ("Action", "Audit files"), ("Lead agency", BCC), ("By when", "Jun-14")]
    result = normalise_document(doc([table([list(p) for p in values + again])]))
    assert [(a["ref"], a["action"]) for a in result.actions] == [
        ("1.1", "Train staff"),
        ("1.2", "Audit files"),
    ]
    assert result.words_accounted == result.words_in_tables


def test_ordinary_table_is_not_read_as_a_form_of_pairs() -> None:
    plain = table(
        [
            ["Ref", "Action", "Lead agency", "Target date"],
            ["1.1", "Train staff", BCC, "Mar-14"],
            ["1.2", "Audit files", BCC, "Jun-14"],
        ]
    )
    assert split_paired_form(plain) == [plain]


def test_form_cut_by_the_page_under_its_recommendation_row_keeps_the_recommendation() -> None:
    # The foot of page 1 holds a new recommendation's row and the first label of its form;
    # the rest of the form is on page 2: the action is under that recommendation.
    first = form(
        {"Ref": "1.1", "Action": "Train staff", "Lead agency": BCC, "By when": "Mar-14"}, 80
    )
    first.heading = "Recommendation 1: Staff should be trained."
    first.heading_bbox = (20.0, 60.0, 300.0, 72.0)
    cut = table(["Recommendation 2: Files should be audited.", ["Ref", "2.1"]], n_cols=2, top=600)
    rest = form({"Action": "Audit files", "Lead agency": BCC, "By when": "Jun-14"}, 40, page=2)
    result = normalise_document(doc([first, cut, rest]))
    assert [(a["ref"], a["rec_number"]) for a in result.actions] == [("1.1", "1"), ("2.1", "2")]
    assert result.actions[1]["recommendation"] == "Files should be audited."
    assert result.words_accounted == result.words_in_tables


def test_label_wrapped_after_a_slash_and_cut_by_the_page_is_one_label() -> None:
    # "Local/regional/" | "Regional" at the foot of page 1, "national" and the rest of the
    # form at the top of page 2: one action, its scope "Regional", and no section
    # named "national" (a lower-case rest of a label is no recommendation row).
    labels = {"Local/regional/ national": "Local", "Action": "Train staff", "Lead agency": BCC}
    first = form({**labels, "By when": "Mar-14"}, 80)
    cut = table([["Local/regional/", "Regional"]], top=700)
    rest = table(
        [
            row([cell(0, "national")]),
            ["Action", "Audit files"],
            ["Lead agency", BCC],
            ["By when", "Jun-14"],
        ],
        n_cols=2,
        page=2,
        top=40,
    )
    result = normalise_document(doc([first, cut, rest]))
    assert [a["action"] for a in result.actions] == ["Train staff", "Audit files"]
    assert result.actions[1]["scope"] == "Regional"
    assert {a["section"] for a in result.actions} == {None}


def test_value_wrapped_onto_a_word_that_could_be_a_label_stays_a_value() -> None:
    # "... training is up to" / "date": the wrapped line starts at the value edge in lower
    # case and reads as a label ("date"); labels start at the label edge.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "When"),
            (LABEL_X, 112.0, "Lead agency"),
            (VALUE_X, 112.0, BCC),
            (LABEL_X, 124.0, "Specific action"),
            (VALUE_X, 124.0, "Check that training is up to"),
            (VALUE_X, 136.0, "date"),
            (LABEL_X, 148.0, "Action No."),
            (VALUE_X, 148.0, "C7.2"),
        ]
    )
    tables, used, _ = form_tables(lines, 1, GUTTER)
    assert len(tables) == 1 and len(used) == len(lines)
    rows = [(r.cells[0].text, r.cells[1].text if len(r.cells) > 1 else "") for r in tables[0].rows]
    assert rows[2] == ("Specific action", "Check that training is up to date")
    assert rows[3] == ("Action No.", "C7.2")


def test_label_wrapped_onto_a_lower_case_line_opens_the_form() -> None:
    # "Responsible" / "organisation", its value beside the first line: the first word
    # alone is no label, the two lines together are.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Responsible"),
            (VALUE_X, 100.0, "KMPT Safeguarding Team"),
            (LABEL_X, 110.0, "organisation"),
            (LABEL_X, 124.0, "Deadline"),
            (VALUE_X, 124.0, "31/03/2023"),
            (LABEL_X, 138.0, "Action"),
            (VALUE_X, 138.0, "Train staff"),
        ]
    )
    tables, used, _ = form_tables(lines, 1, GUTTER)
    assert len(tables) == 1 and len(used) == len(lines)
    first = tables[0].rows[0]
    assert [c.text for c in first.cells] == ["Responsible organisation", "KMPT Safeguarding Team"]


def test_form_at_the_top_of_a_page_keeps_its_own_value_edge() -> None:
    # The last page's form set its values at another edge; this page's first line is a
    # label and its value: the rows below read at this page's value edge, none dropped.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Lead agency"),
            (VALUE_X + 40, 100.0, BCC),
            (LABEL_X, 110.0, "Timescales"),
            (VALUE_X + 40, 110.0, "Ongoing"),
            (LABEL_X, 120.0, "Status"),
            (VALUE_X + 40, 120.0, "Complete"),
        ]
    )
    tables, used, _ = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    assert len(used) == len(lines)
    labels = [r.cells[0].text for t in tables for r in t.rows]
    assert labels == ["Lead agency", "Timescales", "Status"]


def test_label_colon_value_lines_are_a_form() -> None:
    # A web form's export: "Label: value" lines, no table drawn; "Recommendation N: ..."
    # a row across the form; a wrapped value's rest under it; lines before the first
    # recommendation (the form's reference) stay outside it.
    from dhrplans.extract.forms import colon_form_tables

    lines = page_lines(
        [
            (LABEL_X, 80.0, "Form reference: HSC-0417"),
            (LABEL_X, 100.0, "Recommendation 1: All agencies should ask about abuse"),
            (LABEL_X, 110.0, "Action reference: 1.1"),
            (LABEL_X, 120.0, "Action: Audit the referrals made to MARAC in the"),
            (LABEL_X, 130.0, "last year"),
            (LABEL_X, 140.0, "Lead officer: DA Strategic Lead"),
            (LABEL_X, 150.0, "Target date: Within 3 months"),
            (LABEL_X, 160.0, "Progress:"),
        ]
    )
    (t,), used = colon_form_tables(lines, 1)
    assert used == list(range(1, 8))
    assert [c.text for c in t.rows[0].cells] == [
        "Recommendation 1: All agencies should ask about abuse"
    ]
    assert [c.text for c in t.rows[2].cells] == [
        "Action",
        "Audit the referrals made to MARAC in the last year",
    ]
    assert [c.text for c in t.rows[-1].cells] == ["Progress"]
    # a page of prose with a colon here and there is no form
    prose = page_lines([(LABEL_X, 100.0, "Note: the panel met twice"), (LABEL_X, 110.0, "Thanks")])
    assert colon_form_tables(prose, 1) == ([], [])


def test_two_label_value_pairs_on_a_line_are_two_rows() -> None:
    # "Timescale | Ongoing | RAG status | Amber" (labels bold, values not): two rows; a
    # label wrapped under the first pair ("Responsible" / "agency") keeps to its own pair.
    def line(placed, top):
        return [w for x, t, bold in placed for w in phrase(t, x, top, bold=bold)]

    words = (
        line(
            [
                (30.0, "Timescale", True),
                (160.0, "Ongoing", False),
                (330.0, "RAG status", True),
                (460.0, "Amber", False),
            ],
            100.0,
        )
        + line([(30.0, "Action", True), (160.0, "Train the staff", False)], 112.0)
        + line(
            [
                (30.0, "Responsible", True),
                (160.0, "Kent", False),
                (330.0, "Ref", True),
                (460.0, "1.1", False),
            ],
            124.0,
        )
        + line([(30.0, "agency", True), (160.0, "Police", False)], 136.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["RAG status", "Amber"] in rows and ["Ref", "1.1"] in rows
    assert ["Responsible agency", "Kent Police"] in rows


def test_form_block_holding_the_rest_of_one_action_and_the_start_of_the_next() -> None:
    # Stacked forms set apart by spacing that falls inside an action: a block opening with
    # "Lead agency" (not the form's first label) ends the last action; from its "Action
    # No." on, it is the next one.
    first = table(
        [
            ["Action No.", "1.1"],
            ["Action", "Train"],
            ["Lead agency", BCC],
            ["Target date", "Mar-22"],
        ]
    )
    start = table([["Action No.", "1.2"], ["Action", "Audit"]], top=200)
    mixed = table(
        [
            ["Lead agency", "Kent County Council"],
            ["Target date", "Apr-22"],
            ["Action No.", "1.3"],
            ["Action", "Review"],
        ],
        top=260,
    )
    rest = table([["Lead agency", "West Midlands Police"], ["Target date", "May-22"]], top=360)
    result = normalise_document(doc([first, start, mixed, rest]))
    got = [(a["ref"], a["action"], a["target_date_raw"]) for a in result.actions]
    assert got == [
        ("1.1", "Train", "Mar-22"),
        ("1.2", "Audit", "Apr-22"),
        ("1.3", "Review", "May-22"),
    ]


def test_a_forms_heading_over_its_first_recommendation_is_its_section() -> None:
    # An export's stamp line, the agency's name, then "Recommendation 1: ..." opening the
    # form: the agency's name is the section over the recommendation, the stamp further out.

    form = table(
        [
            "Recommendation 1: Health providers should ensure routine enquiry.",
            ["Ref", "1(a)"],
            ["Action", "Audit a sample of referrals"],
            ["Lead", "Head of Safeguarding"],
            ["Ref", "1(b)"],
            ["Action", "Amend the policy"],
        ],
        n_cols=2,
        heading="Sussex Partnership NHS Foundation Trust",
    )
    form.outer_heading = "Exported from the DHR tracker on 03/04/2023 14:12"
    forms = split_paired_form(form)
    assert forms[0].heading == "Recommendation 1: Health providers should ensure routine enquiry."
    assert forms[0].outer_heading == "Sussex Partnership NHS Foundation Trust"


def test_a_forms_first_line_alone_at_the_page_foot_is_its_start() -> None:
    # "Label: value" forms; the page ends with the next form's first line alone ("Ref:
    # 4(a)"), its rest on the next page: the start of a form, not a stray line.
    from dhrplans.extract.forms import colon_form_tables

    placed = [
        (30.0, 100.0, "Ref: 3(a)"),
        (30.0, 112.0, "Action: Deliver refresher training"),
        (30.0, 124.0, "Lead: Sussex Police"),
        (30.0, 136.0, "Status: Complete"),
        (30.0, 180.0, "Ref: 4(a)"),
    ]
    tables, used = colon_form_tables(page_lines(placed), 1)
    assert [[c.text for c in r.cells] for r in tables[-1].rows] == [["Ref", "4(a)"]]
    assert used == [0, 1, 2, 3, 4]
    # a lone label line that opens no form of the page stays a line
    tables, used = colon_form_tables(page_lines([*placed[:4], (30.0, 180.0, "Status: Draft")]), 1)
    assert len(tables) == 1 and used == [0, 1, 2, 3]


def test_bilingual_label_wrapped_after_its_slash_opens_each_form() -> None:
    # "Camau /" over "Action to take" (a capital after the slash), its value beside the
    # first line: the two lines are the label, the form's first row; printed again, it
    # opens the next form (a block read by its first line alone would run on into it).
    def one(top: float, ref: str) -> list[tuple[float, float, str]]:
        return [
            (LABEL_X, top, "Camau /"),
            (VALUE_X, top, f"Train the staff of team {ref}"),
            (LABEL_X, top + 10.0, "Action to take"),
            (LABEL_X, top + 24.0, "Ref"),
            (VALUE_X, top + 24.0, ref),
            (LABEL_X, top + 38.0, "Lead agency"),
            (VALUE_X, top + 38.0, BCC),
        ]

    lines = page_lines(one(100.0, "1a") + one(152.0, "1b"))
    tables, used, _ = form_tables(lines, 1, GUTTER)
    assert len(used) == len(lines)
    assert [[r.cells[0].text for r in t.rows] for t in tables] == [
        ["Camau / Action to take", "Ref", "Lead agency"]
    ] * 2


def test_rule_parts_a_label_ending_in_a_joining_word_from_the_next_label() -> None:
    # "Target date by" ends in a joining word, so it could go on below; a
    # drawn rule under it says the next line ("Done") is a row of its own.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref"),
            (VALUE_X, 100.0, "1a"),
            (LABEL_X, 114.0, "Action"),
            (VALUE_X, 114.0, "Train staff"),
            (LABEL_X, 128.0, "Target date by"),
            (VALUE_X, 128.0, "30/04/2023"),
            (LABEL_X, 142.0, "Done"),
            (VALUE_X, 142.0, "Yes"),
        ]
    )
    rules = rules_under(lines[:3]) + [(99.0, 25.0, 500.0)]
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert len(tables) == 1 and len(used) == len(lines)
    rows = [[c.text for c in r.cells] for r in tables[0].rows]
    assert rows[2:] == [["Target date by", "30/04/2023"], ["Done", "Yes"]]


def test_last_row_of_a_run_of_forms_above_a_heading_is_read() -> None:
    # Forms printed one under another: "Action" printed again opens the next one, whose
    # only row sits above a heading (the form's other rows came first on the page). Too
    # short to be a form on its own, it runs on from the form above: a table, its words
    # not left to the headings.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Action"),
            (VALUE_X, 100.0, "Train staff"),
            (LABEL_X, 114.0, "Owner"),
            (VALUE_X, 114.0, BCC),
            (LABEL_X, 128.0, "Target date"),
            (VALUE_X, 128.0, "30/04/2023"),
            (LABEL_X, 142.0, "Action"),
            (VALUE_X, 142.0, "Share the learning"),
        ]
    ) + page_lines([(LABEL_X, 170.0, "Single agency recommendations: Police")], size=12.0)
    tables, used, _ = form_tables(lines, 1, GUTTER)
    assert [[c.text for r in t.rows for c in r.cells] for t in tables] == [
        ["Action", "Train staff", "Owner", BCC, "Target date", "30/04/2023"],
        ["Action", "Share the learning"],
    ]
    assert used == [0, 1, 2, 3]


def test_block_out_of_step_with_forms_printing_the_action_last_ends_the_last_action() -> None:
    # The form prints "Owner" first and the action last; a block read out of step holds
    # an owner alone, then the next block the rest of that action (its action row
    # included): the rest of the action the owner opened, not an action of its own.
    first = table([["Owner", BCC], ["Target date", "Mar-22"], ["Action", "Train"]])
    owner = table([["Owner", "Kent Police"]], top=200)
    rest = table([["Target date", "Apr-22"], ["Action", "Audit"]], top=230)
    result = normalise_document(doc([first, owner, rest]))
    got = [(a["lead_agency_raw"], a["action"], a["target_date_raw"]) for a in result.actions]
    assert got == [(BCC, "Train", "Mar-22"), ("Kent Police", "Audit", "Apr-22")]


def test_recommendation_across_a_ruled_form_under_a_rule_is_no_label() -> None:
    # A bold recommendation line at the labels' edge, under the rule that closes the last
    # form's row and running past the values' edge: not the rest of the bold label
    # above it ("Action" wrapped), but a line of its own, over the next form.
    bold = dict(bold=True)
    lines = (
        page_lines([(LABEL_X, 100.0, "Ref")], **bold)
        + page_lines([(VALUE_X, 100.0, "1.1")])
        + page_lines([(LABEL_X, 114.0, "Lead agency")], **bold)
        + page_lines([(VALUE_X, 114.0, BCC)])
        + page_lines([(LABEL_X, 128.0, "Action")], **bold)
        + page_lines([(VALUE_X, 128.0, "Train staff on the new policy")])
        + page_lines([(VALUE_X, 140.0, "and review it")])
        + page_lines([(LABEL_X, 154.0, "2. All agencies should share the learning")], **bold)
        + page_lines([(LABEL_X, 168.0, "Ref")], **bold)
        + page_lines([(VALUE_X, 168.0, "2.1")])
        + page_lines([(LABEL_X, 182.0, "Lead agency")], **bold)
        + page_lines([(VALUE_X, 182.0, BCC)])
        + page_lines([(LABEL_X, 196.0, "Action")], **bold)
        + page_lines([(VALUE_X, 196.0, "Audit files")])
    )
    lines = group_lines([w for ln in lines for w in ln.words])
    rules = [(99.0, 25.0, 500.0)] + rules_under([lines[i] for i in (0, 1, 3, 4, 5, 6)])
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert [[r.cells[0].text for r in t.rows] for t in tables] == [
        ["Ref", "Lead agency", "Action"]
    ] * 2
    assert 4 not in used


def test_ruled_row_of_two_pairs_wrapped_keeps_each_pair_its_lines() -> None:
    # A ruled form's row of two pairs, "Responsible | Kent Fire and | Ref | 1.1", whose
    # first label and value wrap onto a second line inside the row ("officer",
    # "Rescue"): those words are the first pair's, not the second's.
    def line(placed, top):
        return [w for x, t, bold in placed for w in phrase(t, x, top, bold=bold)]

    words = (
        line([(30.0, "Action", True), (160.0, "Train the staff", False)], 100.0)
        + line(
            [
                (30.0, "Responsible", True),
                (160.0, "Kent Fire and", False),
                (330.0, "Ref", True),
                (460.0, "1.1", False),
            ],
            114.0,
        )
        + line([(30.0, "officer", True), (160.0, "Rescue", False)], 126.0)
        + line([(30.0, "Due date", True), (160.0, "Mar-23", False)], 140.0)
    )
    lines = group_lines(words)
    rules = [(99.0, 25.0, 560.0)] + rules_under([lines[i] for i in (0, 2, 3)], x1=560.0)
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["Responsible officer", "Kent Fire and Rescue"] in rows and ["Ref", "1.1"] in rows


def test_line_across_a_form_past_the_values_edge_is_no_label() -> None:
    # A recommendation over the next forms, "II. All agencies ...", at the labels' edge
    # and opening with a capital: a label the vocabulary does not know would too, but a
    # label stays in its column, and this line runs on past the values' edge.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref"),
            (VALUE_X, 100.0, "I.1"),
            (LABEL_X, 114.0, "Lead agency"),
            (VALUE_X, 114.0, BCC),
            (LABEL_X, 128.0, "Action"),
            (VALUE_X, 128.0, "Train staff"),
            (LABEL_X, 142.0, "II. All agencies should review and update their guidance now"),
            (LABEL_X, 156.0, "Ref"),
            (VALUE_X, 156.0, "II.1"),
            (LABEL_X, 170.0, "Lead agency"),
            (VALUE_X, 170.0, BCC),
            (LABEL_X, 184.0, "Action"),
            (VALUE_X, 184.0, "Audit files"),
        ]
    )
    rules = [(99.0, 25.0, 500.0)] + rules_under(lines)
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert [[r.cells[0].text for r in t.rows] for t in tables] == [
        ["Ref", "Lead agency", "Action"]
    ] * 2
    assert 3 not in used


def test_heading_nearest_a_form_table_opening_with_a_recommendation_is_its_section() -> None:
    # "Appendix 1 - Action Plan" over "Multi-agency recommendations" over a table of
    # forms whose first row is a recommendation: the section is the nearer heading, the
    # one over it is over the section.
    stacked = table(
        [
            "Recommendation R1: Housing officers should be trained on economic abuse.",
            ["Ref", "R1.1"],
            ["Action", "Commission training"],
            ["Lead Agency", BCC],
            ["Ref", "R1.2"],
            ["Action", "Add economic abuse to the assessment"],
            ["Lead Agency", BCC],
        ],
        heading="Multi-agency recommendations",
    )
    stacked.heading_bbox = (20.0, 60.0, 300.0, 72.0)
    stacked.outer_heading = "Appendix 1 - Action Plan"
    stacked.outer_heading_bbox = (20.0, 40.0, 300.0, 52.0)
    result = normalise_document(doc([stacked]))
    assert [a["ref"] for a in result.actions] == ["R1.1", "R1.2"]
    assert {a["section"] for a in result.actions} == {"Multi-agency recommendations"}
    assert {a["rec_number"] for a in result.actions} == {"R1"}


def test_rest_of_a_value_in_capitals_at_the_top_of_a_page_stays_the_value() -> None:
    # The page broke "Officer responsible"'s value ("... Safeguarding" / "Adults Lead
    # Nurse"): the next page opens at the value edge with words in capitals. It is the
    # rest of that value, not a heading over the next forms.
    first = table(
        [
            ["Ref", "1a"],
            ["Action", "Train staff"],
            ["Officer responsible", "Named Nurse for Safeguarding"],
        ],
        top=600,
    )
    first.heading, first.heading_bbox = "Plan", (20.0, 580.0, 300.0, 592.0)
    lines = page_lines(
        [
            (VALUE_X, 50.0, "Adults Lead Nurse"),
            (LABEL_X, 64.0, "Target date"),
            (VALUE_X, 64.0, "Mar-23"),
            (LABEL_X, 78.0, "RAG status"),
            (VALUE_X, 78.0, "Green"),
        ]
    )
    (rest,), _, _ = form_tables(lines, 2, GUTTER, carry=(LABEL_X, VALUE_X))
    result = normalise_document(doc([first, rest]))
    assert len(result.actions) == 1
    action = result.actions[0]
    assert action["lead_officer"] == "Named Nurse for Safeguarding Adults Lead Nurse"
    assert action["target_date_raw"] == "Mar-23" and action["section"] == "Plan"


PAIRS_PLAN = [
    "Recommendation 1: Housing officers should be trained on economic abuse.",
    ["Ref", "1.1", "Scope", "Local"],
    ["Action", "Commission training", None, None],
    ["Lead Agency", BCC, None, None],
    ["Progress", "Started", None, None],
    ["Status", "In progress", None, None],
]


def test_recommendation_row_ending_a_table_of_forms_heads_the_next_table() -> None:
    # Spacing parts a table of forms of pairs right under a recommendation's row: the row
    # ends one table, its forms open the next. It is that table's recommendation.
    first = table(PAIRS_PLAN + ["Recommendation 2: The police should review breaches."])
    second = table(
        [
            ["Ref", "2.1", "Scope", "Regional"],
            ["Action", "Review all breaches", None, None],
            ["Lead Agency", "West Midlands Police", None, None],
            ["Progress", "Not started", None, None],
            ["Status", "Not started", None, None],
        ],
        top=400,
    )
    result = normalise_document(doc([first, second]))
    assert [(a["ref"], a["rec_number"]) for a in result.actions] == [("1.1", "1"), ("2.1", "2")]
    assert result.actions[1]["recommendation"] == "The police should review breaches."


def test_rest_of_a_form_of_pairs_read_in_four_columns_ends_the_last_action() -> None:
    # A page breaks a form of pairs after its lead agency: the rest, at the top of the next
    # page, is read in the four columns of the table above, each row a label in the first
    # and its value across the rest. It is the rest of that action.
    first = table(PAIRS_PLAN[:4])
    rest = table(
        [
            table([["Progress", "Started"]], n_cols=4).rows[0],
            table([["Status", "In progress"]], n_cols=4).rows[0],
        ],
        n_cols=4,
        page=2,
        top=40,
    )
    result = normalise_document(doc([first, rest]))
    assert len(result.actions) == 1
    assert result.actions[0]["progress"] == "Started"
    assert result.actions[0]["status_raw"] == "In progress"


def test_plans_first_form_cut_after_two_rows_by_the_page_opens_the_plan() -> None:
    # The plan's first form, under its recommendation, is cut by the page after "Ref" and
    # "Action": two rows, too few for a form or a plan on their own. Each is a label and
    # the action is among them: the plan opens there, the rest of the form on the next
    # page (then the next form) carries it on.
    cut = form({"Ref": "1a", "Action": "Train staff"}, 700, heading="Recommendation 1: Train.")
    rest = table(
        [
            ["Lead agency", BCC],
            ["Target date", "Mar-23"],
            ["Status", "Done"],
            ["Ref", "1b"],
            ["Action", "Audit files"],
            ["Lead agency", "Kent Police"],
            ["Target date", "Jun-23"],
            ["Status", "Open"],
        ],
        page=2,
        top=40,
    )
    result = normalise_document(doc([cut, rest]))
    got = [(a["ref"], a["lead_agency_raw"], a["target_date_raw"]) for a in result.actions]
    assert got == [("1a", BCC, "Mar-23"), ("1b", "Kent Police", "Jun-23")]
    assert {a["rec_number"] for a in result.actions} == {"1"}


def test_start_of_a_form_of_pairs_cut_before_its_action_after_a_table_of_forms() -> None:
    # A table of forms of pairs, then (spacing or a page parting them) a table holding
    # the first rows of the next form, cut before its action row: its rows are pairs of
    # known labels and values, so it is a form too, and the rest of it on the next page
    # completes the action.
    first = table(PAIRS_PLAN)
    start = table(
        [["Ref", "1.2", "Scope", "Regional"], ["Lead Agency", "Kent Police", None, None]],
        top=600,
    )
    rest = table([["Action", "Audit files"], ["Status", "Open"]], page=2, top=40)
    result = normalise_document(doc([first, start, rest]))
    got = [(a["ref"], a["lead_agency_raw"], a["action"]) for a in result.actions]
    assert got == [("1.1", BCC, "Commission training"), ("1.2", "Kent Police", "Audit files")]


def test_line_opening_in_lower_case_opens_no_form_row() -> None:
    # A recommendation across the form wraps onto "who has had training." at the labels'
    # edge: its words read fuzzily like a question label ("Who ..."), but a label starts
    # with a capital. The form opens at "Status", the line left to the heading above.
    lines = page_lines(
        [
            (
                LABEL_X,
                100.0,
                "Rec 2: All agencies should make sure that referrals are screened by someone",
            ),
            (LABEL_X, 112.0, "who has had domestic abuse training."),
            (LABEL_X, 126.0, "Status (RAG)"),
            (VALUE_X, 126.0, "Green"),
            (LABEL_X, 140.0, "Action"),
            (VALUE_X, 140.0, "Dip-sample closed incidents"),
            (LABEL_X, 154.0, "Named lead"),
            (VALUE_X, 154.0, BCC),
        ]
    )
    (form,), used, _ = form_tables(lines, 1, GUTTER)
    assert [r.cells[0].text for r in form.rows] == ["Status (RAG)", "Action", "Named lead"]
    assert 1 not in used


def test_recommendation_the_page_broke_over_a_table_of_forms_of_pairs() -> None:
    # A table of forms of pairs ends in "Recommendation 2: All agencies should" at the
    # foot of the page; the next page's table opens with its rest across the whole table,
    # in lower case ("share the learning."), then the forms: one recommendation, whole.
    first = table(PAIRS_PLAN + ["Recommendation 2: All agencies should"])
    second = table(
        [
            "share the learning.",
            ["Ref", "2.1", "Scope", "Regional"],
            ["Action", "Review all breaches", None, None],
            ["Lead Agency", "West Midlands Police", None, None],
            ["Progress", "Not started", None, None],
            ["Status", "Not started", None, None],
        ],
        n_cols=4,
        page=2,
        top=40,
    )
    result = normalise_document(doc([first, second]))
    assert [(a["ref"], a["rec_number"]) for a in result.actions] == [("1.1", "1"), ("2.1", "2")]
    assert result.actions[1]["recommendation"] == "All agencies should share the learning."


def _pairs_line(placed, top):
    return [w for x, t, bold in placed for w in phrase(t, x, top, bold=bold)]


def test_two_pairs_on_the_first_line_of_a_page_carrying_a_form_on() -> None:
    # The page opens inside a form of pairs: its first line, "Target | 01/05/2013 |
    # Owner | X" at the carried edges, holds two pairs as the lines further down do.
    words = _pairs_line(
        [(30.0, "Target", True), (160.0, "01/05/2013", False)]
        + [(330.0, "Owner", True), (460.0, "Kent Police", False)],
        50.0,
    ) + _pairs_line([(30.0, "Monitoring", True), (160.0, "Monthly audit", False)], 62.0)
    tables, used, _ = form_tables(group_lines(words), 2, GUTTER, carry=(30.0, 160.0))
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert rows == [
        ["Target", "01/05/2013"],
        ["Owner", "Kent Police"],
        ["Monitoring", "Monthly audit"],
    ]


def test_pair_with_a_blank_value_beside_a_second_pair() -> None:
    # "Target | (blank) | Owner | X": the first pair's value left blank, the second label
    # follows it; the form goes on below at the values' edge of the lines above.
    words = (
        _pairs_line([(30.0, "Actions", True), (160.0, "Train staff", False)], 100.0)
        + _pairs_line([(30.0, "Item", True), (160.0, "C2", False)], 112.0)
        + _pairs_line([(30.0, "Target", True), (330.0, "Owner", True), (460.0, BCC, False)], 124.0)
        + _pairs_line([(30.0, "Monitoring", True), (160.0, "Monthly audit", False)], 136.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["Target"] in rows and ["Owner", BCC] in rows
    assert ["Monitoring", "Monthly audit"] in rows and len(tables) == 1


def test_second_pairs_label_wrapped_onto_a_bracket_is_one_label() -> None:
    # "No. | I.1 | Scope | Local" over "(local/national)" under the second label: a label
    # never opens with a bracket, so the line is the rest of "Scope", not a heading (nor
    # does it end the form, losing its first line).
    words = (
        _pairs_line(
            [(30.0, "No.", True), (160.0, "I.1", False)]
            + [(330.0, "Scope", True), (460.0, "Local", False)],
            100.0,
        )
        + _pairs_line([(330.0, "(local/national)", True)], 112.0)
        + _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 124.0)
        + _pairs_line([(30.0, "Agency", True), (160.0, BCC, False)], 136.0)
    )
    (form,), used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for r in form.rows]
    assert rows[:2] == [["No.", "I.1"], ["Scope (local/national)", "Local"]]
    assert ["Action", "Train staff"] in rows and used == [0, 1, 2, 3]


def test_label_wrapped_whose_first_line_is_an_earlier_label_is_no_repeat() -> None:
    # "Outcome" then "Outcome" / "measure" (wrapped, lower case) in one form: a label is
    # read whole, its wrapped lines included, so the second is no repeat of the first
    # (which would open a new form); the form ends where "Ref" is printed again.
    words = (
        _pairs_line([(30.0, "Ref", False), (160.0, "R2.2", False)], 100.0)
        + _pairs_line([(30.0, "Outcome", False), (160.0, "Fewer repeat calls", False)], 112.0)
        + _pairs_line([(30.0, "Outcome", False), (160.0, "Audit of case", False)], 124.0)
        + _pairs_line([(30.0, "measure", False), (160.0, "files", False)], 136.0)
        + _pairs_line([(30.0, "Action", False), (160.0, "Train staff", False)], 148.0)
        + _pairs_line([(30.0, "Ref", False), (160.0, "R2.3", False)], 160.0)
        + _pairs_line([(30.0, "Outcome", False), (160.0, "Safer homes", False)], 172.0)
        + _pairs_line([(30.0, "Action", False), (160.0, "Audit files", False)], 184.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    assert [[r.cells[0].text for r in t.rows] for t in tables] == [
        ["Ref", "Outcome", "Outcome measure", "Action"],
        ["Ref", "Outcome", "Action"],
    ]
    assert tables[0].rows[2].cells[1].text == "Audit of case files"


def test_line_of_two_labels_both_values_blank_is_two_rows() -> None:
    # "Target date | (blank) | Status | (blank)": two bold labels, no value; two rows of
    # the form, which goes on below (not a heading over the next lines).
    words = (
        _pairs_line([(30.0, "Ref", True), (160.0, "1.2", False)], 100.0)
        + _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 112.0)
        + _pairs_line([(30.0, "Target date", True), (330.0, "Status", True)], 124.0)
        + _pairs_line([(30.0, "Ref", True), (160.0, "1.3", False)], 136.0)
        + _pairs_line([(30.0, "Action", True), (160.0, "Audit files", False)], 148.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    assert [[r.cells[0].text for r in t.rows] for t in tables] == [
        ["Ref", "Action", "Target date", "Status"],
        ["Ref", "Action"],
    ]


def test_second_pairs_label_wrapped_after_a_joining_word() -> None:
    # "No. | 1a | Target date for | 30.06.23" over "completion" under the second label:
    # a label ending in "for" goes on below; it is the second pair's label, whole.
    words = (
        _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 100.0)
        + _pairs_line(
            [(30.0, "No.", True), (160.0, "1a", False)]
            + [(330.0, "Target date for", True), (460.0, "30.06.23", False)],
            112.0,
        )
        + _pairs_line([(330.0, "completion", True)], 124.0)
        + _pairs_line([(30.0, "Agency", True), (160.0, BCC, False)], 136.0)
    )
    (form,), used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for r in form.rows]
    assert ["No.", "1a"] in rows and ["Target date for completion", "30.06.23"] in rows
    assert len(used) == 4


def test_word_wrapped_onto_a_line_under_a_full_banner_is_no_label() -> None:
    # A recommendation printed across unruled forms fills the line, and Word wraps its
    # last word onto a line of its own ("... with the Home" / "Office."), at the label
    # edge and capitalised, alone like a label whose value is blank: the rest of the
    # paragraph above (left to the heading), not the form's first row.
    banner = "C1: The partnership should share the learning from this review with the Home"
    form = [
        (LABEL_X, 90.0, "Ref."),
        (VALUE_X, 90.0, "C1.1"),
        (LABEL_X, 101.0, "Action"),
        (VALUE_X, 101.0, "Write to the Home Office setting out the learning"),
        (LABEL_X, 112.0, "Lead agency"),
        (VALUE_X, 112.0, BCC),
    ]
    lines = page_lines([(LABEL_X, 68.0, banner), (LABEL_X, 79.0, "Office."), *form])
    tables, used, _ = form_tables(lines, 1, GUTTER)
    assert [[c.text for c in r.cells] for r in tables[0].rows][0] == ["Ref.", "C1.1"]
    assert 1 not in used


def test_rest_of_a_colon_form_at_the_top_of_the_next_page_is_read() -> None:
    # "Label: value" lines: the page broke the last form after its lead agency, and the
    # next page opens with its last two lines, fewer labels than a form needs alone.
    from dhrplans.extract.forms import colon_form_tables

    lines = page_lines(
        [
            (LABEL_X, 50.0, "Target completion: Mar-14"),
            (LABEL_X, 63.0, "Current status: Post publication"),
        ]
    )
    (rest,), used = colon_form_tables(lines, 2, carried=True)
    assert [[c.text for c in r.cells] for r in rest.rows] == [
        ["Target completion", "Mar-14"],
        ["Current status", "Post publication"],
    ]
    assert used == [0, 1]
    assert colon_form_tables(lines, 2) == ([], [])  # no form above: two lines are none


def test_second_pairs_label_wrapped_beside_both_values_wrapped() -> None:
    # "Agency | North Cumbria | Officer | Specialist Crime" over "Integrated Care |
    # responsible Review Group": the word under the second label, left of its value's
    # edge, is that label's rest, not the first word of its value's.
    words = (
        _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 100.0)
        + _pairs_line(
            [(30.0, "Agency", True), (160.0, "North Cumbria", False)]
            + [(330.0, "Officer", True), (400.0, "Specialist Crime", False)],
            112.0,
        )
        + _pairs_line(
            [(160.0, "Integrated Care", False), (330.0, "responsible", True)]
            + [(400.0, "Review Group", False)],
            124.0,
        )
        + _pairs_line([(30.0, "Target date", True), (160.0, "Mar-14", False)], 136.0)
    )
    (form,), used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for r in form.rows]
    assert ["Agency", "North Cumbria Integrated Care"] in rows
    assert ["Officer responsible", "Specialist Crime Review Group"] in rows


def test_form_opening_with_fields_before_its_ref_cut_by_the_page_keeps_them() -> None:
    # Forms whose labels print the monitoring and progress before the ref: the page broke
    # the second form after its first pairs, so they stand below the first action with no
    # ref or action of their own. They open the next form (its rest is on the next page),
    # not an update of the action above them.
    first = [("Deadline", "Mar-14"), ("Monitoring", "Audits"), ("Progress", "Begun.")]
    first += [("Ref", "1.1"), ("Action", "Train staff"), ("Lead agency", BCC)]
    start = [("Deadline", ""), ("Monitoring", "Annual review"), ("Progress", "76% trained.")]
    rest = [("Ref", "1.2"), ("Action", "Audit files"), ("Lead agency", BCC)]
    page1 = table([list(p) for p in first + start])
    page2 = table([list(p) for p in rest], page=2)
    result = normalise_document(doc([page1, page2]))
    got = [(a["ref"], a["monitoring"], a["progress"]) for a in result.actions]
    assert got == [("1.1", "Audits", "Begun."), ("1.2", "Annual review", "76% trained.")]


def test_label_wrapped_by_its_narrow_column_onto_a_capital_is_one_label() -> None:
    # Bilingual labels in a narrow label column: "Cam" / "Gweithredu /" / "Actions", the
    # value beside the label's first line going on beside its second. "Gweithredu" would
    # not fit after "Cam" before the values' edge, and "Cam Gweithredu" reads as a known
    # label: one label. "Cam" fits after "Cyf / Ref" and "Owner" after "Action" (a label
    # whole): new labels.
    narrow = 95.0  # the values' edge: a label column 65 points (13 characters) wide
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Cyf / Ref"),
            (narrow, 100.0, "C1.1"),
            (LABEL_X, 112.0, "Cam"),
            (narrow, 112.0, "Train the staff in every"),
            (LABEL_X, 124.0, "Gweithredu /"),
            (narrow, 124.0, "team of the service"),
            (LABEL_X, 136.0, "Actions"),
            (LABEL_X, 148.0, "Asiantaeth"),
            (narrow, 148.0, "Kent Police"),
            (LABEL_X, 160.0, "Arweiniol /"),
            (LABEL_X, 172.0, "Lead agency"),
            (LABEL_X, 184.0, "Action"),
            (narrow, 184.0, "Audit files"),
            (LABEL_X, 196.0, "Owner"),
            (narrow, 196.0, BCC),
        ]
    )
    tables, used, _ = form_tables(lines, 1, GUTTER)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert rows[:3] == [
        ["Cyf / Ref", "C1.1"],
        ["Cam Gweithredu / Actions", "Train the staff in every team of the service"],
        ["Asiantaeth Arweiniol / Lead agency", "Kent Police"],
    ]
    assert ["Owner", BCC] in rows and len(used) == len(lines)


def test_second_pairs_label_wrapped_over_lines_with_no_value_keeps_its_lines() -> None:
    # "Dyddiad | June 2023 | Statws /" over "Targed / | | Progress" and "Target | | status":
    # the second pair's value is blank, so the lines under its label, at its label's left
    # edge, are its label's (a value starts right of the label column), and the next
    # form's "Cyf / Ref" is no line of a label left open ("Statws /").
    words = (
        _pairs_line([(30.0, "Cyf / Ref", True), (95.0, "C1.1", False)], 100.0)
        + _pairs_line([(30.0, "Cam", True), (95.0, "Train staff", False)], 112.0)
        + _pairs_line(
            [(30.0, "Dyddiad", True), (95.0, "June 2023", False), (200.0, "Statws /", True)],
            124.0,
        )
        + _pairs_line([(30.0, "Targed /", True), (200.0, "Progress", True)], 136.0)
        + _pairs_line([(30.0, "Target", True), (200.0, "status", True)], 148.0)
        + _pairs_line([(30.0, "Cyf / Ref", True), (95.0, "C1.2", False)], 160.0)
        + _pairs_line([(30.0, "Cam", True), (95.0, "Audit files", False)], 172.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["Dyddiad Targed / Target", "June 2023"] in rows
    assert ["Statws / Progress status"] in rows
    assert rows.count(["Cyf / Ref", "C1.2"]) == 1 and len(tables) == 2


def test_label_ending_a_whole_half_is_finished_and_a_line_opening_with_a_slash_goes_on() -> None:
    # "Monitro / Monitored by" ends in a joining word, but its English half is a label
    # whole: the next label "Cynnydd /" opens a row of its own. "Dyddiad Cwblhau" over
    # "/ Date completed": a line opening with "/" is the rest of the label above.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Cyf / Ref"),
            (VALUE_X, 100.0, "1.1"),
            (LABEL_X, 112.0, "Monitro /"),
            (VALUE_X, 112.0, "Random sample of referrals"),
            (LABEL_X, 124.0, "Monitored by"),
            (LABEL_X, 136.0, "Cynnydd /"),
            (VALUE_X, 136.0, "Drop in team reconfigured"),
            (LABEL_X, 148.0, "Progress update"),
            (LABEL_X, 160.0, "Dyddiad Cwblhau"),
            (VALUE_X, 160.0, "Completed and published on the"),
            (LABEL_X, 172.0, "/ Date completed"),
            (VALUE_X, 172.0, "partnership website"),
        ]
    )
    (form,), used, _ = form_tables(lines, 1, GUTTER)
    assert [[c.text for c in r.cells] for r in form.rows] == [
        ["Cyf / Ref", "1.1"],
        ["Monitro / Monitored by", "Random sample of referrals"],
        ["Cynnydd / Progress update", "Drop in team reconfigured"],
        ["Dyddiad Cwblhau / Date completed", "Completed and published on the partnership website"],
    ]


def test_form_cut_by_the_page_after_a_blank_value_is_kept_at_the_foot() -> None:
    # The page ends in the next form's first label, its value blank: a block of one
    # label and no value, under a form of the same label edge, is that form's start (its
    # value edge the form's above), not a heading over the next page.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Target Date"),
            (VALUE_X, 100.0, "Mar-14"),
            (LABEL_X, 112.0, "Monitoring"),
            (VALUE_X, 112.0, "Audits"),
            (LABEL_X, 124.0, "Action"),
            (VALUE_X, 124.0, "Train staff"),
            (LABEL_X, 136.0, "Target Date"),
        ]
    )
    tables, used, carry = form_tables(lines, 1, GUTTER, page_bottom=lines[-1].bottom)
    assert [[c.text for c in r.cells] for t in tables for r in t.rows][-1] == ["Target Date"]
    assert len(used) == len(lines) and carry == (LABEL_X, VALUE_X)


def test_welsh_rag_label_opens_a_second_pair() -> None:
    # "Dyddiad Targed / Target Date | Mar-14 | Statws RAG / RAG status | Green": the Welsh
    # "Statws RAG" (schemas/header_synonyms.csv) is a label of its own, not a misspelt
    # "Statws", so the bilingual label reads by both halves and opens the second pair.
    from dhrplans.normalise.headers import score_label

    words = (
        _pairs_line([(30.0, "Cyf / Ref", True), (200.0, "1.1", False)], 100.0)
        + _pairs_line([(30.0, "Cam Gweithredu / Action", True), (200.0, "Train", False)], 112.0)
        + _pairs_line(
            [(30.0, "Dyddiad Targed / Target Date", True), (200.0, "Mar-14", False)]
            + [(300.0, "Statws RAG / RAG status", True), (460.0, "Green", False)],
            124.0,
        )
    )
    (form,), _, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for r in form.rows]
    assert ["Dyddiad Targed / Target Date", "Mar-14"] in rows
    assert ["Statws RAG / RAG status", "Green"] in rows
    assert score_label("Statws RAG")[0] == "rag"


def test_first_label_of_a_form_wrapped_onto_a_capital_opens_the_form() -> None:
    # The form's first label, "Cam" / "Gweithredu /" / "Action": "Cam" alone is no label
    # and no form edges are known yet, but "Cam Gweithredu" is one, word for word: the
    # first row, not a line left over above the form.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Cam"),
            (VALUE_X, 100.0, "Follow up every referral"),
            (LABEL_X, 112.0, "Gweithredu /"),
            (LABEL_X, 124.0, "Action"),
            (LABEL_X, 136.0, "Lead officer"),
            (VALUE_X, 136.0, "Head of Safeguarding"),
            (LABEL_X, 148.0, "Target date"),
            (VALUE_X, 148.0, "Mar-14"),
        ]
    )
    (form,), used, _ = form_tables(lines, 1, GUTTER)
    assert [[c.text for c in r.cells] for r in form.rows][0] == [
        "Cam Gweithredu / Action",
        "Follow up every referral",
    ]
    assert len(used) == len(lines)


def test_table_of_forms_printing_the_action_last_broken_by_the_page_before_it() -> None:
    # A table of forms of pairs, each form printing its labels in one order that ends in
    # the action, the forms following each other with no gap and a recommendation across
    # the table between them. The page breaks the first form before its action: the next
    # page's table opens with "Action". A form starts where the label its run printed
    # first ("Target date") comes again, so the action at the top of page 2 ends the first
    # form, not a form of its own with the next form's fields.
    def form_rows(date, agency, status, action):
        return [
            ["Target date", date, None, None],
            ["Lead agency", agency, "Status", status],
            ["Action", action, None, None],
        ]

    first = table(
        ["Recommendation 1: Staff should be trained.", *form_rows("Mar-23", BCC, "Open", "x")[:2]]
    )
    rest = table(
        [
            form_rows("", "", "", "Train staff")[2],
            *form_rows("Jun-23", "Kent Police", "Closed", "Audit files"),
            "Recommendation 2: Files should be shared.",
            *form_rows("Sep-23", "KCC", "Open", "Share files"),
        ],
        n_cols=4,
        page=2,
        top=40,
    )
    result = normalise_document(doc([first, rest]))
    got = [(a["action"], a["lead_agency_raw"], a["target_date_raw"]) for a in result.actions]
    assert got == [
        ("Train staff", BCC, "Mar-23"),
        ("Audit files", "Kent Police", "Jun-23"),
        ("Share files", "KCC", "Sep-23"),
    ]
    assert [a["rec_number"] for a in result.actions] == ["1", "1", "2"]
    assert result.words_accounted == result.words_in_tables


def test_plans_first_form_cut_by_the_page_before_its_action_printed_last() -> None:
    # The form prints the action last; the page cuts the plan's first form before it:
    # its labels, all known, name no action, so it is no form on its own. Its rest on
    # the next page (the action, no label printed twice) makes it one: the plan opens
    # there, and the next form follows.
    cut = form({"Lead agency": BCC, "Target date": "Mar-23"}, 700, heading="Recommendation 1: X.")
    rest = form({"Action": "Train staff"}, 40, page=2)
    after = form(
        {"Lead agency": "Kent Police", "Target date": "Jun-23", "Action": "Audit"}, 80, page=2
    )
    result = normalise_document(doc([cut, rest, after]))
    got = [(a["action"], a["lead_agency_raw"], a["target_date_raw"]) for a in result.actions]
    assert got == [("Train staff", BCC, "Mar-23"), ("Audit", "Kent Police", "Jun-23")]
    assert result.words_accounted == result.words_in_tables


def test_plans_first_form_cut_before_its_action_and_the_next_form_in_one_block() -> None:
    # As above, but the page's rest of the first form (its action) and the next forms
    # follow each other with no gap: one block, where the first form's first label
    # ("Lead agency") is printed again. A run of forms prints its labels in one order, so
    # the rows before that label end the cut form and the next form starts there.
    cut = form({"Lead agency": BCC, "Target date": "Mar-23"}, 700, heading="Recommendation 1: X.")
    rest = table(
        [
            ["Action", "Train staff"],
            ["Lead agency", "Kent Police"],
            ["Target date", "Jun-23"],
            ["Action", "Audit"],
            ["Lead agency", "KCC"],
            ["Target date", "Sep-23"],
            ["Action", "Share files"],
        ],
        page=2,
        top=40,
    )
    result = normalise_document(doc([cut, rest]))
    got = [(a["action"], a["lead_agency_raw"], a["target_date_raw"]) for a in result.actions]
    assert got == [
        ("Train staff", BCC, "Mar-23"),
        ("Audit", "Kent Police", "Jun-23"),
        ("Share files", "KCC", "Sep-23"),
    ]
    assert {a["rec_number"] for a in result.actions} == {"1"}
    assert result.words_accounted == result.words_in_tables


def test_label_cut_by_the_page_after_a_first_line_that_is_a_label_itself() -> None:
    # "Outcome" / "measure" cut by the page between its lines: "Outcome" (a label the
    # form printed above) closes page 1, "measure" opens page 2. The section's forms
    # printed "Outcome measure" whole, so the two are that label: its value is the
    # outcome measure, not more of the outcome.
    labels = ("Ref", "Outcome", "Outcome measure", "Action", "Lead agency")
    first = form(dict(zip(labels, ("1.1", "Fewer calls", "Audit", "Train staff", BCC))), 80)
    cut = form({"Ref": "1.2", "Outcome": "Safer homes"}, 600)
    foot = form({"Outcome": "Case file audit"}, 700)
    rest = table([["measure", ""], ["Action", "Audit files"], ["Lead agency", "KCC"]], page=2)
    result = normalise_document(doc([first, cut, foot, rest]))
    got = [(a["ref"], a["desired_outcome"], a["success_measure"]) for a in result.actions]
    assert got == [("1.1", "Fewer calls", "Audit"), ("1.2", "Safer homes", "Case file audit")]
    assert result.words_accounted == result.words_in_tables


def test_pairs_form_whose_wrapped_labels_the_page_cut_keeps_its_recommendation() -> None:
    # Forms of two pairs a line, labels wrapped over two lines ("Target" / "date"): the
    # page cut the last form's last row between the lines, and the labels' rest ("date
    # status", lower case) opens page 2, above its first table, as if its heading. The run
    # of forms printed those labels whole before: the rest is theirs, the recommendation
    # and both its actions are kept, and the next table has no heading "date status".
    def pairs(ref: str, action: str, target: str, status: str, cut: bool = False) -> list:
        labels = ("Target", "Current") if cut else ("Target date", "Current status")
        return [
            ["Action ref", ref, "Responsible agency", BCC],
            row([cell(0, "Action"), cell(1, action, colspan=3)]),
            [labels[0], target, labels[1], status],
        ]

    rec3 = table(
        [
            "Recommendation 3: The council should assure the partnership.",
            *pairs("3.1", "Revise the assessment", "Summer 2023", "Completed"),
            *pairs("3.2", "Brief GP practices", "Spring 2024", "Complete", cut=True),
        ],
        n_cols=4,
    )
    rec4 = table(
        [
            "Recommendation 4: The service should review contact.",
            *pairs("4.1", "Review the process", "31/03/2024", "Ongoing"),
        ],
        n_cols=4,
        page=2,
        heading="date status",
    )
    result = normalise_document(doc([rec3, rec4]))
    assert [(a["rec_number"], a["ref"]) for a in result.actions] == [
        ("3", "3.1"),
        ("3", "3.2"),
        ("4", "4.1"),
    ]
    assert [a["status_raw"] for a in result.actions] == ["Completed", "Complete", "Ongoing"]
    assert result.actions[1]["target_date_raw"] == "Spring 2024"
    assert {a["section"] for a in result.actions} == {None}


def test_first_form_cut_by_spacing_teaches_its_section_the_rest_of_its_labels() -> None:
    # The section's first form is parted by spacing on its own page after "Outcome": the
    # rest ("Outcome measure", "Comments", "Status") is a table of its own just below,
    # then the next form, whole. The rest's labels are the section's, and "Outcome"
    # (progress or desired outcome) yields progress to "Comments", as in a whole header.
    first = form(
        {"Action": "Train staff", "Lead agency": BCC, "Outcome": "Staff feel able"},
        100,
        heading="Plan",
    )
    rest = form({"Outcome measure": "Audit", "Comments": "Sessions booked", "Status": "Open"}, 300)
    second = form(
        {
            "Action": "Audit files",
            "Lead agency": BCC,
            "Outcome": "Files complete",
            "Outcome measure": "Dip sample",
            "Comments": "Audit planned",
            "Status": "Open",
        },
        500,
    )
    result = normalise_document(doc([first, rest, second]))
    assert [a["action"] for a in result.actions] == ["Train staff", "Audit files"]
    assert [a["progress"] for a in result.actions] == ["Sessions booked", "Audit planned"]
    assert [a["desired_outcome"] for a in result.actions] == ["Staff feel able", "Files complete"]
    assert [a["success_measure"] for a in result.actions] == ["Audit", "Dip sample"]
    assert {a["section"] for a in result.actions} == {"Plan"}
    assert not [w for w in result.warnings if "skipped" in w]


def test_form_cut_by_the_page_after_its_ref_keeps_the_ref_as_the_actions() -> None:
    # "Ref | D2" alone at the foot of page 1, the rest of that form opening page 2, then
    # the next form "Ref | D3": D2 is the action's ref, not a recommendation printed as a
    # row (the number of D3's recommendation); all three actions are Recommendation D's.
    heading = "Recommendation D: Walk in Centre to develop a policy on domestic abuse."
    first = form(
        {"Ref": "D1", "Action": "Write policy", "Lead agency": BCC, "Status": "Open"},
        100,
        heading=heading,
    )
    cut = form({"Ref": "D2"}, 700)
    rest = form({"Action": "Remind officers", "Lead agency": BCC, "Status": "Done"}, 40, page=2)
    third = form(
        {"Ref": "D3", "Action": "Brief staff", "Lead agency": BCC, "Status": "Open"}, 300, page=2
    )
    result = normalise_document(doc([first, cut, rest, third]))
    assert [a["ref"] for a in result.actions] == ["D1", "D2", "D3"]
    assert [a["rec_number"] for a in result.actions] == ["D", "D", "D"]
    assert [a["action"] for a in result.actions][1] == "Remind officers"


def test_ambiguous_label_of_a_cut_first_form_yields_its_field_to_a_label_of_the_rest() -> None:
    # The page cuts the section's first form after "Outcome" (progress or desired
    # outcome: the first while no other label names progress); the rest on the next
    # page prints "Comments" (progress). As in a header printed whole, "Outcome" is the
    # desired outcome and "Comments" the progress, no value left in `extra`.
    first = form(
        {"Action": "Train staff", "Lead agency": BCC, "Outcome": "Staff feel able"},
        600,
        heading="Plan",
    )
    rest = form({"Comments": "Sessions booked", "Status": "Open"}, 40, page=2)
    result = normalise_document(doc([first, rest]))
    (action,) = result.actions
    assert action["desired_outcome"] == "Staff feel able"
    assert action["progress"] == "Sessions booked"
    assert not action["extra"]


def test_recommendation_the_page_broke_over_a_form_goes_whole_to_the_next_table() -> None:
    # "C6: ... from the same address are" at the foot of page 1 (the pending heading),
    # its rest "identified and reviewed by a supervisor." over page 2's first form: one
    # heading, the whole recommendation, not a heading in lower case of its own.
    from dhrplans.extract.document import _attach_headings

    from dhrplans.settings import DEFAULT_SETTINGS

    start = "C6: Cumbria Constabulary should make sure that repeat calls from the same address are"
    pending = (start, (30.0, 780.0, 540.0, 792.0), None, None)
    rest = page_lines([(30.0, 40.0, "identified and reviewed by a supervisor.")], bold=True)
    plan = form({"Specific action": "Train staff", "Lead agency": BCC, "Status": "Open"}, 56.0)
    _attach_headings([plan], rest, 600.0, 10.0, pending, DEFAULT_SETTINGS.layout)
    assert plan.heading == f"{start} identified and reviewed by a supervisor."


def test_rest_of_a_recommendation_printed_in_the_next_tables_band_joins_its_heading() -> None:
    # The recommendation at the foot of page 1 wrapped onto "plan.", which the next page
    # prints in its first table's shaded band, a row of one cell over the form: the
    # table takes the heading and that rest, and opens with the form's first label.
    from dhrplans.extract.document import _attach_headings

    from dhrplans.settings import DEFAULT_SETTINGS

    start = "Recommendation F: Children's Centres to be invited to inform the child protection"
    pending = (start, (30.0, 780.0, 540.0, 792.0), None, None)
    plan = table(
        [
            row([cell(0, "plan.", top=40.0, bottom=52.0, bold=True)]),
            ["Ref", "F1"],
            ["Action", "Train social workers"],
            ["Lead agency", BCC],
        ],
        top=40.0,
    )
    _attach_headings([plan], [], 600.0, 10.0, pending, DEFAULT_SETTINGS.layout)
    assert plan.heading == f"{start} plan."
    assert [r.cells[0].text for r in plan.rows] == ["Ref", "Action", "Lead agency"]
    assert plan.bbox[1] == plan.rows[0].bbox[1]


def test_ruled_form_opening_with_a_blank_value_beside_a_second_pair_wrapped() -> None:
    # A ruled form's first row "Target | (blank) | Named lead | Birmingham South", the
    # second pair's value wrapped onto a line of its own ("Central CCG"): that line is
    # not the values' edge. The rows under it ("Key actions | ...", at the form's value
    # edge) are the same form's, all of them read.
    def line(placed, top):
        return [w for x, t, bold in placed for w in phrase(t, x, top, bold=bold)]

    words = (
        line(
            [(30.0, "Target", True), (330.0, "Named lead", True), (460.0, "Birmingham", False)], 100
        )
        + line([(460.0, "Central CCG", False)], 112.0)
        + line([(30.0, "Key actions", True), (160.0, "Train the staff", False)], 126.0)
        + line([(30.0, "Lead agency", True), (160.0, "Kent Police", False)], 140.0)
        + line([(30.0, "Status", True), (160.0, "Open", False)], 154.0)
    )
    lines = group_lines(words)
    rules = [(99.0, 25.0, 560.0)] + rules_under([lines[i] for i in (1, 2, 3, 4)], x1=560.0)
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert used == [0, 1, 2, 3, 4]
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["Named lead", "Birmingham Central CCG"] in rows
    assert ["Key actions", "Train the staff"] in rows and ["Status", "Open"] in rows


def test_first_line_of_a_page_carrying_a_form_on_with_a_blank_value_beside_a_second_pair() -> None:
    # The page opens inside a form of pairs with "Target | (blank) | Owner | Kent Police":
    # the second label is no value, so the form keeps the carried value edge, and the
    # next row ("Status | Green", at that edge) is the same form's.
    words = (
        _pairs_line(
            [(30.0, "Target", True), (330.0, "Owner", True), (460.0, "Kent Police", False)], 50.0
        )
        + _pairs_line([(30.0, "Status", True), (160.0, "Green", False)], 62.0)
        + _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 74.0)
    )
    tables, used, _ = form_tables(group_lines(words), 2, GUTTER, carry=(30.0, 160.0))
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert rows == [
        ["Target"],
        ["Owner", "Kent Police"],
        ["Status", "Green"],
        ["Action", "Train staff"],
    ]
    assert used == [0, 1, 2]


def test_recommendation_across_a_form_under_a_larger_heading_is_no_row() -> None:
    # "Overview Report Recommendations" in larger type, right under it a recommendation
    # wrapped over two lines at the labels' edge ("Rec 1: ... undertaken by" / "Review.
    # All the ..."), then the form. The heading is no row, and its edge makes no label of
    # the recommendation's lines: they stay free (the form's heading, read over it), and
    # the form opens at its first label.
    words = (
        _pairs_line([(30.0, "Overview Report Recommendations", True)], 40.0)
        + phrase("Rec 1: An analysis of training should be undertaken by", 30.0, 56.0, bold=True)
        + phrase("Review. All the training should promote joint working.", 30.0, 64.0, bold=True)
        + _pairs_line([(30.0, "Action No.", True), (160.0, "1.1", False)], 72.0)
        + _pairs_line([(30.0, "Action", True), (160.0, "Train staff", False)], 80.0)
        + _pairs_line([(30.0, "Organisation", True), (160.0, BCC, False)], 88.0)
    )
    for w in words:  # the heading in 11 pt, the rest in 7 pt
        w["size"] = 11.0 if w["top"] == 40.0 else 7.0
        w["bottom"] = w["top"] + w["size"]
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    assert used == [3, 4, 5]
    assert [r.cells[0].text for r in tables[0].rows] == ["Action No.", "Action", "Organisation"]


def test_label_of_two_labels_joined_by_a_slash_wrapped_onto_a_capital() -> None:
    # "Lead Officer/Agency" in a narrow label column, wrapped after "Lead" (a label
    # alone) onto "Officer/Agency" (no value beside it, no rules): one label, two known
    # labels joined by "/", not a row of its own with a blank value.
    words = (
        _pairs_line([(30.0, "Action Ref", True), (160.0, "3a", False)], 100.0)
        + _pairs_line([(30.0, "Proposed action", True), (160.0, "Dip-sample cases", False)], 112.0)
        + _pairs_line([(30.0, "Lead", True), (160.0, "NHS Kent and Medway ICB", False)], 124.0)
        + _pairs_line([(30.0, "Officer/Agency", True)], 136.0)
        + _pairs_line([(30.0, "Action Ref", True), (160.0, "3b", False)], 148.0)
        + _pairs_line([(30.0, "Proposed action", True), (160.0, "Review provision", False)], 160.0)
        + _pairs_line([(30.0, "Lead", True), (160.0, "Kent Police", False)], 172.0)
        + _pairs_line([(30.0, "Officer/Agency", True)], 184.0)
    )
    tables, used, _ = form_tables(group_lines(words), 1, GUTTER)
    rows = [[c.text for c in r.cells] for t in tables for r in t.rows]
    assert ["Lead Officer/Agency", "NHS Kent and Medway ICB"] in rows
    assert ["Lead Officer/Agency", "Kent Police"] in rows
    assert ["Officer/Agency"] not in rows


def test_recommendation_row_opening_every_form_of_it_is_one_recommendation() -> None:
    # Each form opens with its recommendation's row across the form, printed again over
    # every action of it: one recommendation with its actions, not one per form.
    rec = "Recommendation Q: Partners should share referral data."
    forms = [
        table(
            [rec, ["Ref", ref], ["Action", act], ["Lead agency", BCC], ["By when", "Mar-14"]],
            n_cols=2,
            top=60.0 + 300.0 * k,
        )
        for k, (ref, act) in enumerate([("Q.1", "Audit files"), ("Q.2", "Train staff")])
    ]
    forms.append(
        table(
            [
                "Recommendation R: Partners should review the policy.",
                ["Ref", "R.1"],
                ["Action", "Review policy"],
                ["Lead agency", BCC],
                ["By when", "Jun-14"],
            ],
            n_cols=2,
            top=660.0,
        )
    )
    forms[0].heading = "Multi-agency plan"
    result = normalise_document(doc(forms))
    assert [a["ref"] for a in result.actions] == ["Q.1", "Q.2", "R.1"]
    assert [(r["rec_number"], r["n_actions"]) for r in result.recommendations] == [
        ("Q", 2),
        ("R", 1),
    ]
    assert result.words_accounted == result.words_in_tables


def test_form_ruled_only_above_and_below_reads_a_row_per_label() -> None:
    # A table style that rules a form only above it, under its first row and below it:
    # the lines between two rules each open with a known label and its value, at the
    # two edges, so each is a row of its own.
    lines = page_lines(
        [
            (LABEL_X, 100.0, "Ref"),
            (VALUE_X, 100.0, "Q.1"),
            (LABEL_X, 114.0, "Action required"),
            (VALUE_X, 114.0, "Train staff in the new"),
            (VALUE_X, 126.0, "referral pathway"),
            (LABEL_X, 140.0, "Lead agency"),
            (VALUE_X, 140.0, BCC),
            (LABEL_X, 154.0, "Target date"),
            (VALUE_X, 154.0, "Mar-14"),
        ]
    )
    rules = [(99.0, 25.0, 500.0), (lines[0].bottom + 1.0, 25.0, 500.0)]
    rules.append((lines[-1].bottom + 1.0, 25.0, 500.0))
    tables, used, _ = form_tables(lines, 1, GUTTER, hrules=rules)
    assert len(tables) == 1 and len(used) == len(lines)
    rows = [(r.cells[0].text, r.cells[1].text) for r in tables[0].rows]
    assert rows == [
        ("Ref", "Q.1"),
        ("Action required", "Train staff in the new referral pathway"),
        ("Lead agency", BCC),
        ("Target date", "Mar-14"),
    ]


def test_two_language_form_cut_inside_its_recommendation_label_keeps_its_section() -> None:
    # Labels printed Welsh over English on two lines ("Cyf" / "Ref"). A new agency's
    # first form is cut by the page between "Argymhelliad" and "Recommendation": the
    # start (ref, the recommendation's first words) and the rest are one form of that
    # agency's section.
    def labels(values, rows):
        return [[label, value] for label, value in zip(rows, values)]

    both = [
        ["Cyf", "Ref"],
        ["Argymhelliad", "Recommendation"],
        ["Cam Gweithredu", "Action"],
        ["Swyddog Arweiniol", "Lead Officer"],
    ]
    first = table(
        labels(["1.1", "1. Partners should audit files.", "Audit files", "Head of Service"], both),
        heading="Northbrook Council",
        top=80.0,
    )
    start = table(
        labels(["2.1", "2. Health partners should make sure"], [both[0], ["Argymhelliad"]]),
        heading="Westshire Police",
        top=400.0,
    )
    rest = table(
        labels(
            ["that enquiry is routine.", "Train staff", "Detective Inspector"],
            [["Recommendation"], *both[2:]],
        ),
        page=2,
        top=40.0,
    )
    result = normalise_document(doc([first, start, rest]))
    assert [a["ref"] for a in result.actions] == ["1.1", "2.1"]
    second = result.actions[1]
    assert second["section"] == "Westshire Police"
    assert second["rec_number"] == "2"
    assert second["recommendation"] == "Health partners should make sure that enquiry is routine."
    assert result.words_accounted == result.words_in_tables


STACKED_PLAN = [
    "Recommendation 1: Housing officers should be trained on economic abuse.",
    ["Action", "Commission training"],
    ["Lead Agency", BCC],
    ["Status", "In progress"],
    ["Ref", "1.1"],
    "Recommendation 2: All agencies should",
]


def test_recommendation_the_page_broke_over_a_two_column_table_of_stacked_forms() -> None:
    # One two-column table of label | value rows holds every action (each form printing
    # its ref last), the recommendations as rows across it. The page broke recommendation
    # 2 after "should": the next page's table opens with its rest across both columns, in
    # lower case, then two forms. Its rest joins the recommendation and both forms are
    # read, not glued into one record.
    first = table(STACKED_PLAN)
    second = table(
        [
            "share the learning.",
            ["Action", "Review all breaches"],
            ["Lead Agency", "West Midlands Police"],
            ["Status", "Not started"],
            ["Ref", "2.1"],
            ["Action", "Audit the referrals"],
            ["Lead Agency", "West Midlands Police"],
            ["Status", "Completed"],
            ["Ref", "2.2"],
        ],
        page=2,
        top=40,
    )
    result = normalise_document(doc([first, second]))
    assert [(a["ref"], a["rec_number"]) for a in result.actions] == [
        ("1.1", "1"),
        ("2.1", "2"),
        ("2.2", "2"),
    ]
    assert result.actions[1]["recommendation"] == "All agencies should share the learning."


def test_forms_recommendation_label_alone_at_the_page_foot_is_the_same_recommendation() -> None:
    # Each form opens with a "Recommendation:" row printing its recommendation whole; the
    # page ends after that row of the second form under recommendation 2, the rest of the
    # form is on the next page: one recommendation 2 with both its actions.
    rec1 = "1. Agencies should ensure that staff are trained in coercive control."
    rec2 = "2. The partnership should audit how files record the victim's voice."

    def one(rec, ref, action, top, page=1):
        values = {"Recommendation:": rec, "Action ref:": ref, "Action:": action}
        return form({**values, "Lead agency:": BCC, "Target date:": "Mar-24"}, top, page)

    first = one(rec1, "1.1", "Train staff", 80)
    second = one(rec2, "2.1", "Audit files", 300)
    cut = form({"Recommendation:": rec2}, 700)
    rest = form(
        {"Action ref:": "2.2", "Action:": "Report", "Lead agency:": BCC, "Target date:": "Jun-24"},
        40,
        page=2,
    )
    result = normalise_document(doc([first, second, cut, rest]))
    assert [(a["ref"], a["rec_number"]) for a in result.actions] == [
        ("1.1", "1"),
        ("2.1", "2"),
        ("2.2", "2"),
    ]
    recs = result.recommendations
    assert [(r["rec_number"], r["n_actions"]) for r in recs] == [("1", 1), ("2", 2)]

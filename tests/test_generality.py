"""Table understanding by properties many layouts share (issue 10), on small hand-built
tables: conservation of printed words, numbering, compound and ambiguous labels, forms,
recommendations printed as rows or as paragraphs over their tables."""

from __future__ import annotations

import pytest
from dhrplans.extract.model import LooseLine, RawCell
from dhrplans.normalise.forms import is_form, transpose_form
from dhrplans.normalise.headers import map_header, score_label
from dhrplans.normalise.numbering import (
    is_child,
    is_ref,
    is_sub_label,
    split_number,
    top_level,
)
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import CW, LEFT, PAD, cell, doc, row, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]
BCC = "Birmingham City Council"


def col(records: list[dict], key: str) -> list:
    return [r[key] for r in records]


# --- numbering: one place splits numbers from text ---------------------------------------


@pytest.mark.parametrize(
    ("printed", "number", "text"),
    [
        ("Recommendation 3: Train staff", "3", "Train staff"),
        ("Rec 12 – Train staff", "12", "Train staff"),
        ("3. Train staff", "3", "Train staff"),
        ("C1: Train staff", "C1", "Train staff"),
        ("R2 Train staff", "R2", "Train staff"),
        ("1a) Train staff", "1a", "Train staff"),
        ("Recommendation 4", "4", ""),
        ("Train staff in 3 areas", None, "Train staff in 3 areas"),
        ("2 staff to attend", None, "2 staff to attend"),  # a figure opening a sentence
        ("NHS 111 service", None, "NHS 111 service"),
        # a bilingual plan prints the word in both languages
        ("Argymhelliad / Recommendation 3: Train staff", "3", "Train staff"),
        ("Argymhelliad 3 / Recommendation 3: Train staff", "3", "Train staff"),
        # misspelt as plans misspell it
        ("Reccomendation 2: Train staff", "2", "Train staff"),
        ("Recomendation 4 - Audit", "4", "Audit"),
    ],
)
def test_split_number(printed: str, number: str | None, text: str) -> None:
    assert split_number(printed) == (number, text)


def test_number_hierarchy() -> None:
    assert [top_level(r) for r in ("3.1", "3a", "C1.2", "R2", "(4)")] == ["3", "3", "C1", "R2", "4"]
    assert is_child("3.1", "3") and is_child("C1a", "C1") and not is_child("3", "3")
    assert not is_child("13.1", "3")
    assert is_ref("C2.1") and is_ref("(4)") and not is_ref("Train staff")


@pytest.mark.parametrize("text", ["i", "ii", "iv.", "(b)", "c)", " xii "])
def test_sub_labels(text: str) -> None:
    assert is_sub_label(text)


@pytest.mark.parametrize("text", ["1", "A", "II", "R2", "ab", "in", "Train staff", ""])
def test_not_sub_labels(text: str) -> None:
    assert not is_sub_label(text)


# --- labels: compound and ambiguous -----------------------------------------------------


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Recommendation/Action", "action"),
        ("Lead Officer/Agency", "lead_agency"),
        ("Status/RAG", "status"),
        ("Outcome/Progress", "progress"),  # a synonym as printed wins over its parts
        ("Recommendation and actions", "action"),  # joined by "and": a pair the CSV names
        ("Recommendations & Actions", "action"),
        ("Monitoring and evaluation", "monitoring"),  # no pair: the label as a whole
    ],
)
def test_compound_labels(label: str, field: str) -> None:
    assert score_label(label)[0] == field


def test_ambiguous_label_yields_to_a_single_field_label() -> None:
    columns = map_header(["Ref", "Action", "Outcome", "Progress update", "Lead"])
    fields = [c.field for c in columns]
    assert fields[3] == "progress"  # "Progress update" names progress alone
    assert fields[2] == "desired_outcome"  # "Outcome" takes its free reading


def test_ambiguous_lead_column_read_from_its_cells() -> None:
    header = ["Ref", "Action", "Lead", "Target Date"]
    agencies = run(
        table([header, ["1", "Train", BCC, "Mar-14"], ["2", "Audit", "Kent Police", "Dec-14"]])
    )
    assert col(agencies.actions, "lead_agency_raw") == [BCC, "Kent Police"]
    roles = run(table([header, ["1", "Train", "Safeguarding Lead", "Mar-14"]]))
    assert col(roles.actions, "lead_officer") == ["Safeguarding Lead"]
    assert col(roles.actions, "lead_agency_raw") == [None]


def test_role_naming_its_agency_makes_an_ambiguous_lead_column_the_agency() -> None:
    # "Responsible" over "Head of Safeguarding, <body>" cells: a role that names its body
    # is the lead agency's cell (FORMAT: "Lead Officer and Agency" is lead_agency).
    header = ["Ref", "Action", "Responsible", "Target Date"]
    rows = [
        ["1", "Train", "Head of Safeguarding, Kent Police", "Mar-14"],
        ["2", "Audit", "Named Nurse, Birmingham City Council", "Dec-14"],
        ["3", "Brief", "Team Manager", "Dec-14"],
    ]
    result = run(table([header, *rows]))
    assert col(result.actions, "lead_agency_raw") == [r[2] for r in rows]


def run(*tables):
    return normalise_document(doc(tables))


def test_ambiguous_lead_column_reads_one_way_through_the_plan() -> None:
    # One template prints every agency's table: "Lead" names the same field in each. A
    # table whose lead cells are mostly role titles reads as the plan's other tables do,
    # where the same label heads agencies' names.
    header = ["Ref", "Action", "Lead", "Target Date"]
    police = table(
        [header, ["1.1", "Train", "Kent Police", "Mar-14"], ["1.2", "Audit", BCC, "Dec-14"]],
        heading="Kent Police",
    )
    council = table(
        [
            header,
            ["2.1", "Brief", "Head of Service - Homeless & Pre-Tenancy", "Mar-14"],
            ["2.2", "Review", "Community Safety Manager", "Dec-14"],
            ["2.3", "Publish", "Children's Centre Area Manager", "Dec-14"],
            ["2.4", "Audit", "Head of Children's Centre", "Jun-15"],
        ],
        heading=BCC,
        top=300.0,
    )
    result = run(police, council)
    assert col(result.actions, "lead_agency_raw")[2:] == [
        "Head of Service - Homeless & Pre-Tenancy",
        "Community Safety Manager",
        "Children's Centre Area Manager",
        "Head of Children's Centre",
    ]
    assert col(result.actions, "lead_officer") == [None] * 6
    # alone, the council's table, naming no body, reads its roles as officers
    alone = run(council)
    assert col(alone.actions, "lead_officer")[0] == "Head of Service - Homeless & Pre-Tenancy"


# --- row roles ----------------------------------------------------------------------------


def test_recommendations_and_actions_in_one_column() -> None:
    result = run(
        table(
            [
                ["No.", "Recommendation/Action", "Lead Agency", "Target Date"],
                ["", "Recommendation 7: Share the learning", "", ""],
                ["7.1", "Publish a briefing", BCC, "Mar-14"],
                ["7.2", "Hold a workshop", BCC, "Dec-14"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["7"]
    assert col(result.recommendations, "text") == ["Share the learning"]
    assert col(result.actions, "action") == ["Publish a briefing", "Hold a workshop"]
    assert col(result.actions, "rec_number") == ["7", "7"]


def test_recommendation_and_actions_column_without_a_ref_column() -> None:
    # Recommendation rows and numbered action rows share one column; the action's
    # number sits inside its cell, a child of the recommendation's.
    result = run(
        table(
            [
                ["Recommendation and actions", "Responsible agency", "By when", "Status"],
                ["Recommendation 1: Agencies should review interpreting", "", "", ""],
                ["1.1 Issue a briefing", BCC, "Mar-14", "Complete"],
                ["1.2 Hold a learning event", BCC, "Dec-14", "Ongoing"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["1"]
    assert col(result.actions, "rec_number") == ["1", "1"]
    assert col(result.actions, "action") == ["1.1 Issue a briefing", "1.2 Hold a learning event"]


def test_group_header_over_the_column_header() -> None:
    # "Action | Outcome | Monitoring" spanning the columns they group, over the labels.
    group = row(
        [
            cell(0, "Action", colspan=2, top=80.0),
            cell(2, "Outcome", colspan=2, top=80.0),
            cell(4, "Monitoring", colspan=2, top=80.0),
        ]
    )
    header = ["Ref", "Action", "Outcome sought", "Evidence of completion", "Update", "Status"]
    result = run(
        table([group, header, ["1.1", "Train", "Staff aware", "Minutes", "Done", "Complete"]])
    )
    assert col(result.actions, "action") == ["Train"]
    assert col(result.actions, "status_raw") == ["Complete"]
    assert result.words_accounted == result.words_in_tables


def test_recommendation_row_beside_its_number_loses_the_printed_prefix() -> None:
    result = run(
        table(
            [
                HEADER,
                ["1", "Recommendation 1: Review the policy", "", "", ""],
                ["1.1", "Write a protocol", BCC, "Mar-14", "Complete"],
            ]
        )
    )
    assert col(result.recommendations, "text") == ["Review the policy"]
    assert col(result.actions, "recommendation") == ["Review the policy"]


def test_recommendation_printed_as_a_row_of_its_number() -> None:
    result = run(
        table(
            [
                HEADER,
                ["R2", "Agencies should share information", "", "", ""],
                ["R2.1", "Write a protocol", BCC, "Mar-14", "Complete"],
                ["R2.2", "Train staff", BCC, "Dec-14", "Ongoing"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["R2"]
    assert col(result.actions, "ref") == ["R2.1", "R2.2"]
    assert col(result.actions, "recommendation") == ["Agencies should share information"] * 2


def test_merged_cell_number_split_the_same_way_in_both_tables() -> None:
    result = run(
        table(
            [
                ["Recommendation", "Action", "Lead Agency", "Target Date"],
                ["3. Improve the referral pathway", "Audit referrals", BCC, "Mar-14"],
            ]
        )
    )
    assert col(result.recommendations, "text") == ["Improve the referral pathway"]
    assert col(result.actions, "recommendation") == ["Improve the referral pathway"]


# --- forms: one action as a label | value table ----------------------------------------


def form(values: dict[str, str], top: float = 80.0, page: int = 1):
    return table([[label, value] for label, value in values.items()], page=page, top=top)


def test_form_transposed_into_a_header_and_a_row() -> None:
    block = form({"Ref": "1.1", "Action": "Train staff", "Lead agency": BCC, "By when": "Mar-14"})
    assert is_form(block)
    flat = transpose_form(block)
    assert flat.n_cols == 4 and len(flat.rows) == 2
    assert [c.text for c in flat.rows[0].cells] == ["Ref", "Action", "Lead agency", "By when"]


def test_forms_one_after_another_are_one_section() -> None:
    first = form({"Ref": "1.1", "Action": "Train staff", "Lead agency": BCC, "By when": "Mar-14"})
    second = form(
        {"Ref": "1.2", "Action": "Audit files", "Lead agency": BCC, "By when": "Dec-14"},
        top=first.bbox[3] + 20,
    )
    result = run(first, second)
    assert col(result.actions, "ref") == ["1.1", "1.2"]
    assert len({a["section"] for a in result.actions}) == 1
    assert col(result.actions, "target_date_raw") == ["Mar-14", "Dec-14"]


def test_two_column_table_of_other_labels_is_not_a_form() -> None:
    assert not is_form(form({"Agency": "Police", "Contribution": "IMR", "Role": "Chair"}))


def test_numbered_paragraph_over_a_table_is_its_recommendation() -> None:
    first = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Complete"]])
    first.heading = "Recommendation 1: All staff to be trained in domestic abuse awareness"
    first.heading_bbox = (20.0, 60.0, 400.0, 75.0)
    result = run(first)
    assert col(result.recommendations, "rec_number") == ["1"]
    assert col(result.actions, "section") == [None]
    short = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Complete"]])
    short.heading, short.heading_bbox = "3. Birmingham City Council", (20.0, 60.0, 200.0, 75.0)
    assert col(run(short).actions, "section") == ["3. Birmingham City Council"]


# --- conservation -----------------------------------------------------------------------


def test_every_word_of_a_read_table_is_accounted() -> None:
    result = run(
        table([HEADER, "Recommendation 1: Train", ["1.1", "Train staff", BCC, "Mar-14", "Done"]])
    )
    assert result.words_in_tables > 0
    assert result.words_accounted == result.words_in_tables
    assert not [w for w in result.warnings if "not in the output" in w]


def test_words_outside_the_header_columns_are_not_accounted() -> None:
    t = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Done"]])
    t.rows[1].cells.append(cell(7, "stray words here"))  # a cell beyond the header's columns
    result = run(t)
    assert result.words_in_tables - result.words_accounted == 3
    assert any(w.startswith("page 1: 3 of") for w in result.warnings)


def test_rows_printed_under_a_table_but_not_read_are_not_accounted() -> None:
    t = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Done"]])
    below = t.bbox[3] + 5
    starts = (24.0, 124.0, 224.0)  # three phrases at the table's column starts
    raw = doc([t])
    raw.loose_lines = [
        LooseLine(1, (24.0, below, 300.0, below + 10), "1.2 Audit files Kent Police", starts),
        LooseLine(1, (24.0, below + 40, 500.0, below + 50), "Signed by the chair", (24.0,)),
    ]
    result = normalise_document(raw)
    assert result.words_in_tables - result.words_accounted == 5  # the row, not the sentence


def test_a_closing_line_across_the_columns_under_a_table_is_no_lost_row() -> None:
    """A sign-off line under the table ("Signed for the board: ____ Date: ____") has two
    phrases, each starting at one of the table's columns by chance, but its first phrase
    runs on across the next columns: a line of prose, not a row no engine read (failed
    before: its words were counted as printed in the table and lost, a false warning)."""
    t = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Done"]])
    below = t.bbox[3] + 5
    raw = doc([t])
    raw.loose_lines = [
        LooseLine(
            1,
            (24.0, below, 330.0, below + 10),
            "Signed for the board of the partnership: ______ Date: ____",
            (24.0, 224.0),
            ("Signed for the board of the partnership: ______", "Date: ____"),
            (210.0, 330.0),
        ),
    ]
    result = normalise_document(raw)
    assert result.words_in_tables == result.words_accounted


def test_headerless_table_inside_the_plan_that_nothing_reads_is_not_accounted() -> None:
    plan = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Done"]])
    orphan = table([["a", "b"], ["c", "d"]], page=3)
    result = run(plan, orphan)
    assert result.words_in_tables - result.words_accounted == 4


# --- page furniture --------------------------------------------------------------------


def test_running_footer_naming_the_plan_is_furniture_not_a_header() -> None:
    # A footer "Safer X Partnership - DHR 22 - Action Plan v3" holds one label word
    # ("Action") among many: page furniture. A repeated table header is all labels.
    from dhrplans.extract.document import _header_like
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    footer = page_lines([(30.0, 790.0, "Safer Devon Partnership - DHR 22 - Action Plan v3")])[0]
    header = page_lines([(30.0, 50.0, "Ref Action Lead Target date Progress Status")])[0]
    assert not _header_like(footer, DEFAULT_SETTINGS)
    assert _header_like(header, DEFAULT_SETTINGS)


def test_two_line_page_header_in_larger_type_on_two_pages_is_furniture() -> None:
    # "OFFICIAL SENSITIVE" over the partnership's name, in bold larger type at one height
    # on both pages of a short plan: furniture, not the heading of page 2's table. A
    # heading over a continued table stands where the table starts on each page.
    from dhrplans.extract.document import _furniture_lines, _page_furniture
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    def page(heading_top: float, row: str) -> list:
        head = [(30.0, 20.0, "OFFICIAL SENSITIVE"), (30.0, 34.0, "Hampshire Partnership")]
        body = [(30.0, heading_top, "West Midlands Police"), (30.0, 300.0, row)]
        return page_lines(head, size=12.0, bold=True) + page_lines(body)

    pages = [page(120.0, "1.1 Train staff"), page(60.0, "1.2 Audit files")]
    repeated = _page_furniture(pages, 10.0, DEFAULT_SETTINGS)
    dropped = {text for _, text in _furniture_lines(pages[1], 2, repeated, DEFAULT_SETTINGS)}
    assert dropped == {"OFFICIAL SENSITIVE", "Hampshire Partnership"}


def test_three_line_furniture_moving_with_the_page_orientation() -> None:
    # A page header and a footer of three lines each, at one height on every page of one
    # size: portrait narrative pages, then landscape plan pages where they sit elsewhere.
    from dhrplans.extract.document import _furniture_lines, _page_furniture
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    # the header's last line reads as labels ("Report", "Action") but runs on as words
    head = ["Carmarthenshire Community Safety Partnership", "Domestic Homicide Review"]
    head.append("Overview Report and Action Plan")
    foot = ["DHR Action Plan", "OFFICIAL - SENSITIVE", "Version 3"]

    def page(height: float, body: list[str]) -> list:
        placed = [(30.0, 20.0 + 10 * k, t) for k, t in enumerate(head)]
        placed += [(30.0, 100.0 + 14 * k, t) for k, t in enumerate(body)]
        placed += [(30.0, height - 60.0 + 10 * k, t) for k, t in enumerate(foot)]
        return page_lines(placed, size=8.0)

    sizes = [(595.0, 842.0)] * 2 + [(842.0, 595.0)] * 2
    pages = [
        page(842.0, ["The review began in 2021."]),
        page(842.0, ["The panel met six times."]),
        page(595.0, ["1.1 Train staff", "1.2 Audit files"]),
        page(595.0, ["2.1 Brief managers"]),
    ]
    repeated = _page_furniture(pages, 8.0, DEFAULT_SETTINGS, sizes)
    dropped = {text for _, text in _furniture_lines(pages[2], 3, repeated, DEFAULT_SETTINGS)}
    assert dropped == set(head) | set(foot)


def test_heading_wrapped_after_a_hyphen_is_joined_without_a_space() -> None:
    from dhrplans.extract.document import _join_heading
    from unit_fixtures.build import page_lines

    block = page_lines(
        [(30.0, 50.0, "3. Agencies should review decision-"), (30.0, 62.0, "making")]
    )
    assert _join_heading(block) == "3. Agencies should review decision-making"
    spaced = page_lines([(30.0, 50.0, "Birmingham City Council -"), (30.0, 62.0, "Housing")])
    assert _join_heading(spaced) == "Birmingham City Council - Housing"


def test_numbered_recommendation_cut_mid_sentence_goes_on_in_the_next_row() -> None:
    # A merged recommendation cell cut by a row rule: the rest starts with a capital
    # ("College of ..."), but the numbered text before it stopped mid-sentence.
    result = run(
        table(
            [
                ["Recommendation", "Action", "Lead Agency", "Target Date"],
                ["1. Develop a policy reflecting guidance of the Royal", "Train", BCC, "Mar-14"],
                ["College of General Practitioners.", "Audit", BCC, "Dec-14"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["1"]
    assert (
        col(result.actions, "recommendation")
        == ["Develop a policy reflecting guidance of the Royal College of General Practitioners."]
        * 2
    )


def test_completed_column_of_updates_is_the_completion_column() -> None:
    # "Completed" names a completion date or a status; sentences that open with a status
    # word are updates, not statuses.
    header = ["Ref", "Action", "Lead Agency", "Completed"]
    result = run(
        table(
            [
                header,
                ["1", "Train", BCC, "In progress - change scheduled for the next release"],
                ["2", "Audit", BCC, "Completed 20/01/2023. Guidance published on the intranet"],
                ["3", "Brief", BCC, "In progress - self-assessment tool being revised"],
            ]
        )
    )
    assert col(result.actions, "completion_date_raw")[1].startswith("Completed 20/01/2023")
    assert col(result.actions, "status_raw") == [None, None, None]


def test_lead_column_naming_agencies_in_a_third_of_its_cells_is_the_agency_column() -> None:
    # A lone "Lead" column mixing agencies with role titles: the agencies make it the lead
    # agency column (the roles then mean the section's agency, FORMAT.md).
    header = ["Ref", "Action", "Lead", "Target Date"]
    rows = [
        ["1", "Train", "Kent Police", "Mar-14"],
        ["2", "Audit", "Review Service", "Dec-14"],
        ["3", "Brief", "Head of Service", "Dec-14"],
    ]
    result = run(table([header, *rows]))
    assert col(result.actions, "lead_agency_raw") == [r[2] for r in rows]


def test_lead_column_naming_a_body_alone_in_any_cell_is_the_agency_column() -> None:
    # "By whom" over role titles and, in two rows, the body's bare name: an officer's
    # column never prints a body in a person's place, so the column is the lead agency's
    # and its roles mean the section's agency (FORMAT.md).
    header = ["Ref", "Action required", "By whom", "By when"]
    rows = [
        ["1.1", "Train", "Norfolk Constabulary", "Mar-14"],
        ["1.2", "Audit", "Detective Superintendent, Safeguarding", "Dec-14"],
        ["1.3", "Brief", "Detective Superintendent, Safeguarding", "Dec-14"],
        ["1.4", "Review", "Norfolk Constabulary", "Dec-14"],
        ["1.5", "Check", "Named Nurse Safeguarding Adults", "Jun-15"],
        ["1.6", "Publish", "Named Nurse Safeguarding Adults", "Jun-15"],
        ["1.7", "Share", "Named Nurse Safeguarding Adults", "Jun-15"],
    ]
    result = run(table([header, *rows], heading="Norfolk Constabulary"))
    assert col(result.actions, "lead_agency_raw") == [r[2] for r in rows]
    assert col(result.actions, "lead_officer") == [None] * len(rows)
    assert col(result.actions, "lead_agency")[1] == "Norfolk Constabulary"


def test_owner_column_of_bodies_named_by_their_form_is_the_agency_column() -> None:
    # "Owner" over council names the registry does not hold (a council's new name): the
    # name's form ("... City Council", agency_type_patterns.csv) says it is a body, no
    # person, so the column is the lead agency's.
    header = ["Ref", "Deadline", "Owner", "Key actions"]
    rows = [
        ["1a", "Mar-24", "Exampleton City Council", "Train"],
        ["1b", "Jun-24", "Exampleton City Council", "Audit"],
        ["2a", "Jun-24", "Exampleton City Council", "Brief"],
        ["2b", "Dec-24", "Exampleton Borough Council", "Review"],
    ]
    result = run(table([header, *rows]))
    assert col(result.actions, "lead_agency_raw") == [r[2] for r in rows]
    assert col(result.actions, "lead_officer") == [None] * len(rows)


def test_recommendation_number_written_as_a_word() -> None:
    from dhrplans.normalise.numbering import names_recommendation

    assert split_number("Recommendation Two: Agencies should share") == (
        "2",
        "Agencies should share",
    )
    assert names_recommendation("Recommendation One - text")
    assert split_number("One of the agencies should") == (None, "One of the agencies should")


def test_recommended_action_label_is_the_action() -> None:
    assert score_label("Recommended Action")[0] == "action"


def test_recommendation_beside_a_merged_first_column_is_a_banner() -> None:
    # An agency printed once in a first column merged down its rows; the recommendation
    # row spans every other column beside the merge's first row.
    header = ["Agency", "Ref", "Action", "Lead Officer", "By When"]
    banner_row = row(
        [cell(0, "Kent Police"), cell(1, "Recommendation 1: Officers should", colspan=4)]
    )
    result = run(
        table(
            [
                header,
                banner_row,
                [None, "1a", "Re-issue the policy", "DS Smith", "Mar-14"],
                [None, "1b", "Dip-sample cases", "DI Jones", "Jun-14"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["1"]
    assert col(result.recommendations, "text") == ["Officers should"]
    assert col(result.actions, "ref") == ["1a", "1b"]


def test_caption_naming_only_a_recommendation_number_over_its_text_in_a_first_row() -> None:
    # "Recommendation 3" printed above a small table whose first row, above the header,
    # spans it with the recommendation's text: one recommendation 3 with that text, and
    # no section named after it.
    def small(number: str, text: str, refs: list[str], top: float) -> object:
        t = table(
            [text, ["Ref", "Action to be taken", "Lead", "Target", "Status"]]
            + [[ref, f"Action {ref}", BCC, "Jan 2020", "Completed"] for ref in refs],
            top=top,
        )
        t.heading = f"Recommendation {number}"
        t.heading_bbox = (20.0, top - 20.0, 200.0, top - 8.0)
        return t

    first = small("3", "The council should review its allocation policy.", ["3.1", "3.2"], 80)
    second = small("4", "GP practices should record disclosures.", ["4.1"], 400)
    result = normalise_document(doc([first, second]))
    assert [(r["rec_number"], r["text"]) for r in result.recommendations] == [
        ("3", "The council should review its allocation policy."),
        ("4", "GP practices should record disclosures."),
    ]
    assert col(result.actions, "section") == [None, None, None]
    assert col(result.actions, "rec_number") == ["3", "3", "4"]
    assert result.words_accounted == result.words_in_tables


def test_current_position_column_of_status_words_is_the_status() -> None:
    # "Current Position" names a progress update or a status; a column of status words
    # ("Achieved", "Not started") is the status.
    plan = table(
        [
            ["No.", "Action", "Owner", "Deadline", "Current Position"],
            ["1.1", "Map referral routes", BCC, "30 June 2023", "Achieved"],
            ["1.2", "Present findings", BCC, "Sept 2023", "Not started"],
            ["1.3", "Audit uptake", BCC, "31/01/2024", "In progress"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "status") == ["completed", "not_started", "in_progress"]
    assert col(result.actions, "status_raw") == ["Achieved", "Not started", "In progress"]
    assert col(result.actions, "progress") == [None, None, None]


def test_agency_column_under_a_heading_naming_no_agency_is_the_section_heading() -> None:
    # FORMAT.md: a plan printing the agency its rows belong to in a column of its own
    # ("Agency", merged down its rows or on every row) has that text as the section
    # heading; a recommendation whose actions fall under two agencies is listed in each.
    plan = table(
        [
            ["Agency", "Ref", "Action", "Responsible Officer", "By When"],
            row(
                [
                    cell(0, "Kent Police"),
                    cell(1, "Recommendation 1: Officers should ask.", colspan=4),
                ]
            ),
            [None, "1a", "Re-issue the policy", "Head of Vulnerability", "30/09/2022"],
            [None, "1b", "Dip-sample forms", "Detective Inspector", "Ongoing"],
            ["Kent County Council", "1c", "Train staff", "Head of Service", "Dec-22"],
            row([cell(1, "Recommendation 2: Practitioners should ask.", colspan=4)]),
            [None, "2a", "Add a prompt", "Named Nurse", "Dec-22"],
        ],
        heading="Combined multi-agency action plan",
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == ["Kent Police"] * 2 + ["Kent County Council"] * 2
    assert col(result.actions, "lead_agency") == ["Kent Police"] * 2 + ["Kent County Council"] * 2
    assert [(r["section"], r["rec_number"], r["n_actions"]) for r in result.recommendations] == [
        ("Kent Police", "1", 2),
        ("Kent County Council", "1", 1),
        ("Kent County Council", "2", 1),
    ]
    assert result.words_accounted == result.words_in_tables


@pytest.mark.parametrize(
    "label",
    [
        "Sefydliad / Organisation",  # an owner column like "Organisation" alone
        "Asiantaeth / Agency",  # the Welsh half reads (fuzzily) as an agency label too
    ],
)
def test_a_bilingual_agency_column_is_read_by_its_english_half(label: str) -> None:
    header = ["Cyf / Ref", "Cam Gweithredu / Action", label, "By When"]
    plan = table(
        [
            header,
            ["1a", "Re-issue the policy", "Kent Police", "30/09/2022"],
            ["1b", "Train staff", "Kent County Council", "Dec-22"],
        ],
        heading="Combined multi-agency action plan",
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == ["Kent Police", "Kent County Council"]


def test_lead_agency_column_stays_the_lead_of_each_action() -> None:
    plan = table(
        [
            ["Ref", "Action", "Lead agency", "By When"],
            ["1.1", "Re-issue the policy", "Kent Police", "30/09/2022"],
            ["1.2", "Train staff", "Kent County Council", "Dec-22"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == [None, None]


def test_lead_officer_or_agency_column_is_no_owner_column() -> None:
    # "Lead Officer/Agency": two labels joined by "/", the lead of each action, not a
    # bilingual "Agency" column (its other half is a label of its own)
    plan = table(
        [
            ["Action No.", "Specific action", "Lead Officer/Agency", "Timescales"],
            ["R1.1", "Re-issue the policy", "Kent Police", "30/09/2022"],
            ["R1.2", "Train staff", "Kent County Council", "Dec-22"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == [None, None]
    assert col(result.actions, "lead_agency") == ["Kent Police", "Kent County Council"]


def test_ambiguous_label_left_one_free_reading_takes_it() -> None:
    # "Outcome" (progress or desired outcome) is read first and takes the outcome; "Current
    # position" (progress or status) beside a "Progress status" column is the progress.
    plan = table(
        [
            ["Ref", "Action", "Outcome", "Current position", "Progress status"],
            ["1.1", "Train staff", "Staff know the pathway", "Training delivered in May", "Done"],
            ["1.2", "Audit files", "Fewer missed referrals", "Audit has been scheduled", "Ongoing"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "desired_outcome") == [
        "Staff know the pathway",
        "Fewer missed referrals",
    ]
    assert col(result.actions, "progress") == [
        "Training delivered in May",
        "Audit has been scheduled",
    ]


def test_group_header_over_some_columns_beside_labels_merged_down_both_rows() -> None:
    # "Responsibility" spans "Lead Agency | Lead Officer" in the second header row, while
    # "Recommendation", "Target Date" and "Status" are merged down through both rows (the
    # second row prints nothing under them): every column is named.
    group = row(
        [
            cell(0, "Recommendation"),
            cell(1, "Action", colspan=2),
            cell(3, "Responsibility", colspan=2),
            cell(5, "Target Date"),
            cell(6, "Status"),
        ]
    )
    names = row(
        [cell(1, "Ref"), cell(2, "Action"), cell(3, "Lead Agency"), cell(4, "Lead Officer")]
    )
    plan = table(
        [
            group,
            names,
            ["1. Train staff.", "a", "Deliver training", BCC, "Head of Service", "Mar-22", "Open"],
            [None, "b", "Audit files", BCC, "Safeguarding Lead", "Jun-22", "Completed"],
        ],
        n_cols=7,
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "ref") == ["a", "b"]
    assert col(result.actions, "action") == ["Deliver training", "Audit files"]
    assert col(result.actions, "lead_officer") == ["Head of Service", "Safeguarding Lead"]
    assert col(result.actions, "target_date_raw") == ["Mar-22", "Jun-22"]
    assert col(result.actions, "status_raw") == ["Open", "Completed"]
    assert result.words_accounted == result.words_in_tables


def test_status_words_with_their_colour_stay_the_status_and_a_lead_of_all_agencies_is_none() -> (
    None
):
    # "Green - complete" is a status that adds its colour (a column of colours alone is
    # the RAG column); "All agencies" names no one organisation.
    plan = table(
        [
            ["Ref", "Action", "Lead agency", "Target date", "Status"],
            ["1.1", "Train staff", BCC, "Mar-22", "Green - complete"],
            ["1.2", "Audit files", "All agencies", "Jun-22", "Amber - in progress"],
            ["1.3", "Share learning", BCC, "Sep-22", "Red - not started"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "status_raw") == [
        "Green - complete",
        "Amber - in progress",
        "Red - not started",
    ]
    assert col(result.actions, "status") == ["completed", "in_progress", "not_started"]
    assert col(result.actions, "lead_agency") == [BCC, None, BCC]
    assert "lead names several agencies: All agencies" in result.actions[1]["notes"]


def test_agency_name_the_page_broke_in_an_agency_column_is_one_heading() -> None:
    header = ["Agency", "Ref", "Action", "Target date"]
    page1 = table([header, ["South London and", "1.1", "Train", "Mar-22"]])
    page2 = table(
        [
            header,
            ["Maudsley NHS Foundation Trust", "", "staff", ""],
            ["Kent Police", "1.2", "Audit files", "Jun-22"],
            [BCC, "1.3", "Share learning", "Sep-22"],
        ],
        page=2,
    )
    result = normalise_document(doc([page1, page2]))
    slam = "South London and Maudsley NHS Foundation Trust"
    assert col(result.actions, "section") == [slam, "Kent Police", BCC]
    assert col(result.actions, "action") == ["Train staff", "Audit files", "Share learning"]


def test_acronyms_from_a_glossary_table_and_from_the_text_around_the_tables() -> None:
    # "LTHT | Leeds Teaching Hospitals NHS Trust" in a glossary table, and "Nottinghamshire
    # Police (NP)" in a sentence above the plan, define what the lead cells mean.
    glossary = table([["Acronym", "Meaning"], ["LTHT", "Leeds Teaching Hospitals NHS Trust"]])
    plan = table(
        [
            ["Ref", "Action", "Lead agency", "Target date"],
            ["1.1", "Train staff", "LTHT", "Mar-22"],
            ["1.2", "Audit files", "NP", "Jun-22"],
        ],
        top=300,
    )
    raw = doc([glossary, plan])
    raw.prose = ["Agencies: Nottinghamshire Police (NP) and partners."]
    result = normalise_document(raw)
    assert col(result.actions, "lead_agency") == [
        "Leeds Teaching Hospitals NHS Trust",
        "Nottinghamshire Police",
    ]


@pytest.mark.parametrize(
    ("ref", "top"), [("Action 1.1", "1"), ("Ref 2a", "2"), ("Item 3", "3"), ("Action plan", None)]
)
def test_a_word_before_an_action_number_is_not_part_of_it(ref: str, top: str | None) -> None:
    assert is_ref(ref) == (top is not None)
    assert top_level(ref) == top


@pytest.mark.parametrize(
    ("printed", "number", "text"),
    [
        ("Recommendation IV: The council should act.", "IV", "The council should act."),
        ("Recommendation B", "B", ""),
        ("A. All agencies should train staff.", "A", "All agencies should train staff."),
        ("A review of the policy", None, "A review of the policy"),
        ("Amber", None, "Amber"),
        ("B – Agencies should train staff.", "B", "Agencies should train staff."),
        ("IV - The police should act.", "IV", "The police should act."),
        ("A-level results", None, "A-level results"),
    ],
)
def test_recommendations_lettered_or_in_roman_numerals(printed, number, text) -> None:
    assert split_number(printed) == (number, text)


def test_refs_under_lettered_recommendations() -> None:
    assert top_level("I.2") == "I" and top_level("B") == "B" and top_level("C1.1") == "C1"
    assert is_child("A1", "A") and is_child("I.2", "I") and not is_child("A1", "A1")


def test_officer_column_of_agency_names_only_is_the_lead_agency() -> None:
    names = ["Kent Police", "Solace Women's Aid", "Kent County Council", BCC, "Kent Police"]
    rows = [[f"1.{i}", f"Action {i}", name, "Mar-22"] for i, name in enumerate(names, 1)]
    plan = table([["Ref", "Action", "Responsible Officer", "Target date"], *rows])
    result = normalise_document(doc([plan]))
    assert col(result.actions, "lead_agency_raw") == names
    assert col(result.actions, "lead_officer") == [None] * 5
    roles = [["1.1", "Train", "DI Jones, Kent Police", "Mar-22"]] + rows[1:3]
    mixed = table([["Ref", "Action", "Responsible Officer", "Target date"], *roles])
    assert col(normalise_document(doc([mixed])).actions, "lead_agency_raw") == [None] * 3


def test_a_list_table_headed_rec_gives_the_text_of_numbered_actions() -> None:
    # "Rec | Recommendation": an ambiguous label beside a plain one is still a header, and
    # the list gives the text of the action table's recommendation-number column.
    listed = table(
        [
            ["Rec", "Recommendation"],
            ["1", "Agencies should review risk assessments."],
            ["2", "The board should audit referrals."],
        ]
    )
    actions = table(
        [
            ["Recommendation No.", "Ref.", "Actions", "Lead Agency", "When"],
            ["1", "Action 1.1", "Re-launch the protocol", BCC, "Mar-22"],
            ["2", "Action 2.1", "Audit referrals", BCC, "Jun-22"],
        ],
        top=300,
    )
    result = normalise_document(doc([listed, actions]))
    assert col(result.actions, "recommendation") == [
        "Agencies should review risk assessments.",
        "The board should audit referrals.",
    ]


def test_recommendations_listed_in_their_own_table_give_the_text_of_a_rec_column() -> None:
    # "No. | Recommendation" first, then actions naming their recommendation by number in
    # a "Rec" column beside the ref: each action's recommendation is the listed text.
    listed = table(
        [
            ["No.", "Recommendation"],
            ["1", "Agencies should review risk assessments."],
            ["2", "The board should audit referrals."],
        ]
    )
    actions = table(
        [
            ["Rec", "Ref", "Action", "Lead Agency", "Target Date"],
            ["1", "1.1", "Re-launch the protocol", BCC, "Mar-22"],
            ["2", "2.1", "Audit referrals", BCC, "Jun-22"],
        ],
        top=300,
    )
    result = normalise_document(doc([listed, actions]))
    assert col(result.actions, "rec_number") == ["1", "2"]
    assert col(result.actions, "recommendation") == [
        "Agencies should review risk assessments.",
        "The board should audit referrals.",
    ]
    assert [r["text"] for r in result.recommendations][1] == "The board should audit referrals."


def test_a_rec_no_column_repeating_its_number_on_each_action_is_the_recommendation() -> None:
    # "Rec No." 1, 3, 3 beside the actions, the texts listed first: the column names each
    # action's recommendation (a number printed again on each of its actions), not a ref;
    # where its numbers are each a row's own ("1.1", "1.2") it is the ref.
    listed = table(
        [
            ["No.", "Recommendation"],
            ["1", "Agencies should review risk assessments."],
            ["3", "The board should audit referrals."],
        ]
    )
    rows = [["1", "Re-launch the protocol"], ["3", "Audit referrals"], ["3", "Report to board"]]
    actions = table(
        [["Rec No.", "Action", "Lead Agency", "Target Date"]]
        + [[n, a, BCC, "Mar-22"] for n, a in rows],
        top=300,
    )
    result = normalise_document(doc([listed, actions]))
    assert col(result.actions, "rec_number") == ["1", "3", "3"]
    assert col(result.actions, "ref") == [None] * 3
    assert col(result.actions, "recommendation")[1] == "The board should audit referrals."
    refs = [["1.1", "Re-launch the protocol"], ["1.2", "Audit referrals"]]
    own = table(
        [["Rec No.", "Action", "Lead Agency", "Target Date"]]
        + [[n, a, BCC, "Mar-22"] for n, a in refs]
    )
    assert col(normalise_document(doc([own])).actions, "ref") == ["1.1", "1.2"]


def test_pdf_caption_naming_a_recommendation_over_a_paragraph_of_its_text() -> None:
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    text = "The partnership should review how information about abuse is shared with housing."
    lines = page_lines([(30.0, 100.0, "Recommendation 2")], bold=True, size=11.0) + page_lines(
        [(30.0, 116.0, text)], size=10.0
    )
    heading, _ = _heading_above(140.0, lines, 0.0, 300.0, 10.0, DEFAULT_SETTINGS.layout)
    assert heading == f"Recommendation 2 {text}"


@pytest.mark.parametrize(
    ("line", "caption"),
    [
        ("Recommendation 3", True),
        ("Recommendation C1:", True),
        ("Recommendation I", True),  # Roman
        ("Recommendation IV:", True),
        ("Rec. B", True),  # lettered
        ("Recommendations:", False),
        ("Recommendation In", False),
        ("Recommendation and actions", False),
    ],
)
def test_a_caption_names_a_recommendation_by_any_numbering(line: str, caption: bool) -> None:
    from dhrplans.extract.headers import NAMED_RECOMMENDATION, RECOMMENDATION_CAPTION

    assert bool(RECOMMENDATION_CAPTION.match(line)) is caption
    assert bool(NAMED_RECOMMENDATION.match(f"{line.rstrip(':')}: text")) is caption


def test_an_inline_recommendation_the_page_broke_at_a_full_line_goes_on() -> None:
    # A recommendation row ("2 | West Midlands") whose last line is full (its next word
    # would not have fitted): the next page's first row, text alone in its column, is its
    # rest, though it opens with a capital ("Police should ...").
    header = ["No.", "Action required", "Lead Agency", "Target Date"]
    page1 = table(
        [
            header,
            ["1", "Review the policy.", "", ""],
            ["1a", "Re-issue the policy", BCC, "Mar-22"],
            ["2", "West Midlands", "", ""],
        ],
    )
    page2 = table(
        [header, ["", "Police review it.", "", ""], ["2a", "Audit", BCC, "Jun-22"]],
        page=2,
    )
    result = normalise_document(doc([page1, page2]))
    assert col(result.actions, "ref") == ["1a", "2a"]
    assert [r["text"] for r in result.recommendations] == [
        "Review the policy.",
        "West Midlands Police review it.",
    ]


def test_an_ambiguous_label_with_a_qualifier_is_read_by_its_content() -> None:
    # "Completed (date)": "Completed" names a completion date or a status; a qualifier in
    # brackets leaves it as ambiguous, and a column of dates is the completion date.
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Target Date", "Completed (date)"],
            ["1.1", "Re-issue the policy", BCC, "Mar-22", "21/07/2022"],
            ["1.2", "Train staff", BCC, "Dec-22", ""],
            ["1.3", "Audit", BCC, "Dec-22", "Oct-21"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "completion_date_raw") == ["21/07/2022", "", "Oct-21"]
    assert col(result.actions, "status_raw") == [None, None, None]


def test_a_cell_merged_down_several_actions_is_each_actions_value() -> None:
    # A lead and a date printed once in cells merged vertically over three actions (one
    # cell whose box covers their rows, as pdfplumber and the Word reader give it): the
    # value of each action it covers.
    merged_lead = cell(2, BCC, top=100.0, bottom=160.0)
    merged_date = cell(3, "Jun-22", top=100.0, bottom=160.0)
    rows = [
        row(
            [
                cell(0, "1.1", top=100.0, bottom=120.0),
                cell(1, "Train", top=100.0, bottom=120.0),
                merged_lead,
                merged_date,
                cell(4, "Done", top=100.0, bottom=120.0),
            ]
        ),
        row(
            [
                cell(0, "1.2", top=120.0, bottom=140.0),
                cell(1, "Audit", top=120.0, bottom=140.0),
                cell(4, "Ongoing", top=120.0, bottom=140.0),
            ]
        ),
        row(
            [
                cell(0, "1.3", top=140.0, bottom=160.0),
                cell(1, "Brief", top=140.0, bottom=160.0),
                cell(4, "Ongoing", top=140.0, bottom=160.0),
            ]
        ),
        row(
            [
                cell(0, "1.4", top=160.0, bottom=180.0),
                cell(1, "Review", top=160.0, bottom=180.0),
                cell(4, "Ongoing", top=160.0, bottom=180.0),
            ]
        ),
    ]
    plan = table([HEADER, *rows], top=80.0)
    result = normalise_document(doc([plan]))
    assert col(result.actions, "lead_agency_raw") == [BCC, BCC, BCC, ""]
    assert col(result.actions, "target_date_raw") == ["Jun-22", "Jun-22", "Jun-22", ""]
    assert result.words_accounted == result.words_in_tables


def test_a_cell_merged_down_two_rows_of_a_word_grid() -> None:
    # The Word reader's boxes are in grid rows: a merge over two rows ends one row lower.
    lead = RawCell(2, 1, 1, (2.0, 1.0, 3.0, 3.0), cell(2, BCC).lines, False)
    rows = [
        row(
            [
                RawCell(0, 1, 1, (0.0, 1.0, 1.0, 2.0), cell(0, "1.1").lines, False),
                RawCell(1, 1, 1, (1.0, 1.0, 2.0, 2.0), cell(1, "Train").lines, False),
                lead,
            ]
        ),
        row(
            [
                RawCell(0, 1, 1, (0.0, 2.0, 1.0, 3.0), cell(0, "1.2").lines, False),
                RawCell(1, 1, 1, (1.0, 2.0, 2.0, 3.0), cell(1, "Audit").lines, False),
            ]
        ),
        row(
            [
                RawCell(0, 1, 1, (0.0, 3.0, 1.0, 4.0), cell(0, "1.3").lines, False),
                RawCell(1, 1, 1, (1.0, 3.0, 2.0, 4.0), cell(1, "Brief").lines, False),
            ]
        ),
    ]
    plan = table([["Ref", "Action", "Lead Agency"], *rows])
    result = normalise_document(doc([plan]))
    assert col(result.actions, "lead_agency_raw") == [BCC, BCC, ""]


def test_numbered_recommendation_rows_over_unnumbered_actions() -> None:
    # "1 | <recommendation text>" with nothing an action fills, then action rows with no
    # ref of their own: the numbered rows are the recommendations, the others its actions.
    plan = table(
        [
            ["No", "Action", "Responsible officer", "Completion by"],
            ["1", "Housing providers should develop a policy.", "", ""],
            ["", "Establish a joint protocol", "Head of Housing", "Dec-21"],
            ["", "Create a leaflet", "Coordinator", "Spring 2022"],
            ["2", "The partnership should hold an event.", "", ""],
            ["", "Hold a learning event", "Manager", "Q1 2022/23"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "rec_number") == ["1", "1", "2"]
    assert col(result.actions, "action") == [
        "Establish a joint protocol",
        "Create a leaflet",
        "Hold a learning event",
    ]
    assert [r["text"] for r in result.recommendations] == [
        "Housing providers should develop a policy.",
        "The partnership should hold an event.",
    ]


def test_a_progress_column_of_status_words_is_the_status() -> None:
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Progress"],
            ["1.1", "Re-issue the policy", BCC, "Complete"],
            ["1.2", "Train staff", BCC, "On track"],
            ["1.3", "Audit", BCC, "Not started"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "status") == ["completed", "in_progress", "not_started"]
    # a progress column of updates stays progress
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Progress"],
            ["1.1", "Re-issue the policy", BCC, "Policy re-issued to all staff in March"],
            ["1.2", "Train staff", BCC, "Complete"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "progress") == ["Policy re-issued to all staff in March", "Complete"]


def test_labels_in_two_languages_one_line_over_the_other_read_by_the_known_line() -> None:
    # "Arweinydd" over "Lead", "Erbyn" over "By": the Welsh line reads as no label, the
    # English line below it does; wrapped labels ("Target" / "date") read whole as before.
    header = row(
        [
            cell(0, ["Cyfeirnod", "Reference"]),
            cell(1, ["Cam gweithredu", "Action"]),
            cell(2, ["Arweinydd", "Lead"]),
            cell(3, ["Erbyn", "By"]),
            cell(4, ["Target", "date"]),
        ]
    )
    plan = table([header, ["1.1", "Audit files", "Heddlu Dyfed-Powys", "Mawrth 2022", "Mar-22"]])
    result = normalise_document(doc([plan]))
    assert col(result.actions, "lead_agency_raw") == ["Heddlu Dyfed-Powys"]
    assert col(result.actions, "target_date_raw") == ["Mawrth 2022"]
    assert col(result.actions, "extra") == [{"Target date": "Mar-22"}]


def test_a_title_row_inside_each_table_opens_its_own_section() -> None:
    # "Agency: X" as the first row of each agency's table, over the same header: the
    # second table, right under the first on the page, is its own section.
    first = table(
        ["Agency: Kent Police", HEADER, ["1.1", "Train", "Kent Police", "Mar-22", "Done"]]
    )
    second = table(
        ["Agency: Kent County Council", HEADER, ["1.1", "Audit", "KCC", "Jun-22", "Done"]],
        top=first.bbox[3] + 20,
    )
    result = normalise_document(doc([first, second]))
    assert col(result.actions, "section") == ["Agency: Kent Police", "Agency: Kent County Council"]


def test_a_row_naming_an_agency_alone_opens_its_section_in_one_shared_table() -> None:
    # One table for several agencies' plans, each opened by a row across the table that
    # holds the agency's name alone: the heading of the rows under it (not a recommendation
    # with no actions); a role-only lead is that agency's. A row across the table with a
    # recommendation's sentence stays a recommendation.
    labels = ["Rec", "Action", "Lead Officer", "Target Date", "Status"]
    plan = table(
        [
            labels,
            "West Midlands Police",
            ["1", "Review the policy", "Head of Public Protection", "31/05/2024", "Done"],
            "Birmingham City Council \u2013 Children's Social Care",
            "2. The council should review its threshold guidance for notifications",
            ["2", "Re-issue the guidance", "Principal Social Worker", "30/04/2024", "Done"],
        ],
        heading="Single Agency Action Plans",
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == [
        "West Midlands Police",
        "Birmingham City Council \u2013 Children's Social Care",
    ]
    assert col(result.actions, "lead_agency") == ["West Midlands Police", BCC]
    texts = [r["text"] for r in result.recommendations]
    assert "West Midlands Police" not in texts
    assert "The council should review its threshold guidance for notifications" in texts


def test_a_rec_column_of_roman_numbers_takes_the_listed_text() -> None:
    listed = table(
        [
            ["No.", "Recommendation"],
            ["I", "Agencies should review risk assessments."],
            ["II", "The board should audit referrals."],
        ]
    )
    actions = table(
        [
            ["Rec", "Number", "Action required", "Agency", "Target date"],
            ["I", "I.1", "Re-launch the protocol", BCC, "Mar-22"],
            ["I", "I.2", "Train staff", BCC, "Apr-22"],
            ["II", "II.1", "Audit referrals", BCC, "Jun-22"],
        ],
        top=300,
    )
    result = normalise_document(doc([listed, actions]))
    assert col(result.actions, "rec_number") == ["I", "I", "II"]
    assert col(result.actions, "recommendation") == [
        "Agencies should review risk assessments.",
        "Agencies should review risk assessments.",
        "The board should audit referrals.",
    ]


def test_a_rec_column_merged_down_its_actions_is_the_recommendation_number() -> None:
    # "Rec" names a recommendation's number or an action's ref; a cell merged down several
    # action rows is the recommendation's (its text from the list of recommendations).
    listed = table(
        [["No.", "Recommendation"], ["1", "Agencies should review."], ["2", "Audit it."]]
    )

    def cells(top: float, texts: list[str]) -> list:
        return [cell(k + 1, t, top=top, bottom=top + 20) for k, t in enumerate(texts)]

    rows = [
        row([cell(0, "1", top=300.0, bottom=340.0), *cells(300.0, ["Train", BCC, "Mar-22"])]),
        row(cells(320.0, ["Audit", BCC, "Apr-22"])),
        row([cell(0, "2", top=340.0, bottom=360.0), *cells(340.0, ["Brief", BCC, "Jun-22"])]),
    ]
    actions = table([["Rec", "Action", "Lead Agency", "Target Date"], *rows], top=280.0)
    result = normalise_document(doc([listed, actions]))
    assert col(result.actions, "rec_number") == ["1", "1", "2"]
    assert col(result.actions, "recommendation") == [
        "Agencies should review.",
        "Agencies should review.",
        "Audit it.",
    ]


def test_a_header_the_page_broke_is_joined_with_its_rest() -> None:
    # The header's first lines at the foot of page 1, nothing under them; its labels' rest
    # ("n / Action", "(Y/N)") opens page 2: the header's, not an action.
    page1 = table(
        [["No.", "Recommendatio", "Lead agency", "Timescale", "Completed?"]],
        heading="Single agency recommendations",
    )
    page2 = table(
        [
            ["", "n / Action", "", "", "(Y/N)"],
            ["3", "The police should review the quality of risk assessments.", "", "", ""],
            ["3.1", "Deliver refresher training", "Kent Police", "Aug-21", "N"],
        ],
        page=2,
    )
    result = normalise_document(doc([page1, page2]))
    assert col(result.actions, "ref") == ["3.1"]
    assert col(result.actions, "status") == ["in_progress"]
    assert [r["text"] for r in result.recommendations] == [
        "The police should review the quality of risk assessments."
    ]
    assert result.words_accounted == result.words_in_tables


def test_an_agency_column_beside_a_lead_column_is_the_section_only() -> None:
    # A spreadsheet: "Agency" on every row (each row's section) and "Responsible Lead" (a
    # weak lead label) beside it: the lead is the second, the first the section.
    plan = table(
        [
            ["No.", "Agency", "Action", "Responsible Lead", "Target date"],
            ["1.1", "Kent Police", "Train staff", "DI, Safeguarding Unit", "Mar-22"],
            ["1.2", "Kent County Council", "Audit", "Adult Social Services", "Jun-22"],
        ],
        heading="Combined action plan",
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == ["Kent Police", "Kent County Council"]
    assert col(result.actions, "lead_agency_raw") == [
        "DI, Safeguarding Unit",
        "Adult Social Services",
    ]


def test_a_status_column_of_updates_is_the_progress() -> None:
    # "Status update" over sentences saying what was done, a RAG column beside it.
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "RAG", "Status update"],
            ["1.1", "Train staff", BCC, "Amber", "Training delivered to 412 officers in March"],
            [
                "1.2",
                "Audit",
                BCC,
                "Green",
                "Audit completed in July; 24 of 30 records showed enquiry",
            ],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "progress") == [
        "Training delivered to 412 officers in March",
        "Audit completed in July; 24 of 30 records showed enquiry",
    ]
    assert col(result.actions, "status") == ["in_progress", "completed"]


def test_a_status_column_of_notes_that_open_with_their_status() -> None:
    # "Progress/Status" over notes, each opening with its status closed by a dash, a full
    # stop or "due to": the status column (FORMAT.md: the column's text is the status),
    # each note's opening its status; not an update column with its status guessed.
    notes = [
        "Figures for the year are with the board.",
        "Not yet due.",
        "Delayed due to a restructure; a new manager took this on in May 2016.",
        "Ongoing \u2013 the guidance is with the board and a draft is expected in June.",
    ]
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Target date", "Progress/Status"],
            *[[f"1.{i}", "Train staff", BCC, "Mar-16", n] for i, n in enumerate(notes, 1)],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "status_raw") == notes
    assert col(result.actions, "status") == [
        "unknown",  # a note with no status in it: no guess
        "not_started",
        "in_progress",
        "in_progress",
    ]
    assert col(result.actions, "progress") == [None] * len(notes)


def test_an_unknown_organisation_with_its_officers_role_after_a_dash() -> None:
    plan = table(
        [
            ["Ref", "Action", "Lead", "Target Date"],
            ["1.1", "Train staff", "Next Chapter Domestic Abuse Service - CEO", "Mar-22"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "lead_agency") == ["Next Chapter Domestic Abuse Service"]


def test_an_unruled_glossary_line_teaches_a_short_name() -> None:
    # "Cambs Police | Cambridgeshire Constabulary" printed as a line of two phrases under
    # the plan (no table): the lead cell "Cambs Police" is that body.
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Target Date"],
            ["1.1", "Dip sample closed cases", "Cambs Police", "Nov 2021"],
        ]
    )
    raw = doc([plan])
    raw.loose_lines = [
        LooseLine(
            1,
            (30.0, 300.0, 400.0, 310.0),
            "Cambs Police Cambridgeshire Constabulary",
            (30.0, 200.0),
            ("Cambs Police", "Cambridgeshire Constabulary"),
        )
    ]
    result = normalise_document(raw)
    assert col(result.actions, "lead_agency") == ["Cambridgeshire Constabulary"]


def test_an_unruled_glossary_line_defines_an_acronym() -> None:
    # "NP | Nottinghamshire Police" printed as a line of two phrases (a glossary ruled
    # across only, which no table engine keeps): the lead cell "NP" is that body, as when
    # the glossary is a table (a Word file's).
    plan = table(
        [
            ["Ref", "Action", "Lead Agency", "Target Date"],
            ["1.1", "Dip sample closed cases", "NP", "Nov 2021"],
        ]
    )
    raw = doc([plan])
    raw.loose_lines = [
        LooseLine(
            1,
            (30.0, 300.0, 400.0, 310.0),
            "NP Nottinghamshire Police",
            (30.0, 120.0),
            ("NP", "Nottinghamshire Police"),
        )
    ]
    result = normalise_document(raw)
    assert col(result.actions, "lead_agency") == ["Nottinghamshire Police"]


def test_a_forms_label_is_no_short_name() -> None:
    # A form's row "Lead Officer | Kent Police" is no glossary: "Lead Officer" in another
    # action's lead cell stays a role.
    form = table([["Ref", "1.1"], ["Action", "Train"], ["Lead Officer", "Kent Police"]])
    plan = table(
        [
            ["Ref", "Action", "Lead", "Target Date"],
            ["2.1", "Audit", "Lead Officer", "Mar-22"],
        ],
        top=300,
    )
    from dhrplans.normalise.plan import _glossary_pairs

    assert _glossary_pairs(doc([form, plan])) == []


def test_a_small_table_in_columns_over_the_plan_is_no_heading() -> None:
    # A glossary ("Acronym | Meaning") printed unruled right above the plan: its lines
    # part at one gutter, a table of its own, not the plan's heading.
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    rows = [("Acronym", "Meaning"), ("CPS", "Crown Prosecution Service"), ("IMR", "Review")]
    lines = [
        ln
        for k, (term, meaning) in enumerate(rows)
        for ln in page_lines([(30.0, 100.0 + 12 * k, term), (200.0, 100.0 + 12 * k, meaning)])
    ]
    lines = sorted(lines, key=lambda ln: ln.top)
    heading, _ = _heading_above(140.0, lines, 0.0, 800.0, 10.0, DEFAULT_SETTINGS.layout)
    assert heading is None
    # one heading line with a word gap is still a heading
    one = page_lines([(30.0, 124.0, "Multi-agency action plan")], bold=True, size=12.0)
    assert _heading_above(140.0, one, 0.0, 800.0, 10.0, DEFAULT_SETTINGS.layout)[0] == (
        "Multi-agency action plan"
    )


def test_heading_and_recommendation_paragraph_at_a_page_foot_go_to_the_next_table() -> None:
    # An agency's name, then "Recommendation 3: ..." as a paragraph, printed under page
    # 1's last table; the table is on page 2: both headings are the next table's.
    from dhrplans.extract.document import _foot_heading
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    agency = page_lines([(30.0, 700.0, "Royal Anytown NHS Foundation Trust")], bold=True, size=12.0)
    para = page_lines(
        [
            (30.0, 718.0, "Recommendation 3: All agencies should ensure that staff are aware of"),
            (30.0, 730.0, "the risk checklist."),
        ],
        size=10.0,
    )
    got = _foot_heading(
        agency + para, 650.0, [table([HEADER])], 600.0, 8.0, None, DEFAULT_SETTINGS.layout
    )
    assert got is not None
    assert got[0].startswith("Recommendation 3")
    assert got[2] == "Royal Anytown NHS Foundation Trust"


def test_recommendation_printed_on_each_row_and_cut_by_the_page_stays_one() -> None:
    # The recommendation repeated on every row; its second row broken by the page: the
    # part at the foot of page 1 and the rest at the top of page 2 are still recommendation 5.
    header = ["Recommendation", "Ref", "Action", "Lead agency", "Target date"]
    rec = "5. The partnership should review how information is shared."
    page1 = table(
        [
            header,
            [rec, "5.1", "Map the sharing routes", BCC, "Mar-22"],
            ["5. The partnership should review how", "5.2", "Agree a", BCC, "Jun-22"],
        ]
    )
    page2 = table([header, ["information is shared.", "", "protocol", "", ""]], page=2)
    result = normalise_document(doc([page1, page2]))
    assert [(r["rec_number"], r["n_actions"]) for r in result.recommendations] == [("5", 2)]
    assert (
        result.recommendations[0]["text"]
        == "The partnership should review how information is shared."
    )
    assert col(result.actions, "action") == ["Map the sharing routes", "Agree a protocol"]


def test_unnumbered_recommendation_on_each_row_cut_by_the_page_stays_one() -> None:
    # As above with no number printed: the first words at the foot of page 1 are the
    # recommendation printed again, not a new one.
    header = ["Recommendation", "Ref", "Action", "Lead agency", "Target date"]
    rec = "The partnership should review how information is shared."
    page1 = table(
        [
            header,
            [rec, "5a", "Map the sharing routes", BCC, "Mar-22"],
            ["The partnership should review how", "5b", "Agree a protocol", BCC, "Jun-22"],
        ]
    )
    page2 = table(
        [
            header,
            ["information is shared.", "", "", "", ""],
            ["Train staff.", "6a", "Train", BCC, "Jul-22"],
        ],
        page=2,
    )
    result = normalise_document(doc([page1, page2]))
    assert [r["n_actions"] for r in result.recommendations] == [2, 1]
    assert result.recommendations[0]["text"] == rec


def test_text_set_sideways_reads_in_its_own_direction() -> None:
    # An agency's name turned anticlockwise up a narrow merged column, wrapped onto a
    # second sideways line: read from the foot up, one word per cell ("Kent Police"),
    # not spelt backwards ("eciloP tneK").
    from types import SimpleNamespace

    from dhrplans.extract.document import _sideways_read

    def turned(text: str, x0: float, bottom: float) -> list[dict]:
        chars, y = [], bottom
        for ch in text:
            step = 3.0 if ch == " " else 6.0
            chars.append(
                {
                    "text": ch,
                    "x0": x0,
                    "x1": x0 + 10.0,
                    "top": y - step,
                    "bottom": y,
                    "doctop": y - step,
                    "upright": False,
                    "fontname": "F",
                    "size": 10.0,
                    "matrix": (0.0, 1.0, -1.0, 0.0, x0 + 10.0, 800.0 - y),
                    "width": 10.0,
                    "height": step,
                }
            )
            y -= step
        return chars

    chars = turned("Kent Fire and", 50.0, 400.0) + turned("Rescue", 61.0, 400.0)
    flat = {"text": "Ref", "x0": 100.0, "x1": 115.0, "top": 90.0, "bottom": 100.0, "upright": True}
    page = SimpleNamespace(chars=chars)
    got = _sideways_read(
        page,
        [
            flat,
            {
                "text": "eriF",
                "x0": 50.0,
                "x1": 60.0,
                "top": 300.0,
                "bottom": 330.0,
                "upright": False,
            },
        ],
    )
    assert [w["text"] for w in got] == ["Ref", "Kent Fire and Rescue"]


def _turned_chars(text: str, x0: float, start: float, up: bool = True) -> list[dict]:
    """Characters of `text` set sideways in a 10 pt column at x0: reading up from the
    foot `start` (Word's "bottom to top"), or down from the head `start`."""
    chars, y = [], start
    for ch in text:
        step = 3.0 if ch == " " else 6.0
        top, bottom = (y - step, y) if up else (y, y + step)
        chars.append(
            {
                "text": ch,
                "x0": x0,
                "x1": x0 + 10.0,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "upright": False,
                "fontname": "F",
                "size": step,
                "matrix": (0.0, 1.0, -1.0, 0.0, x0 + 10.0, 800.0 - y)
                if up
                else (0.0, -1.0, 1.0, 0.0, x0, 800.0 - y),
            }
        )
        y = y - step if up else y + step
    return chars


def _sideways_texts(chars: list[dict], rules: list[dict] | None = None) -> list[str]:
    from types import SimpleNamespace

    from dhrplans.extract.document import _sideways_read

    page = SimpleNamespace(chars=chars)
    stub = [{"text": "x", "x0": 0.0, "x1": 1.0, "top": 0.0, "bottom": 1.0, "upright": False}]
    got = _sideways_read(page, stub) if rules is None else _sideways_read(page, stub, rules)
    return [w["text"] for w in got]


def test_a_sideways_label_of_two_lines_reads_in_order() -> None:
    # Word's "bottom to top" text in a narrow header cell, wrapped: "Date" on the first
    # sideways line (left), "completed", longer, on the second. One label, in reading
    # order, whatever line order an engine gives a cell (it was "completed Date").
    chars = _turned_chars("Date", 436.0, 197.0) + _turned_chars("completed", 448.0, 197.0)
    assert _sideways_texts(chars) == ["Date completed"]


def test_text_turned_clockwise_reads_from_the_head_down_right_to_left() -> None:
    # Word's "top to bottom": characters from the head down, the next line to the left;
    # each character's own direction, though the page's other sideways text reads up.
    chars = _turned_chars("Lead", 60.0, 100.0, up=False) + _turned_chars(
        "officer", 48.0, 100.0, up=False
    )
    chars += _turned_chars("Target", 300.0, 200.0) + _turned_chars("Outcome", 400.0, 200.0)
    assert _sideways_texts(chars) == ["Target", "Outcome", "Lead officer"]


def test_sideways_texts_of_neighbouring_cells_stay_apart_across_their_rules() -> None:
    # Body cells stacked in a column, each with an agency turned up it, and two narrow
    # header cells side by side: the rule between two cells parts their texts, though
    # they stand as close as two lines of one text.
    stacked = _turned_chars("Kent Police", 50.0, 400.0) + _turned_chars("KMPT", 50.0, 333.0)
    rule = {"orientation": "h", "x0": 40.0, "x1": 80.0, "top": 335.5, "bottom": 335.5}
    assert _sideways_texts(stacked) == ["Kent Police KMPT"]  # no rule: one text
    assert sorted(_sideways_texts(stacked, [rule])) == ["KMPT", "Kent Police"]
    side = _turned_chars("RAG", 100.0, 200.0) + _turned_chars("Status", 112.0, 200.0)
    wall = {"orientation": "v", "x0": 111.0, "x1": 111.0, "top": 100.0, "bottom": 210.0}
    assert _sideways_texts(side, [wall]) == ["RAG", "Status"]


def test_caption_over_a_long_paragraph_under_a_section_heading() -> None:
    # "Single agency recommendations: X" over "Recommendation C1:" over a paragraph long
    # enough to read as prose, over the table: the caption and paragraph are the table's
    # recommendation (no stray colon), the line above them its section heading.
    from dhrplans.extract.document import _attach_headings
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    section = page_lines(
        [(30.0, 60.0, "Single agency recommendations: Kent Police")], bold=True, size=12.0
    )
    caption = page_lines([(30.0, 80.0, "Recommendation C1:")], bold=True, size=12.0)
    text = "Ensure that staff in the service are trained and supervised to respond to abuse."
    para = page_lines([(30.0, 98.0, text)], size=7.0)
    plan = table([HEADER, ["C1.1", "Train", BCC, "Mar-14", "Done"]], top=112.0)
    _attach_headings([plan], section + caption + para, 842.0, 7.0, None, DEFAULT_SETTINGS.layout)
    assert plan.heading == f"Recommendation C1: {text}"
    assert plan.outer_heading == "Single agency recommendations: Kent Police"


def test_bold_recommendation_of_three_lines_at_a_page_foot_goes_whole_to_the_next_table() -> None:
    # A recommendation printed across the table in bold, wrapped over three lines at the
    # foot of page 1, over the rest of its table on page 2: the next table's heading is
    # the whole of it, not its last two lines (the first taken for a heading over them).
    from dhrplans.extract.document import _foot_heading
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    lines = page_lines(
        [
            (30.0, 700.0, "Recommendation C2: The partnership should seek assurance that"),
            (30.0, 712.0, "every agency has a policy that covers older victims and abuse by"),
            (30.0, 724.0, "adult family members."),
        ],
        bold=True,
        size=10.0,
    )
    got = _foot_heading(lines, 650.0, [table([HEADER])], 600.0, 10.0, None, DEFAULT_SETTINGS.layout)
    assert got is not None
    assert got[0].startswith("Recommendation C2:") and got[0].endswith("adult family members.")
    assert got[2] is None


def test_pdf_heading_over_a_line_introducing_the_table() -> None:
    # A bold agency heading, one line of body text introducing the table, then the
    # table: the heading is the table's; over a paragraph of narrative it is not.
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    heading = page_lines([(30.0, 70.0, "Sheffield Health and Social Care")], bold=True, size=12.0)
    intro = "The Trust (SHSC) has agreed the actions below with the review panel."
    lines = heading + page_lines([(30.0, 88.0, intro)], size=10.0)
    found, _ = _heading_above(110.0, lines, 0.0, 300.0, 10.0, DEFAULT_SETTINGS.layout)
    assert found == "Sheffield Health and Social Care"
    narrative = heading + page_lines([(30.0, 88.0 + 12 * k, intro) for k in range(3)], size=10.0)
    found, _ = _heading_above(134.0, narrative, 0.0, 300.0, 10.0, DEFAULT_SETTINGS.layout)
    assert found is None
    # narrative set larger than the table's 8 pt body: a paragraph's last line ("home.")
    # over the next one is no heading
    ending = page_lines([(30.0, 70.0, "home.")], size=10.0)
    found, _ = _heading_above(110.0, ending + lines[1:], 0.0, 300.0, 8.0, DEFAULT_SETTINGS.layout)
    assert found is None


def test_pdf_plans_title_over_a_line_introducing_the_table_is_no_heading() -> None:
    # The plan's own title ("DHR 'Lucy' - Action Plan", schemas/document_parts.csv), then
    # a line introducing the table, then the table: the title names the document, not the
    # table's section (an agency's name there would); a version line right over the table
    # names no section either, nor does the title over it.
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    layout = DEFAULT_SETTINGS.layout
    title = page_lines(
        [(30.0, 70.0, "DHR \u2018Lucy\u2019 \u2013 Action Plan")], bold=True, size=12.0
    )
    intro = page_lines([(30.0, 88.0, "Agreed by the Review Panel on 11 October 2023.")], size=10.0)
    assert _heading_above(110.0, title + intro, 0.0, 300.0, 10.0, layout)[0] is None
    assert (
        _heading_above(86.0, title, 0.0, 300.0, 10.0, layout)[0]
        == "DHR \u2018Lucy\u2019 \u2013 Action Plan"
    )
    version = page_lines([(30.0, 88.0, "Version 3 \u2013 updated 9 January 2025")], size=10.0)
    assert _heading_above(110.0, title + version, 0.0, 300.0, 10.0, layout)[0] is None


def test_pdf_centred_line_over_a_heading_at_the_margin_is_apart() -> None:
    # A centred "Action Plan" set closely over a section heading at the left margin, both
    # bold: two headings (a heading's lines start at one edge or share one middle); the
    # lines of a numbered heading, its first starting left of the rest, are one.
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    layout = DEFAULT_SETTINGS.layout
    lines = page_lines([(250.0, 70.0, "Action Plan"), (30.0, 82.0, "Kent Police")], bold=True)
    assert _heading_above(100.0, lines, 0.0, 600.0, 10.0, layout)[0] == "Kent Police"
    hanging = page_lines(
        [(30.0, 70.0, "1. Agencies should review"), (42.0, 82.0, "their policy")], bold=True
    )
    assert _heading_above(100.0, hanging, 0.0, 600.0, 10.0, layout)[0] == (
        "1. Agencies should review their policy"
    )


def test_pdf_heading_keeps_one_weight_apart_from_plain_prose_set_close_above() -> None:
    # Plain prose ("... are" / "abbreviated below.") set as closely above a bold
    # recommendation heading as the heading's own lines: the prose is no part of it.
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    prose = page_lines(
        [
            (30.0, 70.0, "Kent County Council (KCC) and the Trust (KMPT) are"),
            (30.0, 82.0, "abbreviated below."),
        ]
    )
    heading = page_lines(
        [
            (30.0, 94.0, "Recommendation 1: The Board should seek assurance that agencies apply"),
            (30.0, 106.0, "the Care Act duties."),
        ],
        bold=True,
    )
    found, _ = _heading_above(124.0, prose + heading, 0.0, 600.0, 10.0, DEFAULT_SETTINGS.layout)
    assert found == (
        "Recommendation 1: The Board should seek assurance that agencies apply the Care Act duties."
    )


# --- a header of two rows: a group cell over the labels of its columns --------------------


def _grouped(group: str, names: list[str], n_before: int) -> list:
    """A Word header of two rows: `n_before` labels merged down through both rows beside
    `group` spanning the columns `names` labels one by one in the second row."""
    before = ["Ref", "Action", "Lead Agency", "Target Date"][:n_before]
    top = row(
        [cell(i, label, top=80.0) for i, label in enumerate(before)]
        + [cell(n_before, group, colspan=len(names), top=80.0)]
    )
    lower = row([cell(n_before + i, label, top=92.0) for i, label in enumerate(names)])
    return [top, lower]


def test_a_date_under_a_progress_group_is_the_completion_date() -> None:
    # "Progress" over "Update | Date | RAG" beside "Target Date": the lower "Date" alone
    # would read as a target date; under its group it is the date the update was closed.
    result = run(
        table(
            [
                *_grouped("Progress", ["Update", "Date", "RAG"], 4),
                ["1.1", "Train staff", BCC, "Mar-24", "Briefing held", "Jan-24", "Green"],
            ]
        )
    )
    assert col(result.actions, "target_date_raw") == ["Mar-24"]
    assert col(result.actions, "completion_date_raw") == ["Jan-24"]
    assert col(result.actions, "progress") == ["Briefing held"]
    assert col(result.actions, "rag_raw") == ["Green"]


def test_a_date_under_a_target_group_is_the_target_date() -> None:
    result = run(
        table(
            [
                *_grouped("Target", ["Date", "Status"], 3),
                ["1.1", "Train staff", BCC, "Mar-24", "Complete"],
            ]
        )
    )
    assert col(result.actions, "target_date_raw") == ["Mar-24"]


def test_a_group_naming_labels_not_all_known_is_still_the_header() -> None:
    # "Monitoring" over "Comments | Status | Signed off": three labels, one no synonym
    # knows. Below a group cell a row naming only the grouped columns, most of them known
    # labels, is the header's second row, not a row of data.
    result = run(
        table(
            [
                *_grouped("Monitoring", ["Comments", "Status", "Signed off"], 4),
                ["1.1", "Train staff", BCC, "Mar-24", "Going well", "Ongoing", "JT"],
            ]
        )
    )
    assert col(result.actions, "action") == ["Train staff"]
    assert col(result.actions, "progress") == ["Going well"]
    assert col(result.actions, "status_raw") == ["Ongoing"]


def test_a_number_beside_text_merged_across_the_row_is_a_recommendation() -> None:
    # "1 | text" with the text merged across every other column: Word's banner row,
    # the recommendation's number kept in the ref column; its actions lettered "(a)".
    result = run(
        table(
            [
                HEADER,
                row(
                    [
                        cell(0, "1", top=100.0),
                        cell(1, "Agencies should train staff.", colspan=4, top=100.0),
                    ]
                ),
                ["(a)", "Deliver a briefing", BCC, "Mar-24", "Complete"],
                row(
                    [
                        cell(0, "2", top=130.0),
                        cell(1, "The partnership should audit.", colspan=4, top=130.0),
                    ]
                ),
                ["(a)", "Audit files", BCC, "Jun-24", "Ongoing"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["1", "2"]
    assert col(result.recommendations, "text") == [
        "Agencies should train staff.",
        "The partnership should audit.",
    ]
    assert col(result.actions, "action") == ["Deliver a briefing", "Audit files"]


def test_a_bilingual_ambiguous_label_is_read_by_its_content() -> None:
    # "Dyddiad Cwblhau / Completed" (Welsh plans print each label in both languages): the
    # English half names a completion date or a status, the Welsh half no known label, so
    # the label is as ambiguous as "Completed" alone and a column of "Completed <date>"
    # cells is the completion date.
    plan = table(
        [
            [
                "Cyf / Ref",
                "Cam Gweithredu / Action",
                "Asiantaeth / Agency",
                "Dyddiad Cwblhau / Completed",
            ],
            ["1.1", "Re-issue the policy", BCC, "Completed 30/09/2022 - learning shared"],
            ["1.2", "Train staff", BCC, "Completed 01/02/2023"],
            ["1.3", "Audit", BCC, "In progress - tool being revised"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "completion_date_raw") == [
        "Completed 30/09/2022 - learning shared",
        "Completed 01/02/2023",
        "In progress - tool being revised",
    ]
    assert score_label("Dyddiad Cwblhau / Completed")[0] == "completion_date"
    assert score_label("Statws / Completed")[0] == "status"  # the Welsh half decides
    assert score_label("Date completed / Status")[0] == "status"  # two labels (CSV)


def test_smart_column_labels_are_read_as_the_fields_they_hold() -> None:
    # "Specific | Measurable | Achievable | Relevant | Timely": plans that set their actions
    # out as SMART objectives label the columns by the letters' words alone; without them
    # the header is no header and the whole table is skipped. "Achievable" holds who will
    # achieve it: an agency or an officer, by the column's content.
    plan = table(
        [
            ["Ref", "Specific", "Measurable", "Achievable", "Relevant", "Timely", "Status"],
            ["1a", "Deliver a campaign", "Referrals", BCC, "Abuse seen sooner", "Dec-20", "Done"],
            ["1b", "Brief staff", "Attendance", BCC, "Staff confident", "Mar-21", "Ongoing"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "action") == ["Deliver a campaign", "Brief staff"]
    assert col(result.actions, "success_measure") == ["Referrals", "Attendance"]
    assert col(result.actions, "lead_agency_raw") == [BCC, BCC]
    assert col(result.actions, "desired_outcome") == ["Abuse seen sooner", "Staff confident"]
    assert col(result.actions, "target_date_raw") == ["Dec-20", "Mar-21"]


def test_timescale_and_responsibility_groups_name_their_columns() -> None:
    # "Responsibility" over "Agency | Officer" and "Timescale" over "Start | End": "Start"
    # and "End" name their columns only under their group (the end is the target; a start
    # date is no field of ours, kept in extra), and an "Agency" column under a group that
    # reads as who leads is each action's lead agency, not the body each row belongs to.
    group = row(
        [
            cell(0, "Ref"),
            cell(1, "Action"),
            cell(2, "Responsibility", colspan=2),
            cell(4, "Timescale", colspan=2),
            cell(6, "Status"),
        ]
    )
    names = row([cell(2, "Agency"), cell(3, "Officer"), cell(4, "Start"), cell(5, "End")])
    plan = table(
        [
            group,
            names,
            ["1.1", "Train staff", BCC, "Head of Service", "Jun-23", "Sept 2023", "Open"],
            ["1.2", "Audit files", "Kent Police", "DCI Holt", "Immediate", "Dec 2023", "Done"],
        ],
        n_cols=7,
    )
    result = run(plan)
    assert col(result.actions, "lead_agency_raw") == [BCC, "Kent Police"]
    assert col(result.actions, "lead_officer") == ["Head of Service", "DCI Holt"]
    assert col(result.actions, "target_date_raw") == ["Sept 2023", "Dec 2023"]
    assert col(result.actions, "section") == [None, None]
    assert [a["extra"] for a in result.actions] == [{"Start": "Jun-23"}, {"Start": "Immediate"}]
    assert result.words_accounted == result.words_in_tables


def test_objective_and_task_labels() -> None:
    # "Objective | Task | Owner | Deadline | RAG": project-plan wording. A task is the
    # action; an objective the recommendation it serves (or, by its cells, an outcome).
    plan = table(
        [
            ["Objective", "Task", "Owner", "Deadline", "RAG"],
            [
                "Agencies should improve how they ask about abuse.",
                "Train staff",
                BCC,
                "Mar-24",
                "Green",
            ],
            [None, "Audit files", BCC, "Jun-24", "Amber"],
        ]
    )
    result = run(plan)
    assert col(result.actions, "action") == ["Train staff", "Audit files"]
    assert [r["text"] for r in result.recommendations] == [
        "Agencies should improve how they ask about abuse."
    ]


def test_a_row_saying_a_recommendation_has_no_action_yet_is_no_action() -> None:
    # "Actions to be agreed" merged across the action columns beside a recommendation's
    # cell, or under a banner: the recommendation has no action yet. The row is no action
    # (a warning says so, its words are classified), the recommendation is still read.
    header = ["Recommendation", "Ref", "Action", "Lead agency", "Target date"]
    rows = [
        row(
            [
                cell(0, "1. Train staff."),
                cell(1, "1.1"),
                cell(2, "Deliver training"),
                cell(3, BCC),
                cell(4, "Mar-24"),
            ]
        ),
        row(
            [
                cell(0, "2. The ICB should audit GP records."),
                cell(1, "Actions to be agreed", colspan=4),
            ]
        ),
        row(
            [
                cell(0, "3. Share learning."),
                cell(1, "3.1"),
                cell(2, "Brief panel"),
                cell(3, BCC),
                cell(4, "Jun-24"),
            ]
        ),
    ]
    result = run(table([header, *rows], n_cols=5))
    assert col(result.actions, "ref") == ["1.1", "3.1"]
    assert [(r["rec_number"], r["n_actions"]) for r in result.recommendations] == [
        ("1", 1),
        ("2", 0),
        ("3", 1),
    ]
    assert "page 1: recommendation 2 has no action yet: Actions to be agreed" in result.warnings
    assert result.words_accounted == result.words_in_tables


def test_a_sign_off_row_is_no_action() -> None:
    # "Agreed by: Chair of the DHR Panel | Signed: J. Smith | 18/10/2023" under the last
    # action, split across the table's cells: who agreed the plan, not an action.
    plan = table(
        [
            ["Ref", "Action", "Lead agency", "Target date"],
            ["1.1", "Train staff", BCC, "Mar-24"],
            ["", "Agreed by: Chair of the DHR Panel", "Signed: J. Smith", "18/10/2023"],
        ]
    )
    result = run(plan)
    assert col(result.actions, "ref") == ["1.1"]
    assert any("a row signing the plan off is no action" in w for w in result.warnings)
    assert result.words_accounted == result.words_in_tables


def test_running_header_of_label_words_at_the_page_edge_is_furniture() -> None:
    # A one-line page header naming the plan with two label words ("Action", "updated")
    # at one height on every page, first on each: furniture, like the same line below
    # the page's first; the table's own header repeated under it stays.
    from dhrplans.extract.document import _furniture_lines, _page_furniture
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    running = "OFFICIAL SENSITIVE - DHR 04/2019 Action Plan - v3 updated 14/05/2020"

    def page(rows: list[str]) -> list:
        placed = [(30.0, 60.0 + 14 * k, t) for k, t in enumerate(rows)]
        return page_lines([(30.0, 20.0, running)], size=7.0) + page_lines(placed)

    pages = [page(["1.1 Train staff", "1.2 Audit files"]), page(["2.1 Brief managers"])]
    repeated = _page_furniture(pages, 10.0, DEFAULT_SETTINGS)
    dropped = {text for _, text in _furniture_lines(pages[1], 2, repeated, DEFAULT_SETTINGS)}
    assert dropped == {running}


def test_agency_column_name_broken_by_its_narrow_column_is_mended() -> None:
    # An agency column is often the table's narrowest: a name wider than it is broken
    # inside a word ("Lincolnsh" / "ire Police"), the head filling the column. Its text,
    # the rows' section heading, is joined as every cell's lines are (geometry and the
    # plan's own words), not with a space.
    narrow = LEFT + 2 * PAD + CW * 10  # ten characters of text fit

    def owner(text, top):
        return cell(0, text, x1=narrow, top=top)

    def rest(texts, top):
        return [cell(i + 1, t, top=top) for i, t in enumerate(texts)]

    plan = table(
        [
            row([owner("Agency", 80.0), *rest(["Ref", "Action", "Lead Officer"], 80.0)]),
            row(
                [
                    cell(0, "Recommendation 1: Lincolnshire Police should ask.", colspan=4),
                ]
            ),
            row([owner(["Lincolnsh", "ire Police"], 200.0), *rest(["1.1", "Train", "DI"], 200.0)]),
            row([owner(["Lincolnsh", "ire Police"], 260.0), *rest(["1.2", "Audit", "DS"], 260.0)]),
        ],
        n_cols=4,
        heading="Combined multi-agency action plan",
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "section") == ["Lincolnshire Police"] * 2
    assert col(result.actions, "section_agency") == ["Lincolnshire Police"] * 2


def test_header_label_broken_by_its_narrow_column_is_mended_against_the_column_edge() -> None:
    # A label wider than its column is broken mid-word like any cell ("Acheiveme" / "nt
    # date" in a tester's plan; here a word no list knows, so only geometry can decide:
    # the head fills the column's text to its edge). Without vertical rules a header
    # cell's box runs to the next column's text, so the edge is the column's, read from
    # its cells as a section's are.
    header = ["Ref", "Action", "Lead Agency", ["Qwertyuio", "p zyx"], "Status"]
    plan = table(
        [
            header,
            ["1.1", "Train staff", BCC, "March 2024", "Complete"],
            ["1.2", "Audit files", BCC, "June 2024", "Ongoing"],
        ],
        engine="pdfplumber-text",
    )
    result = normalise_document(doc([plan]))
    assert [dict(a["extra"] or {}) for a in result.actions] == [
        {"Qwertyuiop zyx": "March 2024"},
        {"Qwertyuiop zyx": "June 2024"},
    ]


def test_short_sentence_introducing_the_table_is_no_heading() -> None:
    # "Actions are set out by recommendation." in the body's plain type, narrow enough to
    # pass for a heading by its width: a sentence introducing the table names no section.
    # A plain agency's name stays a heading, and a bold heading over such a sentence is
    # the table's (an introduction between them).
    from dhrplans.extract.document import _heading_above
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    layout = DEFAULT_SETTINGS.layout
    intro = page_lines([(30.0, 120.0, "Actions are set out by recommendation.")], size=10.0)
    assert _heading_above(140.0, intro, 0.0, 800.0, 10.0, layout)[0] is None
    name = page_lines([(30.0, 120.0, "Essex County Council")], size=10.0)
    assert _heading_above(140.0, name, 0.0, 800.0, 10.0, layout)[0] == "Essex County Council"
    over = page_lines([(30.0, 104.0, "Essex Police")], bold=True, size=10.0) + intro
    assert _heading_above(140.0, over, 0.0, 800.0, 10.0, layout)[0] == "Essex Police"


def test_the_rest_of_a_summary_table_carried_over_the_page_is_no_plans() -> None:
    # A summary or key after the plan ("Status | Number of actions"; "RAG | Definition"
    # under a heading "Key"), run onto the next page without its header: that table's
    # rest, skipped with it, not the plan's rows lost.
    plan = table([HEADER, ["1.1", "Train staff", BCC, "Mar-24", "Complete"]])
    summary = table([["Status", "Number of actions"], ["Completed", "4"]], page=1, top=300.0)
    rest = table([["Not started", "2"], ["Total", "9"]], page=2)
    key = table([["RAG", "Definition"], ["Green", "Completed"]], page=2, heading="Key", top=300.0)
    key_rest = table([["Red", "Not started"]], page=3)
    result = normalise_document(doc([plan, summary, rest, key, key_rest]))
    assert col(result.actions, "ref") == ["1.1"]
    assert result.words_accounted == result.words_in_tables
    assert sum("skipped the rest of a table" in w for w in result.warnings) == 2


def test_a_lead_agency_label_with_its_plural_is_no_owner_column() -> None:
    # "Lead Agency/Agencies": who leads each action (one or several bodies), not the
    # agency each row belongs to ("Agency", "Organisation" alone, or in two languages).
    plan = table(
        [
            ["Ref", "Action", "Lead Agency/Agencies", "Target Date"],
            ["1.1", "Train staff", BCC, "Mar-24"],
            ["1.2", "Audit files", "Kent Police", "Jun-24"],
        ]
    )
    result = run(plan)
    assert col(result.actions, "lead_agency_raw") == [BCC, "Kent Police"]
    assert col(result.actions, "section") == [None, None]


def test_a_header_after_a_table_no_section_could_read_is_still_read() -> None:
    # An unread table (no header, continuing nothing) between two plan tables: its words
    # are counted as lost, and the next table's header is read as any other (the count
    # once overwrote the plan's vocabulary and the next header raised a TypeError).
    first = table([HEADER, ["1.1", "Train staff", BCC, "Mar-24", "Complete"]])
    stray = table([["Some words", "in a grid", "of three"]], page=3)
    wrapped = ["Ref", "Action", "Lead Agency", ["Targ", "et Date"], "Status"]
    last = table([wrapped, ["2.1", "Audit files", BCC, "Jun-24", "Ongoing"]], page=4)
    result = normalise_document(doc([first, stray, last]))
    assert col(result.actions, "ref") == ["1.1", "2.1"]
    assert result.words_in_tables - result.words_accounted == 7


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Action Status", "status"),
        ("How monitored", "monitoring"),
        ("Date Achieved", "completion_date"),
    ],
)
def test_labels_whose_head_noun_comes_last(label: str, field: str) -> None:
    # "Action Status" is a status (not the action: the head noun comes last), "How
    # monitored" the monitoring, "Date Achieved" the date the action was completed.
    assert score_label(label)[0] == field


def test_a_cell_broken_by_a_page_counts_once_among_its_column_values() -> None:
    # A PDF breaks a row over two pages where the Word file keeps it whole: the rest of the
    # cell on the next page is no cell of its own, or the column's content reads otherwise
    # in the two formats (the share of cells reading as progress).
    from dhrplans.normalise.headers import ColumnMap
    from dhrplans.normalise.plan import Section, _column_values

    from dhrplans.settings import DEFAULT_SETTINGS

    rows = [
        row([cell(0, "1.1"), cell(1, "Policy reviewed and relaunched.")]),
        row([cell(0, "1.2"), cell(1, "Briefing circulated and discussed at the practice")]),
        row([cell(1, "safeguarding leads' forum; minutes record attendance.", page=2)]),
        row([cell(0, "1.3", page=2), cell(1, "Scheme designed.", page=2)]),
    ]
    section = Section(
        "Plan",
        [ColumnMap("Ref", "ref", 100.0), ColumnMap("Outcome / Evidence", "progress", 100.0)],
        2,
        rows=[(rows[0], True), (rows[1], False), (rows[2], True), (rows[3], False)],
    )
    assert _column_values(section, 1, DEFAULT_SETTINGS) == [
        "Policy reviewed and relaunched.",
        "Briefing circulated and discussed at the practice safeguarding leads' forum; "
        "minutes record attendance.",
        "Scheme designed.",
    ]
    assert _column_values(section, 0, DEFAULT_SETTINGS) == ["1.1", "1.2", "1.3"]


def test_a_line_across_the_table_under_actions_no_recommendation_headed_is_no_banner() -> None:
    """A plan printing no recommendations (refs 1a, 2a), then one unnumbered line across
    the table under its last action ("The plan will be monitored by ..."): a closing
    remark, not a recommendation, since a banner heads the actions under it (failed
    before: a recommendation with no action, and every action lost its number)."""
    result = run(
        table(
            [
                HEADER,
                ["1a", "Train staff", BCC, "Mar-14", "Done"],
                ["2a", "Audit files", BCC, "Jun-14", "Done"],
                "The plan will be monitored by the partnership until every action is complete.",
            ]
        )
    )
    assert result.recommendations == [] or all(r["n_actions"] > 0 for r in result.recommendations)
    assert any("is no recommendation" in w for w in result.warnings)
    assert result.words_in_tables == result.words_accounted


def test_headings_over_two_tables_side_by_side_part_at_the_gap() -> None:
    # Two tables set side by side on one page (each in a cell of a borderless layout
    # table), each with its own bold heading above it on one baseline: the page's line
    # runs across both headings. Each table's heading is the text over it, within its
    # own span; the right table's heading is not cut off by the left table's bottom.
    from dhrplans.extract.document import _attach_headings, _part_beside
    from dhrplans.extract.model import RawTable
    from unit_fixtures.build import page_lines

    from dhrplans.settings import DEFAULT_SETTINGS

    free = page_lines(
        [(40.0, 60.0, "Left-hand actions"), (420.0, 60.0, "Right-hand actions")],
        bold=True,
        size=11.0,
    )
    assert len(free) == 1  # one line across the page, as read
    left = RawTable(1, (40.0, 80.0, 410.0, 300.0), "pdfplumber-lattice", 1, [40.0, 410.0], [])
    right = RawTable(1, (420.0, 80.0, 790.0, 280.0), "pdfplumber-lattice", 1, [420.0, 790.0], [])
    free = _part_beside(free, [left, right], DEFAULT_SETTINGS.layout.gutter_min)
    _attach_headings([left, right], free, 842.0, 9.0, None, DEFAULT_SETTINGS.layout)
    assert (left.heading, right.heading) == ("Left-hand actions", "Right-hand actions")
    # one table under a line with a wide gap keeps the line whole
    alone = RawTable(1, (40.0, 80.0, 790.0, 300.0), "pdfplumber-lattice", 1, [40.0, 790.0], [])
    line = page_lines(
        [(40.0, 60.0, "Left-hand actions"), (420.0, 60.0, "Right-hand actions")],
        bold=True,
        size=11.0,
    )
    assert _part_beside(line, [alone], DEFAULT_SETTINGS.layout.gutter_min) == line

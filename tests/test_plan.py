"""normalise.plan: hand-built raw tables to sections, recommendations and actions."""

from __future__ import annotations

import datetime as dt

import pytest
from dhrplans.normalise.ids import action_id, section_keys
from dhrplans.normalise.plan import (
    NormalisedDocument,
    build_sections,
    is_action_plan,
    normalise_document,
)
from unit_fixtures.build import cell, doc, row, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]
BCC = "Birmingham City Council"
WMP = "West Midlands Police"


def run(*tables) -> NormalisedDocument:
    return normalise_document(doc(tables))


def col(records: list[dict], key: str) -> list:
    return [r[key] for r in records]


# --- banner recommendations ------------------------------------------------------------------


@pytest.fixture(scope="module")
def banner_doc() -> NormalisedDocument:
    return run(
        table(
            [
                HEADER,
                "Recommendation 1: All staff to be trained in domestic abuse",
                ["1.1", "Deliver training", "BCC", "Mar-14", "Complete"],
                ["1.2", "Audit case files", "Lead GP", "30/04/2013", "Ongoing"],
                "Recommendation 2: Share information with the police",
                ["2.1", "Write a protocol", WMP, "Dec 2014", "Not started"],
            ],
            heading=f"{BCC} - Early Years",
        )
    )


def test_banner_recommendations(banner_doc: NormalisedDocument) -> None:
    recs = banner_doc.recommendations
    assert col(recs, "rec_number") == ["1", "2"]
    assert col(recs, "text") == [
        "All staff to be trained in domestic abuse",
        "Share information with the police",
    ]
    assert col(recs, "n_actions") == [2, 1]
    (key,) = section_keys([f"{BCC} - Early Years"])
    assert col(recs, "rec_id") == [f"unit-doc/{key}/r1", f"unit-doc/{key}/r2"]
    assert banner_doc.n_sections == 1
    assert banner_doc.warnings == []


def test_banner_actions_link_to_their_recommendation(banner_doc: NormalisedDocument) -> None:
    actions = banner_doc.actions
    assert col(actions, "ref") == ["1.1", "1.2", "2.1"]
    assert col(actions, "action") == ["Deliver training", "Audit case files", "Write a protocol"]
    assert col(actions, "rec_number") == ["1", "1", "2"]
    assert actions[0]["recommendation"] == "All staff to be trained in domestic abuse"
    assert actions[2]["recommendation"] == "Share information with the police"
    (key,) = section_keys([f"{BCC} - Early Years"])
    assert col(actions, "action_id") == [
        action_id("unit-doc", key, a["rec_number"], a["ref"], a["action"]) for a in actions
    ]
    assert len(set(col(actions, "action_id"))) == 3
    assert all(a["section"] == f"{BCC} - Early Years" for a in actions)
    assert all(a["section_agency"] == BCC for a in actions)


def test_banner_actions_are_normalised(banner_doc: NormalisedDocument) -> None:
    actions = banner_doc.actions
    assert col(actions, "lead_agency_raw") == ["BCC", "Lead GP", WMP]
    # "Lead GP" names a role only: the section's agency.
    assert col(actions, "lead_agency") == [BCC, BCC, WMP]
    assert col(actions, "target_date") == [
        dt.date(2014, 3, 31),  # a month alone is its last day
        dt.date(2013, 4, 30),  # day first
        dt.date(2014, 12, 31),
    ]
    assert col(actions, "target_date_raw") == ["Mar-14", "30/04/2013", "Dec 2014"]
    assert col(actions, "status") == ["completed", "in_progress", "not_started"]
    assert col(actions, "status_raw") == ["Complete", "Ongoing", "Not started"]
    assert all(a["extra"] is None for a in actions)
    assert all(a["page_start"] == a["page_end"] == 1 for a in actions)
    assert all(0.0 < a["confidence"] <= 1.0 for a in actions)


@pytest.mark.parametrize(
    ("printed", "number", "text"),
    [
        ("Recommendation 3.1: Improve training", "3.1", "Improve training"),
        ("Recommendation 5. Share information", "5", "Share information"),
        ("Recommendation 6 \u2013 Review the policy", "6", "Review the policy"),
        ("Recommendation No. 7: Audit", "7", "Audit"),
        ("Rec 2a) Train GPs", "2a", "Train GPs"),
    ],
)
def test_banner_number_is_split_from_its_text(printed: str, number: str, text: str) -> None:
    out = run(table([HEADER, printed, ["1", "Act", "BCC", "Mar-14", "Complete"]]))
    (rec,) = out.recommendations
    assert (rec["rec_number"], rec["text"]) == (number, text)
    assert out.actions[0]["rec_number"] == number


def test_banner_wrapped_over_two_rows_on_a_new_page_is_one_recommendation() -> None:
    p1 = table(
        [HEADER, "Recommendation 1: All agencies should review", ["1.1", "A", "BCC", "", ""]],
        heading=BCC,
    )
    p2 = table(
        [HEADER, "Recommendation 2: Agencies should share", "information with each other"],
        page=2,
    )
    out = run(p1, p2)
    assert col(out.recommendations, "text") == [
        "All agencies should review",
        "Agencies should share information with each other",
    ]


# --- merged first Recommendation column (Home Office style) ----------------------------------

HOME_OFFICE = [
    "Recommendation",
    "Scope of recommendation",
    "Action to take",
    "Lead Agency",
    "Key milestones achieved in enacting recommendation",
    "Target Date",
    "Date of completion and Outcome",
]


@pytest.fixture(scope="module")
def column_doc() -> NormalisedDocument:
    return run(
        table(
            [
                HOME_OFFICE,
                [
                    "1. Agencies should train staff",
                    "Local",
                    "Run DA training",
                    "Kent Police",
                    "Training plan agreed",
                    "Mar-14",
                    "Completed 12/03/2014",
                ],
                [None, None, "Audit attendance", "Kent Police", "", "June 2014", "Ongoing"],
                ["2. GPs should ask about abuse", "Local", "Write guidance", "Lead GP", "", "", ""],
            ],
            heading="Kent Police",
        )
    )


def test_column_recommendations(column_doc: NormalisedDocument) -> None:
    recs = column_doc.recommendations
    assert col(recs, "rec_number") == ["1", "2"]
    assert col(recs, "text") == ["Agencies should train staff", "GPs should ask about abuse"]
    assert col(recs, "n_actions") == [2, 1]


def test_column_actions_follow_the_merged_cell(column_doc: NormalisedDocument) -> None:
    actions = column_doc.actions
    assert col(actions, "action") == ["Run DA training", "Audit attendance", "Write guidance"]
    assert col(actions, "rec_number") == ["1", "1", "2"]
    assert actions[0]["recommendation"].endswith("Agencies should train staff")
    assert actions[1]["recommendation"] == actions[0]["recommendation"]
    assert actions[2]["recommendation"].endswith("GPs should ask about abuse")
    assert col(actions, "scope") == ["Local", "", "Local"]
    assert col(actions, "progress") == ["Training plan agreed", "", ""]
    assert col(actions, "ref") == [None, None, None]  # no ref column printed


def test_column_lead_agency_role_gives_the_section_agency(column_doc: NormalisedDocument) -> None:
    assert col(column_doc.actions, "lead_agency") == ["Kent Police"] * 3
    assert col(column_doc.actions, "section_agency") == ["Kent Police"] * 3


def test_no_status_column_status_inferred_from_completion(column_doc: NormalisedDocument) -> None:
    actions = column_doc.actions
    assert col(actions, "status_raw") == [None, None, None]
    assert col(actions, "status") == ["completed", "in_progress", "unknown"]
    assert col(actions, "completion_date") == [dt.date(2014, 3, 12), None, None]
    assert col(actions, "target_date") == [dt.date(2014, 3, 31), dt.date(2014, 6, 30), None]
    # the documented rule for plans without a status column: provenance, not a warning
    assert "status read from the completion/progress text" in actions[0]["notes"]
    assert not any("status" in w for w in actions[0]["warnings"])


def test_column_cell_without_a_number_is_numbered_in_sequence() -> None:
    out = run(
        table(
            [
                ["Recommendation", "Action", "Lead Agency", "Target Date"],
                ["Train the staff", "Run training", "BCC", "Mar-14"],
                ["Review the policy", "Rewrite it", "BCC", "Apr-14"],
            ]
        )
    )
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "text") == ["Train the staff", "Review the policy"]
    assert col(out.actions, "rec_number") == ["1", "2"]


def test_bare_ref_continuing_the_numbering_of_the_agency_table_before() -> None:
    # one table per agency, recommendations numbered through the plan in the Ref column;
    # the second table opens with ref "3" beside an unnumbered recommendation: rec 3
    head = ["Ref", "Recommendation", "Action", "Lead", "By when"]
    first = table(
        [
            head,
            ["1a", "Probation should check with children's services", "Check", WMP, "Mar-24"],
            ["1b", None, "Review the process", WMP, "Apr-24"],
            ["2", "The IDVA service should follow up victims", "Train staff", WMP, "Ongoing"],
        ],
        heading=f"Agency: {WMP}",
    )
    second = table(
        [
            head,
            ["3", "All agencies should ask about domestic abuse", "Embed it", BCC, "TBC"],
            ["4", "The partnership should seek assurance", "Add a checklist", BCC, "May-24"],
        ],
        page=2,
        heading=f"Agency: {BCC}",
    )
    out = run(first, second)
    assert col(out.recommendations, "rec_number") == ["1", "2", "3", "4"]
    assert col(out.actions, "rec_number") == ["1", "1", "2", "3", "4"]


def test_bare_refs_counting_actions_do_not_number_the_recommendations() -> None:
    # refs 1, 2, 3 count the actions: recommendation 2's row has ref 3, not its number
    out = run(
        table(
            [
                ["Ref", "Recommendation", "Action", "Lead", "By when"],
                ["1", "Agencies should train staff", "Run training", BCC, "Mar-24"],
                ["2", None, "Audit attendance", BCC, "Apr-24"],
                ["3", "GPs should ask about abuse", "Write guidance", BCC, "May-24"],
            ]
        )
    )
    assert col(out.recommendations, "rec_number") == ["1", "2"]


def test_column_recommendation_continued_on_the_next_page() -> None:
    head = ["Recommendation", "Action", "Lead Agency", "Target Date"]
    p1 = table([head, ["1. Agencies should review", "Run training", "BCC", "Mar-14"]])
    p2 = table([head, ["their policies", "Rewrite the policy", "BCC", "Apr-14"]], page=2)
    out = run(p1, p2)
    (rec,) = out.recommendations
    assert rec["text"] == "Agencies should review their policies"
    assert rec["n_actions"] == 2
    assert col(out.actions, "rec_number") == ["1", "1"]


def test_unnumbered_recommendation_cell_opening_a_page_under_another_ref_is_new() -> None:
    # The merged cell at the top of page 2 prints no number, but its row's ref "2.1" is
    # numbered under another recommendation than the last: a new one, not the rest.
    head = ["Ref", "Recommendation", "Action", "Lead Agency", "Target Date"]
    p1 = table([head, ["1.1", "Agencies should review policy.", "Run training", "BCC", "Mar-14"]])
    p2 = table([head, ["2.1", "The board should audit.", "Audit", "BCC", "Apr-14"]], page=2)
    out = run(p1, p2)
    assert col(out.recommendations, "text") == [
        "Agencies should review policy.",
        "The board should audit.",
    ]
    assert col(out.actions, "rec_number") == ["1", "2"]
    # under the same recommendation's ref it is still the rest of the cell
    p2 = table([head, ["1.2", "and practice", "Audit", "BCC", "Apr-14"]], page=2)
    (rec,) = run(
        table([head, ["1.1", "Agencies should review", "Run", "BCC", "Mar-14"]]), p2
    ).recommendations
    assert rec["text"] == "Agencies should review and practice"


def test_same_wording_under_refs_of_another_number_is_a_new_recommendation() -> None:
    # Two recommendations may share one wording: the second's merged cell, opening a
    # page, prints the same text as the first, but its rows' refs ("2a") sit under
    # another number than the refs read under the first ("1a", "1b"): a new one
    head = ["Ref", "Recommendation", "Action", "Lead Agency", "Target Date"]
    text = "Agencies should review policy."
    p1 = table(
        [
            head,
            ["1a", text, "Run training", "BCC", "Mar-14"],
            ["1b", None, "Audit", "BCC", "Apr-14"],
        ]
    )
    p2 = table([head, ["2a", text, "Write guidance", "BCC", "May-14"]], page=2)
    out = run(p1, p2)
    assert col(out.recommendations, "text") == [text, text]
    assert col(out.actions, "rec_number") == ["1", "1", "2"]
    # refs numbered through the plan under a recommendation repeated on every row ("3.1",
    # "3.2" under the section's first): one recommendation still
    rows = [[f"3.{k}", text, f"Action {k}", "BCC", "Mar-14"] for k in (1, 2, 3)]
    (rec,) = run(table([head, *rows])).recommendations
    assert rec["n_actions"] == 3


def test_unnumbered_merged_recommendation_ended_above_the_pages_last_row_is_whole() -> None:
    # An unruled merged column: the first recommendation's text ends beside its first
    # action, and its second action's row has nothing in that column. The unnumbered text
    # at the top of page 2, beside a new action, opens the next recommendation.
    head = ["Recommendation", "Action", "Lead Agency", "Target Date"]
    p1 = table(
        [
            head,
            ["Agencies should review policy.", "Run training", "BCC", "Mar-14"],
            [None, "Audit files", "BCC", "Apr-14"],
        ]
    )
    p2 = table(
        [head, ["Partners should share records.", "Write a protocol", WMP, "May-14"]], page=2
    )
    out = run(p1, p2)
    assert col(out.recommendations, "text") == [
        "Agencies should review policy.",
        "Partners should share records.",
    ]
    assert col(out.recommendations, "n_actions") == [2, 1]


# --- rec_style none --------------------------------------------------------------------------


def test_rec_style_none() -> None:
    out = run(
        table(
            [
                HEADER,
                ["1", "Train staff", "BCC", "Mar-14", "Complete"],
                ["2", "Audit files", "BCC", "Apr-14", "Ongoing"],
            ],
            heading=BCC,
        )
    )
    # no recommendation text printed: the refs still number the recommendations (FORMAT.md)
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "text") == ["", ""]
    assert col(out.recommendations, "n_actions") == [1, 1]
    assert col(out.actions, "rec_number") == ["1", "2"]
    assert col(out.actions, "recommendation") == [None, None]
    assert col(out.actions, "ref") == ["1", "2"]


def test_rec_style_none_groups_actions_under_their_top_level_number() -> None:
    out = run(
        table(
            [
                HEADER,
                ["1.1", "Train staff", "BCC", "Mar-14", "Complete"],
                ["1.2", "Audit files", "BCC", "Apr-14", "Ongoing"],
                ["2a", "Brief GPs", "BCC", "May-14", "Ongoing"],
            ],
            heading=BCC,
        )
    )
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "n_actions") == [2, 1]
    assert col(out.actions, "rec_number") == ["1", "1", "2"]


@pytest.mark.parametrize(
    ("refs", "numbers"),
    [
        # letters running A, B, C, each counting its actions from 1: lettered
        # recommendations, the number their actions'
        (["A1", "A2", "B1", "C1", "C2"], ["A", "A", "B", "C", "C"]),
        # one letter throughout, or letters not from A (single- and multi-agency
        # recommendations "R1", "M1"): the refs number recommendations themselves
        (["R1", "R2", "R3"], ["R1", "R2", "R3"]),
        (["R1", "R2", "M1"], ["R1", "R2", "M1"]),
        (["A1", "A3", "B1"], ["A1", "A3", "B1"]),
    ],
)
def test_rec_style_none_refs_numbered_under_lettered_recommendations(refs, numbers) -> None:
    rows = [[ref, f"Action {k}", "BCC", "Mar-14", "Open"] for k, ref in enumerate(refs)]
    out = run(table([HEADER, *rows], heading=BCC))
    assert col(out.actions, "rec_number") == numbers
    assert col(out.recommendations, "rec_number") == list(dict.fromkeys(numbers))


# --- sections and tables across pages --------------------------------------------------------


def test_continued_table_with_repeated_header() -> None:
    p1 = table(
        [
            HEADER,
            "Recommendation 1: Improve training",
            ["1.1", "Deliver training", "BCC", "Mar-14", "Complete"],
        ],
        heading=BCC,
    )
    p2 = table(
        [
            HEADER,
            ["1.2", "Audit files", "BCC", "Apr-14", "Ongoing"],
            "Recommendation 2: Share",
            ["2.1", "Protocol", "BCC", "May-14", "Ongoing"],
        ],
        page=2,
    )
    out = run(p1, p2)
    assert out.n_sections == 1
    assert col(out.actions, "ref") == ["1.1", "1.2", "2.1"]  # the header is not an action
    assert "Ref" not in col(out.actions, "ref")
    assert col(out.actions, "rec_number") == ["1", "1", "2"]
    (key,) = section_keys([out.actions[-1]["section"]])
    assert col(out.actions, "action_id")[-1] == action_id("unit-doc", key, "2", "2.1", "Protocol")
    assert col(out.actions, "page_start") == [1, 2, 2]
    assert col(out.recommendations, "n_actions") == [2, 1]
    assert col(out.recommendations, "page") == [1, 2]


def test_continued_table_without_header() -> None:
    p1 = table(
        [HEADER, "Recommendation 1: Improve", ["1.1", "Deliver", "BCC", "Mar-14", "Complete"]]
    )
    p2 = table([["1.2", "Audit files", "BCC", "Apr-14", "Ongoing"]], page=2)
    out = run(p1, p2)
    assert out.n_sections == 1
    assert col(out.actions, "ref") == ["1.1", "1.2"]
    assert col(out.actions, "rec_number") == ["1", "1"]
    assert out.warnings == []


def test_table_with_its_own_heading_opens_a_new_section() -> None:
    p1 = table([HEADER, ["1", "Deliver", "BCC", "Mar-14", "Complete"]], heading=BCC)
    p2 = table([HEADER, ["1", "Patrol", "WMP", "Apr-14", "Ongoing"]], page=2, heading=WMP)
    out = run(p1, p2)
    assert out.n_sections == 2
    assert col(out.actions, "section") == [BCC, WMP]
    bcc, wmp = section_keys([BCC, WMP])
    assert col(out.actions, "action_id") == [
        action_id("unit-doc", bcc, None, "1", "Deliver"),
        action_id("unit-doc", wmp, None, "1", "Patrol"),
    ]


def test_headerless_table_two_pages_on_is_not_a_continuation() -> None:
    # page 2 prints a line of text between them (a blank page would not part them)
    from dataclasses import replace

    from dhrplans.extract.model import LooseLine

    p1 = table([HEADER, ["1", "Deliver", "BCC", "Mar-14", "Complete"]])
    p3 = table([["2", "Audit", "BCC", "Apr-14", "Ongoing"]], page=3)
    text = "The panel met six times."
    raw = replace(
        doc([p1, p3]), loose_lines=[LooseLine(2, (30.0, 90.0, 200.0, 100.0), text, (30.0,))]
    )
    out = normalise_document(raw)
    assert col(out.actions, "ref") == ["1"]
    # inside the plan, with no heading of its own: its words are lost, and said so
    assert out.warnings == [
        "page 3: skipped a table with no recognisable header",
        "page 3: 5 of 5 words printed in action-plan tables are not in the output",
    ]


def test_row_broken_across_a_page_is_joined() -> None:
    p1 = table(
        [
            HEADER,
            "Recommendation 1: Improve training",
            [
                "1.1",
                ["Deliver training to all", "staff in the"],
                "BCC",
                "Mar-14",
                ["Action", "complet"],
            ],
        ],
        heading=BCC,
    )
    p2 = table(
        [
            HEADER,
            ["", ["Homeless and Pre-", "Tenancy teams"], "", "", "ed"],
            ["1.2", "Audit files", "BCC", "Apr-14", "Ongoing"],
        ],
        page=2,
    )
    out = run(p1, p2)
    first, second = out.actions
    assert first["ref"] == "1.1"
    assert first["action"] == (
        "Deliver training to all staff in the Homeless and Pre-Tenancy teams"
    )
    assert first["status_raw"] == "Action completed"
    assert first["status"] == "completed"
    assert (first["page_start"], first["page_end"]) == (1, 2)
    assert {box["page"] for box in first["cells"]} == {1, 2}
    # the documented join is provenance, not a reason to look
    assert "row joined across a page break" in first["notes"]
    assert not first["warnings"]
    assert (second["ref"], second["page_start"], second["page_end"]) == ("1.2", 2, 2)
    assert out.recommendations[0]["n_actions"] == 2


def test_row_broken_mid_ref_and_mid_sentence_is_joined() -> None:
    p1 = table([HEADER, ["2.", "Train staff in the", "BCC", "Mar-14", ""]])
    p2 = table([["5", "Homeless service", "", "", ""]], page=2)
    out = run(p1, p2)
    (action,) = out.actions
    assert action["ref"] == "2.5"
    assert action["action"] == "Train staff in the Homeless service"
    assert (action["page_start"], action["page_end"]) == (1, 2)


def test_new_row_at_the_top_of_a_page_is_not_joined() -> None:
    p1 = table([HEADER, ["1.1", ["Deliver training to all", "staff in the"], "BCC", "Mar-14", ""]])
    p2 = table([HEADER, ["1.2", "Audit files", "BCC", "Apr-14", "Ongoing"]], page=2)
    out = run(p1, p2)
    assert col(out.actions, "ref") == ["1.1", "1.2"]
    assert out.actions[0]["action"] == "Deliver training to all staff in the"
    assert out.actions[0]["page_end"] == 1
    assert not any("joined" in w for a in out.actions for w in a["warnings"])


def test_header_repeated_inside_a_table_is_dropped() -> None:
    out = run(
        table(
            [
                HEADER,
                ["1", "Deliver", "BCC", "Mar-14", "Complete"],
                HEADER,
                ["2", "Audit", "BCC", "Apr-14", "Ongoing"],
            ]
        )
    )
    assert col(out.actions, "ref") == ["1", "2"]


def _narrow_header(top: float):
    """The header row with a label broken in a narrow column: "Lead" / "Offic" / "er"."""
    return row(
        [
            cell(0, "Ref", top=top),
            cell(1, "Action", top=top),
            cell(2, ["Lead", "Offic", "er"], x0=220.0, x1=252.0, top=top),
            cell(3, "Target Date", x0=252.0, x1=320.0, top=top),
            cell(4, "Status", x0=320.0, x1=420.0, top=top),
        ]
    )


def _narrow_data(texts: list[str], top: float):
    xs = [(20.0, 120.0), (120.0, 220.0), (220.0, 252.0), (252.0, 320.0), (320.0, 420.0)]
    return row([cell(i, t, x0=a, x1=b, top=top) for i, (t, (a, b)) in enumerate(zip(texts, xs))])


def test_header_label_broken_in_a_narrow_column_is_mended() -> None:
    out = run(
        table([_narrow_header(80.0), _narrow_data(["1", "A", "J Smith", "", ""], 140.0)], n_cols=5)
    )
    assert out.actions[0]["cells"][2]["field"] == "lead_officer"
    assert out.actions[0]["lead_officer"] == "J Smith"


def test_repeated_header_with_a_broken_label_is_dropped() -> None:
    out = run(
        table(
            [
                _narrow_header(80.0),
                _narrow_data(["1", "Deliver", "J Smith", "Mar-14", "Complete"], 140.0),
                _narrow_header(200.0),
                _narrow_data(["2", "Audit", "J Smith", "Apr-14", "Ongoing"], 260.0),
            ],
            n_cols=5,
        )
    )
    assert col(out.actions, "ref") == ["1", "2"]


# --- tables that are not action plans -------------------------------------------------------


def test_table_without_a_recognisable_header_is_skipped_with_a_warning() -> None:
    plan = table([HEADER, ["1", "Deliver", "BCC", "Mar-14", "Complete"]], heading=BCC)
    other = table([["Agency", "Contribution"], ["BCC", "IMR"]], page=2, heading="Contributors")
    out = run(plan, other)
    assert out.n_sections == 1
    assert col(out.actions, "ref") == ["1"]
    assert out.warnings == ["page 2: skipped a table with no recognisable header"]


def test_header_table_that_is_not_an_action_plan_is_skipped_with_a_warning() -> None:
    plan = table([HEADER, ["1", "Deliver", "BCC", "Mar-14", "Complete"]], heading=BCC)
    other = table(
        [["Agency", "Date", "Status", "Contribution"], ["BCC", "Mar-14", "Done", "IMR"]],
        page=2,
        heading="Contributors",
    )
    out = run(plan, other)
    assert out.n_sections == 1
    assert len(out.actions) == 1
    (warning,) = out.warnings
    assert warning.startswith("page 2: skipped a table that is not an action plan")
    assert "Contribution" in warning


SUMMARY_RECS = [
    "Housing providers should have a domestic abuse policy",
    "The partnership should publicise the specialist services",
]


def _summary_then_plan(summary_texts: list[str]):
    summary = table(
        [
            ["No.", "Recommendation", "Agency"],
            ["1", summary_texts[0], WMP],
            ["2", summary_texts[1], "All agencies"],
        ],
        heading="Summary of Recommendations",
    )
    plan = table(
        [
            ["Ref", "Recommendation", "Action", "Lead Agency", "Timescale"],
            ["1.1", SUMMARY_RECS[0], "Review the threshold document", WMP, "Mar-24"],
            ["2.1", SUMMARY_RECS[1], "Publish the directory of services", BCC, "Jun-24"],
        ],
        page=2,
        heading="Action Plan",
    )
    return run(summary, plan)


def test_summary_of_recommendations_the_plan_prints_again_is_no_action_table() -> None:
    # No. | Recommendation | Agency, no Action column, every row a recommendation the
    # action table prints again: a list of the recommendations, not actions
    out = _summary_then_plan(SUMMARY_RECS)
    assert col(out.actions, "ref") == ["1.1", "2.1"]
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "text") == SUMMARY_RECS
    assert out.n_sections == 1
    assert out.warnings == [
        "page 1: skipped a table listing the recommendations the action plan prints again"
    ]


def test_summary_of_recommendations_without_numbers_is_no_action_table() -> None:
    summary = table(
        [
            ["Recommendation", "Agency", "Timescale"],
            [SUMMARY_RECS[0], WMP, "2024"],
            [SUMMARY_RECS[1], BCC, "2024"],
        ],
        heading="Summary of Recommendations",
    )
    plan = table(
        [
            ["Recommendation", "Action", "Lead Agency", "Timescale"],
            [SUMMARY_RECS[0], "Review the threshold document", WMP, "Mar-24"],
            [SUMMARY_RECS[1], "Publish the directory of services", BCC, "Jun-24"],
        ],
        page=2,
        heading="Action Plan",
    )
    out = run(summary, plan)
    assert col(out.actions, "action") == [
        "Review the threshold document",
        "Publish the directory of services",
    ]
    assert out.n_sections == 1


def test_table_of_recommendations_printed_nowhere_else_stays_a_plan() -> None:
    # the same columns, but its recommendations are not the action table's: its own rows
    out = _summary_then_plan(
        [
            "Agencies should train all frontline staff in coercive control",
            "The board should audit the use of interpreters every year",
        ]
    )
    assert len(out.actions) == 4
    assert out.n_sections == 2


def test_recommendation_shared_by_two_agency_tables_without_actions_is_not_a_list() -> None:
    # two agencies' plans of recommendations alone (no Action column), the same shared
    # recommendation in each: printed again, but by no action table, so both stay
    head = ["Recommendation", "Lead Agency", "Target Date"]
    shared = "All agencies should train their staff in coercive control"
    first = table([head, [shared, WMP, "Mar-24"]], heading=WMP)
    second = table([head, [shared, BCC, "Jun-24"]], page=2, heading=BCC)
    out = run(first, second)
    assert out.n_sections == 2
    assert len(out.recommendations) == 2


def test_a_later_page_does_not_continue_a_skipped_table() -> None:
    other = table([["Agency", "Date", "Status", "Contribution"], ["BCC", "Mar-14", "Done", "IMR"]])
    follow = table([["WMP", "Apr-14", "Done", "Chronology"]], page=2)
    out = run(other, follow)
    assert out.n_sections == 0
    assert out.actions == []
    assert len(out.warnings) == 3
    assert out.warnings[-1] == "no action-plan table found"


def test_is_action_plan() -> None:
    from dhrplans.normalise.headers import map_header

    assert is_action_plan(map_header(HEADER))
    assert is_action_plan(map_header(["Recommendation", "Lead Agency", "Target Date"]))
    assert not is_action_plan(map_header(["Action", "Notes"]))  # one plan field only
    assert not is_action_plan(map_header(["Agency", "Date", "Status"]))  # no action column


def test_build_sections_groups_rows() -> None:
    warnings: list[str] = []
    p1 = table([HEADER, ["1", "A", "BCC", "", ""], ["2", "B", "BCC", "", ""]], heading=BCC)
    p2 = table([HEADER, ["3", "C", "BCC", "", ""]], page=2)
    (section,) = build_sections([p1, p2], warnings)
    assert warnings == []
    assert section.heading == BCC
    assert section.n_cols == 5
    assert section.last_page == 2
    assert [opens for _, opens in section.rows] == [False, False, True]
    assert section.engines == ["pdfplumber-lattice"]


def test_headerless_rest_of_a_table_after_a_blank_page_continues_it() -> None:
    # Word leaves a blank page where a page break follows a table filling its page: the
    # table's rest, with no header printed again, opens page 3, not page 2. A page that
    # prints nothing between them does not part the table.
    from dataclasses import replace

    p1 = table([HEADER, ["1.1", "Train staff", BCC, "Mar-14", "Open"]], heading=BCC)
    p3 = table([["1.2", "Audit files", BCC, "Apr-14", "Open"]], page=3)
    p4 = table([["2.1", "Review policy", BCC, "May-14", "Open"]], page=4)
    out = normalise_document(replace(doc([p1, p3, p4]), pages=4))
    assert col(out.actions, "ref") == ["1.1", "1.2", "2.1"]
    assert out.words_accounted == out.words_in_tables


# --- fields ----------------------------------------------------------------------------------


def test_unmapped_column_lands_in_extra() -> None:
    out = run(
        table(
            [
                [*HEADER, "Resources required"],
                ["1", "Deliver", "BCC", "Mar-14", "Complete", "Two trainers"],
                ["2", "Audit", "BCC", "Apr-14", "Ongoing", ""],
            ]
        )
    )
    assert col(out.actions, "extra") == [{"Resources required": "Two trainers"}, None]
    assert any(b["field"] == "extra:Resources required" for b in out.actions[0]["cells"])


def test_status_column_of_rag_colours() -> None:
    out = run(
        table(
            [
                ["Ref", "Action", "Lead Agency", "Target Date", "Status (RAG)"],
                ["1", "Train", "BCC", "Mar-14", "Red"],
                ["2", "Audit", "BCC", "Apr-14", "Amber"],
                ["3", "Publish", "BCC", "May-14", "Green"],
            ]
        )
    )
    assert col(out.actions, "rag") == ["red", "amber", "green"]
    assert col(out.actions, "status") == ["not_started", "in_progress", "completed"]


def test_status_and_rag_columns() -> None:
    out = run(
        table(
            [
                ["Ref", "Action", "Lead Agency", "Status", "RAG"],
                ["1", "Train", "BCC", "Ongoing", "Amber"],
                ["2", "Audit", "BCC", "Complete", "Green"],
                ["3", "Publish", "BCC", "", ""],
            ]
        )
    )
    assert col(out.actions, "status") == ["in_progress", "completed", "unknown"]
    assert col(out.actions, "rag") == ["amber", "green", None]


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Mar-14", dt.date(2014, 3, 31)),
        ("Feb 2016", dt.date(2016, 2, 29)),
        ("01/12/2013", dt.date(2013, 12, 1)),
        ("Jan 2014 - Mar 2014", dt.date(2014, 3, 31)),  # a range: the latest
        ("Ongoing", None),
        ("TBC", None),
        ("", None),
    ],
)
def test_target_dates_are_normalised(printed: str, expected: dt.date | None) -> None:
    out = run(table([HEADER, ["1", "Deliver", "BCC", printed, ""]]))
    (action,) = out.actions
    assert action["target_date_raw"] == printed
    assert action["target_date"] == expected


def test_lead_agency_not_in_registry_is_kept_as_printed() -> None:
    out = run(table([HEADER, ["1", "Deliver", "Acme Widgets Ltd", "", ""]]))
    (action,) = out.actions
    assert action["lead_agency"] == "Acme Widgets Ltd"
    assert action["lead_agency_type"] is None
    assert out.unmatched_agencies == ["Acme Widgets Ltd"]


def test_empty_rows_are_not_actions() -> None:
    out = run(table([HEADER, ["", "", "", "", ""], ["1", "Deliver", "BCC", "", ""]]))
    assert col(out.actions, "ref") == ["1"]


def test_document_without_tables() -> None:
    out = run()
    assert out.actions == [] and out.recommendations == []
    assert out.warnings == ["no action-plan table found"]


def test_recommendation_ids_are_unique() -> None:
    out = run(
        table(
            [
                HEADER,
                "Recommendation 1: First",
                ["1", "A", "BCC", "", ""],
                "Recommendation 1: Printed again",
                ["1", "B", "BCC", "", ""],
            ]
        )
    )
    (key,) = section_keys([out.recommendations[0]["section"]])
    assert col(out.recommendations, "rec_id") == [f"unit-doc/{key}/r1", f"unit-doc/{key}/r1#2"]
    assert col(out.actions, "recommendation") == ["First", "Printed again"]


def test_lead_agency_read_from_the_lead_officer_column() -> None:
    out = run(
        table(
            [
                ["Ref", "Action", "Lead Officer", "Target Date", "Status"],
                ["1", "Deliver", "DI Jones, West Midlands Police", "", ""],
            ],
            heading=BCC,
        )
    )
    (action,) = out.actions
    assert action["lead_officer"] == "DI Jones, West Midlands Police"
    assert action["lead_agency_raw"] is None  # no lead agency column printed
    assert action["lead_agency"] == WMP


# --- layouts seen in other plan families ------------------------------------------------------


def test_partial_width_banner_naming_a_recommendation() -> None:
    partial = row([cell(0, "Recommendation 4: Review the protocol", colspan=3)])
    result = run(table([HEADER, partial, ["4.1", "Review it", "BCC", "Mar-14", "Complete"]]))
    assert col(result.recommendations, "rec_number") == ["4"]
    assert col(result.actions, "recommendation") == ["Review the protocol"]


def test_recommendation_label_with_its_text_merged_across_the_row() -> None:
    split = row([cell(0, "Recommendation 2"), cell(1, "Share information with police", colspan=4)])
    result = run(table([HEADER, split, ["2.1", "Write a protocol", WMP, "Dec 2014", "Done"]]))
    assert col(result.recommendations, "rec_number") == ["2"]
    assert col(result.recommendations, "text") == ["Share information with police"]
    assert col(result.actions, "rec_number") == ["2"]


def test_recommendation_label_broken_inside_its_word_by_a_narrow_column() -> None:
    # The PDF of a Word file whose label cell is as narrow as the ref column: the word
    # breaks ("Recomme" / "ndation 2"); the row is the recommendation's all the same.
    label = cell(0, ["Recomme", "ndation 2"], x1=60.0)
    split = row([label, cell(1, "Share information with police", colspan=4)])
    result = run(table([HEADER, split, ["2.1", "Write a protocol", WMP, "Dec 2014", "Done"]]))
    assert col(result.recommendations, "rec_number") == ["2"]
    assert col(result.recommendations, "text") == ["Share information with police"]
    assert col(result.actions, "ref") == ["2.1"]


def test_recommendation_repeated_on_each_row_is_one_recommendation() -> None:
    header = ["Recommendation", "Action", "Lead Agency", "Target Date"]
    rec = "1. Agencies should share information"
    result = run(
        table(
            [
                header,
                [rec, "Write a protocol", WMP, "Mar-14"],
                [rec, "Train staff", BCC, "Jun-14"],
                ["2. Review the panel", "Audit", BCC, "Dec-14"],
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["1", "2"]
    assert col(result.recommendations, "n_actions") == [2, 1]


def test_title_row_inside_the_table_is_the_section_heading() -> None:
    result = run(
        table(
            [
                "West Midlands Police action plan",
                HEADER,
                ["1", "Issue guidance", "Inspector", "Mar-14", "Complete"],
            ]
        )
    )
    assert col(result.actions, "section") == ["West Midlands Police action plan"]
    assert col(result.actions, "lead_agency") == [WMP]


def test_header_under_a_title_row_and_empty_spacer_rows_inside_the_grid() -> None:
    """A spreadsheet printed with its gridlines: its title and blank rows sit in the grid
    above the header; the table is read, not skipped for having no header in row one."""
    result = run(
        table(
            [
                "Safer Anytown Partnership - DHR action plan",
                ["", "", "", "", ""],
                HEADER,
                ["1", "Issue guidance", WMP, "Mar-14", "Complete"],
                ["2", "Audit files", BCC, "Jun-14", "Ongoing"],
            ]
        )
    )
    assert col(result.actions, "ref") == ["1", "2"]
    # a data row two rows down is no header: a table without one is still skipped
    skipped = run(table([["", "", "", "", ""], ["1", "Issue guidance", WMP, "Mar-14", "Done"]]))
    assert skipped.actions == []


def test_an_evidence_column_holding_updates_is_the_progress() -> None:
    """ "Evidence / update", "Evidence of completion": evidence that will show success, or
    an account of what was done; the cells decide (issue 10: not the label alone)."""
    header = ["Ref", "Action", "Lead Agency", "Target Date", "Evidence of completion"]
    updates = ["Pilot running in two practices", "Briefings delivered to all teams"]
    result = run(
        table([header] + [[str(i + 1), "Train", BCC, "Mar-14", u] for i, u in enumerate(updates)])
    )
    assert col(result.actions, "progress") == updates
    measures = ["Audit of 20 case files", "Staff survey shows confidence"]
    header[-1] = "Evidence / update"
    result = run(
        table([header] + [[str(i + 1), "Train", BCC, "Mar-14", m] for i, m in enumerate(measures)])
    )
    assert col(result.actions, "success_measure") == measures


def test_rag_printed_only_as_the_cell_colour() -> None:
    header = ["Ref", "Action", "Lead Agency", "Target Date", "RAG"]
    rows = [["1", "Train staff", BCC, "Mar-14", ""], ["2", "Audit", BCC, "Jun-14", ""]]
    built = table([header, *rows])
    green, amber = (0.0, 0.69, 0.31), (1.0, 0.75, 0.0)
    built.rows[1].cells.append(cell(4, "", top=built.rows[1].bbox[1]))
    built.rows[2].cells.append(cell(4, "", top=built.rows[2].bbox[1]))
    built.rows[1].cells[-1].fill, built.rows[2].cells[-1].fill = green, amber
    result = run(built)
    assert col(result.actions, "rag") == ["green", "amber"]
    assert col(result.actions, "status") == ["completed", "in_progress"]
    assert all(any("cell colour" in n for n in a["notes"]) for a in result.actions)


def test_grey_shading_is_not_a_rating() -> None:
    built = table([HEADER, ["1", "Train staff", BCC, "Mar-14", "Ongoing"]])
    built.rows[1].cells[-1].fill = (0.85, 0.85, 0.85)
    (action,) = run(built).actions
    assert action["rag"] is None and action["status"] == "in_progress"


@pytest.mark.parametrize("merged", [True, False])
def test_a_ref_cell_merged_over_actions_is_printed_for_each(merged: bool) -> None:
    """A "No." cell merged down beside its recommendation's actions (one cell whose box
    covers their rows) is the ref of every action it covers, as the merged Recommendation
    cell beside it is their recommendation; a row with no ref cell under an unmerged one
    has none."""
    head = ["No.", "Recommendation", "Key Actions", "Lead", "Timescale"]
    built = table(
        [
            head,
            ["1", "Police should record", "Train call handlers", "Inspector", "Mar-14"],
            ["2", "Police should share", "Brief officers", "Inspector", "Mar-14"],
            [None, None, "Audit referrals", "Inspector", "Jun-14"],
        ]
    )
    if merged:
        bottom = built.rows[3].bbox[3]
        for c in built.rows[2].cells[:2]:
            c.bbox = (c.bbox[0], c.bbox[1], c.bbox[2], bottom)
    out = run(built)
    assert col(out.actions, "ref") == ["1", "2", "2" if merged else ""]
    assert col(out.actions, "rec_number") == ["1", "2", "2"]


def test_pale_tints_behind_status_words_are_no_rating_whatever_their_hue() -> None:
    """Excel's Good/Neutral/Bad fills (pale green, yellow, pink) behind status words in a
    plan with no RAG column: decoration, no RAG value, for every colour alike; a strong
    amber behind the words is still the rating."""
    words = ["Complete", "On track", "Not yet due", "Delayed"]
    rows = [[str(i), "Train", BCC, "Mar-14", w] for i, w in enumerate(words, start=1)]
    built = table([HEADER, *rows])
    tints = [(0xC6, 0xEF, 0xCE), (0xFF, 0xEB, 0x9C), (0xFF, 0xC7, 0xCE), (0xFF, 0xC0, 0x00)]
    for r, rgb in zip(built.rows[1:], tints):
        r.cells[-1].fill = tuple(v / 255 for v in rgb)
    result = run(built)
    assert col(result.actions, "rag") == [None, None, None, "amber"]
    statuses = ["completed", "in_progress", "not_started", "in_progress"]
    assert col(result.actions, "status") == statuses


def test_a_short_r_before_the_number_is_the_word_when_refs_number_under_the_bare_number() -> None:
    """ "R1:" banners over actions "1a", "1b" read as "Recommendation 1:"; a series letter
    carried by the refs ("N1" over "N1.1") and an "R1" whose refs carry the R stay."""
    short = run(
        table(
            [
                HEADER,
                "R1: All staff to be trained in domestic abuse",
                ["1a", "Deliver training", BCC, "Mar-14", "Complete"],
                ["1b", "Audit case files", BCC, "Mar-14", "Ongoing"],
                "R2: Share information with the police",
                ["2a", "Write a protocol", WMP, "Dec 2014", "Not started"],
            ]
        )
    )
    assert col(short.recommendations, "rec_number") == ["1", "2"]
    assert col(short.actions, "rec_number") == ["1", "1", "2"]
    for prefix in ("N", "R"):
        series = run(
            table(
                [
                    HEADER,
                    f"{prefix}1: All staff to be trained in domestic abuse",
                    [f"{prefix}1.1", "Deliver training", BCC, "Mar-14", "Complete"],
                    f"{prefix}2: Share information with the police",
                    [f"{prefix}2.1", "Write a protocol", WMP, "Dec 2014", "Not started"],
                ]
            )
        )
        assert col(series.recommendations, "rec_number") == [f"{prefix}1", f"{prefix}2"]


@pytest.mark.parametrize("again", ["West Midlands Police", "West Midlands Police (continued)"])
def test_heading_repeated_over_a_continued_table_is_the_same_section(again: str) -> None:
    first = table([HEADER, ["1", "Issue guidance", "Inspector", "Mar-14", "Done"]], heading=WMP)
    second = table(
        [HEADER, ["2", "Audit logs", "Inspector", "Jun-14", "Ongoing"]], page=2, heading=again
    )
    result = run(first, second)
    assert result.n_sections == 1
    assert col(result.actions, "section") == [WMP, WMP]


def test_a_different_heading_on_the_next_page_is_a_new_section() -> None:
    first = table([HEADER, ["1", "Issue guidance", "Inspector", "Mar-14", "Done"]], heading=WMP)
    second = table([HEADER, ["1", "Train", "Manager", "Jun-14", "Done"]], page=2, heading=BCC)
    assert run(first, second).n_sections == 2


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Leeds City Council", "local_authority"),
        ("London Borough of Hackney", "local_authority"),
        ("Humberside Police", "police"),  # in the registry: no guess needed
        ("Barnsley Hospital NHS Foundation Trust", "health_provider"),
        ("Wakefield CCG", "health_commissioner"),
        ("Leeds Women's Aid", "voluntary_sector"),
        ("Park Lane Surgery", "primary_care"),
        ("Head of Service", None),
    ],
)
def test_type_of_an_agency_not_in_the_registry(name: str, kind: str | None) -> None:
    result = run(table([HEADER, ["1", "Review", name, "Mar-14", "Done"]]))
    (action,) = result.actions
    assert action["lead_agency_type"] == kind
    from dhrplans.normalise.agencies import AgencyRegistry

    if kind and AgencyRegistry.load().match(name).agency is None:
        assert name in result.unmatched_agencies  # still listed, to be added to the registry


def test_rest_of_a_row_broken_by_the_page_without_a_ref_column() -> None:
    # No ref column: the first row of page 2 prints only the rest of the action, in
    # capitals ("... reporting to Birmingham" / "Safeguarding Board"), none of the lead,
    # date or status the row before printed: its rest, not an action.
    head = ["Action", "Lead Agency", "Target Date", "Status"]
    p1 = table([head, ["Set up a group reporting to Birmingham", "BCC", "Mar-14", "Open"]])
    p2 = table(
        [["Safeguarding Board", "", "", ""], ["Audit files", "WMP", "Apr-14", "Done"]], page=2
    )
    out = run(p1, p2)
    assert col(out.actions, "action") == [
        "Set up a group reporting to Birmingham Safeguarding Board",
        "Audit files",
    ]


def test_whole_row_opening_a_page_without_a_ref_column_is_a_new_action() -> None:
    # No ref column: page 2 opens with a row printing its own scope, action, lead and
    # target date (none the rest of a sentence), its completion and status not yet
    # filled: a new action, not the rest of the last row of page 1.
    head = ["Scope", "Action", "Lead Agency", "By when", "Completed", "Status", "RAG"]
    last = ["National", "Include the findings in training", "Named Nurse", "On-going"]
    p1 = table([head, [*last, "1 August 2020", "Complete", "Green"]])
    p2 = table(
        [["National", "Deliver a briefing to staff", BCC, "1 March 2020", "", "", ""]], page=2
    )
    out = run(p1, p2)
    assert col(out.actions, "action") == [
        "Include the findings in training",
        "Deliver a briefing to staff",
    ]
    assert col(out.actions, "scope") == ["National", "National"]
    assert col(out.actions, "target_date_raw") == ["On-going", "1 March 2020"]
    assert col(out.actions, "status") == ["completed", "unknown"]


def test_action_lead_and_date_cut_by_the_page_without_a_ref_column_are_joined() -> None:
    # action, lead and date all printed at the top of page 2, but the action carries on
    # the sentence the page broke off: the rest of the row, not a new action
    head = ["Scope", "Action", "Lead Agency", "By when", "Completed", "Status", "RAG"]
    p1 = table(
        [
            head,
            ["National", "Deliver a briefing to", "Named Nurse for", "Initial 19/09/2021;"],
        ],
        n_cols=7,
    )
    p2 = table(
        [["", "all frontline staff", "Safeguarding Adults", "review 31/12/2021"]], n_cols=7, page=2
    )
    out = run(p1, p2)
    (action,) = out.actions
    assert action["action"] == "Deliver a briefing to all frontline staff"
    assert action["target_date_raw"] == "Initial 19/09/2021; review 31/12/2021"


def test_a_closing_line_under_the_last_action_is_no_recommendation() -> None:
    head = ["Recommendation", "Action", "Lead Agency", "Target Date"]
    out = run(
        table(
            [
                head,
                ["1. Agencies should review policy.", "Run training", BCC, "Mar-14"],
                ["2. The board should audit.", "Audit", BCC, "Apr-14"],
                ["Signed on behalf of the partnership: Chair", "", "", ""],
            ]
        )
    )
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert any("no recommendation: Signed on behalf" in w for w in out.warnings)


def test_a_table_per_recommendation_with_its_title_row_inside() -> None:
    # Each recommendation its own small table, "Recommendation N - text" as a row over
    # the header: the recommendations of the rows below, not section headings.
    head = ["No.", "Action", "Lead Agency", "Target Date"]
    first = table(
        ["Recommendation 1 - Agencies should review policy.", head, ["1a", "Train", BCC, "Mar-14"]],
        heading=BCC,
    )
    second = table(
        ["Recommendation 2 - The board should audit.", head, ["2a", "Audit", BCC, "Apr-14"]],
        top=300,
    )
    out = run(first, second)
    assert col(out.recommendations, "text") == [
        "Agencies should review policy.",
        "The board should audit.",
    ]
    assert col(out.actions, "section") == [BCC, BCC]


def test_a_recommendation_title_row_cut_by_the_page_goes_on_in_the_next_table() -> None:
    # The title row's first line at the foot of page 1 (read as a heading there), its rest
    # as a row over the header on page 2, in lower case: one recommendation.
    head = ["No.", "Action", "Lead Agency", "Target Date"]
    cont = table(["partner agencies and schools.", head, ["4a", "Train", BCC, "Mar-14"]], page=2)
    cont.heading = "Recommendation 4 - The partnership should make sure the pathway is known to"
    cont.heading_bbox = (40.0, 700.0, 500.0, 712.0)
    (rec,) = run(cont).recommendations
    assert rec["text"] == (
        "The partnership should make sure the pathway is known to partner agencies and schools."
    )


def test_a_long_numbered_body_name_over_a_table_stays_its_heading() -> None:
    """ "2. Avon and Wiltshire Mental Health Partnership NHS Trust" over the second agency's
    table: a numbered heading naming a body in as many words as a recommendation has is
    no recommendation (a sentence); a numbered sentence is one."""
    head = ["Ref", "Action", "Responsible Officer", "Target Date"]
    first = table([head, "Rec 1 - Police should share records.", ["1.1", "Brief", "DCI", "Mar-14"]])
    first.heading = "1. Avon and Somerset Constabulary"
    first.heading_bbox = (40.0, 40.0, 300.0, 52.0)
    name = "2. Avon and Wiltshire Mental Health Partnership NHS Trust"
    second = table([head, "Rec 1 - Notes should be shared.", ["1.1", "Audit", "Nurse", "Mar-14"]])
    second.heading, second.heading_bbox = name, (40.0, 400.0, 400.0, 412.0)
    out = run(first, second)
    assert col(out.actions, "section") == ["1. Avon and Somerset Constabulary", name]
    assert len(out.recommendations) == 2
    sentence = "2. The trust should review how it shares records with the police"
    second.heading, second.heading_bbox = sentence, (40.0, 400.0, 400.0, 412.0)
    second.rows = [r for r in second.rows if "Rec 1" not in r.cells[0].text]
    out = run(first, second)
    assert "The trust should review how it shares records with the police" in col(
        out.recommendations, "text"
    )
    assert name not in col(out.recommendations, "text")


def test_the_plans_title_line_over_a_part_heading_names_no_section() -> None:
    heading = "DHR 'Paul' - Action Plan (version 4, updated 30.11.22) Part A - Single Agency"
    out = run(table([HEADER, ["1", "Train staff", BCC, "Mar-14", "Done"]], heading=heading))
    assert col(out.actions, "section") == ["Part A - Single Agency"]


def test_a_part_title_naming_its_report_names_no_section() -> None:
    # "Overview Report - Appendix B: Action Plan": the part of the report that holds the
    # plan (schemas/document_parts.csv), as "Appendix B: Action Plan" alone; the plan's own
    # title alone over the table stays its heading.
    heading = "Overview Report \u2013 Appendix B: Action Plan"
    out = run(table([HEADER, ["1", "Train staff", BCC, "Mar-14", "Done"]], heading=heading))
    assert col(out.actions, "section") == [None]
    alone = run(
        table(
            [HEADER, ["1", "Train staff", BCC, "Mar-14", "Done"]], heading="DHR 'Jay' - Action Plan"
        )
    )
    assert col(alone.actions, "section") == ["DHR 'Jay' - Action Plan"]


def test_rec_no_column_printed_on_every_row_numbers_the_recommendations() -> None:
    # Spreadsheet plans print "Rec No." and the recommendation's text again on each of
    # its action rows. The bare number repeated over rows is the recommendation's; a new
    # number opens the next one even where its text stops on a word that carries a
    # sentence on ("... cared for"), or repeats an earlier recommendation's wording.
    carers = (
        "Adult social care should ensure carers' assessments weigh the risk of the person cared for"
    )
    disengage = "Agencies should review their approach to victims who disengage"
    rows = [
        ["Rec No.", "Recommendation", "Action", "Lead", "RAG"],
        ["1", carers, "Audit 20 case files", "Named Nurse", "Amber"],
        ["1", carers, "Review the threshold document", "Named Nurse", "Green"],
        ["2", disengage, "Set up a case review group", "Team Manager", "Green"],
        ["3", carers, "Train frontline staff", "Designated Nurse", "Red"],
        ["3", carers, "Brief call handlers", "Designated Nurse", "Red"],
    ]
    result = normalise_document(doc([table(rows, heading="Hampshire Constabulary")]))
    assert [a["rec_number"] for a in result.actions] == ["1", "1", "2", "3", "3"]
    assert [r["text"] for r in result.recommendations] == [carers, disengage, carers]
    # refs numbering the actions once each stay the actions' refs, and the recommendation
    # printed whole again on its rows is no merged cell broken by them: the next text is
    # the next recommendation, though the last stops on "for"
    own = [rows[0]] + [[str(k), *r[1:]] for k, r in enumerate(rows[1:], 1)]
    result = normalise_document(doc([table(own, heading="Hampshire Constabulary")]))
    assert [a["ref"] for a in result.actions] == ["1", "2", "3", "4", "5"]
    assert [r["text"] for r in result.recommendations] == [carers, disengage, carers]


def test_recommendations_listed_as_numbered_paragraphs_give_the_cited_ones_their_text() -> None:
    # "Recommendations" then "1. All agencies should ..." (wrapped), "2. The partnership
    # ...": paragraphs, no table. The action table cites them by number ("Rec 2").
    from dhrplans.extract.model import LooseLine

    def line(top: float, text: str) -> LooseLine:
        return LooseLine(1, (50.0, top, 500.0, top + 10.0), text, (50.0,))

    listed = [
        line(70.0, "Recommendations"),
        line(86.0, "1. All agencies should ensure that practitioners ask about abuse"),
        line(99.0, "and respond to a disclosure."),
        line(115.0, "2. The partnership should share the learning from this review."),
    ]
    rows = [
        ["Rec", "Action No.", "Action", "Lead", "RAG"],
        ["Rec 1", "A1", "Train staff", "Kent Police", "Red"],
        ["Rec 2", "A2", "Publish a briefing", "Kent Police", "Green"],
    ]
    raw = doc([table(rows, heading="Action Plan", top=250.0)])
    raw.loose_lines = listed
    result = normalise_document(raw)
    assert [r["text"] for r in result.recommendations] == [
        "All agencies should ensure that practitioners ask about abuse and respond to a "
        "disclosure.",
        "The partnership should share the learning from this review.",
    ]
    # a report's numbered section titles are no list of recommendations
    raw.loose_lines = [line(86.0, "1. Introduction"), line(115.0, "2. Terms of reference")]
    assert [r["text"] for r in normalise_document(raw).recommendations] == ["", ""]
    # ... nor with their paragraphs set close under them, which read as the titles'
    # wrapped lines: a number's line of a few words going on over more lines is a
    # heading over its text (failed before: the report's sections became the texts)
    raw.loose_lines = [
        line(86.0, "1. Introduction"),
        line(99.0, "Several agencies knew the victim in the months before her death."),
        line(115.0, "2. Findings"),
        line(128.0, "The review panel met six times and read each agency's report."),
    ]
    assert [r["text"] for r in normalise_document(raw).recommendations] == ["", ""]


def test_recommendation_repeated_per_row_carries_a_row_the_page_broke() -> None:
    # Plans that print the recommendation whole on every action row merge nothing down
    # that column. At the top of a page, a recommendation cell carrying on the last one
    # mid-sentence is the rest of the row the page broke, though the row's other cells
    # start with capitals ("Adults", "Aid") as names and titles do.
    header = ["Recommendation", "Action", "Lead Officer", "Lead Agency", "Target Date"]
    r4 = "R4. All requests to be received in writing."
    page1 = [
        header,
        [r4, "Audit compliance.", "Lead GP", BCC, "31/10/2022"],
        [r4, "Attend meetings.", "Named Nurse", BCC, "30/09/2023"],
        [
            "R5. Baseline audit to",
            "Devise and implement a",
            "Named Nurse Safeguarding",
            "Birmingham and Solihull Women's",
            "30/04/2013",
        ],
    ]
    page2 = [
        header,
        ["be undertaken of all centres.", "training plan.", "Adults", "Aid", ""],
        ["R6. Respond safely.", "Share the learning.", "Lead GP", BCC, "Mar-14"],
    ]
    out = normalise_document(doc([table(page1, heading=BCC), table(page2, page=2)]))
    assert col(out.actions, "rec_number") == ["R4", "R4", "R5", "R6"]
    broken = out.actions[2]
    assert broken["action"] == "Devise and implement a training plan."
    assert broken["lead_agency_raw"] == "Birmingham and Solihull Women's Aid"
    assert broken["recommendation"] == "Baseline audit to be undertaken of all centres."


def test_unnumbered_recommendation_repeated_per_row_split_by_a_page_is_one() -> None:
    # Each row prints its recommendation whole, with no number, and the header is not
    # printed again. A page breaks a row after the recommendation cell's first word: the
    # rest at the top of the next page makes the text of the recommendation above, so the
    # row is that recommendation's, not a new one printing the same text.
    header = ["Recommendation", "Action", "Lead Agency", "Target Date", "Status"]
    rec = "Housing providers should screen tenants."
    page1 = [
        header,
        ["Agencies should share information.", "Write a protocol", BCC, "Mar-14", "Open"],
        ["Agencies should share information.", "Hold a meeting", BCC, "Apr-14", "Open"],
        [rec, "Train staff", BCC, "Jun-14", "Open"],
        ["Housing", "Carry out a", BCC, "Dec-14", "Open"],
    ]
    page2 = [["providers should screen tenants.", "dip sample", "", "", ""]]
    out = normalise_document(doc([table(page1, heading=BCC), table(page2, page=2)]))
    assert col(out.recommendations, "text") == ["Agencies should share information.", rec]
    assert col(out.recommendations, "n_actions") == [2, 2]
    assert col(out.actions, "rec_number") == ["1", "1", "2", "2"]
    assert out.actions[3]["action"] == "Carry out a dip sample"
    assert out.actions[3]["recommendation"] == rec


def test_update_row_under_an_action_is_part_of_it() -> None:
    # Progress logs add a row under an action for each update: it prints only columns the
    # action already filled (progress), no ref, action, lead or date of its own.
    header = ["Ref", "Action", "Lead", "Target Date", "Progress", "Status"]
    rows = [
        header,
        ["Recommendation 1: Train staff.", "", "", "", "", ""],
        ["1.1", "Deliver a briefing.", BCC, "Mar-14", "Policy revised.", "Ongoing"],
        ["", "", "", "", "Update: carried forward.", ""],
        ["1.2", "Review the policy.", BCC, "Apr-14", "", "Completed"],
        # a row with a lead and date of its own is an action, though it has no text
        ["", "", "Lead GP", "May-14", "", ""],
    ]
    out = normalise_document(doc([table(rows, heading=BCC)]))
    assert col(out.actions, "ref") == ["1.1", "1.2", ""]
    assert out.actions[0]["progress"] == "Policy revised. Update: carried forward."


def test_action_numbers_in_the_recommendation_column_under_banners() -> None:
    # Recommendations printed as rows across the table ("1. ..."), the actions under each
    # numbered "i", "ii" in the same first column: the actions' refs, not recommendations.
    header = ["Rec", "Action to address recommendation", "Lead agency", "Timescale", "Status"]
    rows = [
        header,
        "1. Agencies should train staff.",
        ["i", "Deliver a briefing.", BCC, "Mar-14", "Ongoing"],
        ["ii", "Review the policy.", BCC, "Apr-14", "Complete"],
        "2. The partnership should share.",
        ["(a)", "Audit case files.", BCC, "May-14", "Not started"],
    ]
    out = normalise_document(doc([table(rows, heading=BCC)]))
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.actions, "ref") == ["i", "ii", "(a)"]
    assert col(out.actions, "rec_number") == ["1", "1", "2"]


def test_unnumbered_recommendation_takes_its_number_from_its_actions_refs() -> None:
    # A table per agency, each recommendation printed without a number beside its actions:
    # the refs number the plan through ("3.1" in the second table), counting would restart.
    header = ["Recommendation", "Ref", "Action", "Agency", "Target"]
    first = [
        header,
        ["The police should review risk.", "1.1", "Deliver a briefing.", BCC, "Mar-14"],
        ["Social care should assess carers.", "2.1", "Audit case files.", BCC, "Apr-14"],
    ]
    second = [
        header,
        ["The partnership should raise awareness.", "3.1", "Introduce a prompt.", BCC, "May-14"],
        ["", "3.2", "Circulate a briefing.", BCC, "Jun-14"],
        ["Housing should ask about abuse.", "4", "Commission training.", BCC, "TBC"],
    ]
    out = normalise_document(
        doc([table(first, heading="Police"), table(second, heading="Health", top=400.0)])
    )
    # the bare ref "4" follows on from recommendation 3: the plan's numbering, not a count
    # restarted in the table (which gave "2")
    assert col(out.actions, "rec_number") == ["1", "2", "3", "3", "4"]


def test_totals_row_under_the_actions_is_no_action() -> None:
    # A spreadsheet-style plan closes with a row summing it up; its first cell, in the
    # agency column, opens no agency's part and the row is no action.
    header = ["Agency", "Ref", "Action", "Lead", "Target", "Status"]
    rows = [
        header,
        [BCC, "1a", "Train staff.", "Lead GP", "Mar-14", "Complete"],
        ["Kent Police", "2a", "Audit files.", "DI", "Apr-14", "Ongoing"],
        row([cell(0, "Total"), cell(1, "2 actions: 1 complete", colspan=4), cell(5, "50%")]),
    ]
    out = normalise_document(doc([table(rows)]))
    assert col(out.actions, "ref") == ["1a", "2a"]
    assert {a["section"] for a in out.actions} == {BCC, "Kent Police"}
    assert any("summing up the table" in w for w in out.warnings)
    assert out.words_accounted == out.words_in_tables


@pytest.mark.parametrize("label", ["Total actions: 9", "Total number of actions: 9", "Total: 9"])
def test_totals_row_counting_the_actions_in_its_first_cell_is_no_action(label) -> None:
    # The count printed with the label in the merged first cells ("Total actions: 9"), a
    # tally in the status column: a row summing the table up, no action
    header = ["Ref", "Action", "Lead", "Target", "Status"]
    rows = [
        header,
        ["1.1", "Train staff.", "Kent Police", "Mar-14", "Complete"],
        ["1.2", "Audit files.", "Kent Police", "Apr-14", "Ongoing"],
        row([cell(0, label, colspan=4), cell(4, "1 complete")]),
    ]
    out = normalise_document(doc([table(rows)]))
    assert col(out.actions, "ref") == ["1.1", "1.2"]
    assert any("summing up the table" in w for w in out.warnings)


def test_role_at_another_kind_of_body_is_that_bodys_when_the_plan_names_one() -> None:
    # "ICB Designated Nurse" in a police table is the ICB's nurse, not the police's: the
    # plan's own ICB when it names one; no agency (flagged) when it names none.
    icb = "NHS Kent and Medway Integrated Care Board"
    header = ["Ref", "Action", "Lead", "Target Date"]
    named = [
        header,
        ["1.1", "Train staff.", "ICB Designated Nurse", "Mar-14"],
        ["1.2", "Audit files.", icb, "Apr-14"],
    ]
    out = normalise_document(doc([table(named, heading="Kent Police")]))
    assert col(out.actions, "lead_agency") == [icb, icb]
    assert not any("threshold" in w for w in out.actions[0]["warnings"])
    alone = [header, ["1.1", "Train staff.", "ICB Designated Nurse", "Mar-14"]]
    out = normalise_document(doc([table(alone, heading="Kent Police")]))
    assert out.actions[0]["lead_agency"] is None
    assert any("agency unknown" in w for w in out.actions[0]["warnings"])


def test_a_merged_recommendation_cell_holding_the_next_ones_text_is_parted_at_its_row() -> None:
    """A style that rules alternate rows leaves out the rule between two recommendations'
    merged cells: one cell runs down beside "1.1", "1.2" and "2.1", holding the first
    recommendation's text, a gap, then the second's, which starts level with the first
    line of the row numbered under another recommendation. Parted there (failed before:
    both texts were recommendation 1's, and action 2.1 was under it)."""
    from dhrplans.extract.model import RawCell
    from unit_fixtures.build import line

    merged = RawCell(
        1,
        1,
        1,
        (120.0, 100.0, 220.0, 280.0),
        [
            line("Review the risk", 124.0, 102.0),
            line("forms.", 124.0, 114.0),
            line("Train all", 124.0, 222.0),
            line("staff.", 124.0, 234.0),
        ],
        False,
    )
    rows = [
        row(
            [
                cell(c, t, top=60.0, bottom=100.0)
                for c, t in enumerate(["Ref", "Recommendation", "Action", "Lead"])
            ]
        ),
        row(
            [
                cell(0, "1.1", top=100.0),
                merged,
                cell(2, "Audit forms", top=100.0),
                cell(3, "Police", top=100.0),
            ]
        ),
        row(
            [
                cell(0, "1.2", top=160.0),
                cell(2, "Report on audit", top=160.0),
                cell(3, "Council", top=160.0),
            ]
        ),
        row(
            [
                cell(0, "2.1", top=220.0),
                cell(2, "Run training", top=220.0),
                cell(3, "Council", top=220.0),
            ]
        ),
    ]
    result = normalise_document(doc([table(rows, n_cols=4)]))
    recs = result.recommendations
    assert col(recs, "text") == ["Review the risk forms.", "Train all staff."]
    assert col(recs, "rec_number") == ["1", "2"]
    assert col(result.actions, "rec_number") == ["1", "1", "2"]
    assert col(result.actions, "recommendation") == [
        "Review the risk forms.",
        "Review the risk forms.",
        "Train all staff.",
    ]


# --- recommendation numbers from the action cell, a separate list, a Rec column of refs --------

NO_REF = ["Action", "Lead Agency", "Target Date", "Status"]


def test_rec_style_none_number_opening_the_action_cell_groups_the_actions() -> None:
    # No ref column: each action cell opens with its number ("1.1 Produce ..."). The text is
    # kept as printed; the number's top level still groups the actions (FORMAT.md).
    texts = [
        "1.1 Produce the referral guidance for staff",
        "1.2 Audit the case files of the last year",
        "2.1 Brief reception staff on disclosures",
    ]
    out = run(table([NO_REF, *([t, BCC, "Mar-14", "Open"] for t in texts)], heading=BCC))
    assert col(out.actions, "action") == texts
    assert col(out.actions, "ref") == [None, None, None]
    assert col(out.actions, "rec_number") == ["1", "1", "2"]
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "n_actions") == [2, 1]
    assert col(out.recommendations, "text") == ["", ""]


@pytest.mark.parametrize(
    "texts",
    [
        # numbers counting the actions alone, or a figure that is the text's own
        ["1. Produce the referral guidance", "2. Audit the case files"],
        ["3 briefings for reception staff", "1.1 Audit the case files"],
    ],
)
def test_action_cells_not_all_opening_with_a_dotted_number_number_nothing(texts) -> None:
    out = run(table([NO_REF, *([t, BCC, "Mar-14", "Open"] for t in texts)], heading=BCC))
    assert col(out.actions, "rec_number") == [None] * len(texts)
    assert out.recommendations == []


LISTED = [
    "Housing providers should join the risk assessment conference as full members",
    "All agencies should train their front line staff to recognise coercive control",
]


def test_separate_list_of_recommendations_gives_its_text_to_actions_with_dotted_refs() -> None:
    # "No. | Recommendation" first, then actions numbered 1.1, 2.1: the list's texts join
    # the recommendations by the refs' top level
    listing = table([["No.", "Recommendation"], ["1", LISTED[0]], ["2", LISTED[1]]])
    plan = table(
        [
            HEADER,
            ["1.1", "Review the membership", BCC, "Mar-14", "Open"],
            ["1.2", "Write to the providers", BCC, "Apr-14", "Open"],
            ["2.1", "Deliver training", WMP, "May-14", "Open"],
        ],
        page=2,
        heading="Action Plan",
    )
    out = run(listing, plan)
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "text") == LISTED
    assert col(out.actions, "recommendation") == [LISTED[0], LISTED[0], LISTED[1]]
    assert col(out.actions, "ref") == ["1.1", "1.2", "2.1"]


@pytest.mark.parametrize("listed", [True, False])
def test_recommendation_number_printed_once_over_its_actions_numbers_the_rows_under_it(
    listed,
) -> None:
    # "Rec No." printed on the first row of each recommendation's actions and blank on the
    # rest (a cell merged down, read with no rules): the rows under a number are its
    # recommendation's, with the plan's list of recommendations or without one
    plan = table(
        [
            ["Rec No.", "Action", "Lead Agency", "Target Date", "Status"],
            ["1", "Review the membership", BCC, "Mar-14", "Open"],
            [None, "Write to the providers", BCC, "Apr-14", "Open"],
            [None, "Audit the referrals", BCC, "Apr-14", "Open"],
            ["2", "Deliver training", WMP, "May-14", "Open"],
            [None, "Check attendance", WMP, "Jun-14", "Open"],
        ],
        page=2,
        heading="Action Plan",
    )
    listing = table([["No.", "Recommendation"], ["1", LISTED[0]], ["2", LISTED[1]]])
    out = run(listing, plan) if listed else run(plan)
    assert col(out.actions, "rec_number") == ["1", "1", "1", "2", "2"]
    assert col(out.recommendations, "n_actions") == [3, 2]
    if listed:
        assert col(out.actions, "recommendation") == [LISTED[0]] * 3 + [LISTED[1]] * 2


def test_bare_refs_with_a_blank_among_numbers_printed_twice_number_no_blank_row() -> None:
    # a number printed on several rows is no number printed once over its run: a row
    # whose ref is blank among them is not given the number above it
    plan = table(
        [
            HEADER,
            ["1", "Review the membership", BCC, "Mar-14", "Open"],
            ["1", "Write to the providers", BCC, "Apr-14", "Open"],
            [None, "Audit the referrals", BCC, "Apr-14", "Open"],
            ["2", "Deliver training", WMP, "May-14", "Open"],
        ],
        heading="Action Plan",
    )
    out = run(plan)
    assert col(out.actions, "rec_number") == ["1", "1", None, "2"]


def test_separate_list_not_numbering_every_recommendation_gives_no_text() -> None:
    listing = table([["No.", "Recommendation"], ["1", LISTED[0]], ["2", LISTED[1]]])
    plan = table(
        [HEADER, ["1.1", "Review", BCC, "Mar-14", "Open"], ["3.1", "Train", WMP, "May-14", "Open"]],
        page=2,
        heading="Action Plan",
    )
    out = run(listing, plan)
    assert col(out.recommendations, "text") == ["", ""]


def test_rec_column_of_dotted_refs_recurring_across_agency_tables_is_the_refs() -> None:
    # "Rec" over "1.1", "2.1" in each agency's table: the actions' refs (each agency numbers
    # its actions under the shared recommendations alike), grouped by their top level,
    # not one recommendation per ref
    header = ["Rec", "Action", "Lead Agency", "Target Date", "Status"]
    tables = [
        table(
            [
                header,
                ["1.1", "Review", name, "Mar-14", "Open"],
                ["2.1", "Train", name, "May-14", "Open"],
            ],
            page=page,
            heading=name,
        )
        for page, name in ((1, BCC), (2, WMP))
    ]
    out = run(*tables)
    assert col(out.actions, "ref") == ["1.1", "2.1", "1.1", "2.1"]
    assert col(out.actions, "rec_number") == ["1", "2", "1", "2"]


def test_row_of_words_alone_in_the_ref_column_is_no_action() -> None:
    # an agency's name drawn in the first column only (a sub-heading the table does not
    # span): no number, nothing else printed, so no action; said in the warnings
    out = run(
        table(
            [
                HEADER,
                ["Elmbury Police", "", "", "", ""],
                ["1.1", "Review", BCC, "Mar-14", "Open"],
            ],
            heading="Action Plan",
        )
    )
    assert col(out.actions, "ref") == ["1.1"]
    assert any("words alone in the ref column" in w for w in out.warnings)


# --- a separate list: last item over the table, Roman numbering, numbers out of turn -----------


def _list_lines(items: list[str], top: float = 86.0):
    from dhrplans.extract.model import LooseLine

    return [
        LooseLine(1, (50.0, top + 20.0 * k, 500.0, top + 20.0 * k + 10.0), text, (50.0,))
        for k, text in enumerate(items)
    ]


def test_last_item_of_a_list_printed_over_the_table_is_no_banner() -> None:
    # "1. ...", "2. ..." as paragraphs, then "3. ..." read as the table's heading: the
    # list's last item, not a recommendation over every row
    texts = [
        "Housing providers should review their tenancy checks for every new tenant",
        "All agencies should train their front line staff to recognise coercion",
        "The partnership should share the learning from this review with the board",
    ]
    header = ["Rec No.", "Action", "Lead Agency", "Target Date", "Status"]
    plan = table(
        [
            header,
            ["1", "Review the checks", BCC, "Mar-14", "Open"],
            ["2", "Deliver training", WMP, "May-14", "Open"],
            ["3", "Brief the board", BCC, "Jun-14", "Open"],
        ],
        heading=f"3. {texts[2]}",
        top=170.0,
    )
    plan.heading_bbox = (50.0, 146.0, 500.0, 156.0)
    raw = doc([plan])
    raw.loose_lines = _list_lines([f"{k}. {t}" for k, t in enumerate(texts[:2], 1)])
    out = normalise_document(raw)
    assert col(out.actions, "rec_number") == ["1", "2", "3"]
    assert col(out.actions, "recommendation") == texts


def test_banner_over_each_table_after_a_list_stays_a_banner() -> None:
    # a list of the recommendations, then one table per recommendation under "1. ...",
    # "2. ...": the banners are the tables' own, the item before each heads a table too
    texts = [
        "Housing providers should review their tenancy checks for every new tenant",
        "All agencies should train their front line staff to recognise coercion",
    ]
    tables = [
        table(
            [HEADER, [f"{k}.1", "Act", BCC, "Mar-14", "Open"]],
            page=2 + k,
            heading=f"{k}. {t}",
        )
        for k, t in enumerate(texts, 1)
    ]
    for t in tables:
        t.heading_bbox = (50.0, 60.0, 500.0, 70.0)
    raw = doc(tables)
    raw.loose_lines = _list_lines([f"{k}. {t}" for k, t in enumerate(texts, 1)])
    out = normalise_document(raw)
    assert col(out.recommendations, "rec_number") == ["1", "2"]
    assert col(out.recommendations, "text") == texts


LIST3 = [
    "Health visitors should record who else lives in the home at each visit",
    "The board should audit how quickly the safety planning meetings are held",
    "Schools should name a lead for children living with abuse at home",
]


@pytest.mark.parametrize("numbers", [["i", "ii", "iii"], ["i", "i", "ii", "iii"]])
def test_roman_numbered_list_joined_by_a_rec_no_column_of_numerals(numbers) -> None:
    # "i. ...", "ii. ..." listed apart; the "Rec No." column prints "i", "ii": numbers,
    # whether or not they repeat, not a recommendation text of numerals
    header = ["Organisation", "Rec No.", "Action", "Lead Agency", "Target Date"]
    rows = [[BCC, n, f"Action {k}", BCC, "Mar-14"] for k, n in enumerate(numbers)]
    raw = doc([table([header, *rows], heading="Action Plan", top=250.0)])
    raw.loose_lines = _list_lines([f"{n}. {t}" for n, t in zip(["i", "ii", "iii"], LIST3)])
    out = normalise_document(raw)
    assert col(out.actions, "rec_number") == numbers
    by_number = dict(zip(["i", "ii", "iii"], LIST3))
    assert col(out.actions, "recommendation") == [by_number[n] for n in numbers]


def test_list_numbered_out_of_turn_each_number_once_is_joined() -> None:
    # a list in the order the agency tables take the recommendations (1, 3, 2), each
    # number printed once; the Rec column prints each number once
    header = ["Rec", "Action", "Lead Agency", "Target Date", "Status"]
    order = ["1", "3", "2"]
    rows = [[n, f"Action {n}", BCC, "Mar-14", "Open"] for n in order]
    raw = doc([table([header, *rows], heading="Action Plan", top=250.0)])
    raw.loose_lines = _list_lines([f"{n}. {LIST3[int(n) - 1]}" for n in order])
    out = normalise_document(raw)
    assert col(out.actions, "rec_number") == order
    assert col(out.actions, "recommendation") == [LIST3[int(n) - 1] for n in order]


def test_numbered_paragraphs_skipping_a_number_keep_only_those_in_turn() -> None:
    # 1, 2, then 4: the list is 1 and 2 (4 is no item of it)
    header = ["Rec", "Action", "Lead Agency", "Target Date", "Status"]
    rows = [[n, f"Action {n}", BCC, "Mar-14", "Open"] for n in ["1", "2"]]
    raw = doc([table([header, *rows], heading="Action Plan", top=250.0)])
    raw.loose_lines = _list_lines([f"{n}. {t}" for n, t in zip(["1", "2", "4"], LIST3)])
    out = normalise_document(raw)
    assert col(out.actions, "recommendation") == LIST3[:2]


def test_a_number_column_over_a_recommendation_cut_by_its_rows_numbers_recommendations() -> None:
    """A "No." column printing the recommendation's bare number on each action row, beside
    a recommendation cell an unruled reader cuts at the rows ("... information is shared"
    / "between agencies in a timely way."): the parts carry one text on, so the column still
    numbers recommendations, and a new number at the top of the next page opens a new one
    (failed before: the next page's recommendation was glued to the last)."""
    head = ["No.", "Recommendation", "Action", "Lead Agency", "Status"]
    page1 = [
        head,
        ["4", "The board should assure itself that news is shared", "Add it", BCC, "Red"],
        ["4", "between agencies in a timely way.", "Review the policy", BCC, "Green"],
    ]
    page2 = [
        head,
        ["5", "Primary care should record concerns.", "Set up a group", BCC, "Red"],
        ["5", "", "Audit referrals", BCC, "Green"],
    ]
    result = normalise_document(doc([table(page1, heading="Action Plan"), table(page2, page=2)]))
    assert col(result.recommendations, "rec_number") == ["4", "5"]
    assert col(result.recommendations, "text") == [
        "The board should assure itself that news is shared between agencies in a timely way.",
        "Primary care should record concerns.",
    ]
    assert col(result.actions, "rec_number") == ["4", "4", "5", "5"]


def test_a_merged_recommendation_cell_running_past_its_first_row_is_one_text() -> None:
    """A recommendation cell merged down its actions' rows, printed with no number (the
    refs beside it number it: "2.1", "2.2"), whose last line falls level with the second
    row's first line: the words inside the merged cell's box are its text whole. The ref
    "2.2" is numbered under the same recommendation as "2.1" above it, so nothing says a
    new recommendation starts there (failed before: "way." was parted off as another
    recommendation, the first one's text cut at the row line)."""
    from dhrplans.extract.model import RawCell
    from unit_fixtures.build import line

    merged = RawCell(
        1,
        1,
        1,
        (120.0, 100.0, 220.0, 280.0),
        [
            line("Share risk between", 124.0, 102.0),
            line("agencies in a timely", 124.0, 114.0),
            line("way.", 124.0, 126.0),
        ],
        False,
    )
    rows = [
        row(
            [
                cell(c, t, top=60.0, bottom=100.0)
                for c, t in enumerate(["Ref", "Recommendation", "Action", "Lead"])
            ]
        ),
        row(
            [
                cell(0, "2.1", top=100.0, bottom=126.0),
                merged,
                cell(2, "Audit forms", top=100.0, bottom=126.0),
                cell(3, "Police", top=100.0, bottom=126.0),
            ]
        ),
        row(
            [
                cell(0, "2.2", top=126.0),
                cell(2, "Report on audit", top=126.0),
                cell(3, "Council", top=126.0),
            ]
        ),
        row(
            [
                cell(0, "2.3", top=186.0),
                cell(2, "Run training", top=186.0),
                cell(3, "Council", top=186.0),
            ]
        ),
    ]
    result = normalise_document(doc([table(rows, n_cols=4)]))
    recs = result.recommendations
    assert col(recs, "text") == ["Share risk between agencies in a timely way."]
    assert col(recs, "rec_number") == ["2"]
    assert col(result.actions, "rec_number") == ["2", "2", "2"]


def test_bare_number_column_under_banners_with_a_merged_agency_column() -> None:
    # Banner rows print each recommendation ("1. ..."); a narrow "Rec" column prints its
    # bare number again on every action row, and an "Agency" column is merged down each
    # agency's run of rows (its name on the first row only). The numbers are the rows'
    # refs (the text lives in the banners), each recommendation is listed in the section
    # of every agency acting on it, with its text.
    header = ["Rec", "Agency", "Action", "Lead Officer", "Target"]
    rows = [
        header,
        "1. The partnership should review how information is shared.",
        ["1", WMP, "Deliver a briefing.", "DI Public Protection", "Mar-24"],
        ["1", "", "Review the policy.", "Head of Safeguarding", "Apr-24"],
        "2. Agencies should train staff in coercive control.",
        ["2", BCC, "Commission training.", "Service Manager", "May-24"],
        ["2", WMP, "Audit case files.", "DCI", "Jun-24"],
    ]
    out = normalise_document(doc([table(rows)]))
    assert col(out.actions, "ref") == ["1", "1", "2", "2"]
    assert col(out.actions, "rec_number") == ["1", "1", "2", "2"]
    assert col(out.actions, "section") == [WMP, WMP, BCC, WMP]
    recs = out.recommendations
    assert [(r["section"], r["rec_number"], r["n_actions"]) for r in recs] == [
        (WMP, "1", 2),
        (BCC, "2", 1),
        (WMP, "2", 1),
    ]
    assert all(r["text"] for r in recs)


def test_a_ref_cell_merged_down_and_cut_by_a_page_break_numbers_the_next_pages_rows() -> None:
    """A "Rec No." cell merged down beside its recommendation's actions, cut by a page
    break: the page's first row prints the merged cell's rest, empty, over the rows it
    still covers; they are the rows of the ref printed on the page before."""
    head = ["Rec No.", "Recommendation", "Action", "Lead", "Timescale"]
    p1 = table(
        [
            head,
            ["1", "Police should record", "Train call handlers", "Inspector", "Mar-14"],
            ["2", "Police should share", "Brief officers on", "Inspector", "Apr-14"],
        ]
    )
    p2 = table(
        [
            head,
            ["", "information", "the new policy", None, None],
            [None, None, "Audit referrals", "Inspector", "Jun-14"],
            [None, None, "Review the guidance", "Inspector", "Jul-14"],
        ],
        page=2,
    )
    bottom = p2.rows[3].bbox[3]
    first = p2.rows[1].cells[0]
    first.bbox = (first.bbox[0], first.bbox[1], first.bbox[2], bottom)
    rec = p2.rows[1].cells[1]
    rec.bbox = (rec.bbox[0], rec.bbox[1], rec.bbox[2], bottom)
    out = run(p1, p2)
    assert col(out.actions, "rec_number") == ["1", "2", "2", "2"]
    assert col(out.actions, "ref") == ["1", "2", "2", "2"]


def test_a_ref_cell_merged_down_and_cut_between_two_rows_numbers_the_pages_first_row() -> None:
    # the page broke the merged cell between two actions: the next page opens with a new
    # action beside the cell's empty rest
    head = ["Rec No.", "Recommendation", "Action", "Lead", "Timescale"]
    p1 = table(
        [
            head,
            ["1", "Police should record", "Train call handlers", "Inspector", "Mar-14"],
            ["2", "Police should share.", "Brief officers.", "Inspector", "Apr-14"],
        ]
    )
    p2 = table(
        [
            head,
            ["", "", "Audit referrals", "Inspector", "Jun-14"],
            [None, None, "Review the guidance", "Inspector", "Jul-14"],
        ],
        page=2,
    )
    bottom = p2.rows[2].bbox[3]
    for c in p2.rows[1].cells[:2]:
        c.bbox = (c.bbox[0], c.bbox[1], c.bbox[2], bottom)
    out = run(p1, p2)
    assert col(out.actions, "rec_number") == ["1", "2", "2", "2"]
    assert col(out.actions, "ref") == ["1", "2", "2", "2"]


def test_a_date_after_the_completion_letter_is_the_completion_date_where_none_is_printed() -> None:
    head = ["Ref", "Action", "Lead Agency", "Target Date", "Complete (Y/N)"]
    built = table([head, ["1.1", "Train staff", BCC, "Mar-24", "Y – 12/01/24"]])
    (action,) = run(built).actions
    assert action["status"] == "completed"
    assert action["completion_date"] == dt.date(2024, 1, 12)
    # a plan with a completion-date column: that column is the completion date
    head = [*head, "Date Completed"]
    built = table([head, ["1.1", "Train staff", BCC, "Mar-24", "Y – 12/01/24", ""]])
    (action,) = run(built).actions
    assert action["status"] == "completed"
    assert action["completion_date"] is None

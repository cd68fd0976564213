"""Rows inside one action-plan table that are neither actions nor recommendations (issue
10): agency sub-heading rows naming a kind of body or a local body, a recommendation's
context row ("Rationale: ..."), and a Word table continuing the plan after a page break
with no header of its own."""

from __future__ import annotations

from dataclasses import replace

from dhrplans.extract.model import RawRow
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import banner, cell, doc, row, table

HEADER = ["Ref", "Recommendation", "Action", "Lead Officer", "Timescale"]
GREY = (0.85, 0.85, 0.85)


def shaded(text: str, n_cols: int) -> RawRow:
    """A row across the table, its one cell shaded as a heading."""
    built = banner(text, n_cols)
    built.cells[0].fill = GREY
    return built


def col(records: list[dict], key: str) -> list:
    return [r[key] for r in records]


def test_sub_heading_rows_naming_kinds_of_body_open_sections_of_the_plans_own_bodies() -> None:
    n = len(HEADER)
    raw = doc(
        [
            table(
                [
                    HEADER,
                    shaded("Police:", n),
                    ["1a", "Kent Police to flag callers.", "Add a flag", "Inspector", "Mar-24"],
                    shaded("Adult Social Care", n),
                    ["2a", "Improve enquiries.", "Update guidance", "Head of Service", "Jun-24"],
                    shaded("GP Practice - Elm Tree Surgery:", n),
                    ["3a", "Record third parties.", "Add a code", "Practice Manager", "Jan-24"],
                ],
                heading="Action plan",
            )
        ]
    )
    raw.title = "Kent Community Safety Partnership - Domestic Homicide Review - Action Plan"
    result = normalise_document(raw)
    assert col(result.recommendations, "rec_number") == ["1", "2", "3"]
    assert col(result.actions, "section") == [
        "Police:",
        "Adult Social Care",
        "GP Practice - Elm Tree Surgery:",
    ]
    # a kind resolved to the one body of it the plan names, or the one of its area; a
    # local body by its own name; roles in the lead cells are then that body's
    assert col(result.actions, "lead_agency") == [
        "Kent Police",
        "Kent County Council",
        "Elm Tree Surgery",
    ]
    assert any("names a kind of body (police)" in w for w in result.warnings)


def test_sub_heading_row_naming_a_kind_the_plan_does_not_settle_gives_no_agency() -> None:
    n = len(HEADER)
    raw = doc(
        [
            table(
                [
                    HEADER,
                    shaded("Police:", n),
                    ["1a", "Review call handling.", "Audit calls", "Inspector", "Mar-24"],
                ],
                heading="Action plan",
            )
        ]
    )
    result = normalise_document(raw)
    # no police force named, no place: which force is not printed, so none
    assert col(result.actions, "section") == ["Police:"]
    assert col(result.actions, "section_agency") == [None]
    assert col(result.actions, "lead_agency") == [None]  # not the role "Inspector"
    assert col(result.recommendations, "rec_number") == ["1"]
    assert any("no one body of it: section agency unknown" in w for w in result.warnings)


def test_short_agency_row_in_a_table_read_from_text_alignment_opens_a_section() -> None:
    # With no cell borders a row's cell reaches only the columns its words reach: a short
    # agency row ("Kent Police", an acronym the plan defines) reads as a first cell alone.
    # Shaded and naming an organisation alone, it opens a section (failed before: the
    # acronym became an empty action with the acronym as its ref, and the rows under it
    # stayed the previous section's).
    def lone(text: str, fill: tuple | None) -> RawRow:
        built = row([cell(0, text)])
        built.cells[0].fill = fill
        return built

    def plan(engine: str, fill: tuple | None) -> list[dict]:
        raw = doc(
            [
                table(
                    [
                        HEADER,
                        lone("Kent Police", fill),
                        ["1a", "Flag repeat callers.", "Add a flag", "Inspector", "Mar-24"],
                        lone("KMH", fill),
                        ["2a", "Improve enquiries.", "Update guidance", "Named Nurse", "Jun-24"],
                    ],
                    heading="Action plan",
                    engine=engine,
                )
            ]
        )
        raw.prose = ["Agencies include Kent and Medway Mental Health NHS Trust (KMH)."]
        return normalise_document(raw).actions

    actions = plan("pdfplumber-text", GREY)
    assert col(actions, "ref") == ["1a", "2a"]
    assert col(actions, "section") == ["Kent Police", "KMH"]
    assert col(actions, "section_agency") == [
        "Kent Police",
        "Kent and Medway Mental Health NHS Trust",
    ]
    # not set apart (no shading), or a drawn grid's first cell alone: no section opens
    # (words alone in the ref column are no action either: said in the warnings)
    for engine, fill in (("pdfplumber-text", None), ("pdfplumber-lattice", GREY)):
        other = plan(engine, fill)
        assert col(other, "section") == ["Action plan", "Action plan"]
        assert col(other, "ref") == ["1a", "2a"]


def test_unshaded_sentence_row_is_not_a_sub_heading() -> None:
    # a row across the table with no colon and no shading, or a numbered one, is not an
    # agency's heading
    n = len(HEADER)
    raw = doc(
        [
            table(
                [
                    HEADER,
                    banner("Recommendation 1: Police to flag repeat callers.", n),
                    ["1a", None, "Add a flag", "Kent Police", "Mar-24"],
                    banner("Police", n),
                    ["1b", None, "Brief staff", "Kent Police", "Apr-24"],
                ],
                heading="Action plan",
            )
        ]
    )
    result = normalise_document(raw)
    assert set(col(result.actions, "section")) == {"Action plan"}


def test_context_row_under_a_recommendation_row_is_not_its_text() -> None:
    header = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]
    raw = doc(
        [
            table(
                [
                    header,
                    "Recommendation 1: Kent Police should take separate accounts.",
                    "Rationale: On three occasions the victim was spoken to with him present.",
                    ["1.1", "Reissue the checklist", "Kent Police", "Aug-22", "Completed"],
                    "Recommendation 2: The council should review its guidance.",
                    "Finding 4: Routine enquiry was not completed.",
                    ["2.1", "Amend the guidance", "Kent County Council", "Mar-23", "Ongoing"],
                ],
                heading="Action plan",
            )
        ]
    )
    result = normalise_document(raw)
    assert col(result.recommendations, "text") == [
        "Kent Police should take separate accounts.",
        "The council should review its guidance.",
    ]
    assert col(result.actions, "recommendation") == [
        "Kent Police should take separate accounts.",
        "The council should review its guidance.",
    ]
    context = [w for w in result.warnings if "gives its context" in w]
    assert len(context) == 2 and "Rationale: On three occasions" in context[0]
    assert result.words_accounted == result.words_in_tables  # its words are classified


def test_word_table_under_the_heading_again_continues_the_plan() -> None:
    # A Word file has no pages: the rest of the plan after a page break is the next table,
    # in the same grid, with no header, under "<heading> (continued)".
    header = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]
    first = table(
        [
            header,
            "Recommendation 1: Kent Police should take separate accounts.",
            ["1.1", "Reissue the checklist", "Kent Police", "Aug-22", "Completed"],
        ],
        heading="Kent DHR action plan",
        engine="python-docx",
    )
    rest = table(
        [
            "Recommendation 2: The council should review its guidance.",
            ["2.1", "Amend the guidance", "Kent County Council", "Mar-23", "Ongoing"],
        ],
        heading="Kent DHR action plan (continued)",
        engine="python-docx",
    )
    result = normalise_document(doc([first, replace(rest)]))
    assert col(result.actions, "ref") == ["1.1", "2.1"]
    assert col(result.recommendations, "rec_number") == ["1", "2"]
    assert not any("no recognisable header" in w for w in result.warnings)

"""Numbering, labels and status words many plans print (issue 10), on small hand-built
tables: lower-case recommendation numbers, lettered refs, compound labels of two ambiguous
halves, misspelt labels, negated status words."""

from __future__ import annotations

import pytest
from dhrplans.normalise.headers import map_header, score_label
from dhrplans.normalise.numbering import is_child, is_ref, split_number
from dhrplans.normalise.plan import normalise_document
from dhrplans.normalise.status import parse_status
from unit_fixtures.build import cell, doc, row, table

BCC = "Birmingham City Council"


def col(records: list[dict], key: str) -> list:
    return [r[key] for r in records]


# --- lower-case recommendation numbers --------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "number", "text"),
    [
        ("i. The board should act.", "i", "The board should act."),
        ("iv) The police should act.", "iv", "The police should act."),
        ("(b) Agencies should train staff.", "b", "Agencies should train staff."),
        ("i.e. the board should act", None, "i.e. the board should act"),
        ("e.g. staff", None, "e.g. staff"),
    ],
)
def test_a_recommendations_own_text_numbered_in_lower_case(printed, number, text) -> None:
    assert split_number(printed, lower=True) == (number, text)
    # elsewhere a lower-case label numbers a sentence's points: no recommendation number
    assert split_number(printed)[0] is None


@pytest.mark.parametrize(
    ("printed", "number", "text"),
    [
        ("Recommendation (a): Gwent Police to act.", "a", "Gwent Police to act."),
        ("Recommendation (iii) - Train staff", "iii", "Train staff"),
        ("Recommendation b: Train staff", "b", "Train staff"),
        ("Recommendation (c)", "c", ""),
    ],
)
def test_the_word_recommendation_before_a_lower_case_number(printed, number, text) -> None:
    assert split_number(printed) == (number, text)


def test_merged_recommendation_column_in_lower_case_roman_numerals() -> None:
    # A Recommendation column merged down its actions, numbered "i.", "ii.": the number as
    # printed (FORMAT.md), the text without it.
    def actions(top: float, texts: list[str]) -> list:
        return [cell(k + 1, t, top=top, bottom=top + 20) for k, t in enumerate(texts)]

    first = "i. The council should review its referral pathway."
    second = "ii. The police should audit risk assessments."
    rows = [
        row([cell(0, first, top=300.0, bottom=340.0), *actions(300.0, ["Train", BCC, "Mar-22"])]),
        row(actions(320.0, ["Audit", BCC, "Apr-22"])),
        row([cell(0, second, top=340.0, bottom=360.0), *actions(340.0, ["Brief", BCC, "Jun-22"])]),
    ]
    plan = table([["Recommendation", "Action", "Lead Agency", "Target Date"], *rows], top=280.0)
    result = normalise_document(doc([plan]))
    assert col(result.recommendations, "rec_number") == ["i", "ii"]
    assert col(result.recommendations, "text") == [
        "The council should review its referral pathway.",
        "The police should audit risk assessments.",
    ]
    assert col(result.actions, "rec_number") == ["i", "i", "ii"]


def test_lower_case_point_after_recommendations_numbered_otherwise() -> None:
    # A plan numbers its recommendations in one style: "(a) ..." opening the next page in
    # the merged column under recommendation 2 ("The Trust should:") is a point of its
    # text, the rest of the cell the page broke, not a recommendation "a".
    first = table(
        [
            ["Recommendation", "Action", "Lead Agency", "Target Date"],
            ["1. The council should review its pathway.", "Train", BCC, "Mar-22"],
            ["2. The Trust should:", "Audit", BCC, "Apr-22"],
        ]
    )
    rest = table(
        [["(a) make the question part of triage; (b) record the answer.", "Brief", BCC, "Jun-22"]],
        page=2,
    )
    result = normalise_document(doc([first, rest]))
    assert col(result.recommendations, "rec_number") == ["1", "2"]
    assert col(result.recommendations, "text")[1] == (
        "The Trust should: (a) make the question part of triage; (b) record the answer."
    )
    assert col(result.actions, "rec_number") == ["1", "2", "2"]


def test_banner_with_a_bracketed_letter() -> None:
    result = normalise_document(
        doc(
            [
                table(
                    [
                        ["Ref", "Action", "Lead Agency", "Target Date"],
                        "Recommendation (a): The council should review its pathway.",
                        ["a1", "Train staff", BCC, "Mar-22"],
                    ]
                )
            ]
        )
    )
    assert col(result.recommendations, "rec_number") == ["a"]
    assert col(result.recommendations, "text") == ["The council should review its pathway."]


# --- refs under lettered recommendations ------------------------------------------------


@pytest.mark.parametrize("ref", ["a1", "b.2", "A-1", "B-3", "R3.2", "1a"])
def test_lettered_refs(ref: str) -> None:
    assert is_ref(ref)


@pytest.mark.parametrize("text", ["ab", "a", "Train staff", "A-level", "a.m."])
def test_not_lettered_refs(text: str) -> None:
    assert not is_ref(text)


def test_lettered_refs_sit_under_their_letter() -> None:
    assert is_child("a1", "a") and is_child("A-1", "A") and not is_child("b1", "a")


def test_a_rec_column_of_one_ref_a_row_is_the_ref_column() -> None:
    # "Rec" names a recommendation or an action's ref; cells one a row, each its own
    # ("a1", "a2" under a banner that numbers the recommendation), are refs.
    plan = table(
        [
            ["Rec", "Action", "Lead Agency", "Target Date"],
            "Recommendation (a): The council should review its pathway.",
            ["a1", "Train staff", BCC, "Mar-22"],
            ["a2", "Audit files", BCC, "Apr-22"],
        ]
    )
    result = normalise_document(doc([plan]))
    assert col(result.actions, "ref") == ["a1", "a2"]
    assert col(result.recommendations, "rec_number") == ["a"]
    assert col(result.actions, "rec_number") == ["a", "a"]


# --- labels: two ambiguous halves, misspelt words ---------------------------------------


def test_compound_of_two_ambiguous_labels_yields_to_a_label_naming_one_field() -> None:
    # "Outcome / Evidence": both halves name several fields (an outcome or progress; a
    # success measure or progress). Beside a "Progress" column it takes a reading still
    # free, and the "Progress" column keeps progress.
    columns = map_header(["Ref", "Action", "Deadline", "Outcome / Evidence", "Progress", "RAG"])
    fields = [c.field for c in columns]
    assert fields[4] == "progress"
    assert fields[3] == "success_measure"


def test_compound_of_two_ambiguous_labels_read_alone() -> None:
    columns = map_header(["Ref", "Action", "Deadline", "Outcome / Evidence", "RAG"])
    assert [c.field for c in columns][3] == "progress"  # its first half's usual reading


def test_compound_column_beside_progress_in_a_table() -> None:
    header = ["Ref", "Action", "Lead Agency", "Outcome / Evidence", "Progress"]
    rows = [
        ["1.1", "Train staff", BCC, "Audit shows 90% compliance", "Training was delivered"],
        ["1.2", "Audit files", BCC, "Fewer repeat referrals", "Audit scheduled for March"],
    ]
    result = normalise_document(doc([table([header, *rows])]))
    assert col(result.actions, "success_measure") == [
        "Audit shows 90% compliance",
        "Fewer repeat referrals",
    ]
    assert col(result.actions, "progress") == [
        "Training was delivered",
        "Audit scheduled for March",
    ]


@pytest.mark.parametrize(
    "label", ["Achievement date", "Acheivement date", "Achievment date", "Acheiveme nt date"]
)
def test_achievement_date_is_the_target_date(label: str) -> None:
    # a date an action is to be achieved by; misspelt by a swap of two letters or a
    # dropped one, or broken by a narrow column
    field, score = score_label(label)
    assert field == "target_date" and score >= 80


# --- status words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Yet to commence", "Yet to be commenced", "yet to begin", "Not yet begun"]
)
def test_not_yet_begun_is_not_started(text: str) -> None:
    assert parse_status(text).status == "not_started"

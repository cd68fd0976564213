"""normalise.headers: printed column labels to canonical fields."""

from __future__ import annotations

import pytest
from dhrplans.normalise.headers import (
    fold_label,
    is_header_row,
    label_readings,
    map_header,
    score_label,
)
from dhrplans.schemas import CANONICAL_FIELDS
from hypothesis import given
from hypothesis import strategies as st

from dhrplans.settings import DEFAULT_SETTINGS

#: Known labels of one or two words whose longest word is long enough to take a typo.
_LABELS = {
    "action": "action",
    "target date": "target_date",
    "lead agency": "lead_agency",
    "lead officer": "lead_officer",
    "desired outcome": "desired_outcome",
    "progress update": "progress",
    "monitoring": "monitoring",
    "completion date": "completion_date",
}


def test_fold_label() -> None:
    assert fold_label("  Lead Officer &\nAgency ") == "lead officer and agency"
    assert fold_label("Action (SMART):") == "action (smart)"
    assert fold_label("Outcome/ Progress") == "outcome/ progress"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Ref", "ref"),
        ("Rec No.", "ref"),
        ("Recommendation", "recommendation"),
        ("Scope of recommendation i.e. local or regional", "scope"),
        ("Action (SMART)", "action"),
        ("Lead Officer and Agency", "lead_agency"),
        ("Lead Officer\nand Agency", "lead_agency"),  # wrapped over two lines
        ("Lead Officer & Agency", "lead_agency"),
        ("Target Date for Completion", "target_date"),
        ("By when", "target_date"),
        ("Status (RAG)", "status"),
        ("STATUS", "status"),
        ("Key milestones achieved in enacting recommendation", "progress"),
        ("Key milestones achieved in\nenacting recommendation", "progress"),
        ("Date of completion and Outcome", "completion_date"),
        ("RAG rating", "rag"),
        ("DATE CLOSED", "completion_date"),  # "Monitoring" over "Comments | Status | Date closed"
        ("Completion Due", "target_date"),  # when it is due, not when it was done
        ("IMR Ref", "ref"),  # the numbering of an agency's own review (IMR)
        ("Responsible Manager", "lead_officer"),  # a manager is a person
        # an outcome wanted (required, planned, to be achieved) is the desired outcome;
        # "Outcome" alone, or achieved, is what came of it (progress)
        ("Outcome Required", "desired_outcome"),
        ("Required Outcome", "desired_outcome"),
        ("Outcome to be achieved", "desired_outcome"),
        ("Target Outcome", "desired_outcome"),
        ("Outcome", "progress"),
    ],
)
def test_known_labels(label: str, field: str) -> None:
    got, score = score_label(label)
    assert got == field
    assert score == 100.0
    assert map_header([label])[0].field == field


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Lead Oficer", "lead_officer"),  # typo
        ("Target Dates", "target_date"),
        ("Acton", "action"),
    ],
)
def test_misspelt_labels_map_below_100(label: str, field: str) -> None:
    got, score = score_label(label)
    assert got == field
    assert DEFAULT_SETTINGS.headers.label_cutoff <= score < 100.0
    (column,) = map_header([label])
    assert column.field == field
    assert column.score == round(score, 1)


@pytest.mark.parametrize("label", ["Favourite colour", "Resources required", "Contribution"])
def test_unknown_label_maps_to_none(label: str) -> None:
    (column,) = map_header([label])
    assert column.field is None
    assert column.score < DEFAULT_SETTINGS.headers.label_cutoff


def test_blank_label() -> None:
    assert score_label("   ") == (None, 0.0)
    assert map_header([""])[0].field is None


def test_map_header_keeps_order_and_folds_label_spacing() -> None:
    columns = map_header(["Ref", "Action", "Lead Officer\nand  Agency", "By when", "Status (RAG)"])
    assert [c.field for c in columns] == ["ref", "action", "lead_agency", "target_date", "status"]
    assert columns[2].label == "Lead Officer and Agency"
    assert all(c.field in CANONICAL_FIELDS for c in columns)


def test_a_field_goes_to_one_column_only_the_best_scoring() -> None:
    columns = map_header(["Lead Oficer", "Action", "Lead Officer"])
    assert [c.field for c in columns] == [None, "action", "lead_officer"]
    assert columns[0].score < columns[2].score == 100.0


def test_a_tie_goes_to_the_leftmost_column() -> None:
    columns = map_header(["Status", "Current status"])
    assert [c.field for c in columns] == ["status", None]


def test_status_and_rag_columns_are_both_kept() -> None:
    columns = map_header(["Status (RAG)", "RAG"])
    assert [c.field for c in columns] == ["status", "rag"]


# --- is_header_row ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "texts",
    [
        ["Ref", "Action", "Lead Agency", "Target Date", "Status"],
        ["Recommendation", "Scope", "Action to take", "Lead Agency", "", "Target date"],
        ["Ref", "Action", "", ""],  # two filled cells, both labels
        ["Ref", "Action", "Lead", "Some odd label", "Status"],  # 4 of 5 read as labels
        ["Ref", "Action (SMART)", "Lead Officer and Agency", "By when", "Status (RAG)"],
        ["Rec", "Recommendation"],  # "Rec" names one of two fields: a label still
    ],
)
def test_is_header_row_true(texts: list[str]) -> None:
    assert is_header_row(texts)


@pytest.mark.parametrize(
    "texts",
    [
        ["1.1", "Review the policy", "BCC", "Mar-14", "Complete"],  # a data row
        ["Action", "", "", ""],  # one filled cell
        ["", "", ""],
        ["Ref", "Review the policy", "BCC", "Mar-14"],  # one label among data
        ["Agency", "Contribution"],  # only one of two is a label
        ["Ref", "Action", "Meeting notes", "Why", "Misc"],  # under 60% labels
    ],
)
def test_is_header_row_false(texts: list[str]) -> None:
    assert not is_header_row(texts)


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Cyf / Ref", "ref"),
        ("Cam gweithredu / Action", "action"),
        ("Asiantaeth arweiniol / Lead agency", "lead_agency"),
        ("Dyddiad targed / Target date", "target_date"),
        ("Statws / Status", "status"),
        ("Ref / Cyf", "ref"),
        ("Outcome/ Progress", "progress"),  # two labels of one field
    ],
)
def test_label_printed_in_two_languages_is_its_known_half(label: str, field: str) -> None:
    got, score = score_label(label)
    assert got == field and score >= DEFAULT_SETTINGS.headers.label_cutoff


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Dyddiad Cwblhau / Completed", "completion_date"),
        ("Completed / Dyddiad Cwblhau", "completion_date"),
        ("Dyddiad Cwblhau / Complete", "completion_date"),
    ],
)
def test_label_in_two_languages_whose_one_half_names_several_fields(label, field) -> None:
    # "Completed" names the completion date or the status; its Welsh half "Dyddiad
    # Cwblhau" (completion date) says which: one label twice, not two fields joined.
    got, score = score_label(label)
    assert got == field and score >= DEFAULT_SETTINGS.headers.label_cutoff


def test_two_known_labels_joined_by_a_slash_are_still_a_compound() -> None:
    assert score_label("Recommendation/Action")[0] == "action"
    assert score_label("Lead Officer/Agency")[0] == "lead_agency"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("What needs to happen", "action"),
        ("How will we know it's done", "success_measure"),
        ("How will progress be tracked", "monitoring"),
        ("What difference do we want to see", "desired_outcome"),
    ],
)
def test_labels_written_as_questions_read_by_their_cue_words(label: str, field: str) -> None:
    got, score = score_label(label)
    assert got == field
    assert DEFAULT_SETTINGS.headers.label_cutoff <= score < 100.0  # a reading, flagged


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Specific - what will be done?", "action"),
        ("Measurable - how will we know?", "success_measure"),
        ("Time-bound - by when?", "target_date"),
    ],
)
def test_a_question_after_a_word_that_names_it(label: str, field: str) -> None:
    """SMART templates head each column with the letter's word, then the question."""
    got, score = score_label(label)
    assert got == field
    assert DEFAULT_SETTINGS.headers.label_cutoff <= score < 100.0


def test_a_smart_header_maps_whole() -> None:
    columns = map_header(
        ["No.", "Specific - what will be done?", "Achievable - who will lead?", "Progress"]
    )
    assert [c.field for c in columns] == ["ref", "action", "lead_officer", "progress"]


@pytest.mark.parametrize("label", ["What", "What:", "WHAT:", "What?"])
def test_what_alone_is_the_action_of_the_question_templates(label: str) -> None:
    """Plans headed "What | Who | When | How will we know" (SMART-like templates) print the
    action under a bare "What": read by its cue (label_cues.csv), flagged as a reading;
    the longer questions keep their own readings."""
    got, score = score_label(label)
    assert got == "action"
    assert DEFAULT_SETTINGS.headers.label_cutoff <= score < 100.0
    assert score_label("What will be different")[0] == "desired_outcome"
    assert score_label("What has been done")[0] == "progress"


def test_a_what_who_when_header_maps_whole() -> None:
    columns = map_header(["No.:", "What:", "Who:", "When:", "How will we know:", "Status:"])
    assert [c.field for c in columns] == [
        "ref",
        "action",
        "lead_officer",
        "target_date",
        "success_measure",
        "status",
    ]


def test_who_label_is_the_lead_read_by_what_the_column_holds() -> None:
    columns = map_header(["Ref", "What needs to happen", "Who is responsible", "By when"])
    assert [c.field for c in columns] == ["ref", "action", "lead_officer", "target_date"]


def test_a_done_column_is_the_status() -> None:
    assert score_label("Done")[0] == "status" and score_label("Done?")[0] == "status"


@pytest.mark.parametrize(
    ("label", "field"),
    [("Intended action", "action"), ("Revised target date", "target_date"), ("R/A/G", "rag")],
)
def test_a_known_label_after_a_word_that_qualifies_it(label: str, field: str) -> None:
    assert score_label(label)[0] == field


def test_officer_alone_is_the_lead_officer() -> None:
    # "Responsibility" over "Agency | Officer": the sub-label alone names the field
    assert score_label("Officer") == ("lead_officer", 100.0)


def test_number_sign_labels_the_ref_column() -> None:
    assert score_label("#")[0] == "ref"
    assert score_label("Ref #")[0] == "ref"


def test_outcome_achieved_beside_a_progress_column_is_the_desired_outcome() -> None:
    columns = map_header(["Ref", "Action", "Key milestones", "Target date", "Outcome achieved"])
    assert [c.field for c in columns][2:] == ["progress", "target_date", "desired_outcome"]


def test_milestones_and_target_date_in_one_label_is_the_target_date() -> None:
    # "Key milestones / target date" holds the dates; a separate column holds progress
    assert score_label("Key milestones / target date")[0] == "target_date"


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Which agency will lead?", "lead_agency"),
        ("Named lead agency", "lead_agency"),
        ("Anticipated outcome", "desired_outcome"),
    ],
)
def test_more_question_and_qualified_labels(label: str, field: str) -> None:
    assert score_label(label)[0] == field


def test_an_end_date_beside_a_start_date_is_the_target() -> None:
    # a tracker's "Start Date | End Date": the end is the target, the start no field
    columns = map_header(["Ref", "Action", "Start Date", "End Date"])
    assert [c.field for c in columns] == ["ref", "action", None, "target_date"]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Agreed Actoin", "action"),  # a qualified label whose head noun is misspelt
        ("Actoin", "action"),
        ("Responisble Agency", "lead_agency"),
        ("Targte Date", "target_date"),
        ("Abbreviation", None),  # a glossary's labels stay no field
        ("Full name", None),
    ],
)
def test_a_misspelt_word_inside_a_label_is_mended(label: str, field: str | None) -> None:
    found, score = score_label(label)
    assert (found if score >= DEFAULT_SETTINGS.headers.label_cutoff else None) == field


def _swap_inside(word: str, at: int) -> str:
    """The word with two neighbouring letters swapped (a typo), first letter kept."""
    k = 1 + at % (len(word) - 2)
    return word[:k] + word[k + 1] + word[k] + word[k + 2 :]


@given(st.sampled_from(sorted(_LABELS)), st.integers(min_value=0, max_value=20))
def test_a_typo_in_a_qualified_label_keeps_its_field(label: str, at: int) -> None:
    # "Overall action", "Overall target date": a qualifier, then a known label; one typo in
    # the known label's longest word still names its field
    words = ["overall", *label.split()]
    longest = max(range(1, len(words)), key=lambda i: len(words[i]))
    words[longest] = _swap_inside(words[longest], at)
    found, score = score_label(" ".join(words))
    assert found == _LABELS[label] and score >= DEFAULT_SETTINGS.headers.label_cutoff


@pytest.mark.parametrize(
    "label, field",
    [
        ("Status (Complete / In progress / Not started)", "status"),
        ("Status (Complete, Ongoing, Not started)", "status"),
        ("Target date (dd/mm/yy)", "target_date"),
    ],
)
def test_label_before_a_list_of_its_values(label: str, field: str) -> None:
    # a template prints the values a column takes in brackets after its label: the label
    # is what stands before the list (it went to `extra`, status lost, in both formats)
    got, score = score_label(label)
    assert got == field and score >= DEFAULT_SETTINGS.headers.label_cutoff


@pytest.mark.parametrize(
    "label", ["Reccomendation No.", "Recomendation Number", "Recommendation No."]
)
def test_a_recommendation_number_label_misspelt_or_not_names_a_ref_or_a_recommendation(
    label: str,
) -> None:
    # "Recommendation No." is "Rec No." spelt out: the ref or the recommendation's number,
    # as the column's content and the other labels decide; a typo in it changes nothing.
    assert label_readings(label) == ("ref", "recommendation")
    columns = map_header([label, "Recommendation", "Action", "Status"])
    assert [c.field for c in columns] == ["ref", "recommendation", "action", "status"]


def test_a_label_naming_actions_done_or_planned_is_the_action_column_of_a_table_without_one() -> (
    None
):
    labels = ["Recommendation", "Organisation", "Action Taken / Planned", "Target Date", "Status"]
    assert [c.field for c in map_header(labels)] == [
        "recommendation",
        "lead_agency",
        "action",
        "target_date",
        "status",
    ]
    # beside an action column, an account of the actions taken is the progress
    with_action = ["Ref", "Action", "Actions taken", "Status"]
    assert [c.field for c in map_header(with_action)] == ["ref", "action", "progress", "status"]

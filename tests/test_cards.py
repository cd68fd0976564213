"""normalise.cards: a form whose cells each print their own label and value."""

from __future__ import annotations

from dhrplans.normalise.cards import card_form
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import cell, doc, row, table

KENT = "Kent Police"


def card(ref: str, lead: str, date: str, action: str, status: str, top: float) -> object:
    return table(
        [
            row(
                [
                    cell(0, f"Ref: {ref}", top=top),
                    cell(1, f"Lead: {lead}", top=top),
                    cell(2, f"Target date: {date}", top=top),
                ]
            ),
            row([cell(0, f"Action: {action}", colspan=3, top=top + 20)]),
            row([cell(0, f"Status: {status}", colspan=3, top=top + 40)]),
        ],
        n_cols=3,
        top=top,
        heading="Recommendation 1: The police should audit risk assessments.",
    )


def test_each_cell_label_and_value_reads_as_a_two_column_form() -> None:
    t = card_form(card("1.1", KENT, "Mar-22", "Audit files", "Complete", 100.0))
    assert t.n_cols == 2
    assert [[c.text for c in r.cells] for r in t.rows] == [
        ["Ref", "1.1"],
        ["Lead", KENT],
        ["Target date", "Mar-22"],
        ["Action", "Audit files"],
        ["Status", "Complete"],
    ]


def test_a_table_with_a_cell_that_is_no_label_is_left_as_it_is() -> None:
    plain = table([["Ref", "Action"], ["1.1", "Audit: files"]])
    assert card_form(plain) is plain


def test_card_forms_give_one_action_each() -> None:
    cards = [
        card("1.1", KENT, "Mar-22", "Audit files", "Complete", 100.0),
        card("1.2", "MARAC Chair", "Q2 2022/23", "Review the protocol", "Ongoing", 200.0),
    ]
    cards[1].heading = None
    result = normalise_document(doc(cards))
    actions = result.actions
    assert [a["ref"] for a in actions] == ["1.1", "1.2"]
    assert [a["action"] for a in actions] == ["Audit files", "Review the protocol"]
    assert [a["target_date_raw"] for a in actions] == ["Mar-22", "Q2 2022/23"]
    assert [a["status"] for a in actions] == ["completed", "in_progress"]
    assert result.words_accounted == result.words_in_tables

"""Record ids survive edits elsewhere in the plan (normalise/ids.py): a row or a table
inserted or removed earlier leaves every other record's id as it was."""

from __future__ import annotations

from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]
POLICE = "West Midlands Police"
COUNCIL = "Birmingham City Council"


def _police_rows(extra_first_row: bool = False) -> list:
    rows = [HEADER, "Recommendation 1: All staff to be trained in domestic abuse"]
    if extra_first_row:
        rows.append(["1.0", "Appoint a domestic abuse lead", "WMP", "Jan-14", "Complete"])
    rows += [
        ["1.1", "Deliver training", "WMP", "Mar-14", "Complete"],
        ["1.2", "Audit case files", "WMP", "30/04/2013", "Ongoing"],
        "Recommendation 2: Share information",
        ["2.1", "Write a protocol", "WMP", "Dec 2014", "Not started"],
        ["", "Review the protocol", "WMP", "", ""],
    ]
    return rows


def _ids(*tables) -> tuple[dict[str, str], dict[str, str]]:
    """action text -> action_id, rec_number -> rec_id of the police section."""
    out = normalise_document(doc(tables))
    actions = {a["action"]: a["action_id"] for a in out.actions}
    recs = {r["rec_number"]: r["rec_id"] for r in out.recommendations if r["section"] == POLICE}
    return actions, recs


def test_ids_survive_a_row_and_a_table_inserted_earlier():
    base_actions, base_recs = _ids(table(_police_rows(), heading=POLICE))
    council = table(
        [HEADER, ["1", "Publish a DA policy", "BCC", "Mar-15", "Complete"]], heading=COUNCIL
    )
    edited_actions, edited_recs = _ids(
        council, table(_police_rows(extra_first_row=True), heading=POLICE, page=2)
    )
    assert len(edited_actions) == len(base_actions) + 2
    for text, action_id in base_actions.items():
        assert edited_actions[text] == action_id, text
    assert edited_recs == base_recs


def test_ids_survive_a_row_removed_earlier():
    base_actions, _ = _ids(table(_police_rows(extra_first_row=True), heading=POLICE))
    fewer, _ = _ids(table(_police_rows(), heading=POLICE))
    assert "Appoint a domestic abuse lead" not in fewer
    assert all(fewer[text] == base_actions[text] for text in fewer)


def test_identical_rows_get_a_deterministic_disambiguator():
    rows = [
        HEADER,
        ["1", "Deliver training", "WMP", "", ""],
        ["1", "Deliver training", "WMP", "", ""],
    ]
    first = normalise_document(doc([table(rows, heading=POLICE)])).actions
    again = normalise_document(doc([table(rows, heading=POLICE)])).actions
    ids = [a["action_id"] for a in first]
    assert ids == [a["action_id"] for a in again]
    assert ids[1] == ids[0] + "#2"


def test_sections_with_the_same_heading_are_told_apart():
    rows = [HEADER, ["1", "Deliver training", "WMP", "", ""]]
    out = normalise_document(
        doc([table(rows, heading=POLICE), table(rows, heading=POLICE, page=3)])
    )
    ids = [a["action_id"] for a in out.actions]
    assert len(ids) == len(set(ids)) == 2

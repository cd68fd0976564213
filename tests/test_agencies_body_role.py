"""Lead cells printing "Body – Role" where the body is a local one the registry does not
know, partial initialisms of a body the plan names in full ("<initials> Constabulary"), and
a police and crime commissioner's office under the names such offices use. The names are
invented (places aside), not text of a test plan."""

from __future__ import annotations

import dataclasses

import pytest
from dhrplans.extract.model import RawRow
from dhrplans.normalise.agencies import AgencyRegistry
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import cell, doc, row, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date"]


def leads(cells: list[str], prose: list[str] = (), heading: str | None = None) -> list[dict]:
    rows = [[str(i), f"Action {i}", lead, "Mar-14"] for i, lead in enumerate(cells, 1)]
    raw = doc([table([HEADER, *rows], heading=heading)])
    raw = dataclasses.replace(raw, prose=list(prose))
    return normalise_document(raw).actions


@pytest.mark.parametrize(
    "role",
    ["Head of Services", "Policy Manager", "Partnerships Lead", "Outreach Coordinator"],
)
def test_a_local_body_beside_a_role_is_the_body(role: str) -> None:
    # the body is parted from the role by a dash and the right part reads as a role (a
    # role the vocabulary knows, or capitalised words ending in a job word), whether or not
    # the role is known word for word; a name ending "Services" is no longer taken whole
    (action,) = leads([f"Bramblegate Trust – {role}"])
    assert action["lead_agency"] == "Bramblegate Trust"
    (action,) = leads([f"Bramblegate Hollow – {role}"])
    assert action["lead_agency"] == "Bramblegate Hollow"


def test_a_local_body_and_role_under_its_own_heading_is_the_body() -> None:
    actions = leads(["Bramblegate Hollow – Head of Services"] * 2, heading="Bramblegate Hollow")
    assert [a["lead_agency"] for a in actions] == ["Bramblegate Hollow"] * 2


def test_reads_as_role() -> None:
    reg = AgencyRegistry.load()
    assert reg.reads_as_role("Policy Manager")
    assert reg.reads_as_role("Head of Services")
    assert reg.reads_as_role("Housing Solutions Lead")
    assert not reg.reads_as_role("Bramblegate Hollow")
    assert not reg.reads_as_role("Bramblegate Domestic Abuse Services")
    assert not reg.reads_as_role("policy manager to review the pathway and report back")


HIOW = "Hampshire and Isle of Wight Constabulary"


def test_a_partial_initialism_of_a_body_named_in_full() -> None:
    # "<initials of the name's leading words> <its type word>": the body the plan names
    # ("of" may give its letter or not)
    prose = [f"{HIOW} attended the panel."]
    for lead in ("HIOW Constabulary – Head of Crime", "HIW Constabulary"):
        (action,) = leads([lead], prose)
        assert action["lead_agency"] == HIOW
    (action,) = leads(["HIOWX Constabulary – Head of Crime"], prose)
    assert action["lead_agency"] != HIOW


def test_a_partial_initialism_needs_the_same_type_word_and_the_full_name() -> None:
    (action,) = leads(["HIOW Trust – Head of Crime"], [f"{HIOW} attended the panel."])
    assert action["lead_agency"] != HIOW
    (action,) = leads(["HIOW Constabulary – Head of Crime"])  # the plan never names it
    assert action["lead_agency"] != HIOW


@pytest.mark.parametrize(
    "cell",
    [
        "Derbyshire Commissioner's Office – Policy Lead",
        "Office of the Derbyshire Police and Crime Commissioner",
        "Derbyshire Commissioner's Office",
    ],
)
def test_a_commissioners_office_is_the_police_and_crime_commissioner(cell: str) -> None:
    (action,) = leads([cell])
    assert action["lead_agency"] == "Police and Crime Commissioner for Derbyshire"


def _shaded_sub_heading_plan(name: str, lead: str) -> list[dict]:
    # an unruled table (a grid inferred from text alignment): agency rows are a first cell
    # alone, shaded, as the plan's other agency rows are
    header = ["Ref", "Action", "Lead Officer", "Target Date"]

    def shaded(text: str, top: float) -> RawRow:
        c = dataclasses.replace(cell(0, text, top=top), fill=(0.56, 0.67, 0.86))
        return row([c])

    rows = [
        header,
        shaded("Kent Police", 160.0),
        ["1.1", "Review the referral pathway", "DI Public Protection – Kent Police", "Mar-24"],
        shaded(name, 280.0),
        ["2.1", "Train the outreach team", lead, "Jun-24"],
        ["2.2", "Audit the case files", lead, "Sep-24"],
    ]
    raw = doc([table(rows, engine="pdfplumber-text")])
    return normalise_document(raw).actions


def test_a_shaded_row_naming_the_body_the_leads_under_it_name_opens_a_section() -> None:
    actions = _shaded_sub_heading_plan("Brook Lane Hub", "Service Manager – Brook Lane Hub")
    assert [a["section"] for a in actions] == ["Kent Police", "Brook Lane Hub", "Brook Lane Hub"]
    assert [a["lead_agency"] for a in actions] == [
        "Kent Police",
        "Brook Lane Hub",
        "Brook Lane Hub",
    ]


def test_a_shaded_row_the_leads_under_it_do_not_name_opens_no_section() -> None:
    actions = _shaded_sub_heading_plan("Brook Lane Hub", "Service Manager – Kent Police")
    assert "Brook Lane Hub" not in [a["section"] for a in actions]


def test_an_officer_column_naming_each_body_beside_its_role_is_the_lead_beside_an_agency_column():
    # an "Agency" column on every row is the section; the column printing "<body> – <role>"
    # is the lead agency as printed, not the officer (FORMAT.md: the agency column's text is
    # the heading)
    header = ["Agency", "Ref", "Action", "Lead (Agency – Officer)", "Target Date"]
    rows = [
        ["Kent Police", "1.1", "Review the pathway", "Kent Police – DI Safeguarding", "Mar-24"],
        [
            "Bramblegate Hollow",
            "1.2",
            "Train staff",
            "Bramblegate Hollow – Service Manager",
            "Jun-24",
        ],
        [
            "Bramblegate Hollow",
            "2.1",
            "Audit files",
            "Bramblegate Hollow – Service Manager",
            "Sep-24",
        ],
    ]
    actions = normalise_document(doc([table([header, *rows])])).actions
    assert [a["lead_agency_raw"] for a in actions] == [r[3] for r in rows]
    assert [a["lead_agency"] for a in actions] == [
        "Kent Police",
        "Bramblegate Hollow",
        "Bramblegate Hollow",
    ]
    assert [a["section"] for a in actions] == [r[0] for r in rows]


def test_an_officer_column_naming_each_person_beside_their_role_stays_the_officer() -> None:
    # "<name> – <role>": the part before the dash is a person, no body (not in the
    # registry, of no body's form, not printed in the Agency column): the officer column
    # stays the officer's and the Agency column the lead
    header = ["Agency", "Ref", "Action", "Lead (Name – Role)", "Target Date"]
    rows = [
        ["Kent Police", "1.1", "Review the pathway", "Jane Smith – Safeguarding Lead", "Mar-24"],
        ["Kent Police", "1.2", "Train staff", "Amir Khan – Service Manager", "Jun-24"],
    ]
    actions = normalise_document(doc([table([header, *rows])])).actions
    assert [a["lead_agency"] for a in actions] == ["Kent Police", "Kent Police"]
    assert [a["lead_officer"] for a in actions] == [r[3] for r in rows]

"""Agency names in plans from unseen templates (third round): acronyms a plan defines with
a digit ("B4F") or for a name of no organisation word ("Families in Crisis"), a glossary
run on in a paragraph ("ABC – ...; DEF – ..."), and a section heading naming a local
organisation no type pattern knows. The names are invented, not text of a test plan."""

from __future__ import annotations

import dataclasses

import pytest
from dhrplans.normalise.agencies import AgencyRegistry, _defined_acronyms
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date"]


def leads(cells: list[str], prose: list[str], heading: str | None = None) -> list[dict]:
    rows = [[str(i), f"Action {i}", lead, "Mar-14"] for i, lead in enumerate(cells, 1)]
    raw = doc([table([HEADER, *rows], heading=heading)])
    raw = dataclasses.replace(raw, prose=prose)
    return normalise_document(raw).actions


def test_a_digit_between_letters_is_part_of_a_defined_acronym() -> None:
    text = "The agencies were Brookvale 4 Families Housing (B4FH) and the police."
    assert list(_defined_acronyms(text)) == [("Brookvale 4 Families Housing", "B4FH")]
    text = "Agencies: Hillcrest to Harbour Homes (H2H)."
    assert list(_defined_acronyms(text)) == [("Hillcrest to Harbour Homes", "H2H")]


@pytest.mark.parametrize(
    "prose",
    [
        ["The agencies were Larkfield Families in Crisis (LFIC) and Kent Police."],
        ["Abbreviations used: KP – Kent Police; LFIC – Larkfield Families in Crisis."],
        ["Abbreviations used: LFIC – Larkfield Families in Crisis; KP – Kent Police."],
    ],
)
def test_an_acronym_defined_for_a_name_of_no_organisation_word_printed_as_a_lead(
    prose: list[str],
) -> None:
    # a lead cell names the body that leads: the plan's definition of its acronym is an
    # organisation's name, as printed (FORMAT.md), wherever the definition is printed
    got = leads(["LFIC", "Larkfield Families in Crisis", "Kent Police"], prose)
    assert [a["lead_agency"] for a in got] == [
        "Larkfield Families in Crisis",
        "Larkfield Families in Crisis",
        "Kent Police",
    ]


def test_an_acronym_with_a_digit_defined_and_printed_as_a_lead() -> None:
    prose = ["The agencies were Kent Police and Hillcrest to Harbour Housing (H2H)."]
    got = leads(["H2H", "H2H - Tenancy Officer"], prose)
    assert [a["lead_agency"] for a in got] == ["Hillcrest to Harbour Housing"] * 2


def test_a_defined_process_is_not_an_organisation_unless_it_leads() -> None:
    prose = ["Cases go to the Team Around the Family (TAF) and then to Kent Police."]
    reg = AgencyRegistry.load().for_document(prose)
    assert reg.match("TAF").agency is None
    assert reg.defined_name("TAF") == "Team Around the Family"


@pytest.mark.parametrize(
    "heading, prose, body",
    [
        ("Kestrel Row Family Project – Action Plan", [], "Kestrel Row Family Project"),
        ("Kestrel Row Family Project", [], "Kestrel Row Family Project"),
        ("Aldwick DVS – Action Plan", [], "Aldwick DVS"),
        (
            "Hillcrest to Harbour Housing – Action Plan",
            ["Agencies: Hillcrest to Harbour Housing (H2H) and Kent Police."],
            "Hillcrest to Harbour Housing",
        ),
        (
            "H2H – Action Plan",
            ["Agencies: Hillcrest to Harbour Housing (H2H) and Kent Police."],
            "Hillcrest to Harbour Housing",
        ),
    ],
)
def test_a_heading_naming_a_local_organisation_is_the_section_agency(
    heading: str, prose: list[str], body: str
) -> None:
    got = leads(["Safeguarding Lead", "Chief Executive"], prose, heading)
    assert [a["section_agency"] for a in got] == [body, body]
    assert [a["lead_agency"] for a in got] == [body, body]
    assert {a["lead_agency_source"] for a in got} == {"section"}


@pytest.mark.parametrize("heading", ["Single Agency – Action Plan", "Recommendations Tracker"])
def test_a_heading_of_no_organisation_sets_no_agency(heading: str) -> None:
    got = leads(["Safeguarding Lead"], [], heading)
    assert got[0]["lead_agency"] is None


def test_a_definition_printed_inside_a_lead_cell_names_no_lead() -> None:
    # the acronym of a process defined in the cell's own text ("... (YRV)") is no lead
    cell = "Hub Strategic Lead to be monitored as part of the Yearly Review Visit (YRV)"
    got = leads([cell, "Hub Strategic Lead, via the Yearly Review Visit"], [cell], "Kent Police")
    assert [a["lead_agency"] for a in got] == ["Kent Police", "Kent Police"]

"""Agency names as plans print them (issue 10, outside tester 22's kinds): trusts under the
name of a trust since merged away, a council's department in one part of a cell, a local
body after an officer's name and role, a kind of body standing for the plan's own ("Police",
"CSP Board"), a place-named service a plan defines, CCGs by their ICB's short area. The
examples are other bodies of the same kinds, except two registry facts the issue names: the
trust missing from etr.csv (trust_successors.csv's one named row) and "Royal Devon and
Exeter", once wrongly read as the Devon ICB."""

from __future__ import annotations

import pytest
from dhrplans.normalise.agencies import AgencyRegistry
from dhrplans.normalise.plan import _name_before_role, normalise_document
from unit_fixtures.build import doc, table


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.load()


@pytest.mark.parametrize(
    "printed, canonical",
    [
        # dissolved into one successor trust (trust_successors.csv)
        ("Poole Hospital NHS Foundation Trust", "University Hospitals Dorset NHS Foundation Trust"),
        ("Ipswich Hospital NHS Trust", "East Suffolk and North Essex NHS Foundation Trust"),
        # a chain: Trafford Healthcare -> Central Manchester -> Manchester University
        ("Trafford Healthcare NHS Trust", "Manchester University NHS Foundation Trust"),
        (
            "Named Nurse (Burton Hospitals NHS FT)",
            "University Hospitals of Derby and Burton NHS Foundation Trust",
        ),
        # a trust missing from etr.csv, named in trust_successors.csv
        (
            "A. Smith, Safeguarding Lead, Manchester Mental Health and Social Care Trust",
            "Greater Manchester Mental Health NHS Foundation Trust",
        ),
        # renamed under the same ODS code; "Devon" in the name is no ICB
        ("Royal Devon and Exeter NHS FT", "Royal Devon University Healthcare NHS Foundation Trust"),
        (
            "Southend University Hospital NHS Foundation Trust",
            "Mid and South Essex NHS Foundation Trust",
        ),
        # a trust's name without its trailing status word
        ("Portsmouth Hospitals", "Portsmouth Hospitals University NHS Trust"),
        # the first place of a two-place area
        ("Brighton CSP", "Brighton and Hove Community Safety Partnership"),
        # a CCG printed by its ICB's short area, or by its compass initials, stays the CCG
        (
            "BLMK CCG",
            "NHS Bedfordshire, Luton and Milton Keynes Clinical Commissioning Group",
        ),
        (
            "Designated Nurse (BNSSG CCG)",
            "NHS Bristol, North Somerset and South Gloucestershire Clinical Commissioning Group",
        ),
        ("NE Lincs CCG", "NHS North East Lincolnshire Clinical Commissioning Group"),
    ],
)
def test_registry_names(reg: AgencyRegistry, printed: str, canonical: str) -> None:
    assert reg.match(printed).name == canonical


@pytest.mark.parametrize(
    "printed, council",
    [
        ("Team Manager (Leeds Children's Services)", "Leeds City Council"),
        ("Kent Adult Social Care - Head of Service", "Kent County Council"),
        ("Area Director, Surrey Children's Services", "Surrey County Council"),
        ("J. Smith, Strategic Lead, Sheffield Adult Social Care", "Sheffield City Council"),
        ("Surrey Adults' Health and Care", "Surrey County Council"),
        ("Public Health Norfolk", "Norfolk County Council"),
    ],
)
def test_council_department_in_a_part(reg: AgencyRegistry, printed: str, council: str) -> None:
    found = reg.match(printed)
    assert (found.name, found.method) == (council, "department")


def test_department_needs_one_council(reg: AgencyRegistry) -> None:
    # a department after a place no council has is no council's
    assert reg.match("Public Health England").name != "Devon County Council"
    assert reg.match("Head of Service (Wessex Children's Services)").agency is None


@pytest.mark.parametrize(
    "printed, body",
    [
        ("A. Jones, Service Manager, Elmfield Housing Association", "Elmfield Housing Association"),
        ("Practice Manager (Elmfield Medical Centre)", "Elmfield Medical Centre"),
        ("Elmfield Medical Centre (GP practice)", "Elmfield Medical Centre"),
        ("Rosewood Project - Regional Manager", "Rosewood Project"),
    ],
)
def test_local_body_beside_name_and_role(reg: AgencyRegistry, printed: str, body: str) -> None:
    assert _name_before_role(printed, reg) == body


def test_kind_of_body_is_the_plans_own(reg: AgencyRegistry) -> None:
    d = reg.for_document(["Merseyside Police", "Liverpool City Council", "Liverpool CSP"])
    first = d.match("Police / Adult Social Care")
    assert (first.name, first.method) == ("Merseyside Police", "area")
    assert d.match("CSP Board").name == "Liverpool Community Safety Partnership"
    # two forces named: "Police" names neither
    two = reg.for_document(["Merseyside Police", "Cheshire Constabulary"])
    assert two.match("Police").agency is None
    # the registry alone knows no plan: no guess
    assert reg.match("Police").agency is None


def test_one_vocabulary_of_kinds_for_leads_and_sub_headings(reg: AgencyRegistry) -> None:
    # every kind of body (schemas/agency_kinds.csv) printed alone as a lead names the
    # plan's one body of that kind, as a sub-heading row does: one list, one resolver
    d = reg.for_document(["Kent County Council", "Kent Police"])
    assert (d.match("Fire and Rescue").name, d.match("Fire and Rescue").method) == (
        "Kent Fire and Rescue Service",
        "area",
    )
    assert d.match("Constabulary").name == "Kent Police"
    assert d.body_of_kind("police") == d.match("Police").agency
    # a body printed only by its acronym counts as printed ("TVP")
    tvp = reg.for_document(["TVP", "Reading Borough Council"])
    assert tvp.body_of_kind("police").name == "Thames Valley Police"


def test_department_lead_in_a_table_no_agency_owns(reg: AgencyRegistry) -> None:
    # "Adult Social Care" is also a team (agency_roles.csv), read as the section's agency
    # where a table has one; where none does, the department names the plan's one council
    d = reg.for_document(["Leeds City Council", "West Yorkshire Police"])
    assert d.match("Adult Social Care").name == "Leeds City Council"
    two = reg.for_document(["Leeds City Council", "Wakefield Council"])
    assert two.match("Adult Social Care").agency is None


def test_defined_place_named_service(reg: AgencyRegistry) -> None:
    d = reg.for_document(["Sheffield Domestic Abuse Service (SDAS) will review"])
    assert d.match("SDAS").name == "Sheffield Domestic Abuse Service"
    kept = d.match("Sheffield Domestic Abuse Service (SDAS)")
    assert kept.name == "Sheffield Domestic Abuse Service"
    # a team or process without a place of its own stays no body
    assert reg.for_document(["Youth Offending Service (YOS)"]).match("YOS").agency is None


def test_acronym_of_a_local_name_in_the_lead_cells() -> None:
    header = ["Ref", "Action", "Lead Agency", "Target Date"]
    leads = ["Bristol Domestic Violence Service", "BDVS"]
    rows = [[str(i), f"Action {i}", lead, "Mar-24"] for i, lead in enumerate(leads, 1)]
    actions = normalise_document(doc([table([header, *rows], heading="Action plan")])).actions
    assert [a["lead_agency"] for a in actions] == ["Bristol Domestic Violence Service"] * 2


@pytest.mark.parametrize("printed", ["Nottingham City Homes", "Leeds City Homes"])
def test_a_cell_ending_in_its_own_head_noun_is_another_body(
    reg: AgencyRegistry, printed: str
) -> None:
    # a housing company named after its city is not the city's health body whose alias
    # holds the same place words ("NHS <place> City"): a confident wrong value before
    assert reg.match(printed).agency is None or "Homes" in reg.match(printed).name

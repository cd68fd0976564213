"""Agency names in plans from unseen templates (issue 10, second round): an agency table's
heading that goes on after the body's name ("<body> Action Plan"), housing bodies' own name
forms, job titles never taken as a body, an acronym a plan uses for a body it names in full,
"&" in short forms, councils renamed on city status, community safety partnerships' own
names. The names are invented or other bodies' names, not text of a test plan."""

from __future__ import annotations

import pytest
from dhrplans.normalise.agencies import AgencyRegistry
from test_agencies_unseen import leads


@pytest.mark.parametrize(
    "heading, body",
    [
        ("Elmbridge Lane Medical Centre Action Plan", "Elmbridge Lane Medical Centre"),
        ("Oakfield Domestic Abuse Service Action Plan", "Oakfield Domestic Abuse Service"),
        ("Thorpe Health Centre actions", "Thorpe Health Centre"),
        ("Bryn Teg Housing", "Bryn Teg Housing"),
        ("Millbrook Homes Group", "Millbrook Homes Group"),
    ],
)
def test_role_lead_under_a_heading_naming_a_local_body(heading: str, body: str) -> None:
    got = leads(heading, ["Practice Manager", "Safeguarding Lead"])
    assert [a["lead_agency"] for a in got] == [body, body]
    assert {a["lead_agency_source"] for a in got} == {"section"}


@pytest.mark.parametrize("heading", ["Strategic Housing", "Private Sector Housing"])
def test_a_kind_of_housing_is_no_body(heading: str) -> None:
    got = leads(heading, ["Practice Manager"])
    assert got[0]["lead_agency"] is None


@pytest.mark.parametrize(
    "role", ["Designated Nurse Safeguarding Adults", "Named GP", "Head of Safeguarding Children"]
)
def test_a_job_title_is_never_the_lead_agency(role: str) -> None:
    # the heading names no body: whose role it is is unknown, and said so
    got = leads("Action points agreed by the panel", [role])
    assert got[0]["lead_agency"] is None
    assert any("role" in w for w in got[0]["warnings"])


@pytest.mark.parametrize(
    "printed, body",
    [
        ("Practice Manager, Elmfield Medical Centre", "Elmfield Medical Centre"),
        ("Service Manager - Next Chapter", "Next Chapter"),
    ],
)
def test_a_role_beside_a_local_body_still_names_the_body(printed: str, body: str) -> None:
    got = leads("Action points agreed by the panel", [printed])
    assert got[0]["lead_agency"] == body


def test_acronym_of_a_body_the_plan_names_before_the_registrys_reading() -> None:
    # the registry reads "MFT" as one region's trust; a plan naming another trust whose
    # initials (University and NHS left out) give MFT means its own
    reg = AgencyRegistry.load()
    assert reg.match("MFT").agency.name != "Manchester University NHS Foundation Trust"
    texts = ["Manchester University NHS Foundation Trust actions", "MFT Safeguarding Team"]
    plan = reg.for_document(texts)
    got = plan.match("MFT Safeguarding Team")
    assert got.agency.name == "Manchester University NHS Foundation Trust"
    assert got.source == "acronym_in_plan"


def test_acronym_two_named_bodies_fit_names_neither() -> None:
    reg = AgencyRegistry.load()
    texts = [
        "Manchester University NHS Foundation Trust actions",
        "Mersey Care NHS Foundation Trust actions",
        "MFT to review the policy",
    ]
    assert reg.for_document(texts).match("MFT").agency is None


@pytest.mark.parametrize("printed", ["L&SC ICB", "Head of Safeguarding, L&SC ICB"])
def test_ampersand_between_initials_joins_one_acronym(printed: str) -> None:
    got = AgencyRegistry.load().match(printed).agency
    assert got.name == "NHS Lancashire and South Cumbria Integrated Care Board"


@pytest.mark.parametrize(
    "printed, body",
    [
        # city status: the council's current name, its city name (city_status.csv), is
        # canonical; "<place> City Council" and its former name are aliases
        ("Southend City Council", "Southend-on-Sea City Council"),
        ("Southend-on-Sea Borough Council", "Southend-on-Sea City Council"),
        ("Colchester Borough Council", "Colchester City Council"),
        ("Milton Keynes Council", "Milton Keynes City Council"),
        ("City of Doncaster Council", "City of Doncaster Council"),
        # a community safety partnership under the "Safer <area> Partnership" form
        ("Safer Swansea Partnership", "Swansea Community Safety Partnership"),
        ("Safer Wirral Partnership", "Wirral Community Safety Partnership"),
    ],
)
def test_registry_knows_renamed_councils_and_partnerships_own_names(
    printed: str, body: str
) -> None:
    got = AgencyRegistry.load().match(printed)
    assert got.agency is not None and got.agency.name == body
    assert got.method in ("exact", "alias")


def test_a_council_renamed_on_city_status_is_known_by_its_city_initials() -> None:
    got = AgencyRegistry.load().match("MKCC").agency
    assert got is not None and got.name == "Milton Keynes City Council"

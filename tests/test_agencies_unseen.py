"""Agency names in plans from unseen templates (issue 10): a role-only lead under a
heading that names a local body no registry holds, an acronym a plan defines for an old
body now known by its successor's name, and an acronym built from the parts of a word
("Healthcare": H, C). The names are invented or other bodies' names, not text of a test
plan."""

from __future__ import annotations

import pytest
from dhrplans.normalise.agencies import AgencyRegistry, _defined_acronyms
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, table

HEADER = ["Ref", "Action", "Lead Officer", "Target Date"]


def leads(heading: str, cells: list[str]) -> list[dict]:
    rows = [[str(i), f"Action {i}", lead, "Mar-14"] for i, lead in enumerate(cells, 1)]
    return normalise_document(doc([table([HEADER, *rows], heading=heading)])).actions


@pytest.mark.parametrize(
    "heading, body",
    [
        ("Oakfield Primary Care Trust", "Oakfield Primary Care Trust"),
        (
            "South Borsetshire Strategic Health Authority",
            "South Borsetshire Strategic Health Authority",
        ),
        ("3. Thorpe Domestic Abuse Support Unit (TDASU)", "Thorpe Domestic Abuse Support Unit"),
    ],
)
def test_role_only_lead_is_the_local_body_the_heading_names(heading: str, body: str) -> None:
    got = leads(heading, ["Head of Safeguarding", "Practice Manager"])
    assert [a["lead_agency"] for a in got] == [body, body]
    assert {a["lead_agency_source"] for a in got} == {"section"}


def test_a_role_never_becomes_an_agency_name() -> None:
    # the heading names no body at all: whose role it is is unknown, and said so
    got = leads("Action points agreed by the panel", ["Head of Safeguarding"])
    assert got[0]["lead_agency"] is None
    assert any("role" in w for w in got[0]["warnings"])


def test_acronym_of_an_old_area_body_means_its_successor() -> None:
    # "<area> Probation Trust" printed in full is the Probation Service; its acronym too
    reg = AgencyRegistry.load()
    assert reg.match("Cheshire Probation Trust").agency.name == "Probation Service"
    plan = reg.for_document(["Cheshire Probation Trust (CPT) will lead on these actions."])
    assert plan.match("CPT").agency.name == "Probation Service"


def test_acronym_from_the_parts_of_a_compound_word() -> None:
    text = "Actions for Leeds Community Healthcare NHS Trust (LCHCT) and others."
    assert ("Leeds Community Healthcare NHS Trust", "LCHCT") in list(_defined_acronyms(text))
    plan = AgencyRegistry.load().for_document([text])
    assert plan.match("LCHCT").agency.name == "Leeds Community Healthcare NHS Trust"


def test_letters_the_name_does_not_hold_define_nothing() -> None:
    text = "Actions for Leeds Community Healthcare NHS Trust (LXT)."
    assert list(_defined_acronyms(text)) == []

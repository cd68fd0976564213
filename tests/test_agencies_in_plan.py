"""Names learnt from the plan itself (issue 11, item 2), end to end through
normalise_document on a small hand-made plan: a role then an agency, a department of a
body, an acronym the plan defines, an initialism of a body the plan names, a short form of
a local name. The names are the issue's kinds of example, not text of a test plan."""

from __future__ import annotations

import pytest
from dhrplans.normalise.plan import normalise_document
from unit_fixtures.build import doc, table

HEADER = ["Ref", "Action", "Lead Agency", "Target Date"]
HEADING = "Hertfordshire Community Safety Partnership (HCSP)"
LEADS = [
    # printed lead cell, canonical lead_agency, lead_agency_source
    (
        "Sheffield Health and Social Care NHS Foundation Trust (SHSC)",
        "Sheffield Health and Social Care NHS Foundation Trust",
        "cell",
    ),
    ("Head of Safeguarding, SHSC", "Sheffield Health and Social Care NHS Foundation Trust", None),
    ("Service Manager, Cranstoun", "Cranstoun", "cell"),
    ("MARAC Coordinator (Wiltshire Council)", "Wiltshire Council", "cell"),
    ("Warwickshire County Council", "Warwickshire County Council", "cell"),
    ("WCC Adult Social Care", "Warwickshire County Council", "acronym_in_plan"),
    ("Swindon Borough Council (Housing)", "Swindon Borough Council", "cell"),
    ("Gwent Police – Public Protection Unit", "Gwent Police", "cell"),
    ("HCSP", "Hertfordshire Community Safety Partnership", "acronym_in_plan"),
    (
        "University Hospitals Coventry and Warwickshire NHS Trust",
        "University Hospitals Coventry and Warwickshire NHS Trust",
        "cell",
    ),
    ("UHCW", "University Hospitals Coventry and Warwickshire NHS Trust", None),
    # a local organisation the registry does not know: its fullest form in the plan
    ("Pathway Domestic Abuse Services", "Pathway Domestic Abuse Services", "acronym_in_plan"),
    ("Pathway", "Pathway Domestic Abuse Services", "acronym_in_plan"),
]


def plan(leads: list[str]):
    rows = [[str(i), f"Action {i}", lead, "Mar-24"] for i, lead in enumerate(leads, 1)]
    return normalise_document(doc([table([HEADER, *rows], heading=HEADING)]))


@pytest.fixture(scope="module")
def actions() -> list[dict]:
    return plan([lead for lead, _, _ in LEADS]).actions


def test_local_name_is_listed_as_not_in_the_registry() -> None:
    assert plan([lead for lead, _, _ in LEADS]).unmatched_agencies == [
        "Pathway Domestic Abuse Services"
    ]


@pytest.mark.parametrize(("i", "lead"), list(enumerate(LEADS)), ids=[x[0] for x in LEADS])
def test_plan_names_resolve(actions: list[dict], i: int, lead: tuple) -> None:
    printed, canonical, source = lead
    action = actions[i]
    assert action["lead_agency_raw"] == printed
    assert action["lead_agency"] == canonical
    if source is not None:  # an acronym the registry also knows may be either source
        assert action["lead_agency_source"] == source
    else:
        assert action["lead_agency_source"] in ("alias", "acronym_in_plan")


def test_short_form_needs_one_local_name() -> None:
    """A short form two local names share names neither; a long name is no short form."""
    leads = [
        "Pathway Domestic Abuse Services",
        "Pathway Recovery Project",
        "Pathway",
        "Blue Door Outreach Service",
        "Door",
    ]
    got = plan(leads).actions
    assert got[2]["lead_agency"] != "Pathway Domestic Abuse Services"
    assert got[2]["lead_agency"] != "Pathway Recovery Project"
    assert got[4]["lead_agency"] != "Blue Door Outreach Service"  # not a leading/last word
    assert got[3]["lead_agency"] == "Blue Door Outreach Service"


def test_prose_and_roles_are_no_local_names() -> None:
    leads = ["Safeguarding Lead", "Review the domestic abuse services", "Pathway"]
    got = plan(leads).actions
    assert got[0]["lead_agency"] == "Hertfordshire Community Safety Partnership"  # a role
    assert got[2]["lead_agency_source"] != "acronym_in_plan"  # no local name to shorten


def test_role_before_a_local_organisation_is_dropped() -> None:
    """ "Role, Body" as well as "Body - Role": a body the registry does not know keeps its
    name alone, under a heading naming no registry body."""
    rows = [
        ["1", "Action 1", "Operations Manager, Harbour Lights Domestic Abuse Service", "Mar-24"],
        ["2", "Action 2", "Practice Manager, Elmfield Medical Centre", "Mar-24"],
    ]
    got = normalise_document(doc([table([HEADER, *rows], heading="Local partners")])).actions
    assert [a["lead_agency"] for a in got] == [
        "Harbour Lights Domestic Abuse Service",
        "Elmfield Medical Centre",
    ]


def test_short_lead_names_the_local_body_printed_in_full_in_a_banner() -> None:
    rows = [
        "Recommendation 1 - Meadowbank Housing Association should review its tenancy checks",
        ["1.1", "Review the checks", "Meadowbank", "Mar-24"],
    ]
    got = normalise_document(doc([table([HEADER, *rows], heading="Local partners")])).actions
    assert got[0]["lead_agency_raw"] == "Meadowbank"
    assert got[0]["lead_agency"] == "Meadowbank Housing Association"


def test_agency_column_beside_a_who_is_leading_column() -> None:
    """An Agency column (each row's section) and a "Who is leading" column naming
    agencies: the second is the lead, the first the section alone."""
    header = ["Agency", "Ref", "What we will do", "Who is leading", "By when"]
    rows = [
        ["Kent Police", "1.1", "Train officers", "Kent Police", "Mar-24"],
        [
            "KCC",
            "2.1",
            "Audit referrals",
            "Kent and Medway NHS and Social Care Partnership Trust",
            "Mar-24",
        ],
        ["Kent County Council", "3.1", "Review the front door", "Kent County Council", "Mar-24"],
    ]
    got = normalise_document(doc([table([header, *rows])])).actions
    assert [a["section"] for a in got] == ["Kent Police", "KCC", "Kent County Council"]
    assert got[1]["lead_agency_raw"] == "Kent and Medway NHS and Social Care Partnership Trust"
    assert got[1]["lead_officer"] is None


@pytest.mark.parametrize(
    "printed, body",
    [
        ("Larkfield Housing Group \u2013 Head of Housing Management", "Larkfield Housing Group"),
        ("Safeguarding Lead, Millbrook Homes", "Millbrook Homes"),
    ],
)
def test_local_body_beside_a_role_in_another_bodys_table(printed: str, body: str) -> None:
    # a table owned by one body (its heading) whose lead cell prints another, local body
    # beside its officer's role: the lead is that body, not the table's owner
    header = ["Ref", "Action", "Lead", "Target Date"]
    rows = [header, ["1.1", "Review the policy", printed, "Mar-24"]]
    plan = normalise_document(doc([table(rows, heading="Welsh Ambulance Services NHS Trust")]))
    (action,) = plan.actions
    assert action["lead_agency"] == body
    assert action["lead_agency_type"] == "housing_provider"


def test_short_lead_names_the_local_body_printed_with_of_its_place() -> None:
    """A local body named after the place it serves ("<Name> Homes of <town>"), printed in
    full in its heading and recommendation, by its first words in the lead cell: its
    fullest form (FORMAT.md). "of" and a word that is no place is no part of a name."""
    rows = [
        "Recommendation 1 - Fernhill Homes of Sheffield should review its tenancy checks",
        ["1.1", "Review the checks", "Fernhill Homes", "Mar-24"],
        "Recommendation 2 - Oakleigh Homes of Excellence should train its staff",
        ["2.1", "Train the staff", "Oakleigh Homes", "Mar-24"],
    ]
    heading = "Single agency recommendations - Fernhill Homes of Sheffield"
    got = normalise_document(doc([table([HEADER, *rows], heading=heading)])).actions
    assert got[0]["lead_agency_raw"] == "Fernhill Homes"
    assert got[0]["lead_agency"] == "Fernhill Homes of Sheffield"
    assert got[1]["lead_agency"] == "Oakleigh Homes"


def test_lead_cell_defining_a_local_body_is_its_name_without_the_acronym() -> None:
    """A lead cell "<Name> (<its initials>)" naming a body the registry does not know: the
    name, its acronym a definition and not part of it (FORMAT.md); the acronym alone in
    another lead cell is the same body."""
    rows = [
        "Recommendation 1 - Housing providers should review their tenancy checks",
        ["1.1", "Review the checks", "Brookvale Community Homes (BCH)", "Mar-24"],
        ["1.2", "Audit the files", "BCH", "Jun-24"],
    ]
    got = normalise_document(doc([table([HEADER, *rows], heading="Local partners")])).actions
    assert got[0]["lead_agency_raw"] == "Brookvale Community Homes (BCH)"
    assert [a["lead_agency"] for a in got] == ["Brookvale Community Homes"] * 2


def test_short_lead_names_the_local_body_of_a_glossary_line_read_as_prose() -> None:
    # An unruled glossary's line "Meadowbank | Meadowbank Housing Association" is read
    # into the plan's prose as one run of words, its short name printed twice over: the
    # full name is still the one the plan prints, not one opening with the word twice.
    from dataclasses import replace

    rows = [["1.1", "Review the checks", "Meadowbank", "Mar-24"]]
    raw = doc([table([HEADER, *rows], heading="Local partners")])
    raw = replace(
        raw,
        prose=[
            "Glossary Acronym Meaning MARAC Multi-Agency Risk Assessment Conference "
            "Meadowbank Meadowbank Housing Association 5. Conclusions"
        ],
    )
    got = normalise_document(raw).actions
    assert got[0]["lead_agency"] == "Meadowbank Housing Association"

"""Agency registry and matcher: vocabulary coverage, matching rules, gold plan, properties."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from dhrplans.normalise.agencies import (
    METHODS,
    Agency,
    AgencyMatch,
    AgencyRegistry,
    clean_text,
    initialisms,
    spells,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from dhrplans import schemas

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "gold" / "bdhr-2012-13-04.json"
SHARED_VOCAB = Path("/work/shared/vocab/agencies.csv")
ROLES_CSV = Path(schemas.AGENCIES_CSV).with_name("agency_roles.csv")
PAIRS_CSV = ROOT / "tests" / "agency_pairs.csv"

BCC = "Birmingham City Council"
WMP = "West Midlands Police"
BCSP = "Birmingham Community Safety Partnership"
BSWA = "Birmingham and Solihull Women's Aid"
BSC_CCG = "Birmingham South Central Clinical Commissioning Group"

#: The 43 territorial police forces of England and Wales.
TERRITORIAL_FORCES = [
    "Avon and Somerset Constabulary",
    "Bedfordshire Police",
    "Cambridgeshire Constabulary",
    "Cheshire Constabulary",
    "City of London Police",
    "Cleveland Police",
    "Cumbria Constabulary",
    "Derbyshire Constabulary",
    "Devon and Cornwall Police",
    "Dorset Police",
    "Durham Constabulary",
    "Dyfed-Powys Police",
    "Essex Police",
    "Gloucestershire Constabulary",
    "Greater Manchester Police",
    "Gwent Police",
    "Hampshire and Isle of Wight Constabulary",
    "Hertfordshire Constabulary",
    "Humberside Police",
    "Kent Police",
    "Lancashire Constabulary",
    "Leicestershire Police",
    "Lincolnshire Police",
    "Merseyside Police",
    "Metropolitan Police Service",
    "Norfolk Constabulary",
    "North Wales Police",
    "North Yorkshire Police",
    "Northamptonshire Police",
    "Northumbria Police",
    "Nottinghamshire Police",
    "South Wales Police",
    "South Yorkshire Police",
    "Staffordshire Police",
    "Suffolk Constabulary",
    "Surrey Police",
    "Sussex Police",
    "Thames Valley Police",
    "Warwickshire Police",
    "West Mercia Police",
    "West Midlands Police",
    "West Yorkshire Police",
    "Wiltshire Police",
]


@pytest.fixture(scope="module")
def reg() -> AgencyRegistry:
    return AgencyRegistry.load()


def _vocab_path() -> Path:
    """The shared vocabulary, else the registry itself (a checkout without /work/shared)."""
    return SHARED_VOCAB if SHARED_VOCAB.exists() else Path(schemas.AGENCIES_CSV)


# --------------------------------------------------------------------------- registry data
def test_registry_contains_every_vocab_row_with_its_type(reg: AgencyRegistry) -> None:
    with open(_vocab_path(), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows
    for row in rows:
        agency = reg.get(row["canonical"])
        assert agency is not None, row["canonical"]
        assert agency.name == row["canonical"]
        assert agency.type == row["type"], row["canonical"]
        for alias in filter(None, row["aliases"].split("|")):
            assert reg.match(alias).name == row["canonical"], alias


def test_registry_csv_shape() -> None:
    with open(schemas.AGENCIES_CSV, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["canonical", "type", "aliases"]
        rows = list(reader)
    names = [r["canonical"] for r in rows]
    assert len(names) == len(set(names)), "duplicate canonical names"
    assert all(r["type"] and r["type"] == r["type"].strip() for r in rows)


def test_all_43_territorial_forces_plus_btp(reg: AgencyRegistry) -> None:
    assert len(TERRITORIAL_FORCES) == len(set(TERRITORIAL_FORCES)) == 43
    for name in TERRITORIAL_FORCES + ["British Transport Police"]:
        agency = reg.get(name)
        assert agency is not None and agency.type == "police", name


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("Probation Service", "probation"),
        ("Crown Prosecution Service", "criminal_justice"),
        ("NHS England", "health_commissioner"),
        ("Home Office", "central_government"),
        ("Department for Work and Pensions", "central_government"),
        ("Ministry of Justice", "central_government"),
        ("HM Prison and Probation Service", "criminal_justice"),
        ("Department for Education", "central_government"),
        ("Department of Health and Social Care", "central_government"),
        ("Cafcass", "national_body"),
        ("Ofsted", "regulator"),
        ("Care Quality Commission", "regulator"),
        ("Independent Office for Police Conduct", "regulator"),
        ("College of Policing", "national_body"),
        ("National Police Chiefs' Council", "national_body"),
        ("SafeLives", "voluntary_sector"),
        ("Refuge", "voluntary_sector"),
        ("Women's Aid Federation of England", "voluntary_sector"),
        ("Respect", "voluntary_sector"),
        ("Victim Support", "voluntary_sector"),
        ("Citizens Advice", "voluntary_sector"),
        ("Domestic Abuse Commissioner", "national_body"),
        ("UK Health Security Agency", "national_body"),
        ("Local Government Association", "national_body"),
    ],
)
def test_national_bodies(reg: AgencyRegistry, name: str, type_: str) -> None:
    agency = reg.get(name)
    assert agency == Agency(name, type_)


def test_registry_is_unambiguous(reg: AgencyRegistry) -> None:
    """No alias names two bodies, and no alias is a lone generic word."""
    assert reg.ambiguous == []
    assert reg.warnings == []


def test_roles_name_no_agency(reg: AgencyRegistry) -> None:
    """A role or department phrase must not itself resolve to an organisation."""
    with open(ROLES_CSV, encoding="utf-8", newline="") as fh:
        roles = [r["text"] for r in csv.DictReader(fh)]
    assert "Lead GP" in roles and "Practice Manager" in roles
    for role in roles:
        assert reg.find(role).agency is None, role
        assert reg.match(role).agency is None, role
        m = reg.match(role, section_agency=WMP)
        assert (m.name, m.method, m.score) == (WMP, "section", 100.0), role


def test_get_and_container(reg: AgencyRegistry) -> None:
    bcc = reg.get(BCC)
    assert bcc == Agency(BCC, "local_authority")
    assert reg.get("birmingham  city COUNCIL") == bcc
    assert reg.get("BCC") is None  # canonical names only; aliases go through match
    assert reg.get(None) is None and reg.get("") is None
    assert bcc in reg and BCC in reg and "BCC" not in reg
    assert len(reg) == len(list(reg)) == len(reg.agencies)


def test_load_is_cached_and_editable_csv(tmp_path: Path) -> None:
    assert AgencyRegistry.load() is AgencyRegistry.load(schemas.AGENCIES_CSV)
    path = tmp_path / "agencies.csv"
    path.write_text(
        "canonical,type,aliases\nExample Borough Council,local_authority,EBC|Example Council\n",
        encoding="utf-8",
    )
    (tmp_path / "agency_roles.csv").write_text("text\nHousing Officer\n", encoding="utf-8")
    small = AgencyRegistry.load(path)
    assert small.match("EBC").name == "Example Borough Council"
    assert small.match("Example Council housing").name == "Example Borough Council"
    m = small.match("Housing Officer", section_agency="Example Borough Council")
    assert (m.method, m.score) == ("section", 100.0)


# --------------------------------------------------------------------------- match()
@pytest.mark.parametrize(
    ("text", "section", "name", "method"),
    [
        # exact / first-named organisation
        (BCC, None, BCC, "exact"),
        ("birmingham city council", None, BCC, "exact"),
        ("BCC Children's Social Care and West Midlands Police", None, BCC, "acronym"),
        ("Birmingham Community Safety Partnership (BSCP)", None, BCSP, "exact"),
        ("West Midlands Police Public Protection Unit", None, WMP, "exact"),
        (f"{BSC_CCG} Safeguarding Adults Lead Nurse", "Surgery 2", BSC_CCG, "exact"),
        ("Home Office and Ministry of Justice", None, "Home Office", "exact"),
        ("Safeguarding Lead, West Midlands Police", BCC, WMP, "exact"),
        # aliases
        (
            "Birmingham Safeguarding Children's Board",
            None,
            "Birmingham Safeguarding Children Board",
            "alias",
        ),
        ("Birmingham City Council People Directorate", None, BCC, "alias"),
        ("South Central CCG", None, BSC_CCG, "alias"),
        ("BSC CCG", None, BSC_CCG, "alias"),
        ("Birmingham & Solihull Womens Aid", None, BSWA, "exact"),
        ("Met Police", None, "Metropolitan Police Service", "alias"),
        ("National Probation Service", None, "Probation Service", "alias"),
        ("Community Rehabilitation Company", None, "Probation Service", "alias"),
        ("Avon & Somerset Constabulary", None, "Avon and Somerset Constabulary", "exact"),
        ("Dyfed Powys Police", None, "Dyfed-Powys Police", "exact"),
        ("Walk-in Centre", None, "Walk in Centre", "exact"),
        ("Maidstone and Tunbridge Wells", None, "Maidstone and Tunbridge Wells NHS Trust", "alias"),
        (
            "Her Majesty's Inspectorate of Constabulary",
            None,
            "His Majesty's Inspectorate of Constabulary and Fire and Rescue Services",
            "alias",
        ),
        ("ofsted", None, "Ofsted", "exact"),
        ("CAFCASS", None, "Cafcass", "exact"),
        # acronyms: whole tokens, in capitals
        ("MTW", None, "Maidstone and Tunbridge Wells NHS Trust", "acronym"),
        ("WMP", None, WMP, "acronym"),
        ("Lead: WMP", None, WMP, "acronym"),
        ("CPS and DWP", None, "Crown Prosecution Service", "acronym"),
        ("DWP", None, "Department for Work and Pensions", "acronym"),
        ("KMPT", None, "Kent and Medway NHS and Social Care Partnership Trust", "acronym"),
        ("MPS", None, "Metropolitan Police Service", "acronym"),
        ("GMP", None, "Greater Manchester Police", "acronym"),
        ("NPS", None, "Probation Service", "acronym"),
        ("CRC", None, "Probation Service", "acronym"),
        (
            "HMICFRS",
            None,
            "His Majesty's Inspectorate of Constabulary and Fire and Rescue Services",
            "acronym",
        ),
        ("Operations Manager BSWA", None, BSWA, "acronym"),
        ("Detective Inspector (WMP)", None, WMP, "acronym"),
        # typos and OCR damage
        ("West Midlands Polce", None, WMP, "fuzzy"),
        ("Birmingharn City Counci1", None, BCC, "fuzzy"),
        ("Birmingham Comunity Safety Partnership", None, BCSP, "fuzzy"),
        # token-set: reordered, optional words missing
        ("Police, West Midlands", None, WMP, "token"),
        (
            "Kent and Medway NHS Partnership Trust",
            None,
            "Kent and Medway NHS and Social Care Partnership Trust",
            "token",
        ),
        ("Surrey Police Service", None, "Surrey Police", "exact"),
        # role / department only, or blank: the section agency
        ("Lead GP", "Surgery 2", "Surgery 2", "section"),
        ("Lead GP/Practice Manager", "Surgery 2", "Surgery 2", "section"),
        ("Practice manager", "Surgery 1", "Surgery 1", "section"),
        ("Centre Manager", "Walk in Centre", "Walk in Centre", "section"),
        ("Senior partner", "Walk in Centre", "Walk in Centre", "section"),
        ("Detective Chief Inspector", WMP, WMP, "section"),
        ("Detective Superintendent (Public Protection)", WMP, WMP, "section"),
        ("Children's Social Care", BCC, BCC, "section"),
        ("", BCC, BCC, "section"),
        (None, BCC, BCC, "section"),
        # a role first: a trailing acronym is a partner, the section agency leads
        ("Head of Service - Landlord Services/ BCSP", BCC, BCC, "section"),
        ("Operations Manager BSWA", BSWA, BSWA, "section"),
        # a section agency given by its heading rather than its canonical name
        ("Lead GP", "NHS - Surgery 2", "Surgery 2", "section"),
    ],
)
def test_match(
    reg: AgencyRegistry, text: str | None, section: str | None, name: str, method: str
) -> None:
    m = reg.match(text, section_agency=section)
    assert (m.name, m.method) == (name, method), m
    assert 0.0 <= m.score <= 100.0


@pytest.mark.parametrize("text", ["Lead GP", "", None, "Practice manager"])
def test_blank_or_role_only_is_certain(reg: AgencyRegistry, text: str | None) -> None:
    m = reg.match(text, section_agency="Surgery 1")
    assert (m.name, m.method, m.score) == ("Surgery 1", "section", 100.0)


def test_unknown_text_falls_back_with_lower_score(reg: AgencyRegistry) -> None:
    m = reg.match("Hostels Work Group", section_agency=BCC)
    assert (m.name, m.method) == (BCC, "section")
    assert m.score < 100.0


@pytest.mark.parametrize(
    "text",
    [
        "NHS",
        "Council",
        "Police",
        "The Police",
        "NHS Trust",
        "NHS Foundation Trust",
        "City Council",
        "County Council",
        "Community Safety Partnership",
        "Clinical Commissioning Group",
        "West Midlands",  # a region, not the force
        "Birmingham",
        "Surgery",
        "Surgery 4",
        "Policy team",
        "West Midlands policy",
        "MPs",  # Members of Parliament, not the MPS
        "bcc",  # acronyms count in capitals only
        "In Respect of the DHR",  # the word, not the charity
        "a refuge place",
        "Recommendations from Overview Report",
        "Nroth Yorkshire Police",  # too damaged to choose between North and South
        # a bigger registry: places and words near names are still nothing
        "Somerset",  # the place, not NHS Somerset
        "Kent and Medway",
        "Kings Lynn",
        "Age",
        "Director",  # an English word, not a typo of "Direct" (NHS Direct)
        "Manchester University",
        "DCC",  # four county councils
    ],
)
def test_generic_or_unknown_text_matches_nothing(reg: AgencyRegistry, text: str) -> None:
    m = reg.match(text)
    assert m.agency is None and m.method == "none" and m.score == 0.0, m
    assert m.text == clean_text(text)


def test_none_keeps_cleaned_text(reg: AgencyRegistry) -> None:
    m = reg.match("  Hostels\n Work   Group \u2013 ")
    assert m == AgencyMatch(None, 0.0, "none", "Hostels Work Group")


def test_digits_are_not_fuzzed(reg: AgencyRegistry) -> None:
    assert reg.match("Surgery 2", section_agency="Surgery 1").name == "Surgery 2"
    assert reg.match("Surgery 3").name == "Surgery 3"


def test_unknown_section_agency_is_ignored(reg: AgencyRegistry) -> None:
    m = reg.match("Lead GP", section_agency="Not A Registry Body")
    assert m.agency is None and m.method == "none"


# --------------------------------------------------------------------------- find()
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Birmingham City Council - Early Years", BCC),
        ("Birmingham City Council - Children's Social Care", BCC),
        ("NHS - Surgery 1", "Surgery 1"),
        ("NHS-Surgery 3", "Surgery 3"),
        ("NHS - Walk in Centre", "Walk in Centre"),
        ("Birmingham & Solihull Womens Aid", BSWA),
        ("West Midlands Police", WMP),
        ("Birmingham Women's NHS Foundation Trust", "Birmingham Women's NHS Foundation Trust"),
        ("Action plan: Kent Police and Kent County Council", "Kent Police"),
        ("Recommendations from Overview Report", None),
        ("Domestic Homicide Review Action Plan in Respect of BDHR2012/13-04", None),
        ("NHS", None),
        ("", None),
    ],
)
def test_find(reg: AgencyRegistry, text: str, name: str | None) -> None:
    m = reg.find(text)
    assert m.name == name, m
    assert (m.method == "none") == (name is None)


# --------------------------------------------------------------------------- gold plan
def _gold_actions() -> list[tuple[str, str | None, str | None, str]]:
    doc = json.loads(GOLD.read_text(encoding="utf-8"))
    out = []
    for section in doc["sections"]:
        for rec in section["recommendations"]:
            for action in rec["actions"]:
                cells = action["cells"]
                cell = cells.get("lead_agency") or cells.get("lead_officer")
                out.append(
                    (section["heading"], section["agency"], cell, action["norm"]["lead_agency"])
                )
    return out


def test_gold_every_action(reg: AgencyRegistry) -> None:
    actions = _gold_actions()
    assert len(actions) == 87
    wrong = []
    for heading, agency, cell, expected in actions:
        got = reg.match(cell, section_agency=agency)
        if got.name != expected:
            wrong.append((heading, cell, expected, got))
    assert wrong == []


def test_gold_section_headings(reg: AgencyRegistry) -> None:
    doc = json.loads(GOLD.read_text(encoding="utf-8"))
    for section in doc["sections"]:
        assert reg.find(section["heading"]).name == section["agency"], section["heading"]


# --------------------------------------------------------------------------- properties
_NAMES = sorted(a.name for a in AgencyRegistry.load())
_text = st.one_of(
    st.none(),
    st.text(max_size=200),
    st.lists(
        st.sampled_from(
            _NAMES + ["BCC", "WMP", "(", ")", "&", "/", "-", "Lead GP", "NHS", "Police", "in", "1"]
        ),
        max_size=8,
    ).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=_text, section=st.one_of(st.none(), st.sampled_from(_NAMES), st.text(max_size=30)))
def test_match_never_raises(text: str | None, section: str | None) -> None:
    reg = AgencyRegistry.load()
    m = reg.match(text, section_agency=section)
    assert isinstance(m, AgencyMatch)
    assert m.method in METHODS
    assert m.agency is None or m.agency in reg
    assert (m.agency is None) == (m.method == "none")
    assert 0.0 <= m.score <= 100.0
    assert isinstance(m.text, str)
    if section in _NAMES and not clean_text(text):
        assert (m.name, m.method, m.score) == (section, "section", 100.0)


@settings(max_examples=200, deadline=None)
@given(text=_text)
def test_find_never_raises(text: str | None) -> None:
    reg = AgencyRegistry.load()
    m = reg.find(text)
    assert m.method in METHODS and m.method != "section"
    assert m.agency is None or m.agency in reg
    assert 0.0 <= m.score <= 100.0


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(_NAMES), junk=st.sampled_from(["", " - Early Years", " Safeguarding Lead"])
)
def test_every_canonical_name_finds_itself(name: str, junk: str) -> None:
    reg = AgencyRegistry.load()
    assert reg.match(name + junk).name == name
    assert reg.find(name.upper()).name == name


# --------------------------------------------------------------------------- the country
def _pairs() -> list[dict[str, str]]:
    with open(PAIRS_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def test_pairs_table_covers_every_kind() -> None:
    rows = _pairs()
    assert len(rows) >= 150
    kinds = {r["kind"] for r in rows}
    assert kinds >= {
        "council",
        "nhs",
        "commissioner",
        "police",
        "fire",
        "justice",
        "government",
        "partnership",
        "board",
        "charity",
        "renamed",
        "pcc",
    }


@pytest.mark.parametrize("row", _pairs(), ids=lambda r: r["printed"])
def test_pairs(reg: AgencyRegistry, row: dict[str, str]) -> None:
    """Printed forms of official names (empty canonical: an ambiguous form, no match)."""
    m = reg.match(row["printed"])
    assert (m.name or "") == row["canonical"], m
    if row["canonical"]:
        assert reg.get(row["canonical"]) is not None


def test_build_reproduces_the_registry_byte_for_byte() -> None:
    from dhrplans.schemas.registry import build

    assert build.build() == Path(schemas.AGENCIES_CSV).read_text(encoding="utf-8")


def test_registry_covers_england_and_wales(reg: AgencyRegistry) -> None:
    by_type: dict[str, int] = {}
    for agency in reg:
        by_type[agency.type] = by_type.get(agency.type, 0) + 1
    # 387 councils of England and Wales in the source (abolished ones included)
    assert by_type["local_authority"] >= 380
    # trusts of etr.csv, less the ~40 dissolved into one successor (its aliases now)
    assert by_type["health_provider"] >= 240
    # 42 ICBs; CCGs of April 2021, of April 2018 and those merged away in 2015-2018
    ccgs = [a for a in reg if a.name.endswith("Clinical Commissioning Group")]
    assert len(ccgs) >= 106 + 195 - 70 and by_type["health_commissioner"] >= 42 + len(ccgs)
    assert by_type["fire_and_rescue"] >= 45
    assert by_type["community_safety_partnership"] >= 300
    # three per upper-tier English council, less those shared by neighbours, plus Wales's six
    assert by_type["safeguarding_board"] >= 3 * 150 - 30
    assert by_type["police_and_crime_commissioner"] >= 40  # 39 PCC areas + MOPAC + ...
    assert set(by_type) <= {
        "police_and_crime_commissioner",
        "local_authority",
        "police",
        "health_provider",
        "health_commissioner",
        "primary_care",
        "community_safety_partnership",
        "safeguarding_board",
        "voluntary_sector",
        "probation",
        "criminal_justice",
        "central_government",
        "national_body",
        "regulator",
        "fire_and_rescue",
    }


def test_generated_initialisms_skip_the_stoplist(reg: AgencyRegistry) -> None:
    for acronym in ("MARAC", "ASC", "IDVA", "MASH", "DHR", "CSC"):
        assert reg.match(acronym).agency is None, acronym


# --------------------------------------------------------------------------- plan-level
SHEFFIELD_PLAN = [
    "Sheffield Health and Social Care NHS Foundation Trust (SHSC)",
    "Warwickshire County Council",
    "Lead: Pathway Women's Aid Project (PWAP)",
    "Team Around the Family (TAF)",
    "Children's Centre Area Manager (CCAM)",
    "Recommendation 1: all staff to be trained",
]


def test_for_document_learns_definitions_and_initialisms(reg: AgencyRegistry) -> None:
    doc = reg.for_document(SHEFFIELD_PLAN)
    assert doc.match("SHSC").name == "Sheffield Health and Social Care NHS Foundation Trust"
    # WCC is four councils to the registry, Warwickshire's in this plan
    assert reg.match("WCC Adult Social Care").agency is None
    m = doc.match("WCC Adult Social Care", section_agency=BCC)
    assert (m.name, m.type, m.method, m.source) == (
        "Warwickshire County Council",
        "local_authority",
        "acronym_in_plan",
        "acronym_in_plan",
    )
    # a defined name the registry does not know: a local agency, type unknown ("")
    m = doc.match("Service Manager, PWAP", section_agency=BCC)
    assert (m.name, m.type) == ("Pathway Women's Aid Project", "")
    assert m.agency in doc and m.agency not in reg
    assert doc.match("Pathway Women's Aid Project").name == m.name
    # a short form of the local name resolves to its fullest form
    assert doc.match("Pathway Women's Aid", section_agency=BCC).name == m.name
    assert doc.match("Women's Aid").agency is None  # no word of its own: not this body
    # a process and a role defined in the plan are not organisations
    assert doc.match("TAF").agency is None
    assert doc.match("Children's Centre Area Manager (CCAM)", section_agency=BCC).name == BCC


def test_kind_acronym_defined_after_a_bodys_full_name_means_that_body(
    reg: AgencyRegistry,
) -> None:
    # "ICB" spells only the kind of body; the plan defines it after the body's full name.
    text = (
        "The agencies involved were Kent County Council (KCC) and NHS Kent and Medway"
        " Integrated Care Board (ICB)."
    )
    doc = reg.for_document([text])
    assert doc.match("ICB").agency.name == "NHS Kent and Medway Integrated Care Board"
    assert doc.match("KCC").agency.name == "Kent County Council"


def test_short_name_defined_in_brackets_after_the_full_name(reg: AgencyRegistry) -> None:
    # "Solace Women's Aid (Solace)": a short name, not an acronym, defined by the plan.
    doc = reg.for_document(["Agencies: Solace Women's Aid (Solace), and others (Various)."])
    assert doc.match("Solace").agency.name == "Solace Women's Aid"
    assert doc.match("Various").agency is None


def test_for_document_leaves_the_registry_alone(reg: AgencyRegistry) -> None:
    before = reg.match("PWAP")
    reg.for_document(SHEFFIELD_PLAN)
    assert reg.match("PWAP") == before and before.agency is None
    assert reg.for_document(["nothing named here"]) is reg
    assert reg.for_document([]) is reg


def test_for_document_plan_overrides_registry_acronym(reg: AgencyRegistry) -> None:
    """BCC is Birmingham to the registry; a plan that names only Bristol City Council means
    Bristol by it, and a plan that defines it means what it defines."""
    assert reg.match("BCC").name == BCC
    doc = reg.for_document(["Bristol City Council", "Avon and Somerset Constabulary"])
    assert doc.match("BCC").name == "Bristol City Council"
    doc = reg.for_document(["Bristol City Council", "Bolton Council", "Bury Council"])
    assert doc.match("BCC").name == "Bristol City Council"  # only Bristol's letters are BCC


def test_for_document_clashing_initialisms_name_nothing(reg: AgencyRegistry) -> None:
    doc = reg.for_document(["Warwickshire County Council", "Worcestershire County Council"])
    assert doc.match("WCC").agency is None


def test_for_document_clashing_definitions_name_nothing(reg: AgencyRegistry) -> None:
    doc = reg.for_document(["Adult Social Care (ASC)", "Anti Social Conduct (ASC)"])
    assert doc.match("ASC").agency is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("University Hospitals Coventry and Warwickshire NHS Trust", "UHCW"),
        ("East London NHS Foundation Trust", "ELFT"),
        ("Sheffield Health and Social Care NHS Foundation Trust", "SHSC"),
        ("Tees, Esk and Wear Valleys NHS Foundation Trust", "TEWV"),
        ("Warwickshire County Council", "WCC"),
        ("Royal Borough of Kensington and Chelsea", "RBKC"),
        # "and" kept, the council's "Council" left off: the forms councils use of themselves
        ("Cheshire West and Chester Council", "CWAC"),
        ("Cheshire West and Chester Council", "CWACC"),
        ("Bath and North East Somerset Council", "BANES"),
    ],
)
def test_initialisms(name: str, expected: str) -> None:
    assert expected in initialisms(name)


@pytest.mark.parametrize(
    ("text", "section", "name"),
    [
        (
            "Head of Safeguarding, SHSC",
            "Sheffield City Council",
            "Sheffield Health and Social Care NHS Foundation Trust",
        ),
        ("Service Manager, Cranstoun", "Sheffield City Council", "Cranstoun"),
        ("Detective Inspector (Wiltshire Constabulary)", BCC, "Wiltshire Police"),
        ("Detective Inspector (WMP)", BCC, WMP),
        # an agency, then its department
        ("Sheffield City Council - Housing", None, "Sheffield City Council"),
        ("Sheffield City Council (Adult Social Care)", None, "Sheffield City Council"),
    ],
)
def test_role_then_agency(reg: AgencyRegistry, text: str, section: str | None, name: str) -> None:
    assert reg.match(text, section_agency=section).name == name


# --------------------------------------------------------------------------- invariance
_MULTI = sorted(a.name for a in AgencyRegistry.load() if len(a.name.split()) > 1)


def _punctuate(name: str, how: int) -> str:
    if how == 0:
        return name.replace(" and ", " & ")
    if how == 1:
        return name.replace("'", "\u2019") + "."
    if how == 2:
        return "- " + name.replace(" ", "  ") + " ;"
    if how == 3:
        return name.replace(" ", " - ", 1)
    return name.replace(",", "")


@settings(max_examples=300, deadline=None)
@given(
    name=st.sampled_from(_MULTI),
    case=st.sampled_from([str.upper, str.lower, str.title, str]),
    how=st.integers(0, 4),
)
def test_match_ignores_case_and_punctuation(name: str, case, how: int) -> None:
    reg = AgencyRegistry.load()
    assert reg.match(case(_punctuate(name, how))).name == reg.match(name).name == name


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=80),
            st.builds(
                lambda name, acr: f"{name} ({acr})",
                st.sampled_from(_NAMES + ["Pathway Women's Aid Project", "Annual Conversation"]),
                st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ&", min_size=2, max_size=6),
            ),
        ),
        max_size=6,
    ),
    cell=_text,
)
def test_for_document_never_raises(texts: list[str | None], cell: str | None) -> None:
    doc = AgencyRegistry.load().for_document(texts)
    m = doc.match(cell, section_agency=BCC)
    assert m.method in METHODS
    assert m.agency is None or m.agency in doc
    assert 0.0 <= m.score <= 100.0


def test_for_document_on_a_registry_without_phrases(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("canonical,type,aliases\nRefuge,voluntary_sector,\n", encoding="utf-8")
    small = AgencyRegistry.from_csv(path)
    doc = small.for_document(["Pathway Women's Aid Project (PWAP)"])
    assert doc.match("PWAP").name == "Pathway Women's Aid Project"


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("Cyngor Sir Ddinbych", "Denbighshire County Council"),
        ("Cyngor Bwrdeistref Sirol Wrecsam", "Wrexham County Borough Council"),
        ("Gwasanaeth Tân ac Achub Gogledd Cymru", "North Wales Fire and Rescue Service"),
        ("Bwrdd Iechyd Prifysgol Bae Abertawe", "Swansea Bay University Health Board"),
    ],
)
def test_welsh_names_of_bodies_in_wales(reg: AgencyRegistry, printed: str, canonical: str) -> None:
    assert reg.find(printed).agency.name == canonical


def test_a_kind_of_body_learnt_from_the_plan_yields_to_the_body_in_brackets(
    reg: AgencyRegistry,
) -> None:
    # A glossary defines "CSP" as "Community Safety Partnership" (generic words only: a
    # kind of body); a lead cell naming the role after it and the real body in brackets
    # means the bracketed body.
    doc = reg.for_document(
        ["CSP Community Safety Partnership", "Community Safety Partnership (CSP)"]
    )
    cell = "Community Safety Partnership Manager (Safer Southwark Partnership)"
    assert doc.find(cell).name == "Safer Southwark Partnership"
    assert doc.match(cell).name == "Safer Southwark Partnership"
    assert doc.find("Community Safety Partnership").name == "Community Safety Partnership"


def test_a_glossarys_short_name_for_a_known_body(reg: AgencyRegistry) -> None:
    doc = reg.with_short_names(
        [("Cambs Constab", "Cambridgeshire Constabulary"), ("Term", "Meaning"), ("A B", "Nobody")]
    )
    assert doc.match("Cambs Constab").name == "Cambridgeshire Constabulary"
    assert doc.match("Cambs Constab, DCI Public Protection").name == "Cambridgeshire Constabulary"
    assert reg.match("Cambs Constab").name != "Cambridgeshire Constabulary"  # left alone
    # a short name given for two bodies names neither
    both = reg.with_short_names(
        [("Shire Police", "Cambridgeshire Constabulary"), ("Shire Police", "Kent Police")]
    )
    assert both.match("Shire Police").name not in ("Cambridgeshire Constabulary", "Kent Police")


# ------------------------------------------------ short names of registry bodies (issue 10)
@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        # an NHS trust's initialism with its "T" (the build's generated initialisms)
        ("SWBHT", "Sandwell and West Birmingham Hospitals NHS Trust"),
        # a county's customary abbreviation (schemas/registry/sources/county_abbreviations.csv)
        ("Staffs Police", "Staffordshire Police"),
        ("Herts County Council", "Hertfordshire County Council"),
        # a CCG's coined brand (no council's place): its name without its kind
        ("NHS Vale Royal", "NHS Vale Royal Clinical Commissioning Group"),
    ],
)
def test_registry_short_names(reg: AgencyRegistry, printed: str, canonical: str) -> None:
    assert reg.match(printed).name == canonical


def test_mixed_case_initialism_of_a_body_the_plan_names(reg: AgencyRegistry) -> None:
    doc = reg.for_document(["Cheshire West and Chester Council", "CWaC Housing"])
    assert doc.match("CWaC").name == "Cheshire West and Chester Council"
    assert reg.match("CWaC").agency is None  # the plan's own text decides


def test_acronym_of_a_kind_resolved_by_the_plans_area(reg: AgencyRegistry) -> None:
    """A plan naming one area's bodies and an office of a kind it names none of: that
    area's one body of the kind, flagged (score under the plan's threshold)."""
    m = reg.for_document(["Kent Police", "OPCC"]).match("OPCC")
    assert m.name == "Police and Crime Commissioner for Kent"
    assert m.method == "area" and m.score < 90
    # two areas: no guess
    assert reg.for_document(["Kent Police", "Essex Police", "OPCC"]).match("OPCC").agency is None
    # an initialism several bodies share, one of them in the plan's area
    m = reg.for_document(["Durham Constabulary", "DCC"]).match("DCC")
    assert m.name == "Durham County Council" and m.method == "area"


@pytest.mark.parametrize(
    ("printed", "council"),
    [
        ("Kent Adult Social Care", "Kent County Council"),
        ("Leeds Children's Services", "Leeds City Council"),
        ("Blackburn with Darwen Children's Services", "Blackburn with Darwen Borough Council"),
        ("Southwark Children’s Social Care", "London Borough of Southwark"),
        ("Bristol Council - Housing Options", "Bristol City Council"),
    ],
)
def test_a_council_named_by_its_place_and_a_department(
    reg: AgencyRegistry, printed: str, council: str
) -> None:
    # Plans name a council by its place and the service whose plan it is ("Kent Adult
    # Social Care"): the one council of that place (schemas/council_departments.csv).
    m = reg.match(printed)
    assert (m.name, m.method) == (council, "department")


@pytest.mark.parametrize(
    "printed", ["Children's Services", "Birmingham Children's Trust", "Atlantis Housing"]
)
def test_no_council_without_a_council_place_and_a_department(
    reg: AgencyRegistry, printed: str
) -> None:
    # a department with no place, a body of its own ("Trust"), a place no council has
    assert reg.match(printed).method != "department"


def test_a_mixed_case_initialism_reads_small_letters_as_small_words_first(
    reg: AgencyRegistry,
) -> None:
    # "BwD": the small letter is "with" (Blackburn with Darwen Borough Council), not a
    # letter inside a word ("BassetlaW District Council" spells it too): the small word is
    # the likelier reading, and a council's name may end in "Borough Council".
    doc = reg.for_document(["BwD Children's Services", "Lancashire Constabulary"])
    assert doc.match("BwD Children's Services").name == "Blackburn with Darwen Borough Council"
    assert not spells("BwD", "Bassetlaw District Council", inside=False)
    assert spells("DHcFT", "Derbyshire Healthcare NHS Foundation Trust")  # "Hc": HealthCare


def test_a_glossary_short_name_of_a_local_organisation(reg: AgencyRegistry) -> None:
    # "Calan DVS | Calan Domestic Violence Services" in the plan's glossary: the local body
    # (no registry name) under its full name, and the short name means it, also before a
    # role ("Calan DVS Team Manager").
    doc = reg.for_document(["Calan DVS Team Manager"]).with_short_names(
        [("Calan DVS", "Calan Domestic Violence Services"), ("Lead Officer", "Kent Police")]
    )
    assert doc.match("Calan DVS Team Manager").name == "Calan Domestic Violence Services"
    assert doc.match("Calan DVS").name == "Calan Domestic Violence Services"


def test_build_indexes_fills_the_initialism_index_copies_share():
    """A run builds the registry's initialism index once, before its workers fork:
    the index a plan's copy of the registry reads is that one, not one of its own."""
    registry = AgencyRegistry.load()
    registry.build_indexes()
    index = registry._initialism_index
    assert index, "built"
    doc = registry.for_document(["Some Unknown Trust (SUT) leads; the DCC reviews"])
    assert doc._by_initialism() is index

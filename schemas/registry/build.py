"""Build ``schemas/agencies.csv`` from the raw lists in ``sources/`` (offline, deterministic).

Run ``python -m dhrplans.schemas.registry.build`` (or this file) after editing a source;
``--check`` exits 1 when the committed CSV differs from what the sources give (a test runs
it). Where each source comes from, and when it was taken, is in ``sources/README.md``.

Rules, in the order the parts are added (a later part never renames an earlier entry):

1. ``hand_kept.csv``: every entry as an analyst wrote it, first and unchanged.
2. Hand-kept lists (``nhs_extra.csv``, ``national_and_services.csv``,
   ``safeguarding_boards.csv``: Welsh regional boards and boards shared by several
   councils, whose per-council names derived in 6 then join them); the Welsh health
   boards' short forms ("Swansea Bay UHB", "Powys THB", "Hywel Dda HB").
3. Councils of England and Wales (mySociety's list, abolished ones included: older plans
   name them): official name (a council renamed when its town was granted city status,
   ``city_status.csv``: its current city council name, mySociety's an alias), "<name>
   Council", the short forms "<name> CC / BC / DC / MBC / CBC", "LB <name>" / "RB
   <name>", alternative names that name the council.
4. NHS trusts (ODS ``etr.csv``), names title-cased by rule (a trust dissolved into one
   successor, ``trust_successors.csv``: an alias of the successor); the name before "NHS" as an
   alias where it says what kind of body it is ("Sheffield Teaching Hospitals"), never a
   bare place; well-known acronyms from ``trust_acronyms.csv``.
5. ICBs (July 2022) and the CCGs they replaced: the April 2021 list, ONS's April 2018
   list and the CCGs of 2013-2017 merged before April 2018, so plans of 2013-2022 find
   theirs (each CCG is a body of its own: a merged one keeps its name).
6. Per current council: its community safety partnership (a brand name from
   ``csp_brands.csv`` is the canonical name where the area has one; else "Safer <area>
   Partnership", the form many partnerships call themselves, is an alias); a council of a
   town granted city status (``city_status.csv``) also as "<place> City Council"; per
   current upper-tier council in England: its safeguarding adults board, safeguarding
   children partnership and (before 2019) local safeguarding children board.
7. Per territorial police force with a police and crime commissioner (not the
   Metropolitan, City of London or British Transport Police): "Police and Crime
   Commissioner for <area>" and the office's names ("<area> OPCC", "<area> PCC",
   "<area> Commissioner's Office", "Office of the <area> Police and Crime Commissioner").
8. Former names of renamed bodies (``renamed.csv``) as aliases of the body under its
   current name: the canonical name is the current one, whatever the plan's date; Welsh
   names of bodies in Wales (``welsh_names.csv``) as aliases of their English name.
9. Names with a county's customary abbreviation (``county_abbreviations.csv``: "Staffs
   Police" for "Staffordshire Police"), every name of two words or more holding the
   county's name as a word; a CCG's name without its kind where its area is no
   council's place (a coined brand, "NHS Vale Royal" for "NHS Vale Royal Clinical
   Commissioning Group"), kept only where no ICB or other body holds it.
10. Initialisms generated from the names above (words other than and/of/the/for...; for a
   foundation trust also with "FT", for any other NHS trust also with "T": "SWBHT"): only
   three letters or more, never one in ``acronym_stoplist.txt``.

A name whose key (``name_key``: case, punctuation and "&" folded) is already taken joins
the entry holding it instead of making a second one. An alias claimed by two entries is
kept by the one from the more trusted part (hand-kept > derived > generated initialism)
and dropped from both when they are equally trusted: a short form that means two bodies
("DCC": Derbyshire, Devon, Dorset, Durham) names neither, and the plan's own text resolves
it (``AgencyRegistry.for_document``).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dhrplans.normalise.agencies import GENERIC_WORDS, name_key
from dhrplans.normalise.cells import is_english

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUTPUT = HERE.parent / "agencies.csv"

#: Trust, priority of a claim on a name (lower wins).
CANONICAL, HAND, DERIVED, INITIALISM = 0, 1, 2, 3
#: A short form of a body's name another body may hold as its own name ("NHS Somerset":
#: the ICB; the CCG printed it too): it yields to any derived name.
SHORT_FORM = INITIALISM

#: Words left out of initialisms and kept lower-case in title-cased names.
SMALL_WORDS = frozenset("and of the for upon on in at with super".split())
#: Words in a trust's name before "NHS" that say what kind of body it is; without one the
#: short name is a place ("Somerset", "East London") or another body ("Manchester
#: University") and is not an alias.
INSTITUTION_WORDS = frozenset(
    """hospital hospitals health healthcare care teaching partnership
    childrens womens mental ambulance service services community orthopaedic cancer
    heart chest specialist integrated combined clinic""".split()
)
#: Council types of mySociety's list: upper tier (social care, safeguarding boards).
UPPER_TIER = frozenset({"CTY", "UA", "MD", "LBO", "CC"})
#: Endings of official council names and their usual short forms.
COUNCIL_SHORT = (
    ("Metropolitan Borough Council", "MBC"),
    ("County Borough Council", "CBC"),
    ("City Council", "CC"),
    ("County Council", "CC"),
    ("Borough Council", "BC"),
    ("District Council", "DC"),
)
_ROMAN = re.compile(r"^(?=[ivxl]+$)l?x{0,3}(ix|iv|v?i{0,3})$")


@dataclass
class Entry:
    canonical: str
    type: str
    aliases: list[tuple[str, int]] = field(default_factory=list)  # (alias, trust)


class Builder:
    """Entries in insertion order plus who claims each key."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        #: key of a canonical name, or of a hand-kept alias (a person said the two names
        #: are one body) -> its entry; a new name with that key joins the entry.
        self.owner: dict[str, Entry] = {}
        #: key of a dissolved trust's name -> the entry of the trust that took it over
        self.succeeded: dict[str, Entry] = {}

    def add(self, canonical: str, type_: str, aliases: list[str], trust: int) -> Entry:
        """An entry, or the existing one already holding the canonical name as a key."""
        canonical = " ".join(canonical.split())
        entry = self.owner.get(name_key(canonical))
        if entry is None:
            entry = Entry(canonical, type_)
            self.entries.append(entry)
            self.owner[name_key(canonical)] = entry
        elif name_key(canonical) != name_key(entry.canonical):
            entry.aliases.append((canonical, trust))
        for alias in aliases:
            self.alias(entry, alias, trust)
        return entry

    def alias(self, entry: Entry, alias: str, trust: int) -> None:
        alias = " ".join(alias.split())
        if alias:
            entry.aliases.append((alias, trust))
            if trust == HAND:
                self.owner.setdefault(name_key(alias), entry)

    def rows(self) -> list[tuple[str, str, str]]:
        """Final rows: each alias once, kept only by its most trusted, sole claimant."""
        claims: dict[str, dict[int, int]] = {}  # key -> id(entry) -> best trust
        for entry in self.entries:
            claims.setdefault(name_key(entry.canonical), {})[id(entry)] = CANONICAL
            for alias, trust in entry.aliases:
                held = claims.setdefault(name_key(alias), {})
                held[id(entry)] = min(held.get(id(entry), trust), trust)
        out = []
        for entry in self.entries:
            own = name_key(entry.canonical)
            seen = {own}
            kept = []
            for alias, _trust in entry.aliases:
                key = name_key(alias)
                if key in seen or not key:
                    continue
                seen.add(key)
                words = key.split()
                if len(words) == 1 and words[0] in GENERIC_WORDS:
                    continue
                held = claims[key]
                best = min(held.values())
                winners = [e for e, t in held.items() if t == best]
                if winners == [id(entry)]:
                    kept.append(alias)
            out.append((entry.canonical, entry.type, "|".join(kept)))
        return out


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a source CSV; lines starting with "#" are comments."""
    with open(SOURCES / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def split_aliases(cell: str | None) -> list[str]:
    return [a.strip() for a in (cell or "").split("|") if a.strip()]


def stoplist() -> frozenset[str]:
    lines = (SOURCES / "acronym_stoplist.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def title_case(name: str) -> str:
    """ODS capitals to a printed name: "GUY'S AND ST THOMAS' NHS FOUNDATION TRUST" ->
    "Guy's and St Thomas' NHS Foundation Trust"."""
    name = " ".join(name.replace(" & ", " and ").split())
    words = []
    for i, word in enumerate(name.split(" ")):
        parts = word.split("-")
        cased = []
        for j, part in enumerate(parts):
            low = part.lower()
            bare = low.strip(",.'()")
            if part == "NHS":
                cased.append(part)
            elif bare in SMALL_WORDS and (i, j) != (0, 0):
                cased.append(low)
            elif _ROMAN.match(bare.removesuffix("'s")) and bare:
                cased.append(part.upper().replace("'S", "'s"))
            else:
                cased.append(low[:1].upper() + low[1:])
        words.append("-".join(cased))
    return " ".join(words)


def initials(words: list[str]) -> str:
    """First letters of the words that are not small words; hyphenated parts count."""
    letters = []
    for word in words:
        for part in word.replace(",", "").split("-"):
            if part and part.lower() not in SMALL_WORDS and part[0].isalpha():
                letters.append(part[0].upper())
    return "".join(letters)


# --------------------------------------------------------------------------- parts
def add_hand(b: Builder) -> None:
    for name in (
        "hand_kept.csv",
        "nhs_extra.csv",
        "national_and_services.csv",
        "safeguarding_boards.csv",
    ):
        for row in read_csv(name):
            b.add(row["canonical"], row["type"], split_aliases(row["aliases"]), HAND)


#: Welsh health boards' endings and the short forms plans print ("Swansea Bay UHB").
HEALTH_BOARD_SHORT = (("University Health Board", "UHB"), ("Teaching Health Board", "THB"))


def add_health_board_forms(b: Builder) -> None:
    """ "<name> UHB" / "<name> THB" and "<name> HB" for each Welsh health board."""
    for entry in list(b.entries):
        for ending, short in HEALTH_BOARD_SHORT:
            if entry.canonical.endswith(" " + ending):
                stem = entry.canonical[: -len(ending)].strip()
                for alias in (f"{stem} {short}", f"{stem} HB", f"{stem} Health Board"):
                    b.alias(entry, alias, DERIVED)


def nice_name(row: dict[str, str]) -> str:
    """The area's name: mySociety's nice name without a type word it sometimes keeps
    ("Dorset Council", "Buckinghamshire County")."""
    nice = row["nice-name"]
    for ending in (" Council", " County"):
        if nice.endswith(ending) and row["official-name"].endswith("Council"):
            nice = nice[: -len(ending)]
    return nice


def council_forms(row: dict[str, str]) -> list[str]:
    """Short names a plan uses for a council."""
    official, nice, kind = row["official-name"], nice_name(row), row["local-authority-type"]
    forms = [f"{nice} Council"]
    for ending, short in COUNCIL_SHORT:
        if official.endswith(" " + ending):
            stem = official[: -len(ending)].strip()
            forms += [f"{stem} {short}", f"{nice} {ending}", f"{nice} {short}"]
            break
    if official.startswith("London Borough of "):
        forms += [f"LB {nice}", f"LB of {nice}", f"{nice} London Borough Council"]
    if official.startswith("Royal Borough of "):
        forms += [f"RB {nice}", f"RB of {nice}", f"Royal Borough of {nice}"]
    if kind == "LBO":
        forms.append(f"{nice} Borough Council")
    if official.startswith("City of ") and not official.endswith(("Council", "Corporation")):
        forms.append(f"{official.removeprefix('City of ')} City Council")
    for alt in (row["alt-names"] or "").split(","):
        alt = alt.strip()
        low = alt.lower()
        if alt != low and ("council" in low or "corporation" in low or "borough of" in low):
            forms.append(alt)
    return forms


def city_councils() -> dict[str, str]:
    """mySociety code -> the council's current name as a city council (``city_status.csv``)."""
    return {row["code"]: row["city_council"] for row in read_csv("city_status.csv")}


def add_councils(b: Builder, generated: list[tuple[Entry, str, bool]]) -> list[dict]:
    """Each council under its official name; a council renamed on its town's city status
    (``city_status.csv``, "<place> City Council") under its current name, with
    mySociety's name and its short forms as the former name's aliases (FORMAT.md: a
    renamed body has one canonical name, its current one)."""
    rows = read_csv("uk_local_authorities.csv")
    renamed = city_councils()
    for row in rows:
        official = row["official-name"]
        current = official
        if not row["end-date"]:
            current = renamed.get(row["local-authority-code"], official)
        forms = council_forms(row)
        if name_key(current) != name_key(official):
            forms = council_forms({**row, "official-name": current}) + [official, *forms]
        entry = b.add(current, "local_authority", forms, DERIVED)
        for name in dict.fromkeys([current, official]):
            generated.append((entry, initials(name.split()), False))
    return rows


def trust_successors() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """``trust_successors.csv``: dissolved trust's ODS code -> the code of the trust doing
    its work now (chains followed), and (name, successor code) for those not in etr.csv."""
    by_code: dict[str, str] = {}
    named: list[tuple[str, str]] = []
    for row in read_csv("trust_successors.csv"):
        if row["code"]:
            by_code[row["code"]] = row["successor"]
        else:
            named.append((row["name"], row["successor"]))

    def last(code: str) -> str:
        seen = {code}
        while code in by_code:
            code = by_code[code]
            if code in seen:
                raise SystemExit(f"trust_successors.csv: a cycle through {code}")
            seen.add(code)
        return code

    return {c: last(c) for c in by_code}, [(n, last(c)) for n, c in named]


def trust_forms(name: str) -> list[str]:
    """A trust name's aliases by rule: without "The", and the name before "NHS" where it
    says what kind of body it is ("Sheffield Teaching Hospitals"), never a bare place."""
    words = name.split()
    aliases = []
    if name.startswith("The "):
        aliases.append(name[4:])
    if "NHS" in words:
        base = words[: words.index("NHS")]
        if base and base[0] == "The":
            base = base[1:]
        if {name_key(w) for w in base} & INSTITUTION_WORDS and len(base) >= 2:
            aliases.append(" ".join(base))
            # "Portsmouth Hospitals University": plans drop the status word at the end
            core = base[:-1]
            if base[-1] == "University" and {name_key(w) for w in core} & INSTITUTION_WORDS:
                if len(core) >= 2:
                    aliases.append(" ".join(core))
    return aliases


def trust_initialisms(entry: Entry, name: str, generated: list[tuple[Entry, str, bool]]) -> None:
    words = name.split()
    if "NHS" in words:
        base = [w for w in words[: words.index("NHS")] if w != "The"]
        letters = initials(base)
        generated.append((entry, letters, False))
        if "Foundation" in words:
            generated.append((entry, letters + "FT", True))
        elif words[-1] == "Trust":  # "Sandwell and West Birmingham Hospitals NHS Trust": SWBHT
            generated.append((entry, letters + "T", False))


def add_trusts(b: Builder, generated: list[tuple[Entry, str, bool]]) -> None:
    """Trusts of etr.csv; a trust dissolved into one successor (``trust_successors.csv``)
    is no entry of its own: its name, forms and acronyms are the successor's aliases."""
    extra = {r["code"]: split_aliases(r["aliases"]) for r in read_csv("trust_acronyms.csv")}
    successor, named = trust_successors()
    rows = read_csv("etr.csv")
    by_code: dict[str, Entry] = {}
    for row in rows:
        if row["code"] in successor:
            continue
        name = title_case(row["name"])
        entry = b.add(name, "health_provider", trust_forms(name), DERIVED)
        by_code[row["code"]] = entry
        for alias in extra.get(row["code"], []):
            b.alias(entry, alias, HAND)
        trust_initialisms(entry, name, generated)
    former = [
        (title_case(r["name"]), r["code"], successor[r["code"]])
        for r in rows
        if r["code"] in successor
    ]
    former += [(" ".join(n.split()), "", c) for n, c in named]
    for name, code, succ in former:
        entry = by_code.get(succ)
        if entry is None:
            raise SystemExit(f"trust_successors.csv: successor {succ} is no current trust")
        b.alias(entry, name, DERIVED)
        b.succeeded[name_key(name)] = entry
        for alias in trust_forms(name):
            b.alias(entry, alias, DERIVED)
        for alias in extra.get(code, []):
            b.alias(entry, alias, HAND)
        trust_initialisms(entry, name, generated)


#: Compass words that open an area's name ("North East Lincolnshire").
COMPASS = frozenset("North South East West Northern Southern Eastern Western Central Mid".split())


def add_commissioners(b: Builder) -> None:
    for row in read_csv("icbs.csv"):
        area = row["area"]
        aliases = [
            f"{area} Integrated Care Board",
            f"NHS {area} ICB",
            f"{area} ICB",
            f"NHS {area}",
        ] + split_aliases(row["aliases"])
        b.add(f"NHS {area} Integrated Care Board", "health_commissioner", aliases, DERIVED)
    # an ICB's short area ("BLMK ICB") named the CCG of the same area before July 2022
    # ("BLMK CCG", the 2020-2022 CCGs that became ICBs): "<short> CCG" is that CCG
    short_areas = {
        row["area"]: [
            a.removesuffix(" ICB") for a in split_aliases(row["aliases"]) if a.endswith(" ICB")
        ]
        for row in read_csv("icbs.csv")
    }
    council_places = {
        place for row in read_csv("uk_local_authorities.csv") for place in places(row)
    }
    areas = [row["area"] for row in read_csv("ccgs.csv")]
    areas += [ccg_area(row["CCG18NM"]) for row in read_csv("ccgs_2018.csv")]
    areas += [ccg_area(row["name"]) for row in read_csv("ccgs_2013_merged.csv")]
    for area in areas:
        aliases = [f"NHS {area} CCG", f"{area} CCG", f"{area} Clinical Commissioning Group"]
        entry = b.add(
            f"NHS {area} Clinical Commissioning Group", "health_commissioner", aliases, DERIVED
        )
        # the CCG's own coined brand, its name without its kind, unless an ICB or another
        # body holds the name; never a council's place ("NHS Manchester" was also the
        # primary care trust, and names the place's NHS as much as any one body)
        if area not in council_places:
            b.alias(entry, f"NHS {area}", SHORT_FORM)
        for short in short_areas.get(area, []):
            if short.isupper() or any(c.isupper() for c in short[1:]):  # an acronym, not a name
                b.alias(entry, f"{short} CCG", DERIVED)
        # "North East Lincolnshire" is printed "NE Lincolnshire": the compass words before
        # the place by their initials, two in a row or three or more (two joined by "and",
        # "East and North", are printed otherwise)
        words = area.replace(",", "").split()
        lead = 0
        while lead < len(words) and (words[lead] in COMPASS or words[lead] == "and"):
            lead += 1
        compass = [w for w in words[:lead] if w in COMPASS]
        spelt = len(compass) >= 3 or (len(compass) == 2 and lead == 2)
        if spelt and lead < len(words) and words[lead - 1] != "and":
            b.alias(
                entry, f"{''.join(w[0] for w in compass)} {' '.join(words[lead:])} CCG", DERIVED
            )


def ccg_area(name: str) -> str:
    """ONS's "NHS Hartlepool and Stockton-on-Tees CCG" -> "Hartlepool and Stockton-on-Tees";
    a bracketed part is left out ("NHS Central London (Westminster) CCG": a matcher reads
    brackets as a second name)."""
    area = re.sub(r"\s*\([^)]*\)", "", name.removeprefix("NHS ").removesuffix(" CCG"))
    return " ".join(area.split())


#: Forces without a police and crime commissioner of their own area: London's is MOPAC
#: (national_and_services.csv), the City of London and British Transport Police have none.
NO_PCC = frozenset(
    {"Metropolitan Police Service", "City of London Police", "British Transport Police"}
)
_FORCE_ENDING = re.compile(r"^(?P<area>.+?) (?:Police|Constabulary)$")


def add_commissioners_of_police(b: Builder) -> None:
    """A police and crime commissioner per territorial force's area (the areas its
    hand-kept names give: "Hampshire and Isle of Wight", "Hampshire")."""
    for row in read_csv("hand_kept.csv"):
        if row["type"] != "police" or row["canonical"] in NO_PCC:
            continue
        areas: list[str] = []
        for name in [row["canonical"], *split_aliases(row["aliases"])]:
            m = _FORCE_ENDING.match(name)
            if m and m["area"] not in areas and "&" not in m["area"]:
                areas.append(m["area"])
        if not areas:
            continue
        aliases = []
        for area in areas:
            aliases += [
                f"Office of the Police and Crime Commissioner for {area}",
                f"{area} Office of the Police and Crime Commissioner",
                f"{area} Police and Crime Commissioner",
                f"{area} PCC",
                f"{area} OPCC",
                f"OPCC for {area}",
                f"Police, Fire and Crime Commissioner for {area}",
                f"{area} Police, Fire and Crime Commissioner",
                f"{area} PFCC",
                f"{area} OPFCC",
                # the office under the names commissioners' offices give themselves
                f"Office of the {area} Police and Crime Commissioner",
                f"Office of the {area} Police, Fire and Crime Commissioner",
                f"{area} Office of the Police, Fire and Crime Commissioner",
                f"Office of the {area} Commissioner",
                f"{area} Commissioner's Office",
                f"{area} Commissioner",
            ]
        b.add(
            f"Police and Crime Commissioner for {areas[0]}",
            "police_and_crime_commissioner",
            aliases,
            DERIVED,
        )


def add_renamed(b: Builder) -> None:
    """Former official names (``renamed.csv``) as aliases of the body now holding the
    current name, with their short form before "NHS" where it names a kind of body."""
    for row in read_csv("renamed.csv"):
        key = name_key(row["current_name"])
        entry = b.succeeded.get(key) or b.owner.get(key)
        if entry is None or (key not in b.succeeded and name_key(entry.canonical) != key):
            raise SystemExit(f"renamed.csv: {row['current_name']!r} is no canonical name")
        former = " ".join(row["former_name"].split())
        b.alias(entry, former, HAND)
        words = former.split()
        if "NHS" in words:
            base = words[: words.index("NHS")]
            if {name_key(w) for w in base} & INSTITUTION_WORDS and len(base) >= 2:
                b.alias(entry, " ".join(base), DERIVED)


def add_welsh_names(b: Builder) -> None:
    """Welsh names of bodies in Wales (``welsh_names.csv``) as aliases of their canonical
    English name: Welsh partnerships print either, or both."""
    for row in read_csv("welsh_names.csv"):
        entry = b.owner.get(name_key(row["canonical"]))
        if entry is None or name_key(entry.canonical) != name_key(row["canonical"]):
            raise SystemExit(f"welsh_names.csv: {row['canonical']!r} is no canonical name")
        for name in split_aliases(row["welsh"]):
            b.alias(entry, name, HAND)


def places(row: dict[str, str]) -> list[str]:
    """Names of a council's area, the plainest first ("City of Bristol" -> "Bristol")."""
    nice = nice_name(row)
    if nice.startswith("City of ") and row["local-authority-type"] != "CC":
        return [nice[len("City of ") :], nice]
    return [nice]


def add_city_names(b: Builder, councils: list[dict]) -> None:
    """Councils of towns granted city status (``city_status.csv``): "<place> City Council"
    for each name of its area, mySociety's short forms too ("<place> UA" -> "<place> City
    Council"), as aliases of the council's current name (its canonical name: add_councils)."""
    by_code = {r["local-authority-code"]: r for r in councils}
    for row in read_csv("city_status.csv"):
        council = by_code.get(row["code"])
        if council is None:
            raise SystemExit(f"city_status.csv: no council with code {row['code']!r}")
        entry = b.owner.get(name_key(row["city_council"]))
        if entry is None:
            raise SystemExit(f"city_status.csv: {row['city_council']!r} is no entry")
        names = list(places(council))
        for alt in (council["alt-names"] or "").split(","):
            alt = alt.strip()
            if alt.endswith(" UA") and alt[0].isupper():  # mySociety's unitary short form
                names.append(alt.removesuffix(" UA"))
        forms = [row["city_council"]] + [f"{p} City Council" for p in dict.fromkeys(names)]
        for form in forms:
            b.alias(entry, form, DERIVED)


def add_partnerships(b: Builder, councils: list[dict]) -> None:
    brands = {r["place"]: r["brand"] for r in read_csv("csp_brands.csv")}
    current = [r for r in councils if not r["end-date"]]
    taken = {name_key(p) for r in councils for p in places(r)}
    for row in current:
        names = places(row)
        forms = [f"{p} Community Safety Partnership" for p in names] + [f"{p} CSP" for p in names]
        brand = next((brands[p] for p in names if p in brands), None)
        if brand:
            short = brand.removesuffix(" Partnership")
            entry = b.add(brand, "community_safety_partnership", [*forms, short], DERIVED)
        else:
            # many partnerships call themselves "Safer <area> Partnership" ("Safer
            # Elmbury Partnership"): that form names the area's CSP where no brand is listed
            forms += [f"Safer {p} Partnership" for p in names]
            entry = b.add(forms[0], "community_safety_partnership", forms[1:], DERIVED)
        # an area of two places ("Brighton and Hove") is often printed by its first,
        # the larger town ("Brighton CSP"), where that place is no council's own
        first = names[0].split(" and ")
        if len(first) == 2 and "," not in names[0] and name_key(first[0]) not in taken:
            for form in (f"{first[0]} Community Safety Partnership", f"{first[0]} CSP"):
                b.alias(entry, form, SHORT_FORM)
    for row in current:
        if row["local-authority-type"] not in UPPER_TIER or row["nation"] != "England":
            continue
        names = places(row)
        p = names[0]
        b.add(
            f"{p} Safeguarding Adults Board",
            "safeguarding_board",
            [f"{n} Safeguarding Adults Board" for n in names[1:]] + [f"{n} SAB" for n in names],
            DERIVED,
        )
        b.add(
            f"{p} Safeguarding Children Partnership",
            "safeguarding_board",
            [f"{n} Safeguarding Children Partnership" for n in names[1:]]
            + [f"{n} Safeguarding Children's Partnership" for n in names]
            + [f"{n} SCP" for n in names],
            DERIVED,
        )
        b.add(
            f"{p} Safeguarding Children Board",
            "safeguarding_board",
            [f"{n} Safeguarding Children Board" for n in names[1:]]
            + [f"{n} Safeguarding Children's Board" for n in names]
            + [f"{n} Local Safeguarding Children Board" for n in names]
            + [f"{n} LSCB" for n in names],
            DERIVED,
        )


def add_county_abbreviations(b: Builder) -> None:
    """Every name of two words or more holding a county's name as a word, also with the
    county's customary abbreviation ("Staffs Police", "Notts Healthcare NHS Foundation
    Trust"), as an alias of the same body at the name's own trust."""
    short = [(r["county"], r["abbreviation"]) for r in read_csv("county_abbreviations.csv")]
    counties = {county for county, _ in short}
    for entry in b.entries:
        names = [(entry.canonical, DERIVED), *entry.aliases]
        for name, trust in names:
            words = name.split()
            if len(words) < 2 or not set(words) & counties:
                continue
            for county, abbreviation in short:
                if county in words:
                    abbreviated = " ".join(abbreviation if w == county else w for w in words)
                    b.alias(entry, abbreviated, max(trust, DERIVED))


def add_initialisms(b: Builder, generated: list[tuple[Entry, str, bool]]) -> None:
    """Generated initialisms as aliases; never a word of English ("LAST", "OLD"): printed
    in capitals in a heading or a lead cell it is the word as often as the body."""
    stop = stoplist()
    for entry, letters, _ft in generated:
        if entry is None or len(letters) < 3 or letters in stop or is_english(letters.lower()):
            continue
        b.alias(entry, letters, INITIALISM)


def build() -> str:
    """The registry CSV text the sources give."""
    b = Builder()
    generated: list[tuple[Entry, str, bool]] = []
    add_hand(b)
    add_health_board_forms(b)
    councils = add_councils(b, generated)
    add_trusts(b, generated)
    add_commissioners(b)
    add_city_names(b, councils)
    add_partnerships(b, councils)
    add_commissioners_of_police(b)
    add_renamed(b)
    add_welsh_names(b)
    add_county_abbreviations(b)
    add_initialisms(b, generated)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["canonical", "type", "aliases"])
    writer.writerows(b.rows())
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if agencies.csv is stale")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({text.count(chr(10)) - 1} agencies)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

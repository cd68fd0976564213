"""Free-text lead-agency / lead-officer cells to canonical agencies.

Plans name the lead organisation in many ways: full names, local acronyms ("BCC",
"WMP"), departments ("Children's Social Care"), a role only ("Lead GP"), misspellings
and OCR damage ("Birmingharn City Counci1"). The names live in ``schemas/agencies.csv``
and the role / department words in ``schemas/agency_roles.csv`` so an analyst can add
an alias without touching code; this module only holds general rules, in this order:

1. blank cell, or a cell made only of roles / departments: the section's agency;
2. phrase scan: canonical names and aliases as whole-token runs. The FIRST
   organisation named wins (plans put the lead first: "BCC Children's Social Care and
   West Midlands Police" is led by BCC). Acronyms must be whole tokens in capitals;
   they are ignored when the cell starts with a role and a section agency is known,
   because then the role already names the section's organisation and a trailing
   acronym is a partner or reporting line ("Head of Service - Landlord Services/ BCSP");
3. typo tolerance: a word missing from the registry vocabulary and from English is
   corrected to the nearest registry word (rapidfuzz) and the phrase scan is rerun;
4. token-set match for short cells that hold a name's words out of order or without
   optional words ("Birmingham Community Healthcare Trust");
5. acronyms printed in brackets, kept apart in cleaning as weaker evidence;
6. otherwise the section's agency (lower score), or no match.

Generic words ("NHS", "Council", "Police") never match on their own: every name used
for fuzzy or token-set matching must share a distinctive word with the cell.
"""

from __future__ import annotations

import copy
import csv
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from dhrplans.normalise.cells import is_english
from dhrplans.schemas import vocab as user_vocab
from rapidfuzz import fuzz, process

from dhrplans import schemas

__all__ = [
    "METHODS",
    "Agency",
    "AgencyMatch",
    "AgencyRegistry",
    "clean_text",
    "name_key",
]

log = logging.getLogger(__name__)

METHODS = (
    "exact",
    "alias",
    "acronym",
    "plan",
    "acronym_in_plan",
    "area",
    "department",
    "token",
    "fuzzy",
    "section",
    "none",
)
ACRONYMS = frozenset({"acronym", "acronym_in_plan", "area"})
#: How a match was made, as the analyst's `lead_agency_source`: the cell names the body
#: (its name, an alias or an acronym the registry knows), a name or acronym the plan itself
#: defines, a fuzzy match, the section's agency (the cell names a role), or nothing.
SOURCES = {
    "exact": "cell",
    "alias": "alias",
    "acronym": "alias",
    "plan": "acronym_in_plan",
    "acronym_in_plan": "acronym_in_plan",
    "area": "acronym_in_plan",
    "department": "alias",
    "token": "fuzzy",
    "fuzzy": "fuzzy",
    "section": "section",
    "none": "unmatched",
}

#: fuzz.ratio a word must reach to be corrected to a registry word. One edit in a
#: 7-letter word scores 85.7 ("counci1"/"council"), one dropped letter in a 6-letter
#: word 90.9 ("polce"/"police"); the closest confusable pairs stay below it
#: ("policy"/"police" 83, "east"/"west" 75, "north"/"south" 60, "wales"/"wells" 60).
#: Words under 4 letters are never corrected: one edit there changes the word.
TOKEN_CUTOFF = 85.0
#: fuzz.ratio between the printed run of words and the registry name after correction;
#: stops a run whose words were each "nearly" right from adding up to a wrong name.
SPAN_CUTOFF = 85.0
#: fuzz.token_set_ratio for whole-cell token-set matching. Leaving out "NHS" from a
#: 40-letter trust name scores ~95, leaving out "NHS Foundation Trust" ~75: 90 admits
#: about one dropped short word, which the optional-word rule then checks.
TOKEN_SET_CUTOFF = 90.0
#: Token-set matching only for cells of at most this many words (a name, maybe reordered);
#: in longer prose, words of a name scattered over a sentence are not a name.
TOKEN_SET_MAX_WORDS = 12
#: Cells are short; anything longer is prose and only its start is scanned.
MAX_WORDS = 200
#: A definition printed in a plan ("Sheffield Health and Social Care NHS Foundation Trust
#: (SHSC)"): the name is looked for among at most this many words before the bracket.
DEFINITION_MAX_WORDS = 15
#: Acronyms learnt from a plan are 2 to this many letters (longer brackets are words).
DEFINITION_MAX_LETTERS = 10
#: Initialisms of names printed in a plan are learnt from this many letters up: two
#: letters are too often something else ("DV", "LA").
INITIALISM_MIN_LETTERS = 3

SCORE_EXACT = 100.0
SCORE_ALIAS = 97.0
SCORE_ACRONYM = 95.0
SCORE_BRACKET_ACRONYM = 90.0
#: An acronym several registry bodies share, read as the one in the plan's own area (the
#: places of the bodies it names and of its title): likely, not printed; under the
#: plan's agency_score_ok, so the record says so.
SCORE_AREA = 75.0
#: "<place> <department>" ("Kent Adult Social Care"): the one council of that place, named
#: by one of its services (schemas/council_departments.csv), as sure as an alias.
SCORE_DEPARTMENT = SCORE_ALIAS
SCORE_SECTION_ROLE = 100.0  # blank cell or roles only: the section agency is certain
SCORE_SECTION_ROLE_FIRST = 80.0  # starts with a role, rest not understood
SCORE_SECTION_UNKNOWN = 50.0  # nothing understood: section agency is a guess

#: Words that say what kind of body something is, not which one. A name is only used
#: for fuzzy / token-set matching when it has at least one other word.
GENERIC_WORDS = frozenset(
    """nhs trust foundation council county city borough district police constabulary
    force service services partnership community safety board group clinical
    commissioning integrated care social health healthcare hospital centre national
    uk hm commission agency association local authority safeguarding children adults
    team unit the of and for in on at to a an""".split()
)
#: Words a name may lose in a token-set match ("Metropolitan Police" for
#: "Metropolitan Police Service"); a subset of GENERIC_WORDS.
OPTIONAL_WORDS = frozenset("nhs foundation trust service the of and for uk".split())
#: Words a role list may use between roles ("Lead GP and Practice Manager").
ROLE_FILLER = frozenset("and or of the for with by via at in on a an plus".split())
#: A role of capitalised words ending in a job word (``reads_as_role``) has at most this
#: many words ("Domestic Abuse Housing Solutions Lead"); more is a sentence or a name.
ROLE_MAX_WORDS = 6
#: Words saying what kind of body a name is, ending it ("Constabulary", "City Council"):
#: a short name keeps them after the initials of the name's other words.
TYPE_WORDS = frozenset(
    """trust council police constabulary partnership board authority service services
    city county borough district nhs foundation integrated care commissioning group
    clinical""".split()
)
#: Small words a body's name may hold uncapitalised ("Families in Crisis", "Hills to Sea").
NAME_SMALL_WORDS = ROLE_FILLER | frozenset({"to", "upon"})
#: A name a plan defines but the registry does not know is taken as a local organisation
#: only with one of these words: "Annual Conversation (AC)", "Team Around the Family
#: (TAF)" or "Early Support (ES)" are processes and teams, not bodies that lead actions.
ORGANISATION_WORDS = frozenset(
    """trust council police constabulary partnership board charity institute foundation
    association society agency company cic ltd limited aid refuge project hospital
    surgery practice healthcare""".split()
)
#: A lead cell naming a body the registry does not know is taken as a local organisation's
#: name (for its short forms) only when it ends in one of these words: "Pathway Domestic
#: Abuse Services", "Blue Door Project", "Elmfield Medical Centre".
LOCAL_NAME_WORDS = ORGANISATION_WORDS | frozenset({"service", "services", "centre", "center"})
#: A lead cell of at most this many words, naming no kind of body, may be a short form of
#: a local name printed in full elsewhere in the plan ("Meadowbank").
LOCAL_SHORT_MAX_WORDS = 3
#: A local name's first word alone is its short form only from this many letters up.
LOCAL_SHORT_MIN_LETTERS = 4
#: Words an initialism leaves out ("Tees, Esk and Wear Valleys": TEWV).
INITIALISM_SKIP = frozenset("and of the for upon on in at with".split())
#: Words of places that say where in a place, not which place ("West", "Mid"): no area.
COMPASS_WORDS = frozenset(
    "north south east west mid central greater upper lower inner outer new city county".split()
)
#: A capitalised ordinary word used as a name ("Respect", "Refuge") after one of these
#: is the word, not the body ("in Respect of", "a Refuge").
WORD_NAME_BLOCKERS = frozenset("in with a an".split())

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)
_OCR_DIGITS = str.maketrans({"1": "l", "0": "o", "5": "s", "|": "l"})
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
_SPLIT = re.compile(r"[\W_]+")
#: An acronym as a plan defines it: letters, "&", and a digit between letters standing for
#: a word ("H2H": Hillcrest to Harbour; "B4F": Brookvale 4 Families)
_ACRONYM_FORM = rf"[A-Za-z&](?:[A-Za-z&]|\d(?=[A-Za-z&])){{1,{DEFINITION_MAX_LETTERS - 1}}}"
_DEFINITION = re.compile(rf"\(\s*({_ACRONYM_FORM})\s*\)")
#: "&" inside a short form, between capitals ("B&NES", "H&F"): one acronym's initials
_AMPERSAND_INITIALS = re.compile(r"\b([A-Z]{1,4})&([A-Z]{1,4})\b")
_EDGE_PUNCT = " \t,;:/\\-|.*\u2022"


@dataclass(frozen=True)
class Agency:
    """One organisation of the registry."""

    name: str
    type: str


@dataclass(frozen=True)
class AgencyMatch:
    """What a cell resolved to, how, and how sure (0..100), for confidence and audit."""

    agency: Agency | None
    score: float
    method: str
    text: str

    @property
    def name(self) -> str | None:
        """Canonical name, or None."""
        return self.agency.name if self.agency else None

    @property
    def type(self) -> str | None:
        """Agency type, or None."""
        return self.agency.type if self.agency else None

    @property
    def source(self) -> str:
        """cell | alias | acronym_in_plan | fuzzy | section | unmatched (SOURCES)."""
        return SOURCES[self.method] if self.agency is not None else "unmatched"


@dataclass(frozen=True)
class _Key:
    """One name (canonical or alias) as matching sees it."""

    words: tuple[str, ...]  # casefolded tokens
    agency: Agency
    method: str  # 'exact' | 'alias' | 'acronym', or 'plan' | 'acronym_in_plan' (learnt)
    distinctive: frozenset[str]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class _Hit:
    start: int
    length: int
    key: _Key
    method: str
    score: float


@dataclass(frozen=True)
class _Words:
    """A run of words three ways: as printed, casefolded, and typo-corrected."""

    orig: tuple[str, ...]
    low: tuple[str, ...]
    fixed: tuple[str, ...]


def clean_text(text: object) -> str:
    """Printed text with unicode, quotes, dashes and white space normalised.

    Case and brackets are kept: this is what a human should see in ``AgencyMatch.text``.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    if not text.isprintable():  # most text is: the per-character pass is then skipped
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split()).strip(_EDGE_PUNCT)


def _tokens(text: str) -> list[str]:
    """Words as printed: '&' read as 'and', apostrophes dropped, other punctuation splits."""
    text = text.replace("&", " and ").replace("'", "").replace('"', " ")
    return [t for t in _SPLIT.split(text) if t]


def name_key(name: str) -> str:
    """The folded form under which the registry indexes a name: two names with one key
    are one name to the matcher (so a registry builder can keep every key unique)."""
    return " ".join(_fold(t) for t in _tokens(clean_text(name)))


def _fold(word: str) -> str:
    return word.casefold()


def _role_form(word: str) -> str:
    """Casefolded and de-pluralised, so "Area Managers" matches the role "Area Manager"."""
    word = word.casefold()
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _is_acronym(word: str) -> bool:
    """True for "BCC", "SLaM", "MoJ", "DfE", "CoLP": two capitals or more, not a Title word."""
    return sum(c.isupper() for c in word) >= 2 and not word.isdigit()


def _initials_spell(acronym: str, words: Sequence[str]) -> bool:
    """The acronym's letters are the initials of the words, in order, one per word: each
    word gives its initial, a small word (INITIALISM_SKIP: "and", "of") may give it or not
    ("ABOC" and "ABC" both spell "<A...> and <B...> of <C...>")."""
    letters = acronym.upper()
    states = {0}  # letters used so far
    for word in words:
        initial = word[:1].upper()
        nxt = set()
        for k in states:
            if k < len(letters) and letters[k] == initial:
                nxt.add(k + 1)
            if word.casefold() in INITIALISM_SKIP:
                nxt.add(k)
        states = nxt
        if not states:
            return False
    return len(letters) in states


def initialisms(name: str) -> list[str]:
    """Initialisms a plan may use for a name: "University Hospitals Coventry and Warwickshire
    NHS Trust" gives UHCWNT and UHCW (the part before "NHS"), a foundation trust also the
    part before "NHS" + "FT" ("East London NHS Foundation Trust": ELFT)."""
    words = [w for w in _tokens(clean_text(name)) if w.casefold() not in INITIALISM_SKIP]
    letters = "".join(w[0].upper() for w in words if w[0].isalpha())
    out = [letters]
    folded = [w.casefold() for w in words]
    if "nhs" in folded:
        base = letters[: folded.index("nhs")]
        out.append(base)
        if "foundation" in folded:
            out.append(base + "FT")
        elif folded[-1] == "trust":  # "Sandwell and West Birmingham Hospitals NHS Trust": SWBHT
            out.append(base + "T")
    # A council's own short forms keep "and" and may leave off "Council" (Cheshire West
    # and Chester Council: CWAC, CWACC; Bath and North East Somerset: BANES)
    every = [w for w in _tokens(clean_text(name)) if w[0].isalpha()]
    if len(every) > len(words) and any(w.casefold() == "and" for w in every):
        kept = [w for w in every if w.casefold() == "and" or w.casefold() not in INITIALISM_SKIP]
        with_and = "".join(w[0].upper() for w in kept)
        out.append(with_and)
        if kept[-1].casefold() == "council":
            out.append(with_and[:-1])
    return [x for x in dict.fromkeys(out) if len(x) >= INITIALISM_MIN_LETTERS]


def _initials_fit(acronym: str, name: str) -> bool:
    """Capital letters that are the initials of some of a name's words, in order, the
    first word's first and the last word's last ("EFT": Elmfield University NHS
    Foundation Trust); words of INITIALISM_SKIP never give a letter."""
    words = [w for w in _tokens(clean_text(name)) if w[0].isalpha()]
    words = [w for w in words if w.casefold() not in INITIALISM_SKIP]
    letters = acronym.upper()
    if len(words) < len(letters) or len(letters) < INITIALISM_MIN_LETTERS:
        return False
    initials = [w[0].upper() for w in words]
    if letters[0] != initials[0] or letters[-1] != initials[-1]:
        return False
    middle = iter(initials[1:-1])
    return all(c in middle for c in letters[1:-1])


_COUNCIL_TAILS = (
    ["council"],
    *([kind, "council"] for kind in ("borough", "city", "county", "district", "town")),
)


def spells(acronym: str, name: str, inside: bool = True) -> bool:
    """A mixed-case initialism ("SLaM", "CWaC", "DfE") spelling a name: each capital is the
    initial of the next word ("and", "of"... and "NHS" may be left out), each small letter
    the initial of a small word there ("w": with) or a letter further inside the word the
    last capital began ("Hc": HealthCare); the letters use up the name, or its part before
    "NHS" ("SLaM": South London and Maudsley NHS Foundation Trust) or before a last
    "Council" ("CWaC": Cheshire West and Chester Council; "SoT": Stoke-on-Trent City
    Council). `inside` False: no letter from inside a word (a small word's initial is the
    likelier reading of a small letter than a letter inside a longer word)."""
    letters = [c for c in acronym if c.isalpha()]
    words = [w.casefold() for w in _tokens(clean_text(name)) if w[0].isalpha()]
    skippable = INITIALISM_SKIP | {"nhs"}
    if len(letters) < INITIALISM_MIN_LETTERS or not words:
        return False

    def rest(i: int, j: int, word: int, at: int) -> bool:
        if i == len(letters):
            return j == len(words) or words[j] == "nhs" or words[j:] in _COUNCIL_TAILS
        c = letters[i]
        if c.isupper():
            k = j
            while k < len(words):
                if words[k][0] == c.lower() and rest(i + 1, k + 1, k, 1):
                    return True
                if words[k] not in skippable:
                    return False
                k += 1
            return False
        if j < len(words) and words[j] in INITIALISM_SKIP and words[j][0] == c:
            if rest(i + 1, j + 1, -1, 0):
                return True
        if inside and word >= 0:
            found = words[word].find(c, at)
            if found > 0 and j == word + 1 and rest(i + 1, j, word, found + 1):
                return True
        return False

    return rest(0, 0, -1, 0)


#: A word is read as two words run together ("Healthcare": Health + Care) only when each
#: part is a word of English of at least this many letters.
COMPOUND_PART_MIN_LETTERS = 3


@lru_cache(maxsize=4096)
def _part_initials(word: str) -> tuple[str, ...]:
    """The initials a definition may take from one printed word: its first letter, then
    the first letter of its second part where the word is two English words run together
    ("Healthcare": H, C; "Elmshire": E, S). Plans build acronyms from the parts of such
    words as from separate words ("Elmshire Healthcare NHS Foundation Trust (EHCT)")."""
    core = "".join(c for c in word if c.isalnum())
    if not core:
        return ("",)
    out = [core[0].upper()]
    low = core.casefold()
    n = COMPOUND_PART_MIN_LETTERS
    if low.isalpha():
        for cut in range(n, len(low) - n + 1):
            if is_english(low[:cut]) and is_english(low[cut:]):
                out.append(low[cut].upper())
                break
    return tuple(out)


def _defined_acronyms(text: str) -> Iterator[tuple[str, str]]:
    """(name, acronym) for each "Name Of Body (NOB)" in a text: the acronym's letters are
    initials, in order, of words of the name or of the parts of a word of two words
    ("Health|care": _part_initials), the name's first word giving the first. The name is
    returned as printed ("Tees, Esk and Wear Valleys NHS Foundation Trust")."""
    for m in _DEFINITION.finditer(text):
        acronym = m.group(1)
        if not _is_acronym(acronym):
            continue
        # a digit stands for a word ("2": to, "4": for), matched by any word's initial
        letters = "".join("?" if c.isdigit() else c for c in acronym if c != "&").upper()
        before = re.findall(r"\S+", text[: m.start()])[-DEFINITION_MAX_WORDS:]
        parts_all = [_part_initials(w) for w in before]
        for start in range(len(before) - 1, -1, -1):
            first = before[start].lstrip("([\"'")
            if not first[:1].isupper() or parts_all[start][0] != letters[0]:
                continue
            heads = iter([h for parts in parts_all[start:] for h in parts])
            if all(any(h == c or c == "?" for h in heads) for c in letters):
                name = " ".join([first, *before[start + 1 :]]).strip(_EDGE_PUNCT + "(")
                yield name, acronym
                break


def _short_forms(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Shorter names a plan uses for a local name it printed in full: its first or last
    words, at least two, with a distinctive word ("West Midlands Perinatal Institute":
    "Perinatal Institute", "West Midlands Perinatal"; the caller keeps only those with a
    word the registry does not know, so "West Midlands" stays the place)."""
    out = []
    for length in range(2, len(words)):
        for part in (words[:length], words[-length:]):
            if (
                part[0] not in ROLE_FILLER
                and part[-1] not in ROLE_FILLER
                and (set(part) - GENERIC_WORDS)
            ):
                out.append(part)
    return out


def _distinctive(name: str) -> set[str]:
    return {w for w in (_fold(t) for t in _tokens(name)) if w not in GENERIC_WORDS}


@lru_cache(maxsize=1)
def _generic_acronyms() -> dict[str, str]:
    """Acronyms naming a kind of body, not one ("ICB", "OPCC"): schemas/generic_acronyms.csv."""
    rows = schemas.read_vocabulary(schemas.GENERIC_ACRONYMS_CSV)
    return {r["acronym"]: r["type"] for r in rows}


@lru_cache(maxsize=1)
def _acronym_stoplist() -> frozenset[str]:
    """Abbreviations of processes, roles and kinds of body ("MASH", "SMT") the registry
    build never emits as an initialism (schemas/registry/sources/acronym_stoplist.txt)."""
    path = Path(schemas.__file__).parent / "registry" / "sources" / "acronym_stoplist.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


def _kind_only(agency: Agency) -> bool:
    """A local name (learnt from the plan, not in the registry) of generic words only
    ("Community Safety Partnership"): it says what kind of body, not which."""
    return not agency.type and all(_fold(w) in GENERIC_WORDS for w in _tokens(agency.name))


_COUNCIL_PREFIX = re.compile(r"^(london borough of|royal borough of|city of|the)\s+")
_COUNCIL_SUFFIX = re.compile(
    r"\s+(metropolitan borough|city and county|county borough|city|county|borough|"
    r"district|town|metropolitan district)?\s*council$"
)


def _department_fold(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation as spaces, spaces folded."""
    text = clean_text(text).casefold().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[^\w ]+", " ", text).split())


@lru_cache(maxsize=1)
def _agency_kinds() -> dict[str, str]:
    """Folded kind of body -> its type (schemas/agency_kinds.csv)."""
    rows = schemas.read_vocabulary(schemas.AGENCY_KINDS_CSV)
    return {_department_fold(r["kind"]): r["type"] for r in rows}


@lru_cache(maxsize=1)
def _role_head_words() -> frozenset[str]:
    """Job words ending a role (schemas/role_head_words.csv), in lower case."""
    rows = schemas.read_vocabulary(schemas.ROLE_HEAD_WORDS_CSV)
    return frozenset(r["word"].casefold() for r in rows)


@lru_cache(maxsize=1)
def _council_departments() -> tuple[str, ...]:
    """A council's departments (schemas/council_departments.csv), the longest first."""
    rows = schemas.read_vocabulary(schemas.COUNCIL_DEPARTMENTS_CSV)
    folded = {_department_fold(r["department"]) for r in rows}
    return tuple(sorted(folded, key=lambda d: (-len(d), d)))


_DASH_SEPARATOR = re.compile(r"\s+[-\u2013\u2014]\s+")
_PART_SEPARATOR = re.compile(r"\s+[-\u2013\u2014]\s+|,\s+")


def _cell_parts(text: str) -> list[str]:
    """The whole cell, then its parts in printed order: the text outside brackets split at
    a spaced dash or a comma, then each bracketed part."""
    main, inner = _split_brackets(text)
    parts = [p.strip() for p in _PART_SEPARATOR.split(main)]
    out = [text] + [p for p in parts if p and p != text.strip()] + [p.strip() for p in inner]
    return list(dict.fromkeys(p for p in out if p))


def _split_brackets(text: str) -> tuple[str, list[str]]:
    """Main text and the bracketed bits ("(BSCP)") as separate, weaker evidence."""
    inner = _BRACKETED.findall(text)
    main = _BRACKETED.sub(" ", text)
    return main, inner


class AgencyRegistry:
    """Canonical agencies plus the indexes that resolve printed text to them.

    Indexes are built once here, so ``match`` costs a few dict look-ups per word; the
    typo corrections are memoised because plans repeat the same cells. ``ambiguous``
    lists aliases dropped because they name two bodies, ``warnings`` aliases dropped as a
    lone generic word: both should stay empty for the shipped registry (tested).
    """

    def __init__(self, agencies: list[tuple[Agency, list[str]]], roles: list[str]) -> None:
        self._agencies: tuple[Agency, ...] = tuple(a for a, _ in agencies)
        self._by_name: dict[str, Agency] = {}
        self._by_folded: dict[str, Agency] = {}
        for agency in self._agencies:
            if agency.name in self._by_name:
                raise ValueError(f"duplicate canonical agency name: {agency.name!r}")
            self._by_name[agency.name] = agency
            self._by_folded[" ".join(_fold(t) for t in _tokens(agency.name))] = agency

        phrases: dict[tuple[str, ...], _Key] = {}
        singles: dict[str, _Key] = {}
        whole: dict[str, _Key] = {}
        clashes: set[tuple[str, ...]] = set()
        self.ambiguous: list[str] = []
        self.warnings: list[str] = []

        def add(name: str, agency: Agency, is_canonical: bool) -> None:
            printed = _tokens(clean_text(name))
            if not printed:
                return
            words = tuple(t.casefold() for t in printed)  # _fold, inlined: run per name
            distinctive = frozenset(words).difference(GENERIC_WORDS)
            if len(words) == 1:
                method = "acronym" if _is_acronym(printed[0]) else "alias"
            else:
                method = "alias"
            if is_canonical:
                method = "exact"
            key = _Key(words, agency, method, distinctive)
            if not distinctive and len(words) == 1:
                self.warnings.append(f"{name!r} ({agency.name}) is a generic word: skipped")
                return
            old = phrases.get(words) if len(words) > 1 else whole.get(words[0])
            if old is not None and old.agency != agency:
                clashes.add(words)
                self.ambiguous.append(f"{name!r}: {old.agency.name} / {agency.name}")
                return
            if old is not None and old.method == "exact":
                return
            if len(words) > 1:
                phrases[words] = key
            else:
                whole[words[0]] = key
                for spelling in {printed[0], printed[0].upper()}:
                    singles[spelling] = key

        for agency, _aliases in agencies:
            add(agency.name, agency, True)
        for agency, aliases in agencies:
            for alias in aliases:
                add(alias, agency, False)
        for words in clashes:  # a name that means two bodies means neither
            phrases.pop(words, None)
            if len(words) == 1:
                gone = whole.pop(words[0], None)
                if gone is not None:
                    for spelling in [s for s, k in singles.items() if k == gone]:
                        del singles[spelling]
        for msg in self.ambiguous:
            log.warning("ambiguous agency alias dropped: %s", msg)

        self._phrases = phrases
        self._singles = singles
        self._whole = whole
        self._max_len = max((len(w) for w in phrases), default=1)
        vocab = {w for words in phrases for w in words if len(w) >= 4 and not w.isdigit()}
        self._vocab: tuple[str, ...] = tuple(sorted(vocab))
        self._vocab_set = frozenset(vocab)
        self._ts_keys: tuple[_Key, ...] = tuple(phrases.values())
        self._ts_choices: tuple[str, ...] = tuple(k.text for k in self._ts_keys)
        #: distinctive word -> indexes of the names having it: a token-set match needs a
        #: distinctive word in common, so only those names are scored.
        by_word: dict[str, list[int]] = {}
        for i, key in enumerate(self._ts_keys):
            for word in key.distinctive:
                by_word.setdefault(word, []).append(i)
        self._ts_by_word: dict[str, tuple[int, ...]] = {w: tuple(v) for w, v in by_word.items()}
        self._corrections: dict[str, str] = {}
        self._councils_by_place: dict[str, tuple[Agency, ...]] | None = None
        self._ts_cache: dict[tuple[str, ...], _Hit | None] = {}

        role_set: set[tuple[str, ...]] = set()
        for role in roles:
            words = tuple(_role_form(t) for t in _tokens(clean_text(role)))
            if words:
                role_set.add(words)
        self._roles = frozenset(role_set)
        self._role_max = max((len(r) for r in role_set), default=1)
        #: words naming places: the distinctive words of councils' and police forces' names
        #: (every area of England and Wales has both), less the compass words
        self._places = (
            frozenset(
                w
                for a in self._agencies
                if a.type in ("local_authority", "police")
                for w in _distinctive(a.name)
            )
            - COMPASS_WORDS
        )
        #: registry bodies a plan names in full (set by ``for_document``), first seen first
        self._named: tuple[Agency, ...] = ()
        #: registry bodies a plan prints by name or acronym ("TVP"), first seen first
        self._printed: tuple[Agency, ...] = ()
        #: acronym -> the name of no organisation word a plan defines by it (``for_document``)
        self._definitions: dict[str, str] = {}
        self._spelt: dict[str, tuple[Agency, ...]] = {}  # mixed-case acronym -> bodies
        #: initialism -> registry bodies (``_by_initialism``), filled once, shared by copies
        self._initialism_index: dict[str, tuple[Agency, ...]] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls, path: str | Path | None = None, roles_path: str | Path | None = None
    ) -> AgencyRegistry:
        """Registry from CSV (default ``schemas.AGENCIES_CSV``), cached per path.

        Roles come from ``agency_roles.csv`` next to the registry unless given.
        """
        shipped = path is None
        path = Path(path) if path is not None else Path(schemas.AGENCIES_CSV)
        if roles_path is None:
            roles_path = path.with_name("agency_roles.csv")
        digest = user_vocab.current_digest() if shipped else ""
        return _load_cached(str(path.resolve()), str(Path(roles_path).resolve()), digest)

    @classmethod
    def from_csv(
        cls,
        path: str | Path,
        roles_path: str | Path | None = None,
        extra: Sequence[tuple[str, str, Sequence[str]]] = (),
    ) -> AgencyRegistry:
        """Uncached load, for tests and tools that edit the CSV. ``extra``: a user
        vocabulary's rows (canonical, type, aliases), added by ``merge_user_rows``."""
        agencies: list[tuple[Agency, list[str]]] = []
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"canonical", "type", "aliases"} - set(reader.fieldnames or [])
            if missing:
                raise ValueError(f"{path}: missing columns {sorted(missing)}")
            for row in reader:
                name = " ".join((row.get("canonical") or "").split())
                if not name:
                    continue
                type_ = (row.get("type") or "").strip() or "unknown"
                aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
                agencies.append((Agency(name, type_), aliases))
        if extra:
            agencies = merge_user_rows(agencies, extra)
        roles: list[str] = []
        if roles_path is not None and Path(roles_path).exists():
            with open(roles_path, encoding="utf-8-sig", newline="") as fh:
                roles = [(r.get("text") or "").strip() for r in csv.DictReader(fh)]
        return cls(agencies, [r for r in roles if r])

    # ------------------------------------------------------------------ container
    @property
    def agencies(self) -> tuple[Agency, ...]:
        """All agencies, in file order."""
        return self._agencies

    def __len__(self) -> int:
        return len(self._agencies)

    def __iter__(self) -> Iterator[Agency]:
        return iter(self._agencies)

    def whole_name(self, text: str | None) -> Agency | None:
        """The body the whole text names, by its name or one of its aliases exactly
        ("Heddlu Dyfed-Powys"), nothing more printed; None otherwise."""
        words = tuple(t.casefold() for t in _tokens(clean_text(text)))
        if not words:
            return None
        key = self._phrases.get(words) if len(words) > 1 else self._whole.get(words[0])
        return key.agency if key is not None else None

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Agency):
            return self._by_name.get(item.name) == item
        return isinstance(item, str) and item in self._by_name

    def get(self, name: str | None) -> Agency | None:
        """Agency by canonical name (case, spacing and '&' forgiven); None if unknown."""
        if not name or not isinstance(name, str):
            return None
        found = self._by_name.get(name)
        if found is not None:
            return found
        return self._by_folded.get(" ".join(_fold(t) for t in _tokens(clean_text(name))))

    # ------------------------------------------------------------------ matching
    def match(self, text: str | None, section_agency: str | None = None) -> AgencyMatch:
        """Canonical lead agency of a lead-agency / lead-officer cell.

        ``section_agency`` is the agency owning the table; a blank or role-only cell
        means that agency (method 'section'). Never raises.
        """
        cleaned = clean_text(text)
        section = self._resolve_section(section_agency)
        main, inner = _split_brackets(cleaned)
        main_words = self._words(_tokens(main))
        inner_words = [self._words(_tokens(s)) for s in inner]
        all_printed = list(main_words.orig) + [w for iw in inner_words for w in iw.orig]

        if not all_printed:
            return self._section(section, SCORE_SECTION_ROLE, cleaned)
        if self._roles_only(all_printed):
            # a council's department is also a team ("Adult Social Care"): in a table no
            # agency owns, it names the plan's one council
            generic = self._generic_lead(cleaned) if section is None else None
            return generic or self._section(section, SCORE_SECTION_ROLE, cleaned)
        role_first = self._starts_with_role(main_words.orig)
        allow_acronyms = not (role_first and section is not None)
        if not allow_acronyms:
            named = self._after_role(cleaned)
            if named is not None:
                return named

        found = self._find(main_words, inner_words, allow_acronyms, cleaned)
        if found is None:
            found = self._find_joined(cleaned, allow_acronyms)
        if found is not None:
            return found
        generic = self._generic_lead(cleaned)
        if generic is not None:
            return generic
        score = SCORE_SECTION_ROLE_FIRST if role_first else SCORE_SECTION_UNKNOWN
        return self._section(section, score, cleaned)

    def names_role(self, text: str | None) -> bool:
        """The cell names a person's role or a team ("Safeguarding Lead", "Head of
        Quality, ...") rather than an organisation (schemas/agency_roles.csv)."""
        printed = list(self._words(_tokens(clean_text(text))).orig)
        return bool(printed) and (self._roles_only(printed) or self._starts_with_role(printed))

    def only_roles(self, text: str | None) -> bool:
        """The cell names roles or teams and nothing else ("Head of Safeguarding",
        "Practice Manager and Lead GP"): no organisation at all."""
        printed = list(self._words(_tokens(clean_text(text))).orig)
        return bool(printed) and self._roles_only(printed)

    def reads_as_role(self, text: str | None) -> bool:
        """The text reads as a person's role: a role or team agency_roles.csv knows
        (``names_role``), or a few capitalised words ending in a job word
        (schemas/role_head_words.csv: "Contracts Manager", "Tenancy Support Lead"), the
        form a role takes whether or not it is known word for word."""
        if self.names_role(text):
            return True
        words = [w.strip(_EDGE_PUNCT) for w in clean_text(text).split()]
        words = [w for w in words if w]
        if not 1 <= len(words) <= ROLE_MAX_WORDS:
            return False
        if not all(w[0].isupper() or w.isdigit() for w in words if w.lower() not in ROLE_FILLER):
            return False
        return words[-1].casefold() in _role_head_words()

    def find(self, text: str | None) -> AgencyMatch:
        """The organisation named first anywhere in a longer text (e.g. a section heading).

        "Birmingham City Council - Early Years" gives Birmingham City Council, "NHS -
        Surgery 1" gives Surgery 1; text naming no registry body gives method 'none'.
        """
        cleaned = clean_text(text)
        main, inner = _split_brackets(cleaned)
        main_words = self._words(_tokens(main))
        inner_words = [self._words(_tokens(s)) for s in inner]
        found = self._find(main_words, inner_words, True, cleaned)
        if found is None:
            found = self._find_joined(cleaned, True)
        return found if found is not None else AgencyMatch(None, 0.0, "none", cleaned)

    def _find_joined(self, cleaned: str, allow_acronyms: bool) -> AgencyMatch | None:
        """The text read again with "&" between capitals taken as joining one acronym's
        initials ("B&NES": BNES, as the registry's generated initialisms are spelt):
        plans write the "and" of "Bath and North East Somerset" into a short form as "&";
        None where no such "&" or still nothing found."""
        if not _AMPERSAND_INITIALS.search(cleaned):
            return None
        joined = _AMPERSAND_INITIALS.sub(r"\1\2", cleaned)
        main, inner = _split_brackets(joined)
        found = self._find(
            self._words(_tokens(main)),
            [self._words(_tokens(s)) for s in inner],
            allow_acronyms,
            joined,
        )
        return replace(found, text=cleaned) if found is not None else None

    def for_document(self, texts: Iterable[str | None]) -> AgencyRegistry:
        """This registry plus what one plan's own text says about names.

        - a definition ("Sheffield Health and Social Care NHS Foundation Trust (SHSC)")
          makes the acronym mean that body in this plan; a defined name the registry does
          not know becomes a local agency (type "": not in the registry) under its full name;
        - an initialism of a registry body the plan names ("Warwickshire County Council"
          -> WCC) means that body, when no other body the plan names has the same letters;
        - a short form of a local name (its first or last words) means its fullest form.
        What the plan says wins over the registry's own acronyms. The registry itself is
        not changed; the result shares its indexes and caches.
        """
        texts = [clean_text(t) for t in texts if t]
        learned: dict[str, Agency] = {}
        local: dict[str, Agency] = {}
        named: list[Agency] = []
        named_keys: list[_Key] = []  # the names the plan prints in full, as the registry has them
        printed: list[Agency] = []  # every registry body the plan names, acronyms too
        for text in texts:
            main, inner = _split_brackets(text)
            for part in [main, *inner]:
                for hit in self._scan(self._words(_tokens(part)), True):
                    if hit.length > 1 and hit.method in ("exact", "alias"):
                        named.append(hit.key.agency)
                        named_keys.append(hit.key)
                    if hit.method in ("exact", "alias", "acronym"):
                        printed.append(hit.key.agency)
        by_letters: dict[str, set[Agency]] = {}
        for agency in dict.fromkeys(named):
            for letters in initialisms(agency.name):
                by_letters.setdefault(letters, set()).add(agency)
        for letters, agencies in by_letters.items():
            if len(agencies) == 1:
                learned[letters] = next(iter(agencies))
        defined: dict[str, set[Agency]] = {}
        # definitions of names of no organisation word ("Larkfield Families in Crisis (LFIC)"):
        # an organisation's only where the plan prints the acronym as a lead
        # (with_local_names), so kept apart
        unsure: dict[str, set[str]] = {}
        for text in texts:  # a printed definition wins over an initialism
            for name, acronym in _defined_acronyms(text):
                agency = self._fuller_name(text, name, acronym) or self._defined(name, local)
                if agency is not None:
                    defined.setdefault(acronym, set()).add(agency)
                else:
                    unsure.setdefault(acronym, set()).add(name)
        shorts: list[tuple[str, str]] = []  # (short name, the body's name) of two words or more
        for text in texts:
            for short, agency in self._defined_short_names(text):
                if len(_tokens(short)) == 1:
                    defined.setdefault(short, set()).add(agency)
                else:
                    shorts.append((short, agency.name))
        for acronym, agencies in defined.items():
            if len(agencies) == 1:
                learned[acronym] = next(iter(agencies))
            else:  # one acronym defined as two bodies: it names neither
                learned.pop(acronym, None)
        doubtful = self._acronyms_of_named(texts, named, learned, by_letters)
        for acronym in doubtful:  # two bodies the plan names fit: it names neither
            learned.pop(acronym, None)
        by_area = self._acronyms_by_area(texts, named, learned, by_letters)
        doc = self._extended(local, learned, by_area) if learned or by_area else self
        if doubtful:
            doc = copy.copy(doc) if doc is self else doc
            doc._singles = {k: v for k, v in doc._singles.items() if k not in doubtful}
            folded = {_fold(d) for d in doubtful}
            doc._whole = {k: v for k, v in doc._whole.items() if k not in folded}
        shorts += self._initialled_names(texts, named_keys)
        doc = doc.with_short_names(shorts) if shorts else doc
        if printed:  # kept for a kind of body printed alone (body_of_kind); never on self
            doc = copy.copy(doc) if doc is self else doc
            doc._named = tuple(dict.fromkeys(named))
            doc._printed = tuple(dict.fromkeys(printed))
        unsure = {a: next(iter(n)) for a, n in unsure.items() if len(n) == 1 and a not in learned}
        if unsure:
            doc = copy.copy(doc) if doc is self else doc
            doc._definitions = unsure
        return doc

    def _initialled_names(self, texts: list[str], keys: list[_Key]) -> list[tuple[str, str]]:
        """(short name, body's name) of the short names a plan prints as initials of a
        name's leading words and the name's own type word(s) ("<initials> Constabulary"
        where the plan prints "<place words> Constabulary" in full): plans shorten a long
        place to its initials and keep the word saying what kind of body it is. Only for a
        body the plan names in full, its type words printed the same, the initials spelling
        every leading word ("and", "of"... may give a letter or not); an initialism two
        such bodies fit names neither (``with_short_names`` keeps one body per short name)."""
        shapes: dict[tuple[str, ...], list[tuple[tuple[str, ...], Agency]]] = {}
        for key in dict.fromkeys(keys):
            for n_type in (1, 2):
                lead, tail = key.words[:-n_type], key.words[-n_type:]
                if len(lead) < 2 or not all(w in TYPE_WORDS for w in tail):
                    continue
                if any(w in TYPE_WORDS for w in lead[-1:]):
                    continue  # the type words are all of the name's ending
                shapes.setdefault(tail, []).append((lead, key.agency))
        if not shapes:
            return []
        found: dict[str, set[Agency]] = {}
        for text in texts:
            words = _tokens(text)
            for i, word in enumerate(words):
                if not _is_acronym(word) or not word.isupper():
                    continue
                if len(word) < INITIALISM_MIN_LETTERS:
                    continue
                for tail, bodies in shapes.items():
                    after = tuple(w.casefold() for w in words[i + 1 : i + 1 + len(tail)])
                    if after != tail:
                        continue
                    for lead, agency in bodies:
                        if _initials_spell(word, lead):
                            short = " ".join(words[i : i + 1 + len(tail)])
                            found.setdefault(short, set()).add(agency)
        return [(short, next(iter(a)).name) for short, a in found.items() if len(a) == 1]

    def defined_name(self, acronym: str) -> str | None:
        """The name of no organisation word the plan defines by `acronym` ("Larkfield
        Families in Crisis (LFIC)": ``for_document``), or None."""
        return self._definitions.get(acronym)

    def defines(self, name: str) -> bool:
        """True where the plan defines an acronym for `name`, a name of no organisation
        word (``defined_name``)."""
        return name_key(name) in {name_key(n) for n in self._definitions.values()}

    def kind_of(self, text: str | None) -> str | None:
        """The type of body a text names as a kind, not as one body ("Police", "Adult
        Social Care", "GP Practice"): schemas/agency_kinds.csv, and a council's departments
        (council_departments.csv) as local_authority; else None."""
        folded = _department_fold(text or "")
        if not folded:
            return None
        kinds = _agency_kinds()
        if folded in kinds:
            return kinds[folded]
        return "local_authority" if folded in _council_departments() else None

    def body_of_kind(self, kind: str, title: str | None = None) -> Agency | None:
        """The one body of type `kind` a plan means where it prints the kind alone
        ("Police", "Adult Social Care"): the one such body the plan prints, by name or
        acronym; if it prints none, the one in the plan's area: the places of its title,
        else of the councils it names (a plan is its council's), else of every body it
        names; a council by its place exactly, as "Suffolk" is Suffolk County Council, not
        East Suffolk Council. None where two fit or none: never a guess between bodies."""
        mine = [a for a in self._printed if a.type == kind]
        if mine:
            return mine[0] if len(mine) == 1 else None
        councils_named = [a for a in self._printed if a.type == "local_authority"]
        areas = (
            {_fold(t) for t in _tokens(clean_text(title or ""))},
            {w for a in councils_named for w in _distinctive(a.name)},
            {w for a in self._named for w in _distinctive(a.name)},
        )
        for area in areas:
            area &= self._places
            if not area:
                continue
            if kind == "local_authority":
                councils = self._council_places()
                fits = list(dict.fromkeys(c for p in sorted(area) for c in councils.get(p, ())))
            else:
                fits = [a for a in self._agencies if a.type == kind and _distinctive(a.name) & area]
            if len(fits) == 1:
                return fits[0]
            if fits:
                return None
        return None

    def with_bodies(self, agencies: Iterable[Agency]) -> AgencyRegistry:
        """This registry plus local bodies a plan names (not in the registry): known by
        their full names, as a lead cell or a section heading prints them."""
        local = {name_key(a.name): a for a in agencies if a not in self}
        # and by the acronym the plan defines for it ("... Housing (H2H)": for_document)
        learned = {
            acronym: local[name_key(name)]
            for acronym, name in self._definitions.items()
            if name_key(name) in local
        }
        return self._extended(local, learned) if local else self

    def _acronyms_by_area(
        self,
        texts: list[str],
        named: list[Agency],
        learned: dict[str, Agency],
        by_letters: dict[str, set[Agency]],
    ) -> dict[str, Agency]:
        """Acronyms the plan prints that neither the registry nor the plan resolves:

        - a mixed-case initialism ("CWaC") of one body the plan names, or of one registry
          body: that body (``spells``), learnt into ``learned``;
        - an initialism several registry bodies share ("DCC"), or an acronym naming a
          kind of body of which the plan names none ("OPCC", generic_acronyms.csv): the
          one such body in the plan's area (the places its named bodies' names hold,
          Surrey for "Surrey Police"), returned apart, to be flagged (SCORE_AREA).
        Never a guess where two bodies fit: two in the area, or two the plan names."""
        distinct = list(dict.fromkeys(named))
        area = {w for a in distinct for w in _distinctive(a.name)} & self._places
        kinds = {a.type for a in distinct}
        stop = _acronym_stoplist()
        generic = _generic_acronyms()
        out: dict[str, Agency] = {}
        seen: set[str] = set()
        for text in texts:
            for word in _tokens(text):
                if word in seen or not _is_acronym(word) or len(word) < INITIALISM_MIN_LETTERS:
                    continue
                seen.add(word)
                upper = word.upper()
                if word in self._singles or word in learned:
                    continue
                if upper in learned:  # "CWaC" where the plan's "CWAC" is learnt
                    if spells(word, learned[upper].name):
                        learned[word] = learned[upper]
                    continue
                kind = generic.get(word)
                if kind is not None:
                    if kind not in kinds:  # the plan names no body of the kind
                        fits = [a for a in self._agencies if a.type == kind]
                        local = [a for a in fits if _distinctive(a.name) & area]
                        if len(local) == 1:
                            out[word] = local[0]
                    continue
                if upper in stop or is_english(word.casefold()) or upper in by_letters:
                    continue  # by_letters: an initialism of a body the plan names, decided
                if word.isupper():
                    fits = list(self._by_initialism().get(word, ()))
                    if len(fits) < 2:
                        continue  # one body: the build emitted it, or chose not to
                else:
                    mine = [a for a in distinct if spells(word, a.name, inside=False)]
                    mine = mine or [a for a in distinct if spells(word, a.name)]
                    if len(mine) == 1:
                        learned[word] = mine[0]
                        continue
                    if mine:
                        continue  # two bodies the plan names: neither
                    fits = list(self._spelling(word))
                    if len(fits) == 1:
                        learned[word] = fits[0]
                        continue
                local = [a for a in fits if _distinctive(a.name) & area]
                if len(local) == 1:
                    out[word] = local[0]
        return out

    def _acronyms_of_named(
        self,
        texts: list[str],
        named: list[Agency],
        learned: dict[str, Agency],
        by_letters: dict[str, set[Agency]],
    ) -> set[str]:
        """Acronyms the plan prints, neither defined nor an exact initialism of a body it
        names, whose letters are initials of a body the plan names in full, in order, from
        its first word to its last, words between left out ("EFT" for "Elmfield
        University NHS Foundation Trust"): that body, learnt into ``learned``, before the
        registry's national reading of the letters (a plan's acronyms are of the bodies it
        deals with: its own area's). Returns the acronyms two such bodies fit: doubtful,
        so they name neither (the lead is then flagged as not understood)."""
        distinct = [a for a in dict.fromkeys(named) if a.type]
        if not distinct:
            return set()
        stop = _acronym_stoplist()
        generic = _generic_acronyms()
        doubtful: set[str] = set()
        seen: set[str] = set()
        for text in texts:
            for word in _tokens(text):
                if word in seen or not word.isupper() or not word.isalpha():
                    continue
                seen.add(word)
                if len(word) < INITIALISM_MIN_LETTERS or word in learned or word in by_letters:
                    continue
                if word in stop or word in generic or is_english(word.casefold()):
                    continue
                known = self._singles.get(word)
                if known is not None and known.agency in distinct:
                    continue  # the registry's reading is a body the plan names
                fits = [a for a in distinct if _initials_fit(word, a.name)]
                if len(fits) == 1:
                    learned[word] = fits[0]
                elif fits:
                    doubtful.add(word)
        return doubtful

    def build_indexes(self) -> None:
        """Build now the indexes otherwise built on first use (`_by_initialism`, which
        every plan naming an acronym asks for): a run builds them once, before its
        workers fork, not once in each worker. Copies share them."""
        self._by_initialism()

    def _by_initialism(self) -> dict[str, tuple[Agency, ...]]:
        """Initialism (``initialisms``) -> the registry bodies having it, built once."""
        if not self._initialism_index:
            index: dict[str, list[Agency]] = {}
            for agency in self._agencies:
                if agency.type:  # registry bodies, not a plan's local ones
                    for letters in initialisms(agency.name):
                        index.setdefault(letters, []).append(agency)
            self._initialism_index.update((k, tuple(v)) for k, v in index.items())
        return self._initialism_index

    def _spelling(self, acronym: str) -> tuple[Agency, ...]:
        """The registry bodies a mixed-case acronym spells (memoised)."""
        found = self._spelt.get(acronym)
        if found is None:
            first = acronym[0].casefold()
            starting = [a for a in self._agencies if a.type and a.name[:1].casefold() == first]
            # small letters read as small words first ("SoT": on), inside a word after
            found = tuple(a for a in starting if spells(acronym, a.name, inside=False)) or tuple(
                a for a in starting if spells(acronym, a.name)
            )
            if len(self._spelt) < 10_000:
                self._spelt[acronym] = found
        return found

    def _defined_short_names(self, text: str) -> Iterator[tuple[str, Agency]]:
        """(short name, body) for each "Body's Full Name (Short Name)" in a text whose
        short name is not an acronym ("Solace Women's Aid (Solace)", "Metropolitan Police
        Service (Met Police)"): each of its words begins a word of the name, in order, the
        first the name's first; the name is a registry body's whole name or alias."""
        for m in re.finditer(r"\(\s*([A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,2})\s*\)", text):
            short = m.group(1)
            if _is_acronym(short):
                continue  # an acronym: _defined_acronyms reads it
            words = _tokens(short)
            before = re.findall(r"\S+", text[: m.start()])[-DEFINITION_MAX_WORDS:]
            for start in range(len(before)):
                name = " ".join(before[start:]).strip(_EDGE_PUNCT)
                parts = iter(_fold(w) for w in _tokens(name))
                if not _fold(before[start].strip(_EDGE_PUNCT)).startswith(_fold(words[0])):
                    continue
                if not all(any(p.startswith(_fold(w)) for p in parts) for w in words):
                    continue
                agency = self.whole_name(name)
                if agency is not None:
                    yield short, agency
                    break

    def with_short_names(self, pairs: Iterable[tuple[str, str]]) -> AgencyRegistry:
        """This registry plus the short names a plan's glossary gives for bodies it knows
        ("Cambs Police | Cambridgeshire Constabulary"): a short name of two or more words
        means the body the long name names as a whole (its name or an alias), unless the
        short name already names another body or two bodies."""
        found: dict[tuple[str, ...], set[Agency]] = {}
        local: dict[str, Agency] = {}
        for short, long in pairs:
            words = tuple(_fold(t) for t in _tokens(clean_text(short)))
            agency = self.whole_name(long)
            if agency is None and len(words) >= 2:
                # a local organisation's short name ("Oakfield DAS | Oakfield Domestic Abuse
                # Service"): its full name, as FORMAT.md names it
                agency = self._local_name(long, words[0])
                if agency is not None:
                    local[name_key(agency.name)] = agency
            if len(words) < 2 or agency is None:
                continue
            known = self._phrases.get(words)
            if known is not None and known.agency != agency:
                continue
            found.setdefault(words, set()).add(agency)
        fresh = {w: next(iter(a)) for w, a in found.items() if len(a) == 1}
        fresh = {w: a for w, a in fresh.items() if w not in self._phrases}
        if not fresh:
            return self
        doc = self._extended(local, {}) if local else copy.copy(self)
        doc._phrases = dict(doc._phrases)
        for words, agency in fresh.items():
            distinctive = frozenset(w for w in words if w not in GENERIC_WORDS)
            doc._phrases[words] = _Key(words, agency, "plan", distinctive)
        doc._max_len = max(self._max_len, *(len(w) for w in fresh))
        return doc

    def _local_name(self, text: str, first: str) -> Agency | None:
        """`text` as a local organisation's full name: capitalised words ending in a word
        saying what kind of body (LOCAL_NAME_WORDS), opening with `first` (the short
        name's first word), naming no registry body and no role; else None."""
        cleaned = clean_text(text)
        words = _tokens(cleaned)
        if not 2 <= len(words) <= 8 or _fold(words[0]) != first:
            return None
        if _fold(words[-1]) not in LOCAL_NAME_WORDS or not all(
            w[0].isupper() or w.isdigit() for w in words if w.lower() not in ROLE_FILLER
        ):
            return None
        if self.names_role(cleaned) or self.match(cleaned).method not in ("none", "section"):
            return None
        return self._by_folded.get(name_key(cleaned)) or Agency(cleaned, "")

    def with_local_names(
        self, cells: Iterable[str | None], texts: Sequence[str] = ()
    ) -> AgencyRegistry:
        """This registry plus the organisations a plan's lead cells name that it does not
        know: a cell the registry finds no body in, not a role, of capitalised words
        ending in a word that says what kind of body (Services, Project, Trust, Ltd:
        LOCAL_NAME_WORDS; "Practice Educator", "Falls Service Clinical Lead" are roles),
        is a local organisation under its name as printed (its fullest form: FORMAT.md),
        and its short forms (first or last words; its first word alone as a whole cell:
        "Pathway" for "Pathway Domestic Abuse Services") name it, when no other local
        name shares them. A short cell of no such word ("Meadowbank") names the one such
        name the plan's ``texts`` print opening with its words ("Meadowbank Housing
        Association should ...": FORMAT.md's fullest form). A cell that is one body's
        definition ("Oakfield Community Homes (OCH)": ``_defined_in_cell``) is that body
        under its name without the acronym, and the acronym names it."""
        local: dict[str, Agency] = {}
        shorter: list[str] = []  # cells naming a body by less than a name of its kind
        learned: dict[str, Agency] = {}
        for cell in dict.fromkeys(clean_text(c) for c in cells if c):
            for part in _PART_SEPARATOR.split(_split_brackets(cell)[0]):
                # an acronym the plan defines as a name of no organisation word ("Larkfield
                # Families in Crisis (LFIC)"), printed as the lead, alone or beside a role
                # ("LFIC - Service Manager"; never in brackets: a definition printed in the
                # cell): a lead cell names the body that leads, so the name is an
                # organisation's, as printed (FORMAT.md)
                part = part.strip()
                name = self._definitions.get(part)
                if name is None or part in learned or len(part) < INITIALISM_MIN_LETTERS:
                    continue
                if self.match(part).method != "none":
                    continue
                if part.upper() in _acronym_stoplist() or part in _generic_acronyms():
                    continue  # a process, role or kind of body ("MARAC"): decided elsewhere
                body = self._defined_lead(name)
                if body is not None:
                    learned[part] = local.setdefault(name_key(body.name), body)
            defined = self._defined_in_cell(cell)
            if defined is not None:
                name, acronym = defined
                key = name_key(name)
                agency = local.setdefault(key, self._by_folded.get(key) or Agency(name, ""))
                learned.setdefault(acronym, agency)
                continue
            cell = self.body_beside_role(cell)
            words = _tokens(cell)
            if not 1 <= len(words) <= 8 or "(" in cell or "," in cell:
                continue
            if not all(
                w[0].isupper() or w.isdigit() for w in words if w.lower() not in ROLE_FILLER
            ):
                continue
            if self.names_role(cell) or self.match(cell).method not in ("none", "section"):
                continue
            if len(words) < 2 or _fold(words[-1]) not in LOCAL_NAME_WORDS:
                if len(words) <= LOCAL_SHORT_MAX_WORDS:
                    shorter.append(cell)
                continue
            key = name_key(cell)
            local.setdefault(key, self._by_folded.get(key) or Agency(cell, ""))
        for cell in shorter:  # "Meadowbank", printed in full elsewhere in the plan
            full = self._printed_in_full(cell, texts)
            if full is not None and name_key(full) not in local:
                key = name_key(full)
                local[key] = self._by_folded.get(key) or Agency(full, "")
        # an acronym cell spelling the initials of exactly one local name the plan's lead
        # cells print in full ("ODVS" beside "Oakfield Domestic Violence Service"): that body,
        # as a definition would say; two fitting names: neither
        for cell in shorter:
            if not _is_acronym(cell) or len(cell) < INITIALISM_MIN_LETTERS or cell in learned:
                continue
            fits = [a for a in local.values() if cell.upper() in initialisms(a.name)]
            if len(fits) == 1:
                learned[cell] = fits[0]
        return self._extended(local, learned) if local or learned else self

    def body_beside_role(self, cell: str) -> str:
        """The body of a lead cell printing a body and its officer's role parted by a dash,
        in either order ("<body> – Head of Services", "Service Manager – <body>"): the
        part that does not read as a role (``reads_as_role``), so the role never joins
        the body's name; the cell as it is otherwise."""
        parts = [p.strip() for p in _DASH_SEPARATOR.split(cell)]
        if len(parts) != 2 or not all(parts):
            return cell
        first, second = parts
        if self.reads_as_role(second) and not self.reads_as_role(first):
            return first
        if self.reads_as_role(first) and not self.reads_as_role(second):
            return second
        return cell

    def _defined_lead(self, name: str) -> Agency | None:
        """A defined name printed as a lead's (``with_local_names``) as a local body: a
        few capitalised words naming no registry body and no role."""
        words = _tokens(name)
        if not 2 <= len(words) <= 8 or not all(
            w[0].isupper() or w.isdigit() for w in words if w.lower() not in NAME_SMALL_WORDS
        ):
            return None
        if self._roles_only(words) or self.names_role(name):
            return None
        if self.match(name).method not in ("none", "section"):
            return None
        return self._by_folded.get(name_key(name)) or Agency(name, "")

    def _defined_in_cell(self, cell: str) -> tuple[str, str] | None:
        """(name, acronym) of a lead cell that is one definition and nothing more,
        "Oakfield Community Homes (OCH)": capitalised words whose initials the bracketed
        acronym spells, naming no registry body and no role. A lead cell names the body
        that leads, and a definition is how a plan prints a body's name beside its short
        form, so the name is an organisation's even without a word of its kind; the
        acronym is its definition, not part of the name (FORMAT.md)."""
        m = re.fullmatch(rf"(.+?)\s*\(\s*({_ACRONYM_FORM})\s*\)", cell)
        if m is None or "(" in m.group(1) or "," in m.group(1):
            return None
        name = m.group(1).strip(_EDGE_PUNCT)
        words = _tokens(name)
        if not 2 <= len(words) <= 8 or not all(
            w[0].isupper() or w.isdigit() for w in words if w.lower() not in ROLE_FILLER
        ):
            return None
        if list(_defined_acronyms(cell)) != [(name, m.group(2))]:
            return None  # the letters are not the name's initials, or spell only its end
        if self.names_role(name) or self.match(name).method not in ("none", "section"):
            return None
        return name, m.group(2)

    def _printed_in_full(self, short: str, texts: Sequence[str]) -> str | None:
        """The one name of a local organisation the plan prints that opens with a short
        lead cell's words and goes on in capitalised words to a word saying what kind of
        body ("Meadowbank" -> "Meadowbank Housing Association", in a recommendation's
        text), or goes on with "of <place>" ("Meadowbank Homes" -> "Meadowbank Homes of
        <town>": ``_of_place``); None when the plan prints none, or two, or the registry
        knows the name. A name does not open with its first words twice: "Meadowbank
        Meadowbank Housing Association" is a glossary's line (short | long) read as one
        run of words, whose name starts at the second "Meadowbank"."""
        pattern = re.compile(
            rf"(?<![\w-])(?={re.escape(short)}((?:\s+(?:[A-Z][\w'&-]*|and|of|for|the))+))"
        )
        opening = short.split()
        found: set[str] = set()
        for text in texts:
            if short not in text:
                continue
            for m in pattern.finditer(text):
                tail = m.group(1).split()
                if tail[: len(opening)] == opening:
                    continue  # the short name again: the name opens there (found next)
                end = 0  # words of the tail the name takes
                for k in range(min(len(tail), DEFINITION_MAX_WORDS), 0, -1):
                    if _fold(tail[k - 1].strip(_EDGE_PUNCT)) in LOCAL_NAME_WORDS:
                        end = k
                        break
                end += self._of_place(tail[end:])
                if end:
                    found.add(" ".join([short, *tail[:end]]).strip(_EDGE_PUNCT))
        if len(found) != 1:
            return None
        full = found.pop()
        if self.names_role(full) or self.match(full).method not in ("none", "section"):
            return None
        return full

    def _of_place(self, words: Sequence[str]) -> int:
        """How many of `words` are "of <place>" closing a body's name ("... Homes of
        <town>", "... Trust of <county>"): "of", then capitalised words that are places
        (a council's or police force's distinctive words) or compass words, one a place,
        the last one a place; 0 when they do not open so. Local bodies are named after the
        area they serve, and "of <place>" at the end is part of that name."""
        if len(words) < 2 or words[0] != "of":
            return 0
        taken = 0
        for at, word in enumerate(words[1:], 1):
            folded = _fold(word.strip(_EDGE_PUNCT))
            if not word[:1].isupper() or folded not in self._places | COMPASS_WORDS:
                break
            if folded in self._places:
                taken = at + 1
            if word != word.rstrip(_EDGE_PUNCT):  # the sentence goes on after a comma
                break
        return taken

    def _extended(
        self,
        local: dict[str, Agency],
        learned: dict[str, Agency],
        by_area: dict[str, Agency] | None = None,
    ) -> AgencyRegistry:
        """A copy knowing local agencies (with their short forms) and learnt acronyms;
        shares this registry's indexes and caches."""
        doc = copy.copy(self)
        doc._singles = dict(self._singles)
        doc._whole = dict(self._whole)
        doc._phrases = dict(self._phrases)
        doc._by_name = dict(self._by_name)
        doc._by_folded = dict(self._by_folded)
        short: dict[tuple[str, ...], set[Agency]] = {}
        for agency in local.values():
            words = tuple(_fold(t) for t in _tokens(agency.name))
            distinctive = frozenset(w for w in words if w not in GENERIC_WORDS)
            doc._by_name[agency.name] = agency
            doc._by_folded.setdefault(" ".join(words), agency)
            if len(words) > 1:
                doc._phrases.setdefault(words, _Key(words, agency, "plan", distinctive))
            for part in _short_forms(words):
                if set(part) - GENERIC_WORDS - self._vocab_set:  # a word of its own
                    short.setdefault(part, set()).add(agency)
            first = words[0]
            if (
                len(words) > 1
                and len(first) >= LOCAL_SHORT_MIN_LETTERS
                and first.isalpha()
                and first not in GENERIC_WORDS
                and first not in self._vocab_set
            ):
                short.setdefault((first,), set()).add(agency)
        for part, agencies in short.items():  # a short form of two local names names neither
            if len(agencies) != 1:
                continue
            agency = next(iter(agencies))
            distinctive = frozenset(w for w in part if w not in GENERIC_WORDS)
            if len(part) == 1:  # a whole cell only ("Pathway"), never a word in a sentence
                if part[0] not in doc._whole:
                    doc._whole[part[0]] = _Key(part, agency, "plan", distinctive)
            elif part not in doc._phrases:
                doc._phrases[part] = _Key(part, agency, "plan", distinctive)
        doc._agencies = self._agencies + tuple(a for a in local.values() if a not in self)
        doc._max_len = max([self._max_len, *(len(w) for w in doc._phrases)])
        for method, acronyms in (("area", by_area or {}), ("acronym_in_plan", learned)):
            for acronym, agency in acronyms.items():
                word = _fold(acronym)
                key = _Key((word,), agency, method, frozenset({word}))
                doc._whole[word] = key
                for spelling in {acronym, acronym.upper()}:
                    doc._singles[spelling] = key
        return doc

    def _fuller_name(self, text: str, name: str, acronym: str) -> Agency | None:
        """A definition whose initials spell only the body's kind ("NHS Kent and Medway
        Integrated Care Board (ICB)": I-C-B): the body is the registry's whose whole name
        ends with those words, printed just before them. Bodies of one kind share the
        kind's acronym, so a plan defines it after the body's full name."""
        if not all(_fold(w) in GENERIC_WORDS for w in _tokens(name)):
            return None
        at = re.search(rf"{re.escape(name)}\s*\(\s*{re.escape(acronym)}\s*\)", text)
        if at is None:
            return None
        before = re.findall(r"\S+", text[: at.start()])[-DEFINITION_MAX_WORDS:]
        for start in range(len(before)):
            agency = self.whole_name(" ".join([*before[start:], name]).strip(_EDGE_PUNCT))
            if agency is not None:
                return agency
        return None

    def _defined(self, name: str, local: dict[str, Agency]) -> Agency | None:
        """The body a plan's definition names: the registry's if it knows the whole name,
        else a local agency under the name as printed, if the name is an organisation's
        (ORGANISATION_WORDS) and not a role ("Children's Centre Area Manager (CCAM)")."""
        hit = self._first(self._scan(self._words(_tokens(name)), False))
        n_words = len(_tokens(name))
        if hit is not None and hit.start == 0 and hit.length == n_words:
            return hit.key.agency
        if hit is not None and hit.start + hit.length == n_words and self._area_words(name, hit):
            # "<area> <a registry name>" ("Elmshire Probation Trust": an area's branch of a body
            # the registry lists under its kind's name, "Probation Trust" being an old name
            # of the Probation Service): the body the name printed in full resolves to, so
            # its acronym means what the name means (a successor's name included)
            return hit.key.agency
        found = self._token_set(self._words(_tokens(name)))
        if found is not None and found.start == 0 and found.length == n_words:
            return found.key.agency
        key = name_key(name)
        words = _tokens(name)
        folded = [_fold(w) for w in words]
        # a service named after its place ("Sheffield Domestic Abuse Service (SDAS)") is a
        # local body: a team or process of a body is not named by a place of its own
        placed_service = (
            len(folded) >= 3 and folded[-1] in LOCAL_NAME_WORDS and folded[0] in self._places
        )
        if self._roles_only(words) or not (set(folded) & ORGANISATION_WORDS or placed_service):
            return None
        if key not in local:
            local[key] = self._by_folded.get(key) or Agency(name, "")
        return local[key]

    def _area_words(self, name: str, hit: _Hit) -> bool:
        """The words of `name` before `hit` name an area: places (the distinctive words of
        councils' and police forces' names), compass words and joining words only
        ("Avon and Somerset", "North East")."""
        before = [_fold(w) for w in _tokens(name)[: hit.start]]
        return (
            bool(before)
            and all(w in self._places or w in COMPASS_WORDS or w in ROLE_FILLER for w in before)
            and any(w in self._places for w in before)
        )

    # ------------------------------------------------------------------ internals
    def _generic_lead(self, cleaned: str) -> AgencyMatch | None:
        """A cell naming a kind of body ("Police", "CSP Board", "Adult Social Care"),
        alone or first of several leads ("Police / Adult Social Care": plans put the lead
        first), read as the one body of that kind the plan means (``body_of_kind``);
        flagged as read from the plan's area."""
        if not self._printed:
            return None
        first = re.split(r"\s*/\s*|\s+(?:and|&)\s+", cleaned, maxsplit=1)[0]
        for part in dict.fromkeys([cleaned, first]):
            kind = self.kind_of(part)
            agency = self.body_of_kind(kind) if kind else None
            if agency is not None:
                return AgencyMatch(agency, SCORE_AREA, "area", cleaned)
        return None

    def _after_role(self, cleaned: str) -> AgencyMatch | None:
        """ "Head of Safeguarding, SHSC" / "Detective Inspector (WMP)": a role, then the
        agency after a comma or in brackets, names that agency (even with a section)."""
        main, inner = _split_brackets(cleaned)
        if "," in main:
            head, tail = main.split(",", 1)
            tails = [tail]
        else:
            head, tails = main, inner
        if not self._roles_only(_tokens(head)):
            return None
        for tail in tails:
            words = self._words(_tokens(tail))
            hit = self._first(self._scan(words, True))
            if hit is not None and hit.start == 0:
                return AgencyMatch(hit.key.agency, hit.score, hit.method, cleaned)
        return None

    def _find(
        self, main: _Words, inner: list[_Words], allow_acronyms: bool, cleaned: str
    ) -> AgencyMatch | None:
        whole = self._whole_cell(main)
        if whole is not None:
            return AgencyMatch(whole.key.agency, whole.score, whole.method, cleaned)
        hits = self._scan(main, allow_acronyms)
        # an acronym read by the plan's area yields to a body the cell names otherwise
        # ("OPCC Kent")
        hit = self._first([h for h in hits if h.method != "area"])
        if hit is None:
            hit = self._token_set(main)
        if hit is None:
            hit = self._first(hits)
        if hit is not None and _kind_only(hit.key.agency):
            # "Community Safety Partnership Manager (Safer Southwark Partnership)": a name
            # of generic words only, learnt from the plan, is a kind of body; the body the
            # brackets name is the one meant
            inner_hit = next(
                (h for w in inner if (h := self._first(self._scan(w, allow_acronyms)))), None
            )
            if inner_hit is not None and not _kind_only(inner_hit.key.agency):
                hit = inner_hit
        if hit is None:
            for words in inner:
                hit = self._first(self._scan(words, allow_acronyms))
                if hit is not None:
                    if hit.method in ACRONYMS:  # bracketed: weaker than in the text
                        hit = replace(hit, score=min(hit.score, SCORE_BRACKET_ACRONYM))
                    break
        if hit is None:
            return self._council_department(cleaned)
        return AgencyMatch(hit.key.agency, hit.score, hit.method, cleaned)

    def _council_department(self, cleaned: str) -> AgencyMatch | None:
        """A council named by its place and one of its services ("Kent Adult Social
        Care", "Leeds Children's Services", "Sheffield Council - Housing", "Public Health
        Norfolk"): plans name a council's department where a single body's plan is that
        department's. The place must be the place of exactly one council in the registry,
        or a name the registry (or the plan) reads as one council ("NCC Adult Social Care").

        The department may stand in one part of the cell: the part in brackets, or one
        parted by a dash or a comma from an officer's name and role ("Head of Early Help
        (Leeds Children's Services)", "Leeds Children's Services - Head of Service",
        "J. Smith, Strategic Lead, Leeds Children's Services"), as plans print a lead's
        role and body together. The first part naming a council wins."""
        for part in _cell_parts(cleaned):
            council = self._department_council(_department_fold(part))
            if council is not None:
                agency, method = council
                score = SCORE_AREA if method == "area" else SCORE_DEPARTMENT
                return AgencyMatch(agency, score, method, cleaned)
        return None

    def _department_council(self, text: str) -> tuple[Agency, str] | None:
        """(council, method) of one folded part "<place> <department>" or "<department>
        <place>"."""
        for department in _council_departments():
            if text.endswith(" " + department):
                place = text[: -len(department)].strip()
            elif text.startswith(department + " "):
                place = text[len(department) :].strip()
            else:
                continue
            place = re.sub(r"\s+(council|cc)$", "", place).strip()
            councils = self._council_places().get(place, ())
            if len(councils) == 1:
                return councils[0], "department"
            if councils or not place:
                continue
            # a place printed as the council's acronym or short name: the one council the
            # whole place names (an acronym read by the plan's area stays flagged: "area")
            hit = self._whole_cell(self._words(_tokens(place)))
            if hit is None:
                hits = self._scan(self._words(_tokens(place)), True)
                hit = hits[0] if len(hits) == 1 and hits[0].length == len(_tokens(place)) else None
            if hit is not None and hit.key.agency.type == "local_authority":
                return hit.key.agency, "area" if hit.method == "area" else "department"
        return None

    def _council_places(self) -> dict[str, tuple[Agency, ...]]:
        """Folded place -> the councils of that place ("kent" -> Kent County Council)."""
        if self._councils_by_place is None:
            places: dict[str, list[Agency]] = {}
            for agency in self._agencies:
                if agency.type != "local_authority":
                    continue
                place = _COUNCIL_PREFIX.sub("", _department_fold(agency.name))
                place = _COUNCIL_SUFFIX.sub("", place).strip()
                if place:
                    places.setdefault(place, []).append(agency)
            self._councils_by_place = {k: tuple(v) for k, v in places.items()}
        return self._councils_by_place

    def _resolve_section(self, section_agency: str | None) -> Agency | None:
        """The section agency as a registry member; a non-canonical name is looked up."""
        if not section_agency or not isinstance(section_agency, str):
            return None
        found = self.get(section_agency)
        if found is not None:
            return found
        return self.find(section_agency).agency

    @staticmethod
    def _section(section: Agency | None, score: float, cleaned: str) -> AgencyMatch:
        if section is None:
            return AgencyMatch(None, 0.0, "none", cleaned)
        return AgencyMatch(section, score, "section", cleaned)

    def _words(self, printed: list[str]) -> _Words:
        printed = printed[:MAX_WORDS]
        low = tuple(map(_fold, printed))
        return _Words(tuple(printed), low, tuple(map(self._correct, low)))

    def _correct(self, word: str) -> str:
        """The registry word a misspelt / OCR-damaged word stands for, else the word.

        A word of English is not a typo: with thousands of names in the registry, real
        words sit one edit from a name word ("director"/"direct", "policy"/"police").
        """
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        if word in self._vocab_set or len(word) < 4 or not any(c.isalpha() for c in word):
            return word
        if is_english(word):
            if len(self._corrections) < 50_000:
                self._corrections[word] = word
            return word
        variants = [word, word.replace("rn", "m"), word.replace("vv", "w")]
        if any(c.isdigit() for c in word):
            variants.append(word.translate(_OCR_DIGITS))
        best, best_score = word, 0.0
        for variant in dict.fromkeys(variants):
            if variant in self._vocab_set:
                best = variant
                break
            found = process.extractOne(
                variant, self._vocab, scorer=fuzz.ratio, score_cutoff=TOKEN_CUTOFF
            )
            if found is not None and found[1] > best_score:
                best, best_score = found[0], found[1]
        if len(self._corrections) < 50_000:
            self._corrections[word] = best
        return best

    def _whole_cell(self, words: _Words) -> _Hit | None:
        """A one-word cell that is a name in any case ("ofsted", "Bcc" stays unmatched)."""
        if len(words.low) != 1:
            return None
        key = self._whole.get(words.low[0])
        if key is None or (key.method in ACRONYMS and words.orig[0] not in self._singles):
            return None
        score = {"exact": SCORE_EXACT, "alias": SCORE_ALIAS, "area": SCORE_AREA}.get(
            key.method, SCORE_ACRONYM
        )
        return _Hit(0, 1, key, key.method, score)

    def _scan(self, words: _Words, allow_acronyms: bool) -> list[_Hit]:
        """Every name found as a whole-word run, longest at each position."""
        hits: list[_Hit] = []
        n = len(words.low)
        starts = self._phrase_starts()
        for i in range(n):
            hit = None
            # Only lengths whose words begin some name can be one.
            longest = 1
            while longest < min(self._max_len, n - i) and (
                words.fixed[i : i + longest + 1] in starts
            ):
                longest += 1
            for length in range(longest, 1, -1):
                key = self._phrases.get(words.fixed[i : i + length])
                if key is None:
                    continue
                hit = self._phrase_hit(words, i, length, key)
                if hit is not None:
                    break
            if hit is None:
                hit = self._single_hit(words, i, allow_acronyms)
            if hit is not None:
                hits.append(hit)
        return hits

    def _phrase_starts(self) -> frozenset[tuple[str, ...]]:
        """Every run of two or more words that begins a name of `_phrases` (the names
        included), built once per phrase table (an extended copy has its own)."""
        phrases = self._phrases
        cached = self.__dict__.get("_starts_of")
        if cached is not None and cached[0] is phrases and cached[1] == len(phrases):
            return cached[2]
        if (
            cached is not None
            and cached[1] == len(cached[0])
            and cached[0].keys() <= phrases.keys()
        ):
            # A copy's table: the original's and the names it added.
            added = phrases.keys() - cached[0].keys()
            starts = cached[2].union(w[:k] for w in added for k in range(2, len(w) + 1))
        else:
            starts = frozenset(w[:k] for w in phrases for k in range(2, len(w) + 1))
        self._starts_of = (phrases, len(phrases), starts)
        return starts

    @staticmethod
    def _phrase_hit(words: _Words, i: int, length: int, key: _Key) -> _Hit | None:
        low = words.low[i : i + length]
        fixed = words.fixed[i : i + length]
        if low == fixed:
            score = SCORE_EXACT if key.method == "exact" else SCORE_ALIAS
            return _Hit(i, length, key, key.method, score)
        if not key.distinctive or not any(a == b for a, b in zip(low, fixed)):
            return None  # a generic-only name, or every word was a guess
        score = fuzz.ratio(" ".join(low), key.text)
        if score < SPAN_CUTOFF:
            return None
        return _Hit(i, length, key, "fuzzy", float(score))

    def _single_hit(self, words: _Words, i: int, allow_acronyms: bool) -> _Hit | None:
        key = self._singles.get(words.orig[i])
        if key is None:
            return None
        if key.method in ACRONYMS:
            score = SCORE_AREA if key.method == "area" else SCORE_ACRONYM
            return _Hit(i, 1, key, key.method, score) if allow_acronyms else None
        if i > 0 and words.low[i - 1] in WORD_NAME_BLOCKERS:
            return None
        score = SCORE_EXACT if key.method == "exact" else SCORE_ALIAS
        return _Hit(i, 1, key, key.method, score)

    @staticmethod
    def _first(hits: list[_Hit]) -> _Hit | None:
        """The first name in the text; at one position the longest, then the surest."""
        if not hits:
            return None
        return min(hits, key=lambda h: (h.start, -h.length, -h.score))

    def _token_set(self, words: _Words) -> _Hit | None:
        """A short cell holding a name's words reordered, or without optional words.

        Memoised by the corrected words: plans repeat their lead cells, and this scan
        over every registry name is the costliest step of a match.
        """
        fixed = words.fixed
        if not fixed or len(fixed) > TOKEN_SET_MAX_WORDS:
            return None
        if fixed in self._ts_cache:
            return self._ts_cache[fixed]
        hit = self._token_set_scan(fixed)
        if len(self._ts_cache) < 50_000:
            self._ts_cache[fixed] = hit
        return hit

    def _token_set_scan(self, fixed: tuple[str, ...]) -> _Hit | None:
        present = set(fixed)
        if not present - GENERIC_WORDS:
            return None
        query = " ".join(fixed)
        # Only names sharing a distinctive word with the cell can be accepted below; they
        # are scored in registry order, so ties fall as over the whole registry.
        shared = sorted({i for w in present for i in self._ts_by_word.get(w, ())})
        found = process.extract(
            query,
            [self._ts_choices[i] for i in shared],
            scorer=fuzz.token_set_ratio,
            score_cutoff=TOKEN_SET_CUTOFF,
            limit=None,
        )
        best: tuple[tuple[float, ...], _Hit] | None = None
        for _choice, score, j in found:
            key = self._ts_keys[shared[j]]
            missing = set(key.words) - present
            if len(missing) > 2 or not missing <= OPTIONAL_WORDS:
                continue
            if not key.distinctive & present:
                continue
            kinds = set(key.words) - key.distinctive - ROLE_FILLER
            if kinds and not kinds & present:
                continue  # a bare place is not the body ("Somerset": NHS Somerset)
            pos = [j for j, w in enumerate(fixed) if w in key.words]
            span = pos[-1] - pos[0] + 1
            if span > len(key.words) + 2:
                continue
            # a name's head noun comes last: a cell ending in a word of its own (a word,
            # not an abbreviation such as "FT"), neither a kind of body nor a role's, after
            # the name's words ("<place> City Homes") is another body that shares the
            # place, not the name ("NHS <place> City")
            tail = fixed[pos[-1] + 1 :]
            if (
                tail
                and len(tail[-1]) > 3
                and tail[-1] not in GENERIC_WORDS | ROLE_FILLER
                and not self._role_at([_role_form(w) for w in tail], len(tail) - 1)
            ):
                continue
            # First named; then the name that explains most of the cell, so "Kent and
            # Medway NHS Partnership Trust" is the partnership trust, not "NHS Kent and
            # Medway" (both are token subsets, both score 100 on token_set_ratio).
            rank = (pos[0], -len(pos), -fuzz.token_sort_ratio(query, key.text), -score)
            if best is None or rank < best[0]:
                best = (rank, _Hit(pos[0], span, key, "token", float(score)))
        return best[1] if best else None

    def _role_at(self, forms: list[str], i: int) -> int:
        """Length of the longest role / department phrase starting at word i (0: none)."""
        for length in range(min(self._role_max, len(forms) - i), 0, -1):
            if tuple(forms[i : i + length]) in self._roles:
                return length
        return 0

    def _roles_only(self, printed: list[str]) -> bool:
        """True when the words are roles, departments and joining words only."""
        forms = [_role_form(w) for w in printed]
        i, seen_role = 0, False
        while i < len(forms):
            if forms[i] in ROLE_FILLER:
                i += 1
                continue
            length = self._role_at(forms, i)
            if not length:
                return False
            i += length
            seen_role = True
        return seen_role

    def _starts_with_role(self, printed: tuple[str, ...]) -> bool:
        return bool(printed) and self._role_at([_role_form(w) for w in printed], 0) > 0


@lru_cache(maxsize=8)
def _load_cached(path: str, roles_path: str, user_digest: str) -> AgencyRegistry:
    user = user_vocab.current() if user_digest else None
    registry = AgencyRegistry.from_csv(path, roles_path, user.agencies if user else ())
    registry._phrase_starts()  # with the registry (before workers fork), not per document
    return registry


def merge_user_rows(
    agencies: list[tuple[Agency, list[str]]], extra: Sequence[tuple[str, str, Sequence[str]]]
) -> list[tuple[Agency, list[str]]]:
    """The registry's rows with a user's added: a canonical name the registry knows gets
    the aliases (and the type, when one is given); a new name is a new agency. A name the
    user gives means the user's body: another entry holding it as an alias loses it.
    ValueError when a user alias is another agency's canonical name (the matcher would
    then know neither)."""
    rows = [(agency, list(aliases)) for agency, aliases in agencies]
    index = {name_key(agency.name): i for i, (agency, _) in enumerate(rows)}
    owner: dict[str, int] = {}  # key of a name the user gave -> the entry it names
    for canonical, type_, aliases in extra:
        i = index.get(name_key(canonical))
        if i is None:
            rows.append((Agency(canonical, type_ or "unknown"), []))
            i = index[name_key(canonical)] = len(rows) - 1
        elif type_ and type_ != rows[i][0].type:
            rows[i] = (Agency(rows[i][0].name, type_), rows[i][1])
        owner[name_key(canonical)] = i
        for alias in aliases:
            key = name_key(alias)
            other = index.get(key)
            if other is not None and other != i:
                raise ValueError(
                    f"alias {alias!r} of {canonical!r} is the canonical name of another "
                    f"agency ({rows[other][0].name!r})"
                )
            owner[key] = i
            rows[i][1].append(alias)
    return [
        (agency, [a for a in aliases if owner.get(name_key(a), i) == i])
        for i, (agency, aliases) in enumerate(rows)
    ]

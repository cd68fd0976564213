"""Target and completion dates as printed in UK action plans, to ``datetime.date``.

Rules (``gold/FORMAT.md``): day-first order; a month without a day means its last
day ("Mar-14" is 2014-03-31); a UK financial-year quarter means its last day, and a
season its last month's (schemas/seasons.csv: "Spring 2024" is 2024-05-31); where a
cell gives several dates or a range, the latest one; words without a date are None.
OCR slips are repaired: letter O / l / I for digits in numbers, misread month names
("Jui-13") through OCR confusions and rapidfuzz. A year a narrow column broke over two
lines ("30/04/20" / "13", joined as "30/04/20 13") is rejoined, and the reading flagged
as guessed: read as "30/04/20" it would be a confident, wrong 2020.

The parser finds every date-like span with a fixed list of patterns, most specific
first, blanking each span once it is taken so that "1st April 2014" is not read a
second time as "April 2014".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.parser import parserinfo
from rapidfuzz import fuzz, process

from dhrplans import schemas

__all__ = ["DateParse", "parse_date", "parse_date_detail"]

#: Two-digit years below this are 20xx, others 19xx.
YEAR_PIVOT = 70
#: Four-digit years outside this range are not dates (refs, counts, OCR noise).
MIN_YEAR, MAX_YEAR = 1900, 2099
#: rapidfuzz ratio (0-100) a misspelt month name must reach; only for words of 4+ letters,
#: so that "Act 2014" is never October and "Jury 14" never July.
MONTH_FUZZY_CUTOFF = 80

_PARSERINFO = parserinfo()
#: Lower-case month names and abbreviations (dateutil's list: jan, january, sep, sept...).
_MONTH_WORDS = tuple(name.lower() for names in _PARSERINFO.MONTHS for name in names)

# Characters OCR confuses inside words and numbers.
_WORD_CONFUSIONS = {"i": "l1", "l": "i1", "1": "li", "|": "li", "0": "o", "o": "0"}
_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})

# --- patterns, compiled once -------------------------------------------------------------
_MONTH = r"(?P<mon>[A-Za-z0][A-Za-z01|]{2,8})\.?"
_SEP = r"[\s\-/.,'\u2019`]*"
_YEAR = r"(?P<year>\d{4}|\d{2})(?!\d)"
_ORD = r"(?:st|nd|rd|th)?"

# A run of digits and digit look-alikes, standing alone, holding at least one real digit.
#: A numeric date whose year a narrow column broke over two lines ("30/04/20" / "13",
#: joined with a space): the century and the rest of the year, rejoined.
_BROKEN_YEAR = re.compile(r"\b(\d{1,2}[/.\-]\d{1,2}[/.\-])(19|20)\s+(\d{2})\b")
_OCR_NUMBER = re.compile(r"(?<![A-Za-z0-9])[0-9OoIl|][0-9OoIl|/.\-]*(?![A-Za-z0-9])")

_ISO = re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)")
_QUARTER = re.compile(
    r"\bQ(?:uarter|tr)?\s*(?P<q>[1-4])\b[\s,]*(?:of\s+)?(?:FY\s*)?"
    r"(?P<year>\d{4}|\d{2})(?:\s*[/\-]\s*(?:\d{4}|\d{2}))?(?!\d)",
    re.IGNORECASE,
)
_QUARTER_FY_FIRST = re.compile(
    r"(?<!\d)(?:FY\s*)?(?P<year>\d{4})\s*[/\-]\s*(?:\d{4}|\d{2})[\s,]*"
    r"Q(?:uarter|tr)?\s*(?P<q>[1-4])\b",
    re.IGNORECASE,
)
_DMY = re.compile(r"(?<!\d)(?P<day>\d{1,2})[/.\-](?P<mon>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})(?!\d)")
_DAY_MONTH_NAME = re.compile(
    rf"(?<![\dA-Za-z])(?P<day>\d{{1,2}}){_ORD}(?:\s+of)?[\s\-/.]*(?<![A-Za-z]){_MONTH}"
    rf"(?![A-Za-z]){_SEP}{_YEAR}",
    re.IGNORECASE,
)
_MONTH_NAME_DAY = re.compile(
    rf"(?<![A-Za-z]){_MONTH}(?![A-Za-z])\s+(?P<day>\d{{1,2}}){_ORD},?\s+(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(rf"(?<![A-Za-z]){_MONTH}(?![A-Za-z]){_SEP}{_YEAR}", re.IGNORECASE)
_TRAILING_MONTH = re.compile(r"(?<![A-Za-z])([A-Za-z0][A-Za-z01|]{2,8})\.?[\s\-/.,'\u2019`]*$")


@lru_cache(maxsize=1)
def _seasons() -> tuple[re.Pattern[str], dict[str, tuple[int, int]]]:
    """The season pattern ("Spring 2024", "Winter 2023/24") and each season's (last
    month, years after the printed one), from schemas/seasons.csv."""
    rows = schemas.read_vocabulary(schemas.SEASONS_CSV)
    ends = {r["season"].lower(): (int(r["last_month"]), int(r["year_offset"])) for r in rows}
    words = "|".join(sorted(map(re.escape, ends), key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![A-Za-z])(?P<season>{words})(?![A-Za-z])[\s,]*(?:of\s+)?['\u2018\u2019]?"
        r"(?P<year>\d{4}|\d{2})(?:\s*[/\-]\s*(?:\d{4}|\d{2}))?(?!\d)",
        re.IGNORECASE,
    )
    return pattern, ends


_NUM_MONTH_YEAR = re.compile(r"(?<![\d/.\-])(?P<mon>\d{1,2})[/.\-](?P<year>\d{4})(?![\d/.\-])")


@dataclass(frozen=True)
class DateParse:
    """Outcome of reading one cell, so callers can record warnings and confidence.

    ``guessed`` is True when the value is less than certain: month or quarter precision
    only, an OCR repair or fuzzy month, or the latest of several dates. ``reasons`` says
    which of those applied.
    """

    value: dt.date | None
    candidates: int = 0
    guessed: bool = False
    method: str = "none"
    reasons: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class _Candidate:
    value: dt.date
    method: str
    precision: str  # "day" | "month" | "quarter" | "season"
    repaired: tuple[str, ...]  # "ocr_digits" | "ocr_month" | "fuzzy_month"


#: Readings that follow FORMAT.md's date rules (a month alone is its last day, a quarter
#: its last day, several dates give the latest): provenance, not a reason to look.
_DOCUMENTED_RULES = ("month_only", "quarter_only", "latest_of_")


def documented_date_rule(reason: str) -> bool:
    """A ``DateParse.reasons`` entry that a documented rule decides (not a repair)."""
    return reason.startswith(_DOCUMENTED_RULES)


def parse_date(text: str | None) -> dt.date | None:
    """The date a plan's cell means (latest if several), or None; never raises."""
    return parse_date_detail(text).value


def parse_date_detail(text: str | None) -> DateParse:
    """Like :func:`parse_date` but also says how sure the reading is."""
    if not isinstance(text, str) or not text.strip():
        return DateParse(None)
    text, broken = _BROKEN_YEAR.subn(r"\1\2\3", text)
    fixed, changed = _fix_ocr_digits(text)
    found = _candidates(fixed, changed)
    if not found:
        return DateParse(None)
    best = max(found, key=lambda c: (c.value, c.precision == "day"))
    reasons: list[str] = ["year_rejoined"] if broken else []
    if best.precision != "day":
        reasons.append(f"{best.precision}_only")
    reasons.extend(best.repaired)
    if len(found) > 1:
        reasons.append(f"latest_of_{len(found)}")
    return DateParse(
        value=best.value,
        candidates=len(found),
        guessed=bool(reasons),
        method=best.method,
        reasons=tuple(reasons),
    )


# --- helpers ---------------------------------------------------------------------------------


def _fix_ocr_digits(text: str) -> tuple[str, frozenset[int]]:
    """Read O as 0 and l/I/| as 1 inside stand-alone numbers ("3O/O4/2O13")."""
    out = list(text)
    changed: set[int] = set()
    for m in _OCR_NUMBER.finditer(text):
        token = m.group()
        if not any(ch.isdigit() for ch in token):
            continue
        fixed = token.translate(_DIGIT_FIXES)
        for i, (a, b) in enumerate(zip(token, fixed, strict=True)):
            if a != b:
                out[m.start() + i] = b
                changed.add(m.start() + i)
    return "".join(out), frozenset(changed)


def _candidates(text: str, changed: frozenset[int]) -> list[_Candidate]:
    """Every date the text holds, most specific patterns first, each span read once."""
    work = text
    found: list[_Candidate] = []
    for pattern, method in ((_seasons()[0], "season"), *_PATTERNS):
        taken: list[tuple[int, int]] = []
        for m in pattern.finditer(work):
            result = _READERS[method](m)
            if result is None:
                continue
            value, precision, repaired = result
            if any(m.start() <= i < m.end() for i in changed):
                repaired = ("ocr_digits", *repaired)
            found.append(_Candidate(value, method, precision, repaired))
            taken.append(m.span())
        if taken:
            work = _blank(work, taken)
    return found


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Spaces over the spans already read, keeping every other offset."""
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += [text[last:start], " " * (end - start)]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _year(text: str) -> int | None:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < YEAR_PIVOT else 1900
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _make(year: int | None, month: int, day: int | None) -> dt.date | None:
    """A valid date; ``day=None`` means the month's last day."""
    if year is None or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last
    if not 1 <= day <= last:
        return None
    return dt.date(year, month, day)


@lru_cache(maxsize=4096)
def _month(word: str) -> tuple[int, tuple[str, ...]] | None:
    """Month number of a (possibly misread) month word, with how it was repaired."""
    low = word.lower().rstrip(".")
    exact = _PARSERINFO.month(low)
    if exact is not None:
        return exact, ()
    for variant in _ocr_variants(low):
        month = _PARSERINFO.month(variant)
        if month is not None:
            return month, ("ocr_month",)
    if len(low) >= 4 and sum(ch.isalpha() for ch in low) >= 4:
        hit = process.extractOne(
            low, _MONTH_WORDS, scorer=fuzz.ratio, score_cutoff=MONTH_FUZZY_CUTOFF
        )
        if hit is not None:
            return _PARSERINFO.month(hit[0]), ("fuzzy_month",)
    return None


def _ocr_variants(word: str) -> list[str]:
    """Spellings reachable by up to two OCR confusions, plus rn->m."""
    variants: set[str] = set()
    if "rn" in word:
        variants.add(word.replace("rn", "m"))
    frontier = {word}
    for _ in range(2):
        step: set[str] = set()
        for w in frontier:
            for i, ch in enumerate(w):
                for alt in _WORD_CONFUSIONS.get(ch, ""):
                    step.add(w[:i] + alt + w[i + 1 :])
        variants |= step
        frontier = step
    variants.discard(word)
    return sorted(variants)


_Reading = tuple[dt.date, str, tuple[str, ...]]


def _read_iso(m: re.Match[str]) -> _Reading | None:
    value = _make(_year(m["year"]), int(m["mon"]), int(m["day"]))
    return (value, "day", ()) if value else None


def _read_dmy(m: re.Match[str]) -> _Reading | None:
    value = _make(_year(m["year"]), int(m["mon"]), int(m["day"]))
    return (value, "day", ()) if value else None


def _read_named(m: re.Match[str], with_day: bool, day_first: bool = False) -> _Reading | None:
    month = _month(m["mon"])
    if month is None:
        return None
    if day_first:
        # "Mar-14 Dec-15": the 14 is Mar's year, not Dec's day.
        before = _TRAILING_MONTH.search(m.string, max(0, m.start() - 24), m.start())
        if before is not None and _month(before.group(1)) is not None:
            return None
    day = int(m["day"]) if with_day else None
    value = _make(_year(m["year"]), month[0], day)
    if value is None:
        return None
    return value, "day" if with_day else "month", month[1]


def _read_num_month_year(m: re.Match[str]) -> _Reading | None:
    value = _make(_year(m["year"]), int(m["mon"]), None)
    return (value, "month", ()) if value else None


def _read_quarter(m: re.Match[str]) -> _Reading | None:
    """Quarter of the UK financial year that starts in April of ``year``."""
    start = _year(m["year"])
    if start is None:
        return None
    q = int(m["q"])
    end_month = (3 + 3 * q - 1) % 12 + 1  # Q1 -> 6, Q2 -> 9, Q3 -> 12, Q4 -> 3
    value = _make(start + (q == 4), end_month, None)
    return (value, "quarter", ()) if value else None


def _read_season(m: re.Match[str]) -> _Reading | None:
    """A season's last day: its last month's, in the next year for winter."""
    year = _year(m["year"])
    last_month, offset = _seasons()[1][m["season"].lower()]
    value = _make(None if year is None else year + offset, last_month, None)
    return (value, "season", ()) if value else None


_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (_QUARTER, "quarter"),
    (_QUARTER_FY_FIRST, "quarter"),
    (_ISO, "iso"),
    (_DMY, "dmy"),
    (_DAY_MONTH_NAME, "day_month_name"),
    (_MONTH_NAME_DAY, "month_name_day"),
    (_MONTH_YEAR, "month_year"),
    (_NUM_MONTH_YEAR, "month_year_numeric"),
)
_READERS = {
    "season": _read_season,
    "quarter": _read_quarter,
    "iso": _read_iso,
    "dmy": _read_dmy,
    "day_month_name": lambda m: _read_named(m, with_day=True, day_first=True),
    "month_name_day": lambda m: _read_named(m, with_day=True),
    "month_year": lambda m: _read_named(m, with_day=False),
    "month_year_numeric": _read_num_month_year,
}

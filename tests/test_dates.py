"""normalise.dates: UK plan date cells to ``datetime.date`` (gold/FORMAT.md rules)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from dhrplans.normalise.dates import DateParse, parse_date, parse_date_detail
from hypothesis import given
from hypothesis import strategies as st

D = dt.date

CASES = [
    # day-first numeric
    ("30/04/2013", D(2013, 4, 30)),
    ("1/4/2013", D(2013, 4, 1)),
    ("06/03/2013", D(2013, 3, 6)),
    ("01.02.13", D(2013, 2, 1)),
    ("31.01.13.", D(2013, 1, 31)),
    ("1-4-13", D(2013, 4, 1)),
    ("  30/04/2013\n", D(2013, 4, 30)),
    # ISO
    ("2013-04-30", D(2013, 4, 30)),
    # month only: last day of the month
    ("Mar-14", D(2014, 3, 31)),
    ("Feb-13", D(2013, 2, 28)),
    ("Feb-16", D(2016, 2, 29)),
    ("Sept-14", D(2014, 9, 30)),
    ("Sep-14", D(2014, 9, 30)),
    ("September 2013", D(2013, 9, 30)),
    ("Jan 2015", D(2015, 1, 31)),
    ("Nov 14", D(2014, 11, 30)),
    ("Jun-13", D(2013, 6, 30)),
    ("Dec-14", D(2014, 12, 31)),
    ("Mar '14", D(2014, 3, 31)),
    ("MARCH 2014", D(2014, 3, 31)),
    ("Sept. 2014", D(2014, 9, 30)),
    ("04/2013", D(2013, 4, 30)),
    ("by end of May 2014", D(2014, 5, 31)),
    # UK financial-year quarters
    ("Q2 2022/23", D(2022, 9, 30)),
    ("Q4 2022-23", D(2023, 3, 31)),
    ("Q1 2023", D(2023, 6, 30)),
    ("Q3 2022/23", D(2022, 12, 31)),
    ("Q1 2022/2023", D(2022, 6, 30)),
    ("Quarter 4 2013/14", D(2014, 3, 31)),
    ("2022/23 Q3", D(2022, 12, 31)),
    # several dates or a range: the latest
    ("Dec-13 to Sept-14", D(2014, 9, 30)),
    ("31.01.13. Further updated September 2013", D(2013, 9, 30)),
    ("01/04/2013. Force Learning Board January 2015", D(2015, 1, 31)),
    (
        "Initial data set will be delivered by November 2013; "
        "Integrated Offender Management adapted by June 2014.",
        D(2014, 6, 30),
    ),
    ("Mar-14 Dec-15", D(2015, 12, 31)),
    ("Sept-14 to Mar-14", D(2014, 9, 30)),
    ("30/06/2014 - 01/01/2014", D(2014, 6, 30)),
    ("April 2013 - March 2014", D(2014, 3, 31)),
    # day + month name
    ("1st April 2014", D(2014, 4, 1)),
    ("30th Sept 2014", D(2014, 9, 30)),
    ("2nd of March 2015", D(2015, 3, 2)),
    ("23rd Dec 13", D(2013, 12, 23)),
    ("30-Apr-13", D(2013, 4, 30)),
    ("April 30, 2014", D(2014, 4, 30)),
    ("April 30th 2014", D(2014, 4, 30)),
    # OCR slips
    ("Jui-13", D(2013, 7, 31)),
    ("3O/O4/2O13", D(2013, 4, 30)),
    ("ll/O4/2O13", D(2013, 4, 11)),
    ("3O.O4.l3", D(2013, 4, 30)),
    ("September 2O13", D(2013, 9, 30)),
    ("0ct-13", D(2013, 10, 31)),
    ("Apri1 2014", D(2014, 4, 30)),
    ("Septmber 2014", D(2014, 9, 30)),
    ("Febuary 2013", D(2013, 2, 28)),
    ("Novemebr 2013", D(2013, 11, 30)),
    # two-digit year pivot
    ("01/01/69", D(2069, 1, 1)),
    ("01/01/70", D(1970, 1, 1)),
    ("Mar-99", D(1999, 3, 31)),
    # words without a date
    ("Ongoing", None),
    ("On-going All half term breaks", None),
    ("TBC", None),
    ("One month from publication of domestic homicide review", None),
    ("", None),
    ("   ", None),
    (None, None),
    ("N/A", None),
    ("Within 12 months", None),
    ("Care Act 2014 section 42", None),
    ("Act 2014", None),
    ("Jury 14", None),
    ("Q2", None),
    ("March", None),
    ("1.1", None),
    ("2013/14", None),
    # invalid days are not dates
    ("31/02/2013", None),
    ("29/02/2015", None),
    ("00/01/2013", None),
    ("12/13/2013", None),
    ("31/02/2013 or Mar-14", D(2014, 3, 31)),
    ("01/01/1850", None),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_date(text: str | None, expected: dt.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "value", "candidates", "guessed", "method", "reasons"),
    [
        ("30/04/2013", D(2013, 4, 30), 1, False, "dmy", ()),
        ("2013-04-30", D(2013, 4, 30), 1, False, "iso", ()),
        ("1st April 2014", D(2014, 4, 1), 1, False, "day_month_name", ()),
        ("Mar-14", D(2014, 3, 31), 1, True, "month_year", ("month_only",)),
        ("Q2 2022/23", D(2022, 9, 30), 1, True, "quarter", ("quarter_only",)),
        ("3O/O4/2O13", D(2013, 4, 30), 1, True, "dmy", ("ocr_digits",)),
        ("Jui-13", D(2013, 7, 31), 1, True, "month_year", ("month_only", "ocr_month")),
        ("Febuary 2013", D(2013, 2, 28), 1, True, "month_year", ("month_only", "fuzzy_month")),
        (
            "01/04/2013. Force Learning Board January 2015",
            D(2015, 1, 31),
            2,
            True,
            "month_year",
            ("month_only", "latest_of_2"),
        ),
        ("01/01/2013 and 02/02/2013", D(2013, 2, 2), 2, True, "dmy", ("latest_of_2",)),
        ("Ongoing", None, 0, False, "none", ()),
        (None, None, 0, False, "none", ()),
    ],
)
def test_parse_date_detail(
    text: str | None,
    value: dt.date | None,
    candidates: int,
    guessed: bool,
    method: str,
    reasons: tuple[str, ...],
) -> None:
    got = parse_date_detail(text)
    assert got == DateParse(value, candidates, guessed, method, reasons)
    assert parse_date(text) == got.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spring 2024", dt.date(2024, 5, 31)),
        ("Summer 2021", dt.date(2021, 8, 31)),
        ("Summer '23", dt.date(2023, 8, 31)),  # the century cut off by an apostrophe
        ("Winter \u201922/23", dt.date(2023, 2, 28)),
        ("autumn 2019", dt.date(2019, 11, 30)),
        ("Winter 2023", dt.date(2024, 2, 29)),  # December-February: ends the next year
        ("Winter 2023/24", dt.date(2024, 2, 29)),
        ("By end of Spring 2020", dt.date(2020, 5, 31)),
        ("Springfield 2020", None),
    ],
)
def test_seasons(text: str, expected: dt.date | None) -> None:
    # FORMAT.md: a season is its last month (schemas/seasons.csv)
    detail = parse_date_detail(text)
    assert detail.value == expected
    assert (detail.reasons == ("season_only",)) == (expected is not None)


def test_detail_is_frozen() -> None:
    got = parse_date_detail("Mar-14")
    with pytest.raises(AttributeError):
        got.value = None  # type: ignore[misc]


@pytest.mark.parametrize("value", [float("nan"), 42, b"30/04/2013"])
def test_non_strings_are_no_date(value: object) -> None:
    """Pandas hands over NaN for blank cells; that is not a date, and not an error."""
    assert parse_date(value) is None  # type: ignore[arg-type]


def test_day_precision_wins_a_tie() -> None:
    got = parse_date_detail("Mar-14 or 31/03/2014")
    assert got.value == D(2014, 3, 31)
    assert got.method == "dmy"


def test_a_year_broken_over_two_lines_is_rejoined_and_flagged() -> None:
    # A narrow date column breaks "30/04/2013" after the century: read as "30/04/20" it
    # would be a confident, wrong 2020.
    got = parse_date_detail("30/04/20 13")
    assert got.value == D(2013, 4, 30)
    assert got.guessed and "year_rejoined" in got.reasons
    assert parse_date_detail("30/04/20").reasons == ()  # a two-digit year alone stays


# --- properties ----------------------------------------------------------------------------

DATES = st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31))
PIVOT_DATES = st.dates(min_value=D(1970, 1, 1), max_value=D(2069, 12, 31))
DATEISH = st.text(
    alphabet=st.sampled_from(list("0123456789/.-, OolI|QqJjanuFebMrpyJlgSstOcNvDhd'")),
    max_size=40,
)


def _last_day(year: int, month: int) -> dt.date:
    return D(year, month, calendar.monthrange(year, month)[1])


@given(st.one_of(st.text(), DATEISH))
def test_never_raises_and_returns_date_or_none(text: str) -> None:
    got = parse_date_detail(text)
    assert got.value is None or isinstance(got.value, dt.date)
    assert (got.value is None) == (got.candidates == 0)
    assert isinstance(got.guessed, bool)
    if got.value is not None:
        assert 1900 <= got.value.year <= 2099


@given(DATES)
def test_round_trip_day_first_four_digit_year(d: dt.date) -> None:
    assert parse_date(d.strftime("%d/%m/%Y")) == d
    assert parse_date(f"{d.day}/{d.month}/{d.year}") == d
    assert parse_date(d.isoformat()) == d


@given(PIVOT_DATES)
def test_round_trip_two_digit_year(d: dt.date) -> None:
    assert parse_date(d.strftime("%d.%m.%y")) == d


@given(DATES)
def test_round_trip_day_month_name(d: dt.date) -> None:
    assert parse_date(f"{d.day} {calendar.month_name[d.month]} {d.year}") == d
    assert parse_date(f"{d.day}th {calendar.month_abbr[d.month]} {d.year}") == d


@given(st.integers(2000, 2069), st.integers(1, 12))
def test_month_abbr_two_digit_year_is_last_day(year: int, month: int) -> None:
    text = f"{calendar.month_abbr[month]}-{year % 100:02d}"
    got = parse_date_detail(text)
    assert got.value == _last_day(year, month)
    assert got.guessed and got.method == "month_year"


@given(st.integers(1900, 2099), st.integers(1, 12))
def test_month_name_four_digit_year_is_last_day(year: int, month: int) -> None:
    assert parse_date(f"{calendar.month_name[month]} {year}") == _last_day(year, month)


@given(st.integers(1900, 2098), st.integers(1, 4), st.sampled_from(["/", "-"]))
def test_quarter_is_last_day_of_fy_quarter(start: int, q: int, sep: str) -> None:
    got = parse_date(f"Q{q} {start}{sep}{(start + 1) % 100:02d}")
    assert got is not None
    assert D(start, 4, 1) <= got <= D(start + 1, 3, 31)
    assert got == _last_day(got.year, got.month)
    assert got.month == {1: 6, 2: 9, 3: 12, 4: 3}[q]
    assert parse_date(f"Q{q} {start}") == got


@given(DATES, DATES)
def test_range_gives_latest(a: dt.date, b: dt.date) -> None:
    assert parse_date(f"{a:%d/%m/%Y} to {b:%d/%m/%Y}") == max(a, b)


@given(DATES)
def test_ocr_zero_as_letter_o(d: dt.date) -> None:
    text = d.strftime("%d/%m/%Y").replace("0", "O")
    got = parse_date_detail(text)
    assert got.value == d
    assert ("ocr_digits" in got.reasons) == ("O" in text)


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31)), st.sampled_from("/.-"))
def test_round_trip_year_broken_after_its_century(d: dt.date, sep: str) -> None:
    printed = f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year // 100} {d.year % 100:02d}"
    assert parse_date(printed) == d

"""normalise.status: printed status / RAG text to the status vocabulary."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from dhrplans.normalise.status import (
    StatusParse,
    fold,
    infer_status,
    load_vocabulary,
    opening_status,
    parse_status,
)
from dhrplans.schemas import RAGS, STATUS_SYNONYMS_CSV, STATUSES
from hypothesis import given
from hypothesis import strategies as st


def _rows() -> list[dict[str, str]]:
    with open(STATUS_SYNONYMS_CSV, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


# --- the CSV --------------------------------------------------------------------------------


def test_csv_header_and_values() -> None:
    with open(STATUS_SYNONYMS_CSV, newline="", encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == ["text", "status", "rag"]
    rows = _rows()
    assert len(rows) > 50
    for row in rows:
        assert row["status"] in STATUSES, row
        assert row["rag"] in (*RAGS, ""), row
        assert row["text"] == " ".join(row["text"].lower().split()), row


def test_csv_has_no_conflicting_synonyms() -> None:
    seen: dict[str, tuple[str, str]] = {}
    for row in _rows():
        key = fold(row["text"])
        assert seen.setdefault(key, (row["status"], row["rag"])) == (row["status"], row["rag"])


@pytest.mark.parametrize("row", _rows(), ids=lambda r: r["text"])
def test_every_synonym_reads_back(row: dict[str, str]) -> None:
    for variant in (row["text"], row["text"].upper(), f"  {row['text'].title()} \n"):
        got = parse_status(variant)
        assert got.status == row["status"]
        assert got.rag == (row["rag"] or None)
        assert got.matched and got.method == "exact"


# --- parse_status ---------------------------------------------------------------------------

CASES = [
    # (text, status, rag, method)
    ("Action completed", "completed", None, "exact"),
    ("Completed", "completed", None, "exact"),
    ("completed", "completed", None, "exact"),
    ("complete", "completed", None, "exact"),
    ("Done", "completed", None, "exact"),
    ("Closed", "completed", None, "exact"),
    ("Achieved", "completed", None, "exact"),
    ("Ongoing", "in_progress", None, "exact"),
    ("On-going", "in_progress", None, "exact"),
    ("On going", "in_progress", None, "exact"),
    ("ON-GOING.", "in_progress", None, "exact"),
    ("In progress", "in_progress", None, "exact"),
    ("Partially completed", "in_progress", None, "exact"),
    ("Started", "in_progress", None, "exact"),
    ("Underway", "in_progress", None, "exact"),
    ("Not started", "not_started", None, "exact"),
    ("Not yet started", "not_started", None, "exact"),
    ("Post publication", "not_started", None, "exact"),
    ("Post-publication", "not_started", None, "exact"),
    ("Outstanding", "not_started", None, "exact"),
    ("Open", "in_progress", None, "exact"),
    ("Pending", "not_started", None, "exact"),
    ("Green", "completed", "green", "exact"),
    ("Amber", "in_progress", "amber", "exact"),
    ("Red", "not_started", "red", "exact"),
    ("G", "completed", "green", "exact"),
    ("A", "in_progress", "amber", "exact"),
    ("R", "not_started", "red", "exact"),
    ("Blue", "completed", None, "exact"),
    ("Complete - Green", "completed", "green", "exact"),
    ("Complete – Green", "completed", "green", "exact"),
    ("Amber - in progress", "in_progress", "amber", "exact"),
    ("Amber / In Progress", "in_progress", "amber", "exact"),
    # blank
    ("", "unknown", None, "blank"),
    ("   \n ", "unknown", None, "blank"),
    ("-", "unknown", None, "blank"),
    (None, "unknown", None, "blank"),
    # a synonym inside longer text, longest first
    ("Action completed Oct 13", "completed", None, "phrase"),
    ("Completed March 2014", "completed", None, "phrase"),
    ("Not yet completed - awaiting sign off", "in_progress", None, "opening"),
    ("Partially completed; training outstanding", "in_progress", None, "opening"),
    ("Status: Completed (Green)", "completed", "green", "phrase"),
    ("Green - ongoing", "in_progress", "green", "phrase"),
    ("Not started, due to start April", "not_started", None, "opening"),
    # a note opening with its status, closed by a dash, a full stop or "due to": that
    # status, whatever the note says after it
    ("Not started \u2013 awaiting the final report.", "not_started", None, "opening"),
    ("Not yet due. Training booked for May.", "not_started", None, "opening"),
    ("Delayed due to sickness; new lead named May 2016.", "in_progress", None, "opening"),
    ("In progress. 30 files audited, completed by June.", "in_progress", None, "opening"),
    ("Ongoing - not yet started in the second team", "in_progress", None, "opening"),
    ("Completed \u2014 procedure reissued", "completed", None, "opening"),
    ("Amber - in progress - two of five teams trained", "in_progress", "amber", "opening"),
    # typos and OCR
    ("Compelted", "completed", None, "fuzzy"),
    ("Ongoin", "in_progress", None, "fuzzy"),
    ("In progess", "in_progress", None, "fuzzy"),
    ("Not strated", "not_started", None, "fuzzy"),
    ("Compelted Oct 13", "completed", None, "fuzzy"),
    ("Gren", "completed", "green", "fuzzy"),
    ("C0mpleted", "completed", None, "exact+ocr"),
    ("C0mp1eted", "completed", None, "exact+ocr"),
    # colour words anywhere
    ("RAG: Amber", "in_progress", "amber", "colour"),
    ("Rated red by board", "not_started", "red", "colour"),
    ("Red/Amber", "not_started", "red", "colour"),
    # nothing recognised
    ("Something else entirely", "unknown", None, "none"),
    ("See narrative", "unknown", None, "none"),
    ("TBC", "unknown", None, "exact"),
    ("N/A", "unknown", None, "exact"),
]


@pytest.mark.parametrize(("text", "status", "rag", "method"), CASES)
def test_parse_status(text: str | None, status: str, rag: str | None, method: str) -> None:
    got = parse_status(text)
    assert (got.status, got.rag, got.method) == (status, rag, method)
    assert got.matched == (method != "none")


def test_scores_rank_the_methods() -> None:
    exact = parse_status("Completed").score
    phrase = parse_status("Completed March 2014").score
    fuzzy = parse_status("Compelted").score
    colour = parse_status("RAG: Amber").score
    assert exact == 1.0
    assert 1.0 > phrase > fuzzy > 0.0
    assert 1.0 > colour > 0.0
    assert parse_status("C0mpleted").score < exact
    assert parse_status("nothing here").score == 0.0


def test_short_synonyms_only_as_the_whole_cell() -> None:
    """ "a" is Amber as a cell, not as an article inside a sentence."""
    got = parse_status("a review is planned for a later date")
    assert got.rag is None
    assert got.status == "not_started"  # "planned"
    assert parse_status("Write a letter").matched is False


def test_alternative_vocabulary(tmp_path: Path) -> None:
    path = tmp_path / "syn.csv"
    path.write_text("text,status,rag\nsigned off by board,completed,\nbrown,not_started,red\n")
    assert parse_status("Signed off by board", vocab_path=path) == StatusParse(
        "completed", None, True, 1.0, "exact"
    )
    assert parse_status("Brown", vocab_path=path).rag == "red"
    # the default vocabulary is not used for this path
    assert parse_status("Completed", vocab_path=path).status == "unknown"
    assert load_vocabulary(path) is load_vocabulary(path)  # cached


@pytest.mark.parametrize(
    "body",
    [
        "text,status,rag\ndone,finished,\n",
        "text,status,rag\ndone,completed,purple\n",
        "text,status,rag\n,completed,\n",
        "text,status,rag\ndone,completed,\nDone,in_progress,\n",
    ],
)
def test_bad_vocabulary_is_refused(tmp_path: Path, body: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(body)
    with pytest.raises(ValueError):
        load_vocabulary(path)


def test_fold() -> None:
    assert fold("  On-Going\n") == "on going"
    assert fold("Complete – Green") == "complete green"
    assert fold("C0mp1eted") == "completed"
    assert fold("C0mp1eted", ocr=False) == "c0mp1eted"
    assert fold("Q1 2013") == "q1 2013"


# --- infer_status ---------------------------------------------------------------------------

INFER = [
    ("Completed", "completed"),
    ("Action completed", "completed"),
    ("This action is complete", "completed"),
    ("This action has been completed.", "completed"),
    ("Completed March 2014", "completed"),
    ("Completed - policy updated and circulated to all staff", "completed"),
    ("Actions completed 30/04/2013", "completed"),
    ("Training delivered to all staff. Complete.", "completed"),
    ("Training delivered. Completed 30/04/2013.", "completed"),
    ("Policy revised.\nDone", "completed"),
    ("Ongoing. Update Jan 2014: Completed.", "completed"),
    ("In progress", "in_progress"),
    ("ongoing", "in_progress"),
    ("On-going - reviewed quarterly", "in_progress"),
    ("Work is ongoing with partners", "in_progress"),
    ("Partially completed", "in_progress"),
    ("Completed. Further training ongoing.", "completed"),
    # not clear enough
    ("Staff will complete the training by March", None),
    ("Complete the training", None),
    ("Action: complete the audit of all cases", None),
    ("All practitioners to complete the domestic abuse e-learning module", None),
    ("Training to be completed by all staff. Audit complete the following quarter", None),
    ("The ongoing review of cases will report", None),
    ("Once the review is completed, the policy will change", None),
    ("Not completed", None),
    ("We have completed the audit", None),
    ("Compelted", None),
    ("", None),
    ("   ", None),
    (None, None),
]


@pytest.mark.parametrize(("text", "expected"), INFER)
def test_infer_status(text: str | None, expected: str | None) -> None:
    assert infer_status(text) == expected


# --- properties -----------------------------------------------------------------------------

STATUSISH = st.text(
    alphabet=st.sampled_from(list("completedongiurstabfRAGB01|-./ :;\n")), max_size=40
)


@given(st.one_of(st.text(), STATUSISH))
def test_parse_status_never_raises_and_stays_in_vocabulary(text: str) -> None:
    got = parse_status(text)
    assert got.status in STATUSES
    assert got.rag is None or got.rag in RAGS
    assert 0.0 <= got.score <= 1.0
    assert got.matched or got.status == "unknown"


@given(st.one_of(st.text(), STATUSISH))
def test_infer_status_never_raises_and_stays_in_vocabulary(text: str) -> None:
    assert infer_status(text) in (None, "completed", "in_progress")


@given(st.text(alphabet=" \t\n\r-.", max_size=10))
def test_blank_is_unknown(text: str) -> None:
    assert parse_status(text) == StatusParse("unknown", None, True, 1.0, "blank")


@given(
    st.sampled_from(["Staff", "All practitioners", "The team", "Managers"]),
    st.sampled_from(["will complete", "are to complete", "must complete", "should complete"]),
    st.sampled_from(["the training", "an audit", "the e-learning module", "a review"]),
    st.sampled_from(["", " by March 2014", " within 6 months", "."]),
)
def test_narrative_mentioning_complete_is_not_a_status(
    who: str, verb: str, what: str, tail: str
) -> None:
    assert infer_status(f"{who} {verb} {what}{tail}") is None


@given(
    st.sampled_from(["Completed", "Action completed", "This action is complete", "Complete"]),
    st.dates(dt.date(2000, 1, 1), dt.date(2069, 12, 31)).map(lambda d: d.strftime("%B %Y")),
)
def test_completed_with_a_date_is_completed(phrase: str, when: str) -> None:
    assert infer_status(f"{phrase} {when}") == "completed"
    assert parse_status(f"{phrase} {when}").status == "completed"


NOTE_WORDS = st.sampled_from(
    [
        "awaiting", "the report", "staff changes", "new lead", "named", "July 2015", "not",
        "started", "completed", "in progress", "ongoing", "due", "to", "training", "30 files",
        "audit", "; ", ". ", ", ", "(draft)", "outstanding", "delayed",
    ]
)  # fmt: skip
#: What may close a status opening a note.
CLOSERS = st.sampled_from([" \u2013 ", "\u2013", " \u2014 ", " - ", ". ", "; ", ": ", " due to "])


def _opening_synonyms() -> list[dict[str, str]]:
    vocab = load_vocabulary()
    return [r for r in _rows() if fold(r["text"]) in vocab.phrase_set]


@given(
    st.sampled_from(_opening_synonyms()),
    CLOSERS,
    st.lists(NOTE_WORDS, min_size=0, max_size=12).map(" ".join),
)
def test_a_note_opening_with_a_status_has_that_status(
    row: dict[str, str], closer: str, note: str
) -> None:
    text = f"{row['text'].capitalize()}{closer}awaiting {note}"  # a note, not the cell
    got = parse_status(text)
    assert got.status == row["status"], text
    assert got.method == "opening"
    assert opening_status(text) == got


@given(st.sampled_from(_opening_synonyms()), st.sampled_from(["", ".", " ."]))
def test_a_whole_cell_synonym_is_exact_not_an_opening(row: dict[str, str], end: str) -> None:
    got = parse_status(f"{row['text']}{end}")
    assert got.status == row["status"] and got.method == "exact"


@given(
    st.sampled_from(["", "Status: ", "The ", "Action ", "Staff "]),
    st.sampled_from(["training was", "team", "audit", "review"]),
    st.lists(NOTE_WORDS, min_size=0, max_size=8).map(" ".join),
)
def test_a_note_opening_with_other_words_has_no_opening_status(
    lead: str, noun: str, note: str
) -> None:
    # a status word later in the note is no opening, even after a dash or full stop
    assert opening_status(f"{lead}{noun} - {note}") is None


@pytest.mark.parametrize(
    "text",
    [
        "No. of staff trained: 40",  # a short code ("no", "a", "g") opens nothing
        "A. Smith to report - June",
        "G. Brown leads; report due",
        "Green - see notes",  # a colour opening a note is no status on its own
        "Completed the training by March",  # no closer after the synonym
        "On-going work with schools",
        "",
        None,
    ],
)
def test_no_opening_status(text: str | None) -> None:
    assert opening_status(text) is None


@pytest.mark.parametrize(
    ("rgb", "rag"),
    [
        ((1.0, 0.0, 0.0), "red"),
        ((0.75, 0.0, 0.0), "red"),
        ((1.0, 0.75, 0.0), "amber"),
        ((1.0, 1.0, 0.0), "amber"),
        ((0.0, 0.69, 0.31), "green"),
        ((0.57, 0.82, 0.31), "green"),
        ((0.85, 0.85, 0.85), None),  # header grey
        # pale tints behind status words (Excel's Good/Neutral/Bad): no rating, every hue
        ((0xC6 / 255, 0xEF / 255, 0xCE / 255), None),
        ((1.0, 0xEB / 255, 0x9C / 255), None),
        ((1.0, 0xC7 / 255, 0xCE / 255), None),
        ((1.0, 0x50 / 255, 0x50 / 255), "red"),  # a lighter red is still red
        ((0.0, 0.44, 0.75), None),  # blue: not a RAG colour
        ((0.1, 0.1, 0.1), None),
        (None, None),
    ],
)
def test_rag_from_cell_colour(rgb, rag) -> None:
    from dhrplans.normalise.status import rag_from_colour

    assert rag_from_colour(rgb) == rag


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Yes", "completed"),
        ("Y", "completed"),
        ("Met", "completed"),
        ("Partially met", "in_progress"),
        ("Not met", "in_progress"),
        ("Not achieved", "in_progress"),
        ("Overdue", "in_progress"),
        ("No", "in_progress"),  # FORMAT.md (extended): N/No in a Y/N column is an open action
    ],
)
def test_yes_no_and_met_columns(text: str, status: str) -> None:
    assert parse_status(text).status == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("N", "in_progress"),  # FORMAT.md: in a Y/N completion column N/No is an open action
        ("No", "in_progress"),
        ("Y", "completed"),
        ("Not yet due", "not_started"),  # FORMAT.md names it
        ("On target", "in_progress"),  # FORMAT.md names it
        ("Partially achieved", "in_progress"),
    ],
)
def test_format_md_status_words(text: str, status: str) -> None:
    assert parse_status(text).status == status


@pytest.mark.parametrize(
    ("mark", "status"), [("✓", "completed"), ("✔", "completed"), ("✗", "in_progress")]
)
def test_tick_and_cross_in_a_completion_column(mark: str, status: str) -> None:
    assert parse_status(mark).status == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Y – 12/01/24", "completed"),  # a Y/N completion cell with the day it was done
        ("Yes (12/01/24)", "completed"),
        ("Y 12.01.2024", "completed"),
        ("Yes - March 2024", "completed"),
        ("N – 12/01/24", "in_progress"),
        ("Complete 12/01/24", "completed"),
    ],
)
def test_short_status_followed_by_a_date(text: str, status: str) -> None:
    parsed = parse_status(text)
    assert parsed.matched
    assert parsed.status == status


@pytest.mark.parametrize("text", ["Y 2", "Yes (see note)", "Y – 12 staff"])
def test_short_status_followed_by_no_date_is_not_read(text: str) -> None:
    assert parse_status(text).status == "unknown"

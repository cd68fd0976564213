"""Plans from templates the team did not write: 20 plans drawn by an outside tester's own
generator (tests/fixtures/independent/generate.py, python-docx, not tests/fixtures/generate.py),
each rendered as DOCX and as PDF (LibreOffice), with gold written from the same spec.

They were made to find what the pipeline had not learnt (two-row grouped headers, a
"Recommendation and actions" column, a running footer naming the plan, forms per agency,
Welsh bodies...). Each failure class they showed is fixed and has a unit test elsewhere; this
is the ratchet over the whole set. Two gold readings here differ from the team's reading of
FORMAT.md and are left as the tester wrote them (so the floors are below 100): an
"Appendix A: Action Plan" title as a section heading, and a "Lead"/"By whom" column of role
titles as the lead agency's printed text (the team reads it as lead_officer).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_generated import score_sample

SAMPLE = Path(__file__).parent / "fixtures" / "independent"

# Measured on this set (rounded down to 1 decimal); raise when the pipeline improves.
FLOORS = {
    "pdf": {
        "recall": 100.0,
        "precision": 100.0,
        "printed": 99.3,
        "context": 96.0,
        "normalised": 99.6,
    },
    "docx": {
        "recall": 100.0,
        "precision": 100.0,
        "printed": 99.3,
        "context": 96.0,
        "normalised": 99.6,
    },
}


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict:
    return score_sample(SAMPLE, tmp_path_factory)


def test_every_plan_scored(scored):
    assert scored["n_docs"] == 2 * len(list((SAMPLE / "gold").glob("*.json")))


def test_every_word_in_an_action_plan_table_is_accounted(scored):
    assert scored["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed", "context", "normalised"])
def test_not_worse_than_the_floor(scored, kind, metric):
    got, floor = scored[kind][metric], FLOORS[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below the floor {floor}%"


# A second outside tester's 10 plans (tests/fixtures/independent2, their own generator), taken
# at the end of session 3 with its open failure classes (issue 10's note): an agency column
# merged down its rows under a recommendation banner, label | value | label | value forms, a
# recommendation as the first row of a small table under a caption. All fixed in session 4;
# floors measured after.
SAMPLE2 = Path(__file__).parent / "fixtures" / "independent2"
FLOORS2 = {"recall": 100.0, "precision": 100.0, "printed": 100.0}


@pytest.fixture(scope="module")
def scored2(tmp_path_factory) -> dict:
    return score_sample(SAMPLE2, tmp_path_factory)


def test_second_sample_every_word_accounted(scored2):
    assert scored2["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", sorted(FLOORS2))
def test_second_sample_not_worse_than_the_floor(scored2, kind, metric):
    got = scored2[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= FLOORS2[metric], f"{kind} {metric}: {got:.2f}% is below {FLOORS2[metric]}%"


# A third outside tester's 12 plans (tests/fixtures/independent3, session 4): bilingual Welsh /
# English labels, group headers over some columns beside labels merged down both rows, two-line
# page headers on two-page plans, an agency column on every row, "Green - complete" statuses,
# boxed tables with no rules between rows, unruled single-spaced rows ("Action 1.1" refs).
# All fixed in session 4; floors measured after.
SAMPLE3 = Path(__file__).parent / "fixtures" / "independent3"
FLOORS3 = {
    "pdf": {"recall": 100.0, "precision": 100.0, "printed": 99.9},
    "docx": {"recall": 100.0, "precision": 100.0, "printed": 100.0},
}


@pytest.fixture(scope="module")
def scored3(tmp_path_factory) -> dict:
    return score_sample(SAMPLE3, tmp_path_factory)


def test_third_sample_every_word_accounted(scored3):
    assert scored3["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed"])
def test_third_sample_not_worse_than_the_floor(scored3, kind, metric):
    got, floor = scored3[kind][metric], FLOORS3[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below {floor}%"


# A fourth outside tester's 12 plans (tests/fixtures/independent4, session 4): labels written
# as questions ("What needs to happen", "Who is responsible"), lettered and Roman-numeral
# recommendations, a separate list of the recommendations named by number in a "Rec"
# column, a "Done" column of ticks, an officer's column of agency names, a rotated agency
# column. Floors measured after the session's fixes.
SAMPLE4 = Path(__file__).parent / "fixtures" / "independent4"
FLOORS4 = {
    "pdf": {"recall": 100.0, "precision": 100.0, "printed": 99.9},
    "docx": {"recall": 100.0, "precision": 100.0, "printed": 100.0},
}


@pytest.fixture(scope="module")
def scored4(tmp_path_factory) -> dict:
    return score_sample(SAMPLE4, tmp_path_factory)


def test_fourth_sample_every_word_accounted(scored4):
    assert scored4["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed"])
def test_fourth_sample_not_worse_than_the_floor(scored4, kind, metric):
    got, floor = scored4[kind][metric], FLOORS4[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below {floor}%"


# A fifth outside tester's 10 plans (tests/fixtures/independent5, session 4), the last
# measure of the session on templates the code had not seen: recall 85.3%, precision 100%,
# printed 93.6% (PDF) / 94.4% (DOCX) before its fixes (a label qualified by a word,
# "Intended action"; a "Recommendation N" caption over a paragraph of its text; words in
# capitals broken by a narrow column). Floors measured after.
SAMPLE5 = Path(__file__).parent / "fixtures" / "independent5"
FLOORS5 = {
    "pdf": {"recall": 100.0, "precision": 100.0, "printed": 96.5},
    "docx": {"recall": 100.0, "precision": 100.0, "printed": 96.5},
}


@pytest.fixture(scope="module")
def scored5(tmp_path_factory) -> dict:
    return score_sample(SAMPLE5, tmp_path_factory)


def test_fifth_sample_every_word_accounted(scored5):
    assert scored5["lost_words"] == {}


@pytest.mark.parametrize("kind", ["pdf", "docx"])
@pytest.mark.parametrize("metric", ["recall", "precision", "printed"])
def test_fifth_sample_not_worse_than_the_floor(scored5, kind, metric):
    got, floor = scored5[kind][metric], FLOORS5[kind][metric]
    print(f"{kind} {metric}: {got:.2f}%")
    assert got >= floor, f"{kind} {metric}: {got:.2f}% is below {floor}%"

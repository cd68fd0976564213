"""An outside tester's plans scanned (issue 12): tester 7 drew 8 plans in templates of
their own, printed them and scanned them back at 150, 200 and 300 dpi, turned up to 2
degrees, with noise, in greyscale and in black and white. The fixed sample
(tests/fixtures/independent7-scans, 7 files, 14 pages) keeps the scans that show the
failure classes they found: a table ruled across only (its rows lost at 150 and 200 dpi,
merged at 300), a row broken across a page, an unruled table whose column of dates the
page's OCR pass dropped, RAG cells filled with colour (black on a black-and-white scan),
8 pt type at 150 dpi, refs misread past repair ("C1.1" as "joulal", "4.2" as "9.2").

Floors are the figures measured on the sample (README's scans section), so they only go
up; the issue's targets are higher (recall and precision 97%, similarity 98%, refs exact
97%, normalised 95%).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from unit_fixtures.scanned import run_sample

TESTS = Path(__file__).parent
SAMPLE = TESTS / "fixtures" / "independent7-scans"

#: Measured on the sample: recall 100%, precision 98.9%, similarity 96.9%, refs exact
#: 98.8%, normalised 95.2% (before the session's fixes, on its base c9954a5: see README).
FLOORS = {
    "recall": 1.0,
    "precision": 0.98,
    "similarity": 0.96,
    "refs_exact": 0.98,
    "normalised": 0.95,
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("independent7-scans-out")
    summary, figures = run_sample(SAMPLE, out, "independent7 scans")
    actions = pq.read_table(out / "actions.parquet").to_pylist()
    return summary, figures, actions


def _refs(actions: list[dict], doc_id: str) -> list[str]:
    return [a["ref"] for a in actions if a["doc_id"] == doc_id]


def test_sample_meets_its_floors(sample):
    summary, figures, _ = sample
    assert summary.failures == 0, summary.failed
    overall = figures["overall"]
    for name, floor in FLOORS.items():
        assert overall[name] >= floor, (name, overall[name], floor)


@pytest.mark.parametrize("dpi", [200, 300])
def test_a_table_ruled_across_only_keeps_every_row(sample, dpi):
    """Rules between rows only, shaded banners, RAG cells filled (black in black and
    white): every action of both pages, none merged with the next."""
    _, _, actions = sample
    refs = _refs(actions, f"cumbria-dhr-2022-05--scan{dpi}")
    letters = "abc"
    want = [f"{n}{letters[k]}" for n, k in [(1, 0), (1, 1), (2, 0), (2, 1), (2, 2), (3, 0)]]
    assert refs[: len(want)] == want
    assert len(refs) == 14


def test_dates_the_page_pass_dropped_are_read(sample):
    """An unruled table at 150 dpi whose "By When" column Tesseract's page pass left out:
    every action has its target date, and no date is read into the lead agency."""
    _, _, actions = sample
    rows = [a for a in actions if a["doc_id"] == "cumbria-dhr-2019-02--scan150"]
    assert len(rows) == 11
    assert all(a["target_date_raw"] for a in rows)
    assert not any(any(ch.isdigit() for ch in a["lead_agency_raw"] or "") for a in rows)

"""camelot is the second engine: with pdfplumber's grid and the text engine switched
off, camelot's lattice grid alone must still reproduce the gold of a ruled plan."""

from __future__ import annotations

from pathlib import Path

import dhrplans.extract.document as document
import dhrplans.extract.engines as engines

from dhrplans.evaluation.compare import evaluate
from dhrplans.run import runner

TESTS = Path(__file__).parent


def test_camelot_fallback_reproduces_gold(monkeypatch, tmp_path):
    kept = [e for e in engines.PAGE_ENGINES if e.name not in ("drawn grids", "text alignment")]
    monkeypatch.setattr(engines, "PAGE_ENGINES", tuple(kept))
    pdf = TESTS / "corpus" / "bdhr-2012-13-04.pdf"
    raw = document.extract_document(pdf)
    assert raw.tables and {t.engine for t in raw.tables} == {"camelot-lattice"}

    summary = runner.run([pdf], tmp_path)
    assert summary.failures == 0
    report = evaluate(TESTS / "gold", tmp_path)
    assert report.recall == 1.0 and report.precision == 1.0
    assert report.printed_exact >= 0.995
    assert report.normalised_accuracy >= 0.99


def test_camelot_merged_cells_keep_their_span():
    pdf = TESTS / "corpus" / "bdhr-2012-13-04.pdf"
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        words = page.extract_words(extra_attrs=["fontname", "size"])
        height = float(page.height)
    from dhrplans.extract.camelot_engine import camelot_tables

    (table,) = camelot_tables(pdf, 1, height, words)
    banners = [r for r in table.rows if len(r.cells) == 1]
    assert banners and all(r.cells[0].colspan == table.n_cols for r in banners)
    assert banners[0].cells[0].text.startswith("Recommendation 1.1")
    header = [c.text for c in table.rows[0].cells]
    assert header[0] == "Ref" and header[-1] == "Status"


def test_doubtful_pdfplumber_grid_gets_camelot_second_opinion(monkeypatch):
    """A grid that lost its columns (no header reads, column count unlike the table
    before) is re-read by camelot, which wins on score and is recorded as the engine."""
    real = engines.ruled_tables

    def collapsed(page, words, number, settings, edges=None):
        tables = real(page, words, number, settings, edges)
        if number == 1:
            for table in tables:
                for row in table.rows:
                    for cell in row.cells:  # every cell squeezed into two columns
                        cell.col, cell.colspan = min(cell.col, 1), 1
                        cell.lines = []
                table.n_cols = 2
        return tables

    monkeypatch.setattr(engines, "ruled_tables", collapsed)
    raw = document.extract_document(TESTS / "corpus" / "bdhr-2012-13-04.pdf")
    first = [t for t in raw.tables if t.page == 1]
    assert [t.engine for t in first] == ["camelot-lattice"]
    assert first[0].n_cols == 9 and first[0].score == 1.0
    assert {t.engine for t in raw.tables if t.page > 1} == {"pdfplumber-lattice"}

"""The Python API: `dhrplans.extract_plans` and `dhrplans.read_dataset` give the tables a run
writes, typed for pandas, with a parsing report per document."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import dhrplans
from dhrplans import schemas
from dhrplans.cli import app

PDF = Path(__file__).parent / "fixtures" / "pdf"
RAGFILL = PDF / "cumbria-dhr-fx-ragfill.pdf"
HOMEOFFICE = PDF / "kent-dhr-fx-homeoffice.pdf"  # recommendations with actions under them


@pytest.fixture(scope="module")
def extracted() -> dhrplans.Extraction:
    return dhrplans.extract_plans([RAGFILL, HOMEOFFICE], isolate=False)


@pytest.fixture(scope="module")
def run_output(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("api") / "clean"
    result = CliRunner().invoke(app, ["run", str(RAGFILL), str(HOMEOFFICE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_import_is_cheap():
    """`import dhrplans` (the CLI, every worker) loads neither pandas nor the stages."""
    code = "import sys, dhrplans; print(sorted({'pandas', 'dhrplans.api'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_extract_gives_the_tables_a_run_writes(extracted, run_output):
    dataset = dhrplans.read_dataset(run_output)
    for name, frame in zip(("actions", "recommendations", "documents"), dataset):
        assert list(frame.columns) == list(getattr(extracted, name).columns)
        pd.testing.assert_frame_equal(
            frame.reset_index(drop=True), getattr(extracted, name).reset_index(drop=True)
        )
    assert set(dataset.documents.doc_id) == {RAGFILL.stem, HOMEOFFICE.stem}
    assert len(dataset.actions) == dataset.documents.n_actions.sum() > 0


def test_parsing_report_per_document(extracted):
    report = extracted.parsing_report
    assert list(report.index) == sorted([RAGFILL.stem, HOMEOFFICE.stem])
    docs = extracted.documents.set_index("doc_id")
    for doc_id, row in report.iterrows():
        assert row.status == "ok" and row.error is None
        assert row.pages == docs.loc[doc_id, "pages"] >= 1
        assert row.tables == docs.loc[doc_id, "n_tables"] >= 1
        assert row.actions == (extracted.actions.doc_id == doc_id).sum() > 0
        assert row.words_accounted == docs.loc[doc_id, "words_accounted"]
        assert row.accounted_share == row.words_accounted / row.words_in_tables
        assert list(row.engines) == list(docs.loc[doc_id, "engines"])
        assert list(row.warnings) == list(docs.loc[doc_id, "warnings"])


def test_types_for_analysis(extracted):
    actions = extracted.actions
    assert actions.target_date.notna().any()
    assert (actions.target_date.dropna().dt.year >= 2000).all()
    assert pd.api.types.is_datetime64_any_dtype(actions.completion_date)
    assert list(actions.status.cat.categories) == list(schemas.STATUSES)
    assert list(actions.rag.cat.categories) == list(schemas.RAGS)
    assert list(actions.lead_agency_source.cat.categories) == list(schemas.AGENCY_SOURCES)
    assert set(actions.lead_agency_type.dropna()) <= set(actions.lead_agency_type.cat.categories)
    assert "police" in actions.lead_agency_type.cat.categories
    assert list(extracted.documents.status.cat.categories) == ["ok", "failed"]


def test_every_action_with_a_recommendation_joins_to_it(extracted):
    actions, recs = extracted.actions, extracted.recommendations
    with_rec = actions.rec_number.notna() | actions.recommendation.notna()
    assert with_rec.sum() > 0 and len(recs) > 0
    assert actions.rec_id[with_rec].isin(recs.rec_id).all()
    assert actions.rec_id[~with_rec].isna().all()
    joined = actions[with_rec].merge(recs, on="rec_id", suffixes=("", "_rec"), validate="m:1")
    assert (joined.doc_id == joined.doc_id_rec).all()
    assert (joined.rec_number.fillna("") == joined.rec_number_rec.fillna("")).all()
    assert (joined.recommendation.fillna("") == joined.text.fillna("")).all()
    counts = actions.groupby("rec_id").size().reindex(recs.rec_id, fill_value=0)
    assert counts.tolist() == recs.n_actions.tolist()


def test_a_repeated_number_joins_by_the_recommendation_text():
    """A section printing one number twice: ids r1 and r1#2, told apart by the text."""
    recs = pd.DataFrame(
        {"rec_id": ["d/s01/r1", "d/s01/r1#2"], "text": ["First text", "Second text"]}
    )
    actions = pd.DataFrame(
        {
            "action_id": ["d/s01/a001", "d/s01/a002", "d/s02/a001"],
            "rec_number": ["1", "1", None],
            "recommendation": ["First text", "Second text", None],
        }
    )
    ids = dhrplans.api.action_rec_ids(actions, recs)
    assert ids.tolist()[:2] == ["d/s01/r1", "d/s01/r1#2"] and pd.isna(ids[2])


def test_a_failed_document_is_reported_not_raised(tmp_path, extracted):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    result = dhrplans.extract_plans(bad)  # in a worker process, as by default
    (report,) = result.reports
    assert report.status == "failed" and report.error
    assert result.documents.status.tolist() == ["failed"] and result.actions.empty
    assert list(result.actions.columns) == list(extracted.actions.columns)


def test_read_dataset_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="actions.parquet"):
        dhrplans.read_dataset(tmp_path)

"""The command line: summary line, exit codes, plain log lines off a terminal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
from typer.testing import CliRunner

from dhrplans.cli import app

TESTS = Path(__file__).parent
runner = CliRunner()


def test_run_writes_dataset_and_summary(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    shutil.copy(TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf", src)
    result = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("documents 1, pages 2, recommendations ")
    assert "failures 0" in last
    docs = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    assert docs[0]["status"] == "ok" and docs[0]["n_actions"] > 0


def test_failed_document_gives_exit_1_and_others_still_written(tmp_path):
    src = tmp_path / "raw"
    src.mkdir()
    shutil.copy(TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf", src)
    (src / "broken.pdf").write_bytes(b"this is not a pdf")
    result = runner.invoke(app, ["run", str(src), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 1
    assert "failures 1" in result.stdout
    assert "Traceback" not in result.output
    docs = {
        d["doc_id"]: d for d in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    }
    assert docs["broken"]["status"] == "failed" and docs["broken"]["error"]
    assert docs["cumbria-dhr-fx-unruled"]["n_actions"] > 0


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["run", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["run", str(tmp_path), "--jobs", "0"]).exit_code == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    assert runner.invoke(app, ["run", str(empty)]).exit_code == 2
    assert runner.invoke(app, ["eval", str(tmp_path), str(tmp_path)]).exit_code == 2


def test_eval_prints_summary(tmp_path):
    out = tmp_path / "out"
    pdf = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
    assert runner.invoke(app, ["run", str(pdf), "--out", str(out), "--jobs", "1"]).exit_code == 0
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(TESTS / "fixtures" / "gold" / "cumbria-dhr-fx-unruled.json", gold)
    result = runner.invoke(app, ["eval", str(gold), str(out)])
    assert result.exit_code == 0
    tail = result.stdout.strip().splitlines()[-4:]
    assert tail[0].startswith("TOTAL actions")
    assert "recall 100.00%" in tail[1]


def test_two_inputs_with_one_file_stem_are_a_usage_error_naming_both(tmp_path):
    # plan.pdf and plan.docx would be one document id: refused before any work, not a
    # crash in the writer after every document was read.
    pdf = next(Path("tests/fixtures/pdf").glob("*.pdf"))
    shutil.copy(pdf, tmp_path / "plan.pdf")
    (tmp_path / "plan.docx").write_bytes(b"PK\x03\x04")
    result = runner.invoke(app, ["run", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "plan.pdf" in result.output and "plan.docx" in result.output
    assert not (tmp_path / "out").exists()

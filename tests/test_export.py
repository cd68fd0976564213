"""`dhrplans export`: the dataset as CSV files or one Excel workbook, nested columns
flattened, every row and value of the Parquet files kept."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dhrplans.cli import app

RAGFILL = Path(__file__).parent / "fixtures" / "pdf" / "cumbria-dhr-fx-ragfill.pdf"
HOMEOFFICE = Path(__file__).parent / "fixtures" / "pdf" / "kent-dhr-fx-homeoffice.pdf"
runner = CliRunner()


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export") / "clean"
    result = runner.invoke(app, ["run", str(RAGFILL), str(HOMEOFFICE), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _parquet(out: Path, name: str) -> list[dict]:
    return pq.read_table(out / f"{name}.parquet").to_pylist()


def test_csv_one_file_per_table_values_kept(out, tmp_path):
    result = runner.invoke(app, ["export", str(out), "--format", "csv", "--to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("actions", "recommendations", "documents"):
        path = tmp_path / f"{name}.csv"
        assert f"wrote {path}" in result.stdout
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads it as UTF-8
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        rows = _parquet(out, name)
        assert len(frame) == len(rows) > 0
        assert frame[frame.columns[0]].tolist() == [r[frame.columns[0]] for r in rows]
    actions = pd.read_csv(tmp_path / "actions.csv", dtype=str, keep_default_na=False)
    rows = _parquet(out, "actions")
    assert actions.action.tolist() == [r["action"] for r in rows]
    assert actions.warnings.tolist() == ["; ".join(r["warnings"]) for r in rows]
    assert actions.target_date.tolist() == [
        r["target_date"].isoformat() if r["target_date"] else "" for r in rows
    ]
    first = json.loads(actions.cells[0])
    assert [c["field"] for c in first] == [c["field"] for c in rows[0]["cells"]]
    assert first[0]["x0"] == round(rows[0]["cells"][0]["x0"], 2)
    recs = pd.read_csv(tmp_path / "recommendations.csv", dtype=str, keep_default_na=False)
    with_rec = actions[actions.rec_id != ""]
    assert len(with_rec) > 0 and with_rec.rec_id.isin(recs.rec_id).all()
    docs = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)
    assert docs.engines.tolist() == ["; ".join(r["engines"]) for r in _parquet(out, "documents")]


def test_xlsx_one_workbook_three_sheets(out, tmp_path):
    target = tmp_path / "plans.xlsx"
    result = runner.invoke(app, ["export", str(out), "-f", "xlsx", "--to", str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target, read_only=False)
    assert book.sheetnames == ["actions", "recommendations", "documents"]
    sheet = book["actions"]
    assert sheet.freeze_panes == "A2"
    header = [c.value for c in sheet[1]]
    rows = _parquet(out, "actions")
    assert sheet.max_row == len(rows) + 1
    assert header[:2] == ["action_id", "rec_id"]
    second = dict(zip(header, [c.value for c in sheet[2]]))
    assert second["action_id"] == rows[0]["action_id"]
    assert second["target_date"].date() == rows[0]["target_date"]  # a date cell, not text
    assert second["status"] == rows[0]["status"]
    assert json.loads(second["cells"])[0]["field"] == rows[0]["cells"][0]["field"]
    docs = book["documents"]
    assert docs.max_row == 3


def test_default_destinations(out):
    assert runner.invoke(app, ["export", str(out)]).exit_code == 0
    assert sorted(p.name for p in (out / "csv").iterdir()) == [
        "actions.csv",
        "documents.csv",
        "recommendations.csv",
    ]
    assert runner.invoke(app, ["export", str(out), "-f", "xlsx"]).exit_code == 0
    assert (out / "dhrplans.xlsx").is_file()
    assert not list(out.glob(".*.tmp"))


def test_usage_errors_exit_2(tmp_path):
    result = runner.invoke(app, ["export", str(tmp_path)])
    assert result.exit_code == 2 and "actions.parquet" in result.stderr
    assert runner.invoke(app, ["export", str(tmp_path), "-f", "ods"]).exit_code == 2


def test_xlsx_refuses_a_cell_excel_would_cut(out, tmp_path):
    """Excel keeps 32,767 characters a cell: longer text is an error, not a silent cut."""
    table = pq.read_table(out / "actions.parquet")
    rows = table.to_pylist()
    rows[0]["progress"] = "word " * 7000
    long = tmp_path / "long"
    long.mkdir()
    pq.write_table(type(table).from_pylist(rows, schema=table.schema), long / "actions.parquet")
    for name in ("recommendations", "documents"):
        (long / f"{name}.parquet").write_bytes((out / f"{name}.parquet").read_bytes())
    result = runner.invoke(app, ["export", str(long), "-f", "xlsx"])
    assert result.exit_code == 2 and "actions.progress" in result.stderr
    assert not (long / "dhrplans.xlsx").exists()
    assert runner.invoke(app, ["export", str(long), "-f", "csv"]).exit_code == 0

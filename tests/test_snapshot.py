"""dhrplans.audit.snapshot and .check: the JSON Lines form of an output, and the audit
behind `make audit`."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from test_diff import action, document, plan, recommendation, write_output
from typer.testing import CliRunner

from dhrplans.audit.check import audit
from dhrplans.audit.snapshot import TABLE_NAMES, load_output, write_snapshot
from dhrplans.cli import app

runner = CliRunner()
COMMITTED = Path(__file__).parent / "snapshot"


def lines(folder: Path, name: str) -> list[str]:
    return (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()


def test_one_sorted_record_per_line(tmp_path):
    rows = plan() + [action(n=6, rec="2", ref="", text="Audit the referrals", extra={"RAG": "G"})]
    out = write_output(tmp_path / "out", rows[::-1])
    written = write_snapshot(out, tmp_path / "snap")
    assert [p.name for p in written] == [f"{n}.jsonl" for n in TABLE_NAMES]

    actions = lines(tmp_path / "snap", "actions")
    assert len(actions) == len(rows)
    records = [json.loads(line) for line in actions]
    for line, record in zip(actions, records):
        assert line == json.dumps(record, sort_keys=True, ensure_ascii=False)  # keys sorted
    # rows by stable key: doc, section, rec (natural order: 2 before 10), ref, first words
    assert [(r["doc_id"], r["rec_number"], r["ref"], r["action"][:12]) for r in records] == [
        ("d1", "1", "1.1", "Train office"),
        ("d1", "1", "1.2", "Audit DASH c"),
        ("d1", "2", "", "Audit the re"),
        ("d1", "2", "", "Record the M"),
        ("d1", "2", "", "Refer high r"),
        ("d1", "10", "", "Share the le"),
        ("d2", "1", "1", "Ask about ab"),
    ]
    first = records[0]
    assert first["target_date"] == "2014-03-31"  # ISO date
    assert first["confidence"] == 0.95  # float32 0.949999988 rounded
    assert first["cells"] == [
        {"bottom": 317.0, "field": "action", "page": 1, "top": 158.15, "x0": 58.3, "x1": 177.4}
    ]
    assert records[2]["extra"] == {"RAG": "G"}  # a map is an object


def test_same_output_in_any_row_order_gives_the_same_bytes(tmp_path):
    rows = plan()
    recs = [recommendation("d1", rec=str(n)) for n in (1, 2, 10)] + [recommendation("d2")]
    docs = [document("d1"), document("d2")]
    a = write_output(tmp_path / "a", rows, recs, docs)
    b = write_output(tmp_path / "b", rows[::-1], recs[::-1], docs[::-1])
    write_snapshot(a, tmp_path / "snap-a")
    write_snapshot(b, tmp_path / "snap-b")
    for name in TABLE_NAMES:
        assert (tmp_path / "snap-a" / f"{name}.jsonl").read_bytes() == (
            tmp_path / "snap-b" / f"{name}.jsonl"
        ).read_bytes()
    assert [json.loads(x)["rec_number"] for x in lines(tmp_path / "snap-a", "recommendations")][
        :3
    ] == ["1", "2", "10"]


def test_snapshot_reads_back_as_the_same_records(tmp_path):
    out = write_output(tmp_path / "out", plan())
    write_snapshot(out, tmp_path / "snap")
    write_snapshot(tmp_path / "snap", tmp_path / "again")  # a snapshot of a snapshot
    for name in TABLE_NAMES:
        assert lines(tmp_path / "snap", name) == lines(tmp_path / "again", name)
    parquet, jsonl = load_output(out), load_output(tmp_path / "snap")
    for name in TABLE_NAMES:
        assert parquet[name].columns == jsonl[name].columns
        as_json = [
            [json.dumps(r, sort_keys=True) for r in t.records] for t in (parquet[name], jsonl[name])
        ]
        assert sorted(as_json[0]) == sorted(as_json[1])


def test_no_timestamps_or_paths(tmp_path):
    out = write_output(tmp_path / "out", plan())
    write_snapshot(out, tmp_path / "snap")
    text = "".join((tmp_path / "snap" / f"{n}.jsonl").read_text() for n in TABLE_NAMES)
    assert str(tmp_path) not in text
    assert str(dt.date.today().year) not in text


def test_cli_snapshot_writes_files(tmp_path):
    out = write_output(tmp_path / "out", plan())
    result = runner.invoke(app, ["snapshot", str(out), str(tmp_path / "snap")])
    assert result.exit_code == 0, result.output
    assert {p.name for p in (tmp_path / "snap").iterdir()} == {
        "actions.jsonl",
        "recommendations.jsonl",
        "documents.jsonl",
    }
    missing = runner.invoke(app, ["snapshot", str(tmp_path / "nope"), str(tmp_path / "x")])
    assert missing.exit_code == 2


# --- the committed snapshot and the audit ------------------------------------------------------

needs_snapshot = pytest.mark.skipif(
    not (COMMITTED / "actions.jsonl").exists(), reason="no committed snapshot (make snapshot)"
)


@needs_snapshot
def test_committed_snapshot_is_in_canonical_form(tmp_path):
    write_snapshot(COMMITTED, tmp_path / "again")
    for name in TABLE_NAMES:
        assert (COMMITTED / f"{name}.jsonl").read_bytes() == (
            tmp_path / "again" / f"{name}.jsonl"
        ).read_bytes(), f"{name}.jsonl was not written by `make snapshot`"


def _altered_copy(tmp_path: Path) -> Path:
    """A copy of the committed snapshot with one action's status changed."""
    copy = tmp_path / "snapshot"
    shutil.copytree(COMMITTED, copy)
    path = copy / "actions.jsonl"
    rows = path.read_text(encoding="utf-8").splitlines()
    record = json.loads(rows[0])
    record["status"] = "not_started" if record["status"] != "not_started" else "completed"
    rows[0] = json.dumps(record, sort_keys=True, ensure_ascii=False)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return copy


@needs_snapshot
def test_audit_fails_on_an_altered_snapshot(tmp_path):
    # the committed snapshot stands in for a fresh extraction of the corpus
    report = tmp_path / "interim" / "audit.md"
    assert audit(COMMITTED, COMMITTED, report).equal
    assert "no differences" in report.read_text(encoding="utf-8")

    altered = _altered_copy(tmp_path)
    result = audit(altered, COMMITTED, report)
    assert not result.equal
    text = report.read_text(encoding="utf-8")
    assert text == result.report
    assert "make snapshot" in text
    assert "| status |" in text and "### Changed (1)" in text


@needs_snapshot
def test_snapshot_check_exit_codes(tmp_path):
    ok = runner.invoke(app, ["snapshot", str(COMMITTED), str(COMMITTED), "--check"])
    assert ok.exit_code == 0, ok.output
    altered = _altered_copy(tmp_path)
    report = tmp_path / "audit.md"
    args = ["snapshot", str(COMMITTED), str(altered), "--check", "--report", str(report)]
    bad = runner.invoke(app, args)
    assert bad.exit_code == 1
    assert "# Extraction audit" in bad.output and "run `make snapshot`" in bad.output
    assert report.exists()
    missing = runner.invoke(app, ["snapshot", str(COMMITTED), str(tmp_path / "none"), "--check"])
    assert missing.exit_code == 2 and "make snapshot" in missing.output

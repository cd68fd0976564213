"""dhrplans.audit.diff and `dhrplans diff`: outputs compared record by record by stable key."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dhrplans import schemas
from dhrplans.audit.diff import diff_outputs, format_markdown, format_text
from dhrplans.audit.snapshot import write_snapshot
from dhrplans.cli import app

runner = CliRunner()


# --- small hand-made outputs (also used by test_snapshot.py) -----------------------------------


def action(doc="d1", section="Police", rec="1", ref="1", text="Train officers", n=1, **kw) -> dict:
    row = {f.name: None for f in schemas.ACTIONS}
    row.update(
        action_id=f"{doc}/s01/a{n:03d}",
        doc_id=doc,
        section=section,
        rec_number=rec,
        ref=ref,
        action=text,
        lead_agency_raw="Police",
        target_date_raw="Mar-14",
        target_date=dt.date(2014, 3, 31),
        status_raw="Completed",
        status="completed",
        page_start=1,
        page_end=1,
        cells=[
            {"field": "action", "page": 1, "x0": 58.3, "top": 158.15, "x1": 177.4, "bottom": 317.0}
        ],
        engine="pdfplumber-lattice",
        confidence=0.95,
        warnings=["target_date guessed from text (month_year): Mar-14"],
    )
    row.update(kw)
    return row


def recommendation(doc="d1", section="Police", rec="1", text="Improve training", **kw) -> dict:
    row = {
        "rec_id": f"{doc}/s01/r{rec}",
        "doc_id": doc,
        "section": section,
        "rec_number": rec,
        "text": text,
        "n_actions": 1,
        "page": 1,
        "cells": [],
    }
    row.update(kw)
    return row


def document(doc="d1", **kw) -> dict:
    row = {
        "doc_id": doc,
        "source_file": f"{doc}.pdf",
        "sha256": "0" * 64,
        "title": f"Action plan {doc}",
        "pages": 3,
        "n_tables": 1,
        "n_recommendations": 1,
        "n_actions": 1,
        "engines": ["pdfplumber-lattice"],
        "status": "ok",
        "error": None,
        "warnings": [],
    }
    row.update(kw)
    return row


def write_output(folder: Path, actions, recommendations=None, documents=None) -> Path:
    """Write the three tables as Parquet, rows in the order given."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = sorted({a["doc_id"] for a in actions})
    tables = {
        "actions": list(actions),
        "recommendations": list(
            recommendations if recommendations is not None else [recommendation(d) for d in docs]
        ),
        "documents": list(documents if documents is not None else [document(d) for d in docs]),
    }
    for name, rows in tables.items():
        table = pa.Table.from_pylist(rows, schema=schemas.TABLES[name])
        pq.write_table(table, folder / f"{name}.parquet")
    return folder


def plan() -> list[dict]:
    """Two documents; d1 has a recommendation with several blank-ref actions."""
    return [
        action(n=1, ref="1.1", text="Train officers in DASH risk assessment"),
        action(n=2, ref="1.2", text="Audit DASH completion quarterly", status="in_progress"),
        action(n=3, rec="2", ref="", text="Refer high risk cases to MARAC"),
        action(n=4, rec="2", ref="", text="Record the MARAC referral on the case file"),
        action(n=5, rec="10", ref="", text="Share the learning with neighbouring areas"),
        action("d2", "Health", "1", "1", "Ask about abuse at booking", n=1),
    ]


def run_cli(*args: str):
    return runner.invoke(app, ["diff", *map(str, args)])


# --- equality ----------------------------------------------------------------------------------


def test_identical_outputs_have_no_differences(tmp_path):
    base = write_output(tmp_path / "base", plan())
    new = write_output(tmp_path / "new", plan())
    result = run_cli(base, new)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "no differences"


def test_reordering_alone_is_no_difference(tmp_path):
    rows = plan()
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != rows
    recs = [recommendation("d1", rec="1"), recommendation("d1", rec="2"), recommendation("d2")]
    base = write_output(tmp_path / "base", rows, recs)
    new = write_output(
        tmp_path / "new",
        shuffled,
        recs[::-1],
        [document("d2"), document("d1")],
    )
    assert diff_outputs(base, new).equal
    assert run_cli(base, new).exit_code == 0


# --- differences -------------------------------------------------------------------------------


def test_changed_field_lists_old_and_new_value(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    rows[1] = dict(rows[1], status="completed", target_date=dt.date(2015, 6, 30))
    new = write_output(tmp_path / "new", rows)

    result = diff_outputs(base, new)
    actions = result.tables["actions"]
    assert not actions.added and not actions.removed and not actions.moved
    [record] = actions.changed
    assert record.key == "d1 | Police | rec 1 | ref 1.2"
    assert record.new_id == "d1/s01/a002"
    assert [(c.field, c.old, c.new) for c in record.changed] == [
        ("target_date", "2014-03-31", "2015-06-30"),
        ("status", "in_progress", "completed"),
    ]

    cli = run_cli(base, new)
    assert cli.exit_code == 1
    assert "d1 | Police | rec 1 | ref 1.2" in cli.output
    assert '"in_progress"' in cli.output and '-> "completed"' in cli.output
    assert '"2014-03-31"' in cli.output and '"2015-06-30"' in cli.output


def test_added_and_removed_action(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    removed = rows.pop(0)
    rows.append(action(n=9, rec="3", ref="3.1", text="Publish a DA policy for staff"))
    new = write_output(tmp_path / "new", rows)

    actions = diff_outputs(base, new).tables["actions"]
    assert [e.key for e in actions.added] == ["d1 | Police | rec 3 | ref 3.1"]
    assert [e.key for e in actions.removed] == ["d1 | Police | rec 1 | ref 1.1"]
    assert actions.removed[0].record["action"] == removed["action"]
    assert not actions.changed

    out = run_cli(base, new).output
    assert "+ d1 | Police | rec 3 | ref 3.1" in out
    assert "- d1 | Police | rec 1 | ref 1.1" in out


def test_inserted_row_is_one_addition_not_a_cascade(tmp_path):
    """Positional ids shift after an insert: counted as renumbering, not as changes."""
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    inserted = [action(n=1, ref="1.0", text="Appoint a DA lead")] + [
        dict(r, action_id=f"{r['doc_id']}/s01/a{i:03d}") if r["doc_id"] == "d1" else r
        for i, r in enumerate(rows, 2)
    ]
    new = write_output(tmp_path / "new", inserted)

    actions = diff_outputs(base, new).tables["actions"]
    assert [e.key for e in actions.added] == ["d1 | Police | rec 1 | ref 1.0"]
    assert not actions.removed and not actions.changed and not actions.moved
    assert len(actions.renumbered) == 5
    assert {(r.base_id, r.new_id) for r in actions.renumbered} >= {("d1/s01/a001", "d1/s01/a002")}


def test_blank_refs_are_told_apart_by_their_text(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    edited = [
        dict(r, action="Record the MARAC referral on the case file and the DA register")
        if r["action"].startswith("Record the MARAC")
        else r
        for r in rows
    ]
    new = write_output(tmp_path / "new", edited[::-1])

    actions = diff_outputs(base, new).tables["actions"]
    assert not actions.added and not actions.removed
    [record] = actions.changed
    assert [c.field for c in record.changed] == ["action"]
    assert record.key.startswith('d1 | Police | rec 2 | ref - | "Record the MARAC referral')


def test_page_and_boxes_are_moved_not_changed(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    cells = [dict(rows[0]["cells"][0], page=2, top=40.0, bottom=90.0)]
    rows[0] = dict(rows[0], page_start=2, page_end=2, cells=cells)
    new = write_output(tmp_path / "new", rows)

    result = diff_outputs(base, new)
    actions = result.tables["actions"]
    assert not actions.changed
    [record] = actions.moved
    assert [c.field for c in record.moved] == ["page_start", "page_end", "cells"]
    assert not result.equal
    text = format_text(result)
    assert "moved (1)" in text and "action p1 (58.3, 158.15, 177.4, 317.0)" in text
    assert "action p2 (58.3, 40.0, 177.4, 90.0)" in text


def test_documents_added_and_removed(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    rows = [r for r in rows if r["doc_id"] == "d1"] + [action("d3", n=1)]
    new = write_output(tmp_path / "new", rows)

    result = diff_outputs(base, new)
    docs = result.tables["documents"]
    assert [e.key for e in docs.added] == ["d3"]
    assert [e.key for e in docs.removed] == ["d2"]
    assert "d3.pdf: ok, 1 recommendations, 1 actions" in format_text(result)


def test_new_column_is_reported(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    new = write_output(tmp_path / "new", rows)
    table = pq.read_table(new / "documents.parquet")
    table = table.append_column("language", pa.array(["en"] * table.num_rows))
    pq.write_table(table, new / "documents.parquet")
    docs = diff_outputs(base, new).tables["documents"]
    assert docs.columns_added == ["language"] and not docs.records


# --- usage errors ------------------------------------------------------------------------------


def test_missing_folder_is_a_usage_error(tmp_path):
    base = write_output(tmp_path / "base", plan())
    result = run_cli(base, tmp_path / "nope")
    assert result.exit_code == 2
    assert "no such folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_incomplete_folder_is_a_usage_error(tmp_path):
    base = write_output(tmp_path / "base", plan())
    new = write_output(tmp_path / "new", plan())
    (new / "recommendations.parquet").unlink()
    result = run_cli(base, new)
    assert result.exit_code == 2
    assert "not an output folder" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_format_is_a_usage_error(tmp_path):
    base = write_output(tmp_path / "base", plan())
    assert run_cli(base, base, "--format", "xml").exit_code == 2


# --- formats -----------------------------------------------------------------------------------


def _altered(tmp_path) -> tuple[Path, Path]:
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    long = "Deliver | training on *coercive control* " + "and stalking " * 40 + "to all staff"
    rows[0] = dict(rows[0], progress=long, status="in_progress")
    rows[1] = dict(rows[1], page_start=2, page_end=2)
    rows.pop(2)
    rows.append(action(n=9, rec="3", ref="3.1", text="New <b>policy</b> | for staff"))
    return base, write_output(tmp_path / "new", rows)


def test_markdown_is_well_formed(tmp_path):
    base, new = _altered(tmp_path)
    result = run_cli(base, new, "--format", "markdown")
    assert result.exit_code == 1
    md = result.output
    assert md.startswith("# Extraction diff\n")
    assert "## Actions" in md and "### Added (1)" in md and "### Changed (1)" in md
    assert "### Removed (1)" in md and "### Moved (1)" in md
    assert md.count("<details>") == md.count("</details>") == 1
    # every table row has as many (unescaped) cell separators as its header
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|"):
            assert line.endswith("|"), line
            header = i
            while header > 0 and lines[header - 1].startswith("|"):
                header -= 1
            assert _cells(line) == _cells(lines[header]), line
    assert r"New \<b\>policy\</b\> \| for staff" in md  # raw text cannot break the markup
    assert "…" in md  # the long progress value is cut


def _cells(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def test_json_is_complete_and_untruncated(tmp_path):
    base, new = _altered(tmp_path)
    result = run_cli(base, new, "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["equal"] is False
    actions = report["tables"]["actions"]
    assert actions["counts"] == {
        "base_rows": 6,
        "new_rows": 6,
        "added": 1,
        "removed": 1,
        "changed": 1,
        "moved": 1,
        "renumbered": 0,
    }
    fields = {c["field"]: c for c in actions["changed"][0]["fields"]}
    assert fields["progress"]["old"] is None
    assert fields["progress"]["new"].endswith("and stalking to all staff")  # in full
    assert len(fields["progress"]["new"]) > 500
    assert actions["added"][0]["record"]["action"] == "New <b>policy</b> | for staff"

    equal = run_cli(base, base, "--format", "json")
    assert equal.exit_code == 0
    assert json.loads(equal.output)["equal"] is True


def test_text_values_are_truncated(tmp_path):
    base, new = _altered(tmp_path)
    text = format_text(diff_outputs(base, new))
    assert "…" in text
    assert max(len(line) for line in text.splitlines()) < 200


def test_long_edited_text_is_cut_around_the_edit(tmp_path):
    rows = plan()
    long = "The partnership will " + "review the protocol each year and " * 10 + "report."
    rows[0] = dict(rows[0], progress=long)
    base = write_output(tmp_path / "base", rows)
    rows[0] = dict(rows[0], progress=long.replace("report.", "report to the board."))
    new = write_output(tmp_path / "new", rows)
    md = format_markdown(diff_outputs(base, new), width=60)
    row = next(line for line in md.splitlines() if line.startswith("| progress"))
    assert "…" in row and "report to the board." in row


def test_out_writes_report_and_prints_summary(tmp_path):
    base, new = _altered(tmp_path)
    report = tmp_path / "reports" / "diff.md"
    result = run_cli(base, new, "--format", "markdown", "--out", report)
    assert result.exit_code == 1
    assert result.output.startswith("differences: actions 1 added, 1 removed, 1 changed, 1 moved")
    assert report.read_text(encoding="utf-8").startswith("# Extraction diff")


def test_snapshot_folder_as_base(tmp_path):
    base, new = _altered(tmp_path)
    write_snapshot(base, tmp_path / "snap")
    assert run_cli(tmp_path / "snap", base).exit_code == 0
    from_parquet = diff_outputs(base, new).to_dict()
    from_snapshot = diff_outputs(tmp_path / "snap", new).to_dict()
    from_parquet.pop("base"), from_snapshot.pop("base")
    assert from_snapshot == from_parquet


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_equal_outputs_in_every_format(tmp_path, fmt):
    base = write_output(tmp_path / "base", plan())
    result = run_cli(base, base, "--format", fmt)
    assert result.exit_code == 0
    assert ("no differences" in result.output.lower()) or json.loads(result.output)["equal"]


def test_renamed_section_is_a_change_not_a_new_record(tmp_path):
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    renamed = [dict(r, section="West Midlands Police") if r["doc_id"] == "d1" else r for r in rows]
    new = write_output(tmp_path / "new", renamed)

    actions = diff_outputs(base, new).tables["actions"]
    assert not actions.added and not actions.removed
    assert len(actions.changed) == 5
    assert {tuple(c.field for c in r.changed) for r in actions.changed} == {("section",)}
    record = next(r for r in actions.changed if "ref 1.1" in r.key)
    assert record.key == "d1 | West Midlands Police | rec 1 | ref 1.1"
    assert record.base_key == "d1 | Police | rec 1 | ref 1.1"


def test_per_field_summary_comes_before_the_records(tmp_path):
    """A reviewer sees what a change did in aggregate (`status completed -> in_progress: 3`)
    before the record list."""
    rows = plan()
    base = write_output(tmp_path / "base", rows)
    edited = []
    for r in rows:
        if r["status"] == "completed" and r["rec_number"] != "10":
            r = dict(r, status="in_progress", confidence=0.8, warnings=[])
        edited.append(r)
    edited[0] = dict(edited[0], action=edited[0]["action"] + " and in coercive control")
    new = write_output(tmp_path / "new", edited)

    actions = diff_outputs(base, new).tables["actions"]
    status = next(f for f in actions.by_field() if f.field == "status")
    assert status.records == 4 and status.transitions == {("completed", "in_progress"): 4}
    assert (
        "action (values): 1" in next(f for f in actions.by_field() if f.field == "action").lines()
    )

    text = run_cli(base, new).output
    assert "  status completed -> in_progress: 4" in text
    assert "  confidence 0.95 -> 0.8: 4" in text
    assert "  warnings -target_date guessed from text: 4" in text  # list items, by kind
    assert text.index("status completed -> in_progress: 4") < text.index("changed (")

    markdown = run_cli(base, new, "--format", "markdown").output
    assert "- `status completed -> in_progress: 4`" in markdown
    assert markdown.index("status completed -> in_progress") < markdown.index("### Changed")

    listed = json.loads(run_cli(base, new, "--format", "json").output)
    by_field = {f["field"]: f for f in listed["tables"]["actions"]["by_field"]}
    assert by_field["status"]["transitions"] == [
        {"old": "completed", "new": "in_progress", "records": 4}
    ]

"""The writer: validation against the contract, all-or-nothing writes, stable bytes."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest

from dhrplans import schemas, writer


def action(**over) -> dict:
    row = {
        "action_id": "d/s01/a001",
        "doc_id": "d",
        "ref": "1.1",
        "action": "Do it",
        "status": "completed",
        "rag": None,
        "target_date": dt.date(2014, 3, 31),
        "page_start": 1,
        "page_end": 1,
        "confidence": 1.0,
        "cells": [{"field": "ref", "page": 1, "x0": 1, "top": 2, "x1": 3, "bottom": 4}],
        "extra": {"Notes": "x"},
        "warnings": [],
    }
    row.update(over)
    return row


def test_table_follows_schema_and_is_sorted():
    rows = [action(action_id="d/s01/a002", page_start=2, page_end=2), action()]
    table = writer.to_table("actions", rows)
    assert table.schema.equals(schemas.ACTIONS, check_metadata=False)
    assert table.column("action_id").to_pylist() == ["d/s01/a001", "d/s01/a002"]
    assert table.column("extra").to_pylist()[0] == [("Notes", "x")]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"status": "done"}, "status"),
        ({"rag": "blue"}, "rag"),
        ({"doc_id": None}, "doc_id"),
        ({"page_end": 0}, "page_end"),
        ({"target_date": "31/03/2014"}, "actions"),
    ],
)
def test_contract_violations_fail_loudly(over, message):
    with pytest.raises(writer.SchemaViolation, match=message):
        writer.to_table("actions", [action(**over)])


def test_duplicate_ids_fail():
    with pytest.raises(writer.SchemaViolation, match="duplicate"):
        writer.to_table("actions", [action(), action()])


def test_write_is_all_or_nothing(tmp_path, monkeypatch):
    good = {"actions": writer.to_table("actions", [action()])}
    writer.write_dataset(tmp_path, good)
    before = (tmp_path / "actions.parquet").read_bytes()

    calls = []
    original = pq.write_table

    def failing_write(table, where, **kwargs):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(table, where, **kwargs)

    monkeypatch.setattr(writer.pq, "write_table", failing_write)
    tables = {
        "actions": writer.to_table("actions", [action(action_id="d/s01/a009")]),
        "recommendations": writer.to_table("recommendations", []),
    }
    with pytest.raises(OSError, match="disk full"):
        writer.write_dataset(tmp_path, tables)
    assert (tmp_path / "actions.parquet").read_bytes() == before
    assert not (tmp_path / "recommendations.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_same_rows_same_bytes(tmp_path):
    rows = [action(), action(action_id="d/s01/a002")]
    for name in ("one", "two"):
        writer.write_dataset(tmp_path / name, {"actions": writer.to_table("actions", rows)})
    one = (tmp_path / "one" / "actions.parquet").read_bytes()
    assert one == (tmp_path / "two" / "actions.parquet").read_bytes()


def test_streamed_dataset_is_renamed_together_and_temp_files_cleaned(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".actions.old.parquet.tmp").write_bytes(b"left by a killed run")
    with writer.DatasetWriter(out, batch_rows=2) as dataset:
        for i in range(5):
            dataset.add("actions", [action(action_id=f"d/s01/a{i:03d}")])
            assert not (out / "actions.parquet").exists()  # nothing in place before commit
        dataset.add("documents", [])
        dataset.commit()
    ids = pq.read_table(out / "actions.parquet").column("action_id").to_pylist()
    assert ids == [f"d/s01/a{i:03d}" for i in range(5)]
    assert pq.read_metadata(out / "actions.parquet").num_row_groups == 3  # batches of 2
    assert pq.read_table(out / "recommendations.parquet").num_rows == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "actions.parquet",
        "documents.parquet",
        "recommendations.parquet",
    ]


def test_streamed_duplicate_ids_across_batches_fail_and_nothing_is_written(tmp_path):
    with pytest.raises(writer.SchemaViolation, match="duplicate"):
        with writer.DatasetWriter(tmp_path, batch_rows=1) as dataset:
            dataset.add("actions", [action()])
            dataset.add("actions", [action()])
    assert list(tmp_path.iterdir()) == []

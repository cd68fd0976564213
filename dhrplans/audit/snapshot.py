"""Snapshot form of an output: canonical records, stable keys, JSON Lines.

An output folder holds `actions`, `recommendations` and `documents`, either as
the Parquet files `dhrplans run` writes or as the JSON Lines files
`dhrplans snapshot` writes. Both load to the same *snapshot form*: one dict per
row with every column, dates as ISO strings, floats rounded to 3 decimals
(boxes are in PDF points; confidence is a float32), maps as dicts. `dhrplans
diff` compares outputs in this form, so a committed snapshot and a fresh
Parquet output compare field by field.

Rows are identified by a *stable key* built from what is printed, never from
position, and readable (the ids hash part of it):

- documents: doc_id
- recommendations: doc_id, section, rec_number
- actions: doc_id, section, rec_number, ref

When several rows share that base (blank refs, repeated numbers), the first
words of the row's text (action / recommendation text) are added, and when
even those are shared an occurrence counter numbered in order of the rows'
content. Snapshot files list rows sorted by key (numbers in natural order), one
JSON object per line with sorted keys, and carry no timestamps or paths: the
same output always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dhrplans import schemas
from dhrplans.writer import write_text

TABLE_NAMES = ("documents", "recommendations", "actions")
FLOAT_DECIMALS = 3
FIRST_WORDS = 8


class OutputError(Exception):
    """An output folder that cannot be read (missing, incomplete, malformed)."""


@dataclass(frozen=True)
class TableSpec:
    """How the rows of one table are keyed and which fields are provenance."""

    base: tuple[str, ...]  # fields of the stable key
    text: str | None  # text whose first words break ties within a base
    id_field: str  # the record's id (a change of it alone is reported as renumbering)
    moved: tuple[str, ...]  # provenance: where the record is printed
    labels: tuple[str, ...]  # how each base field is shown in a key label


SPECS: dict[str, TableSpec] = {
    "documents": TableSpec(("doc_id",), None, "doc_id", (), ("",)),
    "recommendations": TableSpec(
        ("doc_id", "section", "rec_number"),
        "text",
        "rec_id",
        ("page", "cells"),
        ("", "", "rec "),
    ),
    "actions": TableSpec(
        ("doc_id", "section", "rec_number", "ref"),
        "action",
        "action_id",
        ("page_start", "page_end", "cells"),
        ("", "", "rec ", "ref "),
    ),
}

Key = tuple[tuple[str, ...], str, int]  # (base values, first words, occurrence)


@dataclass
class LoadedTable:
    name: str
    columns: list[str]
    records: list[dict]
    source: Path


# --- canonical values --------------------------------------------------------------------------


def _float(value: float) -> float | str:
    if math.isnan(value) or math.isinf(value):
        return str(value)
    return round(float(value), FLOAT_DECIMALS)


def canonical(value: Any, type_: pa.DataType | None = None) -> Any:
    """A value in snapshot form; `type_` (Arrow) tells maps from lists of pairs."""
    if value is None:
        return None
    if type_ is not None and pa.types.is_map(type_):
        pairs = value.items() if isinstance(value, dict) else value
        return {str(k): canonical(v, type_.item_type) for k, v in pairs}
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        fields = {f.name: f.type for f in type_} if pa.types.is_struct(type_ or pa.null()) else {}
        return {str(k): canonical(v, fields.get(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        item = type_.value_type if type_ is not None and hasattr(type_, "value_type") else None
        return [canonical(v, item) for v in value]
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def table_records(table: pa.Table) -> list[dict]:
    """Rows of an Arrow table in snapshot form."""
    types = {f.name: f.type for f in table.schema}
    return [{k: canonical(v, types[k]) for k, v in row.items()} for row in table.to_pylist()]


# --- loading -----------------------------------------------------------------------------------


def output_format(folder: Path) -> str:
    """'parquet' or 'jsonl': which complete set of table files the folder holds."""
    for suffix in ("parquet", "jsonl"):
        if all((folder / f"{name}.{suffix}").is_file() for name in TABLE_NAMES):
            return suffix
    names = ", ".join(TABLE_NAMES)
    raise OutputError(f"{folder}: not an output folder (needs {names} as .parquet or .jsonl)")


def load_output(folder: str | Path) -> dict[str, LoadedTable]:
    """Every table of an output or snapshot folder, in snapshot form."""
    folder = Path(folder)
    if not folder.exists():
        raise OutputError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise OutputError(f"not a folder: {folder}")
    fmt = output_format(folder)
    return {name: _load_table(folder / f"{name}.{fmt}", name) for name in TABLE_NAMES}


def _load_table(path: Path, name: str) -> LoadedTable:
    if path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise OutputError(f"{path}: not a readable Parquet file ({exc})") from None
        return LoadedTable(name, list(table.schema.names), table_records(table), path)
    types = {f.name: f.type for f in schemas.TABLES[name]}
    records: list[dict] = []
    columns: dict[str, None] = {}
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise OutputError(f"{path}:{lineno}: invalid JSON ({exc.msg})") from None
            if not isinstance(row, dict):
                raise OutputError(f"{path}:{lineno}: expected a JSON object")
            records.append({k: canonical(v, types.get(k)) for k, v in row.items()})
            columns.update(dict.fromkeys(row))
    ordered = [c for c in schemas.TABLES[name].names if c in columns] if records else []
    ordered += sorted(c for c in columns if c not in ordered)
    return LoadedTable(name, ordered or list(schemas.TABLES[name].names), records, path)


# --- stable keys -------------------------------------------------------------------------------


def first_words(text: Any, n: int = FIRST_WORDS, max_chars: int = 60) -> str:
    words = str(text or "").split()
    out = " ".join(words[:n])
    if len(out) > max_chars:
        out = out[: max_chars - 1].rstrip() + "…"
    elif len(words) > n:
        out += "…"
    return out


def base_of(name: str, record: dict) -> tuple[str, ...]:
    return tuple("" if record.get(f) is None else str(record.get(f)) for f in SPECS[name].base)


def content_json(name: str, record: dict) -> str:
    """The record without its id, as canonical JSON (for tie-breaking)."""
    spec = SPECS[name]
    skip = {spec.id_field, *spec.moved}
    body = {k: v for k, v in record.items() if k not in skip}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)


def keyed(name: str, records: list[dict]) -> list[tuple[Key, dict]]:
    """Each record with its stable key, sorted by key."""
    spec = SPECS[name]
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for record in records:
        groups[base_of(name, record)].append(record)
    out: list[tuple[Key, dict]] = []
    for base, rows in groups.items():
        if len(rows) == 1:
            out.append(((base, "", 0), rows[0]))
            continue
        by_words: dict[str, list[dict]] = defaultdict(list)
        for row in rows:
            by_words[first_words(row.get(spec.text)) if spec.text else ""].append(row)
        for words, same in by_words.items():
            if len(same) == 1:
                out.append(((base, words, 0), same[0]))
                continue
            same = sorted(same, key=lambda r: content_json(name, r))
            out.extend(((base, words, i), r) for i, r in enumerate(same, 1))
    out.sort(key=lambda kr: sort_key(kr[0]))
    return out


def _natural(text: str) -> tuple:
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.findall(r"\d+|\D+", text)
    )


def sort_key(key: Key) -> tuple:
    base, words, n = key
    return (tuple(_natural(v) for v in base), words, n)


def key_label(name: str, key: Key) -> str:
    """A key as a reviewer reads it: `doc | section | rec 1.2 | ref 3 | "first words…" #2`."""
    base, words, n = key
    spec = SPECS[name]
    parts = [f"{label}{value or '-'}" for label, value in zip(spec.labels, base)]
    if words:
        parts.append(json.dumps(words, ensure_ascii=False))
    label = " | ".join(parts)
    return f"{label} #{n}" if n else label


# --- snapshot files ----------------------------------------------------------------------------


def snapshot_text(name: str, records: list[dict]) -> str:
    """A table as JSON Lines: one record per line, keys sorted, rows by stable key."""
    lines = [
        json.dumps(record, sort_keys=True, ensure_ascii=False, allow_nan=False)
        for _, record in keyed(name, records)
    ]
    return "".join(line + "\n" for line in lines)


def write_snapshot(out_dir: str | Path, snapshot_dir: str | Path) -> list[Path]:
    """Write the snapshot form of an output (Parquet or snapshot) folder."""
    tables = load_output(out_dir)
    snapshot_dir = Path(snapshot_dir)
    texts = {name: snapshot_text(name, t.records) for name, t in tables.items()}
    written = []
    for name, text in texts.items():
        path = snapshot_dir / f"{name}.jsonl"
        write_text(path, text)
        written.append(path)
    return written

"""The writer owns all output I/O: validate, write to temporary files, rename into place.

Every table is checked against its schema in `schemas/` before anything is
written; a violation is a bug in the pipeline and stops the run loudly. Files are
written beside their targets and renamed only once all of them are complete, so
a run killed at any moment leaves the previous dataset readable. Rows are
sorted by document and page, in the order the normaliser read them within a page
(a stable sort: ids are hashes of printed text, not positions), and no timestamps go
into data files, so the same inputs give byte-identical output.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dhrplans import schemas


class SchemaViolation(Exception):
    """Records that break the output contract (a pipeline bug, not bad input)."""


SORT_KEYS = {
    "actions": ("doc_id", "page_start"),
    "recommendations": ("doc_id", "page"),
    "documents": ("doc_id",),
}
ID_KEYS = {"actions": "action_id", "recommendations": "rec_id", "documents": "doc_id"}


def to_table(name: str, rows: Iterable[dict], sort: bool = True) -> pa.Table:
    """Rows as an Arrow table of the named schema, validated (sorted unless told not)."""
    schema = schemas.TABLES[name]
    rows = [{f.name: r.get(f.name) for f in schema} for r in rows]
    if sort:
        rows.sort(key=lambda r: _sort_key(name, r))
    try:
        table = pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise SchemaViolation(f"{name}: {exc}") from exc
    validate(name, table)
    return table


def _sort_key(name: str, row: dict) -> tuple:
    keys = SORT_KEYS[name]
    out = []
    for key in keys:
        value = row.get(key)
        out.append((value is None, value if isinstance(value, int) else str(value or "")))
    return tuple(out)


def validate(name: str, table: pa.Table) -> None:
    """Types come from the schema; here: non-null keys, allowed values, unique ids."""
    schema = schemas.TABLES[name]
    if not table.schema.equals(schema, check_metadata=False):
        raise SchemaViolation(f"{name}: schema differs from schemas.{name.upper()}")
    for f in schema:
        if not f.nullable and table.column(f.name).null_count:
            raise SchemaViolation(f"{name}.{f.name}: null in a non-nullable field")
    ids = table.column(ID_KEYS[name]).to_pylist()
    if len(ids) != len(set(ids)):
        dupes = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise SchemaViolation(f"{name}: duplicate ids {dupes}")
    if name == "actions":
        _allowed(table, "status", schemas.STATUSES, name)
        _allowed(table, "rag", schemas.RAGS, name)
        _allowed(table, "lead_agency_source", schemas.AGENCY_SOURCES, name)
        starts = table.column("page_start").to_pylist()
        ends = table.column("page_end").to_pylist()
        if any(e < s for s, e in zip(starts, ends)):
            raise SchemaViolation("actions: page_end before page_start")
    if name == "documents":
        _allowed(table, "status", ("ok", "failed"), name)


def _allowed(table: pa.Table, column: str, allowed: tuple[str, ...], name: str) -> None:
    bad = {v for v in table.column(column).to_pylist() if v is not None and v not in allowed}
    if bad:
        raise SchemaViolation(f"{name}.{column}: values outside {allowed}: {sorted(bad)[:5]}")


def write_dataset(out_dir: str | Path, tables: dict[str, pa.Table]) -> list[Path]:
    """Write every table as `<name>.parquet` in out_dir, all-or-nothing."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob(".*.parquet.tmp"):  # left by a run killed while writing
        stale.unlink(missing_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, table in tables.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out)
            os.close(fd)
            staged.append((Path(tmp), out / f"{name}.parquet"))
            pq.write_table(table, tmp, compression="zstd", write_statistics=True)
        mode = _file_mode()
        for tmp, _ in staged:
            os.chmod(tmp, mode)  # mkstemp makes 0600; data files are for every reader
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [target for _, target in staged]


class DatasetWriter:
    """Streams the dataset to temporary Parquet files beside their targets, validated
    batch by batch, and renames them into place together on `commit()`; `abort()` (or
    an exception inside a `with` block) removes them and leaves the old dataset.

    Memory stays flat however many documents a run has: rows are held only until a
    batch of `batch_rows` is written as one row group. Each document's rows are sorted
    by page (reading order kept within a page) and documents keep the order they are
    added in (the input order), so the same inputs give the same bytes.
    """

    def __init__(self, out_dir: str | Path, batch_rows: int = 4_000):
        self.out = Path(out_dir)
        self.out.mkdir(parents=True, exist_ok=True)
        for stale in self.out.glob(".*.parquet.tmp"):  # left by a run killed while writing
            stale.unlink(missing_ok=True)
        self.batch_rows = batch_rows
        self._buffers: dict[str, list[dict]] = {name: [] for name in schemas.TABLES}
        self._ids: dict[str, set[str]] = {name: set() for name in schemas.TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._tmp: dict[str, Path] = {}
        self.rows = dict.fromkeys(schemas.TABLES, 0)

    def add(self, name: str, rows: Iterable[dict]) -> None:
        """One document's rows of one table."""
        rows = sorted(rows, key=lambda r: _sort_key(name, r))
        key = ID_KEYS[name]
        for row in rows:
            if row.get(key) in self._ids[name]:
                raise SchemaViolation(f"{name}: duplicate ids ['{row.get(key)}']")
            self._ids[name].add(row.get(key))
        self._buffers[name].extend(rows)
        if len(self._buffers[name]) >= self.batch_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        table = to_table(name, self._buffers[name], sort=False)
        self._buffers[name] = []
        if name not in self._writers:
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=self.out)
            os.close(fd)
            self._tmp[name] = Path(tmp)
            self._writers[name] = pq.ParquetWriter(
                tmp, schemas.TABLES[name], compression="zstd", write_statistics=True
            )
        if table.num_rows or self.rows[name] == 0:
            self._writers[name].write_table(table)
        self.rows[name] += table.num_rows

    def commit(self) -> list[Path]:
        """Write what is left and rename every file into place."""
        for name in schemas.TABLES:
            self._flush(name)
        for writer in self._writers.values():
            writer.close()
        mode = _file_mode()
        for tmp in self._tmp.values():
            os.chmod(tmp, mode)  # mkstemp makes 0600; data files are for every reader
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        targets = []
        for name, tmp in self._tmp.items():
            target = self.out / f"{name}.parquet"
            os.replace(tmp, target)
            targets.append(target)
        self._tmp.clear()
        return targets

    def abort(self) -> None:
        for writer in self._writers.values():
            try:
                writer.close()
            except Exception:  # already broken: only its file matters now
                pass
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)
        self._tmp.clear()

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, kind, value, trace) -> None:
        if kind is not None or self._tmp:
            self.abort()


def check_writable(out_dir: str | Path) -> None:
    """Raise OSError now if the dataset could not be written to out_dir (read-only
    folder or file system, a file in the way), rather than after every document was
    processed: the folder is made if missing, and a file is created in it and removed."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(prefix=".dhrplans-probe.", dir=out):
        pass


def read_dataset(out_dir: str | Path) -> dict[str, pa.Table] | None:
    """The dataset already in out_dir (every table), or None when there is none."""
    out = Path(out_dir)
    if not all((out / f"{name}.parquet").is_file() for name in schemas.TABLES):
        return None
    return {name: pq.read_table(out / f"{name}.parquet") for name in schemas.TABLES}


def write_text(path: str | Path, text: str) -> None:
    """A small text file (manifest, report), replaced atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, _file_mode())
    os.replace(tmp, path)


def _file_mode() -> int:
    """0666 less the process umask, as an ordinary `open` would create."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask

"""The dataset for colleagues who work in spreadsheets: CSV files or one Excel workbook.

Spreadsheets hold one value a cell, so the nested columns are flattened: lists of text
(``warnings``, ``engines``) joined with "; ", anything deeper (``cells``, ``extra``) as
JSON text. Dates stay dates (ISO in CSV, date cells in Excel). Actions carry their
``rec_id`` so a sheet can look its recommendation up. Files are written beside their
targets and renamed into place, so a failed export leaves no half-written file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dhrplans.api import TABLE_NAMES, action_rec_ids

FORMATS = ("csv", "xlsx")
JOIN = "; "
EXCEL_CELL_LIMIT = 32_767  # characters Excel keeps in one cell
EXCEL_ROW_LIMIT = 1_048_576


class ExportError(Exception):
    """The output folder cannot be read or the tables do not fit the format."""


def flat_tables(out_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The three tables of a `dhrplans run` output, one plain value per cell."""
    folder = Path(out_dir)
    frames: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        path = folder / f"{name}.parquet"
        if not path.is_file():
            raise ExportError(f"no {name}.parquet in {folder} (run `dhrplans run` first)")
        table = pq.read_table(path)
        frame = table.to_pandas(date_as_object=True)
        for field in table.schema:
            if _nested(field.type):
                frame[field.name] = [_flat(v, field.type) for v in table.column(field.name)]
        frames[name] = frame
    actions = frames["actions"]
    rec_ids = action_rec_ids(actions, frames["recommendations"]).astype(object)
    actions.insert(
        actions.columns.get_loc("action_id") + 1, "rec_id", rec_ids.where(rec_ids.notna(), None)
    )
    return frames


def _nested(kind: pa.DataType) -> bool:
    return pa.types.is_list(kind) or pa.types.is_map(kind) or pa.types.is_struct(kind)


def _flat(value: pa.Scalar, kind: pa.DataType) -> str | None:
    """A list of text joined with "; "; a map as a JSON object; other nesting as JSON."""
    if not value.is_valid:
        return None
    if pa.types.is_list(kind) and pa.types.is_string(kind.value_type):
        return JOIN.join(value.as_py())
    data = dict(value.as_py()) if pa.types.is_map(kind) else value.as_py()
    return json.dumps(_rounded(data), ensure_ascii=False, separators=(",", ":"))


def _rounded(data):
    """Coordinates to 0.01 pt: float32 boxes print as 28.600000381469727 otherwise."""
    if isinstance(data, float):
        return round(data, 2)
    if isinstance(data, dict):
        return {k: _rounded(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_rounded(v) for v in data]
    return data


@contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it when the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600: these are for every reader
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


def export_csv(out_dir: str | Path, to: str | Path) -> list[Path]:
    """`<name>.csv` per table in folder `to`: UTF-8 with a byte-order mark, which Excel
    needs to read accents and curly quotes right."""
    written = []
    for name, frame in flat_tables(out_dir).items():
        target = Path(to) / f"{name}.csv"
        with _replacing(target) as tmp:
            frame.to_csv(tmp, index=False, encoding="utf-8-sig")
        written.append(target)
    return written


def export_xlsx(out_dir: str | Path, to: str | Path) -> list[Path]:
    """One workbook, a sheet per table, the header row frozen and filterable. Text over
    Excel's 32,767 characters a cell, or tables over its row limit, are an error rather
    than cut silently."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    frames = flat_tables(out_dir)
    for name, frame in frames.items():
        if len(frame) + 1 > EXCEL_ROW_LIMIT:
            raise ExportError(f"{name}: {len(frame)} rows do not fit an Excel sheet (use csv)")
        for column in frame.columns:  # text columns: str (pandas 3) or object dtype
            text = frame[column].map(
                lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
            )
            too_long = text.map(lambda v: isinstance(v, str) and len(v) > EXCEL_CELL_LIMIT)
            if too_long.any():
                raise ExportError(
                    f"{name}.{column}: a value over Excel's {EXCEL_CELL_LIMIT} characters a cell"
                    " (use csv)"
                )
            frame[column] = text
    target = Path(to)
    with _replacing(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as book:
            for name, frame in frames.items():
                frame.to_excel(book, sheet_name=name, index=False)
                sheet = book.sheets[name]
                sheet.freeze_panes = "A2"
                sheet.auto_filter.ref = sheet.dimensions
    return [target]


def export(out_dir: str | Path, fmt: str, to: str | Path | None = None) -> list[Path]:
    """Export a run's output as `fmt` (csv: a folder, default OUT_DIR/csv; xlsx: a file,
    default OUT_DIR/dhrplans.xlsx); returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (csv or xlsx)")
    if fmt == "csv":
        return export_csv(out_dir, Path(to) if to else Path(out_dir) / "csv")
    target = Path(to) if to else Path(out_dir) / "dhrplans.xlsx"
    if target.is_dir():
        target = target / "dhrplans.xlsx"
    return export_xlsx(out_dir, target)

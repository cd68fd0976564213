"""A `dhrplans run` output read for scoring: rows per doc_id in document order, and
the gold document each predicted doc_id is scored against.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dhrplans.evaluation.gold import EvalError


def read_parquet(path: Path) -> list[dict[str, Any]]:
    """Every row of an output table; any reader error becomes a one-line EvalError."""
    try:
        table: pa.Table = pq.read_table(path)
    except Exception as exc:  # any reader error becomes a one-line message
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EvalError(f"cannot read {path}: {msg}") from exc
    if "doc_id" not in table.column_names:
        raise EvalError(f"{path} has no doc_id column")
    return table.to_pylist()


def group_by_doc(rows: list[dict[str, Any]], page_key: str) -> dict[str, list[dict[str, Any]]]:
    """Rows per doc_id, in document order: by page, then by order in the file."""
    groups: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    for i, row in enumerate(rows):
        page = row.get(page_key)
        groups.setdefault(str(row.get("doc_id")), []).append(
            (page if isinstance(page, int) else 1 << 30, i, row)
        )
    return {
        doc: [r for _, _, r in sorted(items, key=lambda t: t[:2])] for doc, items in groups.items()
    }


def gold_for(doc_id: str, gold_ids: Sequence[str]) -> str | None:
    """The gold doc a predicted doc_id belongs to: itself, or the longest ``D`` with ``D--``."""
    if doc_id in gold_ids:
        return doc_id
    owners = [g for g in gold_ids if doc_id.startswith(g + "--")]
    return max(owners, key=len) if owners else None

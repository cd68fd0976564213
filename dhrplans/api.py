"""The analyst's side: the dataset as pandas DataFrames, from PDFs or from a run's output.

`extract_plans` runs documents through the same pipeline as `dhrplans run` (the runner's
worker processes and `process_file`), validates the rows against the same schemas and
returns the three tables without writing a file, with a parsing report per document
(as camelot's ``TableList`` has a ``parsing_report`` per table); it is not called
``extract`` because ``dhrplans.extract`` is the extraction stage. `read_dataset` reads
the Parquet files `dhrplans run` wrote. Both return the tables typed the same way:
dates as ``datetime64`` (``.dt`` works), the closed vocabularies as categoricals, and
each action's ``rec_id``, the key of its row in ``recommendations``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dhrplans import schemas, writer
from dhrplans.run.inputs import find_inputs, user_vocabulary
from dhrplans.run.result import DocResult
from dhrplans.run.workers import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, process_all

TABLE_NAMES = tuple(schemas.TABLES)  # actions, recommendations, documents
DATE_COLUMNS = {"actions": ("target_date", "completion_date")}


@dataclass(slots=True)
class ParsingReport:
    """How one document was read: what was found, and how much of its tables' text."""

    doc_id: str
    source_file: str
    status: str  # ok | failed
    pages: int
    tables: int
    recommendations: int
    actions: int
    words_in_tables: int | None
    words_accounted: int | None
    warnings: list[str] = field(default_factory=list)
    engines: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def accounted_share(self) -> float | None:
        """Share of the words printed in the plan's tables found in the output (0..1)."""
        if not self.words_in_tables:
            return None
        return (self.words_accounted or 0) / self.words_in_tables

    def to_dict(self) -> dict:
        return {**asdict(self), "accounted_share": self.accounted_share}

    @classmethod
    def of(cls, result: DocResult) -> ParsingReport:
        return cls(
            doc_id=result.doc_id,
            source_file=result.source_file,
            status="failed" if result.error else "ok",
            pages=result.pages,
            tables=result.n_tables,
            recommendations=len(result.recommendations),
            actions=len(result.actions),
            words_in_tables=result.words_in_tables,
            words_accounted=result.words_accounted,
            warnings=list(result.warnings),
            engines=list(result.engines),
            error=result.error,
        )


@dataclass
class Dataset:
    """The three tables; ``actions, recommendations, documents = dataset`` unpacks them."""

    actions: pd.DataFrame
    recommendations: pd.DataFrame
    documents: pd.DataFrame

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return iter((self.actions, self.recommendations, self.documents))


@dataclass
class Extraction(Dataset):
    """`extract_plans`'s result: the tables and one `ParsingReport` per document."""

    reports: list[ParsingReport] = field(default_factory=list)

    @property
    def parsing_report(self) -> pd.DataFrame:
        """One row per document (warnings and engines as lists)."""
        rows = [r.to_dict() for r in self.reports]
        columns = [*ParsingReport.__dataclass_fields__, "accounted_share"]
        return pd.DataFrame(rows, columns=columns).set_index("doc_id")


def extract_plans(
    path_or_paths: str | Path | Iterable[str | Path],
    *,
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    isolate: bool = True,
    vocab: str | Path | None = None,
) -> Extraction:
    """Extract PDF/DOCX files (or every one in a folder) into typed DataFrames, writing
    nothing. Options as `dhrplans run`'s: `jobs` worker processes, each document stopped
    after `timeout` seconds or past `max_memory_mb`; `isolate=False` runs in this process
    (no limits; for a debugger). `vocab`: a user vocabulary folder (default ``vocab/`` in
    the current folder when there is one; README, *User vocabulary*). A document that
    fails has a row in ``documents`` with its ``error`` and a report; it never raises (a
    malformed vocabulary file, or two inputs with one file stem, raise ValueError before
    any work, naming the files)."""
    items = [path_or_paths] if isinstance(path_or_paths, str | Path) else list(path_or_paths)
    paths = find_inputs(items)
    user = user_vocabulary(vocab)
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    reports: list[ParsingReport] = []
    for result in process_all(paths, jobs, timeout, max_memory_mb, isolate, True, user):
        rows["actions"].extend(result.actions)
        rows["recommendations"].extend(result.recommendations)
        rows["documents"].append(result.document_row())
        reports.append(ParsingReport.of(result))
    tables = {name: writer.to_table(name, rows[name]) for name in TABLE_NAMES}
    return Extraction(**_typed(tables), reports=reports)


def read_dataset(dir: str | Path = "data/clean") -> Dataset:
    """The Parquet files of a `dhrplans run` output folder, typed (see the module)."""
    folder = Path(dir)
    missing = [n for n in TABLE_NAMES if not (folder / f"{n}.parquet").is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder}: no {', '.join(f'{n}.parquet' for n in missing)} (run `dhrplans run`)"
        )
    return Dataset(**_typed({n: pq.read_table(folder / f"{n}.parquet") for n in TABLE_NAMES}))


def _typed(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    frames = {n: t.to_pandas(date_as_object=False) for n, t in tables.items()}
    actions, documents = frames["actions"], frames["documents"]
    for column in DATE_COLUMNS["actions"]:
        actions[column] = pd.to_datetime(actions[column])
    vocabularies = {
        "status": schemas.STATUSES,
        "rag": schemas.RAGS,
        "lead_agency_source": schemas.AGENCY_SOURCES,
        "lead_agency_type": agency_types(actions["lead_agency_type"].dropna()),
    }
    for column, categories in vocabularies.items():
        actions[column] = pd.Categorical(actions[column], categories=list(categories))
    documents["status"] = pd.Categorical(documents["status"], categories=["ok", "failed"])
    actions.insert(
        actions.columns.get_loc("action_id") + 1,
        "rec_id",
        action_rec_ids(actions, frames["recommendations"]),
    )
    return frames


def agency_types(observed: Iterable[str] = ()) -> list[str]:
    """Every agency type the registry and the name patterns know, and any observed."""
    known = {r["type"] for r in schemas.read_vocabulary(schemas.AGENCIES_CSV)}
    known |= {r["type"] for r in schemas.read_vocabulary(schemas.AGENCY_TYPE_PATTERNS_CSV)}
    return sorted((known | set(observed)) - {""})


def action_rec_ids(actions: pd.DataFrame, recommendations: pd.DataFrame) -> pd.Series:
    """Each action's recommendation key, built as recommendations' ``rec_id`` is (the
    action's doc_id/section prefix of its ``action_id``, then ``r`` and its rec_number);
    where a section prints one number twice (ids ``...#2``), the recommendation whose
    text the action carries. Null for actions without a recommendation."""
    by_base: dict[str, list[tuple[str, str]]] = {}
    for rec_id, text in zip(recommendations["rec_id"], recommendations["text"]):
        by_base.setdefault(rec_id.split("#", 1)[0], []).append((rec_id, text or ""))
    out: list[str | None] = []
    for action_id, number, text in zip(
        actions["action_id"], actions["rec_number"], actions["recommendation"]
    ):
        number = None if pd.isna(number) else number
        text = None if pd.isna(text) else text
        if number is None and text is None:
            out.append(None)
            continue
        base = f"{action_id.rsplit('/', 1)[0]}/r{number or '?'}"
        candidates = by_base.get(base, [])
        same_text = [rec_id for rec_id, rec_text in candidates if rec_text == (text or "")]
        chosen = same_text or [rec_id for rec_id, _ in candidates]
        out.append(chosen[0] if chosen else None)
    return pd.Series(out, index=actions.index, dtype="string")

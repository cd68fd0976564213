"""One document through the stages (extract, normalise), and a run over many.

`process_file` never raises for a bad input: it returns a `DocResult` whose
`error` is a one-line reason. Documents are processed in worker processes
(`jobs`), results come back in input order and go to the writer at the end.
"""

from __future__ import annotations

import hashlib
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from dhrplans import writer
from extract.document import ExtractError, extract_document
from normalise.plan import normalise_document

INPUT_SUFFIXES = (".pdf",)


class UsageError(Exception):
    """Bad command-line input (missing path, nothing to read)."""


@dataclass(slots=True)
class DocResult:
    doc_id: str
    source_file: str
    sha256: str | None = None
    title: str | None = None
    pages: int = 0
    n_tables: int = 0
    engines: list[str] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    unmatched_agencies: list[str] = field(default_factory=list)
    error: str | None = None
    debug: str | None = None  # traceback, shown with --debug

    def document_row(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "title": self.title,
            "pages": self.pages,
            "n_tables": self.n_tables,
            "n_recommendations": len(self.recommendations),
            "n_actions": len(self.actions),
            "engines": self.engines,
            "status": "failed" if self.error else "ok",
            "error": self.error,
            "warnings": self.warnings,
        }


@dataclass(slots=True)
class RunSummary:
    documents: int = 0
    pages: int = 0
    recommendations: int = 0
    actions: int = 0
    warnings: int = 0
    failures: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    unmatched_agencies: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"documents {self.documents}, pages {self.pages}, "
            f"recommendations {self.recommendations}, actions {self.actions}, "
            f"warnings {self.warnings}, failures {self.failures}"
        )


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """PDF files named, and those inside folders named (not recursive), sorted by name."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return found


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def process_file(path: str | Path) -> DocResult:
    """Extract and normalise one document; failures become a one-line `error`."""
    path = Path(path)
    result = DocResult(doc_id=path.stem, source_file=path.name)
    try:
        result.sha256 = sha256_of(path)
        if path.stat().st_size == 0:
            raise ExtractError("empty file")
        raw = extract_document(path, doc_id=result.doc_id)
        result.pages, result.title = raw.pages, raw.title
        if raw.pages == 0:
            raise ExtractError("the PDF has no pages")
        if raw.text_pages == 0:
            raise ExtractError("no text layer on any page: the document needs OCR")
        doc = normalise_document(raw)
        result.actions = doc.actions
        result.recommendations = doc.recommendations
        result.n_tables = doc.n_sections
        result.engines = doc.engines
        result.warnings = doc.warnings
        result.unmatched_agencies = doc.unmatched_agencies
    except ExtractError as exc:
        result.error = str(exc)
    except Exception as exc:  # one bad document must not stop the run
        first = str(exc).splitlines()[0] if str(exc) else ""
        result.error = f"{type(exc).__name__}: {first}"[:300]
        result.debug = traceback.format_exc()
    if result.error:
        result.actions, result.recommendations = [], []
    return result


def process_all(paths: list[Path], jobs: int = 1) -> Iterator[DocResult]:
    """Results in input order, from `jobs` worker processes."""
    if jobs <= 1 or len(paths) <= 1:
        yield from (process_file(p) for p in paths)
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(process_file, paths, chunksize=1)


def run(
    paths: list[Path],
    out_dir: str | Path,
    jobs: int = 1,
    on_result: Callable[[DocResult], None] | None = None,
) -> RunSummary:
    """Process every document and write one consistent dataset to out_dir."""
    summary = RunSummary()
    actions: list[dict] = []
    recommendations: list[dict] = []
    documents: list[dict] = []
    unmatched: set[str] = set()
    seen: set[str] = set()
    for result in process_all(paths, jobs):
        if result.doc_id in seen:
            result = DocResult(
                result.doc_id, result.source_file, error="duplicate doc_id (same file stem)"
            )
        seen.add(result.doc_id)
        summary.documents += 1
        summary.pages += result.pages
        summary.warnings += len(result.warnings) + sum(len(a["warnings"]) for a in result.actions)
        if result.error:
            summary.failures += 1
            summary.failed.append((result.source_file, result.error))
        actions.extend(result.actions)
        recommendations.extend(result.recommendations)
        documents.append(result.document_row())
        unmatched.update(result.unmatched_agencies)
        if on_result:
            on_result(result)
    summary.actions = len(actions)
    summary.recommendations = len(recommendations)
    summary.unmatched_agencies = sorted(unmatched)
    tables = {
        "actions": writer.to_table("actions", actions),
        "recommendations": writer.to_table("recommendations", recommendations),
        "documents": writer.to_table("documents", documents),
    }
    writer.write_dataset(out_dir, tables)
    return summary

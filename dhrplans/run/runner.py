"""The whole run: find the inputs, take unchanged documents from the cache, process
the others (local worker processes or a Dask cluster), stream the results in input
order to the writer, and record the run in a manifest.

The writer replaces the previous dataset only once the new one is complete, so an
interrupted run leaves the output folder as it was.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock
from filelock import Timeout as LockTimeout

from dhrplans import __version__, schemas, writer
from dhrplans.run import document
from dhrplans.run.cache import ResultCache, pipeline_version
from dhrplans.run.cluster import dask_results
from dhrplans.run.document import sha256_of
from dhrplans.run.inputs import find_inputs as inputs_of
from dhrplans.run.result import DocResult
from dhrplans.run.workers import DEFAULT_MAX_MEMORY_MB, DEFAULT_TIMEOUT, process_all
from dhrplans.schemas.vocab import UserVocabulary

MANIFEST = "run-manifest.json"  # beside the Parquet files: the run's times and outcomes
LOCK = ".dhrplans.lock"  # held by the run writing the folder: one writer at a time


class UsageError(Exception):
    """Bad command-line input (missing path, nothing to read, output not writable or
    held by another run)."""


@dataclass(slots=True)
class RunSummary:
    """What a run did, in counts; `line()` is what `dhrplans run` prints last."""

    documents: int = 0
    pages: int = 0
    recommendations: int = 0
    actions: int = 0
    warnings: int = 0
    warning_kinds: dict[str, int] = field(default_factory=dict)  # kind -> warnings
    failures: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    cached: int = 0  # documents taken from the result cache
    unmatched_agencies: list[str] = field(default_factory=list)
    kept: int = 0  # documents of the previous dataset kept (`add=True`)
    dataset_documents: int = 0  # what the output holds after the run
    dataset_actions: int = 0

    def add_warnings(self, warnings: Iterable[str]) -> None:
        for warning in warnings:
            self.warnings += 1
            kind = schemas.warning_kind(warning)
            self.warning_kinds[kind] = self.warning_kinds.get(kind, 0) + 1

    def _kinds(self) -> str:
        """The warnings by kind, most frequent first: ` (status inferred 7, ...)`."""
        if not self.warning_kinds:
            return ""
        ranked = sorted(self.warning_kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        return " (" + ", ".join(f"{kind} {n}" for kind, n in ranked) + ")"

    def line(self) -> str:
        return (
            f"documents {self.documents}, pages {self.pages}, "
            f"recommendations {self.recommendations}, actions {self.actions}, "
            f"warnings {self.warnings}{self._kinds()}, failures {self.failures}; "
            f"dataset now {self.dataset_documents} documents, {self.dataset_actions} actions"
            + (f" ({self.kept} kept from before)" if self.kept else "")
            + (f" ({self.cached} documents unchanged, taken from the cache)" if self.cached else "")
        )


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """The run's input files (dhrplans.run.inputs); a missing one is a usage error."""
    try:
        return inputs_of(inputs)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(str(exc)) from None


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block ends: once the writer starts replacing
    files it finishes (a Ctrl-C then is ignored: the run is complete)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    deferred = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda sig, _frame: caught.append(sig)) for sig in deferred}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if signal.SIGTERM in caught:
        os.kill(os.getpid(), signal.SIGTERM)


def _in_input_order(
    paths: list[Path],
    hits: dict[int, Path],
    cache: ResultCache | None,
    fresh: Iterator[DocResult],
    vocab: UserVocabulary | None = None,
) -> Iterator[DocResult]:
    """Cached and freshly processed results merged back into input order; cached
    results are read from disk only when their turn comes (memory stays flat)."""
    try:
        for i, path in enumerate(paths):
            if i in hits and cache is not None:
                result = cache.load(hits[i])
                yield result if result is not None else document.process_file(path, vocab)
            else:
                yield next(fresh)
    finally:
        fresh.close()


def _ocr_figures(documents: list[dict]) -> dict:
    """Pages read by OCR in this run (not from the cache), the seconds spent on them and
    the seconds per page."""
    fresh = [d for d in documents if not d.get("from_cache")]
    pages = sum(d.get("ocr_pages") or 0 for d in fresh)
    seconds = sum(d.get("ocr_seconds") or 0.0 for d in fresh)
    return {
        "pages": pages,
        "seconds": round(seconds, 3),
        "seconds_per_page": round(seconds / pages, 3) if pages else None,
    }


def _peak_memory() -> dict:
    """Peak resident memory (MB) of this process and of the largest of its child processes
    so far (the workers and what they started), for the manifest and `bench/run.py`.
    Read before the manifest runs a program: a program started by vfork records this
    process's peak as its own."""
    try:
        import resource
    except ImportError:  # not on this system
        return {}
    scale = 1024.0 * 1024.0 if sys.platform == "darwin" else 1024.0  # bytes there, KB here
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return {"run_process": round(own, 1), "largest_child": round(children, 1)}


def _manifest(
    summary: RunSummary,
    documents: list[dict],
    started: float,
    cache: ResultCache | None,
    executor: str,
    jobs: int,
    memory: dict | None = None,
) -> str:
    """The run's own record (times, versions, per-file outcome): kept out of the data
    files so those stay byte-identical from run to run."""
    finished = time.time()
    record = {
        "dhrplans": __version__,
        "pipeline_version": pipeline_version(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(finished - started, 3),
        "executor": executor,
        "jobs": jobs,
        "cache": str(cache.folder) if cache is not None else None,
        "summary": summary.line(),
        "ocr": _ocr_figures(documents),
        "peak_rss_mb": memory or {},
        "documents": documents,
    }
    return json.dumps(record, indent=2) + "\n"


def run(
    paths: list[Path],
    out_dir: str | Path,
    jobs: int = 1,
    on_result: Callable[[DocResult], None] | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    isolate: bool = True,
    quiet: bool = True,
    cache: ResultCache | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    add: bool = False,
    wait: float = 0,
    vocab: UserVocabulary | None = None,
) -> RunSummary:
    """Process every document and write one consistent dataset to out_dir.

    `executor="dask"` processes the documents on the Dask cluster at `scheduler`
    (see dhrplans.run.cluster); the output is the same as a local run's.
    With a cache, documents whose bytes, name and pipeline version are unchanged
    are taken from it instead of being extracted again. An interruption
    (KeyboardInterrupt) before the write leaves out_dir as it was; the write
    itself is not interrupted. `vocab` (a user vocabulary, `dhrplans.schemas.vocab`) is
    added to the shipped one for every document; the cache must have been made with it.

    Without `add` the output holds exactly these documents; with it, the documents
    already in out_dir stay, except those with the same doc_id as an input (replaced).
    The folder is checked writable and locked (`LOCK`) before any work: a second run
    on the same folder waits up to `wait` seconds, then raises UsageError."""
    out = Path(out_dir)
    if cache is not None:
        cache = cache.for_vocabulary(vocab)
    try:
        writer.check_writable(out)
    except OSError as exc:
        raise UsageError(
            f"cannot write to the output folder {out}: {exc.strerror or exc}"
        ) from None
    lock = FileLock(out / LOCK, timeout=wait)
    try:
        lock.acquire()
    except LockTimeout:
        raise UsageError(
            f"another dhrplans run is writing {out} (it holds {out / LOCK}); "
            "wait for it to finish, or pass --wait SECONDS"
        ) from None
    try:
        return _run_locked(
            paths,
            out,
            jobs,
            on_result,
            timeout,
            max_memory_mb,
            isolate,
            quiet,
            cache,
            executor,
            scheduler,
            add,
            vocab,
        )
    finally:
        lock.release()


def _kept_rows(out: Path, replaced: set[str]) -> Iterator[tuple[str, list[dict]]]:
    """The previous dataset's rows, table by table, of the documents this run does not
    replace (they go into the new dataset ahead of this run's documents)."""
    previous = writer.read_dataset(out)
    if previous is None:
        return
    docs = [d for d in previous["documents"].to_pylist() if d["doc_id"] not in replaced]
    kept = {d["doc_id"] for d in docs}
    for name in ("actions", "recommendations"):
        rows = [r for r in previous[name].to_pylist() if r["doc_id"] in kept]
        yield name, rows
    yield "documents", docs


def _run_locked(
    paths: list[Path],
    out_dir: Path,
    jobs: int,
    on_result: Callable[[DocResult], None] | None,
    timeout: float | None,
    max_memory_mb: int | None,
    isolate: bool,
    quiet: bool,
    cache: ResultCache | None,
    executor: str,
    scheduler: str | None,
    add: bool,
    vocab: UserVocabulary | None = None,
) -> RunSummary:
    started = time.time()
    summary = RunSummary()
    unmatched: set[str] = set()
    manifest: list[dict] = []
    hits: dict[int, Path] = {}
    if cache is not None:
        cache.prune()
        for i, path in enumerate(paths):
            try:
                entry = cache.lookup(sha256_of(path), path.name)
            except OSError:
                entry = None
            if entry is not None:
                hits[i] = entry
    todo = [p for i, p in enumerate(paths) if i not in hits]
    if executor == "dask":
        fresh = dask_results(todo, scheduler or "", timeout or None, vocab)
    else:
        fresh = process_all(todo, jobs, timeout, max_memory_mb, isolate, quiet, vocab)
    results = _in_input_order(paths, hits, cache, fresh, vocab)
    dataset = writer.DatasetWriter(out_dir)
    try:
        if add:
            for name, rows in _kept_rows(out_dir, {document.doc_id_of(p) for p in paths}):
                dataset.add(name, rows)
                if name == "documents":
                    summary.kept = len(rows)
        for i, result in enumerate(results):
            from_cache = i in hits
            if cache is not None and not from_cache:
                cache.put(result)
            summary.documents += 1
            summary.pages += result.pages
            summary.add_warnings(result.warnings)
            for action in result.actions:
                summary.add_warnings(action["warnings"])
            if result.error:
                summary.failures += 1
                summary.failed.append((result.source_file, result.error))
            summary.actions += len(result.actions)
            summary.recommendations += len(result.recommendations)
            dataset.add("actions", result.actions)
            dataset.add("recommendations", result.recommendations)
            dataset.add("documents", [result.document_row()])
            unmatched.update(result.unmatched_agencies)
            manifest.append(
                {
                    "file": result.source_file,
                    "sha256": result.sha256,
                    "status": "failed" if result.error else "ok",
                    "error": result.error,
                    "from_cache": from_cache,
                    "ocr_pages": result.ocr_pages,
                    "ocr_seconds": result.ocr_seconds,
                }
            )
            if on_result:
                on_result(result)
        summary.cached = len(hits)
        summary.unmatched_agencies = sorted(unmatched)
        with _signals_deferred():
            dataset.commit()
            summary.dataset_documents = dataset.rows["documents"]
            summary.dataset_actions = dataset.rows["actions"]
            memory = _peak_memory()  # before _manifest starts a program (engine versions)
            writer.write_text(
                Path(out_dir) / MANIFEST,
                _manifest(summary, manifest, started, cache, executor, jobs, memory),
            )
    except BaseException:
        dataset.abort()
        raise
    finally:
        results.close()  # an interrupted loop stops the workers at once
    return summary

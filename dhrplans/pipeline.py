"""One document through the stages (extract, normalise), and a run over many.

`process_file` never raises for a bad input: it returns a `DocResult` whose
`error` is a one-line reason. A run processes each document in a worker process
of its own (`jobs` at a time), under a time limit and a memory limit: a document
that hangs, crashes its process or runs out of memory is reported failed with
the reason, and the run goes on. Results come back in input order and go to the
writer at the end, which replaces the previous dataset only once the new one is
complete.
"""

from __future__ import annotations

import faulthandler
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import wait as wait_for_ready
from pathlib import Path

from dhrplans import writer
from dhrplans.cache import ResultCache
from dhrplans.extract.document import ExtractError, extract_document, prepared_pdf
from dhrplans.extract.model import RawDocument
from dhrplans.normalise.plan import normalise_document

DEFAULT_TIMEOUT = 120.0  # seconds per document
DEFAULT_MAX_MEMORY_MB = 4096  # address space of one worker process
OUT_OF_MEMORY = "ran out of memory"
INPUT_SUFFIXES = (".pdf", ".docx")
MANIFEST = "run-manifest.json"  # beside the Parquet files: the run's times and outcomes


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
    cached: int = 0  # documents taken from the result cache
    unmatched_agencies: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"documents {self.documents}, pages {self.pages}, "
            f"recommendations {self.recommendations}, actions {self.actions}, "
            f"warnings {self.warnings}, failures {self.failures}"
            + (f" ({self.cached} documents unchanged, taken from the cache)" if self.cached else "")
        )


def find_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the PDF and DOCX files inside folders named (not recursive),
    sorted by name."""
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


def _one_line(text: str, limit: int = 300) -> str:
    return " ".join(str(text).split())[:limit]


def _extract_docx(path: Path, doc_id: str) -> RawDocument:
    with open(path, "rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise ExtractError("not a DOCX (Word) file: no ZIP header")
    try:
        from dhrplans.extract.docx_reader import extract_docx
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("extract"):
            raise ExtractError("DOCX input is not supported yet (no extract.docx_reader)") from None
        raise ExtractError(f"cannot read DOCX: missing module {exc.name}") from None
    return extract_docx(path, doc_id)


class _ParserComplaints(logging.Handler):
    """Warnings pdfminer and pdfplumber log while they read past damage."""

    NOISE = ("CropBox missing",)

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = _one_line(record.getMessage(), 120)
        if not message.startswith(self.NOISE):
            self.messages.append(message)


@contextmanager
def _complaints() -> Iterator[_ParserComplaints]:
    handler = _ParserComplaints()
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield handler
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _is_parser_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in ("pdfminer", "pdfplumber")


def _extract_pdf(path: Path, doc_id: str) -> RawDocument:
    """The PDF checked and, where its cross-reference table is broken, repaired first.
    If parsing still fails, one more try on a copy rewritten by pikepdf. Damage the
    parser read past (and so text it may have skipped) is said in a warning."""
    with prepared_pdf(path) as (readable, notes), _complaints() as complaints:
        try:
            raw = extract_document(readable, doc_id=doc_id)
        except (ExtractError, MemoryError, RecursionError):
            raise
        except Exception as exc:
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
            if isinstance(cause, (MemoryError, RecursionError)):  # pdfplumber wraps them
                raise cause from exc
            raw = None
            if not notes:  # not yet a repaired copy
                try:
                    with prepared_pdf(path, rewrite=True) as (copy, _):
                        complaints.messages.clear()
                        raw = extract_document(copy, doc_id=doc_id)
                    notes = [f"rewritten with pikepdf after a read error ({type(exc).__name__})"]
                except Exception:
                    raw = None
            if raw is None:
                if _is_parser_error(exc):
                    raise ExtractError(f"corrupt PDF: {_one_line(exc, 150)}") from exc
                raise exc
    if complaints.messages:
        n = len(complaints.messages)
        notes.append(
            f"read past {n} damaged part(s) of the PDF, text may be missing: "
            f"{complaints.messages[0]}"
        )
    raw.source_file = path.name
    raw.warnings[:0] = notes
    return raw


def process_file(path: str | Path) -> DocResult:
    """Extract and normalise one document; failures become a one-line `error`."""
    path = Path(path)
    result = DocResult(doc_id=path.stem, source_file=path.name)
    try:
        try:
            result.sha256 = sha256_of(path)
            empty = path.stat().st_size == 0
        except OSError as exc:
            raise ExtractError(f"cannot read the file: {exc.strerror or exc}") from None
        if empty:
            raise ExtractError("empty file")
        if path.suffix.lower() == ".docx":
            raw = _extract_docx(path, result.doc_id)
        else:
            raw = _extract_pdf(path, result.doc_id)
            if raw.pages == 0:
                raise ExtractError("the PDF has no pages")
            if raw.text_pages == 0:
                raise ExtractError(f"no text layer: needs OCR ({raw.pages} page(s) without text)")
        result.pages, result.title = raw.pages, raw.title
        doc = normalise_document(raw)
        result.actions = doc.actions
        result.recommendations = doc.recommendations
        result.n_tables = doc.n_sections
        result.engines = doc.engines
        result.warnings = doc.warnings
        result.unmatched_agencies = doc.unmatched_agencies
    except ExtractError as exc:
        result.error = _one_line(exc) or "cannot read the document"
        if exc.__cause__ is not None:
            result.debug = traceback.format_exc()
    except MemoryError:
        result.actions, result.recommendations = [], []
        result.error = OUT_OF_MEMORY
    except RecursionError:
        result.error = "objects nested too deeply to read (recursion limit)"
        result.debug = traceback.format_exc()
    except Exception as exc:  # one bad document must not stop the run
        first = _one_line(exc)
        result.error = f"{type(exc).__name__}: {first}"[:300] if first else type(exc).__name__
        result.debug = traceback.format_exc()
    if result.error:
        result.actions, result.recommendations = [], []
    return result


# --- isolation: one worker process per document ---------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one (fast; the child has the parent's imports), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def _worker_setup(parent_pid: int, max_memory_mb: int | None, scratch: str, quiet: bool) -> None:
    """In the worker, before the document: signals, output, limits."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if sys.platform.startswith("linux"):
        try:  # die with the parent, even if it is SIGKILLed
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
            libc.mallopt(-8, 2)  # M_ARENA_MAX: threads must not reserve address space
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:
        os._exit(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull if quiet else 2, 1)  # stdout carries the run's summary: never ours
    if quiet:  # libraries' own messages (pdfminer, qpdf, OpenCV) stay off the terminal
        os.dup2(devnull, 2)
        faulthandler.disable()  # it may hold its own copy of the terminal
    os.close(devnull)
    # New objects: the inherited ones may hold a lock taken by a thread of the parent.
    sys.stdout = open(os.devnull, "w")
    sys.stderr = open(os.devnull, "w") if quiet else open(2, "w", closefd=False)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # the run is parallel across documents already
    os.environ["OPENCV_FOR_THREADS_NUM"] = "1"
    tempfile.tempdir = scratch  # removed by the parent; after a SIGKILL, by the next run
    if max_memory_mb:
        try:
            import resource

            limit = max_memory_mb * 1024 * 1024
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        except (ImportError, ValueError, OSError):
            pass


def _worker(
    path: Path,
    conn,
    parent_pid: int,
    max_memory_mb: int | None,
    scratch: str,
    quiet: bool,
    inherited: list[int],
) -> None:
    """Entry point of a worker process: one document, its result sent back."""
    code = 0
    for fd in inherited:  # the parent's ends of the pipes: were the parent to die, a
        try:  # send must fail, not wait for a reader that is this very process
            os.close(fd)
        except OSError:
            pass
    try:
        _worker_setup(parent_pid, max_memory_mb, scratch, quiet)
        result = process_file(path)
        if result.error == OUT_OF_MEMORY and max_memory_mb:
            result.error = f"{OUT_OF_MEMORY} (limit {max_memory_mb} MB)"
        conn.send(result)
    except BaseException:  # nothing may reach the terminal from here
        code = 1
    finally:
        try:
            conn.close()
        finally:
            os._exit(code)  # no exit handlers: they belong to the parent


@dataclass(slots=True)
class _Running:
    path: Path
    process: multiprocessing.process.BaseProcess
    conn: object
    started: float


def _failed(path: Path, error: str) -> DocResult:
    result = DocResult(doc_id=path.stem, source_file=path.name, error=error)
    try:
        result.sha256 = sha256_of(path)
    except OSError:
        pass
    return result


def _died(process: multiprocessing.process.BaseProcess) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        if -code == signal.SIGKILL:  # not ours: ours are reported as timeouts
            return "worker process killed (SIGKILL): by the system, short of memory?"
        return f"worker process crashed ({name})"
    return f"worker process exited with code {code} without a result"


_SCRATCH = "dhrplans-run-"


def _remove_stale_scratch() -> None:
    """Scratch folders of runs that were killed (SIGKILL leaves them): their pid is gone."""
    if os.name != "posix":
        return
    for folder in Path(tempfile.gettempdir()).glob(f"{_SCRATCH}*-*"):
        pid = folder.name[len(_SCRATCH) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            if folder.stat().st_uid != os.getuid():
                continue
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except (OSError, AttributeError):
            continue


def warm_up() -> None:
    """Load the vocabularies every document needs (word list, agency registry, header
    and status synonyms) once, before worker processes are forked."""
    from dhrplans.normalise.agencies import AgencyRegistry
    from dhrplans.normalise.cells import english_words
    from dhrplans.normalise.headers import synonyms
    from dhrplans.normalise.status import load_vocabulary

    english_words()
    AgencyRegistry.load()
    synonyms()
    load_vocabulary()


def _isolated(
    paths: list[Path], jobs: int, timeout: float | None, max_memory_mb: int | None, quiet: bool
) -> Iterator[DocResult]:
    ctx = _context()
    forked = ctx.get_start_method() == "fork"
    if forked and paths:
        warm_up()  # forked workers inherit the loaded vocabularies
    _remove_stale_scratch()
    scratch = tempfile.mkdtemp(prefix=f"{_SCRATCH}{os.getpid()}-")
    queue = deque(enumerate(paths))
    running: dict[int, _Running] = {}
    done: dict[int, DocResult] = {}
    next_out = 0

    def start_more() -> None:
        while queue and len(running) < jobs:
            i, path = queue.popleft()
            recv, send = ctx.Pipe(duplex=False)
            inherited = [r.conn.fileno() for r in running.values()] + [recv.fileno()]
            process = ctx.Process(
                target=_worker,
                args=(
                    path,
                    send,
                    os.getpid(),
                    max_memory_mb,
                    scratch,
                    quiet,
                    inherited if forked else [],
                ),
                name=f"dhrplans-doc-{i}",
                daemon=True,
            )
            process.start()
            send.close()
            running[i] = _Running(path, process, recv, time.monotonic())

    try:
        start_more()
        while next_out < len(paths):
            wait = None
            if timeout:
                first_deadline = min(r.started for r in running.values()) + timeout
                wait = max(0.0, first_deadline - time.monotonic())
            ready = set(wait_for_ready([r.conn for r in running.values()], timeout=wait))
            for i, job in list(running.items()):
                result = None
                if job.conn in ready:
                    try:
                        result = job.conn.recv()
                    except Exception:  # the worker died before (or while) sending
                        job.process.join(5)
                        result = _failed(job.path, _died(job.process))
                elif timeout and time.monotonic() - job.started >= timeout:
                    job.process.kill()
                    result = _failed(job.path, f"timed out after {timeout:g} s")
                if result is None:
                    continue
                job.conn.close()
                job.process.join(5)
                if job.process.is_alive():
                    job.process.kill()
                    job.process.join()
                del running[i]
                done[i] = result
            start_more()  # before handing results on: the workers keep busy meanwhile
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:  # Ctrl-C, or the consumer stopped: no worker outlives the run
        for job in running.values():
            job.process.kill()
        for job in running.values():
            job.process.join()
            job.conn.close()
        shutil.rmtree(scratch, ignore_errors=True)


def process_all(
    paths: list[Path],
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    isolate: bool = True,
    quiet: bool = True,
) -> Iterator[DocResult]:
    """Results in input order. Each document runs in a worker process of its own, at
    most `jobs` at a time, killed after `timeout` seconds and limited to `max_memory_mb`
    of address space (None or 0: no limit). `isolate=False` runs them in this process,
    one after the other, without limits (for a debugger). `quiet` keeps the workers'
    own output (library messages) off the terminal."""
    if not isolate:
        yield from (process_file(p) for p in paths)
        return
    yield from _isolated(paths, max(1, jobs), timeout or None, max_memory_mb or None, quiet)


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
) -> Iterator[DocResult]:
    """Cached and freshly processed results merged back into input order; cached
    results are read from disk only when their turn comes (memory stays flat)."""
    try:
        for i, path in enumerate(paths):
            if i in hits and cache is not None:
                result = cache.load(hits[i])
                yield result if result is not None else process_file(path)
            else:
                yield next(fresh)
    finally:
        fresh.close()


def _manifest(
    summary: RunSummary,
    documents: list[dict],
    started: float,
    cache: ResultCache | None,
    executor: str,
    jobs: int,
) -> str:
    """The run's own record (times, versions, per-file outcome): kept out of the data
    files so those stay byte-identical from run to run."""
    from dhrplans import __version__
    from dhrplans.cache import pipeline_version

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
) -> RunSummary:
    """Process every document and write one consistent dataset to out_dir.

    `executor="dask"` processes the documents on the Dask cluster at `scheduler`
    (see dhrplans.executors); the output is the same as a local run's.
    With a cache, documents whose bytes, name and pipeline version are unchanged
    are taken from it instead of being extracted again. An interruption
    (KeyboardInterrupt) before the write leaves out_dir as it was; the write
    itself is not interrupted."""
    started = time.time()
    summary = RunSummary()
    unmatched: set[str] = set()
    seen: set[str] = set()
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
        from dhrplans.executors import dask_results

        fresh = dask_results(todo, scheduler or "", timeout or None)
    else:
        fresh = process_all(todo, jobs, timeout, max_memory_mb, isolate, quiet)
    results = _in_input_order(paths, hits, cache, fresh)
    dataset = writer.DatasetWriter(out_dir)
    try:
        for i, result in enumerate(results):
            from_cache = i in hits
            if cache is not None and not from_cache:
                cache.put(result)
            if result.doc_id in seen:
                result = DocResult(
                    result.doc_id, result.source_file, error="duplicate doc_id (same file stem)"
                )
            seen.add(result.doc_id)
            summary.documents += 1
            summary.pages += result.pages
            summary.warnings += len(result.warnings) + sum(
                len(a["warnings"]) for a in result.actions
            )
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
                }
            )
            if on_result:
                on_result(result)
        summary.cached = len(hits)
        summary.unmatched_agencies = sorted(unmatched)
        with _signals_deferred():
            dataset.commit()
            writer.write_text(
                Path(out_dir) / MANIFEST,
                _manifest(summary, manifest, started, cache, executor, jobs),
            )
    except BaseException:
        dataset.abort()
        raise
    finally:
        results.close()  # an interrupted loop stops the workers at once
    return summary

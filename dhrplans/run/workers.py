"""Local isolation: each document in a worker process of its own, under limits.

At most `jobs` worker processes at a time, each killed after a time limit and
held to a memory limit (address space): a document that hangs, crashes its
process or runs out of memory is reported failed with the reason, and the others
go on. Results come back in input order.
"""

from __future__ import annotations

import faulthandler
import gc
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait as wait_for_ready
from pathlib import Path

from dhrplans.extract import ocr
from dhrplans.run import document
from dhrplans.run.document import OUT_OF_MEMORY, sha256_of
from dhrplans.run.result import DocResult
from dhrplans.schemas import vocab as user_vocab
from dhrplans.schemas.vocab import UserVocabulary
from dhrplans.settings import DEFAULT_SETTINGS

DEFAULT_TIMEOUT = 120.0  # seconds per document, plus OCR_SECONDS_PER_PAGE per page OCR'd
OCR_SECONDS_PER_PAGE = DEFAULT_SETTINGS.ocr.seconds_per_page
OCR_PAGES = "ocr-pages"  # a worker's message: it is about to OCR this many pages
LOOKAHEAD_PER_JOB = 4  # documents per worker the scheduler may look ahead for the largest
EXIT_GRACE = 5.0  # seconds a worker that sent its result has to exit before it is killed
DEFAULT_MAX_MEMORY_MB = 4096  # address space of one worker process


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
    vocab: UserVocabulary | None = None,
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
        # Scanned pages take far longer than text: the parent extends the time limit.
        ocr.before_ocr = lambda pages: conn.send((OCR_PAGES, pages))
        result = document.process_file(path, vocab)
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
    limit: float | None = None  # seconds: the run's timeout, extended for pages OCR'd


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


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _next(queue: deque, sizes: list[int], before: int) -> tuple[int, Path]:
    """Take from `queue` (input order) the largest file among those whose input index is
    below `before` (the first of the queue at least)."""
    best = 0
    if sizes:
        for k, (i, _) in enumerate(queue):
            if i >= before:
                break
            if sizes[i] > sizes[queue[best][0]]:
                best = k
    item = queue[best]
    del queue[best]
    return item


def warm_up(vocab: UserVocabulary | None = None) -> None:
    """Load the vocabularies every document needs (word list, agency registry, header
    and status synonyms, with `vocab` added) and the libraries it imports on first use
    (pikepdf checks every PDF) once, before worker processes are forked: not once per
    document."""
    import pikepdf  # noqa: F401  (imported by extract.document.prepared_pdf)

    from dhrplans.extract.headers import header_terms
    from dhrplans.normalise.agencies import AgencyRegistry
    from dhrplans.normalise.cells import english_words
    from dhrplans.normalise.headers import synonyms
    from dhrplans.normalise.status import load_vocabulary

    english_words()
    with user_vocab.active(vocab):
        AgencyRegistry.load().build_indexes()
        synonyms()
        load_vocabulary()
        header_terms()


def _isolated(
    paths: list[Path],
    jobs: int,
    timeout: float | None,
    max_memory_mb: int | None,
    quiet: bool,
    vocab: UserVocabulary | None = None,
) -> Iterator[DocResult]:
    ctx = _context()
    forked = ctx.get_start_method() == "fork"
    # What exists once warmed up is out of the collector's sight until the run ends: a
    # worker's collections then do not write to (and so copy) every inherited object's
    # page. Not when the caller froze objects of its own: unfreezing would undo that.
    freeze = forked and bool(paths) and gc.get_freeze_count() == 0
    if forked and paths:
        warm_up(vocab)  # forked workers inherit the loaded vocabularies
    if freeze:
        gc.freeze()
    _remove_stale_scratch()
    scratch = tempfile.mkdtemp(prefix=f"{_SCRATCH}{os.getpid()}-")
    queue = deque(enumerate(paths))
    # Largest file first among the next few (bytes stand for work): the last documents
    # of the run are then small ones, and the workers finish together. The lookahead is
    # bounded, so results waiting for their turn in input order stay few.
    window = LOOKAHEAD_PER_JOB * jobs if jobs > 1 else 1
    sizes = [_size(p) for p in paths] if window > 1 else []
    running: dict[int, _Running] = {}
    done: dict[int, DocResult] = {}
    next_out = 0

    # Workers that sent their result and are exiting. A worker's exit (its address space
    # torn down) takes some 10 ms; its slot is given to the next document at once, and
    # the process is reaped when it has gone (killed if it lingers past EXIT_GRACE).
    exiting: list[tuple[multiprocessing.process.BaseProcess, float]] = []

    def reap(block: bool) -> None:
        for entry in list(exiting):
            process, deadline = entry
            if block:
                process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive() and (block or time.monotonic() >= deadline):
                process.kill()
                process.join()
            if not process.is_alive():
                exiting.remove(entry)

    def start_more() -> None:
        while queue and len(running) < jobs:
            i, path = _next(queue, sizes, max(next_out + window, queue[0][0] + 1))
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
                    vocab,
                ),
                name=f"dhrplans-doc-{i}",
                daemon=True,
            )
            process.start()
            send.close()
            running[i] = _Running(path, process, recv, time.monotonic(), timeout)

    try:
        start_more()
        while next_out < len(paths):
            wait = None
            if timeout:
                first_deadline = min(r.started + r.limit for r in running.values())
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
                    if isinstance(result, tuple) and result[0] == OCR_PAGES:
                        if job.limit:
                            job.limit += OCR_SECONDS_PER_PAGE * result[1]
                        continue
                elif job.limit and time.monotonic() - job.started >= job.limit:
                    job.process.kill()
                    result = _failed(job.path, f"timed out after {job.limit:g} s")
                if result is None:
                    continue
                job.conn.close()
                exiting.append((job.process, time.monotonic() + EXIT_GRACE))
                del running[i]
                done[i] = result
            start_more()  # before handing results on: the workers keep busy meanwhile
            reap(block=False)
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:  # Ctrl-C, or the consumer stopped: no worker outlives the run
        for job in running.values():
            job.process.kill()
        for job in running.values():
            job.process.join()
            job.conn.close()
        reap(block=True)
        shutil.rmtree(scratch, ignore_errors=True)
        if freeze:
            gc.unfreeze()


def process_all(
    paths: list[Path],
    jobs: int = 1,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
    isolate: bool = True,
    quiet: bool = True,
    vocab: UserVocabulary | None = None,
) -> Iterator[DocResult]:
    """Results in input order. Each document runs in a worker process of its own, at
    most `jobs` at a time, killed after `timeout` seconds and limited to `max_memory_mb`
    of address space (None or 0: no limit). `isolate=False` runs them in this process,
    one after the other, without limits (for a debugger). `quiet` keeps the workers'
    own output (library messages) off the terminal. `vocab`: a user vocabulary added to
    the shipped one for every document."""
    if not isolate:
        yield from (document.process_file(p, vocab) for p in paths)
        return
    yield from _isolated(paths, max(1, jobs), timeout or None, max_memory_mb or None, quiet, vocab)

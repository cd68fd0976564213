"""The Dask executor: documents processed on a `distributed` cluster.

(The local executor is `dhrplans.run.workers`: a worker process per document, with
time and memory limits.) The Dask executor sends each document's bytes to a
`distributed` cluster, so workers need no shared file system, and gathers the
results back in input order; the writer then runs here as usual, so the output
is the same, byte for byte, as a local run. Dask is an optional extra:
`pip install 'dhrplans[dask]'`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

from dhrplans.run import document
from dhrplans.run.result import DocResult
from dhrplans.schemas.vocab import UserVocabulary


class ExecutorError(Exception):
    """The executor cannot start (Dask missing, scheduler unreachable); one line."""


def process_bytes(file_name: str, data: bytes, vocab: UserVocabulary | None = None) -> DocResult:
    """Process one document sent as bytes: written to a private temp folder under its
    own name (the doc_id comes from the name), then through `process_file` (with the
    user vocabulary sent along)."""
    safe = Path(file_name).name  # never a path from elsewhere
    with tempfile.TemporaryDirectory(prefix="dhrplans-dask-") as folder:
        path = Path(folder) / safe
        path.write_bytes(data)
        return document.process_file(path, vocab)


def dask_results(
    paths: list[Path],
    scheduler: str,
    timeout: float | None = None,
    vocab: UserVocabulary | None = None,
) -> Iterator[DocResult]:
    """Results in input order from the Dask cluster at `scheduler` (e.g. tcp://host:8786)."""
    try:
        from distributed import Client
    except ImportError as exc:
        raise ExecutorError(
            "the dask executor needs the 'distributed' package: pip install 'dhrplans[dask]'"
        ) from exc
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        futures = [
            client.submit(process_bytes, p.name, p.read_bytes(), vocab, pure=False, key=f"doc-{i}")
            for i, p in enumerate(paths)
        ]
        for path, future in zip(paths, futures, strict=True):
            try:
                yield future.result(timeout=timeout)
            except Exception as exc:  # a worker lost, a time-out: this document only
                future.cancel()
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                yield DocResult(path.stem, path.name, error=f"dask worker failed: {reason}"[:300])
    finally:
        client.close()

"""Per-document result cache, so `make extract` re-extracts only what changed.

A document's result is reused when its bytes, its file name (the doc_id comes
from it) and the pipeline version are all unchanged. The pipeline version is a
hash of the code and vocabularies that shape the output (extract/, normalise/,
schemas/, the per-document run code, and the rows of a user vocabulary folder), so
editing an alias in a CSV or a line of a parser invalidates every entry, and so does an
upgrade of the PDF parsers or of Tesseract (their versions are part of it). Failed
documents are never cached: a time-out may pass. The clean dataset is always rebuilt
from the inputs of the run, so a removed PDF disappears from it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import dhrplans.extract
import dhrplans.normalise
import dhrplans.run.document
import dhrplans.run.result
import dhrplans.schemas
import dhrplans.settings
from dhrplans.run.result import DocResult
from dhrplans.schemas.vocab import UserVocabulary

SUFFIXES = (".py", ".csv")


def versioned_sources() -> tuple[Path, ...]:
    """The folders and files, as installed, whose content shapes a document's result:
    the stages, the vocabularies, their settings, and the run code that takes one document through
    them (what the cache stores is that code's result)."""
    return (
        Path(dhrplans.extract.__file__).parent,
        Path(dhrplans.normalise.__file__).parent,
        Path(dhrplans.schemas.__file__).parent,
        Path(dhrplans.run.document.__file__),
        Path(dhrplans.run.result.__file__),
        Path(dhrplans.settings.__file__),
    )


def pipeline_version(sources: Iterable[str | Path] | None = None) -> str:
    """Hash of every source and vocabulary file that shapes the output (`sources`:
    folders and files to hash instead of the installed ones, e.g. a copy)."""
    if sources is None:
        return _installed_version()
    return _digest([Path(s) for s in sources])


@lru_cache(maxsize=1)
def _installed_version() -> str:
    return _digest(list(versioned_sources()))


def _digest(sources: list[Path]) -> str:
    """Each file's name (relative to its source's parent) and bytes, in a fixed order,
    then the engine versions."""
    digest = hashlib.sha256()
    for source in sources:
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                digest.update(path.relative_to(source.parent).as_posix().encode())
                digest.update(path.read_bytes())
    digest.update(_engine_versions().encode())
    return digest.hexdigest()[:16]


def _engine_versions() -> str:
    """Versions of the libraries and programs whose upgrade can change what is read:
    the PDF parsers and the OCR engine (Tesseract is a program, not a package)."""
    from importlib import metadata

    parts = []
    for package in ("pdfplumber", "pdfminer.six", "pypdfium2", "camelot-py", "ocrmypdf"):
        try:
            parts.append(f"{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package}=none")
    tesseract = shutil.which("tesseract")
    if tesseract:
        try:
            done = subprocess.run(
                [tesseract, "--version"], capture_output=True, text=True, timeout=10
            )
            parts.append((done.stdout or done.stderr).splitlines()[0])
        except (OSError, subprocess.SubprocessError, IndexError):
            parts.append("tesseract=unknown")
    return ";".join(parts)


class ResultCache:
    """DocResults on disk, one file each, keyed by content, name and version."""

    def __init__(self, folder: str | Path, version: str | None = None):
        self.folder = Path(folder)
        self.version = version or pipeline_version()
        self.hits = 0

    def for_vocabulary(self, vocab: UserVocabulary | None) -> ResultCache:
        """This cache for runs with a user vocabulary: its content is part of the
        version, so a changed vocabulary re-runs every document (and an empty or absent
        one shares the entries of runs without)."""
        digest = vocab.digest if vocab is not None else ""
        if not digest:
            return self
        combined = hashlib.sha256(f"{self.version}\0{digest}".encode()).hexdigest()[:16]
        return ResultCache(self.folder, combined)

    def key(self, sha256: str, file_name: str) -> str:
        raw = f"{sha256}\0{file_name}\0{self.version}".encode()
        return hashlib.sha256(raw).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / f"{self.version}-{key[:32]}.pickle"

    def lookup(self, sha256: str, file_name: str) -> Path | None:
        """The entry file for this document, if there is one."""
        path = self._path(self.key(sha256, file_name))
        return path if path.is_file() else None

    def load(self, path: Path) -> DocResult | None:
        """The DocResult stored at `path`, or None when it cannot be read."""
        try:
            with open(path, "rb") as fh:
                entry = pickle.load(fh)  # our own files, written by put() below
            result = DocResult(**entry)
        except (OSError, pickle.PickleError, EOFError, TypeError, AttributeError):
            return None
        self.hits += 1
        return result

    def get(self, sha256: str, file_name: str) -> DocResult | None:
        """The cached DocResult for this document, or None."""
        path = self.lookup(sha256, file_name)
        result = self.load(path) if path is not None else None
        if result is None or result.sha256 != sha256 or result.source_file != file_name:
            return None
        return result

    def put(self, result: DocResult) -> None:
        if result.error or not result.sha256:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self._path(self.key(result.sha256, result.source_file))
        # The fields as they are (pickle copies them): `dataclasses.asdict` would deep-copy
        # every record first, ~7 ms a document in the run process, which --jobs N shares
        # with its workers.
        entry = {f.name: getattr(result, f.name) for f in fields(result)}
        entry["debug"] = None
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=self.folder)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)

    def prune(self) -> int:
        """Remove entries of other pipeline versions (and stray temp files)."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.iterdir():
            stale = path.name.startswith(".entry.") or not path.name.startswith(f"{self.version}-")
            if path.is_file() and stale:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

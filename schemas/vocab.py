"""A user's vocabulary: agency aliases, header synonyms and status words added to the
shipped CSVs without editing the installed package.

A folder (``dhrplans run --vocab DIR``; by default ``vocab/`` in the current folder when
there is one) may hold any of three files, with the columns of the shipped file of the
same name under ``schemas/``:

- ``agencies.csv`` (``canonical,type,aliases``): a canonical name the registry knows gets
  the aliases (type may be left blank); a new name is a new agency (type required). An
  alias the user gives means the user's body, even where the registry gave it another;
- ``header_synonyms.csv`` (``field,synonym``): a printed column label and its field;
- ``status_synonyms.csv`` (``text,status,rag``): a status word and its meaning (over a
  shipped reading of the same words).

What the folder says is plain data (``UserVocabulary``), read and checked once in the
process that starts a run, sent with every document to the worker that processes it and
made current there (``active``) for the loaders of the stages: they add its rows to the
shipped ones, cached per content (``digest``), which is also part of the run cache key. A
malformed file is a ``VocabularyError`` naming the file and line.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

#: The folder read when no --vocab is given, relative to the current folder.
DEFAULT_FOLDER = Path("vocab")

AGENCIES = "agencies.csv"
HEADER_SYNONYMS = "header_synonyms.csv"
STATUS_SYNONYMS = "status_synonyms.csv"
#: File -> the columns it must have (those of the shipped file of the same name).
FILES: dict[str, tuple[str, ...]] = {
    AGENCIES: ("canonical", "type", "aliases"),
    HEADER_SYNONYMS: ("field", "synonym"),
    STATUS_SYNONYMS: ("text", "status", "rag"),
}


class VocabularyError(ValueError):
    """A user vocabulary file that cannot be read: the message names file and line."""


@dataclass(frozen=True)
class UserVocabulary:
    """The rows of a user vocabulary folder, in file order (plain, picklable data)."""

    folder: str
    agencies: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # canonical, type, aliases
    header_synonyms: tuple[tuple[str, str], ...] = ()  # field, synonym
    status_synonyms: tuple[tuple[str, str, str], ...] = ()  # text, status, rag

    @property
    def empty(self) -> bool:
        return not (self.agencies or self.header_synonyms or self.status_synonyms)

    @property
    def digest(self) -> str:
        """Hash of the rows (not of the folder's name): "" when there are none, so an empty
        folder keeps the cache of runs without one."""
        if self.empty:
            return ""
        text = repr((self.agencies, self.header_synonyms, self.status_synonyms))
        return hashlib.sha256(text.encode()).hexdigest()[:16]


_ACTIVE: UserVocabulary | None = None


def current() -> UserVocabulary | None:
    """The vocabulary the stages' loaders add to the shipped one (None: shipped only)."""
    return _ACTIVE


def current_digest() -> str:
    """Cache key of the current vocabulary ("" when none)."""
    return _ACTIVE.digest if _ACTIVE is not None else ""


@contextmanager
def active(vocab: UserVocabulary | None) -> Iterator[None]:
    """Make ``vocab`` current for the duration (a document's processing)."""
    global _ACTIVE
    previous = _ACTIVE
    _ACTIVE = vocab if vocab is not None and not vocab.empty else None
    try:
        yield
    finally:
        _ACTIVE = previous


def default_folder() -> Path | None:
    """``vocab/`` in the current folder when it exists, else None."""
    return DEFAULT_FOLDER if DEFAULT_FOLDER.is_dir() else None


def load(folder: str | Path) -> UserVocabulary:
    """Read and check a vocabulary folder; VocabularyError (file and line) when malformed."""
    from dhrplans import schemas

    root = Path(folder)
    if not root.is_dir():
        raise VocabularyError(f"vocabulary folder not found: {root}")
    unknown = sorted(p.name for p in root.glob("*.csv") if p.name not in FILES)
    if unknown:
        raise VocabularyError(
            f"{root / unknown[0]}: not a vocabulary file (expected {', '.join(FILES)})"
        )
    agencies: list[tuple[str, str, tuple[str, ...]]] = []
    headers: list[tuple[str, str]] = []
    statuses: list[tuple[str, str, str]] = []
    known_types = _agency_types()
    status_seen: dict[str, tuple[str, str, int]] = {}
    for line, row, path in _rows(root / AGENCIES):
        canonical = " ".join(row["canonical"].split())
        type_ = row["type"].strip()
        aliases = tuple(a.strip() for a in row["aliases"].split("|") if a.strip())
        if not canonical:
            raise VocabularyError(f"{path}:{line}: empty canonical name")
        if type_ and type_ not in known_types:
            raise VocabularyError(
                f"{path}:{line}: unknown agency type {type_!r} (one of {', '.join(known_types)})"
            )
        agencies.append((canonical, type_, aliases))
    for line, row, path in _rows(root / HEADER_SYNONYMS):
        field, synonym = row["field"].strip(), " ".join(row["synonym"].split())
        if field not in schemas.CANONICAL_FIELDS:
            raise VocabularyError(
                f"{path}:{line}: unknown field {field!r} "
                f"(one of {', '.join(schemas.CANONICAL_FIELDS)})"
            )
        if not synonym:
            raise VocabularyError(f"{path}:{line}: empty synonym")
        headers.append((field, synonym))
    for line, row, path in _rows(root / STATUS_SYNONYMS):
        text, status = " ".join(row["text"].split()), row["status"].strip()
        rag = row["rag"].strip().lower()
        if not text:
            raise VocabularyError(f"{path}:{line}: empty status text")
        if status not in schemas.STATUSES:
            raise VocabularyError(
                f"{path}:{line}: status {status!r} not one of {', '.join(schemas.STATUSES)}"
            )
        if rag and rag not in schemas.RAGS:
            raise VocabularyError(
                f"{path}:{line}: rag {rag!r} not one of {', '.join(schemas.RAGS)} (or blank)"
            )
        key = text.casefold()
        if key in status_seen and status_seen[key][:2] != (status, rag):
            raise VocabularyError(
                f"{path}:{line}: {text!r} given twice, differently (line {status_seen[key][2]})"
            )
        status_seen[key] = (status, rag, line)
        statuses.append((text, status, rag))
    return UserVocabulary(str(root), tuple(agencies), tuple(headers), tuple(statuses))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str], Path]]:
    """(line number, row, path) of a vocabulary CSV, `#` comments and blank lines skipped;
    missing columns or a row with more fields than the header are errors."""
    if not path.is_file():
        return
    columns = FILES[path.name]
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except UnicodeDecodeError as exc:
        raise VocabularyError(f"{path}: not UTF-8 text ({exc.reason})") from None
    numbered = [
        (i, line)
        for i, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        return
    parsed = []
    for line, text_line in numbered:
        try:
            parsed.append(next(csv.reader([text_line], strict=True)))
        except csv.Error as exc:
            raise VocabularyError(f"{path}:{line}: {exc}") from None
    header_line, header = numbered[0][0], [h.strip() for h in parsed[0]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise VocabularyError(
            f"{path}:{header_line}: missing column(s) {', '.join(missing)} "
            f"(the header must be {','.join(columns)})"
        )
    for (line, _), fields in zip(numbered[1:], parsed[1:], strict=True):
        if len(fields) > len(header):
            raise VocabularyError(
                f"{path}:{line}: {len(fields)} fields, the header has {len(header)} "
                "(quote a value that holds a comma)"
            )
        row = dict(zip(header, fields, strict=False))
        yield line, {c: row.get(c) or "" for c in columns}, path


def _agency_types() -> tuple[str, ...]:
    from dhrplans import schemas

    rows = schemas.read_vocabulary(schemas.AGENCIES_CSV)
    rows += schemas.read_vocabulary(schemas.AGENCY_TYPE_PATTERNS_CSV)
    return tuple(sorted({r["type"] for r in rows if r.get("type")}))

"""One document through the stages: extract (geometry), then normalise (meaning).

`process_file` never raises for a bad input: it returns a `DocResult` whose
`error` is a one-line reason (the file, the parser or a stage said why). Nothing
here knows about processes, limits or the dataset: workers and the runner call it.
"""

from __future__ import annotations

import hashlib
import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dhrplans.extract.document import ExtractError, extract_document, prepared_pdf
from dhrplans.extract.docx_reader import extract_docx
from dhrplans.extract.model import RawDocument
from dhrplans.normalise.plan import normalise_document
from dhrplans.run.result import DocResult
from dhrplans.schemas import vocab as user_vocab
from dhrplans.schemas.vocab import UserVocabulary

OUT_OF_MEMORY = "ran out of memory"


def sha256_of(path: Path) -> str:
    """The file's content hash: recorded with its result, and the cache key."""
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


def doc_id_of(path: str | Path) -> str:
    """A document's id: its file name without the suffix (one id per file stem)."""
    return Path(path).stem


def process_file(path: str | Path, vocab: UserVocabulary | None = None) -> DocResult:
    """Extract and normalise one document; failures become a one-line `error`. `vocab`:
    a user vocabulary added to the shipped one while this document is processed."""
    with user_vocab.active(vocab):
        return _process_file(Path(path))


def _process_file(path: Path) -> DocResult:
    result = DocResult(doc_id=doc_id_of(path), source_file=path.name)
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
        result.ocr_pages, result.ocr_seconds = raw.ocr_pages, raw.ocr_seconds
        doc = normalise_document(raw)
        result.actions = doc.actions
        result.recommendations = doc.recommendations
        result.n_tables = doc.n_sections
        result.engines = doc.engines
        result.warnings = doc.warnings
        result.unmatched_agencies = doc.unmatched_agencies
        result.words_in_tables = doc.words_in_tables
        result.words_accounted = doc.words_accounted
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

"""What processing one document gives: its records, warnings, or a one-line error.

A plain dataclass, so it travels between processes (pickled by the workers, by
Dask, by the cache) and carries no reference to the code that made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class DocResult:
    """One document's records and warnings; with `error` set it failed and has none."""

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
    words_in_tables: int | None = None
    words_accounted: int | None = None
    error: str | None = None
    debug: str | None = None  # traceback, shown with --debug
    ocr_pages: int = 0  # pages read by OCR
    ocr_seconds: float = 0.0  # time spent reading them (for the run manifest)

    def document_row(self) -> dict:
        """Its row of documents.parquet (failed documents have one too)."""
        return {
            "doc_id": self.doc_id,
            "source_file": self.source_file,
            "sha256": self.sha256,
            "title": self.title,
            "pages": self.pages,
            "n_tables": self.n_tables,
            "n_recommendations": len(self.recommendations),
            "n_actions": len(self.actions),
            "words_in_tables": self.words_in_tables,
            "words_accounted": self.words_accounted,
            "engines": self.engines,
            "status": "failed" if self.error else "ok",
            "error": self.error,
            "warnings": self.warnings,
        }

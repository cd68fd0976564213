"""The output contract: one definition of every table dhrplans writes.

The writer, the validator, the tests, the notebooks and the README all read the
schemas below. Each field carries its description in the field metadata
(key ``description``), so the Parquet files document themselves. Changing a
schema is a deliberate act: bump ``SCHEMA_VERSION`` and say why in the commit.

The vocabularies (header synonyms, status synonyms, agency registry) live next
to this file as CSV so an analyst can add an alias without touching code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

SCHEMA_VERSION = "3"  # 2: ids from printed text, not position; 3: actions.notes
SCHEMA_DIR = Path(__file__).resolve().parent

HEADER_SYNONYMS_CSV = SCHEMA_DIR / "header_synonyms.csv"
STATUS_SYNONYMS_CSV = SCHEMA_DIR / "status_synonyms.csv"
AGENCIES_CSV = SCHEMA_DIR / "agencies.csv"
GENERIC_ACRONYMS_CSV = SCHEMA_DIR / "generic_acronyms.csv"
AGENCY_TYPE_PATTERNS_CSV = SCHEMA_DIR / "agency_type_patterns.csv"
COMPOUND_LABELS_CSV = SCHEMA_DIR / "compound_labels.csv"
AMBIGUOUS_LABELS_CSV = SCHEMA_DIR / "ambiguous_labels.csv"
ACTION_NOUNS_CSV = SCHEMA_DIR / "action_nouns.csv"
DOCUMENT_PARTS_CSV = SCHEMA_DIR / "document_parts.csv"
OCR_CONFUSIONS_CSV = SCHEMA_DIR / "ocr_confusions.csv"
SEASONS_CSV = SCHEMA_DIR / "seasons.csv"
SECTION_COLUMNS_CSV = SCHEMA_DIR / "section_columns.csv"
COLLECTIVE_LEADS_CSV = SCHEMA_DIR / "collective_leads.csv"
LABEL_CUES_CSV = SCHEMA_DIR / "label_cues.csv"
GROUPED_LABELS_CSV = SCHEMA_DIR / "grouped_labels.csv"
SUMMARY_ROWS_CSV = SCHEMA_DIR / "summary_rows.csv"
COUNCIL_DEPARTMENTS_CSV = SCHEMA_DIR / "council_departments.csv"
NO_ACTION_ROWS_CSV = SCHEMA_DIR / "no_action_rows.csv"
SIGN_OFF_ROWS_CSV = SCHEMA_DIR / "sign_off_rows.csv"
SYMBOL_GLYPHS_CSV = SCHEMA_DIR / "symbol_glyphs.csv"
AGENCY_KINDS_CSV = SCHEMA_DIR / "agency_kinds.csv"
CONTEXT_ROWS_CSV = SCHEMA_DIR / "context_rows.csv"
NUMBER_WORDS_CSV = SCHEMA_DIR / "number_words.csv"
HEADING_TAILS_CSV = SCHEMA_DIR / "heading_tails.csv"
ROLE_HEAD_WORDS_CSV = SCHEMA_DIR / "role_head_words.csv"

STATUSES = ("completed", "in_progress", "not_started", "unknown")
RAGS = ("red", "amber", "green")
#: The one palette of every plot of status (notebooks, anything drawn from the dataset):
#: done is green, under way amber, not started red, blank cell grey, as a RAG rating reads.
STATUS_COLOURS = {
    "completed": "#2e7d32",
    "in_progress": "#f9a825",
    "not_started": "#c62828",
    "unknown": "#9e9e9e",
}
AGENCY_SOURCES = ("cell", "alias", "acronym_in_plan", "fuzzy", "section", "unmatched")


def warning_kind(warning: str) -> str:
    """A warning's kind, as counted in run summaries and reports: its text before the
    first colon or parenthesis ("agency not in registry: X" -> "agency not in registry"),
    after the page(s) a document warning may open with ("page 2: skipped a table..."),
    numbers as N ("N of N words printed in action-plan tables are not in the output")."""
    text = re.sub(r"^pages? [\d, -]+:\s*", "", warning).split(":", 1)[0]
    text = re.split(r" \((?!s\))", text, maxsplit=1)[0]
    return re.sub(r"\d+", "N", text).strip()


#: Canonical fields a plan's column can hold (``gold/FORMAT.md``).
CANONICAL_FIELDS = (
    "ref",
    "recommendation",
    "scope",
    "action",
    "lead_agency",
    "lead_officer",
    "target_date",
    "desired_outcome",
    "monitoring",
    "success_measure",
    "progress",
    "completion_date",
    "status",
    "rag",
)

#: Canonical field of a printed plan column -> the actions column holding its text as
#: printed. Normalised values go in the field's own column (lead_agency, target_date...).
PRINTED_COLUMNS: dict[str, str] = {
    "ref": "ref",
    "recommendation": "recommendation",
    "scope": "scope",
    "action": "action",
    "lead_agency": "lead_agency_raw",
    "lead_officer": "lead_officer",
    "target_date": "target_date_raw",
    "desired_outcome": "desired_outcome",
    "monitoring": "monitoring",
    "success_measure": "success_measure",
    "progress": "progress",
    "completion_date": "completion_date_raw",
    "status": "status_raw",
    "rag": "rag_raw",
}

CELL_BBOX = pa.struct(
    [
        pa.field("field", pa.string()),
        pa.field("page", pa.int32()),
        pa.field("x0", pa.float32()),
        pa.field("top", pa.float32()),
        pa.field("x1", pa.float32()),
        pa.field("bottom", pa.float32()),
    ]
)


def _f(name: str, type_: pa.DataType, description: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": description})


ACTIONS = pa.schema(
    [
        _f(
            "action_id",
            pa.string(),
            "Stable id from the printed text, not the row's position: doc_id/section key/a + "
            "hash of rec_number, ref and action text; #2, #3 for identical rows (README).",
            False,
        ),
        _f("doc_id", pa.string(), "PDF file stem the action was read from.", False),
        _f("section", pa.string(), "Heading printed above the table (usually the agency)."),
        _f("section_agency", pa.string(), "Canonical agency owning the section; null if several."),
        _f("rec_number", pa.string(), "Number of the recommendation the action answers."),
        _f("recommendation", pa.string(), "Text of that recommendation; null if not printed."),
        _f("ref", pa.string(), "Action reference as printed (blank cell: empty string)."),
        _f("action", pa.string(), "Action text as printed, line breaks folded to spaces."),
        _f("lead_agency_raw", pa.string(), "Lead agency/officer cell as printed."),
        _f("lead_agency", pa.string(), "Canonical lead agency (schemas/agencies.csv)."),
        _f(
            "lead_agency_type",
            pa.string(),
            "Type of the lead agency (police, ...): from the registry, or read from the form "
            "of a name not in it (schemas/agency_type_patterns.csv).",
        ),
        _f(
            "lead_agency_source",
            pa.string(),
            "How lead_agency was found: cell (the cell names the body) | alias (an alias or "
            "acronym in the registry) | acronym_in_plan (learnt from the plan: an acronym it "
            "defines, an initialism or short form of a name it prints, a local organisation) "
            "| fuzzy | section (the cell names a role: the section's agency) | unmatched.",
        ),
        _f("lead_officer", pa.string(), "Lead officer cell as printed, where a plan has one."),
        _f("target_date_raw", pa.string(), "Target date cell as printed."),
        _f("target_date", pa.date32(), "Target date: day-first, month-only = last day, latest."),
        _f("desired_outcome", pa.string(), "Desired outcome cell as printed."),
        _f("monitoring", pa.string(), "Monitoring arrangements cell as printed."),
        _f("success_measure", pa.string(), "How success will be measured, as printed."),
        _f("progress", pa.string(), "Outcome / progress / key milestones cell as printed."),
        _f("completion_date_raw", pa.string(), "Date of completion cell as printed."),
        _f("completion_date", pa.date32(), "Completion date, same rules as target_date."),
        _f("scope", pa.string(), "Scope cell (local/regional/national) as printed."),
        _f("status_raw", pa.string(), "Status cell as printed."),
        _f("status", pa.string(), "completed | in_progress | not_started | unknown.", False),
        _f("rag_raw", pa.string(), "RAG cell as printed, where a plan has a RAG column."),
        _f("rag", pa.string(), "red | amber | green, or null."),
        _f(
            "extra",
            pa.map_(pa.string(), pa.string()),
            "Columns that map to no canonical field: header -> cell text.",
        ),
        _f("page_start", pa.int32(), "First page (1-based) the action's row is on.", False),
        _f("page_end", pa.int32(), "Last page (1-based) the action's row is on.", False),
        _f("cells", pa.list_(CELL_BBOX), "Provenance: page and bbox (PDF points) of each cell."),
        _f("engine", pa.string(), "Table engine that produced the row."),
        _f("confidence", pa.float32(), "0..1: how far the record can be trusted.", False),
        _f(
            "warnings",
            pa.list_(pa.string()),
            "Why the record might be wrong: a reason to look at it in the PDF ('kind: detail').",
        ),
        _f(
            "notes",
            pa.list_(pa.string()),
            "Documented rules applied in reading it (provenance, not doubts): month-only or"
            " latest-of-several date, row joined across a page break, RAG read from the cell"
            " colour.",
        ),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "actions"},
)

RECOMMENDATIONS = pa.schema(
    [
        _f(
            "rec_id",
            pa.string(),
            "Stable id: doc_id/section key (hash of the heading)/r + rec_number; #2 "
            "when a section prints a number twice.",
            False,
        ),
        _f("doc_id", pa.string(), "PDF file stem.", False),
        _f("section", pa.string(), "Heading printed above the table."),
        _f("rec_number", pa.string(), "Recommendation number as printed (e.g. 1.1, 3)."),
        _f("text", pa.string(), "Recommendation text; empty string when not printed."),
        _f("n_actions", pa.int32(), "Number of actions linked to it.", False),
        _f("page", pa.int32(), "Page (1-based) where it is printed.", False),
        _f("cells", pa.list_(CELL_BBOX), "Provenance: page and bbox of the recommendation text."),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "recommendations"},
)

DOCUMENTS = pa.schema(
    [
        _f("doc_id", pa.string(), "PDF file stem.", False),
        _f("source_file", pa.string(), "File name of the source PDF.", False),
        _f("sha256", pa.string(), "SHA-256 of the source file."),
        _f("title", pa.string(), "Title: PDF metadata or first large line of page 1."),
        _f("pages", pa.int32(), "Number of pages."),
        _f("n_tables", pa.int32(), "Action-plan tables found (after joining across pages)."),
        _f("n_recommendations", pa.int32(), "Recommendations extracted."),
        _f("n_actions", pa.int32(), "Actions extracted."),
        _f(
            "words_in_tables",
            pa.int32(),
            "Words printed in the document's action-plan tables (conservation check).",
        ),
        _f(
            "words_accounted",
            pa.int32(),
            "Of those, words found in an output field or set aside on purpose (headers,"
            " repeated headers); below words_in_tables, a warning names the pages.",
        ),
        _f("engines", pa.list_(pa.string()), "Table engines that produced the tables."),
        _f("status", pa.string(), "ok | failed.", False),
        _f("error", pa.string(), "One-line reason when the document failed."),
        _f(
            "warnings",
            pa.list_(pa.string()),
            "Document-level warnings, once each: skipped tables, a table's fuzzy header"
            " match, words not accounted for...",
        ),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "documents"},
)

TABLES = {"actions": ACTIONS, "recommendations": RECOMMENDATIONS, "documents": DOCUMENTS}


def describe(schema: pa.Schema) -> list[tuple[str, str, str]]:
    """(name, type, description) for each field, for docs and notebooks."""
    return [
        (f.name, str(f.type), (f.metadata or {}).get(b"description", b"").decode()) for f in schema
    ]


@lru_cache(maxsize=1 << 15)
def fold_label(text: str) -> str:
    """How vocabulary keys and printed labels are compared: lower case, `&` as `and`,
    `#` (the number sign, a ref column's label) as `no`, punctuation other than `/` and `()`
    dropped, white space folded. (Remembered: the same labels and cells are folded many
    times over.)"""
    text = text.lower().replace("&", " and ").replace("#", " no ")
    text = re.sub(r"[^\w/() ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def read_vocabulary(path: Path) -> list[dict[str, str]]:
    """Rows of a vocabulary CSV as dicts; blank lines and `#` comments skipped."""
    import csv

    with open(path, newline="", encoding="utf-8") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines)]


@lru_cache(maxsize=1)
def document_parts() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, pattern) of the lines naming the document or a part of it, not a section
    (document_parts.csv: part, plan, control)."""
    rows = read_vocabulary(DOCUMENT_PARTS_CSV)
    return tuple((r["kind"], re.compile(r["pattern"], re.IGNORECASE)) for r in rows)


def names_the_document(text: str, kinds: tuple[str, ...] = ("plan", "control")) -> bool:
    """The whole line is the plan's own title ("plan") or a document-control line, its
    version or date ("control"): it names the document, no section of it."""
    text = text.strip()
    for kind, pattern in document_parts():
        if kind in kinds:
            found = pattern.match(text)
            if found and (kind == "control" or not text[found.end() :].strip()):
                return True
    return False

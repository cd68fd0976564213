"""Header repair: printed column labels to canonical fields, from `schemas/header_synonyms.csv`.

Labels arrive wrapped, misspelt and in many variants ("Lead Officer and Agency",
"By when", "Status (RAG)", "Lead Oficer"). rapidfuzz scores each label against
every synonym; a label scoring under the cutoff maps to nothing and its column
is kept in `extra`. Each field is given to one column only, the best-scoring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from dhrplans import schemas

HEADER_CUTOFF = 80.0
PREFIX_SCORE = 86.0
SQUEEZED_CUTOFF = 92.0


@dataclass(frozen=True, slots=True)
class ColumnMap:
    label: str  # the printed label, white space folded
    field: str | None  # canonical field, or None (kept in `extra`)
    score: float  # 0..100


def fold_label(text: str) -> str:
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^\w/() ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def synonyms(path: str | None = None) -> dict[str, str]:
    rows = schemas.read_vocabulary(Path(path) if path else schemas.HEADER_SYNONYMS_CSV)
    unknown = {r["field"] for r in rows} - set(schemas.CANONICAL_FIELDS)
    if unknown:
        raise ValueError(f"header synonyms name unknown fields: {sorted(unknown)}")
    return {fold_label(r["synonym"]): r["field"] for r in rows}


def score_label(label: str, path: str | None = None) -> tuple[str | None, float]:
    """Best canonical field for one label, and its score."""
    table = synonyms(path)
    text = fold_label(label)
    if not text:
        return None, 0.0
    if text in table:
        return table[text], 100.0
    best = process.extractOne(text, list(table), scorer=fuzz.ratio)
    field, score = (table[best[0]], float(best[1])) if best else (None, 0.0)
    if score < HEADER_CUTOFF and " " in text:
        # A label broken letter by letter in a very narrow column ("R e f", "Statu s"):
        # compare with the spaces taken out on both sides.
        squeezed = {syn.replace(" ", ""): f for syn, f in table.items()}
        again = process.extractOne(text.replace(" ", ""), list(squeezed), scorer=fuzz.ratio)
        if again and again[1] >= SQUEEZED_CUTOFF and again[1] * 0.9 > score:
            field, score = squeezed[again[0]], float(again[1]) * 0.9
    # A label that opens with a known one and adds words ("Action required").
    prefixed = [syn for syn in table if len(syn) >= 5 and text.startswith(syn + " ")]
    if prefixed and score < PREFIX_SCORE:
        return table[max(prefixed, key=len)], PREFIX_SCORE
    return field, score


def map_header(labels: list[str], path: str | None = None) -> list[ColumnMap]:
    """One ColumnMap per printed label, each field used at most once."""
    scored = [(label, *score_label(label, path)) for label in labels]
    taken: dict[str, int] = {}
    for i, (_, field, score) in enumerate(scored):
        if field is None or score < HEADER_CUTOFF:
            continue
        if field not in taken or score > scored[taken[field]][2]:
            taken[field] = i
    winners = {i: f for f, i in taken.items()}
    return [
        ColumnMap(" ".join(label.split()), winners.get(i), round(score, 1))
        for i, (label, _, score) in enumerate(scored)
    ]


def is_header_row(texts: list[str], path: str | None = None) -> bool:
    """Enough of a row's cells read as known column labels to call it a header."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2:
        return False
    good = sum(score_label(t, path)[1] >= HEADER_CUTOFF for t in filled)
    return good >= min(3, len(filled)) and good >= 0.6 * len(filled)

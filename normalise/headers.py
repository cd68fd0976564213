"""Header repair: printed column labels to canonical fields, from `schemas/header_synonyms.csv`.

Labels arrive wrapped, misspelt and in many variants ("Lead Officer and Agency",
"By when", "Status (RAG)", "Lead Oficer"). rapidfuzz scores each label against
every synonym; a label scoring under the cutoff maps to nothing and its column
is kept in `extra`. Each field is given to one column only, the best-scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrplans.schemas import fold_label
from rapidfuzz import fuzz, process

from dhrplans import schemas
from dhrplans.settings import DEFAULT_SETTINGS, HeaderSettings


@dataclass(frozen=True, slots=True)
class ColumnMap:
    label: str  # the printed label, white space folded
    field: str | None  # canonical field, or None (kept in `extra`)
    score: float  # 0..100


@lru_cache(maxsize=4)
def synonyms(path: str | None = None) -> dict[str, str]:
    rows = schemas.read_vocabulary(Path(path) if path else schemas.HEADER_SYNONYMS_CSV)
    unknown = {r["field"] for r in rows} - set(schemas.CANONICAL_FIELDS)
    if unknown:
        raise ValueError(f"header synonyms name unknown fields: {sorted(unknown)}")
    return {fold_label(r["synonym"]): r["field"] for r in rows}


def score_label(
    label: str, path: str | None = None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> tuple[str | None, float]:
    """Best canonical field for one label, and its score."""
    table = synonyms(path)
    text = fold_label(label)
    if not text:
        return None, 0.0
    if text in table:
        return table[text], 100.0
    best = process.extractOne(text, list(table), scorer=fuzz.ratio)
    field, score = (table[best[0]], float(best[1])) if best else (None, 0.0)
    if score < settings.label_cutoff and " " in text:
        # A label broken letter by letter in a very narrow column ("R e f", "Statu s"):
        # compare with the spaces taken out on both sides.
        squeezed = {syn.replace(" ", ""): f for syn, f in table.items()}
        again = process.extractOne(text.replace(" ", ""), list(squeezed), scorer=fuzz.ratio)
        discounted = float(again[1]) * settings.squeezed_factor if again else 0.0
        if again and again[1] >= settings.squeezed_cutoff and discounted > score:
            field, score = squeezed[again[0]], discounted
    # A label that opens with a known one and adds words ("Action required").
    prefixed = [syn for syn in table if len(syn) >= 5 and text.startswith(syn + " ")]
    if prefixed and score < settings.prefixed_label_score:
        return table[max(prefixed, key=len)], settings.prefixed_label_score
    return field, score


def map_header(
    labels: list[str], path: str | None = None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> list[ColumnMap]:
    """One ColumnMap per printed label, each field used at most once."""
    scored = [(label, *score_label(label, path, settings)) for label in labels]
    taken: dict[str, int] = {}
    for i, (_, field, score) in enumerate(scored):
        if field is None or score < settings.label_cutoff:
            continue
        if field not in taken or score > scored[taken[field]][2]:
            taken[field] = i
    winners = {i: f for f, i in taken.items()}
    return [
        ColumnMap(" ".join(label.split()), winners.get(i), round(score, 1))
        for i, (label, _, score) in enumerate(scored)
    ]


def is_header_row(
    texts: list[str], path: str | None = None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> bool:
    """Enough of a row's cells read as known column labels to call it a header."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2:
        return False
    good = sum(score_label(t, path, settings)[1] >= settings.label_cutoff for t in filled)
    return good >= min(settings.min_labels, len(filled)) and good >= settings.label_share * len(
        filled
    )

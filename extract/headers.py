"""Is this line of text a table header? Decided against the header synonyms data."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from dhrplans import schemas

HEADER_CUTOFF = 85.0


def fold(text: str) -> str:
    """Lower case, `&` as `and`, punctuation other than `/` and `()` dropped, spaces folded."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^\w/() ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4)
def header_terms(path: str | None = None) -> tuple[str, ...]:
    rows = schemas.read_vocabulary(schemas.HEADER_SYNONYMS_CSV if path is None else path)
    return tuple(sorted({fold(r["synonym"]) for r in rows}))


def header_score(phrase: str) -> float:
    """0..100: how much a printed phrase looks like the start of a known column header."""
    text = fold(phrase)
    if not text or len(text) > 80:
        return 0.0
    terms = header_terms()
    best = process.extractOne(text, terms, scorer=fuzz.ratio)
    score = best[1] if best else 0.0
    # A wrapped header shows only its first words on the first line ("How will Success").
    prefix = process.extractOne(text, terms, scorer=fuzz.partial_ratio)
    if (
        prefix
        and len(text) >= 4
        and len(text.split()) <= 3
        and prefix[0].startswith(text.split()[0])
    ):
        score = max(score, prefix[1] * 0.95)
    return float(score)


def is_header_phrase(phrase: str) -> bool:
    return header_score(phrase) >= HEADER_CUTOFF

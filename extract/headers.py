"""Does printed text read as table column labels? Decided against the header synonyms data."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Container
from functools import lru_cache

from dhrplans.extract.model import RawTable
from dhrplans.schemas import fold_label, vocab
from rapidfuzz import fuzz, process

from dhrplans import schemas
from dhrplans.settings import DEFAULT_SETTINGS, HeaderSettings, LayoutSettings

#: A line naming a recommendation by its number alone ("Recommendation 3", "Rec. 12"): the
#: caption of the paragraph under it (the recommendation's text) over its table.
# the number: "3", "C1", "12a", or after a space a Roman or single capital letter ("I",
# "IV", "B": lettered plans), matched in capitals only so that "Recommendations" is none
_REC_NUMBER = (
    r"^\s*rec(c?om{1,2}[ae]nd?ation)?\.?\s*(no\.?\s*)?"
    r"([A-Z]{0,3}\d{1,3}[a-z]?|(?<=\s)(?-i:[IVXLC]{1,6}|[A-Z])\b)"
)
RECOMMENDATION_CAPTION = re.compile(_REC_NUMBER + r"\s*:?\s*$", re.IGNORECASE)
#: A line opening with a recommendation's name and number and going on ("Recommendation 2:
#: All agencies should ..."): in a form of "Label: value" lines, the recommendation.
NAMED_RECOMMENDATION = re.compile(_REC_NUMBER + r"\s*[:.\u2013\u2014-]", re.IGNORECASE)


def header_terms(path: str | None = None) -> tuple[str, ...]:
    """Folded known labels: the shipped synonyms (or `path`'s) and the labels that name
    one of several fields, plus the current user vocabulary's for the shipped ones."""
    return _header_terms(path, vocab.current_digest() if path is None else "")


@lru_cache(maxsize=8)
def _header_terms(path: str | None, user_digest: str) -> tuple[str, ...]:
    rows = schemas.read_vocabulary(schemas.HEADER_SYNONYMS_CSV if path is None else path)
    terms = {fold_label(r["synonym"]) for r in rows}
    # labels naming one of several fields ("Rec", "Responsible") are labels all the same
    terms |= {fold_label(r["label"]) for r in schemas.read_vocabulary(schemas.AMBIGUOUS_LABELS_CSV)}
    user = vocab.current() if user_digest else None
    terms |= {fold_label(synonym) for _, synonym in (user.header_synonyms if user else ())}
    return tuple(sorted(terms))


def is_recommendation_label(phrase: str) -> bool:
    """The phrase is a label of the recommendation's column ("Recommendation", "DHR
    recommendation"): schemas/header_synonyms.csv."""
    return fold_label(phrase) in _recommendation_terms()


@lru_cache(maxsize=1)
def _recommendation_terms() -> frozenset[str]:
    rows = schemas.read_vocabulary(schemas.HEADER_SYNONYMS_CSV)
    return frozenset(fold_label(r["synonym"]) for r in rows if r["field"] == "recommendation")


def header_score(phrase: str, settings: HeaderSettings = DEFAULT_SETTINGS.headers) -> float:
    """0..100: how much a printed phrase looks like the start of a known column header."""
    return _phrase_score(
        phrase,
        vocab.current_digest(),
        settings.wrapped_prefix_factor,
        settings.foreign_label_cutoff,
    )


@lru_cache(maxsize=1 << 15)
def _phrase_score(
    phrase: str, user_digest: str, wrapped_prefix_factor: float, foreign: float = 60.0
) -> float:
    """`header_score` remembered by the phrase as printed and the vocabulary (`terms` is
    a long tuple to hash on every call)."""
    return _folded_score(fold_label(phrase), header_terms(), wrapped_prefix_factor, foreign)


@lru_cache(maxsize=1 << 15)
def _folded_score(
    text: str, terms: tuple[str, ...], wrapped_prefix_factor: float, foreign: float = 60.0
) -> float:
    """`header_score` of a folded phrase against `terms`, remembered: a document prints
    the same phrases (headers repeated on every page, lines tried by several engines)
    again."""
    if not text or len(text) > 80:
        return 0.0
    best = process.extractOne(text, terms, scorer=fuzz.ratio)
    score = best[1] if best else 0.0
    for joint in ("/", " and "):
        parts = [p for p in text.split(joint) if p.strip()]
        if len(parts) == 2:
            # two labels in one ("Status/RAG", "Completion date and outcome"): as sure as
            # its weaker part; a label in two languages ("Cyf / No."), whose other half
            # reads as no label at all, as sure as its known half
            halves = [
                _folded_score(fold_label(p), terms, wrapped_prefix_factor, foreign) for p in parts
            ]
            bilingual = joint == "/" and min(halves) < foreign
            score = max(score, max(halves) if bilingual else min(halves))
    # A wrapped header shows only its first words on the first line ("How will Success").
    # The costly partial match runs only where it can count: a phrase short enough, a
    # score it could raise, and a term (`terms` is sorted) starting with its first word.
    words = text.split()
    if (
        len(text) >= 4
        and len(words) <= 3
        and score < 100 * wrapped_prefix_factor
        and _some_term_starts(terms, words[0])
    ):
        prefix = process.extractOne(text, terms, scorer=fuzz.partial_ratio)
        if prefix and prefix[0].startswith(words[0]):
            score = max(score, prefix[1] * wrapped_prefix_factor)
    if score < 100 * wrapped_prefix_factor and qualified_label(text, _term_set(terms)):
        score = 100 * wrapped_prefix_factor
    if score < 100 * wrapped_prefix_factor and cue_reading(text) is not None:
        # a label written as a question ("Which agency will", wrapped), read by its cue words
        score = 100 * wrapped_prefix_factor
    return float(score)


@lru_cache(maxsize=8)
def _term_set(terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(terms)


@lru_cache(maxsize=1)
def _label_cues() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = schemas.read_vocabulary(schemas.LABEL_CUES_CSV)
    return tuple((re.compile(r["pattern"], re.IGNORECASE), fold_label(r["as"])) for r in rows)


@lru_cache(maxsize=1 << 12)
def cue_reading(text: str, lead_words: int = 0) -> str | None:
    """The synonym a folded label written as a question or a phrase reads as by its cue
    words ("who is responsible" -> who; schemas/label_cues.csv), the question perhaps
    after `lead_words` words that name it ("specific what will be done"); else None. The
    header finder and normalise (normalise/headers.py) read labels by this one rule."""
    words = text.split()
    for skip in range(min(lead_words + 1, len(words))):
        rest = " ".join(words[skip:])
        cue = next((target for pattern, target in _label_cues() if pattern.match(rest)), None)
        if cue is not None:
            return cue
    return None


def qualified_label(text: str, known: Container[str]) -> str | None:
    """The known label a folded label ends with after a word or two that qualify it
    ("intended action", "revised target date": the head noun comes last), the first word
    not a label itself ("status complete" is a label and a value); else None. The header
    finder and normalise (normalise/headers.py) read labels by this one rule."""
    words = text.split()
    if not 2 <= len(words) <= 4 or words[0] in known:
        return None
    tails = (" ".join(words[-k:]) for k in (2, 1) if k < len(words))
    return next((t for t in tails if len(t) >= 5 and t in known), None)


def _some_term_starts(terms: tuple[str, ...], start: str) -> bool:
    """Whether a term of the sorted `terms` starts with `start`."""
    i = bisect_left(terms, start)
    return i < len(terms) and terms[i].startswith(start)


@lru_cache(maxsize=1)
def _status_values() -> frozenset[str]:
    rows = schemas.read_vocabulary(schemas.STATUS_SYNONYMS_CSV)
    return frozenset(fold_label(r["text"]) for r in rows if r.get("text"))


def reads_as_status(text: str) -> bool:
    """The whole text is a status value ("Completed", "Action completed": schemas/
    status_synonyms.csv): a cell's value, never a column's label, though some read alike."""
    return fold_label(text) in _status_values()


def is_header_phrase(phrase: str, settings: HeaderSettings = DEFAULT_SETTINGS.headers) -> bool:
    return header_score(phrase, settings) >= settings.phrase_score


def table_score(table: RawTable, settings: HeaderSettings = DEFAULT_SETTINGS.headers) -> float:
    """Share of the columns of the best of the first rows that read as known headers:
    how sure an engine can be that it found an action-plan table's grid."""
    best = 0.0
    for row in table.rows[:3]:
        texts = [c.text for c in row.cells if c.text.strip()]
        if len(texts) < 2:
            continue
        good = sum(is_header_phrase(t, settings) for t in texts)
        best = max(best, good / max(table.n_cols, len(texts)))
    return round(best, 3)


#: A heading that opens with a number or "Recommendation": a recommendation printed over
#: its table, a sentence though it is.
NUMBERED = re.compile(r"^\s*(rec(ommendation)?s?\b|\(?[A-Z]{0,3}\d)", re.IGNORECASE)


def reads_as_prose(text: str, settings: LayoutSettings = DEFAULT_SETTINGS.layout) -> bool:
    """Sentences, not a heading: several words ending in a full stop, and not opening with
    a number or "Recommendation" (a recommendation printed over its table is a sentence)."""
    return (
        len(text.split()) >= settings.heading_prose_words
        and text.rstrip()[-1:] in ".!?"
        and not NUMBERED.match(text)
    )

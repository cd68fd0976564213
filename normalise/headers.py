"""Header repair: printed column labels to canonical fields, from `schemas/header_synonyms.csv`.

Labels arrive wrapped, misspelt and in many variants ("Lead Officer and Agency",
"By when", "Status (RAG)", "Lead Oficer"). rapidfuzz scores each label against
every synonym; a label scoring under the cutoff maps to nothing and its column
is kept in `extra`. Each field is given to one column only, the best-scoring.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrplans.extract.headers import cue_reading, qualified_label
from dhrplans.schemas import fold_label, vocab
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from dhrplans import schemas
from dhrplans.settings import DEFAULT_SETTINGS, HeaderSettings


@dataclass(frozen=True, slots=True)
class ColumnMap:
    label: str  # the printed label, white space folded
    field: str | None  # canonical field, or None (kept in `extra`)
    score: float  # 0..100


def synonyms(path: str | None = None) -> dict[str, str]:
    """Folded label -> field: the shipped synonyms (or those of `path`), plus, for the
    shipped ones, the current user vocabulary's (which win over a shipped reading)."""
    return _synonyms(path, vocab.current_digest() if path is None else "")


@lru_cache(maxsize=8)
def _synonyms(path: str | None, user_digest: str) -> dict[str, str]:
    rows = schemas.read_vocabulary(Path(path) if path else schemas.HEADER_SYNONYMS_CSV)
    unknown = {r["field"] for r in rows} - set(schemas.CANONICAL_FIELDS)
    if unknown:
        raise ValueError(f"header synonyms name unknown fields: {sorted(unknown)}")
    table = {fold_label(r["synonym"]): r["field"] for r in rows}
    user = vocab.current() if user_digest else None
    for field, synonym in user.header_synonyms if user else ():
        table[fold_label(synonym)] = field
    return table


@lru_cache(maxsize=8)
def _synonym_words(path: str | None, user_digest: str) -> tuple[str, ...]:
    """The words the header synonyms are written in (those long enough to be misspelt
    into another word only by a typo)."""
    words = {w for synonym in _synonyms(path, user_digest) for w in synonym.split()}
    return tuple(sorted(w for w in words if len(w) >= 5 and w.isalpha()))


def _mended_words(text: str, words: tuple[str, ...], cutoff: float) -> str:
    """The folded label with each word the synonyms do not use replaced by the one they
    use it most likely misspells ("agreed actoin" -> "agreed action", "targte date" ->
    "target date"): a typo within a longer label, where the whole label is too far from
    every synonym to match."""
    known = set(words)
    out = []
    for word in text.split():
        if len(word) >= 5 and word.isalpha() and word not in known:
            # edits counted with a swap of two letters as one (the commonest typo)
            best = process.extractOne(
                word, words, scorer=OSA.normalized_similarity, score_cutoff=cutoff / 100.0
            )
            word = best[0] if best else word
        out.append(word)
    return " ".join(out)


def label_key(label: str, settings: HeaderSettings = DEFAULT_SETTINGS.headers) -> str:
    """The folded label, or, for a label written as a question or a phrase that names no
    synonym closely ("Who is responsible", "What needs to happen"), the synonym its cue
    words read as (schemas/label_cues.csv)."""
    return _label_key(
        fold_label(label), settings.label_cutoff, vocab.current_digest(), settings.cue_lead_words
    )


@lru_cache(maxsize=4096)
def _label_key(text: str, cutoff: float, user_digest: str, cue_skip: int = 0) -> str:
    table = synonyms()
    if not text or text in table or text in ambiguous_labels():
        return text
    # An ambiguous label with a qualifier in brackets ("Completed (date)", "Lead (name)")
    # stays ambiguous: the column's content decides, as for the bare label.
    bare = " ".join(re.sub(r"\([^)]*\)", " ", text).split())
    if bare != text and bare in ambiguous_labels():
        return bare
    squeezed = text.replace(" ", "")
    if squeezed in ambiguous_labels() and min(len(p) for p in text.split()) <= 2:
        return squeezed  # "Re c": a label broken letter by letter in a narrow column
    # A misspelt word in a label that, mended, is a known or ambiguous label ("Recomendation
    # No." is "Recommendation No.", which names a ref or a recommendation): the mended
    # label, so that its readings are those of the label it misspells (plans print typos
    # in their headers; a word of five letters or more within an edit or two of a word
    # the synonyms use is that word).
    mended = _mended_words(text, _synonym_words(None, user_digest), cutoff)
    if mended != text and (mended in table or mended in ambiguous_labels()):
        return mended
    best = process.extractOne(text, list(table), scorer=fuzz.ratio)
    if best and best[1] >= cutoff:
        return text
    # The question may follow a word or two that name it: SMART headings ("Specific - what
    # will be done?", "Time-bound - by when?"), a number or a field's short name.
    cue = cue_reading(text, cue_skip)
    return cue if cue is not None else text


def score_label(
    label: str, path: str | None = None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> tuple[str | None, float]:
    """Best canonical field for one label, and its score."""
    digest = vocab.current_digest() if path is None else ""
    return _score_folded(fold_label(label), path, digest, settings)


#: a bracketed list of two or more values, parted by "/" or ","
_LISTED_VALUES = re.compile(r"\([^()]*[/,][^()]*\)")


@lru_cache(maxsize=4096)
def _score_folded(
    folded: str, path: str | None, digest: str, settings: HeaderSettings
) -> tuple[str | None, float]:
    """`score_label` of a folded label, remembered per label and vocabulary (a plan
    prints its header on every page, and each table's rows are asked about)."""
    table = _synonyms(path, digest)
    text = (
        _label_key(folded, settings.label_cutoff, digest, settings.cue_lead_words)
        if path is None
        else folded
    )
    if text != folded:  # read by its cue words: a reading, not a synonym
        field = table.get(text) or ambiguous_labels().get(text, (None,))[0]
        return field, min(settings.prefixed_label_score, 100.0)
    if not text:
        return None, 0.0
    if text in table:
        return table[text], 100.0
    # A label followed by the values its column takes, listed in brackets ("Status
    # (Complete / In progress / Not started)", a template's instruction): the label is what
    # stands before the list, not a compound of the listed words.
    bare = " ".join(_LISTED_VALUES.sub(" ", text).split())
    if bare != text and bare in table:
        return table[bare], settings.prefixed_label_score
    compound = _compound(text, path, settings)
    if compound is not None:
        return compound
    mended = _mended_words(text, _synonym_words(path, digest), settings.label_cutoff)
    if mended != text:
        again_field, again_score = _score_folded(mended, path, digest, settings)
        if again_field is not None and again_score >= settings.label_cutoff:
            # a misspelt word, mended: as sure as a qualified label, no surer
            return again_field, min(again_score, settings.prefixed_label_score)
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
    # A label that opens with a known one and adds words ("Action required"), or a known
    # label after a word or two that qualify it ("Intended action"); of both, the longer
    # known part, the last on a tie (the head noun comes last: "Named lead agency").
    if score < settings.prefixed_label_score:
        prefixed = [syn for syn in table if len(syn) >= 5 and text.startswith(syn + " ")]
        head = qualified_label(text, table)
        best = max(prefixed, key=len) if prefixed else None
        if head is not None and (best is None or len(head) >= len(best)):
            best = head
        if best is not None:
            return table[best], settings.prefixed_label_score
    return field, score


@lru_cache(maxsize=1)
def compound_labels() -> dict[str, str]:
    rows = schemas.read_vocabulary(schemas.COMPOUND_LABELS_CSV)
    return {r["fields"]: r["field"] for r in rows}


@lru_cache(maxsize=1)
def ambiguous_labels() -> dict[str, tuple[str, ...]]:
    """Label -> the fields it may name, the usual reading first."""
    rows = schemas.read_vocabulary(schemas.AMBIGUOUS_LABELS_CSV)
    table = {fold_label(r["label"]): tuple(r["fields"].split("|")) for r in rows}
    unknown = {f for fields in table.values() for f in fields} - set(schemas.CANONICAL_FIELDS)
    if unknown:
        raise ValueError(f"ambiguous labels name unknown fields: {sorted(unknown)}")
    return table


def label_readings(
    label: str, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> tuple[str, ...]:
    """The fields a label may name when it names several, the usual reading first
    (schemas/ambiguous_labels.csv); () for a label naming one field. A label of two labels
    joined by "/", each naming several fields ("Outcome / Evidence": an outcome sought or
    progress, a success measure or progress), may name any of them: each half's usual
    reading in print order, then their others. Such a column yields to one whose label
    names a field alone ("Progress" beside it) and takes a reading still free."""
    return _readings(label_key(label, settings), settings, vocab.current_digest())


@lru_cache(maxsize=4096)
def _readings(key: str, settings: HeaderSettings, user_digest: str) -> tuple[str, ...]:
    known = ambiguous_labels()
    if key in known:
        return known[key]
    parts = [p.strip() for p in key.split("/")]
    if len(parts) != 2 or not all(parts):
        return ()
    halves = [known.get(label_key(p, settings), ()) for p in parts]
    if not all(halves):
        return ()
    ordered = [h[0] for h in halves] + [f for h in halves for f in h[1:]]
    return tuple(dict.fromkeys(ordered))


@lru_cache(maxsize=1)
def section_column_labels() -> frozenset[str]:
    """Labels of a column printing the agency a row belongs to (schemas/section_columns.csv)."""
    return frozenset(
        fold_label(r["label"]) for r in schemas.read_vocabulary(schemas.SECTION_COLUMNS_CSV)
    )


def _compound(
    text: str, path: str | None, settings: HeaderSettings
) -> tuple[str | None, float] | None:
    """A label of two labels joined by '/' ("Recommendation/Action", "Lead Officer/Agency"),
    or by "and" ("Recommendation and actions"; a pair schemas/compound_labels.csv names):
    each part is scored alone, and two fields give the one schemas/compound_labels.csv
    reads the column as (else the first part's). One known part beside words that read as
    no label (the same label in another language) is that part's."""
    parts = [p.strip() for p in text.split("/") if p.strip()]
    joined = len(parts) < 2  # "Recommendation and actions": only pairs the CSV names
    if joined:
        parts = [p.strip() for p in text.split(" and ") if p.strip()]
    if len(parts) != 2 and (joined or len(parts) < 2):
        return None
    scored = [score_label(p, path, settings) for p in parts]
    if not joined and len(parts) == 2:
        # A label printed in two languages, one half ambiguous ("Dyddiad Cwblhau /
        # Completed": "Completed" names a completion date or a status) and the other
        # naming one of its fields: the same label twice, read as that field.
        readings = [ambiguous_labels().get(label_key(p, settings), ()) for p in parts]
        for known, other in ((0, 1), (1, 0)):
            field, score = scored[known]
            if (
                not readings[known]
                and readings[other]
                and field in readings[other]
                and score >= settings.label_cutoff
            ):
                return field, score
    fields = [f for f, s in scored if f and s >= settings.label_cutoff]
    if not joined and len(parts) == 2 and len(fields) == 2 and fields[0] == fields[1]:
        return fields[0], max(s for _, s in scored)  # "Statws / Status": one label twice
    if not joined and len(parts) == 2 and len(fields) == 1:
        for known, other in ((0, 1), (1, 0)):
            if scored[known][0] and _number_of(parts[other], parts[known].split()[-1]):
                # "Lead Agency/Agencies", "Officer/s": the label and its own last word in
                # the other number, one label
                return scored[known]
        # A label printed in two languages ("Cyf / Ref", "Statws / Status" in Welsh plans):
        # one part a known label, the other no label at all.
        (known,) = [(f, s) for f, s in scored if f and s >= settings.label_cutoff]
        other = min(s for _, s in scored)
        return known if other < settings.foreign_label_cutoff else None
    if len(set(fields)) < 2:
        return None
    key = "|".join(sorted(set(fields)))
    if joined and key not in compound_labels():
        return None
    return compound_labels().get(key, fields[0]), min(s for _, s in scored)


#: A label schemas/grouped_labels.csv knows under its group but reads as no field of
#: ours ("Start" under "Timescale": a start date): a label all the same, kept in `extra`.
NO_FIELD = "none"


def _number_of(word: str, head: str) -> bool:
    """`word` is `head` in the other number ("agencies" / "agency", "officers" /
    "officer"), or its bare plural ending ("s")."""
    if word in ("s", "es"):
        return True
    forms = {head + "s", head + "es"}
    if head.endswith("y"):
        forms.add(head[:-1] + "ies")
    if head.endswith("ies"):
        forms.add(head[:-3] + "y")
    if head.endswith("s"):
        forms.add(head[:-1])
    return word in forms


@lru_cache(maxsize=1)
def grouped_labels() -> dict[tuple[str, str], str]:
    """(group field, folded label) -> the field the label names under such a group."""
    rows = schemas.read_vocabulary(schemas.GROUPED_LABELS_CSV)
    table = {(r["group"], fold_label(r["label"])): r["field"] for r in rows}
    named = {f for (g, _), f in table.items() if f != NO_FIELD} | {g for g, _ in table}
    unknown = named - set(schemas.CANONICAL_FIELDS)
    if unknown:
        raise ValueError(f"grouped labels name unknown fields: {sorted(unknown)}")
    return table


def in_group(
    label: str, group: str | None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> str | None:
    """The field `label` names under the group label `group` printed over its column, where
    the lower label alone says too little ("Date" under "Progress" is the completion date,
    under "Target" the target date: schemas/grouped_labels.csv; NO_FIELD for a label of no
    field of ours, "Start" under "Timescale"); else None."""
    if not group or not label.strip():
        return None
    field, score = score_label(group, settings=settings)
    fields = [field] if field is not None and score >= settings.label_cutoff else []
    fields += ambiguous_labels().get(label_key(group, settings), ())
    key = fold_label(label)
    return next((grouped_labels()[(g, key)] for g in fields if (g, key) in grouped_labels()), None)


@lru_cache(maxsize=1)
def _action_nouns() -> frozenset[str]:
    return frozenset(
        fold_label(r["word"]) for r in schemas.read_vocabulary(schemas.ACTION_NOUNS_CSV)
    )


def names_actions(label: str) -> bool:
    """A word of the label names actions (schemas/action_nouns.csv)."""
    return any(w in _action_nouns() for w in re.findall(r"[a-z]+", fold_label(label)))


def map_header(
    labels: list[str],
    path: str | None = None,
    settings: HeaderSettings = DEFAULT_SETTINGS.headers,
    groups: Sequence[str | None] = (),
) -> list[ColumnMap]:
    """One ColumnMap per printed label, each field used at most once. Labels that name
    one of several fields ("Outcome", "Lead") yield to a label that names one field
    alone, and take the first of their fields still free (content may change it later:
    normalise.plan). `groups`: the group label printed over each column, if any (a
    header of two rows), which decides what some labels name (`in_group`)."""
    scored = [(label, *score_label(label, path, settings)) for label in labels]
    read_in_group: set[int] = set()  # named by their group: no longer ambiguous
    for i, group in enumerate(groups[: len(scored)]):
        grouped = in_group(labels[i], group, settings)
        if grouped is not None:
            scored[i] = (labels[i], None if grouped == NO_FIELD else grouped, 100.0)
            read_in_group.add(i)
    taken: dict[str, int] = {}
    for i, (label, field, score) in enumerate(scored):
        if field is None or score < settings.label_cutoff:
            continue
        if i not in read_in_group and label_readings(label, settings):
            continue
        if field not in taken or score > scored[taken[field]][2]:
            taken[field] = i
    for i, (label, _, _score) in enumerate(scored):
        choices = () if i in read_in_group else label_readings(label, settings)
        free = next((f for f in choices if f not in taken), None)
        if free is not None:
            taken[free] = i
    if "action" not in taken:
        # A table always has an action column: where no label reads as the action, the one
        # column read as progress or as no field whose label names actions
        # (schemas/action_nouns.csv: "Action taken / planned", what was done or will be)
        # is it. Two such columns leave the table as it was read.
        naming = [
            i
            for i, (label, field, score) in enumerate(scored)
            if names_actions(label)
            and (field is None or score < settings.label_cutoff or field == "progress")
            and all(t != i or f == "progress" for f, t in taken.items())
        ]
        if len(naming) == 1:
            (i,) = naming
            for f in [f for f, t in taken.items() if t == i]:
                del taken[f]
            taken["action"] = i
    winners = {i: f for f, i in taken.items()}
    return [
        ColumnMap(" ".join(label.split()), winners.get(i), round(score, 1))
        for i, (label, _, score) in enumerate(scored)
    ]


def is_header_row(
    texts: list[str], path: str | None = None, settings: HeaderSettings = DEFAULT_SETTINGS.headers
) -> bool:
    """Enough of a row's cells read as known column labels to call it a header. A label
    naming one of several fields ("Rec", "Lead", "Who") is a label: content decides which."""
    filled = [t for t in texts if t.strip()]
    if len(filled) < 2:
        return False
    ambiguous = ambiguous_labels()
    good = sum(
        score_label(t, path, settings)[1] >= settings.label_cutoff
        or label_key(t, settings) in ambiguous
        for t in filled
    )
    return good >= min(settings.min_labels, len(filled)) and good >= settings.label_share * len(
        filled
    )

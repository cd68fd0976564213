"""Printed status / RAG text to a status in {completed, in_progress, not_started, unknown}.

Plans write status many ways ("Action completed", "On-going", "Amber - in progress",
"G", OCR "C0mpleted"). The vocabulary lives in ``schemas/status_synonyms.csv`` so an
analyst can add an alias without touching code; this module only decides how to look
text up in it: exact synonym, then a synonym as a whole phrase inside the text (longest
first), then a fuzzy match, and RAG colour words anywhere for the colour.

A status column may hold notes rather than words ("Not started - awaiting the report.",
"Delayed due to staff changes; ..."): a synonym that opens the note and is closed by a
dash, a full stop (or ; :) or "due to" is the note's status, whatever the note says after
it ("opening", tried after the exact match and before the phrase search).

``infer_status`` serves plans with no status column: it reads a progress / outcome cell
and answers only when the cell plainly says the action is completed or in progress.
"""

from __future__ import annotations

import colorsys
import csv
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from dhrplans.normalise.dates import parse_date
from dhrplans.schemas import RAGS, STATUS_SYNONYMS_CSV, STATUSES
from dhrplans.schemas import vocab as user_vocab
from rapidfuzz import fuzz, process

__all__ = [
    "RAG_STATUS",
    "StatusParse",
    "Vocabulary",
    "fold",
    "infer_status",
    "load_vocabulary",
    "opening_status",
    "parse_status",
    "rag_from_colour",
]

#: rapidfuzz ratio (0-100) a misspelt status must reach ("Compelted" scores 89).
FUZZY_CUTOFF = 85
#: Whole-cell fuzzy matching is pointless past this length; windows of words are used.
MAX_WHOLE_FUZZY_LEN = 40
#: Words of a long cell looked at by the fuzzy window search (bounds the work per cell).
MAX_WINDOW_WORDS = 80
#: Longer runs of words are no typo of a synonym (and would make fuzzy matching slow).
MAX_WINDOW_CHARS = 40
#: Shorter synonyms ("g", "n a", "tbc") only count as the whole cell, never inside text.
MIN_PHRASE_LEN = 4
#: Shorter synonyms are not used for fuzzy windows inside long text.
MIN_WINDOW_LEN = 5

#: Status implied by a colour when no status word is printed (blue = done in BRAG).
COLOUR_STATUS = {
    "green": "completed",
    "amber": "in_progress",
    "red": "not_started",
    "blue": "completed",
}

# Scores (0..1): how far a reading can be trusted, for the record's confidence.
SCORE_EXACT = 1.0
SCORE_OPENING = 0.95
SCORE_PHRASE = 0.9
SCORE_FUZZY_SCALE = 0.85
SCORE_COLOUR = 0.8
#: Applied when the text matched only once OCR digits were read as letters.
SCORE_OCR_FACTOR = 0.95

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_OCR_WORD = re.compile(r"[a-z0-9|]+")
_OCR_LETTERS = str.maketrans({"0": "o", "1": "l", "|": "l", "5": "s"})
# What closes a status that opens a note: a full stop, semicolon or colon ending a word, a
# dash between spaces (an en or em dash anywhere: "On-going" keeps its hyphen), or the
# cause that follows a status ("Delayed due to ...").
_OPENING_END = re.compile(r"[.;:](?=\s|$)|\s[-\u2013\u2014]\s|[\u2013\u2014]|\s+due\s+to\b", re.I)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?;:])\s+|\s*\n\s*")

_DONE = "completed"
_DOING = "in_progress"
# infer_status: phrases that may open a progress cell, followed by anything.
_START_PHRASES = (
    (
        _DONE,
        r"(?:all |the |this )?actions? (?:(?:has|have) been |is |are |was |were )"
        r"(?:now )?(?:fully )?complete(?:d)?",
    ),
    (_DONE, r"(?:all |the |this )?actions? (?:now )?(?:fully )?completed"),
    (_DONE, r"(?:this|it|work|the work) (?:has been |is |was )(?:now )?(?:fully )?complete(?:d)?"),
    (_DONE, r"(?:now |fully )?completed"),
    (_DOING, r"partially complete(?:d)?"),
    (
        _DOING,
        r"(?:(?:this |the )?(?:action|work) (?:is |remains )?(?:still )?)?"
        r"(?:in progress|ongoing|on going|underway|under way)",
    ),
    (_DOING, r"work in progress"),
)
# infer_status: words that count only as a whole sentence (with at most a date or colour):
# "Complete the training by March" is an instruction, "Complete." is a status.
_STANDALONE_PHRASES = ((_DONE, r"(?:actions? )?(?:complete|done|achieved|closed)"),)
_START_RES = tuple((s, re.compile(rf"^(?:{p})(?= |$)")) for s, p in _START_PHRASES)
_STANDALONE_RES = tuple((s, re.compile(rf"^(?:{p})(?= |$)")) for s, p in _STANDALONE_PHRASES)
_DATE_LEAD = re.compile(r"^(?:on|in|by|at|as of|from|wef|w e f|date|dated)\s+")
_MAX_DATE_TAIL_WORDS = 5
_NUMBERS = re.compile(r"\d+(?: \d+){0,2}")


@dataclass(frozen=True)
class StatusParse:
    """A status cell read: ``status`` in STATUSES, ``rag`` in RAGS or None.

    ``matched`` is False when nothing in the text was recognised (status ``unknown``);
    ``score`` (0..1) says how the match was made, for the record's confidence.
    """

    status: str
    rag: str | None
    matched: bool
    score: float
    method: str = "none"


@dataclass(frozen=True)
class Vocabulary:
    """Synonyms folded for lookup: text -> (status, rag or None)."""

    entries: dict[str, tuple[str, str | None]]
    #: Non-colour synonyms usable inside longer text, longest first.
    phrases: tuple[str, ...]
    #: The same, for lookup.
    phrase_set: frozenset[str]
    #: Keys usable for whole-cell fuzzy matching.
    fuzzy_keys: tuple[str, ...]
    #: Non-colour keys usable for fuzzy windows, grouped by word count.
    window_keys: dict[int, tuple[str, ...]]


# Tick and cross marks as the words the synonyms use for them (schemas/status_synonyms.csv:
# "tick", "cross"): a "Completed (✓)" column prints a mark, not a word.
_MARKS = str.maketrans(
    {m: " tick " for m in "\u2713\u2714\u2611\U0001f5f8"}
    | {m: " cross " for m in "\u2717\u2718\u2612"}
)


def fold(text: str, ocr: bool = True) -> str:
    """Lower case, punctuation and runs of space to one space, and (``ocr``) digits inside
    words read as letters ("C0mp1eted"): the form synonyms are compared in, so that
    "On-going" and "on going" are one."""
    low = text.casefold().translate(_MARKS)
    if ocr:
        low = _OCR_WORD.sub(_ocr_letters, low)
    return _NON_ALNUM.sub(" ", low).strip()


def _ocr_letters(m: re.Match[str]) -> str:
    word = m.group()
    if word.isalpha() or sum(ch.isalpha() for ch in word) < 3:
        return word
    return word.translate(_OCR_LETTERS)


def load_vocabulary(path: str | Path = STATUS_SYNONYMS_CSV) -> Vocabulary:
    """Read and check the synonyms CSV once per path (ValueError on a bad row); the shipped
    one with the current user vocabulary's status words added (they win over a shipped
    reading of the same words)."""
    shipped = path is STATUS_SYNONYMS_CSV or Path(path) == STATUS_SYNONYMS_CSV
    return _load_vocabulary(str(path), user_vocab.current_digest() if shipped else "")


@lru_cache(maxsize=8)
def _load_vocabulary(path: str, user_digest: str) -> Vocabulary:
    entries: dict[str, tuple[str, str | None]] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            key = fold(row.get("text") or "")
            status = (row.get("status") or "").strip()
            rag = (row.get("rag") or "").strip().lower() or None
            if not key:
                raise ValueError(f"{path}:{line}: empty synonym text")
            if status not in STATUSES:
                raise ValueError(f"{path}:{line}: status {status!r} not in {STATUSES}")
            if rag is not None and rag not in RAGS:
                raise ValueError(f"{path}:{line}: rag {rag!r} not in {RAGS}")
            if entries.get(key, (status, rag)) != (status, rag):
                raise ValueError(f"{path}:{line}: {key!r} mapped twice, differently")
            entries[key] = (status, rag)
    user = user_vocab.current() if user_digest else None
    for text, status, rag in user.status_synonyms if user else ():
        if fold(text):
            entries[fold(text)] = (status, rag or None)
    non_colour = [k for k in entries if k not in COLOUR_STATUS and len(k) >= MIN_PHRASE_LEN]
    windows: dict[int, list[str]] = {}
    for key in non_colour:
        if len(key) >= MIN_WINDOW_LEN:
            windows.setdefault(len(key.split()), []).append(key)
    return Vocabulary(
        entries=entries,
        phrases=tuple(sorted(non_colour, key=len, reverse=True)),
        phrase_set=frozenset(non_colour),
        fuzzy_keys=tuple(k for k in entries if len(k) >= MIN_PHRASE_LEN),
        window_keys={n: tuple(keys) for n, keys in windows.items()},
    )


def parse_status(text: str | None, vocab_path: str | Path | None = None) -> StatusParse:
    """Status and RAG of a printed status cell; blank is ``unknown``; never raises."""
    raw = text if isinstance(text, str) else ""
    folded = fold(raw)
    if not folded:
        return StatusParse("unknown", None, True, SCORE_EXACT, "blank")
    result = _lookup(folded, vocab_path, raw)
    if result.matched and folded != fold(raw, ocr=False):
        return replace(result, score=result.score * SCORE_OCR_FACTOR, method=result.method + "+ocr")
    return result


def opening_status(text: str | None, vocab_path: str | Path | None = None) -> StatusParse | None:
    """The status a note opens with ("Not started - awaiting ...", "Not yet due.",
    "Delayed due to ..."), or None when no synonym (schemas/status_synonyms.csv, not a
    colour and not a short code such as "N" or "A") opens it closed by a dash, a full
    stop or "due to". The longest such opening wins ("Amber - in progress - ...")."""
    if not isinstance(text, str):
        return None
    raw = text.strip()
    vocab = load_vocabulary(vocab_path) if vocab_path is not None else load_vocabulary()
    best: str | None = None
    for m in _OPENING_END.finditer(raw[: MAX_WINDOW_CHARS + 8]):
        head = fold(raw[: m.start()])
        if len(head) > MAX_WINDOW_CHARS:
            break
        if head in vocab.phrase_set and (best is None or len(head) > len(best)):
            best = head
    if best is None:
        return None
    status, rag = vocab.entries[best]
    colour = _first_colour(fold(raw))
    rag = (colour if colour in RAGS else None) or rag
    return StatusParse(status, rag, True, SCORE_OPENING, "opening")


def infer_status(text: str | None) -> str | None:
    """``completed`` / ``in_progress`` when a progress or outcome cell plainly says so.

    For plans without a status column. Conservative: the phrase must open the cell
    ("Completed March 2014", "This action is complete", "Ongoing") or be a sentence of
    its own ("... delivered. Complete."); "staff will complete the training" is None.
    Where several sentences qualify the last wins, as updates are appended.
    """
    if not isinstance(text, str):
        return None
    sentences = [fold(s) for s in _SENTENCE_SPLIT.split(text.strip())]
    sentences = [s for s in sentences if s]
    found: str | None = None
    for i, sentence in enumerate(sentences):
        status = _sentence_status(sentence, opens_cell=i == 0)
        if status is not None:
            found = status
    return found


# --- helpers ---------------------------------------------------------------------------------


def _lookup(folded: str, vocab_path: str | Path | None, raw: str = "") -> StatusParse:
    """Exact synonym, else a synonym opening the note (``raw``, punctuation kept), else
    longest phrase inside, else fuzzy, else colour alone."""
    vocab = load_vocabulary(vocab_path) if vocab_path is not None else load_vocabulary()
    colour = _first_colour(folded)
    colour_rag = colour if colour in RAGS else None

    if folded in vocab.entries:
        status, rag = vocab.entries[folded]
        return StatusParse(status, rag or colour_rag, True, SCORE_EXACT, "exact")

    opening = opening_status(raw, vocab_path)
    if opening is not None:
        return opening

    key = _find_phrase(folded, vocab.phrases)
    if key is not None:
        status, rag = vocab.entries[key]
        return StatusParse(status, colour_rag or rag, True, SCORE_PHRASE, "phrase")

    # a short code ("Y", "N") and a date: too short for the phrase search
    dated = _dated_status(raw, vocab)
    if dated is not None:
        status, rag = vocab.entries[dated]
        return StatusParse(status, rag or colour_rag, True, SCORE_OPENING, "dated")

    hit = _fuzzy(folded, vocab)
    if hit is not None:
        key, score = hit
        status, rag = vocab.entries[key]
        return StatusParse(status, colour_rag or rag, True, score, "fuzzy")

    if colour is not None:
        return StatusParse(COLOUR_STATUS[colour], colour_rag, True, SCORE_COLOUR, "colour")
    return StatusParse("unknown", None, False, 0.0, "none")


#: A status word and the date after it ("Y – 03/05/22", "Yes (03/05/22)", "Complete
#: 03.2024"): the word, then a dash, comma, colon or an opening bracket (or a space),
#: then the rest of the cell, a closing bracket dropped.
_DATED = re.compile(
    r"^\s*([^\d()]+?)\s*(?:[-\u2013\u2014,:;]\s*|\(\s*|\s)([^()]*\d[^()]*?)\s*\)?\s*$"
)


def status_date(text: str | None, vocab_path: str | Path | None = None) -> str | None:
    """The date printed after the status word of a cell holding nothing else ("Y –
    03/05/22" gives "03/05/22"), else None."""
    if not isinstance(text, str):
        return None
    vocab = load_vocabulary(vocab_path) if vocab_path is not None else load_vocabulary()
    m = _DATED.match(text)
    return m.group(2).strip() if m and _dated_status(text, vocab) is not None else None


def _dated_status(raw: str, vocab: Vocabulary) -> str | None:
    """The synonym of a cell that prints a status word and a date and nothing else ("Y –
    03/05/22", "Yes (03/05/22)"): a Y/N completion column is often filled in with the day
    the action was done after the letter. Any synonym, short codes ("Y", "N") included,
    since the date leaves nothing else in the cell to read; the rest must read wholly as
    a date (a word or a lone number after the status is no date: no reading)."""
    m = _DATED.match(raw)
    if m is None:
        return None
    head, tail = fold(m.group(1)), m.group(2).strip()
    if head not in vocab.entries or parse_date(tail) is None:
        return None
    # every word of the tail is part of the date: digits, a month's name, an ordinal
    words = re.findall(r"[a-z]+", tail.casefold())
    if any(parse_date(f"{w} 2000") is None and w not in _DATE_WORDS for w in words):
        return None
    return head


#: Words a printed date may hold besides a month's name ("1st", "of").
_DATE_WORDS = frozenset({"st", "nd", "rd", "th", "of"})


def _first_colour(folded: str) -> str | None:
    for word in folded.split():
        if word in COLOUR_STATUS:
            return word
    return None


def _find_phrase(folded: str, phrases: tuple[str, ...]) -> str | None:
    """Longest synonym found as whole words in the text; equal lengths: the earliest."""
    padded = f" {folded} "
    best: tuple[int, int, str] | None = None  # (-len, position, key)
    for key in phrases:
        if best is not None and len(key) < -best[0]:
            break
        pos = padded.find(f" {key} ")
        if pos >= 0 and (best is None or (-len(key), pos) < best[:2]):
            best = (-len(key), pos, key)
    return best[2] if best else None


def _fuzzy(folded: str, vocab: Vocabulary) -> tuple[str, float] | None:
    """Closest synonym to the whole cell, else to a run of its words (typos, OCR)."""
    if len(folded) <= MAX_WHOLE_FUZZY_LEN:
        hit = process.extractOne(
            folded, vocab.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
        )
        if hit is not None:
            return hit[0], SCORE_FUZZY_SCALE * hit[1] / 100
    words = folded.split()[:MAX_WINDOW_WORDS]
    best: tuple[float, str] | None = None
    for n, keys in vocab.window_keys.items():
        for start in range(len(words) - n + 1):
            window = " ".join(words[start : start + n])
            if len(window) > MAX_WINDOW_CHARS:
                continue
            hit = process.extractOne(window, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if hit is not None and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[0])
    if best is None:
        return None
    return best[1], SCORE_FUZZY_SCALE * best[0] / 100


def _sentence_status(sentence: str, opens_cell: bool) -> str | None:
    if opens_cell:
        for status, pattern in _START_RES:
            if pattern.match(sentence):
                return status
    for status, pattern in (*_START_RES, *_STANDALONE_RES):
        m = pattern.match(sentence)
        if m is not None and _is_tail(sentence[m.end() :].strip()):
            return status
    return None


def _is_tail(rest: str) -> bool:
    """What may follow a standalone status: nothing, a date, or a colour."""
    if not rest or rest in COLOUR_STATUS:
        return True
    rest = _DATE_LEAD.sub("", rest)
    if len(rest.split()) > _MAX_DATE_TAIL_WORDS:
        return False
    # Folding turned "30/04/2013" into "30 04 2013": numbers alone are a date's remains.
    return _NUMBERS.fullmatch(rest) is not None or parse_date(rest) is not None


#: Hue ranges (degrees) of the RAG colours that plans shade cells with; greys, blues and
#: pale tints (saturation or value too low) are not a RAG rating.
#: A RAG rating is shaded in a strong colour (Office's standard red FF0000, amber FFC000,
#: greens 92D050/00B050, saturation 0.6 and more); the pale tints that plans put behind
#: status words as decoration (Excel's Good/Neutral/Bad C6EFCE/FFEB9C/FFC7CE, Word's
#: "lighter 60%/80%" theme tints, saturation 0.4 and less) are no rating, whatever
#: their hue: one cut-off for every colour, so a pale yellow is no more amber than a pale
#: green is green.
RAG_MIN_SATURATION = 0.5
RAG_HUES = (
    ("red", 0.0, 18.0),
    ("amber", 18.0, 66.0),
    ("green", 66.0, 170.0),
    ("red", 330.0, 360.0),
)
RAG_STATUS = {"green": "completed", "amber": "in_progress", "red": "not_started"}


def rag_from_colour(rgb: tuple[float, float, float] | None) -> str | None:
    """red, amber or green for a cell's background colour (RGB 0..1), else None."""
    if rgb is None or len(rgb) != 3:
        return None
    hue, saturation, value = colorsys.rgb_to_hsv(*(min(max(float(v), 0.0), 1.0) for v in rgb))
    if saturation < RAG_MIN_SATURATION or value < 0.35:
        return None
    degrees = hue * 360.0
    return next((name for name, lo, hi in RAG_HUES if lo <= degrees < hi), None)

"""What OCR read, checked against what its column may hold.

A cell read by OCR carries the confidence of each of its words (extract/cellocr.py).
Where a word was read with low confidence and the column's values have a known form, the
value is corrected to the nearest valid form:

* refs and numbers (`1.1`, `1a`, `C2.3`): a letter prefix, numbers joined by dots, a letter
  suffix. Marks after the ref are dropped, letters OCR reads for digits (`l` for 1, `O`
  for 0) and marks it reads for the dot (`,`) are turned back
  (`schemas/ocr_confusions.csv`, `digit` and `separator`) where that makes the value a ref
  and it was not one, whatever the confidence (the column's form decides);
* dates: the same confusions inside runs of digits and separators (`O1/O9/2013`), and
  whole words OCR misreads (`wic` for `w/c`, `word`), whatever the confidence;
* status and RAG words: the nearest form of `schemas/status_synonyms.csv` (rapidfuzz ratio
  at least `vocabulary_score`), in the case the cell was printed in.

Marks OCR reads for a lower-case l ending a word (`al!`, `pane!`: `letter` in the same
table) are turned back where the cell is read (extract/cellocr.py, `mend_final_ells`).

High-confidence status words are left as read: a plan may print a status nobody foresaw.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dhrplans.schemas import OCR_CONFUSIONS_CSV, STATUS_SYNONYMS_CSV
from rapidfuzz import fuzz, process

from dhrplans.settings import OcrSettings

#: A ref as plans print them: up to two letters, numbers joined by dots, a letter; or a
#: recommendation's Roman numeral, alone or with the action's number (`II`, `IV.2`):
#: capitals only, so that `l.2` (a 1 misread) is still turned back.
REF = re.compile(
    r"^(?:[A-Za-z]{0,2}\d+(?:\.\d+)*[a-z]?|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?:\.\d+)*[a-z]?)\.?$"
)
#: A capital letter alone is a lettered recommendation's number in the ref column, over
#: its actions' refs (`B` over `B1`, `B2`: plans letter recommendations A, B, C as others
#: number them), not a digit misread (`B` -> `8`, `D` -> `0`).
_LETTER_NUMBER = re.compile(r"^[A-Z]$")
DATE_FIELDS = ("target_date", "completion_date")
VOCABULARY_FIELDS = ("status", "rag")


@dataclass(frozen=True)
class Confusions:
    digit: dict[str, str]  # a character OCR reads for a digit -> the digit
    separator: dict[str, str]  # a mark read for the dot of a ref -> "."
    word: dict[str, str]  # a whole word misread -> the word
    letter: dict[str, str]  # a mark read for a lower-case letter ending a word -> it


@lru_cache(maxsize=4)
def load_confusions(path: str | Path = OCR_CONFUSIONS_CSV) -> Confusions:
    """The confusion table (columns read, meant, where)."""
    kinds: dict[str, dict[str, str]] = {"digit": {}, "separator": {}, "word": {}, "letter": {}}
    with open(path, encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = (row.get("where") or "").strip()
            if where not in kinds or not row.get("read"):
                raise ValueError(f"{path}:{line}: where must be one of {sorted(kinds)}")
            kinds[where][row["read"]] = row["meant"]
    return Confusions(**kinds)


@lru_cache(maxsize=4)
def _vocabulary(path: str | Path = STATUS_SYNONYMS_CSV) -> tuple[str, ...]:
    with open(path, encoding="utf-8", newline="") as fh:
        return tuple(sorted({row["text"] for row in csv.DictReader(fh) if row.get("text")}))


def is_doubtful(confidences: Sequence[float] | None, settings: OcrSettings) -> bool:
    """Some word of the value was read below `low_confidence`."""
    return bool(confidences) and min(confidences) < settings.low_confidence


def correct(
    field: str, text: str, confidences: Sequence[float] | None, settings: OcrSettings
) -> str:
    """`text` (a cell of column `field`) corrected to the nearest valid form, when OCR
    read it with low confidence and it is not valid as read; else unchanged."""
    if not text:
        return text
    # A ref or a date that is not one as read is a misreading whatever OCR's confidence
    # ("1a" read as "la" at 95): the column's form decides.
    if field == "ref":
        return correct_ref(text)
    if field in DATE_FIELDS:
        return correct_date(text)
    if field in VOCABULARY_FIELDS:
        # marks standing after the word: specks, or the cell's edge ("R . .")
        text = _TRAILING_MARKS.sub("", text) or text
        # specks read as a letter or two after a whole vocabulary word ("Red pi 5")
        text = _vocabulary_head(text)
    if not is_doubtful(confidences, settings):
        return text
    if field in VOCABULARY_FIELDS:
        return correct_word(text, settings.vocabulary_score)
    return text


def _vocabulary_head(text: str) -> str:
    """`text` without what follows its longest opening run of words that is a status or
    RAG form, when all that follows is tokens of one or two characters: specks and the
    edge of a filled cell read as letters, never words of a status."""
    tokens = text.split()
    vocabulary = _vocabulary()
    for n in range(len(tokens) - 1, 0, -1):
        head, rest = tokens[:n], tokens[n:]
        if " ".join(head).lower() in vocabulary and all(len(t) <= 2 for t in rest):
            return " ".join(head)
    return text


_TRAILING_MARKS = re.compile(r"(?:\s+[^\w\s]+)+\s*$")


def correct_ref(text: str) -> str:
    """A ref with OCR's letter-for-digit slips turned back (`l.2` -> `1.2`, `R1,l` ->
    `R1.1`); unchanged when it is a ref already or no reading makes it one."""
    value = text.strip()
    if REF.match(value) or _LETTER_NUMBER.match(value):
        return text
    # marks OCR made of specks or of the cell's edge, after the ref
    value = _TRAILING_MARKS.sub("", value)
    if REF.match(value):
        return value
    table = load_confusions()
    for prefix in range(0, 3):
        head, tail = value[:prefix], value[prefix:]
        if not head.isalpha() and head:
            break
        body = tail[:-1] if tail[-1:].islower() and tail[-1:] not in table.digit else tail
        suffix = tail[len(body) :]
        mended = "".join(table.separator.get(ch, table.digit.get(ch, ch)) for ch in body)
        candidate = head + mended + suffix
        if REF.match(candidate):
            return candidate
    return text


_DATE_RUN = re.compile(r"[0-9OoIlSBZ|]+(?:[/.\-][0-9OoIlSBZ|]+)+")


_ORDINAL = re.compile(r"(?<![\w/])([0-9OoIlSBZi|!]{1,2})(st|nd|rd|th)\b")
#: A speck read before a date: one letter or mark standing alone before a number.
_LEADING_SPECK = re.compile(r"^[^\w\s]?[a-z]?[^\w\s]?\s+(?=\d)")


def correct_date(text: str) -> str:
    """A date cell with misread words turned back and, in runs of digits and separators
    holding at least one digit (a day before its ordinal: "3ist" is "31st"), letters
    read for digits made digits again; specks read as marks standing after the date
    ("Jan-22 –"), as a full stop after its last digit, or as a letter standing before
    it, dropped."""
    table = load_confusions()
    words = [table.word.get(w.lower(), w) for w in text.split(" ")]
    out = " ".join(words)

    def digits(m: re.Match[str]) -> str:
        run = m.group(0)
        if not any(ch.isdigit() for ch in run):
            return run
        return "".join(table.digit.get(ch, ch) if not ch.isdigit() else ch for ch in run)

    def ordinal(m: re.Match[str]) -> str:
        day = m.group(1)
        if day.isdigit() or not any(ch.isdigit() for ch in day):
            return m.group(0)
        return "".join(table.digit.get(ch, ch) for ch in day) + m.group(2)

    out = _ORDINAL.sub(ordinal, _DATE_RUN.sub(digits, out))
    if any(ch.isdigit() for ch in out):
        out = _TRAILING_MARKS.sub("", out) or out
        out = _LEADING_SPECK.sub("", out)
        if out.endswith(".") and out[-2:-1].isdigit():
            out = out[:-1]
    return out


def correct_word(text: str, min_score: float) -> str:
    """A status or RAG value as the nearest vocabulary form, in the case it was printed
    in, when one scores at least `min_score` and it is not already one."""
    folded = " ".join(text.lower().split())
    vocabulary = _vocabulary()
    if folded in vocabulary:
        return text
    found = process.extractOne(folded, vocabulary, scorer=fuzz.ratio, score_cutoff=min_score)
    if found is None:
        return text
    return _same_case(found[0], text.strip())


def _same_case(word: str, like: str) -> str:
    """`word` (lower case) in the case of `like`: upper, title, capitalised or lower."""
    if like.isupper():
        return word.upper()
    if like.istitle() and " " in like:
        return word.title()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def mean_confidence(confidences: Sequence[float]) -> float | None:
    """Mean word confidence, 0..1 (None: no word read by OCR)."""
    return sum(confidences) / len(confidences) / 100.0 if confidences else None

"""Recommendation and action numbers: split from the text they open, and their hierarchy.

Plans number recommendations and actions in a few families that recur across templates:
plain (`3`, `3.1`, `3.1.2`), lettered actions (`3a`), prefixed (`R3`, `C3.1`, `Rec 3`),
and print them before the text with a colon, full stop, bracket or dash, or only a space
(`Recommendation 3: ...`, `3. ...`, `C1 – ...`, `(3) ...`). Every path that reads a
number off a text (banner rows, merged recommendation cells, refs) goes through here, so
`recommendations.text` and `actions.recommendation` read the same.
"""

from __future__ import annotations

import re

#: One number label: an optional 1-3 capital prefix ("R", "C", "DHR"), then digits with
#: dotted levels and an optional letter ("3", "3.1", "3a", "C1.2").
LABEL = r"(?:[A-Z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3})*[a-z]?"
#: The word Recommendation (misspelt as plans misspell it: "Reccomendation", "Recomendation",
#: "Recommandation"), after its Welsh (or other) half where a plan prints both,
#: with or without its own number ("Argymhelliad / Recommendation 3:", "Argymhelliad 3 /
#: Recommendation 3:").
_REC_WORD = (
    r"(?i:(?:[^\W\d_]{3,}(?:\s+\d{1,3}[a-z]?)?\s*/\s*)?"
    r"rec(?:c?om{1,2}[ae]nd?ation)?s?\.?\s*(?:no\.?|number)?\s*)"
)
_SEPARATOR = r"(?:\s*[:.)\u2013\u2014-]\s*|\s+)"
_NUMBERED = re.compile(
    rf"^\s*(?P<word>{_REC_WORD})?\(?(?P<num>{LABEL})\)?(?:{_SEPARATOR}(?P<text>.*))?$",
    re.DOTALL,
)
#: A word some plans print before an action's number ("Action 1.1", "Ref 2a", "Item 3").
_ACTION_WORD = re.compile(r"^\s*(?i:action|item|ref(?:erence)?)\.?\s+(?=\(?\d)")
#: Recommendations lettered or in Roman numerals ("Recommendation B", "IV. ...", "A – ...",
#: refs "A1", "I.2" under them): after the word Recommendation, or before a full stop,
#: bracket, colon or a dash set between spaces.
ROMAN = r"(?:XX|XIX|XVIII|XVII|XVI|XV|XIV|XIII|XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)"
ALPHA = rf"(?:{ROMAN}|[A-Z])"
_LETTERED = re.compile(
    rf"^\s*(?P<word>{_REC_WORD})?\(?(?P<num>{ALPHA})\b\)?"
    rf"(?:(?(word)(?:{_SEPARATOR}|$)|(?:\s*[.):]\s+|\s+[\u2013\u2014-]\s+))(?P<text>.*))?$",
    re.DOTALL,
)
#: Recommendations numbered in lower case ("i.", "iv)", "(a)", "Recommendation (b):"): the
#: numeral or letter in brackets, or before a full stop, bracket or colon and then a space
#: ("i.e." and "e.g." are no number). Without the word Recommendation only where the text is
#: known to be a recommendation's (`split_number(..., lower=True)`): elsewhere such a label
#: numbers the points of a sentence or the actions under a recommendation (`is_sub_label`).
LOWER = rf"(?:{ROMAN.lower()}|[a-z])"
_LOWER_NUMBERED = re.compile(
    rf"^\s*(?P<word>{_REC_WORD})?"
    rf"(?:\((?P<inner>{LOWER})\)\s*[:.\u2013\u2014-]?|(?P<num>{LOWER})(?:[.):]|\s+[\u2013\u2014-]))"
    r"(?:\s+(?P<text>\S.*?))?\s*$",
    re.DOTALL,
)
_ALPHA_REF = re.compile(rf"^\s*\(?(?P<num>{ALPHA}(?:\.?\d{{1,3}}[a-z]?)?)\)?\.?\s*$")
_REF = re.compile(rf"^\s*\(?(?P<num>{LABEL})\)?\.?\s*$")
#: Refs of actions under a lettered recommendation written otherwise: the letter in lower
#: case ("a1", "b.2" under "Recommendation (a)") or a dash before the number ("A-1", "B-3").
_LETTER_REF = re.compile(
    r"^\s*\(?(?P<num>(?:[a-z]|[A-Z]{1,3})[.\u2013-]?\d{1,3}(?:\.\d{1,3})*[a-z]?)\)?\.?\s*$"
)
_TOP = re.compile(r"^(?P<top>(?:[A-Z]{1,3}\s?)?\d{1,3})")
_NAMES_REC = re.compile(
    rf"^\s*{_REC_WORD}(?:\(?(?:{LABEL}|{ALPHA}\b)|\({LOWER}\)|{LOWER}[.):])", re.DOTALL
)

#: Numbers written as words after the word Recommendation ("Recommendation Two: ...").
NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_WORD_NUMBER = re.compile(
    rf"^(?P<head>\s*{_REC_WORD})(?P<n>(?i:{'|'.join(NUMBER_WORDS)}))\b", re.DOTALL
)


def _digits(text: str) -> str:
    """ "Recommendation Two: ..." as "Recommendation 2: ...": the word Recommendation
    names the number, so a number word after it is that number."""
    match = _WORD_NUMBER.match(text)
    if match is None:
        return text
    number = NUMBER_WORDS.index(match.group("n").lower()) + 1
    return f"{match.group('head')}{number}{text[match.end() :]}"


def split_number(
    text: str, require_word: bool = False, lower: bool = False
) -> tuple[str | None, str]:
    """(number, text) of a recommendation or action printed as `Recommendation 3: text`,
    `3. text`, `C1 – text` or `R2 text`; (None, text) when it opens with no number.
    `require_word`: only `Recommendation N` / `Rec N` counts (a row that may hold a
    sentence starting with a figure). `lower`: the text is a recommendation's own (a
    merged Recommendation column's cell), so a lower-case numeral or letter opening it
    ("i. ...", "(b) ...") is its number, kept as printed."""
    text = _digits(text or "")
    match = _NUMBERED.match(text)
    if match is None:
        lettered = _LETTERED.match(text)
        if lettered is not None and (lettered.group("word") or lettered.group("text")):
            if require_word and not lettered.group("word"):
                return None, text.strip()
            return lettered.group("num"), (lettered.group("text") or "").strip()
        small = _LOWER_NUMBERED.match(text)
        if small is not None and (
            small.group("word") or (lower and small.group("text") and not require_word)
        ):
            return small.group("inner") or small.group("num"), (small.group("text") or "")
    if match is None or (require_word and not match.group("word")):
        return None, text.strip()
    rest = (match.group("text") or "").strip()
    number = re.sub(r"\s+", "", match.group("num"))
    if not match.group("word") and rest and not _plausible_text(text, match):
        return None, (text or "").strip()
    return number, rest


def _plausible_text(text: str, match: re.Match[str]) -> bool:
    """A bare number followed by a space only ("3 Staff ...") opens the text when the text
    starts a sentence; with punctuation ("3. staff") it always does."""
    between = text[match.end("num") : match.start("text")]
    if between.strip(" )"):
        return True
    return match.group("text")[:1].isupper()


def names_recommendation(text: str) -> bool:
    """The text opens with the word Recommendation (or Rec) and a number."""
    return bool(_NAMES_REC.match(_digits(text or "")))


def is_lower_label(number: str | None) -> bool:
    """The number is a lower-case numeral or letter ("iv", "b")."""
    return bool(number) and re.fullmatch(LOWER, number) is not None


_ROMAN_VALUES = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def nth_label(first: str, k: int) -> str | None:
    """The k-th label (from 1) of a list numbered in the style of its first label: "1"
    (1, 2, 3), "i" or "I" (Roman numerals), "a" or "A" (letters); None for another first."""
    if first == "1":
        return str(k)
    if first in ("i", "I") and k <= 20:
        out = ""
        for value, numeral in _ROMAN_VALUES:
            while k >= value:
                out, k = out + numeral, k - value
        return out if first == "i" else out.upper()
    if first in ("a", "A") and k <= 26:
        return chr(ord(first) + k - 1)
    return None


def is_ref(text: str) -> bool:
    """The whole text is one number label ("1.2", "3a", "C1.1", "(4)", "Action 1.1")."""
    text = _ACTION_WORD.sub("", text or "")
    return bool(_REF.match(text) or _ALPHA_REF.match(text) or _LETTER_REF.match(text))


_SUB_LABEL = re.compile(r"^\s*\(?(?:[ivx]{1,5}|[a-z])[.)]?\s*$")


def is_sub_label(text: str) -> bool:
    """The whole text is a lower-case Roman numeral or letter ("ii", "(b)", "c."): the
    numbering plans give the actions under a numbered recommendation, never a
    recommendation's own number (those are arabic or capitals)."""
    return bool(_SUB_LABEL.match(text or ""))


def top_level(number: str | None) -> str | None:
    """The recommendation a ref belongs to: "3.1" -> "3", "3a" -> "3", "C1.2" -> "C1",
    "Action 2.1" -> "2"."""
    if not number:
        return None
    number = re.sub(r"\s+", "", _ACTION_WORD.sub("", number).strip("() ."))
    lettered = re.match(rf"^(?P<top>{ALPHA})(?:\.\d|$)", number)  # "I.2", "A.1", "B"
    if lettered:
        return lettered.group("top")
    match = _TOP.match(number)
    return match.group("top") if match else None


def is_child(ref: str | None, parent: str | None) -> bool:
    """`ref` is numbered under `parent` ("3.1" under "3", "C1a" under "C1")."""
    if not ref or not parent:
        return False
    ref = _ACTION_WORD.sub("", ref).strip("() .")
    parent = _ACTION_WORD.sub("", parent).strip("() .")
    if re.fullmatch(rf"{ALPHA}|[a-z]", parent) and re.fullmatch(
        rf"{parent}[.\u2013-]?\d{{1,3}}[a-z]?", ref
    ):
        return True  # "A1", "A.1", "A-1" under a lettered recommendation "A", "a1" under "a"
    return ref != parent and top_level(ref) == parent

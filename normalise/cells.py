"""Cell text: printed lines joined with a space, except where a narrow column broke a word.

Word processors break a word only when it is wider than the column: its first
part then sits alone on a line filled to the column's text edge, and the rest
starts the next line ("complet" / "ed", "3." / "1", "Re" / "f"). A line
ending in a hyphenated compound ("multi-" / "agency") is joined without a space
too. Any other line break is an ordinary wrap at a space. Where geometry alone
is unsure, words decide (English, from pyspellchecker's list, and the document's
own): a split leaving two known words is a wrap, one rebuilding a known word from
a fragment is a break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from dhrplans.extract.model import TextLine
from spellchecker import SpellChecker

from dhrplans import schemas
from dhrplans.settings import DEFAULT_SETTINGS, CellSettings

_WS = re.compile(r"\s+")
CLOSING = frozenset(",.;:)]!?")
_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:['\u2019][a-z]+)?")
REF = re.compile(r"^\d{1,3}(\.\d{1,3}){0,3}[a-z]?\.?$")
_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A possessive's "'s" opening a line: a column wrapped the word before its apostrophe.
_POSSESSIVE = re.compile(r"^['\u2019]s(?![\w'\u2019])")


def _closes_word(before: str, after: str) -> bool:
    """`after` opens with what is printed with no space before it: a closing mark (")",
    ","), or a possessive's "'s" after a letter ("perpetrator" / "'s release")."""
    return after[0] in CLOSING or (before[-1].isalpha() and bool(_POSSESSIVE.match(after)))


def fold_ws(text: str | None) -> str:
    """Runs of white space as one space, stripped."""
    return _WS.sub(" ", text or "").strip()


def vocabulary(cells_lines: Iterable[Sequence[TextLine]]) -> frozenset[str]:
    """Lower-case words (hyphenated compounds whole) the document prints unbroken.

    A line holding a single word may be the head of a broken word, and the first
    word after such a line may be its tail: both are left out, unless punctuation ends
    the lone word (closing its line, "booked;", or opening the next, "programme" / "."),
    since no word is broken before its punctuation, and the word is no tail either: the
    line above it ends in no fragment that it would finish into a known word.
    """
    words: set[str] = set()
    for lines in cells_lines:
        previous_single = False
        texts = [line.text.lower().split() for line in lines]
        for i, tokens in enumerate(texts):
            single = len(tokens) < 2
            if not single:
                for token in tokens[1 if previous_single else 0 :]:
                    words.update(_TOKEN.findall(token))
            elif tokens:
                after = texts[i + 1] if i + 1 < len(texts) else []
                word = tokens[0].rstrip(_CLOSERS)
                closed = word != tokens[0] or (after and after[0][0] in CLOSING)
                above = texts[i - 1][-1] if i and texts[i - 1] else ""
                tail = bool(above) and above[-1].isalpha() and is_english(above + word)
                if closed and not tail and _TOKEN.fullmatch(word):
                    words.add(word)
            previous_single = single
    return frozenset(words)


_CLOSERS = "".join(sorted(CLOSING))


@lru_cache(maxsize=1)
def english_words() -> SpellChecker:
    return SpellChecker(distance=1)


@lru_cache(maxsize=1 << 16)
def is_english(word: str) -> bool:
    """A word of pyspellchecker's frequency list (remembered: a plan repeats its words,
    and the list's own test folds the word's case each time)."""
    return word in english_words()


@lru_cache(maxsize=1 << 15)
def _known(word: str, words: frozenset[str]) -> bool:
    """A word of English (pyspellchecker's frequency list) or of this document.
    (Remembered: `words` is one set per document, hashed once.)"""
    if not word:
        return False
    if word in words or is_english(word):
        return True
    base = re.sub(r"['\u2019]s$", "", word)  # possessive: "children's"
    if base != word and (base in words or is_english(base)):
        return True
    parts = [p for p in word.split("-") if p]
    if len(parts) < 2:
        return False
    return is_english("".join(parts)) or all(p in words or is_english(p) for p in parts)


def broke_mid_word(
    line: TextLine,
    following: TextLine,
    right_edge: float,
    words: frozenset[str] = frozenset(),
    settings: CellSettings = DEFAULT_SETTINGS.cells,
) -> bool:
    """True when `line` ends in the first part of a word that `following` finishes.

    The head of a broken word is usually alone on its line, but a word too long for the
    column may also start after other words ("Offender Mana" / "gement"): then only a
    known word rebuilt from an unknown fragment, on a line filled to the edge, counts."""
    text, nxt = line.text.strip(), following.text.strip()
    if not text or not nxt:
        return False
    last, first = text[-1], nxt[0]
    if _closes_word(text, nxt):
        return True  # nothing is printed with a space before ")", "," or "'s"
    if last == "-" and len(text) > 1 and text[-2].isalnum() and first.isalnum():
        # A compound wrapped after its hyphen ("multi-" / "agency", "Pre-" / "Tenancy").
        return True
    # a word in capitals breaks the same way ("COMPLE" / "TE")
    caps = last.isupper() and first.isupper() and text.split()[-1].isupper()
    letters = last.isalpha() and (first.islower() or caps)
    digits = (last.isdigit() or last in ".-/") and first.isdigit()
    if not (letters or digits):
        return False
    filled = right_edge - line.x1 < settings.filled_chars * max(line.char_width, 1.0)
    alone = " " not in text
    if not letters:
        # a number broken by a narrow column ("3." / "1", "201" / "4"); a code with a
        # letter and its number whole ("Q3", "C1") is followed by a new word ("2021/22")
        coded = last.isdigit() and any(c.isalpha() for c in text.split()[-1])
        # a full stop ending a word of letters ends its sentence ("completed." / "19"):
        # a broken number holds a digit before its break
        number = any(c.isdigit() for c in text.split()[-1])
        return alone and filled and not coded and number
    heads = _WORD.findall(text.lower())
    head = heads[-1] if heads else ""
    tail = _TOKEN.match(nxt.lower())
    tail_word = tail.group(0) if tail else ""
    joined = _known(head + tail_word, words)
    parts = _known(head, words) and _known(tail_word, words)
    if not alone:
        near = right_edge - line.x1 < settings.near_chars * max(line.char_width, 1.0)
        return near and joined and not _known(tail_word, words)
    if joined != parts:
        return joined
    if not joined and _known(head, words):
        return False  # "Action" / "complet": a whole word, then the next one broken
    return filled


def glue(before: str, after: str, words: frozenset[str] = frozenset()) -> str:
    """Join two pieces of one cell split by a page break, mending a broken word or ref."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return before or after
    last, first = before[-1], after[0]
    tail = before.split()[-1]
    if _POSSESSIVE.match(after) and last.isalpha():
        return before + after  # "perpetrator" / "'s"
    if last == "-" and len(tail) > 1 and tail[-2].isalnum() and first.isalnum():
        return before + after  # "Pre-" / "Tenancy"
    if (
        first.isdigit()
        and (last.isdigit() or last in "./-")
        and len(tail) <= 10
        and any(ch.isdigit() for ch in tail)  # a sentence's full stop ends no number
    ):
        return before + after  # "2." / "5", "01/12/2" / "013"
    if last.isalpha() and first.islower():
        head = tail.lower()
        nxt = _TOKEN.match(after.lower())
        tail_word = nxt.group(0) if nxt else ""
        if _known(head + tail_word, words) and not (
            _known(head, words) and _known(tail_word, words)
        ):
            return before + after
    return before + " " + after


def join_lines(
    lines: Sequence[TextLine],
    right_edge: float | None = None,
    words: frozenset[str] = frozenset(),
    settings: CellSettings = DEFAULT_SETTINGS.cells,
) -> str:
    """The cell's text on one line, broken words mended; `right_edge` is the text edge."""
    if not lines:
        return ""
    edge = right_edge if right_edge is not None else max(ln.x1 for ln in lines)
    if len(lines) > 1 and all(" " not in ln.text.strip() for ln in lines):
        squeezed = "".join(ln.text.strip() for ln in lines)
        narrow = all(
            edge - ln.x1 < settings.narrow_chars * max(ln.char_width, 1.0) for ln in lines[:-1]
        )
        if narrow and REF.match(squeezed):
            return squeezed  # a ref or number broken digit by digit in a very narrow column
    breaks = [broke_mid_word(a, b, edge, words, settings) for a, b in zip(lines, lines[1:])]
    # A word broken twice ("Mana" / "geme" / "nt", "R" / "e" / "f"): each piece alone
    # proves nothing (nor does the first break, found alone), the three together make a
    # known word.
    for i in range(len(lines) - 2):
        middle = lines[i + 1].text.strip()
        if (breaks[i] and breaks[i + 1]) or " " in middle or not middle.isalpha():
            continue
        heads = _WORD.findall(lines[i].text.lower())
        tail = _TOKEN.match(lines[i + 2].text.strip().lower())
        if heads and tail and _known(heads[-1] + middle.lower() + tail.group(0), words):
            breaks[i] = breaks[i + 1] = True
    parts = [lines[0].text]
    for broken, line in zip(breaks, lines[1:]):
        parts.append(("" if broken else " ") + line.text)
    return fold_ws("".join(parts).translate(symbol_glyphs()))


@lru_cache(maxsize=1)
def symbol_glyphs() -> dict[int, str]:
    """Private-use code points of symbol fonts -> the character shown (Word's bullets in
    a PDF: U+F0B7 -> "•"); schemas/symbol_glyphs.csv."""
    rows = schemas.read_vocabulary(schemas.SYMBOL_GLYPHS_CSV)
    return {int(r["code"], 16): r["char"] for r in rows}

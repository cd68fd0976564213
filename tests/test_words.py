"""extract.words: the vectorised word grouping gives pdfplumber's words exactly.

On every page of the sample corpus and of every fixture PDF (hand-made layouts,
generated plans, scans with a text layer), the words grouped from columns of
pdfplumber's own characters equal pdfplumber's `extract_words` (same dicts, same
key order, same floats), for the settings the pipeline uses and for the defaults;
and a FastPage's words equal pdfplumber's extractor run on that FastPage's chars.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from dhrplans.extract import fastpage, layout, words
from dhrplans.extract.document import WORD_ATTRS
from pdfplumber import utils

TESTS = Path(__file__).parent
PDFS = sorted((TESTS / "corpus").glob("*.pdf")) + sorted(
    (TESTS / "fixtures").rglob("*.pdf"), key=str
)
SETTINGS = [{"extra_attrs": WORD_ATTRS}, {}, {"extra_attrs": ["fontname"], "x_tolerance": 1.5}]


def _same(ours: list[dict] | None, theirs: list[dict]) -> None:
    assert ours is not None
    assert [list(w.items()) for w in ours] == [list(w.items()) for w in theirs]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(TESTS)))
def test_words_equal_pdfplumbers_on_every_page(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            columns = words.CharColumns.from_dicts(page.chars)
            for settings in SETTINGS:
                ours = words.extract_words(columns, **settings)
                _same(ours, page.extract_words(**settings))


@pytest.mark.parametrize("path", PDFS[:3], ids=lambda p: p.name)
def test_fastpage_words_equal_pdfplumbers_on_its_chars(path: Path) -> None:
    with pdfplumber.open(path) as pdf, fastpage.FastDocument(pdf, path) as fast:
        for page in pdf.pages:
            fast_page = fast.page(page)
            ours = fast_page.extract_words(extra_attrs=WORD_ATTRS)
            _same(ours, utils.extract_words(fast_page.chars, extra_attrs=WORD_ATTRS))


def _chars(rows: list[tuple]) -> list[dict]:
    """Character dicts from (text, x0, x1, top, fontname, size)."""
    out = []
    for text, x0, x1, top, font, size in rows:
        out.append(
            {
                "text": text,
                "x0": x0,
                "x1": x1,
                "top": top,
                "bottom": top + size,
                "doctop": top + 1000.0,
                "fontname": font,
                "size": size,
                "upright": True,
            }
        )
    return out


def test_hand_made_lines_runs_and_gaps() -> None:
    """Stream order against position: a run's tops chained within tolerance, a line's
    characters out of order, blanks, gaps on both sides of the tolerance, a font change
    inside a word (a new run), ligatures expanded."""
    rows = [
        ("b", 20.0, 25.0, 100.0, "F", 10.0),
        ("a", 15.0, 20.0, 101.5, "F", 10.0),  # same line (within 3), left of "b"
        ("c", 25.0, 30.0, 103.0, "F", 10.0),  # chained: 103 <= 101.5 + 3
        (" ", 30.0, 33.0, 100.0, "F", 10.0),
        ("d", 33.0, 38.0, 100.0, "F", 10.0),
        ("e", 41.0, 46.0, 100.0, "F", 10.0),  # gap 3 = tolerance: same word
        ("f", 49.1, 54.0, 100.0, "F", 10.0),  # gap 3.1: a new word
        ("g", 54.0, 59.0, 100.0, "G", 10.0),  # another font: another run
        ("\ufb01", 59.0, 64.0, 100.0, "G", 10.0),  # "fi" ligature
        ("h", 10.0, 15.0, 120.0, "F", 10.0),  # next line
    ]
    chars = _chars(rows)
    columns = words.CharColumns.from_dicts(chars)
    for settings in SETTINGS:
        _same(words.extract_words(columns, **settings), utils.extract_words(chars, **settings))
    texts = [w["text"] for w in words.extract_words(columns, extra_attrs=WORD_ATTRS)]
    assert texts == ["abc", "de", "f", "gfi", "h"]


def test_sideways_characters_among_upright_ones() -> None:
    """A page with text turned sideways (a narrow header cell's label) keeps the
    vectorised grouping for its upright characters: the sideways runs are grouped by
    pdfplumber's extractor on their own characters and take their run's place, and the
    words equal pdfplumber's over the whole page (an upright run either side of a
    sideways one is two runs, even on one line)."""
    rows = [
        ("a", 10.0, 15.0, 100.0, "F", 10.0),
        ("b", 15.0, 20.0, 100.0, "F", 10.0),
        ("x", 40.0, 50.0, 130.0, "F", 6.0),  # turned: a column of characters
        ("y", 40.0, 50.0, 124.0, "F", 6.0),
        (" ", 40.0, 50.0, 121.0, "F", 3.0),
        ("z", 40.0, 50.0, 115.0, "F", 6.0),
        ("c", 20.0, 25.0, 100.0, "F", 10.0),  # same line as "ab", after the turned run
        ("d", 10.0, 15.0, 140.0, "G", 10.0),
    ]
    chars = _chars(rows)
    for char in chars[2:6]:
        char["upright"] = False
    columns = words.CharColumns.from_dicts(chars)
    for settings in SETTINGS:
        _same(words.extract_words(columns, **settings), utils.extract_words(chars, **settings))
    texts = [w["text"] for w in words.extract_words(columns, extra_attrs=WORD_ATTRS)]
    # pdfplumber reads sideways text top down ("yx"): extract/sideways.py reads it again
    assert texts == ["ab", "yx", "z", "c", "d"]


def test_settings_it_does_not_handle_are_left_to_pdfplumber() -> None:
    chars = _chars([("a", 10.0, 15.0, 100.0, "F", 10.0)])
    columns = words.CharColumns.from_dicts(chars)
    assert words.extract_words(columns, use_text_flow=True) is None
    assert words.extract_words(columns, extra_attrs=["stroking_color"]) is None
    assert words.extract_words(words.CharColumns.from_dicts([])) == []


def test_word_index_finds_what_the_scan_finds() -> None:
    """`WordIndex` answers "which words lie in this cell" as the scan over all words
    does: same words, same order, boundaries (centre exactly on the slack) included."""
    rng = np.random.default_rng(7)
    page = []
    for i in range(400):
        x0, top = float(rng.integers(0, 500)), float(rng.integers(0, 700))
        page.append({"text": str(i), "x0": x0, "x1": x0 + 8.0, "top": top, "bottom": top + 6.0})
    index = layout.WordIndex(page)
    boxes = [
        (float(a), float(b), float(a + w), float(b + h))
        for a, b, w, h in rng.integers(0, 500, size=(300, 4))
    ]
    boxes += [(3.0, 2.0, 3.0, 2.0), (-50.0, -50.0, -10.0, -10.0), (0.0, 0.0, 600.0, 800.0)]
    for bbox in boxes:
        assert layout.words_in(index, bbox) == layout.words_in(page, bbox)
    assert layout.words_in(layout.WordIndex([]), (0.0, 0.0, 10.0, 10.0)) == []

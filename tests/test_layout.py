"""extract.layout: words to lines, phrases and cell text lines."""

from __future__ import annotations

import pytest
from dhrplans.extract.layout import (
    char_width,
    group_lines,
    is_bold,
    is_contents_entry,
    space_width,
    split_phrases,
    text_lines,
    union_bbox,
    word_bbox,
    words_in,
)
from unit_fixtures.build import phrase, word

from dhrplans.settings import DEFAULT_SETTINGS


def test_group_lines_orders_words_into_lines() -> None:
    words = [
        word("world", 60.0, 100.4),
        word("second", 30.0, 112.0),
        word("Hello", 30.0, 100.0),
        word("line", 70.0, 111.0),
    ]
    lines = group_lines(words)
    assert [ln.text for ln in lines] == ["Hello world", "second line"]
    assert lines[0].top == 100.0 and lines[0].bottom == 110.4
    assert lines[1].x0 == 30.0 and lines[1].x1 == 90.0


def test_group_lines_tolerance() -> None:
    near = [word("a", 0.0, 100.0), word("b", 10.0, 100.0 + DEFAULT_SETTINGS.layout.line_tolerance)]
    far = [
        word("a", 0.0, 100.0),
        word("b", 10.0, 100.0 + DEFAULT_SETTINGS.layout.line_tolerance + 0.5),
    ]
    assert [ln.text for ln in group_lines(near)] == ["a b"]
    assert [ln.text for ln in group_lines(far)] == ["a", "b"]


def test_group_lines_empty() -> None:
    assert group_lines([]) == []


def test_page_line_size_and_bold() -> None:
    (line,) = group_lines(
        phrase("Big bold", 0.0, 50.0, size=14.0, bold=True) + [word("x", 60.0, 50.0, size=9.0)]
    )
    assert line.size == 14.0  # median of 14, 14, 9
    assert line.bold


def test_is_bold_counts_characters() -> None:
    assert is_bold([word("Recommendation", 0, 0, bold=True), word("1", 80, 0)])
    assert not is_bold([word("1:", 0, 0, bold=True), word("Improve", 20, 0)])
    assert is_bold([{**word("x", 0, 0), "fontname": "ABCDEE+Calibri-Black"}])
    assert not is_bold([])


def test_space_width_is_the_median_small_gap() -> None:
    words = phrase("one two three four", 0.0, 0.0) + phrase("far", 300.0, 0.0)
    assert space_width(words) == pytest.approx(2.5)  # the 300pt gutter is left out
    assert space_width([word("alone", 0.0, 0.0)]) == 2.2  # default


def test_a_heading_in_larger_type_is_one_phrase() -> None:
    # A heading set larger than the body (11 pt over 6.5 pt cells) has word spaces wider
    # than the page's gutter, measured on the body: a space of its own type is no gutter.
    words, x = [], 30.0
    for text in "Single agency recommendations: Victim Support".split():
        w = word(text, x, 0.0, size=11.0, cw=6.0)
        words.append(w)
        x = w["x1"] + 3.9  # a wide font's space at 11 pt
    (line,) = group_lines(words)
    assert len(split_phrases(line, 3.5)) == 1
    # a real gutter in that type still parts the line
    (table_line,) = group_lines(
        phrase("Lead Agency", 30.0, 0.0, size=11.0) + phrase("Target Date", 200.0, 0.0, size=11.0)
    )
    assert len(split_phrases(table_line, 3.5)) == 2


def test_split_phrases_at_gutters() -> None:
    (line,) = group_lines(phrase("Lead Agency", 30.0, 0.0) + phrase("Target Date", 120.0, 0.0))
    phrases = split_phrases(line, 4.5)
    assert [[w["text"] for w in p] for p in phrases] == [["Lead", "Agency"], ["Target", "Date"]]
    assert len(split_phrases(line, 500.0)) == 1


def test_char_width() -> None:
    assert char_width(phrase("abcd ef", 0.0, 0.0, cw=4.0)) == pytest.approx(4.0)
    assert char_width([]) == 4.0


def test_text_lines() -> None:
    words = phrase("Review the", 24.0, 100.0) + phrase("policy", 24.0, 112.0)
    first, second = text_lines(words)
    assert first.text == "Review the"
    assert (first.x0, first.x1, first.top, first.bottom) == (24.0, 71.5, 100.0, 110.0)
    assert first.char_width == pytest.approx(5.0)  # widths of the words, not the gaps
    assert second.text == "policy"
    assert text_lines([]) == []


def test_words_in_uses_word_centres() -> None:
    inside = word("in", 10.0, 10.0)  # centre (15, 15)
    straddling = word("half", 85.0, 10.0)  # centre (95, 15): outside a box ending at 90
    edge = word("edge", 78.0, 10.0)  # centre (88, 15)
    below = word("low", 10.0, 95.0)  # centre (17.5, 100)
    got = words_in([inside, straddling, edge, below], (0.0, 0.0, 90.0, 90.0))
    assert [w["text"] for w in got] == ["in", "edge"]
    assert words_in([below], (0.0, 0.0, 90.0, 99.5), slack=1.0) == [below]


def test_union_and_word_bbox() -> None:
    assert union_bbox([(0, 5, 10, 15), (5, 0, 20, 10)]) == (0, 0, 20, 15)
    words = phrase("Hello world", 10.0, 20.0)
    assert word_bbox(words) == (10.0, 20.0, 10.0 + 25.0 + 2.5 + 25.0, 30.0)


def test_remembered_rounding_is_round():
    """The rounding cache gives `round(v, n)` itself: value and type, for floats met
    twice, ints, signed zeros, halves and NaN."""
    import math
    import random

    from dhrplans.extract.layout import _Rounded

    rng = random.Random(3)
    values = [rng.uniform(-900, 900) for _ in range(300)] + [0.0, -0.0, 0, 1, 2, 1.0, 2.0]
    values += [0.05, 0.15, 0.25, 2.675, 1.005, -0.05, 1e-12, -1e-12, float("nan")]
    for ndigits in (1, 2, 3):
        cache = _Rounded(ndigits)
        for v in values + values[::-1]:
            want = round(v, ndigits)
            got = cache.of(v)
            assert type(got) is type(want)
            assert (math.isnan(got) and math.isnan(want)) or (
                got == want and math.copysign(1, got) == math.copysign(1, want)
            ), (v, ndigits)


def test_a_word_overprinting_its_neighbours_parts_no_phrase() -> None:
    # "Complete (✓/✗)": the ticks, in another font, are one word printed over "/" and
    # ")"; measured from "/" alone, the gap before ")" reads as a gutter. Measured from
    # the furthest right a word before reached, the label is one phrase.
    from dhrplans.extract.layout import PageLine, split_phrases

    def w(text: str, x0: float, x1: float) -> dict:
        return {"text": text, "x0": x0, "x1": x1, "top": 100.0, "bottom": 110.0, "size": 10.0}

    words = [
        w("Complete", 51.1, 96.6),
        w("(", 99.4, 102.7),
        w("✓✗", 102.7, 122.3),
        w("/", 111.1, 113.8),
        w(")", 122.2, 125.6),
        w("Done", 227.3, 251.2),
    ]
    line = PageLine(sorted(words, key=lambda x: x["x0"]))
    phrases = split_phrases(line, 4.5)
    assert [[x["text"] for x in p] for p in phrases] == [
        ["Complete", "(", "✓✗", "/", ")"],
        ["Done"],
    ]


def test_contents_page_heading_is_not_the_title() -> None:
    from dhrplans.extract.document import _title

    class NoMetadata:
        metadata: dict = {}

    lines = group_lines(
        [
            *phrase("Some DHR Action Plan", 50.0, 50.0, size=14.0, bold=True),
            *phrase("Contents", 50.0, 80.0, size=14.0, bold=True),
            *phrase("1. Introduction", 50.0, 110.0),
            word("1", 500.0, 110.0),
            *phrase("2. Kent Police", 50.0, 130.0),
            word("2", 500.0, 130.0),
            *phrase("Introduction", 50.0, 160.0, size=12.0, bold=True),
        ]
    )
    assert is_contents_entry(lines[2], 2.0)
    assert not is_contents_entry(lines[0], 2.0)
    assert _title(NoMetadata(), lines) == "Some DHR Action Plan"
    # a title of two lines in its largest type, with no contents under it, stays whole
    two = group_lines(
        [
            *phrase("Domestic Homicide Review", 50.0, 50.0, size=14.0),
            *phrase("Action Plan", 50.0, 70.0, size=14.0),
            *phrase("The actions agreed follow.", 50.0, 100.0),
        ]
    )
    assert _title(NoMetadata(), two) == "Domestic Homicide Review Action Plan"


def test_title_does_not_run_on_into_the_line_heading_the_first_table() -> None:
    # The plan's title in the body's bold type, then the first section's name bold and
    # 2 pt larger, set directly over its table: the largest type on the page is the
    # section's heading, which heads the table; the title block stops before it.
    from dhrplans.extract.document import _table_heading_lines, _title_before, _title_block
    from unit_fixtures.build import table

    from dhrplans.settings import DEFAULT_SETTINGS

    layout = DEFAULT_SETTINGS.layout
    lines = group_lines(
        [
            *phrase("Some Partnership DHR Action Plan", 50.0, 50.0, size=10.0, bold=True),
            *phrase("The actions agreed by each agency follow.", 50.0, 70.0, size=10.0),
            *phrase("Northshire Police Action Plan", 50.0, 100.0, size=12.0, bold=True),
            *phrase("Ref Action Lead", 50.0, 130.0, size=10.0),
        ]
    )
    first = table([["Ref", "Action", "Lead"], ["1", "Train staff", "Police"]], top=128.0)
    block = _title_block(lines, layout)
    assert {text for _, text in block} == {"Northshire Police Action Plan"}
    heads = _table_heading_lines(lines, [first], layout)
    assert [ln.text for ln in lines if id(ln) in heads] == ["Northshire Police Action Plan"]
    assert _title_before(block, heads, lines) == set()
    # the page's opening line directly over its table is the title (nothing above it)
    assert _title_before(block, heads, lines[2:]) == block
    # a block with no line heading a table is kept whole
    assert _title_before(block, set(), lines) == block

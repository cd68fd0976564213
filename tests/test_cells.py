"""normalise.cells: joining a cell's printed lines and gluing cells broken by a page."""

from __future__ import annotations

import pytest
from dhrplans.extract.model import TextLine
from dhrplans.normalise.cells import broke_mid_word, fold_ws, glue, join_lines, vocabulary
from unit_fixtures.build import line

# Lines start at x=100 with 5pt characters: a line of n characters ends at 100 + 5n.
X0 = 100.0


def lines(*texts: str) -> list:
    return [line(t, X0, top=12.0 * i) for i, t in enumerate(texts)]


def edge(chars: float) -> float:
    """The text edge of a column `chars` characters wide."""
    return X0 + 5.0 * chars


# --- fold_ws ---------------------------------------------------------------------------------


def test_fold_ws() -> None:
    assert fold_ws("  a \n b\t\tc  ") == "a b c"
    assert fold_ws(None) == ""
    assert fold_ws("") == ""


# --- join_lines ------------------------------------------------------------------------------


def test_join_lines_empty() -> None:
    assert join_lines([]) == ""


def test_ordinary_wrap_gets_a_space() -> None:
    assert join_lines(lines("Review the policy", "and procedures"), edge(20)) == (
        "Review the policy and procedures"
    )


def test_broken_word_alone_on_its_line_is_mended() -> None:
    # As printed in a narrow status column: "Action" / "complet" / "ed"; "complet"
    # fills the column, "Action" does not.
    assert join_lines(lines("Action", "complet", "ed"), edge(7.3)) == "Action completed"


def test_broken_word_is_mended_by_words_even_in_a_wide_column() -> None:
    # "complet" + "ed" rebuilds a known word from a fragment: a break whatever the geometry.
    assert join_lines(lines("Action", "complet", "ed"), edge(40)) == "Action completed"


@pytest.mark.parametrize("mark", ["'", "\u2019"])
def test_possessive_wrapped_at_its_apostrophe_joins_its_word(mark) -> None:
    # A narrow column wraps "perpetrator's" before its apostrophe: "'s" opens the next
    # line, printed with no space before it, as "," or ")" would be
    got = join_lines(lines("before a", "perpetrator", f"{mark}s release"), edge(11))
    assert got == f"before a perpetrator{mark}s release"
    assert glue("the perpetrator", f"{mark}s release") == f"the perpetrator{mark}s release"


def test_a_quoted_word_opening_a_line_keeps_its_space() -> None:
    assert join_lines(lines("a", "'safe' space"), edge(11)) == "a 'safe' space"
    assert glue("a", "'safe' space") == "a 'safe' space"


def test_two_known_words_stay_two_words_even_when_the_column_is_full() -> None:
    text = "appointments"
    assert join_lines(lines(text, "kept"), edge(len(text))) == "appointments kept"


def test_known_word_filling_a_tight_column_is_not_glued_to_a_fragment() -> None:
    # A 7-character column: "Action" leaves one character free, "completed" breaks.
    assert join_lines(lines("Action", "complet", "ed"), edge(7)) == "Action completed"


def test_hyphenated_compound_is_joined_without_a_space() -> None:
    assert join_lines(lines("a multi-", "agency meeting"), edge(30)) == "a multi-agency meeting"


def test_lone_dash_is_not_a_compound() -> None:
    assert join_lines(lines("Housing -", "Homeless team"), edge(30)) == "Housing - Homeless team"


def test_ref_broken_by_a_narrow_column_is_mended() -> None:
    assert join_lines(lines("3.", "1"), edge(2)) == "3.1"


def test_ref_in_a_wide_column_is_not_mended() -> None:
    assert join_lines(lines("3.", "1"), edge(10)) == "3. 1"


def test_unknown_fragment_is_mended_only_when_it_fills_the_column() -> None:
    assert join_lines(lines("Xyzqw", "abc"), edge(5)) == "Xyzqwabc"
    assert join_lines(lines("Xyzqw", "abc"), edge(20)) == "Xyzqw abc"


def test_documents_own_words_decide_a_break() -> None:
    assert join_lines(lines("Frobn", "izzle"), edge(20)) == "Frobn izzle"
    assert join_lines(lines("Frobn", "izzle"), edge(20), frozenset({"frobnizzle"})) == (
        "Frobnizzle"
    )


def test_next_line_starting_upper_case_is_a_wrap() -> None:
    assert join_lines(lines("Birmingham", "City Council"), edge(10)) == "Birmingham City Council"


def test_right_edge_defaults_to_the_longest_line() -> None:
    # The longest line is taken as full: its fragment continues on the next line.
    assert join_lines(lines("Frobn", "izz")) == "Frobnizz"


def test_broke_mid_word_blank_lines() -> None:
    assert not broke_mid_word(line("", X0), line("ed", X0), edge(5))
    assert not broke_mid_word(line("Action", X0), line(" ", X0), edge(5))


# --- vocabulary ------------------------------------------------------------------------------


def test_vocabulary_leaves_out_possible_fragments() -> None:
    cells = [lines("single", "tail words here", "a multi-agency line")]
    assert vocabulary(cells) == frozenset(
        {"words", "here", "a", "multi-agency", "line"}
    )  # "single" (alone on its line) and "tail" (first word after it) are left out


# --- glue (page-broken cells) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("2.", "5", "2.5"),
        ("01/12/2", "013", "01/12/2013"),
        ("the Pre-", "Tenancy team", "the Pre-Tenancy team"),
        ("staff in the", "Homeless service", "staff in the Homeless service"),
        ("Action complet", "ed", "Action completed"),
        ("appointments", "kept", "appointments kept"),
        ("in the", "review", "in the review"),
        ("", "after", "after"),
        ("before  ", "", "before"),
        # a progress log's dated entry after a sentence the page ended: two entries
        (
            "the evaluation was positive.",
            "13/06/2022: next step",
            "the evaluation was positive. 13/06/2022: next step",
        ),
    ],
)
def test_glue(before: str, after: str, expected: str) -> None:
    assert glue(before, after) == expected


def test_quarter_code_filling_its_line_is_followed_by_a_new_word() -> None:
    # "End of" / "Q3" / "2021/22" in a narrow date column: "Q3" is whole (a letter and its
    # number), so the year is a new word; a bare number broken by the column is mended.
    assert join_lines(lines("End of", "Q3", "2021/22"), edge(2.2)) == "End of Q3 2021/22"
    assert join_lines(lines("201", "4"), edge(3.2)) == "2014"


def test_word_in_capitals_broken_by_a_narrow_column_is_mended() -> None:
    assert join_lines(lines("COMPLE", "TE"), edge(6.2)) == "COMPLETE"
    assert join_lines(lines("NOT", "STARTED"), edge(3.2)) == "NOT STARTED"


def test_a_symbol_font_bullet_reads_as_the_bullet_shown() -> None:
    # Word writes a bullet list's round bullet in the Symbol font; its PDF carries it as a
    # private-use code point (U+F0B7), its DOCX as "•": both read as "•".
    printed = [
        TextLine("\uf0b7 Issue a briefing", 10.0, 120.0, 0.0, 10.0, 5.0),
        TextLine("\uf0a7 Audit files", 10.0, 90.0, 12.0, 22.0, 5.0),
    ]
    assert join_lines(printed, 200.0) == "• Issue a briefing ▪ Audit files"


def test_word_broken_letter_by_letter_with_its_first_break_found_is_whole() -> None:
    # "R" / "e" / "f" in a column one letter wide: the first break is found alone (the
    # head fills the column), the second is not ("e" and "f" read as words); the three
    # together make a known word, so both are breaks.
    assert join_lines(lines("R", "e", "f"), edge(1)) == "Ref"
    assert join_lines(lines("Mana", "geme", "nt"), edge(4)) == "Management"


def test_a_sentence_ending_a_line_is_no_broken_number() -> None:
    # "completed." fills a narrow column and the next line opens with a number: the full
    # stop ends a sentence (no digit before it), not the head of a number "3." / "1".
    assert join_lines(lines("completed.", "19 staff"), edge(10.2)) == "completed. 19 staff"
    assert join_lines(lines("3.", "1"), edge(2.2)) == "3.1"


def test_vocabulary_keeps_a_lone_word_its_punctuation_or_the_cell_ends() -> None:
    # A word alone on its line is whole when punctuation follows it (on its line or
    # opening the next): no word breaks before its punctuation.
    cells = [
        lines("upgrade the", "programme", "."),
        lines("first cohort", "booked;", "next"),
        lines("for the", "review"),
        lines("Action complet", "ed."),
    ]
    words = vocabulary(cells)
    assert {"programme", "booked"} <= words
    assert "next" not in words  # the first word after a lone one may be its tail
    assert "review" not in words  # nothing says it is whole
    assert "ed" not in words  # it finishes "complet" into a word: a tail


def test_a_whole_word_the_document_prints_is_not_joined_to_the_next() -> None:
    # "programme" fills a narrow column and is unknown to the (American) word list; the
    # document prints it whole elsewhere (before a full stop): the next line's "for" is a
    # new word, not its rest.
    words = vocabulary([lines("upgrade the", "programme", ".")])
    column = edge(len("programme"))
    assert join_lines(lines("the induction", "programme", "for new"), column, words) == (
        "the induction programme for new"
    )

"""Form plans without a grid: blocks of `label   value` lines, one block per action.

Some templates print each action as a small two-column form (`Owner | KCC`, `Action
required | ...`), and when the form has no vertical rules (or none at all) no grid
finder sees it. The lines of such a block share two left edges: the labels' (each a
known column label, schemas/header_synonyms.csv) and the values'. A value wrapped over
lines continues at the values' edge; a label wrapped over lines continues at the
labels' edge. A block ends where a label repeats (the next action's form starts), at a
line that fits neither edge (a heading, a paragraph), or after a blank line. Each block
becomes a two-column `RawTable`; normalise reads it as a form (normalise/forms.py).

Forms ruled only horizontally (a rule between rows, none between columns) say more: the
lines between two rules are one row, whatever their case or vocabulary (a label wrapped
onto "Outcome" or "organisation"), and a form starts just under a rule, so the last line
of a heading wrapped above it is not a row. A page break can cut a form anywhere: the
first lines of the next page that sit at the form's label and value edges (carried from
the last page) are the rest of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from dhrplans.extract.headers import NAMED_RECOMMENDATION, header_terms, is_header_phrase
from dhrplans.extract.layout import (
    PageLine,
    Word,
    is_bold,
    next_word_fits,
    split_phrases,
    text_lines,
    union_bbox,
)
from dhrplans.extract.model import RawCell, RawRow, RawTable
from dhrplans.extract.provenance import ALIGNED
from dhrplans.schemas import fold_label

from dhrplans.settings import DEFAULT_SETTINGS, Settings


def _label_value(
    line: PageLine,
    gutter: float,
    settings: Settings,
    edges: tuple[float | None, float | None] = (None, None),
    below: PageLine | None = None,
):
    """(label words, value words) when the line opens with a known label (whole, or
    wrapped onto the line `below`: in lower case, "Responsible" / "organisation", after
    a joining mark or word, "Cam Gweithredu /" / "Actions to be taken", or onto a capital
    where the words either side make a known label, "Cam" / "Gweithredu /"), or,
    inside a form whose label and value `edges` are known, with phrases at both edges (a
    label the vocabulary does not know)."""
    phrases = split_phrases(line, gutter)
    label = phrases[0]
    value = [w for p in phrases[1:] for w in p]
    printed = " ".join(w["text"] for w in label)
    if is_header_phrase(printed, settings.headers):
        return label, value
    if below is not None:
        rest = split_phrases(below, gutter)[0]
        slack = settings.layout.column_cluster
        if (
            abs(rest[0]["x0"] - label[0]["x0"]) <= slack
            and (rest[0]["text"][:1].islower() or _unfinished(label))
            and is_header_phrase(f"{printed} {' '.join(w['text'] for w in rest)}", settings.headers)
        ):
            return label, value
        # or wrapped onto a capital ("Cam" / "Gweithredu /": a label in a narrow column),
        # the words either side of the break a known label word for word
        if abs(rest[0]["x0"] - label[0]["x0"]) <= slack and _joins_a_label(label, rest):
            return label, value
    label_x, value_x = edges
    slack = settings.layout.column_cluster
    if (
        label_x is not None
        and len(phrases) == 1
        and abs(label[0]["x0"] - label_x) <= slack
        and label[0]["text"][:1].isupper()
        # a label stays in its column: a line running past the values' edge is a line
        # across the form (a recommendation over the next forms)
        and (value_x is None or label[-1]["x1"] < value_x)
    ):
        return label, []  # a label the vocabulary does not know, its value left blank
    if (
        label_x is not None
        and value_x is not None
        and len(phrases) >= 2
        and abs(label[0]["x0"] - label_x) <= slack
        and abs(phrases[1][0]["x0"] - value_x) <= slack
    ):
        return label, value
    return None


#: Words a label line cannot end on: it goes on below ("Lead Officer and" / "Agency").
JOINING_WORDS = frozenset({"and", "or", "of", "for", "to", "the", "by", "in", "with"})


def _unfinished(label: list[Word]) -> bool:
    """A label line ending in a joining mark or word goes on below ("Lead Officer and")."""
    last = label[-1]["text"]
    return last[-1:] in "/&-,(" or last.lower() in JOINING_WORDS


def _wraps(
    label: list[Word],
    nxt: list[Word],
    settings: Settings,
    column_right: float | None = None,
    beside: bool = True,
) -> bool:
    """`nxt` is the next line of `label` ("How will the" / "recommendation be
    implemented?"): labels start with a capital, the lines a label wraps onto do not; and
    a label line ending in a joining mark or word ("Recommendation/" / "Action", "Lead
    Officer and" / "Agency") is unfinished, unless it is a label whole ("Monitored by"),
    or ends one: a label in two languages ends with its second half whole ("Monitro /
    Monitored by"). A line opening with a joining mark ("Dyddiad Cwblhau" / "/ Date
    completed") goes on from the line above: no label starts with one. A label line the
    column's width cut (`_cut_by_column`) goes on below as well, but a label whole goes on
    only onto a line printing no value of its own `beside` it (a value there is the next
    row's: "Action | Train staff" over "Owner | Kent Police"). Nor does a label open with
    a bracket: a line under a label opening with one ("Scope" / "(local/national)") is its
    rest, as at the top of a page (`_rest_of_form`)."""
    if nxt[0]["text"][:1].islower() or nxt[0]["text"][:1] == "(":
        return True
    if not label:
        return False  # the rest of a value the page broke: no label to go on
    if nxt[0]["text"][:1] in JOINING_MARKS:
        return True
    terms = header_terms()
    whole = fold_label(" ".join(w["text"] for w in label)) in terms  # "Monitored by"
    whole = whole or fold_label(_last_half(label)) in terms
    if not whole and _unfinished(label):
        return True
    if whole and beside:
        return False
    return _cut_by_column(label, nxt, settings, column_right)


#: Marks that join two parts of a label ("Statws / Status", "Date & outcome"): a label
#: line never opens with one.
JOINING_MARKS = "/&"


def _last_half(label: list[Word]) -> str:
    """The label's words after its last "/" (a label in two languages, "Cyf / Ref", ends
    with its second half); all of them when it has none; "" when it ends with one."""
    texts = [w["text"] for w in label]
    cut = max((k + 1 for k, t in enumerate(texts) if t == "/"), default=0)
    return " ".join(texts[cut:])


def _cut_by_column(
    label: list[Word], nxt: list[Word], settings: Settings, column_right: float | None
) -> bool:
    """A label line wrapped by the width of its column, its next line opening with a
    capital ("Cam" / "Gweithredu /" / "Actions", "Dyddiad" / "Targed /" / "Target": a
    label of two languages, or of long words, in a narrow label column). The next line
    starts under the label's left edge; its first word would not have fit after the
    label's last word before `column_right` (how far the label column's text reaches,
    `_label_right`); and the words either side of the break, from the label's last "/"
    to the next line's first, are one known label word for word ("Cam Gweithredu"),
    though those above it are not one whole (the caller's test: "Measure of success"
    ends a label, and the next label's first word would not have fit after it either)."""
    first = nxt[0] if nxt else None
    slack = settings.layout.column_cluster
    if column_right is None or first is None or abs(first["x0"] - label[0]["x0"]) > slack:
        return False  # a label's lines start at its own left edge
    size = first.get("size") or first["bottom"] - first["top"]
    if next_word_fits(label[-1]["x1"], column_right, first, size, settings.layout):
        return False
    return _joins_a_label(label, nxt)


def _joins_a_label(label: list[Word], nxt: list[Word]) -> bool:
    """The words either side of a label's line break, from the label's last "/" to the
    next line's first, are one known label word for word ("Cam" / "Gweithredu /")."""
    above = _last_half(label)
    below = []
    for w in nxt:
        if w["text"] == "/":
            break
        below.append(w["text"])
    return bool(above) and _known_label(fold_label(f"{above} {' '.join(below)}"))


def _known_label(folded: str) -> bool:
    """A known label (folded), or two known labels joined by "/" ("Lead Officer/Agency",
    as a header prints a column holding two fields): each part one of the vocabulary's."""
    terms = header_terms()
    if folded in terms:
        return True
    parts = [p.strip() for p in folded.split("/")]
    return len(parts) == 2 and all(p in terms for p in parts)


def _label_right(
    block: Sequence[tuple[list[Word], list[Word]]],
    row: tuple[list[Word], list[Word]],
    value_x: float | None,
    slack: float,
) -> float | None:
    """How far the text of a form row's label column reaches: no further than where its
    values start (the form's value edge, or for a second pair's label, set right of that
    edge, its own value's), and, as Word wraps a cell's lines inside its margins, no
    further than the widest label line of that column in the form so far (the column's
    text has reached there). None when neither is known."""
    label, value = row
    edge = value_x
    if value_x is not None and label and label[0]["x0"] > value_x:
        edge = value[0]["x0"] if value else None
    if not label:
        return edge
    ends = [
        w["x1"]
        for lab, _ in block
        if lab and abs(lab[0]["x0"] - label[0]["x0"]) <= slack
        for w in lab
    ]
    reach = [max(ends)] if ends else []
    return min([*reach, *([edge] if edge is not None else [])], default=None)


#: Where a form's labels and values start: (label edge, value edge).
FormEdges = tuple[float, float]


def _wrapped_onto(above: PageLine, line: PageLine, right: float, settings: Settings) -> bool:
    """`line` is the rest of the paragraph `above`, wrapped by Word: it starts under it, no
    blank line between, and its first word would not have fit at the end of `above`
    before the text's right edge `right`."""
    layout = settings.layout
    return (
        abs(line.x0 - above.x0) <= layout.column_cluster
        and line.top - above.bottom <= layout.form_gap_lines * (line.bottom - line.top)
        and not next_word_fits(above.x1, right, line.words[0], line.size, layout)
    )


def _rule_between(
    upper: PageLine, lower: PageLine, rules: Sequence[tuple[float, float, float]], slack: float
) -> bool:
    """A drawn horizontal rule runs between the two lines, under both their left edges."""
    left = min(upper.x0, lower.x0)
    right = max(upper.x0, lower.x0)
    return any(
        upper.bottom - 1 <= y <= lower.top + 1 and x0 - slack <= left and x1 >= right
        for y, x0, x1 in rules
    )


def _framed_row(
    label: list[Word],
    line: PageLine,
    value_x: float | None,
    gutter: float,
    settings: Settings,
    slack: float,
) -> bool:
    """A line under a finished row of a form whose rules frame it (a style ruling only
    above and below a table, or under its first row) rather than part its rows: the row
    above has a known label whole, the line opens with another known label at the label
    edge and its value at the values' edge, and it is no line the label above wraps
    onto (`_wraps`: a label whole goes on onto no line with a value of its own)."""
    found = _label_value(line, gutter, settings)
    if found is None or not found[1] or value_x is None:
        return False
    return (
        _known_label(fold_label(" ".join(w["text"] for w in label)))
        and abs(found[1][0]["x0"] - value_x) <= slack
        and not _wraps(label, found[0], settings)
    )


def _rule_above(line: PageLine, rules: Sequence[tuple[float, float, float]], slack: float) -> bool:
    """A drawn rule runs just above the line (within its height), under its left edge."""
    height = line.bottom - line.top
    return any(
        line.top - 1.5 * height <= y <= line.top + 1 and x0 - slack <= line.x0 <= x1
        for y, x0, x1 in rules
    )


def _rest_of_form(line: PageLine, gutter: float, edges: FormEdges, slack: float):
    """(label words, value words) of a page's first line when it carries on a form the
    last page broke: its phrases sit at the form's edges, and a phrase at the label edge
    is the rest of a wrapped label, which starts in lower case or with a bracket (a new
    label would start with a capital)."""
    label_x, value_x = edges
    phrases = split_phrases(line, gutter)
    first = phrases[0]
    if abs(first[0]["x0"] - value_x) <= slack:
        return [], [w for p in phrases for w in p]
    if abs(first[0]["x0"] - label_x) > slack or first[-1]["x1"] > value_x:
        return None
    rest = phrases[1:]
    if first[0]["text"][:1].isupper() or (rest and abs(rest[0][0]["x0"] - value_x) > slack):
        return None
    return first, [w for p in rest for w in p]


def form_tables(
    lines: Sequence[PageLine],
    page_number: int,
    gutter: float,
    settings: Settings = DEFAULT_SETTINGS,
    hrules: Sequence[tuple[float, float, float]] = (),
    carry: FormEdges | None = None,
    page_bottom: float | None = None,
    body: float | None = None,
    scan: bool = False,
) -> tuple[list[RawTable], list[int], FormEdges | None]:
    """The page's text-aligned forms, the indexes of the lines they used, and the edges
    of the form the page ends in (to `carry` to the next page, whose first line is
    `lines[0]` only when the caller passes one). `page_bottom`: where the page's last
    line of text ends (a form cut there may be short); `body`: the plan's body type size;
    `scan`: the page was read by OCR, its words' weight a guess (`_second_pair`)."""
    slack = settings.layout.column_cluster
    columns = _pair_columns(lines, gutter, settings) if scan else []
    rules = [r for r in hrules if r[2] - r[1] >= settings.layout.form_rule_min_width]
    right = max((ln.x1 for ln in lines), default=0.0)  # the text's right edge
    tables: list[RawTable] = []
    used: list[int] = []
    block: list[tuple[list[Word], list[Word]]] = []  # rows: (label words, value words)
    block_lines: list[int] = []
    label_x = value_x = None
    ruled = False  # the block's rows are parted by drawn rules
    known = 0  # rows whose label the vocabulary knows
    # the block opened where the form above it printed a label again, no gap between:
    # the next form of a run of forms, whole or not (the last, its rest above a heading)
    run_on = False
    ends: FormEdges | None = None
    # the row of a line's second label | value pair, and where its label starts
    paired: tuple[tuple[list[Word], list[Word]], float] | None = None

    def close() -> None:
        nonlocal block, block_lines, label_x, value_x, ruled, known, ends, run_on
        # a label wrapped over lines ("What needs to" / "happen?") is known by its whole
        # text, once its rows are read: counted when it opened, its first line alone may not
        whole = sum(
            is_header_phrase(" ".join(w["text"] for w in label), settings.headers)
            for label, _ in block
            if label
        )
        known = max(known, whole)
        # At the top of a page that opens in a form (the last page ended in one) a shorter
        # block is the rest of it; at its foot, the start of one (two known labels, or one
        # under forms of its own).
        at_foot = (
            bool(block_lines)
            and page_bottom is not None
            and lines[block_lines[-1]].bottom >= page_bottom - 1
            and (known >= 2 or (known >= 1 and bool(tables)))
        )
        # the page opens in a form: the last page ended in one, or a short block in the
        # plan's body type (a heading naming a label is set larger)
        rest = block_lines[:1] == [0] and (
            carry is not None
            or body is None
            or max(lines[k].size for k in block_lines) <= body + settings.layout.heading_size_step
        )
        enough = len(block) >= settings.headers.min_labels or rest or at_foot or run_on
        if (
            block
            and value_x is None
            and ends is not None
            and label_x is not None
            and abs(label_x - ends[0]) <= slack
        ):
            # no value printed yet (a form cut by the page after a blank value): the
            # value edge of the form above it, whose label edge it shares
            value_x = ends[1]
        if block and enough and value_x is not None and (known or rest):
            tables.append(_table(block, page_number, label_x, value_x))
            used.extend(block_lines)
            ends = (label_x, value_x)
        block, block_lines, label_x, value_x, ruled, known = [], [], None, None, False, 0
        run_on = False

    def _opens_a_row(line: PageLine, at: float | None) -> bool:
        found = _label_value(line, gutter, settings)
        return (
            found is not None
            and bool(found[1])
            and at is not None
            and abs(found[0][0]["x0"] - at) <= slack
            and is_header_phrase(" ".join(w["text"] for w in found[0]), settings.headers)
        )

    for i, line in enumerate(lines):
        parted = False  # a drawn rule runs between the block's last line and this one
        if block_lines:
            last = lines[block_lines[-1]]
            if line.top - last.bottom > settings.layout.form_gap_lines * (last.bottom - last.top):
                close()  # a blank line between two forms
        if block_lines:
            last = lines[block_lines[-1]]
            parted = _rule_between(last, line, rules, slack)
            if (
                ruled
                and not parted
                and block[-1][0]
                and not _unfinished(block[-1][0])
                and _opens_a_row(line, label_x)
                and (scan or _framed_row(block[-1][0], line, value_x, gutter, settings, slack))
            ):
                # On a scan the rules are read from the image, where the edge of a filled
                # area (a shaded banner over the form, a shaded label cell) reads as a
                # rule, and a rule between two rows can be lost to the threshold: a line
                # opening with a known label whole and its value, at the label edge,
                # under a finished label, is the next row whatever the rules say.
                ruled = False
            if ruled and not parted:
                # the same row of a ruled form: a wrapped label and value
                phrases = split_phrases(line, gutter)
                # under a line of two pairs, words right of the second pair's label edge
                # are its own (its label's or, from its value's edge, its value's)
                second = paired is not None and paired[0] is block[-1] and len(block) > 1
                # the form's first value, wrapped under: a phrase left of a second pair's
                # label (a first pair's value left blank, "Target | | Named lead | X",
                # its line under holds the second pair's value, not the values' edge)
                starts = [
                    p[0]["x0"] for p in phrases if not second or p[0]["x0"] < paired[1] - slack
                ]
                if value_x is None and starts and abs(starts[0] - label_x) > slack:
                    value_x = starts[0]
                elif value_x is None and len(starts) > 1:
                    value_x = starts[1]
                for word in line.words:
                    row, edge = block[-1], value_x
                    if second and word["x0"] < paired[1] - slack:
                        row = block[-2]
                    elif second:
                        edge = row[1][0]["x0"] if row[1] else float("inf")
                    side = 0 if edge is None or word["x0"] < edge - slack else 1
                    row[side].append(word)
                block_lines.append(i)
                continue
            ruled = ruled or parted
        elif (
            i > 0
            and rules
            and not _rule_between(lines[i - 1], line, rules, slack)
            and line.top - lines[i - 1].bottom
            <= settings.layout.form_gap_lines * (line.bottom - line.top)
            and len(split_phrases(line, gutter)) == 1
            and any(
                line.bottom - 1 <= y <= line.bottom + 2 * (line.bottom - line.top)
                for y, *_ in rules
            )
        ):
            continue  # the last line of a paragraph (a wrapped heading) above a ruled form
        if i == 0 and carry is not None and not block:
            rest = _rest_of_form(line, gutter, carry, slack)
            if rest is None:
                # a label the vocabulary does not know whole ("Target date for" wrapped
                # onto "completion"), with its value, at the carried edges
                rest = _label_value(line, gutter, settings, carry)
                rest = rest if rest is not None and rest[1] else None
            if rest is not None:
                label_x, value_x = carry
                second = (
                    _second_pair(rest[0], rest[1], gutter, settings, columns) if rest[0] else None
                )
                # the first pair's value (blank where the line's next words are a second
                # pair's label: "Target date | | Owner | Kent Police")
                first_value = second[0] if second is not None else rest[1]
                if rest[0] and first_value:
                    # a label and its value: this page's form keeps its own value edge (forms
                    # of one plan may set it apart from the last page's)
                    value_x = first_value[0]["x0"]
                if second is not None:
                    # two pairs on the line, as further down ("Target | date | Owner | X")
                    block.append((list(rest[0]), list(second[0])))
                    block.append((list(second[1]), list(second[2])))
                    paired = (block[-1], second[1][0]["x0"])
                else:
                    block.append((list(rest[0]), list(rest[1])))
                block_lines.append(i)
                ruled = bool(rules)
                continue
        # where the second pair's label starts, when the last form line held two pairs: the
        # lines under it go on under their own pair
        pair_x = paired[1] if block and paired is not None and paired[0] is block[-1] else None
        if (
            block
            and value_x is not None
            and abs(line.x0 - value_x) <= slack
            and abs(line.x0 - label_x) > slack
        ):
            # a value wrapped over lines, even where its words could be a label ("... is up
            # to" / "date"): labels start at the label edge
            if pair_x is not None:
                _by_pair(line.words, pair_x - slack, block[-2][1], block[-1], slack, gutter)
            else:
                block[-1][1].extend(line.words)
            block_lines.append(i)
            continue
        if (
            pair_x is not None
            and line.x0 > pair_x + slack
            and block[-1][1]
            and abs(line.x0 - block[-1][1][0]["x0"]) <= slack
        ):
            block[-1][1].extend(line.words)  # the second pair's value wrapped alone
            block_lines.append(i)
            continue
        if (
            pair_x is not None
            and abs(line.x0 - pair_x) <= slack
            and _wraps(
                block[-1][0],
                split_phrases(line, gutter)[0],
                settings,
                _label_right(block, block[-1], value_x, slack),
                len(split_phrases(line, gutter)) > 1,
            )
        ):
            # the second pair's label wrapped alone ("Target date for" / "completion"),
            # the rest of its value beside it
            parts = split_phrases(line, gutter)
            block[-1][0].extend(parts[0])
            block[-1][1].extend(w for p in parts[1:] for w in p)
            block_lines.append(i)
            continue
        below = lines[i + 1] if i + 1 < len(lines) else None
        found = _label_value(line, gutter, settings, (label_x, value_x), below)
        step = settings.layout.header_size_step
        if (
            found is not None
            and block
            and all(lines[k].size - line.size > step for k in block_lines)
        ):
            # a heading in larger type over the form ("Recommendations", "Recommendation
            # 1: ..." wide enough to reach the value edge): no row of it, and its edges
            # are no form's. The line is read afresh, as a block's first: a line the
            # heading's edge alone made a label (a recommendation printed across the
            # form under a section heading) is none.
            block, block_lines, label_x, value_x, ruled, known = [], [], None, None, False, 0
            found = _label_value(line, gutter, settings, (None, None), below)
        # a rule between two lines parts two rows: no label wraps over it ("... completed
        # by" over "Done")
        wraps = found is not None and not parted
        if (
            wraps
            and pair_x is not None
            and _wraps(
                block[-2][0],
                found[0],
                settings,
                _label_right(block, block[-2], value_x, slack),
                any(w["x0"] < pair_x - slack for w in found[1]),
            )
        ):
            block[-2][0].extend(found[0])  # the first pair's label wrapped, values beside it
            _by_pair(found[1], pair_x - slack, block[-2][1], block[-1], slack, gutter)
            block_lines.append(i)
            continue
        if (
            wraps
            and block
            and _wraps(
                block[-1][0],
                found[0],
                settings,
                _label_right(block, block[-1], value_x, slack),
                bool(found[1]),
            )
        ):
            block[-1][0].extend(found[0])  # a label wrapped over lines, its value beside it
            block[-1][1].extend(found[1])
            block_lines.append(i)
            continue
        if (
            found is not None
            and not found[1]
            and not block
            and i > 0
            and i - 1 not in used
            and _wrapped_onto(lines[i - 1], line, right, settings)
        ):
            # a line Word wrapped onto ("... with the Home" / "Office."): the rest of the
            # paragraph above (a recommendation across the forms), whatever its first word
            found = None
        if found is not None and found[0][0]["text"][:1].islower():
            # labels start with a capital (the lines a label wraps onto do not, and were
            # taken above): a line opening in lower case is the rest of a paragraph (a
            # recommendation across the form), whatever its words' fuzzy likeness to a label
            found = None
        if found is not None:
            label, value = found
            text = " ".join(w["text"] for w in label).lower()
            at_edge = label_x is None or abs(label[0]["x0"] - label_x) <= slack
            # a label printed again opens the next form; one the line leaves unfinished
            # ("Cam Gweithredu /", wrapped onto the next line) by its first words
            cut = _unfinished(label)
            # a label is known by its whole text: wrapped onto the line below, in lower case
            # at its left edge with no rule between ("Outcome" / "measure"), it is no
            # repeat of a shorter label printed before ("Outcome")
            text = _whole_label(label, below, gutter, rules, slack) or text
            repeats = any(
                (printed := " ".join(w["text"] for w in r[0]).lower()) == text
                or (cut and printed.startswith(text + " "))
                for r in block
            )
            if not at_edge or repeats:
                formed = len(tables)
                close()
                run_on = repeats and at_edge and len(tables) > formed
            if label_x is None:
                label_x = label[0]["x0"]
                ruled = _rule_above(line, rules, slack)
            second = _second_pair(label, value, gutter, settings, columns)
            # the first value's edge (none when the first pair's value is blank)
            first_value = second[0] if second is not None else value
            if first_value and value_x is None:
                value_x = first_value[0]["x0"]
            if first_value and abs(first_value[0]["x0"] - value_x) > slack:
                close()
                continue
            if second is not None:
                # two label | value pairs side by side ("Timescale | Ongoing | RAG | Amber")
                value, label2, value2 = second
                block.append((list(label), list(value)))
                block.append((list(label2), list(value2)))
                paired = (block[-1], label2[0]["x0"])
                known += 1
            else:
                block.append((list(label), list(value)))
            block_lines.append(i)
            known += is_header_phrase(" ".join(w["text"] for w in label), settings.headers)
            continue
        phrases = split_phrases(line, gutter)
        if (
            block
            and abs(line.x0 - label_x) <= slack
            and line.bold == is_bold(block[-1][0])
            # a label's lines stay in its column, above no rule: a line across the form
            # under a rule is a row of its own (a recommendation over the next forms)
            and not parted
            and (value_x is None or phrases[0][-1]["x1"] < value_x)
        ):
            if pair_x is not None:
                block[-2][0].extend(phrases[0])  # the first pair's label wrapped
                rest = [w for phrase in phrases[1:] for w in phrase]
                _by_pair(rest, pair_x - slack, block[-2][1], block[-1], slack, gutter)
            else:
                block[-1][0].extend(phrases[0])  # a label wrapped over lines
                for phrase in phrases[1:]:
                    block[-1][1].extend(phrase)
            block_lines.append(i)
            continue
        close()
    close()
    return tables, sorted(used), ends


def _whole_label(
    label: list[Word],
    below: PageLine | None,
    gutter: float,
    rules: Sequence[tuple[float, float, float]],
    slack: float,
) -> str | None:
    """The label's text (lower case) with the line below it when that line is its rest:
    its first phrase opens in lower case at the label's left edge, no rule between
    ("Outcome" / "measure"); else None."""
    if below is None:
        return None
    rest = split_phrases(below, gutter)[0]
    top = min(w["top"] for w in label)
    bottom = max(w["bottom"] for w in label)
    if (
        abs(rest[0]["x0"] - label[0]["x0"]) > slack
        or not rest[0]["text"][:1].islower()
        or any(bottom - 1 <= y <= below.top + 1 for y, *_ in rules)
        or below.top <= top
    ):
        return None
    return " ".join(w["text"] for w in [*label, *rest]).lower()


def _by_pair(
    words: Sequence[Word],
    edge: float,
    first: list[Word],
    second: tuple[list[Word], list[Word]],
    slack: float,
    gutter: float,
) -> None:
    """Words under two label | value pairs: left of `edge` to the first pair's value; the
    rest to the second pair's value, but for words left of that value's edge: its label
    wrapped ("Officer" / "responsible", beside the rest of its value). With no value of
    its own printed yet (a blank value, its label wrapped over lines: "Statws /" /
    "Progress" / "status"), a phrase starting at the label's left edge is its label's
    next line: a value starts right of its label's column, never at its edge."""
    first.extend(w for w in words if w["x0"] < edge)
    label, value = second
    rest = [w for w in words if w["x0"] >= edge]
    if not value and rest and label and abs(rest[0]["x0"] - label[0]["x0"]) <= slack:
        phrases = split_phrases(PageLine(rest), gutter)
        label.extend(phrases[0])
        rest = [w for p in phrases[1:] for w in p]
        if not rest:
            return
    value_x = value[0]["x0"] - slack if value else None
    for w in rest:
        (label if value_x is not None and w["x0"] < value_x else value).append(w)


def _second_pair(
    label: list[Word],
    value: list[Word],
    gutter: float,
    settings: Settings,
    columns: Sequence[float] = (),
) -> tuple[list[Word], list[Word], list[Word]] | None:
    """(first value, second label, second value) of a line holding two label | value pairs:
    a phrase after the first value reads as a known label and is set in the labels' type
    (bold where the values are not), else None. On a scanned page the type's weight is
    OCR's guess (`ocr.settle_words`: a label on a grey fill reads as regular, a line of
    values as bold): there a phrase after the first value that reads as a known label
    and starts at one of `columns` (`_pair_columns`) is the second label whatever its
    weight."""
    if columns and value and is_header_phrase(" ".join(w["text"] for w in label), settings.headers):
        phrases = split_phrases(PageLine(list(value)), gutter)
        slack = settings.layout.column_cluster
        for k in range(1, len(phrases)):
            if any(abs(phrases[k][0]["x0"] - x) <= slack for x in columns) and is_header_phrase(
                " ".join(w["text"] for w in phrases[k]), settings.headers
            ):
                first = [w for p in phrases[:k] for w in p]
                rest = [w for p in phrases[k + 1 :] for w in p]
                return first, list(phrases[k]), rest
    if not value or not is_bold(label):
        return None
    phrases = split_phrases(PageLine(list(value)), gutter)
    if (
        is_bold(phrases[0])
        and (len(phrases) == 1 or not is_bold(phrases[1]))
        and is_header_phrase(" ".join(w["text"] for w in phrases[0]), settings.headers)
    ):
        # the first pair's value left blank: the second label follows its label (its own
        # value perhaps blank too)
        return [], list(phrases[0]), [w for p in phrases[1:] for w in p]
    for k in range(1, len(phrases)):
        text = " ".join(w["text"] for w in phrases[k])
        if _unfinished(phrases[k]) and len(phrases[k]) > 1:
            text = " ".join(w["text"] for w in phrases[k][:-1])  # "Target date for" / ...
        if (
            is_bold(phrases[k])
            and not is_bold(phrases[0])
            and is_header_phrase(text, settings.headers)
        ):
            first = [w for p in phrases[:k] for w in p]
            rest = [w for p in phrases[k + 1 :] for w in p]
            return first, list(phrases[k]), rest
    return None


#: Lines of a page whose phrase reads as the same known label at the same place, after
#: a first label and value, for that place to be a column of second labels.
PAIR_COLUMN_LINES = 2


def _pair_columns(lines: Sequence[PageLine], gutter: float, settings: Settings) -> list[float]:
    """Where the second label of a line of two label | value pairs starts on a page: a
    form printed once per action repeats its layout, so the second pair's label ("Lead
    agency | Police | Timescale | March 2023") stands at the same place on the line of
    every action's form. A known label printed after a known label and a value, at the
    same place (`column_cluster`) with the same words on `PAIR_COLUMN_LINES` lines or
    more, starts such a column: read by position where the type's weight is a guess."""
    slack = settings.layout.column_cluster
    seen: list[tuple[str, float]] = []
    for line in lines:
        phrases = split_phrases(line, gutter)
        if len(phrases) < 3 or not is_header_phrase(
            " ".join(w["text"] for w in phrases[0]), settings.headers
        ):
            continue
        for phrase in phrases[2:]:
            text = " ".join(w["text"] for w in phrase)
            if is_header_phrase(text, settings.headers):
                seen.append((fold_label(text), phrase[0]["x0"]))
    columns: list[float] = []
    for text, x in seen:
        same = [x2 for t2, x2 in seen if t2 == text and abs(x2 - x) <= slack]
        if len(same) >= PAIR_COLUMN_LINES and all(abs(c - x) > slack for c in columns):
            columns.append(sorted(same)[len(same) // 2])
    return columns


def _table(
    rows: list[tuple[list[Word], list[Word]]], page_number: int, label_x: float, value_x: float
) -> RawTable:
    # the value column reaches past its edge, its values blank though they be
    right = max([value_x + 1.0] + [w["x1"] for label, value in rows for w in label + value])
    raw_rows = []
    for k, (label, value) in enumerate(rows):
        # a second pair's label stands right of the value edge: its cells where printed
        left, split = (label_x, value_x)
        if label and label[0]["x0"] > value_x:
            left = label[0]["x0"]
            split = value[0]["x0"] if value else max(w["x1"] for w in label) + 1
        # the first pair's value ends in the gutter before the second pair's label on its
        # line: a cell reaching over that label (or the edge of its fill, in a scan
        # specks read as letters) would hold it too when read again from the image
        end = right
        if k + 1 < len(rows) and label and label[0]["x0"] <= value_x:
            label2 = rows[k + 1][0]
            if label2 and label2[0]["x0"] > value_x and _same_line(label + value, label2):
                reach, at = max((w["x1"] for w in value), default=value_x), label2[0]["x0"]
                end = (reach + at) / 2 if reach < at else at - 1
        row = _pair_row(label, value, page_number, (left, split, end), label_x, not label)
        raw_rows.append(row)
    return _two_columns(raw_rows, page_number, [label_x, value_x, right])


def _same_line(words: list[Word], others: list[Word]) -> bool:
    """`others` start on the first printed line of `words` (their tops within half a
    line of each other)."""
    first = min(words, key=lambda w: w["top"])
    return abs(others[0]["top"] - first["top"]) <= 0.5 * (first["bottom"] - first["top"])


def _pair_row(
    label: list[Word],
    value: list[Word],
    page_number: int,
    edges: tuple[float, float, float],
    row_left: float | None = None,
    carried: bool = False,
) -> RawRow:
    """One form row: the label's cell left of `split`, the value's right of it; with no
    label, the value spans both columns (a row across the form), unless it is `carried`:
    the rest of a value the page broke, in the value column."""
    left, split, right = edges
    words = label + value
    top = min(w["top"] for w in words)
    bottom = max(w["bottom"] for w in words)
    cells = []
    if label:
        box = (left, top, split - 1, bottom)
        cells.append(RawCell(0, 1, page_number, box, text_lines(label), is_bold(label)))
    if value:
        col, span, x0 = (1, 1, split) if label or carried else (0, 2, left)
        box = (x0, top, right, bottom)
        cells.append(RawCell(col, span, page_number, box, text_lines(value), is_bold(value)))
    x0 = left if row_left is None else row_left
    return RawRow(page_number, (x0, top, right, bottom), cells)


def _two_columns(raw_rows: list[RawRow], page_number: int, edges: list[float]) -> RawTable:
    bbox = union_bbox(r.bbox for r in raw_rows)
    return RawTable(
        page=page_number,
        bbox=tuple(round(v, 2) for v in bbox),
        engine=ALIGNED.name,
        n_cols=2,
        col_edges=[round(e, 2) for e in edges],
        rows=raw_rows,
    )


def colon_label_words(words: Sequence[str], settings: Settings = DEFAULT_SETTINGS) -> int | None:
    """How many of a line's words are its label, in a "Label: value" line: a known label
    ending in a colon within its first few words ("Action reference: 1.1", "Progress:");
    None for any other line (a recommendation's "Recommendation 2: ..." included). One
    rule for the PDF's lines and the Word document's paragraphs."""
    text = " ".join(words)
    if NAMED_RECOMMENDATION.match(text):
        return None
    for k, word in enumerate(words[: settings.layout.colon_label_words]):
        if word.endswith(":"):
            label = " ".join([*words[:k], word[:-1]]).strip()
            return k + 1 if label and is_header_phrase(label, settings.headers) else None
    return None


def names_recommendation_line(text: str) -> bool:
    """A line opening with a recommendation's name and number ("Recommendation 2: ...")."""
    return bool(NAMED_RECOMMENDATION.match(text))


def _colon_label(line: PageLine, settings: Settings) -> tuple[list[Word], list[Word]] | None:
    """(label words, value words) of a "Label: value" line (`colon_label_words`)."""
    words = line.words
    k = colon_label_words([w["text"] for w in words], settings)
    if k is None:
        return None
    last = words[k - 1]
    label = [*words[: k - 1]] + (
        [dict(last, text=last["text"][:-1])] if last["text"] != ":" else []
    )
    return label, words[k:]


def colon_form_tables(
    lines: Sequence[PageLine],
    page_number: int,
    settings: Settings = DEFAULT_SETTINGS,
    carried: bool = False,
) -> tuple[list[RawTable], list[int]]:
    """Forms printed as "Label: value" lines, no table drawn (a web form's export): each
    run of such lines naming enough known labels is a two-column form (label | value),
    a "Recommendation N: ..." line a row across it, a line under a value its rest.
    `carried`: the last page ended in a form and `lines[0]` opens this page, so a run
    there naming fewer labels is its rest ("Target completion: Mar-14" / "Current
    status: ..."). Returns the tables and the indexes of the lines used."""
    tables: list[RawTable] = []
    used: list[int] = []
    rows: list[tuple[list[Word], list[Word]]] = []  # banners as ([], words)
    taken: list[int] = []
    openers: set[str] = set()  # the first label of each form read on the page

    def close(at_foot: bool = False) -> None:
        # lines before the first recommendation (a form's reference, the agency it is
        # from) are the document's, not an action's: left for its headings
        first = next((k for k, (label, _) in enumerate(rows) if not label), 0)
        kept, lines_kept = rows[first:], taken[first:]
        known = {fold_label(" ".join(w["text"] for w in label)) for label, _ in kept if label}
        # the first line of a form ending the page, under forms of the page opening with
        # its label: the form's start, its rest on the next page
        opener = next((label for label, _ in kept if label), None)
        started = (
            at_foot
            and opener is not None
            and fold_label(" ".join(w["text"] for w in opener)) in openers
        )
        rest = carried and not tables and lines_kept[:1] == [0] and bool(known)
        if len(known) >= settings.headers.min_labels or started or rest:
            first_label = next((label for label, _ in kept if label), None)
            if first_label:
                openers.add(fold_label(" ".join(w["text"] for w in first_label)))
            tables.append(_colon_table(kept, page_number))
            used.extend(lines_kept)
        rows.clear()
        taken.clear()

    for i, line in enumerate(lines):
        if taken:
            last = lines[taken[-1]]
            if line.top - last.bottom > settings.layout.form_gap_lines * (last.bottom - last.top):
                close()
        found = _colon_label(line, settings)
        if found is not None:
            rows.append((list(found[0]), list(found[1])))
        elif names_recommendation_line(line.text):
            rows.append(([], list(line.words)))
        elif rows:
            rows[-1][1].extend(line.words)  # the rest of a value (or a recommendation)
        else:
            continue
        taken.append(i)
    close(at_foot=bool(taken) and taken[-1] == len(lines) - 1)
    return tables, sorted(used)


def _colon_table(rows: list[tuple[list[Word], list[Word]]], page_number: int) -> RawTable:
    """A form's rows as a two-column table; a row with no label spans both columns."""
    left = min(w["x0"] for label, value in rows for w in label + value)
    right = max(w["x1"] for label, value in rows for w in label + value)
    labelled = [w["x1"] for label, _ in rows for w in label[-1:]]
    split = max(labelled) + 1.0 if labelled else left
    raw_rows = [
        _pair_row(label, value, page_number, (left, split + 1, right)) for label, value in rows
    ]
    return _two_columns(raw_rows, page_number, [left, split, right])

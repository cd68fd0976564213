"""Tables without vertical rules: columns from the header, rows from the text.

Used for unruled tables and tables ruled only horizontally. The header line is
found against the header vocabulary; each header phrase's left edge starts a
column (cell text is left-aligned in its column, like the header). Rows come
from horizontal rules where the table has them; otherwise from the fact that a
cell's text starts on its row's first line, so a column that starts printing
again after a blank line opens a new row. A line whose words run across column
gutters is a full-width (banner) row.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Container, Sequence
from dataclasses import dataclass
from statistics import median

from dhrplans.extract.headers import is_header_phrase, is_recommendation_label, reads_as_status
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
from dhrplans.extract.provenance import ALIGNED, RULED_ROWS
from dhrplans.extract.ruled import cell_fill, cluster
from dhrplans.normalise.numbering import names_recommendation, split_number, top_level
from dhrplans.schemas import fold_label

from dhrplans.settings import DEFAULT_SETTINGS, HeaderSettings, LayoutSettings, Settings

# A ref or recommendation number alone: "1.2", "3a", "(4)", "R1", "C2.1", "I.2", and with
# the word some plans print before it ("Action 1.1", "Ref 2a").
REF_RE = re.compile(
    r"^(?:(?i:action|item|ref(?:erence)?)\.?\s+)?"
    r"\(?(?:[A-Z]{1,3}[\s.]?)?[0-9]{1,3}(\.[0-9]{1,3}){0,3}[a-zA-Z]?\)?\.?$"
)


#: A recommendation numbered by a letter or a Roman numeral alone ("B", "II.", "(IV)").
_LETTERED_NUMBER = re.compile(r"^\(?(?:[IVX]{1,4}|[A-Z])\)?\.?$")


@dataclass(slots=True)
class ColumnLayout:
    """Where the columns of a header-led table start, carried to the next page."""

    starts: list[float]
    right: float
    body_size: float
    header_texts: tuple[str, ...] = ()  # its header's label per column, when known


def header_phrases(
    line: PageLine,
    gutter: float,
    settings: Settings = DEFAULT_SETTINGS,
    below: Sequence[PageLine] = (),
) -> list[list[Word]] | None:
    """The line's phrases when it reads as a table header, else None. Labels wrapped
    over several lines ("How will the recommendation / be implemented?") are read whole:
    each phrase with the phrases starting at its left edge on the `below` lines that
    sit right under it in the same type."""
    need = settings.headers.min_labels
    phrases = split_phrases(line, gutter)
    texts = [" ".join(w["text"] for w in p) for p in phrases]
    if len(phrases) == 2 and any(is_recommendation_label(t) for t in texts):
        need = 2  # a list of the recommendations ("Rec | Recommendation"): both labels
    if len(phrases) < need:
        return None
    labels = [" ".join(w["text"] for w in p) for p in phrases]
    weights = [is_bold(p) for p in phrases]
    # (a scan's weights are OCR's estimate, word by word: not told apart so surely)
    estimated = any(w.get("fontname", "").endswith("OCRBold") for w in line.words)
    if any(weights) and not all(weights) and not estimated:
        # a header is set in one weight: labels in bold beside values that are not are
        # label | value pairs (a form), not a header
        return None
    # The labels as printed on the line, then with the lines below it that continue them;
    # then with fewer of those lines: in one type and size, nothing but a rule (or a
    # scan's weight, when it reads none) parts a header's last line from the first row,
    # and labels read with a row's text are no labels.
    tries = [0] + list(range(len(below), 0, -1))
    enough = max(need, settings.headers.label_share * len(phrases))
    for n in tries:
        if n:
            labels = _wrapped_labels(line, phrases, below[:n], gutter, settings)
        if _labels_reach(labels, enough, settings):
            return phrases
    return None


def _labels_reach(labels: Sequence[str], enough: float, settings: Settings) -> bool:
    """Whether at least `enough` of the labels read as header phrases. Scored in turn,
    and only while the count can still go either way (the same answer as counting all:
    each phrase's score is its own, so the ones left unscored could not change it)."""
    good, left = 0, len(labels)
    for label in labels:
        if good >= enough or good + left < enough:
            break
        good += is_header_phrase(label, settings.headers)
        left -= 1
    return good >= enough


def _wrapped_labels(
    line: PageLine,
    phrases: list[list[Word]],
    below: Sequence[PageLine],
    gutter: float,
    settings: Settings,
) -> list[str]:
    """Each phrase's text with its continuation on the lines just below (same weight and
    size, no wider gap than a header's line spacing, starting at the phrase's edge)."""
    layout = settings.layout
    labels = [[" ".join(w["text"] for w in p)] for p in phrases]
    starts = [p[0]["x0"] for p in phrases]
    last = line
    for nxt in below:
        if (
            nxt.bold != line.bold
            or abs(nxt.size - line.size) >= layout.header_size_step
            or nxt.top - last.bottom >= layout.header_line_gap * (line.bottom - line.top)
        ):
            break
        parts = split_phrases(nxt, gutter)
        if any(_crosses(part, starts, layout) for part in parts):
            break  # a banner in the header's type runs across the columns: no label there
        for part in parts:
            for k, phrase in enumerate(phrases):
                if abs(part[0]["x0"] - phrase[0]["x0"]) <= layout.column_cluster:
                    labels[k].append(" ".join(w["text"] for w in part))
        last = nxt
    return [" ".join(parts) for parts in labels]


def _crosses(part: Sequence[Word], starts: Sequence[float], settings: LayoutSettings) -> bool:
    """The phrase runs on past the start of a column after its own."""
    x0, x1 = part[0]["x0"], max(w["x1"] for w in part)
    return any(x0 + settings.column_cluster < x < x1 for x in starts)


def _column_texts(head: Sequence[PageLine], cols: _Columns) -> tuple[str, ...]:
    """The header's label in each column, its lines joined."""
    texts: list[list[str]] = [[] for _ in cols.starts]
    for line in head:
        for word, col in zip(line.words, cols.of_line(line)):
            texts[col].append(word["text"])
    return tuple(" ".join(t) for t in texts)


def _closes_header(
    head: Sequence[PageLine],
    lines: Sequence[PageLine],
    j: int,
    hrules: Sequence[tuple[float, float, float]],
) -> bool:
    """On a scan, is line `j` the header's last line, closed by the rule under it? A
    scan's weight is read from the stroke width of each word (`ocr.settle_words`), and a
    label's last word alone on its line ("implemented?") may read lighter than the
    header's: a rule under it, none between it and the header's lines above, and the
    line after it (if any) below the rule, say it is of the header's row, as a ruled
    header row closes under its last line."""
    line = lines[j]
    below = lines[j + 1].top if j + 1 < len(lines) else float("inf")
    width = head[0].x1 - head[0].x0
    rules = [(y, x0, x1) for y, x0, x1 in hrules if x1 - x0 >= 0.5 * width]
    return not any(head[-1].bottom - 1 <= y <= line.top + 1 for y, _, _ in rules) and any(
        line.top + 0.5 * (line.bottom - line.top) < y <= below + 1 for y, _, _ in rules
    )


def _within_labels(
    phrases: list[list[Word]], label_starts: Sequence[float], settings: LayoutSettings
) -> bool:
    """A line of labels that only continues the columns of the header line above
    (labels wrapped over two lines, each of which reads as a header on its own)."""
    return all(
        any(abs(p[0]["x0"] - s) <= settings.column_cluster for s in label_starts) for p in phrases
    )


def _col_of(starts: Sequence[float], x0: float, slack: float) -> int:
    """The column a word starting at x0 is in: the last whose start, less the slack, it
    reaches (the first when it reaches none)."""
    col = 0
    for i, s in enumerate(starts):
        if x0 >= s - slack:
            col = i
    return col


class _Columns:
    """`_col_of` for one set of column starts, answered by a binary search over the
    starts (less the slack) when they ascend, and remembered per line (the row builder
    asks about the same lines' words many times). Lines are keyed by identity: a
    `_Columns` lives while its page's lines do."""

    __slots__ = ("starts", "slack", "_edges", "_ascending", "_lines")

    def __init__(self, starts: Sequence[float], slack: float) -> None:
        self.starts = starts
        self.slack = slack
        self._edges = [s - slack for s in starts]
        self._ascending = all(a <= b for a, b in zip(self._edges, self._edges[1:]))
        self._lines: dict[int, list[int]] = {}

    def of(self, x0: float) -> int:
        if not self._ascending or x0 != x0:  # NaN reaches no start
            return _col_of(self.starts, x0, self.slack)
        return max(bisect_right(self._edges, x0) - 1, 0)

    def of_line(self, line: PageLine) -> list[int]:
        found = self._lines.get(id(line))
        if found is None:
            of = self.of
            found = self._lines[id(line)] = [of(w["x0"]) for w in line.words]
        return found


def _is_spanning(line: PageLine, cols: _Columns, gutter: float, settings: LayoutSettings) -> bool:
    """Words that run across a column boundary with ordinary word spacing."""
    words = line.words
    at = cols.of_line(line)
    for k in range(1, len(words)):
        if at[k - 1] != at[k] and words[k]["x0"] - words[k - 1]["x1"] <= gutter:
            return True
    starts = cols.starts
    for word, col in zip(words, at):
        if col + 1 < len(starts) and word["x1"] > starts[col + 1] + settings.column_overrun:
            return True
    return False


def _columns_used(line: PageLine, cols: _Columns) -> set[int]:
    return set(cols.of_line(line))


def _in_column(line: PageLine, cols: _Columns, col: int) -> list[Word]:
    return [w for w, c in zip(line.words, cols.of_line(line)) if c == col]


def _looks_like_ref(words: Sequence[Word]) -> bool:
    return bool(REF_RE.match(" ".join(w["text"] for w in words)))


def _opens_recommendation(words: Sequence[Word]) -> bool:
    """The words open with a recommendation's number before its text ("Recommendation 3:
    ...", "Rec 2 ...", "3. ..."): plans number a recommendation so, its actions under it
    "3.1", "3a". A bare number is set off by a stop or a colon: a column label may open
    with a count ("6 Month Review"). A line opening in lower case is a label's wrapped rest
    ("Scope of" / "recommendation i.e."), whatever follows."""
    text = " ".join(w["text"] for w in words)
    if text[:1].islower():
        return False
    if names_recommendation(text):
        return True
    if not _SET_OFF_NUMBER.match(text):
        return False
    number, rest = split_number(text)
    return number is not None and bool(rest) and top_level(number) == number


#: A bare number set off from the text after it by a stop or a colon ("3. ", "12: ").
_SET_OFF_NUMBER = re.compile(r"^\d{1,3}[.:]\s")


class _RowBuilder:
    def __init__(
        self,
        starts: Sequence[float],
        right: float,
        gutter: float,
        pitch: float,
        rules: list[float],
        settings: LayoutSettings,
        col_right: Sequence[float] = (),
        bands: Sequence[float] = (),
    ):
        self.settings = settings
        self.col_right = col_right
        self.bands = bands
        self.cols = _Columns(starts, settings.column_start_slack)
        self.starts = starts
        self.right = right
        self.gutter = gutter
        self.pitch = pitch
        self.rules = rules
        self.rows: list[tuple[str, list[PageLine]]] = []

    def _ruled_between(self, a: PageLine, b: PageLine) -> bool:
        # Between the lines' middles: a font's box can rise above the rule over its row
        # when the cell's padding is tight.
        return any((a.top + a.bottom) / 2 < y < (b.top + b.bottom) / 2 for y in self.rules)

    def add(self, line: PageLine) -> None:
        spanning = _is_spanning(line, self.cols, self.gutter, self.settings)
        if not self.rows:
            self.rows.append(("banner" if spanning else "data", [line]))
            return
        if not self.rules and not spanning and self._runs_on_merged(line):
            return
        kind, lines = self.rows[-1]
        prev = lines[-1]
        if self.rules:
            new = self._ruled_between(prev, line)
        else:
            new = self._starts_row(kind, lines, line, spanning) or self._band_between(prev, line)
        if spanning and kind != "banner":
            new = True
        if new:
            self.rows.append(("banner" if spanning else "data", [line]))
        else:
            if spanning and kind == "data":
                kind = "banner"
            lines.append(line)
            self.rows[-1] = (kind, lines)

    def _band_between(self, a: PageLine, b: PageLine) -> bool:
        """A shaded band across the table ends or starts between the two lines: a table
        style or a plan's own shading fills each row's cells to the row's edges, so the
        lines of one row share a band and an edge between two lines parts two rows (a
        shaded agency row over a plain banner, in a table with no rules between rows)."""
        return any((a.top + a.bottom) / 2 < y < (b.top + b.bottom) / 2 for y in self.bands)

    def _runs_on_merged(self, line: PageLine) -> bool:
        """Word prints a vertically merged cell (a recommendation beside its several
        actions) as one cell whose lines run on at their own spacing beside the rows it
        spans. A line printing only in columns the current row leaves empty, each the next
        line of a cell of an earlier row (under its last line there, no wider gap than a
        line's), and no new ref, goes on in that cell: it opens no row. Appended there."""
        if len(self.rows) < 2 or self.rows[-1][0] != "data":
            return False
        now = _columns_used(line, self.cols)
        current = set().union(*(_columns_used(ln, self.cols) for ln in self.rows[-1][1]))
        if not now or now & current:
            return False
        if any(_looks_like_ref(_in_column(line, self.cols, col)) for col in now):
            return False
        for k in range(len(self.rows) - 2, -1, -1):
            kind, lines = self.rows[k]
            used = set().union(*(_columns_used(ln, self.cols) for ln in lines))
            if not now & used:
                continue
            if kind != "data" or not now <= used:
                return False
            for col in now:
                last = max(
                    (ln for ln in lines if col in _columns_used(ln, self.cols)),
                    key=lambda ln: ln.top,
                )
                if not 0 < line.top - last.bottom <= self.settings.row_gap_pitch * self.pitch:
                    return False
            lines.append(line)
            return True
        return False

    def _starts_row(self, kind: str, lines: list[PageLine], line: PageLine, spanning: bool) -> bool:
        prev = lines[-1]
        settings = self.settings
        if line.top - prev.bottom > settings.row_gap_pitch * self.pitch:
            return True
        if kind == "banner":
            # A banner's last short line stays with it: same weight, same left edge,
            # and the line before it ran the width of the table (it wrapped).
            wrapped = prev.x1 >= self.right - settings.banner_wrap_share * (
                self.right - self.starts[0]
            )
            first = _in_column(line, self.cols, 0)
            tail_like = len(_columns_used(line, self.cols)) == 1 and not _looks_like_ref(first)
            return spanning is False and not (
                (wrapped or tail_like)
                and line.bold == prev.bold
                and abs(line.x0 - lines[0].x0) < settings.same_left_edge
            )
        now = _columns_used(line, self.cols)
        before = _columns_used(prev, self.cols)
        if now - before:
            return True
        if self._opens_bold_recommendation(prev, line, now):
            return True
        # Two one-line rows in a row: a column restarts with a new ref (the ref column may
        # be anywhere in the table, not only first).
        for col in sorted(now & before):
            col_now = _in_column(line, self.cols, col)
            col_prev = _in_column(prev, self.cols, col)
            if not (_looks_like_ref(col_now) and _looks_like_ref(col_prev)):
                continue
            # A ref broken by a narrow column ("1." / "1") fills the column to its edge.
            cw = (col_prev[-1]["x1"] - col_prev[0]["x0"]) / max(
                1, sum(len(w["text"]) for w in col_prev)
            )
            nxt = col + 1
            if nxt == len(self.starts):
                return True  # the last column: its right edge is its own text's
            if col_prev[-1]["x1"] + settings.ref_fill_chars * cw < self.starts[nxt] - self.gutter:
                return True
        # Two columns did not wrap: in each the line before ended with room for this line's
        # first word, so Word did not break it there (a column whose next word would not
        # fit tells nothing: a wrap or a new cell). A new row starts where the row's first
        # line started (its leftmost column), so a cell's own paragraphs further right stay.
        return (
            min(_columns_used(lines[0], self.cols)) in now
            and sum(self._unwrapped(prev, line, col) for col in now) >= 2
        )

    def _opens_bold_recommendation(self, prev: PageLine, line: PageLine, now: set[int]) -> bool:
        """A line in bold under a line in regular type, opening with a recommendation's
        number ("Recommendation 2: ..."), starts a row: a plan printing its recommendations
        as rows of their own within a column (one "Recommendation / Action" column) sets
        them apart in bold from the actions' regular type, as a rule between them would;
        a cell's text goes on in one weight, and a number opens no wrapped line."""
        if not line.bold or prev.bold:
            return False
        return _opens_recommendation(_in_column(line, self.cols, min(now)))

    def _unwrapped(self, prev: PageLine, line: PageLine, col: int) -> bool:
        if col >= len(self.col_right):
            return False
        before = _in_column(prev, self.cols, col)
        first = _in_column(line, self.cols, col)[0]
        return next_word_fits(
            before[-1]["x1"], self.col_right[col], first, line.size, self.settings
        )


def _cells_for(
    kind: str,
    lines: list[PageLine],
    cols: _Columns,
    right: float,
    page_number: int,
    settings: LayoutSettings,
    gutter: float = float("inf"),
) -> RawRow:
    starts = cols.starts
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    words = [w for ln in lines for w in ln.words]
    if kind == "banner":
        bbox = (starts[0], top, right, bottom)
        # parted only as a label in the first column beside one value across the others:
        # a row cut at other starts too (two tables printed side by side) stays a banner
        found = _spanning_cuts(lines, cols, gutter)
        cuts = [0, *(found if found == [1] else []), len(starts)]
        cells = []
        for col, end in zip(cuts, cuts[1:]):
            x0 = starts[col] - cols.slack if col else float("-inf")
            x1 = starts[end] - cols.slack if end < len(starts) else float("inf")
            inside = [w for w in words if x0 <= w["x0"] < x1]
            cell_right = starts[end] - settings.column_overrun if end < len(starts) else right
            box = (starts[col], top, cell_right, bottom)
            cells.append(
                RawCell(col, end - col, page_number, box, text_lines(inside), is_bold(inside))
            )
        return RawRow(page_number, bbox, cells)
    by_col: list[list[Word]] = [[] for _ in starts]
    for ln in lines:
        for w, col in zip(ln.words, cols.of_line(ln)):
            by_col[col].append(w)
    cells = []
    for col, inside in enumerate(by_col):
        if not inside:
            continue
        x1 = starts[col + 1] - settings.column_overrun if col + 1 < len(starts) else right
        bbox = (starts[col], top, x1, bottom)
        cells.append(RawCell(col, 1, page_number, bbox, text_lines(inside), is_bold(inside)))
    return RawRow(page_number, (starts[0], top, right, bottom), cells)


def _spanning_cuts(lines: Sequence[PageLine], cols: _Columns, gutter: float) -> list[int]:
    """The column starts a row running across columns is parted at: no word of any line
    crosses the start, and a gap wider than a word space parts the words either side of
    it (a label in the first column, its value running on across the others: "How will
    the / recommendation ..." beside a long value). A banner's words are spaced as words
    all along its lines: no cut."""
    words = [w for ln in lines for w in ln.words]
    cuts = []
    for col in range(1, len(cols.starts)):
        edge = cols.starts[col] - cols.slack
        if not any(w["x0"] < edge for w in words) or not any(w["x0"] >= edge for w in words):
            continue
        ok = True
        for ln in lines:
            left = [w for w in ln.words if w["x0"] < edge]
            right = [w for w in ln.words if w["x0"] >= edge]
            if left and left[-1]["x1"] > edge:
                ok = False  # a word runs across the start
            elif left and right and right[0]["x0"] - left[-1]["x1"] <= gutter:
                ok = False  # word spacing across it: one phrase
            if not ok:
                break
        if ok:
            cuts.append(col)
    return cuts


def _body_size(lines: Sequence[PageLine]) -> float:
    sizes = [ln.size for ln in lines]
    return median(sizes) if sizes else 0.0


def aligned_tables(
    lines: list[PageLine],
    page_number: int,
    gutter: float,
    hrules: Sequence[tuple[float, float, float]],
    carry: ColumnLayout | None,
    settings: Settings = DEFAULT_SETTINGS,
    drawn_rules: bool = True,
    band_edges: Sequence[tuple[float, float, float]] = (),
) -> tuple[list[RawTable], list[int], ColumnLayout | None]:
    """Tables found on one page from text alignment.

    Returns the tables, the indexes of the lines used (so the caller can find
    headings among the rest) and the layout to carry to the next page. `drawn_rules`:
    the rules are the document's own (not found on a scan's image, where a rule breaks
    anywhere, tilted or faint): a rule stopping short of a column then means a merge.
    `band_edges`: the tops and bottoms of the page's shaded bands (`ruled.shaded_bands`),
    row edges in a table whose rows are ruled.
    """
    layout_settings = settings.layout
    wrap = settings.layout.header_wrap_lines
    header_at = {
        i: p
        for i, ln in enumerate(lines)
        if (p := header_phrases(ln, gutter, settings, lines[i + 1 : i + 1 + wrap]))
    }
    # A header printed again on a page prints as it did: under a bold header, a line in
    # plain type whose cells open with label-like words ("Monitoring of the ...", "Action
    # completed") is a row of the table, not a new header.
    bold_labels: set[str] | None = None
    for i in sorted(header_at):
        labels = {fold_label(" ".join(w["text"] for w in p)) for p in header_at[i]}
        if bold_labels is not None and not lines[i].bold and len(labels & bold_labels) < 2:
            del header_at[i]  # not the bold header again (another table's reads as it did)
        elif lines[i].bold and bold_labels is None:
            bold_labels = labels
    tables: list[RawTable] = []
    used: list[int] = []
    segments: list[tuple[int, ColumnLayout, list[PageLine] | None]] = []
    groups: dict[int, PageLine] = {}  # a segment's group row over its header
    # a segment whose header line groups the labels below it: that line, its group labels
    grouped: dict[int, tuple[PageLine, list[tuple[list[Word], tuple[float, float]]]]] = {}

    # A page that opens inside a table continued from the last page, with no header.
    first_header = min(header_at) if header_at else len(lines)
    if carry is not None and first_header > 0:
        segments.append((0, carry, None))

    for i in sorted(header_at):
        if i not in header_at:
            continue  # the second line of a header above
        head = [lines[i]]
        label_starts = [p[0]["x0"] for p in header_at[i]]
        # A header repeated from the last page is whole once it reads as it did there:
        # the lines after it are the first row (a row the page broke, carried on).
        repeated = carry.header_texts if carry is not None else ()
        label_cols = _Columns(label_starts, layout_settings.column_start_slack)
        # A bilingual header prints one language's labels over the other's, each going on
        # below ("Cyf /" over "Ref"): a line of labels ending in "/" just above the line
        # read as the header is its first line.
        first = i
        while first > 0 and _opens_labels(
            lines[first - 1], head[0], label_starts, gutter, layout_settings
        ):
            first -= 1
            head.insert(0, lines[first])
        j = i + 1
        while j < len(lines):
            # a line naming the columns a label of the header line groups
            names = _label_groups(header_at[i], [lines[j]], gutter, layout_settings)
            if not (
                (
                    j not in header_at
                    or _within_labels(header_at[j], label_starts, layout_settings)
                    or bool(names)
                )
                and (
                    lines[j].bold == lines[i].bold
                    or (not drawn_rules and _closes_header(head, lines, j, hrules))
                )
                and abs(lines[j].size - lines[i].size) < layout_settings.header_size_step
                and lines[j].top - head[-1].bottom
                < layout_settings.header_line_gap * (lines[i].bottom - lines[i].top)
                # a wrapped label stays in its column; a banner row under the header runs
                # across the columns
                and not _is_spanning(lines[j], label_cols, gutter, layout_settings)
                # labels are words: a line holding a bare number or ref, or opening with a
                # lettered or Roman recommendation's "B", "II" in the first column, is the first
                # row (a label broken letter by letter, "RA" / "G", is not in the first column)
                and not any(_looks_like_ref(p) for p in split_phrases(lines[j], gutter))
                and not _opens_recommendation(split_phrases(lines[j], gutter)[0])
                and not _opens_with_letter(lines[j], label_starts[0], gutter, layout_settings)
                and not _letter_under_label(lines[j], head, label_cols, gutter, settings.headers)
                and not (repeated and _column_texts(head, label_cols) == repeated)
                # a header's lines share its row: a drawn rule between two lines parts
                # rows, but for a rule under group labels alone (the grouped cells' lower
                # edge; the cells beside them are merged down through both rows)
                and not any(
                    # (on a scan a rule set close under a line may cross the foot of its box)
                    (head[-1].top + head[-1].bottom) / 2 <= y <= lines[j].top + 1
                    and not _under_groups(x0, x1, header_at[i], names)
                    for y, x0, x1 in hrules
                )
                # nor does a shaded band's edge across the table: a header row shaded in
                # its own fill ends where the fill does, and a line under it in a band of
                # another fill (a sub-heading row shaded across the table) is a row of the
                # body, though set in the header's type with no rule drawn between
                and not any(
                    (head[-1].top + head[-1].bottom) / 2 <= y <= lines[j].top + 1
                    and x1 - x0 >= layout_settings.rule_width_share * (head[0].x1 - head[0].x0)
                    and not _under_groups(x0, x1, header_at[i], names)
                    for y, x0, x1 in band_edges
                )
            ):
                break
            head.append(lines[j])
            header_at.pop(j, None)
            j += 1
        # Labels grouping the columns named on the lines below ("Responsibility" over
        # "Lead Agency | Lead Officer"): the columns start at the names, not at the group.
        spanned = _label_groups(
            header_at[i], head[head.index(lines[i]) + 1 :], gutter, layout_settings
        )
        group_words = {id(w) for k in spanned for w in header_at[i][k]}
        starts = cluster(
            [
                p[0]["x0"]
                for ln in head
                for p in split_phrases(ln, gutter)
                if id(p[0]) not in group_words
            ],
            layout_settings.column_cluster,
        )
        right = max(ln.x1 for ln in lines[i:]) if i < len(lines) else head[0].x1
        body = [ln for ln in lines[j:]]
        layout = ColumnLayout(
            starts,
            right,
            _body_size(body[:40]) or head[0].size,
            _column_texts(head, label_cols),
        )
        # A group row over the labels ("Action | Delivery | Monitoring", each over some
        # columns) just above the header in its type: the table's first row.
        if first > 0 and _is_group_line(lines[first - 1], head[0], starts, gutter, layout_settings):
            first -= 1
            groups[len(segments)] = lines[first]
        if spanned:
            grouped[len(segments)] = (lines[i], [(header_at[i][k], r) for k, r in spanned.items()])
        segments.append((j, layout, head))
        used.extend(range(first, j))

    carry_out = carry
    for n, (begin, layout, head) in enumerate(segments):
        end_limit = len(lines)
        for m, (later_begin, _, later_head) in enumerate(segments[n + 1 :], start=n + 1):
            end_limit = later_begin - (len(later_head) if later_head else 0) - (m in groups)
            break
        if head is None and not _aligns(lines[begin:end_limit], layout, gutter, layout_settings):
            continue
        body_idx = _body_lines(lines, begin, end_limit, layout, layout_settings)
        body = [lines[k] for k in body_idx]
        used.extend(body_idx)
        if not body and head is None:
            continue
        pitch = _pitch(
            body or head,
            layout_settings,
            _Columns(layout.starts, layout_settings.column_start_slack),
        )
        top_y = (head or body)[0].top
        bottom_y = (body or head)[-1].bottom
        rules = [
            y
            for y, x0, x1 in hrules
            if top_y - 2 <= y <= bottom_y + 2
            and (x1 - x0) >= layout_settings.rule_width_share * (layout.right - layout.starts[0])
        ]
        inner_rules = [y for y in rules if top_y + 2 < y < bottom_y - 2]
        # Rules that only box the header (over and under it) and close the table under its
        # last line, none between two of the body's lines, part no rows: the body's rows
        # come from line occupancy, as unruled. (A scan's last line, in OCR's box, may lie
        # within 2 points of the closing rule.)
        if body and not any(body[0].top + 2 < y < body[-1].top for y in rules):
            rules = []
        # A table whose rows are ruled in a banded style (Word's Medium Shading 2 shades
        # alternate rows and leaves the rule out where a shaded row meets a plain one):
        # the edges of a band across the table are its rows' edges too. A table whose
        # rules part no rows keeps its rows from the text (shading alone draws none).
        bands = [
            (y, x0, x1)
            for y, x0, x1 in band_edges
            if top_y - 2 <= y <= bottom_y + 2
            and (x1 - x0) >= layout_settings.rule_width_share * (layout.right - layout.starts[0])
        ]
        table_rules = list(hrules)
        if len(rules) >= 2 and drawn_rules and bands:
            rules = sorted(rules + [y for y, _, _ in bands])
            inner_rules = [y for y in rules if top_y + 2 < y < bottom_y - 2]
            table_rules += bands
        row_rules = inner_rules if len(rules) >= 2 else []
        # rows no rule parts: the edges of shaded bands across the table part them
        band_rows = [] if row_rules else sorted(y for y, _, _ in bands)
        # A banner's lines wrap at the table's width, not at a column's edge: its short last
        # line ("reviewed by a supervisor.", under the first column alone) may run up to the
        # next column's start and tells nothing of where a column's text ends. Which lines
        # are banners' does not depend on the columns' ends (only data rows use them), so a
        # first pass finds them and the columns' ends are measured on the other lines.
        first_pass = _RowBuilder(
            layout.starts, layout.right, gutter, pitch, row_rules, layout_settings, (), band_rows
        )
        for ln in body:
            first_pass.add(ln)
        in_banners = {id(ln) for kind, lns in first_pass.rows if kind == "banner" for ln in lns}
        builder = _RowBuilder(
            layout.starts,
            layout.right,
            gutter,
            pitch,
            row_rules,
            layout_settings,
            _column_rights(
                [ln for ln in body if id(ln) not in in_banners], layout, gutter, layout_settings
            ),
            band_rows,
        )
        rows: list[RawRow] = []
        if n in groups:
            rows.append(_group_row(groups[n], layout, gutter, page_number))
        if head and n in grouped:
            upper, labels = grouped[n]
            rows.extend(
                _grouped_header(head, upper, labels, builder.cols, layout.right, page_number)
            )
        elif head:
            rows.append(
                _cells_for("data", head, builder.cols, layout.right, page_number, layout_settings)
            )
        for ln in body:
            builder.add(ln)
        rows.extend(
            _cells_for(kind, lns, builder.cols, layout.right, page_number, layout_settings, gutter)
            for kind, lns in builder.rows
        )
        if len(rules) < 2 and _labels_down_first_column(rows[1:], settings):
            # label | value pairs read as columns (a form of pairs, unruled): left to the
            # form finder, which reads a form's rows by its labels
            mine = {id(ln) for ln in [*(head or []), *body]}
            used = [k for k in used if id(lines[k]) not in mine]
            continue
        edges = list(layout.starts) + [layout.right]
        if len(rules) >= 2 and drawn_rules:
            _merge_where_rules_stop(rows, table_rules, edges)
        bbox = union_bbox(r.bbox for r in rows)
        tables.append(
            RawTable(
                page=page_number,
                bbox=tuple(round(v, 2) for v in bbox),
                engine=(RULED_ROWS if len(rules) >= 2 else ALIGNED).name,
                n_cols=len(layout.starts),
                col_edges=[round(e, 2) for e in edges],
                rows=rows,
            )
        )
        carry_out = layout
    return tables, sorted(set(used)), carry_out


def _labels_down_first_column(rows: Sequence[RawRow], settings: Settings) -> bool:
    """Most rows under the header open with a known column label in the first column:
    the table's labels run down its first column (a form), not across its header."""
    firsts = [r.cells[0].text for r in rows if r.cells and r.cells[0].col == 0]
    if len(firsts) < settings.headers.min_labels:
        return False
    # labels name fields: a first cell with a number in it ("Action 2.1") is a ref, and a
    # status word ("Completed", "Action completed": a status column printed first) a value
    known = [
        text
        for text in firsts
        if not any(ch.isdigit() for ch in text)
        and not reads_as_status(text)
        and is_header_phrase(text, settings.headers)
    ]
    # a form's labels differ from row to row; one word repeated down a column (a status
    # column's "Action completed") is a column of values that read like a label
    distinct = {fold_label(text) for text in known}
    return (
        len(known) >= settings.headers.label_share * len(rows)
        and len(distinct) >= settings.headers.min_labels
        and len(distinct) >= settings.headers.label_share * len(known)
    )


def _merge_where_rules_stop(
    rows: list[RawRow],
    hrules: Sequence[tuple[float, float, float]],
    edges: Sequence[float],
) -> None:
    """Rows ruled only horizontally: Word draws no border inside a vertically merged cell,
    so the rule between two rows stops short of the merged columns. The cell above such a
    rule covers the rows below it in those columns (its box reaches down, as pdfplumber
    gives a merged cell); text printed there below the rule is the same cell's."""
    merged: dict[int, RawCell] = {}  # column -> the cell merged down to the current row
    for above, below in zip(rows, rows[1:]):
        between = [
            r for r in hrules if above.bbox[1] + 2 < r[0] <= below.bbox[1] + 2 and r[2] > r[1]
        ]
        if not between:
            merged.clear()
            continue
        _, x0, x1 = max(between, key=lambda r: r[0])
        for col in range(len(edges) - 1):
            left, right = edges[col], edges[col + 1]
            if min(x1, right) - max(x0, left) >= 0.5 * (right - left):
                merged.pop(col, None)  # the rule crosses this column: a row boundary
                continue
            cell = merged.get(col) or next((c for c in above.cells if c.col == col), None)
            if cell is None or cell.colspan != 1:
                continue
            rest = [c for c in below.cells if c.col == col]
            if _starts_own_row(cell, rest, below):
                merged.pop(col, None)  # a column no rule crosses (a style's unshaded one)
                continue
            for part in rest:
                cell.lines = [*cell.lines, *part.lines]
                below.cells.remove(part)
            cell.bbox = (*cell.bbox[:3], max(cell.bbox[3], below.bbox[3]))
            merged[col] = cell
    for row in rows:
        if row.cells:
            row.bbox = union_bbox(c.bbox for c in row.cells)


def _starts_own_row(cell: RawCell, rest: Sequence[RawCell], below: RawRow) -> bool:
    """The column's text under the rule is a cell of the row below, not the rest of the
    cell above merged down: it opens level with the row's first line and is set apart
    from the cell's last line by more than a line. A merged cell's lines run on at their
    pitch across the rule; a style that bands or rules all columns but one (the first,
    left unshaded) leaves that column with no rule at all, each row's text at its top."""
    lines = [ln for part in rest for ln in part.lines]
    if not cell.lines or not lines:
        return False
    last, first = cell.lines[-1], min(lines, key=lambda ln: ln.top)
    height = last.bottom - last.top
    tops = [c.lines[0].top for c in below.cells if c.lines and c not in rest]
    return (
        bool(tops)
        and first.top - last.bottom > height
        and abs(first.top - min(tops)) <= 0.5 * height
    )


def _column_rights(
    body: Sequence[PageLine], layout: ColumnLayout, gutter: float, settings: LayoutSettings
) -> list[float]:
    """Where each column's lines must end (a wrapped line ends near it): the next column's
    start less the cells' padding, measured as the narrowest space any column leaves
    between its widest line and the next column; the last column ends at its widest line."""
    cols = _Columns(layout.starts, settings.column_start_slack)
    starts = layout.starts
    rights = [0.0] * len(starts)
    for ln in body:
        if _is_spanning(ln, cols, gutter, settings):
            continue
        for w, col in zip(ln.words, cols.of_line(ln)):
            rights[col] = max(rights[col], w["x1"])
    gaps = [starts[c + 1] - rights[c] for c in range(len(starts) - 1) if rights[c] > 0]
    if not gaps:
        return rights
    padding = max(0.0, min(gaps))
    return [
        max(rights[c], starts[c + 1] - padding) if c + 1 < len(starts) else rights[c]
        for c in range(len(starts))
    ]


def _is_group_line(
    line: PageLine,
    header: PageLine,
    starts: Sequence[float],
    gutter: float,
    settings: LayoutSettings,
) -> bool:
    """`line`, just above `header` in its type, is a row of group labels: two or more
    phrases spread over the header's columns, fewer than the columns (each groups some)."""
    phrases = split_phrases(line, gutter)
    return (
        2 <= len(phrases) < len(starts)
        and line.bold == header.bold
        and abs(line.size - header.size) < settings.header_size_step
        and header.top - line.bottom < settings.header_line_gap * (header.bottom - header.top)
        and line.x0 >= starts[0] - settings.column_start_slack
        and (line.x1 - line.x0) >= 0.5 * (header.x1 - starts[0])
    )


def _group_row(line: PageLine, layout: ColumnLayout, gutter: float, page_number: int) -> RawRow:
    """A group row's cells: each column goes to the group label nearest its middle, each
    label's cell spans the columns it took."""
    phrases = split_phrases(line, gutter)
    edges = list(layout.starts) + [layout.right]
    middles = [(p[0]["x0"] + p[-1]["x1"]) / 2 for p in phrases]
    owner = [
        min(range(len(phrases)), key=lambda k: abs(middles[k] - (edges[c] + edges[c + 1]) / 2))
        for c in range(len(layout.starts))
    ]
    cells = []
    for k, phrase in enumerate(phrases):
        cols = [c for c, o in enumerate(owner) if o == k]
        if not cols:
            cols = [max(c for c, e in enumerate(layout.starts) if e <= phrase[0]["x0"] + 1.0)]
        bbox = (edges[cols[0]], line.top, edges[cols[-1] + 1], line.bottom)
        cells.append(
            RawCell(
                cols[0],
                cols[-1] - cols[0] + 1,
                page_number,
                bbox,
                text_lines(phrase),
                is_bold(phrase),
            )
        )
    return RawRow(page_number, (edges[0], line.top, edges[-1], line.bottom), cells)


def _label_groups(
    upper: Sequence[Sequence[Word]],
    below: Sequence[PageLine],
    gutter: float,
    settings: LayoutSettings,
) -> dict[int, tuple[float, float]]:
    """The labels of a header line that group columns named on the header's lines below
    (a cell merged across columns over a row of labels: "Responsibility" over "Lead
    Agency | Lead Officer", "Progress" over three columns), each with the space it owns:
    from its left edge to the next label's (a merged cell's label starts at its left, as
    the others do). A label groups when one line below prints two or more phrases starting in its
    space; a label wrapped onto the next line prints one phrase, at its own edge, so it
    groups nothing. Every other phrase of such a line starts at a label's edge (a wrapped
    label): a line of data under the header does not."""
    if len(upper) < 2:
        return {}
    slack = settings.column_cluster
    regions = [
        (
            upper[k][0]["x0"] - slack,
            upper[k + 1][0]["x0"] - slack if k + 1 < len(upper) else float("inf"),
        )
        for k in range(len(upper))
    ]
    found: dict[int, tuple[float, float]] = {}
    for line in below:
        phrases = split_phrases(line, gutter)
        owners = [
            next((k for k, (a, b) in enumerate(regions) if a <= p[0]["x0"] < b), -1)
            for p in phrases
        ]
        groups = {k for k in owners if k >= 0 and owners.count(k) >= 2}
        wrapped = all(
            k in groups or (k >= 0 and abs(p[0]["x0"] - upper[k][0]["x0"]) <= slack)
            for p, k in zip(phrases, owners)
        )
        if groups and wrapped:
            found.update((k, regions[k]) for k in groups)
    return dict(sorted(found.items()))


def _under_groups(
    x0: float, x1: float, upper: Sequence[Sequence[Word]], groups: Container[int]
) -> bool:
    """A rule from x0 to x1 runs under a group label alone: it starts after the label
    before the group ends and stops before the label after it starts (the group cell's
    edges lie in the gutters either side)."""
    for k in range(len(upper)):
        if k not in groups:
            continue
        lo = upper[k - 1][-1]["x1"] if k else float("-inf")
        hi = upper[k + 1][0]["x0"] if k + 1 < len(upper) else float("inf")
        if lo <= x0 and x1 <= hi:
            return True
    return False


def _grouped_header(
    head: Sequence[PageLine],
    upper: PageLine,
    groups: Sequence[tuple[Sequence[Word], tuple[float, float]]],
    cols: _Columns,
    right: float,
    page_number: int,
) -> list[RawRow]:
    """A header of two rows, as Word makes it: the first holds each group label in a cell
    spanning the columns named under it, and the labels of the other columns (merged down
    through both rows, wrapped lines and all); the second names the grouped columns."""
    edges = [*cols.starts, right]
    below = head[head.index(upper) + 1 :]
    group_words = {id(w) for label, _ in groups for w in label}
    spans = []
    for label, (x0, x1) in groups:
        under = [
            col for ln in below for w, col in zip(ln.words, cols.of_line(ln)) if x0 <= w["x0"] < x1
        ]
        spans.append((min(under), max(under), label))
    covered = {c for first, last, _ in spans for c in range(first, last + 1)}
    top: dict[int, list[Word]] = {}
    names: dict[int, list[Word]] = {}
    for ln in head:
        for w, col in zip(ln.words, cols.of_line(ln)):
            if id(w) in group_words:
                continue
            if col not in covered:
                top.setdefault(col, []).append(w)
            elif any(ln is b for b in below):
                names.setdefault(col, []).append(w)

    def cell(first: int, last: int, words: Sequence[Word]) -> RawCell:
        box = (
            edges[first],
            min(w["top"] for w in words),
            edges[last + 1],
            max(w["bottom"] for w in words),
        )
        return RawCell(first, last - first + 1, page_number, box, text_lines(words), is_bold(words))

    cells = sorted(
        [cell(col, col, ws) for col, ws in top.items()]
        + [cell(first, last, label) for first, last, label in spans],
        key=lambda c: c.col,
    )
    named = [cell(col, col, ws) for col, ws in sorted(names.items())]
    rows = [RawRow(page_number, union_bbox(c.bbox for c in cells), cells)]
    if named:
        rows.append(RawRow(page_number, union_bbox(c.bbox for c in named), named))
    return rows


def _opens_with_letter(
    line: PageLine, first: float, gutter: float, settings: LayoutSettings
) -> bool:
    """The line's first phrase, in the first column, is a lettered or Roman number alone,
    and more follows (a recommendation's row: "I | Improve the way ...")."""
    phrases = split_phrases(line, gutter)
    head = phrases[0]
    return (
        len(phrases) >= 2
        and abs(head[0]["x0"] - first) <= settings.column_cluster
        and bool(_LETTERED_NUMBER.match(" ".join(w["text"] for w in head)))
    )


def _letter_under_label(
    line: PageLine,
    head: Sequence[PageLine],
    cols: _Columns,
    gutter: float,
    settings: HeaderSettings,
) -> bool:
    """A lettered or Roman number alone ("A", "II") under a label that is whole: a
    recommendation's number in the first row, wherever its column stands (the rest of a
    label broken letter by letter in a narrow column, "RA" / "G", is under no whole
    label)."""
    labels = _column_texts(head, cols)
    for phrase in split_phrases(line, gutter):
        text = " ".join(w["text"] for w in phrase)
        if _LETTERED_NUMBER.match(text):
            label = labels[cols.of(phrase[0]["x0"])]
            if label and is_header_phrase(label, settings):
                return True
    return False


def _opens_labels(
    line: PageLine,
    header: PageLine,
    starts: Sequence[float],
    gutter: float,
    settings: LayoutSettings,
) -> bool:
    """`line`, just above `header` in its type, holds labels that go on below: the first
    language's half of bilingual labels, some ending in "/", set in the header's columns
    (most of its phrases start where the header's labels do)."""
    phrases = split_phrases(line, gutter)
    open_ = sum(1 for p in phrases if p[-1]["text"].endswith("/"))
    aligned = sum(
        1 for p in phrases if any(abs(p[0]["x0"] - x) <= settings.column_cluster for x in starts)
    )
    return (
        len(phrases) >= 2
        and open_ >= 1
        and 2 * aligned >= len(phrases)
        and line.bold == header.bold
        and abs(line.size - header.size) < settings.header_size_step
        and header.top - line.bottom < settings.header_line_gap * (header.bottom - header.top)
    )


def _pitch(
    lines: Sequence[PageLine], settings: LayoutSettings, cols: _Columns | None = None
) -> float:
    """The line spacing: the least step from a line down to the next printing in a column
    it prints in. Lines of different columns need not share a grid (a merged cell's lines
    run at their own offset beside the rows it spans, a few points off theirs), so a step
    between two lines with no column in common is no line spacing."""
    steps: list[float] = []
    if cols is not None:
        for i, a in enumerate(lines):
            mine = _columns_used(a, cols)
            for b in lines[i + 1 : i + 4]:
                if b.top > a.top and mine & _columns_used(b, cols):
                    steps.append(b.top - a.top)
                    break
    if not steps:
        steps = [b.top - a.top for a, b in zip(lines, lines[1:]) if b.top > a.top]
    if steps:
        return min(steps)
    heights = [ln.bottom - ln.top for ln in lines]
    return median(heights) * settings.pitch_height_factor if heights else settings.default_pitch


def _body_lines(
    lines: list[PageLine], begin: int, end: int, layout: ColumnLayout, settings: LayoutSettings
) -> list[int]:
    """Lines of the table body: stop at a larger font (a heading) or a wide gap."""
    out: list[int] = []
    for k in range(begin, end):
        ln = lines[k]
        if ln.size > layout.body_size + settings.body_heading_step:
            break
        if ln.x0 < layout.starts[0] - settings.body_left_overhang:
            break
        if out:
            prev = lines[out[-1]]
            if ln.top - prev.bottom > settings.body_gap_lines * max(prev.bottom - prev.top, 1.0):
                break
        out.append(k)
    return out


def _aligns(
    lines: Sequence[PageLine], layout: ColumnLayout, gutter: float, settings: LayoutSettings
) -> bool:
    """Most lines start their phrases at the carried column starts, and some line prints
    in the columns: lines that all run across them (a closing remark pushed to the next
    page, starting where the first column does) are prose, not the table's rest; a
    banner opening a page heads rows printed in the columns under it."""
    if not lines:
        return False
    hits = 0
    in_columns = False
    cols = _Columns(layout.starts, settings.column_start_slack)
    sample = lines[: settings.align_lines]
    for ln in sample:
        phrases = split_phrases(ln, gutter)
        ok = all(
            any(abs(p[0]["x0"] - s) < settings.align_slack for s in layout.starts) for p in phrases
        )
        spanning = _is_spanning(ln, cols, gutter, settings)
        in_columns = in_columns or (ok and not spanning)
        hits += ok or spanning
    return in_columns and hits >= settings.align_share * len(sample)


def with_fills(
    table: RawTable, shading: Sequence[dict], settings: LayoutSettings = DEFAULT_SETTINGS.layout
) -> RawTable:
    """The background colour of each cell of a text-engine table, from the page's filled
    shapes: a plan that shows RAG as a cell's colour alone prints nothing in the cell, so
    a coloured cell with no words is added to its row (what a drawn grid's cells carry).
    Grey and white fills (shaded headers, banded rows) add no empty cell."""
    if not shading:
        return table
    edges = table.col_edges
    for row in table.rows:
        if len(row.cells) == 1 and row.cells[0].colspan > 1:
            continue  # a banner
        present = {col for c in row.cells for col in range(c.col, c.col + c.colspan)}
        for cell in row.cells:
            if cell.fill is None:
                cell.fill = cell_fill(cell.bbox, shading, settings.cell_cover)
        top, bottom = row.bbox[1], row.bbox[3]
        for col in range(len(edges) - 1):
            if col in present:
                continue
            box = (edges[col], top, edges[col + 1] - settings.column_overrun, bottom)
            fill = cell_fill(box, shading, settings.cell_cover)
            if fill is not None and max(fill) - min(fill) >= settings.colour_spread:
                row.cells.append(RawCell(col, 1, row.page, box, [], False, fill=fill))
        row.cells.sort(key=lambda c: c.col)
    return table

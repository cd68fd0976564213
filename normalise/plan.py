"""Raw tables to typed records: sections, recommendations and actions.

The steps, in order:
1. Tables to sections: a table whose header maps to an action plan opens a
   section (its heading is the text printed above it); a table on the next page
   with the same header repeated, or with no header and the same columns,
   continues it. Tables that are not action plans are left out and counted.
2. Rows to records: full-width rows ("Recommendation 3.1: ...") and a merged
   first `Recommendation` column open recommendations; other rows are actions.
   The first row of a continued table that carries on the last action (its ref
   and action cells empty, or every cell starting mid-sentence) is joined to it.
3. Fields: text cells as printed; agency, status and dates normalised, each
   record keeping its pages, cell bboxes, warnings and a confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path

from dhrplans.extract.layout import union_bbox
from dhrplans.extract.model import LooseLine, RawCell, RawDocument, RawRow, RawTable, TextLine
from dhrplans.extract.provenance import engine as engine_info
from dhrplans.extract.provenance import is_ocr
from dhrplans.normalise import ocrfix
from dhrplans.normalise.agencies import (
    LOCAL_NAME_WORDS,
    NAME_SMALL_WORDS,
    Agency,
    AgencyRegistry,
    name_key,
)
from dhrplans.normalise.cards import card_form
from dhrplans.normalise.cells import fold_ws, glue, join_lines, vocabulary
from dhrplans.normalise.conservation import Tally, count_words, loose_words
from dhrplans.normalise.dates import documented_date_rule, parse_date_detail
from dhrplans.normalise.forms import (
    cut_before_action,
    ends_label,
    form_part,
    is_form,
    mend_label_cut_after_a_label,
    split_paired_forms,
    transpose_form,
)
from dhrplans.normalise.headers import (
    ColumnMap,
    ambiguous_labels,
    fold_label,
    in_group,
    is_header_row,
    label_key,
    label_readings,
    map_header,
    score_label,
    section_column_labels,
)
from dhrplans.normalise.ids import action_id, dedupe_ids, rec_id, section_keys
from dhrplans.normalise.numbering import (
    is_child,
    is_lower_label,
    is_ref,
    is_sub_label,
    names_recommendation,
    nth_label,
    split_number,
    top_level,
)
from dhrplans.normalise.status import (
    RAG_STATUS,
    infer_status,
    opening_status,
    parse_status,
    rag_from_colour,
    status_date,
)

from dhrplans import schemas
from dhrplans.settings import DEFAULT_SETTINGS, Settings

# Columns only an action fills: a row with none of them may be a recommendation.
ACTION_ONLY_FIELDS = frozenset(
    {"lead_agency", "lead_officer", "target_date", "completion_date", "status", "rag"}
)
# The cells that name an action in a table with no ref column: printed afresh (none the
# rest of a sentence) at the top of a page, they open a new action (_SectionReader._continues).
NAMING_FIELDS = ("action", "lead_agency", "lead_officer", "target_date")
# Never carried down a merge: an action's own text, and the recommendation (read as such).
# A ref cell merged over several actions ("2" printed once beside actions 2's rows, as
# the Recommendation cell beside it) is printed for each, as a merged lead or date is, but
# only to a row read as an action of its own (a row joined to the last is not given it).
_MERGE_KEYS = frozenset({"action", "recommendation"})
# What a row prints when it is an action of its own, not an update of the one above it.
_NAMING_FIELDS = frozenset(
    {"ref", "action", "lead_agency", "lead_officer", "target_date", "recommendation"}
)
PLAN_FIELDS = {"lead_agency", "lead_officer", "target_date", "status", "progress", "ref"}
TEXT_FIELDS = (
    "ref",
    "action",
    "lead_officer",
    "desired_outcome",
    "monitoring",
    "success_measure",
    "progress",
    "scope",
)


@dataclass(slots=True)
class Section:
    heading: str | None
    columns: list[ColumnMap]
    n_cols: int
    rows: list[tuple[RawRow, bool]] = field(default_factory=list)  # (row, opens a page)
    engines: list[str] = field(default_factory=list)
    last_page: int = 0
    last_bottom: float = 0.0  # where the section's last table ends on its last page
    form: bool = False  # read from form tables (label | value), transposed
    # (page, bbox, column edges) of each table the section was read from
    placements: list[tuple[int, tuple, list[float]]] = field(default_factory=list)
    header_words: int = 0  # words of its header and title rows (classified, not data)
    right_edges: dict[int, float] = field(default_factory=dict)
    header: RawRow | None = None  # its header row as printed (a page may break it)
    groups: list[str | None] = field(default_factory=list)  # group label over each column
    # opened by a sub-heading row naming a kind of body or a local body (split_at_agency_rows):
    # its agency as that row resolves it (None: the row settles no one body)
    kind_row: bool = False
    agency: Agency | None = None

    @property
    def labels(self) -> list[str]:
        return [fold_label(c.label) for c in self.columns]


@dataclass(slots=True)
class NormalisedDocument:
    actions: list[dict]
    recommendations: list[dict]
    n_sections: int
    engines: list[str]
    warnings: list[str]
    unmatched_agencies: list[str]
    words_in_tables: int = 0  # words printed in action-plan tables (conservation)
    words_accounted: int = 0  # of those, the words in the output or classified


def _grid_texts(row: RawRow, n_cols: int) -> list[str]:
    texts = [""] * n_cols
    for cell in row.cells:
        if 0 <= cell.col < n_cols:
            texts[cell.col] = fold_ws(cell.text)
    return texts


def header_index(table: RawTable, settings: Settings = DEFAULT_SETTINGS) -> int | None:
    """Which of a table's first two rows is its header, if either. Of two header rows,
    a first one of cells spanning several columns each ("Action | Outcome | Monitoring"
    over the columns they group) is a group header: the second row names the columns."""
    found = [
        i
        for i, row in enumerate(table.rows[:2])
        if is_header_row(_grid_texts(row, table.n_cols), settings=settings.headers)
    ]
    if found == [0, 1] and _groups(table.rows[0], table.rows[1]):
        return 1
    if found[:1] == [0] and len(table.rows) > 1 and _names_grouped(table, settings):
        return 1
    if found:
        return found[0]
    # Lower down, under rows that hold nothing or only a title: a spreadsheet printed with
    # its gridlines has its title and spacer rows inside the grid.
    for i, row in enumerate(table.rows[: settings.plan.header_search_rows]):
        if sum(1 for c in row.cells if c.text.strip()) > 1:
            texts = _grid_texts(row, table.n_cols)
            return i if i >= 2 and is_header_row(texts, settings=settings.headers) else None
    return None


def _groups(group: RawRow, names: RawRow) -> bool:
    """`group` is a group header over `names`: one of its cells spans columns that `names`
    labels one by one ("Responsibility" over "Lead Agency | Lead Officer")."""
    named = {c.col for c in names.cells if c.text.strip()}
    return any(
        c.colspan > 1 and len(named & set(range(c.col, c.col + c.colspan))) >= 2
        for c in group.cells
        if c.text.strip()
    )


def _names_grouped(table: RawTable, settings: Settings) -> bool:
    """The second row names the columns the header's group cells span, and only those
    ("Evidence | Status | Signed off by" under "Review"; the other columns' cells are
    merged down through both rows): a group names few columns, so enough of its labels
    are known as a share, though fewer than a whole header's."""
    group, names = table.rows[0], table.rows[1]
    spanned = {
        col
        for c in group.cells
        if c.text.strip() and c.colspan > 1
        for col in range(c.col, c.col + c.colspan)
    }
    filled = [c for c in names.cells if c.text.strip()]
    if len(filled) < 2 or any(c.col not in spanned for c in filled) or not _groups(group, names):
        return False
    over = {
        col: fold_ws(c.text)
        for c in group.cells
        if c.text.strip() and c.colspan > 1
        for col in range(c.col, c.col + c.colspan)
    }
    known = sum(
        score_label(c.text, settings=settings.headers)[1] >= settings.headers.label_cutoff
        or label_key(c.text, settings.headers) in ambiguous_labels()
        # a label only its group explains ("Start | End" under "Timescale")
        or in_group(c.text, over.get(c.col), settings.headers) is not None
        for c in filled
    )
    return known >= settings.headers.label_share * len(filled)


def group_labels(table: RawTable, index: int) -> list[str | None]:
    """The group label printed over each column of a header of two rows ("Progress" over
    "Comment | Date"), None where no group cell spans the column."""
    groups: list[str | None] = [None] * table.n_cols
    if index != 1 or not _groups(table.rows[0], table.rows[1]):
        return groups
    for cell in table.rows[0].cells:
        if cell.colspan > 1 and cell.text.strip():
            for col in range(cell.col, min(cell.col + cell.colspan, table.n_cols)):
                groups[col] = fold_ws(cell.text)
    return groups


def header_row(table: RawTable, index: int) -> RawRow:
    """The row of labels at `index`; under a group header, with the labels the group row
    prints for columns merged down through both rows ("Recommendation", "Status" beside
    "Responsibility" over "Lead Agency | Lead Officer")."""
    names = table.rows[index]
    if index != 1 or not _groups(table.rows[0], names):
        return names
    named = {c.col for c in names.cells if c.text.strip()}
    merged = [c for c in names.cells if c.text.strip()] + [
        c for c in table.rows[0].cells if c.text.strip() and c.colspan == 1 and c.col not in named
    ]
    return RawRow(names.page, names.bbox, sorted(merged, key=lambda c: c.col))


def _row_labels(
    row: RawRow,
    n_cols: int,
    settings: Settings,
    edges: Mapping[int, float] | None = None,
    words: frozenset[str] = frozenset(),
) -> list[str]:
    """Labels per column; a broken word inside a label is mended from its lines as a
    cell's are (`join_lines`), against the column's text edge (`edges`, from the table's
    cells: `_column_edges`) and the document's words. A header cell is as narrow as its
    column, and a label wider than it is broken the same way ("Acheiveme" / "nt date");
    its own bbox ends at the next column's text where no rule parts them, too far right
    to show the line filled."""
    labels = [""] * n_cols
    for cell in row.cells:
        if 0 <= cell.col < n_cols:
            edge = (edges or {}).get(cell.col) if cell.colspan == 1 else None
            if edge is None:
                edge = cell.bbox[2] - settings.layout.column_overrun
            labels[cell.col] = join_lines(cell.lines, edge, words, settings.cells)
            labels[cell.col] = _two_languages(cell, labels[cell.col], settings) or labels[cell.col]
    return labels


def _column_edges(table: RawTable) -> dict[int, float]:
    """Each column's text edge over the table's cells (`_text_edge`), as a section's
    `right_edges` are kept."""
    edges: dict[int, float] = {}
    for row in table.rows:
        for cell in row.cells:
            if cell.colspan == 1 and cell.lines:
                edge = _text_edge(cell, table.engine)
                edges[cell.col] = max(edges.get(cell.col, 0.0), edge)
    return edges


def _same_labels(labels: Sequence[str], others: Sequence[str]) -> bool:
    """Two headers read alike, their labels folded and their spaces aside: a label a
    narrow column broke mid-word is mended against the column's text edge, which moves
    with the cells under it from page to page ("Acheivement date" / "Acheiveme nt date")."""

    def squeezed(values: Sequence[str]) -> list[str]:
        return [fold_label(v).replace(" ", "") for v in values]

    return squeezed(labels) == squeezed(others)


def _two_languages(cell: RawCell, label: str, settings: Settings) -> str | None:
    """A label printed in two languages one line over the other ("Arweinydd" over "Lead"):
    the whole reads as no label, the last line alone does, the lines above as no label at
    all. Given as "Arweinydd / Lead", the form a bilingual label takes on one line."""
    if len(cell.lines) < 2 or len(label.split()) > settings.plan.bilingual_label_max_words:
        return None  # a cell of data, not a label in two languages
    cutoff, foreign = settings.headers.label_cutoff, settings.headers.foreign_label_cutoff
    known = ambiguous_labels()
    if score_label(label, settings=settings.headers)[1] >= cutoff or label_key(label) in known:
        return None
    upper = " ".join(line.text for line in cell.lines[:-1])
    lower = cell.lines[-1].text
    lower_known = score_label(lower, settings=settings.headers)[1] >= cutoff
    if not (lower_known or label_key(lower) in known):
        return None
    if score_label(upper, settings=settings.headers)[1] >= foreign:
        return None
    return f"{upper} / {lower}"


def is_action_plan(columns: list[ColumnMap]) -> bool:
    fields = {c.field for c in columns if c.field}
    has_action = bool(fields & {"action", "recommendation"})
    return has_action and len(fields & PLAN_FIELDS) >= 2


def build_sections(
    tables: list[RawTable],
    warnings: list[str],
    settings: Settings = DEFAULT_SETTINGS,
    unread: list[tuple[int, int]] | None = None,
    title: str | None = None,
    catalogue: dict[str, tuple[str, RawCell]] | None = None,
    words: frozenset[str] = frozenset(),
    blank_pages: frozenset[int] = frozenset(),
) -> list[Section]:
    """Group raw tables into sections, joining tables continued across pages. A table
    with no header and no heading of its own that cannot continue a section, once the
    plan has begun, is unread: its (page, words) go to `unread` (conservation). A list of
    the recommendations alone (number | text) goes to `catalogue` (number -> text, cell).
    `blank_pages` print nothing (no table, no line): a table's rest after one (Word leaves
    a blank page where a page break follows a table filling its page) is the next page's."""
    sections: list[Section] = []
    current: Section | None = None
    seen_pages: set[int] = set()
    queue = split_paired_forms([card_form(table, settings) for table in tables], settings)
    rests: list[RawTable] = []  # tables that are the rest of the last action (kept: not ids)
    skipped: RawTable | None = None  # the last table read as no action plan
    while queue:
        table = queue.pop(0)
        if (current is None or not current.form) and queue:
            joined = cut_before_action(table, queue[0], settings)
            if joined is not None:
                seen_pages.add(queue.pop(0).page)  # the form's rest: read with its start
                table, after = joined
                if after is not None:
                    queue.insert(0, after)  # the next forms, under the rest
        if current is not None and current.form and table.n_cols == 2 and queue:
            mended = mend_label_cut_after_a_label(table, queue[0], current.labels)
            if mended is not None:
                table, after = mended
                if after is None:
                    queue.pop(0)
                else:
                    queue[0] = after
        if current is not None and current.form and table.n_cols == 2:
            cut = _opens_again(table, current.labels[0] if current.labels else None)
            if cut:
                # the rest of the last action (cut by the page or by spacing), then the
                # next action opening with the form's first label: two forms, the first
                # read as the rest of the last one
                queue.insert(0, _rows_of(table, cut, None, heading=False))
                table = _rows_of(table, 0, cut, heading=True)
                rests.append(table)
            elif _rest_only(table, current.labels[0] if current.labels else None):
                rests.append(table)  # the last action's rest alone
        first_on_page = table.page not in seen_pages
        seen_pages.add(table.page)
        was_form = is_form(table, settings)
        part = None
        if current is not None and current.form and table.n_cols == 2:
            rest = any(t is table for t in rests)
            if (first_on_page or rest) and len(current.placements) == 1:
                # the rest of the section's first form, cut by the page or (on the same
                # page) by spacing: the labels it prints are the section's too
                _grow_form(current, table, settings)
            # The next form of a form section, whole or cut by a page: its labels are
            # among the section's (a form cut at the foot of a page has only some).
            last = (
                [c.col for c in current.rows[-1][0].cells if c.text.strip()] if current.rows else []
            )
            part = form_part(table, current.labels, settings, max(last, default=None))
            if part is not None:
                part = _section_heading(_heading_as_recommendation(part, settings), title)
            if part is not None and part.heading is None:
                _extend(current, part, part.rows, opens_page=first_on_page or rest)
                continue
            if part is not None:
                # A new section (an agency's heading) in the same form: read in the form's
                # columns, also when its first form is cut short by the page (too few
                # rows, or too few fields, to read as a plan on its own).
                current = Section(part.heading, current.columns, current.n_cols, form=True)
                sections.append(current)
                _extend(current, part, part.rows, opens_page=False)
                continue
        if was_form:
            table = transpose_form(table)
        table = _section_heading(_heading_as_recommendation(table, settings), title)
        follows = (
            current is not None
            and first_on_page
            and _heading_continues(table.heading, current.heading)
            and table.page > current.last_page
            and all(p in blank_pages for p in range(current.last_page + 1, table.page))
        )
        index = header_index(table, settings)
        if index is not None:
            labels = _row_labels(
                header_row(table, index), table.n_cols, settings, _column_edges(table), words
            )
            groups = group_labels(table, index)
            columns = map_header(labels, settings=settings.headers, groups=groups)
            # a form naming the action is a plan's, however few its fields (the page cut
            # the plan's first form: the rest, on the next page, names the others)
            cut_form = was_form and any(c.field == "action" for c in columns)
            if not is_action_plan(columns) and not cut_form:
                if catalogue is not None:
                    catalogue.update(_recommendation_list(table, index, columns, settings))
                shown = ", ".join(label for label in labels if label)[:80]
                warnings.append(
                    f"page {table.page}: skipped a table that is not an action plan ({shown})"
                )
                current, skipped = None, table
                continue
            body = table.rows[index + 1 :]
            titled = index == 1 and _is_title_row(table.rows[0], table.n_cols)
            if titled and names_recommendation(table.rows[0].cells[0].text):
                # a recommendation's own table, its title row over the header: the
                # recommendation of the rows below, not a section heading
                body, titled = [table.rows[0], *body], False
            same_labels = current is not None and _same_labels(labels, current.labels)
            # a title row of its own ("Agency: X" over the header) opens a new section,
            # though the table runs on below the last with the same header
            retitled = (
                titled
                and current is not None
                and (fold_ws(table.rows[0].cells[0].text) != current.heading)
            )
            if same_labels and not retitled and (follows or _runs_on_below(table, current, False)):
                _extend(current, table, body, opens_page=follows)
                continue
            heading = table.heading
            if titled:
                heading = fold_ws(table.rows[0].cells[0].text)  # a title row inside the table
            current = Section(heading, columns, table.n_cols, form=was_form, groups=groups)
            current.header = header_row(table, index)
            sections.append(current)
            _extend(current, table, body, opens_page=False)
        elif follows and table.n_cols == current.n_cols:
            rows = table.rows
            if not current.rows and rows and _rest_of_header(current, rows[0], settings, words):
                rows = rows[1:]  # the header's rest, carried over the page
            _extend(current, table, rows)
        elif _runs_on_below(table, current):
            _extend(current, table, table.rows, opens_page=False)
        elif _continues_skipped(table, skipped, first_on_page):
            # the rest of a table that is no plan (a summary or key after the plan, run
            # onto the next page): skipped with it, its words no plan's
            warnings.append(
                f"page {table.page}: skipped the rest of a table that is not an action plan"
            )
            skipped = table
            continue
        else:
            warnings.append(f"page {table.page}: skipped a table with no recognisable header")
            lost = bool(sections) and unread is not None and table.heading is None
            if lost:
                n_words = sum(count_words(c.text) for r in table.rows for c in r.cells)
                unread.append((table.page, n_words))
            # a table under a heading of its own ("Key") is no plan's: its rest too
            current, skipped = None, (None if lost else table)
    return _drop_recommendation_lists(sections, warnings, settings, catalogue)


def _drop_recommendation_lists(
    sections: list[Section],
    warnings: list[str],
    settings: Settings = DEFAULT_SETTINGS,
    catalogue: dict[str, tuple[str, RawCell]] | None = None,
) -> list[Section]:
    """A summary of the recommendations printed before the action plan ("No. |
    Recommendation | Agency"): a table with a Recommendation column and no Action column,
    every row of which holds a recommendation that a later action table prints again (in
    its merged Recommendation column or its banner rows). Its rows are no actions: the
    table is a list of the recommendations (to `catalogue`, number -> text, cell) and is
    skipped with a warning, as a table that is no action plan is. A table with no Action
    column whose recommendations are printed nowhere else is the plan itself (its
    recommendations are its actions) and stays. Each listed text is a sentence (at least
    `listed_recommendation_words` words), so a short cell found inside a longer one
    proves nothing."""
    kept: list[Section] = []
    for k, section in enumerate(sections):
        fields = [c.field for c in section.columns]
        listed = _rows_listing_recommendations(
            section, fields, sections[k + 1 :], settings.plan.listed_recommendation_words
        )
        if listed is None:
            kept.append(section)
            continue
        if catalogue is not None:
            for number, item in listed.items():
                catalogue.setdefault(number, item)
        page = section.placements[0][0] if section.placements else section.last_page
        warnings.append(
            f"page {page}: skipped a table listing the recommendations the action plan prints again"
        )
    return kept


def _rows_listing_recommendations(
    section: Section, fields: list[str | None], later: list[Section], min_words: int
) -> dict[str, tuple[str, RawCell]] | None:
    """number -> (text, cell) of each row of a section that only lists recommendations
    printed again in a later section (see _drop_recommendation_lists); None when it is
    not such a list."""
    if section.form or "recommendation" not in fields or "action" in fields or not later:
        return None
    text_col = fields.index("recommendation")
    number_col = fields.index("ref") if "ref" in fields else None
    # printed again by an action table (one with an Action column): a recommendation-only
    # table of another agency printing a shared recommendation is no reprint of the list
    again = {
        fold_ws(split_number(c.text)[1]).casefold()
        for s in later
        if any(c.field == "action" for c in s.columns)
        for row, _ in s.rows
        for c in row.cells
        if c.text.strip()
    }
    found: dict[str, tuple[str, RawCell]] = {}
    listed = 0
    for row, _ in section.rows:
        cells = {c.col: c for c in row.cells}
        cell = cells.get(text_col)
        if cell is None or not cell.text.strip():
            if any(c.text.strip() for c in row.cells):
                return None  # a row with no recommendation: not a list of them
            continue
        number, text = split_number(fold_ws(cell.text))
        text = fold_ws(text)
        if len(text.split()) < min_words or not any(text.casefold() in p for p in again):
            return None
        listed += 1
        printed = cells[number_col].text if number_col in cells else ""
        if is_ref(printed):
            number = printed.strip("() .")
        if number:
            found[number] = (text, cell)
    return found if listed else None  # a list printing no numbers catalogues none


def _continues_skipped(table: RawTable, skipped: RawTable | None, first_on_page: bool) -> bool:
    """A headerless table opening the page after a table read as no action plan, in as
    many columns, with no heading of its own: that table's rest, carried over the page."""
    return (
        skipped is not None
        and first_on_page
        and table.heading is None
        and table.page == skipped.page + 1
        and table.n_cols == skipped.n_cols
    )


def _rest_of_header(
    section: Section, row: RawRow, settings: Settings, words: frozenset[str] = frozenset()
) -> bool:
    """A header the page broke: its first lines at the foot of one page, nothing under
    them, the rest of its labels ("n / Action" after "Recommendatio", "(Y/N)" after
    "Completed?") opening the next. The row is the header's rest when its cells sit under
    the header's labels, read as no row of data (a few words each, no number or date) and
    make the labels read better: the section's columns are mapped again from the whole."""
    header = section.header
    if header is None:
        return False
    above = {c.col: c for c in header.cells}
    filled = [c for c in row.cells if c.text.strip()]
    if not filled or any(
        c.col not in above
        or len(c.text.split()) > settings.plan.header_rest_max_words
        or is_ref(c.text)
        or parse_date_detail(c.text).value is not None
        for c in filled
    ):
        return False
    rest = {c.col: c for c in filled}
    joined = RawRow(
        header.page,
        header.bbox,
        [
            replace(c, lines=[*c.lines, *rest[c.col].lines]) if c.col in rest else c
            for c in header.cells
        ],
    )
    labels = _row_labels(joined, section.n_cols, settings, section.right_edges, words)
    columns = map_header(labels, settings=settings.headers, groups=section.groups)

    def strength(cols: list[ColumnMap]) -> tuple[int, float]:
        known = [c for c in cols if c.field]
        return len(known), sum(c.score for c in known)

    if strength(columns) <= strength(section.columns):
        return False
    section.columns, section.header = columns, joined
    return True


def _form_labels(table: RawTable) -> list[str]:
    """The folded label of each row of a form table ("" where a row has none)."""
    return [
        fold_label(r.cells[0].text) if r.cells and r.cells[0].col == 0 else "" for r in table.rows
    ]


def _opens_action(labels: list[str], opener: str | None) -> bool:
    """The form's rows open an action: their first label is the section's first (perhaps
    cut by the page), or there is nothing to tell by."""
    return not opener or not labels or not labels[0] or opener.startswith(labels[0])


def _opens_again(table: RawTable, opener: str | None) -> int | None:
    """Where a form table that does not open with its section's first label (`opener`,
    folded) prints it further down: the start of the next action after the rest of one."""
    labels = _form_labels(table)
    if _opens_action(labels, opener):
        return None
    return next((k for k, label in enumerate(labels) if k and label == opener), None)


def _rest_only(table: RawTable, opener: str | None) -> bool:
    """A form table that does not print its section's first label: the rest of the last
    action, set apart from it by spacing, the page or a block read out of step with the
    forms (its action row included, where the form prints the action last). Whether its
    fields are the ones the last action lacks is the record builder's test."""
    labels = _form_labels(table)
    return not _opens_action(labels, opener) and opener not in labels


def _rows_of(table: RawTable, start: int, stop: int | None, heading: bool) -> RawTable:
    """A part of a table's rows as a table of its own (the headings with the first part)."""
    rows = table.rows[start:stop]
    return RawTable(
        page=table.page,
        bbox=union_bbox(r.bbox for r in rows),
        engine=table.engine,
        n_cols=table.n_cols,
        col_edges=table.col_edges,
        rows=rows,
        heading=table.heading if heading else None,
        heading_bbox=table.heading_bbox if heading else None,
        outer_heading=table.outer_heading if heading else None,
        outer_heading_bbox=table.outer_heading_bbox if heading else None,
    )


def _recommendation_list(
    table: RawTable, index: int, columns: list[ColumnMap], settings: Settings
) -> dict[str, tuple[str, RawCell]]:
    """A table of the recommendations alone ("No. | Recommendation"), printed before an
    action table that names them by number only: number -> (text, its cell)."""
    fields = [c.field for c in columns]
    if "recommendation" not in fields or set(filter(None, fields)) - {"ref", "recommendation"}:
        return {}
    text_col = fields.index("recommendation")
    number_col = fields.index("ref") if "ref" in fields else None
    found: dict[str, tuple[str, RawCell]] = {}
    for row in table.rows[index + 1 :]:
        cells = {c.col: c for c in row.cells}
        cell = cells.get(text_col)
        if cell is None or not cell.text.strip():
            continue
        number, text = split_number(fold_ws(cell.text))
        printed = cells.get(number_col).text if number_col in cells else ""
        if is_ref(printed):
            number = printed.strip("() .")
        if number:
            found[number] = (fold_ws(text), cell)
    return found


def _listed_recommendations(
    lines: Sequence[LooseLine], settings: Settings
) -> dict[str, tuple[str, RawCell]]:
    """The recommendations printed as a numbered list of paragraphs outside the tables
    ("1. All agencies should ...", "2. The partnership should ..."), for an action table
    that names them by number only ("Rec 2"): number -> (text, its lines as one cell).
    Told by its numbering: items numbered 1, 2, 3 ... (or i, ii, iii ...; a, b, c ...:
    `nth_label`), in turn or each number up to the last printed once, each a sentence of
    several words (a report's numbered section titles are short, and their paragraphs
    start on a line of their own under them), each item's lines closely set under its
    first at its edge or indented. A Word file's paragraphs come as lines of
    no height set apart (each whole), their boxes (0, 2k, 1, 2k) the k-th paragraph."""
    found: dict[str, tuple[str, RawCell]] = {}
    run: list[tuple[str, list[LooseLine]]] = []

    def close() -> None:
        words = settings.plan.listed_recommendation_words
        if run:
            first = run[0][0]
            in_turn = [nth_label(first, k) for k in range(1, len(run) + 1)]
            if sorted(n for n, _ in run) != sorted(in_turn):
                # not every number from the first on, once each: the items in turn are the list
                cut = next(k for k, (n, _) in enumerate(run) if n != in_turn[k])
                del run[cut:]
        texts = [
            fold_ws(" ".join([split_number(ls[0].text, lower=True)[1], *(x.text for x in ls[1:])]))
            for _, ls in run
        ]
        # a number's line of a few words going on over more lines is a report's
        # numbered heading over its paragraphs ("1. Introduction" / its text), not an
        # item whose sentence wrapped
        headed = any(
            len(ls) > 1 and len(split_number(ls[0].text, lower=True)[1].split()) < words
            for _, ls in run
        )
        if len(run) >= 2 and not headed and all(len(t.split()) >= words for t in texts):
            for (number, item), text in zip(run, texts):
                box = union_bbox(x.bbox for x in item)
                found[number] = (text, RawCell(0, 1, item[0].page, box, []))
        run.clear()

    for line in lines:
        number, _ = split_number(line.text, lower=True)
        if (
            number is not None
            and run
            and number not in {n for n, _ in run}
            and number in {nth_label(run[0][0], k) for k in range(2, 41)}
        ):
            # the next item; a list may follow the order the plan takes its recommendations
            # in (by agency), each number still printed once
            run.append((number, [line]))
            continue
        if run:
            last = run[-1][1][-1]
            height = last.bbox[3] - last.bbox[1]
            if (
                number is None
                and height > 0
                and line.page == last.page
                and 0 <= line.bbox[1] - last.bbox[3] <= settings.plan.listed_line_gap * height
                and line.bbox[0] >= run[-1][1][0].bbox[0] - settings.layout.column_cluster
            ):
                run[-1][1].append(line)  # the item's text wrapped
                continue
        close()
        if number is not None and nth_label(number, 1) == number:
            run.append((number, [line]))  # "1.", "i.", "a." open a list
    close()
    return found


def _list_items_heading_tables(
    raw: RawDocument, lines: Sequence[LooseLine], settings: Settings
) -> dict[str, tuple[str, RawCell]]:
    """A numbered list of the recommendations printed right above the action table: its
    last item ("9. The board should ...") is the nearest line over the table, taken
    as the table's heading, and would read as a recommendation's banner over every row.
    It is the list's item when it follows the list's items in turn (the item numbered one
    less printed just above it, no other table's heading): the heading is taken off the
    table (with the line above it, the list's too), and the item (number -> text, cell)
    returned for the list. A banner over each
    recommendation's table is no such item: the item before it heads a table too."""
    headed = [t for t in raw.tables if t.heading and t.heading_bbox is not None]
    if not headed:
        return {}
    heading_items = set()
    for table in headed:
        number, text = split_number(table.heading or "", lower=True)
        heading_items.add((number, fold_ws(text)))
    if raw.loose_lines:
        # a PDF's heading lines are no loose lines: set them back among the lines in turn
        extra = [
            LooseLine(t.page, t.heading_bbox, t.heading, (t.heading_bbox[0],))
            for t in headed
            if t.heading_bbox is not None
        ]
        lines = sorted([*lines, *extra], key=lambda x: (x.page, x.bbox[1], x.bbox[0]))
    found = _listed_recommendations(lines, settings)
    items: dict[str, tuple[str, RawCell]] = {}
    for table in headed:
        number, text = split_number(table.heading or "", lower=True)
        if number is None or number not in found or fold_ws(text) != found[number][0]:
            continue
        before = _previous_item(number, found)
        if before is None or (before, found[before][0]) in heading_items:
            continue  # the item before heads a table of its own: banners, not a list
        items[number] = found[number]
        # what is printed above it is the list too (its items, its title): no heading
        table.heading = table.heading_bbox = None
        table.outer_heading = table.outer_heading_bbox = None
    return items


def _previous_item(number: str, found: Mapping[str, object]) -> str | None:
    """The number printed before `number` in a list numbered in turn, when listed."""
    keys = list(found)
    k = keys.index(number)
    return keys[k - 1] if k > 0 else None


def _grow_form(section: Section, table: RawTable, settings: Settings) -> None:
    """A form section whose only form so far was cut (by the page, or by spacing) learnt
    only the labels printed before the break: the known labels the rest of it prints are
    the section's too (each field still free, else kept in `extra`). The labels of a
    form are one header: a label that names one of several fields ("Outcome": progress
    or desired outcome, schemas/ambiguous_labels.csv) took the first of them while the
    form's other labels were unseen, and yields it to a label of the rest that names it
    alone ("Comments": progress), as it would in a header printed whole."""
    fresh = []
    for k, row in enumerate(table.rows):
        cell = next((c for c in row.cells if c.col == 0 and c.colspan == 1), None)
        if cell is None or fold_label(cell.text) in section.labels:
            continue
        if k == 0 and any(ends_label(label, fold_label(cell.text)) for label in section.labels):
            continue  # the rest of a label the page cut ("Argymhelliad" / "Recommendation")
        field, score = score_label(cell.text, settings=settings.headers)
        if field is None or score < settings.headers.label_cutoff:
            return  # not the same form
        fresh.append(cell.text)
    if not fresh:
        return
    mapped = map_header([c.label for c in section.columns] + fresh, settings=settings.headers)
    choices = ambiguous_labels()
    for k, column in enumerate(section.columns):
        whole = mapped[k].field
        held = {c.field for c in section.columns if c is not column}
        if whole and whole not in held and label_key(column.label) in choices:
            section.columns[k] = ColumnMap(column.label, whole, column.score)
    used = {c.field for c in section.columns if c.field}
    for column in mapped[len(section.columns) :]:
        if column.field in used:
            column = ColumnMap(column.label, None, column.score)
        used.add(column.field)
        section.columns.append(column)
    section.n_cols = len(section.columns)


def _runs_on_below(table: RawTable, current: Section | None, same_page: bool = True) -> bool:
    """A table with no heading of its own, printed right under the section's last table
    on the same page in as many columns, is the rest of it (a grid whose rules stop
    while its rows go on; the next block of a form plan). `same_page=False` also takes
    the first table of the next page."""
    if current is None or table.n_cols != current.n_cols:
        return False
    placed = engine_info(table.engine).placed
    if table.heading is not None:
        # A Word table has no pages: the rest of a plan after a page break is the next
        # table, in the same grid, under the section's heading again ("... (continued)"),
        # as the PDF path joins the next page's table under that line.
        return (
            not placed
            and table.page == current.last_page
            and (_heading_continues(table.heading, current.heading))
        )
    if table.page == current.last_page:
        # a Word table has no place on a page: the next table in the document is below
        return not placed or table.bbox[1] >= current.last_bottom - 2
    return not same_page and table.page == current.last_page + 1


def _heading_as_recommendation(table: RawTable, settings: Settings) -> RawTable:
    """A numbered recommendation printed as a paragraph above its table ("R1 - Cumbria
    CSP should ...", "Recommendation 3: ...") is the table's first banner row, not a
    section heading: the table continues the section. A numbered line of a few words
    ("3. Birmingham City Council") stays a heading."""
    heading = table.heading
    if not heading or table.heading_bbox is None:
        return table
    caption = table.outer_heading
    if (
        caption
        and table.outer_heading_bbox is not None
        and names_recommendation(caption)
        and not split_number(caption)[1]
        and split_number(heading)[0] is None
    ):
        # "Recommendation 3" over a paragraph of its text, over the table: one banner
        x0, top, x1, _ = table.outer_heading_bbox
        bottom = table.heading_bbox[3]
        table.heading = f"{caption}: {heading}"
        table.heading_bbox = (
            min(x0, table.heading_bbox[0]),
            top,
            max(x1, table.heading_bbox[2]),
            bottom,
        )
        table.outer_heading = table.outer_heading_bbox = None
        heading = table.heading
    number, text = split_number(heading)
    if number is None or not (
        names_recommendation(heading)
        or (
            len(text.split()) >= settings.plan.rec_heading_min_words
            # a body's name, however long ("2. Elmshire and Wessex NHS Foundation Trust"),
            # is set word by word in capitals; a recommendation is a sentence ("... should
            # review ..."), its words after the first mostly in lower case
            and not _title_cased(text.rstrip(" .:"))
        )
    ):
        return table
    x0, top, x1, bottom = table.heading_bbox
    width = max(len(heading), 1)
    line = TextLine(heading, x0, x1, top, bottom, (x1 - x0) / width)
    cell = RawCell(0, table.n_cols, table.page, table.heading_bbox, [line], True)
    banner = RawRow(table.page, table.heading_bbox, [cell])
    index = header_index(table, settings)
    titled = index == 1 and _is_title_row(table.rows[0], table.n_cols)
    first = fold_ws(_filled(table.rows[0])[0].text) if titled else ""
    # the rest of a sentence the page broke: the heading stops mid-sentence, the row above
    # the header goes on in lower case (a recommendation's title row cut by the page)
    cut = bool(text) and text.rstrip()[-1:] not in ".!?:;" and first[:1].islower()
    if titled and (not text or cut):
        # A caption naming only the number ("Recommendation 3") over a table whose first
        # row, above the header, spans it: that row is the recommendation's text.
        title = next(c for c in table.rows.pop(0).cells if c.text.strip())
        box = tuple(f(a, b) for f, a, b in zip((min, min, max, max), cell.bbox, title.bbox))
        cell = RawCell(0, table.n_cols, table.page, box, [line, *title.lines], True)
        banner, index = RawRow(table.page, box, [cell]), 0
    at = 0 if index is None else index + 1
    table.rows.insert(at, banner)
    table.heading, table.heading_bbox = table.outer_heading, table.outer_heading_bbox
    return table


def _section_heading(table: RawTable, title: str | None = None) -> RawTable:
    """The document's own title, and the title of a part of the document ("Appendix 1 -
    Action Plan", schemas/document_parts.csv), name no section: taken off the heading."""
    if not table.heading:
        return table
    heading = table.heading.strip()
    if title and fold_label(heading) == fold_label(title):
        heading = ""
    for kind, pattern in schemas.document_parts():
        found = pattern.match(heading)
        # the plan's own title is taken off only when more follows (alone, it stays)
        if found and (kind == "part" or (kind == "plan" and heading[found.end() :].strip())):
            heading = heading[found.end() :].strip()
    if heading != table.heading.strip():
        table.heading = heading or None
        if not heading:
            table.heading_bbox = None
    return table


def _filled(row: RawRow) -> list[RawCell]:
    return [c for c in row.cells if c.text.strip()]


def _is_title_row(row: RawRow, n_cols: int) -> bool:
    filled = _filled(row)
    return len(filled) == 1 and filled[0].colspan >= max(2, n_cols - 1)


CONTINUED = re.compile(r"\(?\b(cont(inued)?|cont'd|contd)\b\.?\)?", re.IGNORECASE)


def _heading_continues(heading: str | None, previous: str | None) -> bool:
    """No heading over the next page's table, or the same one again ("... (continued)")."""
    if heading is None:
        return True
    if previous is None:
        return False
    return fold_label(CONTINUED.sub("", heading)) == fold_label(CONTINUED.sub("", previous))


def _extend(section: Section, table: RawTable, rows: list[RawRow], opens_page: bool = True) -> None:
    section.placements.append((table.page, table.bbox, table.col_edges))
    skipped = [r for r in table.rows if all(r is not x for x in rows)]
    section.header_words += sum(count_words(c.text) for r in skipped for c in r.cells)
    for i, row in enumerate(rows):
        section.rows.append((row, opens_page and i == 0))
    if table.engine not in section.engines:
        section.engines.append(table.engine)
    section.last_page = table.page
    section.last_bottom = table.bbox[3]
    for row in rows:
        for cell in row.cells:
            if cell.colspan == 1 and cell.lines:
                edge = _text_edge(cell, table.engine)
                section.right_edges[cell.col] = max(section.right_edges.get(cell.col, 0.0), edge)


def _text_edge(cell, engine: str) -> float:
    """Where text in this cell's column must stop: the cell's border less its padding.

    Ruled cells show their padding (text starts that far inside the left border);
    in tables without vertical rules the cell bbox ends at the next column's text,
    so the padding on both sides is taken off.
    """
    pad = max(0.0, min(line.x0 for line in cell.lines) - cell.bbox[0])
    if engine_info(engine).drawn_cells:
        return max(cell.bbox[2] - pad, max(line.x1 for line in cell.lines))
    return max(line.x1 for line in cell.lines)


FUNCTION_WORDS = frozenset("a an and as at by for from in into of on or the to with within".split())


def _carries_on(before: str, after: str) -> bool:
    """`after` reads as the rest of the sentence `before` broke off."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after or before[-1] in ".!?;:":
        return before[-1:] == "." and after[:1].isdigit() and before[-2:-1].isdigit()
    last_word = before.split()[-1].lower()
    return after[0].islower() or after[0].isdigit() or last_word in FUNCTION_WORDS


@cache
def _row_patterns(path: Path) -> re.Pattern[str]:
    """One pattern of a vocabulary of regular expressions (a `pattern` column): the
    summary, sign-off and no-action rows' words, the collective leads."""
    rows = schemas.read_vocabulary(path)
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows), re.IGNORECASE)


def _first_filled(row: RawRow) -> tuple[int, str]:
    """How many of a row's cells are filled, and the text of the leftmost of them."""
    filled = [c for c in row.cells if c.text.strip()]
    first = min(filled, key=lambda c: c.col).text if filled else ""
    return len(filled), fold_ws(first).strip()


def _sums_up(row: RawRow) -> bool:
    """A totals or summary row under the actions ("Total | 10 actions: 4 complete ..."):
    its first filled cell is a summary label alone, with more printed beside it (a label
    alone is a heading's business). schemas/summary_rows.csv holds the labels."""
    n, first = _first_filled(row)
    return n >= 2 and bool(_row_patterns(schemas.SUMMARY_ROWS_CSV).fullmatch(first))


def _signs_off(row: RawRow) -> bool:
    """A row recording who agreed the plan and when ("Agreed by: Chair of the Panel |
    Signed: ... | 18/10/2023"): its first filled cell opens with a sign-off label
    (schemas/sign_off_rows.csv)."""
    n, first = _first_filled(row)
    return n >= 1 and bool(_row_patterns(schemas.SIGN_OFF_ROWS_CSV).match(first))


def _says_no_action(texts: Sequence[str]) -> bool:
    """A row whose whole text says its recommendation has no action yet ("Actions to be
    agreed", "No further actions required"): schemas/no_action_rows.csv."""
    filled = [fold_ws(t).strip() for t in texts if t.strip()]
    said = _row_patterns(schemas.NO_ACTION_ROWS_CSV).fullmatch(" ".join(filled))
    return 0 < len(filled) <= 2 and bool(said)


@lru_cache(maxsize=1)
def _context_labels() -> re.Pattern[str]:
    """A row opening with a label of a recommendation's context ("Rationale:", "Finding
    4:"): schemas/context_rows.csv, maybe numbered, then a colon."""
    rows = schemas.read_vocabulary(schemas.CONTEXT_ROWS_CSV)
    labels = "|".join(re.escape(r["label"]).replace(r"\ ", r"\s+") for r in rows)
    return re.compile(rf"^\s*(?:{labels})(?:\s+[0-9]+[a-z]?(?:\.[0-9]+)*)?\s*:", re.IGNORECASE)


def _context_label(text: str) -> bool:
    return bool(_context_labels().match(text or ""))


def _is_banner(row: RawRow, n_cols: int, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """A recommendation row: one cell across the table; or the row's only text reads
    "Recommendation N ..." or opens with a top-level number and a sentence ("7 Text",
    where its actions are 7.1, 7.2: recommendations and actions in one column); or a
    "Recommendation N" label with its text merged across the rest of the row."""
    filled = [c for c in row.cells if c.text.strip()]
    if len(filled) == 1:
        span = filled[0].colspan
        return span >= max(2, n_cols - 1) or _reads_as_recommendation(
            _label_text(filled[0]), settings
        )
    if len(filled) == 2:
        label, body = filled
        printed = _label_text(label)
        return (
            (
                names_recommendation(printed)
                and len(printed) <= settings.plan.rec_label_max_chars
                and body.colspan >= max(2, n_cols - 2)
            )
            or _beside_merged_column(label, body, n_cols, settings)
            or _numbered_across(label, body, n_cols)
        )
    return False


def _label_text(cell: RawCell) -> str:
    """A cell's text with the words its narrow column broke mended: a label cell as
    narrow as a ref column breaks "Recommendation 1" inside the word ("Recomme" /
    "ndation 1") where a PDF is drawn from it, while the Word file keeps the word whole."""
    return join_lines(cell.lines) if len(cell.lines) > 1 else cell.text


def _numbered_across(label: RawCell, body: RawCell, n_cols: int) -> bool:
    """A recommendation's number alone ("1", "R2") in the first cell, its text in one cell
    merged across every column after it: Word's banner row with the number kept in the
    ref column (no action merges its text over the lead, date and status columns)."""
    number = _label_text(label).strip()
    return (
        label.colspan == 1
        and is_ref(number)
        and top_level(number) == number.strip("() .")
        and body.col == label.col + 1
        and body.col + body.colspan >= n_cols
        and body.colspan >= max(2, n_cols - 2)
    )


def _beside_merged_column(first, body, n_cols: int, settings: Settings) -> bool:
    """A recommendation spanning every column but the first, beside the first row of a
    cell merged down that first column (an agency printed once over its rows)."""
    return (
        first.col == 0
        and first.colspan == 1
        and body.col == 1
        and body.col + body.colspan >= n_cols >= 3
        and _reads_as_recommendation(body.text, settings)
    )


def _reads_as_recommendation(text: str, settings: Settings) -> bool:
    if names_recommendation(text):
        return True
    number, rest = split_number(text)
    return (
        number is not None
        and top_level(number) == number
        and len(rest.split()) >= settings.plan.rec_heading_min_words
    )


def _row_bottom(row: RawRow) -> tuple[float, float]:
    """Where a row's own cells end (a cell merged down from it reaches further), and the
    slack to compare bottoms by: a quarter of the row's height (points in a PDF, grid rows
    in a Word table)."""
    own_bottom = min((c.bbox[3] for c in row.cells), default=row.bbox[3])
    return own_bottom, 0.25 * (own_bottom - row.bbox[1])


def _merged_over_rows(section: Section, col: int) -> bool:
    """Some cell of the column reaches past its own row (a vertical merge: one cell over
    several rows, as pdfplumber and the Word reader give it)."""
    for row, _ in section.rows:
        own_bottom, slack = _row_bottom(row)
        if any(
            c.col == col and c.text.strip() and c.bbox[3] > own_bottom + slack for c in row.cells
        ):
            return True
    return False


def _numbers_under_banners(section: Section, values: list[str], settings: Settings) -> bool:
    """A column printing bare numbers alone ("1", "1", "2": no "2.1", no words) in a
    section whose recommendations are printed, text and all, in banner rows across the
    table: the number of each action row's recommendation, printed as the row's ref
    (plans print the ref so), never a recommendation's text,
    which the banners print. Plans number banner recommendations so whether or not
    another column (an agency's, merged down its rows) parts the rows."""
    bare = [fold_ws(v).strip("() .") for v in values if v.strip()]
    if not bare or not all(is_ref(v) and top_level(v) == v for v in bare):
        return False
    return any(
        _is_banner(row, section.n_cols, settings)
        and len(split_number(" ".join(c.text for c in row.cells))[1].split()) >= 3
        for row, _ in section.rows
    )


def _column_values(section: Section, col: int, settings: Settings) -> list[str]:
    """The filled cells of a column, a cell broken by a page break counted once: a row
    opening a page whose cell reads as the rest of the sentence the cell above it broke
    off (`_carries_on`) is that cell's end, as the reader joins it later (a PDF breaks a
    row over two pages where a Word file keeps it whole: both must count alike)."""
    values: list[str] = []
    above: str | None = None  # the column's cell in the row before, if any
    for row, opens_page in section.rows:
        if _is_banner(row, section.n_cols, settings):
            above = None
            continue
        texts = [cell.text for cell in row.cells if cell.col == col and cell.text.strip()]
        text = " ".join(texts)
        if opens_page and above and text and values and _carries_on(above, text):
            values[-1] = f"{values[-1]} {text}"
            above = values[-1]
            continue
        values.extend(texts)
        above = text or None
    return values


# Marks of a progress update (what was done, and when), as against an outcome sought: an
# outcome is often worded as a state ("Policy in place", "Staff trained"), an update says
# it happened, with a date or a tense ("Completed", "has been", "Update Sept 13").
UPDATE_WORDS = re.compile(
    r"\b(completed?|in progress|ongoing|on-going|on track|underway|awaiting|has been|"
    r"have been|had been|was|were|update[ds]?|to date|so far|"
    r"delayed|delivered|circulated|ratified|agreed|scheduled|running|due (in|by|to)|"
    r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|"
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{2,4})\b",
    re.IGNORECASE,
)


def _content_score(
    field: str, values: list[str], registry: AgencyRegistry, settings: Settings = DEFAULT_SETTINGS
) -> float:
    """Share of a column's cells that read as `field` (0..1)."""
    if not values:
        return 0.0

    def share(test) -> float:
        return sum(1 for v in values if test(v)) / len(values)

    if field in ("lead_agency", "lead_officer"):  # the registry asked only for lead columns
        # A cell names a body when the registry knows it, or when it prints a body's name
        # in a form that says what kind of body it is ("Elmbury City Council", "X Police":
        # agency_type_patterns.csv): many plans name councils, trusts and forces by names
        # the registry does not hold (a new name, a local body), and such a name is no
        # person's nor role's.
        names_agency = {
            v: registry.match(v).method not in ("none", "section", "fuzzy")
            or _ends_in_body_name(v, registry)
            for v in values
        }
    if field == "lead_agency":
        return share(lambda v: names_agency[v])
    if field == "lead_officer":
        # A role that names its agency ("Head of Safeguarding, SHSC") is the agency's cell;
        # a column naming agencies in a good share of its cells is the agency column, its
        # role-only cells meaning the section's agency (FORMAT.md).
        if share(lambda v: names_agency[v]) >= settings.plan.agency_column_share:
            return 0.0
        # An officer's column prints people and roles, never a body's bare name in a
        # person's place: a lead column naming a body alone in any cell ("Norfolk
        # Constabulary" among "Detective Superintendent, Safeguarding") says who leads by
        # body, its role cells meaning their section's agency (FORMAT.md). Outside
        # testers' gold agrees: every lead column read as the officer's names no body.
        if any(_agency_alone(v, registry) for v in values):
            return 0.0
        return share(lambda v: not names_agency[v])
    if field == "rag":
        return share(lambda v: parse_status(v).rag is not None and len(v.split()) <= 2)
    if field == "status":
        # a status is a few words ("In progress - amber"); a sentence that opens with one
        # ("In progress - change scheduled for the next release") is an update
        return share(
            lambda v: (
                parse_status(v).matched
                and parse_date_detail(v).value is None
                and len(v.split()) <= settings.plan.status_max_words
            )
        )
    if field in ("completion_date", "target_date"):
        return share(lambda v: parse_date_detail(v).value is not None)
    if field == "progress":
        return share(lambda v: bool(UPDATE_WORDS.search(v)))
    if field in ("ref", "recommendation"):
        # an action's ref is its own; a recommendation's number (or text) is printed again
        # on each of its actions ("Rec No." 3, 3, 3 under a separate list of them). A
        # number of two levels ("4.1") numbers an action under recommendation 4, however
        # often it recurs (each agency's table numbers its actions under a shared
        # recommendation alike), unless printed again on the row below (one number over
        # all of a recommendation's actions).
        counts = Counter(fold_ws(v) for v in values)
        folded = [fold_ws(v) for v in values]
        again = {a for a, b in zip(folded, folded[1:]) if a == b}

        def sub_ref(v: str) -> bool:
            v = fold_ws(v)
            return is_ref(v) and top_level(v) not in (None, v.strip("() .")) and v not in again

        if field == "ref":
            return share(lambda v: is_ref(v) and (counts[fold_ws(v)] == 1 or sub_ref(v)))
        return share(lambda v: (counts[fold_ws(v)] > 1 and not sub_ref(v)) or len(v.split()) >= 5)
    if field in ("desired_outcome", "success_measure"):
        # an outcome sought, or the evidence that will show it, is no account of what was done
        return 1.0 - _content_score("progress", values, registry, settings)
    return 0.0


def ambiguous_column_values(
    sections: Sequence[Section], settings: Settings = DEFAULT_SETTINGS
) -> dict[str, list[str]]:
    """The cells of every column whose label names several fields
    (schemas/ambiguous_labels.csv), over all the plan's sections, by label: one
    template prints every table of a plan, so a label means one field throughout it,
    and a table whose "Lead" cells happen to be mostly role titles ("Head of Service")
    reads as the others do, where they name agencies."""
    pooled: dict[str, list[str]] = {}
    for section in sections:
        for col, column in enumerate(section.columns):
            key = label_key(column.label)
            if label_readings(column.label, settings.headers):
                pooled.setdefault(key, []).extend(_column_values(section, col, settings))
    return pooled


def _fields_from_content(
    section: Section,
    settings: Settings,
    registry: AgencyRegistry,
    pooled: Mapping[str, list[str]] | None = None,
) -> list[str | None]:
    """Header fields, corrected by what the column holds: a label that names one of
    several fields (schemas/ambiguous_labels.csv: "Outcome", "Lead", "Completed") is
    read as the free field its cells fit best ("Lead" over agency names is the lead
    agency, over role titles the lead officer); a status column printing RAG colours
    ("Status (RAG)": Green, Amber) is the plan's RAG column. `pooled`: the cells of each
    ambiguous label over the whole plan (`ambiguous_column_values`), read instead of
    the section's own."""
    fields = [c.field for c in section.columns]
    for col, column in enumerate(section.columns):
        candidates = label_readings(column.label, settings.headers)
        if not candidates:
            continue
        others = {f for i, f in enumerate(fields) if i != col and f}
        free = [f for f in candidates if f not in others]
        if len(free) == 1 and fields[col] is None:
            fields[col] = free[0]  # the one reading another column did not take
        if len(free) < 2:
            continue
        values = (pooled or {}).get(label_key(column.label)) or _column_values(
            section, col, settings
        )
        if set(free) == {"ref", "recommendation"} and _merged_over_rows(section, col):
            # a number merged down several action rows is their recommendation's: an
            # action's own ref is never printed once for many
            fields[col] = "recommendation"
            continue
        if set(free) == {"ref", "recommendation"} and _numbers_under_banners(
            section, values, settings
        ):
            fields[col] = "ref"
            continue
        scores = [_content_score(f, values, registry, settings) for f in free]
        best = max(range(len(free)), key=lambda k: (scores[k], -k))
        alone = scores[best] > 0 and sum(1 for x in scores if x > 0) == 1
        if scores[best] >= settings.plan.content_share or alone:
            # enough of the cells fit it, or it is the only reading any cell supports
            fields[col] = free[best]
    if "lead_officer" in fields and "lead_agency" not in fields:
        # An officer's column that names agencies, not people or roles ("Responsible
        # Officer" over "Solace Women's Aid", "Kent Police"), is the plan's lead agency.
        col = fields.index("lead_officer")
        values = _column_values(section, col, settings)
        named = sum(1 for v in values if _agency_alone(v, registry))
        if values and named >= settings.plan.officer_agency_share * len(values):
            fields[col] = "lead_agency"
    if "progress" in fields and "status" not in fields:
        # A progress column printing status words alone ("Complete", "On track") and no
        # status column beside it: the plan's status column, whatever its label says.
        col = fields.index("progress")
        values = _column_values(section, col, settings)
        worded = sum(parse_status(v).matched and len(v.split()) <= 3 for v in values)
        if values and worded >= settings.plan.status_column_share * len(values):
            fields[col] = "status"
    if "status" in fields and "progress" not in fields:
        # "Status update" over sentences of what was done: the progress column. A note
        # that opens with its status ("Not started - awaiting ...", "Delayed due to ...")
        # says the status the label asks for: such a column stays the status column, its
        # whole note the printed status (FORMAT.md: the column's text).
        col = fields.index("status")
        values = _column_values(section, col, settings)
        said = _content_score("status", values, registry, settings)
        if values:
            said = max(said, sum(opening_status(v) is not None for v in values) / len(values))
        long = sum(len(v.split()) > settings.plan.status_max_words for v in values)
        if values and said < settings.plan.content_share and long >= 0.5 * len(values):
            if (
                _content_score("progress", values, registry, settings)
                >= settings.plan.content_share
            ):
                fields[col] = "progress"
    if "status" not in fields or "rag" in fields:
        return fields
    col = fields.index("status")
    values = _column_values(section, col, settings)
    # a colour alone ("Green", "Amber"); "Green - complete" is a status that adds its colour
    coloured = sum(parse_status(v).rag is not None and len(v.split()) <= 2 for v in values)
    if values and coloured >= settings.plan.rag_column_share * len(values):
        fields[col] = "rag"
    return fields


def _owner_column(
    section: Section,
    registry: AgencyRegistry,
    settings: Settings,
    words: frozenset[str] = frozenset(),
) -> int | None:
    """The column printing the agency each row belongs to, in a section whose heading
    names no agency: labelled so ("Agency", "Organisation": schemas/section_columns.csv),
    printed once over an agency's rows or on every row, naming agencies. FORMAT.md: its
    text is the section heading of the rows under it. A "Lead agency" column is not one."""
    owners = section_column_labels()

    def owner_label(label: str) -> bool:
        # a bilingual label ("Sefydliad / Organisation") by its known half, the other half
        # no label at all; "Lead Officer/Agency" joins two labels: the lead of each action
        folded = fold_label(label)
        if folded in owners:
            return True
        parts = [p.strip() for p in folded.split("/") if p.strip()]
        if not any(p in owners for p in parts):
            return False
        others = [p for p in parts if p not in owners]
        cutoff = settings.headers.foreign_label_cutoff

        def same_or_none(part: str) -> bool:  # the same label in another language, or none
            # ("Asiantaeth" reads near "agency"); a lead label beside it ("Lead Agency/
            # Agencies") names who leads each action: no owner column
            field, score = score_label(part, settings=settings.headers)
            return score < cutoff or (
                field == "lead_agency" and score < settings.headers.label_cutoff
            )

        return all(same_or_none(p) for p in others)

    def under_lead(i: int) -> bool:
        # "Agency" under a group "Responsibility" / "Lead" (beside "Officer"): who leads
        # each action, the lead agency, not the body each row belongs to
        group = section.groups[i] if i < len(section.groups) else None
        if not group:
            return False
        field, score = score_label(group, settings=settings.headers)
        fields = {field} if score >= settings.headers.label_cutoff else set()
        fields |= set(ambiguous_labels().get(label_key(group, settings.headers), ()))
        return bool(fields & {"lead_agency", "lead_officer"})

    col = next(
        (i for i, c in enumerate(section.columns) if owner_label(c.label) and not under_lead(i)),
        None,
    )
    if col is None:
        return None
    printed = {text for text in _owner_cells(section, col, words, settings) if text.strip()}
    agencies = sum(1 for name in printed if registry.find(name).agency is not None)
    if not printed or agencies < settings.plan.content_share * len(printed):
        return None
    if section.heading and registry.find(section.heading).agency is not None:
        return None
    return col


def _names_lead_body(
    value: str, registry: AgencyRegistry, owners: frozenset[str] = frozenset()
) -> bool:
    """A cell naming an agency alone, or an agency and its officer's role parted by a dash
    ("<body> – <role>" where the role reads as one, or a registry body before the dash):
    a lead agency's cell as plans print it. The part beside the role must name a body: a
    registry one, one of a body's form ("... Housing Group"), or one the table's agency
    column prints (`owners`, folded); a person's name beside a role is an officer's cell."""
    if _agency_alone(value, registry):
        return True
    text = fold_ws(value)
    body = registry.body_beside_role(text)
    if body != text and (
        _agency_alone(body, registry) or _has_body_form(body) or fold_ws(body) in owners
    ):
        return True
    parts = [p.strip() for p in re.split(r"\s+[-\u2013\u2014]\s+", text)]
    return len(parts) == 2 and all(parts) and _agency_alone(parts[0], registry)


def _lead_beside_owner(
    section: Section,
    fields: list[str | None],
    owner_col: int,
    settings: Settings,
    registry: AgencyRegistry | None = None,
) -> None:
    """An owner column ("Agency" on every row: each row's section) read as the lead agency,
    beside an unmapped column whose label reads, weakly, as a lead ("Responsible Lead"):
    that column is the lead, the owner column the section alone (FORMAT.md)."""
    if fields[owner_col] != "lead_agency":
        return
    cutoff = settings.headers.foreign_label_cutoff
    scored = [
        (score, i)
        for i, column in enumerate(section.columns)
        if fields[i] is None
        for field, score in [score_label(column.label, settings=settings.headers)]
        if field in ("lead_agency", "lead_officer") and score >= cutoff
    ]
    if scored:
        fields[max(scored)[1]] = "lead_agency"
        fields[owner_col] = None
        return
    # An officer's column naming agencies alone ("Who leads" over "Kent Police"), or each
    # agency beside its officer's role ("<body> – <role>", "Lead agency and officer"),
    # read as the officer only because the owner column took the lead: it is the lead
    # agency (as where no column holds the lead), the owner column the section alone.
    if "lead_officer" in fields and registry is not None:
        col = fields.index("lead_officer")
        values = _column_values(section, col, settings)
        owners = frozenset(fold_ws(v) for v in _column_values(section, owner_col, settings))
        named = sum(1 for v in values if _names_lead_body(v, registry, owners))
        if values and named >= settings.plan.officer_agency_share * len(values):
            fields[col] = "lead_agency"
            fields[owner_col] = None


def _owner_cells(
    section: Section, col: int, words: frozenset[str], settings: Settings
) -> list[str]:
    return [_owner_text(row, col, section, words, settings) for row, _ in section.rows]


def _owner_text(
    row: RawRow,
    col: int,
    section: Section,
    words: frozenset[str] = frozenset(),
    settings: Settings = DEFAULT_SETTINGS,
) -> str:
    """The agency column's text on one row ("" under a merge or a banner), its lines
    joined as every cell's are (`join_lines`): an agency column is often the table's
    narrowest, and a name too wide for it is broken inside a word ("Warwicks" /
    "hire"), which geometry and the words decide, never a plain space."""
    cell = next((c for c in row.cells if c.col == col and c.colspan == 1), None)
    if cell is None:
        return ""
    edge = section.right_edges.get(col)
    return join_lines(cell.lines, edge, words, settings.cells) if cell.lines else fold_ws(cell.text)


@dataclass(slots=True)
class _Rec:
    number: str | None
    text: str
    page: int
    boxes: list[dict]
    n_actions: int = 0
    printed: str | None = None  # the merged Recommendation cell as printed, number and all
    owner: str | None = None  # the agency column's text over it (its section heading)
    tail: RawCell | None = None  # the cell its text ends in (where a page may break it)
    repeated: bool = False  # printed whole again on a later row (repeated per action)
    banner: bool = False  # printed as a row of its own across the table, over its actions
    by_order: bool = False  # printed with no number: numbered by its place in the section


def _box(fieldname: str, cell) -> dict:
    x0, top, x1, bottom = cell.bbox
    return {"field": fieldname, "page": cell.page, "x0": x0, "top": top, "x1": x1, "bottom": bottom}


def _follows_on(number: str | None, before: str | None) -> bool:
    """`number` is the whole number right after `before` ("3" after "2")."""
    return (
        bool(number and before and number.isdigit() and before.isdigit())
        and int(number) == int(before) + 1
    )


class _SectionReader:
    """Turns one section's rows into recommendation and action records."""

    def __init__(
        self,
        doc_id: str,
        index: int,
        section: Section,
        registry: AgencyRegistry,
        words: frozenset[str] = frozenset(),
        settings: Settings = DEFAULT_SETTINGS,
        pooled: Mapping[str, list[str]] | None = None,
        previous: str | None = None,
    ):
        self.settings = settings
        self.previous = previous  # the number of the last recommendation of the section before
        self.words = words
        self.doc_id = doc_id
        self.index = index
        self.section = section
        self.registry = registry
        self.fields = _fields_from_content(section, settings, registry, pooled)
        if section.kind_row:
            self.agency = section.agency  # what its sub-heading row resolved (maybe none)
        else:
            self.agency = registry.find(section.heading).agency if section.heading else None
        self.owner_col = _owner_column(section, registry, settings, words)
        if self.owner_col is not None:
            _lead_beside_owner(section, self.fields, self.owner_col, settings, registry)
        self.owner: str | None = None  # the agency column's text, carried down its rows
        self.recs: list[_Rec] = []
        self.rows: list[dict] = []  # action cells before normalisation
        self.rec_sequence = 0
        self.tally = Tally()
        self.closing: list[tuple[int, str]] = []  # (page, text) of a closing line under it
        self.summaries: list[tuple[int, str]] = []  # (page, text) of rows summing the table up
        self.sign_offs: list[tuple[int, str]] = []  # (page, text) of rows signing the plan off
        # (page, text) of rows printing words alone in the ref column (no number, no action)
        self.unnumbered: list[tuple[int, str]] = []
        # (page, recommendation number, text) of rows saying a recommendation has no action
        self.no_action: list[tuple[int, str | None, str]] = []
        # (page, recommendation number, text) of rows giving a recommendation's context
        self.context: list[tuple[int, str | None, str]] = []
        self.merged: dict[int, tuple[RawCell, str]] = {}  # column -> a cell merged down rows
        # the ref column numbers the recommendations, not the actions (see _refs_number_recs)
        self.refs_number_recs = _refs_number_recs(section, self.fields, settings)

    def text(self, cell) -> str:
        edge = self.section.right_edges.get(cell.col)
        return join_lines(cell.lines, edge, self.words, self.settings.cells)

    def _owner_text(self, row: RawRow) -> str:
        return _owner_text(row, self.owner_col, self.section, self.words, self.settings)

    def read(self) -> None:
        n_cols = self.section.n_cols
        header = self.section.labels
        rows = self.section.rows
        for k, (row, opens_page) in enumerate(rows):
            texts = self._grid(row)
            # Words of cells outside the header's columns are read by no field.
            for cell in row.cells:
                inside = 0 <= cell.col < min(n_cols, len(self.fields))
                self.tally.add(cell.page, count_words(cell.text), inside)
            if not any(texts):
                continue
            if _sums_up(row):
                self.summaries.append((row.page, " | ".join(t for t in texts if t)))
                continue
            if _signs_off(row):
                self.sign_offs.append((row.page, " | ".join(t for t in texts if t)))
                continue
            if self._words_alone_in_ref(row, texts):
                self.unnumbered.append((row.page, self._ref_of(texts)))
                continue
            if self._no_action_yet(row, texts, opens_page):
                continue
            if self.owner_col is not None:
                self.owner = self._owner_text(row) or self.owner
            if _is_banner(row, n_cols, self.settings):
                self._banner(row, opens_page)
                continue
            if _same_labels(_row_labels(row, n_cols, self.settings), header):
                continue  # a header repeated inside the table
            if opens_page and self._rest_of_recommendation(row, texts):
                continue
            if self._inline_recommendation(texts, rows[k + 1 :]):
                self._inline_banner(row, texts)
                continue
            self._data_row(row, opens_page)

        self._drop_closing_line()
        self._number_from_refs()

    def _number_from_refs(self) -> None:
        """A recommendation printed with no number whose actions' refs all sit under one
        number ("3.1", "3.2") is that recommendation: plans that split the plan into a
        table per agency number the actions through the whole plan, while counting the
        recommendations in each table would start again at 1.
        A bare number printed as the ref of a recommendation's only rows ("3") numbers it
        too where it is the next number after the recommendation before it, in this
        section or (for its first) the last of the section before (`self.previous`): a
        plan numbering its recommendations through its agency tables. Refs that count the
        actions instead ("1", "2" under recommendation 1, then "3") do not follow on so."""
        before = self.previous
        for rec in self.recs:
            if rec.by_order:
                refs = [
                    fold_ws(row["cells"].get("ref") or "").strip("() .")
                    for row in self.rows
                    if row["rec"] is rec
                ]
                tops = {top_level(ref) if is_ref(ref) else None for ref in refs}
                if refs and len(tops) == 1 and None not in tops:
                    top = tops.pop()
                    if all(is_child(ref, top) for ref in refs) or (
                        set(refs) == {top} and _follows_on(top, before)
                    ):
                        rec.number = top
            before = rec.number

    def _drop_closing_line(self) -> None:
        """A line under a plan's last action ("Signed on behalf of the partnership: Chair")
        read as a recommendation: the last one, unnumbered where the others print their
        numbers, with no action under it; or the only one, under actions that no
        recommendation headed (a banner heads the actions under it: a line across the
        table after them all is a closing remark). Said in the document's warnings, not a
        record."""
        if not self.recs:
            return
        last = self.recs[-1]
        if len(self.recs) == 1:
            if (
                self.rows
                and all(row["rec"] is None for row in self.rows)
                and last.banner
                and not last.n_actions
                and split_number(last.printed or last.text)[0] is None
            ):
                self.recs.pop()
                self.closing.append((last.page, last.text))
            return

        def numbered(rec: _Rec) -> bool:
            return (
                split_number(rec.printed, lower=is_lower_label(rec.number))[0]
                if rec.printed
                else rec.number
            ) is not None

        has_actions = any(row["rec"] is last for row in self.rows)
        if not has_actions and not numbered(last) and all(numbered(r) for r in self.recs[:-1]):
            self.recs.pop()
            self.closing.append((last.page, last.text))

    def _words_alone_in_ref(self, row: RawRow, texts: list[str]) -> bool:
        """A row printing only words in the ref column ("Lancing Police", "NHS Trust"),
        no number among them and nothing in any other column: a ref numbers an action,
        and a row with no number and no action is none (a sub-heading the table draws
        in its first column, not across it). Said in the warnings, not a record."""
        ref = self._ref_of(texts)
        if not ref or is_ref(ref) or re.search(r"\d", ref):
            return False
        i = self.fields.index("ref")
        if any(c.colspan > 1 for c in _filled(row)):
            return False  # a row across the table: a banner or the rest of one
        return not any(t for k, t in enumerate(texts) if k != i)

    def _ref_of(self, texts: list[str]) -> str:
        return texts[self.fields.index("ref")].strip() if "ref" in self.fields else ""

    def _grid(self, row: RawRow) -> list[str]:
        """The row's texts by column, its ref as `ocrfix` corrects it when OCR read it: a
        ref misread ("la" for "1a") would not number the row under its recommendation."""
        texts = _grid_texts(row, self.section.n_cols)
        if "ref" in self.fields:
            i = self.fields.index("ref")
            if any(c.col == i and c.ocr_confidences for c in row.cells) and i < len(texts):
                texts[i] = fold_ws(ocrfix.correct_ref(texts[i]))
        return texts

    def _inline_recommendation(self, texts: list[str], following) -> bool:
        """A recommendation printed as a row of the table: its number alone in the ref
        column ("R2", "3"), the refs of the rows after it numbered under it ("R2.1"), and
        nothing in the columns an action fills (lead, dates, status)."""
        ref = self._ref_of(texts)
        if not is_ref(ref) or top_level(ref) != ref.strip("() ."):
            return False
        if any(texts[i] for i, f in enumerate(self.fields) if f in ACTION_ONLY_FIELDS):
            return False
        if self.section.form and following and following[0][1]:
            # A form section's row is one action's form: a form the page (or spacing) cut
            # after its ref goes on in the next row, which opens the page with no ref of
            # its own. Its ref is the action's, not a recommendation printed as a row.
            if not self._ref_of(self._grid(following[0][0])):
                return False
        # Or its actions carry no ref at all: rows under it that fill what an action fills,
        # up to the next bare number ("1 | text", then unnumbered actions, then "2 | ...").
        actions_below = False
        for row, _ in following:
            grid = self._grid(row)
            nxt = self._ref_of(grid)
            if nxt:
                if is_child(nxt, ref):
                    return True
                return actions_below and is_ref(nxt) and top_level(nxt) == nxt.strip("() .")
            actions_below = actions_below or any(
                grid[i] for i, f in enumerate(self.fields) if f in ACTION_ONLY_FIELDS
            )
        return actions_below

    def _rest_of_recommendation(self, row: RawRow, texts: list[str]) -> bool:
        """The first row of a page carrying on a recommendation row the page broke (no ref,
        nothing an action fills, text that reads on): appended to that recommendation."""
        if not self._last_is_rec() or self._ref_of(texts):
            return False
        if any(texts[i] for i, f in enumerate(self.fields) if f in ACTION_ONLY_FIELDS):
            return False
        cells = [c for c in row.cells if c.text.strip()]
        text = " ".join(self.text(c) for c in cells)
        rec = self.recs[-1]
        if not cells or not (_carries_on(rec.text, text) or self._wrapped_on(rec, cells)):
            return False
        rec.text = glue(rec.text, text, self.words)
        rec.boxes.extend(_box("recommendation", c) for c in cells)
        rec.tail = cells[-1]
        return True

    def _merged_down(
        self, row: RawRow, cells: dict[str, str], boxes: list[dict], opens_page: bool = False
    ) -> tuple[RawCell, str] | None:
        """A cell merged vertically over several actions (a lead or date printed once for
        them, one cell whose box covers their rows, as pdfplumber and the Word reader give
        it) is the value of each action it covers: given to the rows with no cell of their
        own in its column. An action's text and the recommendation are never carried; a
        merged ref is returned (cell, text), for the caller to give to a new action only.

        A merged cell cut by a page break goes on at the top of the next page as a cell
        of its own, empty (a PDF prints its text once, on the first page): an empty ref
        cell merged down from the first row of a page, under the same recommendation as
        the last action, is the rest of that action's ref cell, and carries its ref."""
        own_bottom, slack = _row_bottom(row)
        if any(c.bbox[1] > row.bbox[1] + slack for c in row.cells):
            self.merged.clear()  # cells not on one grid row (a form read across): no merge
            return None
        present = {c.col for c in row.cells}
        ref = None
        for col, (cell, text) in list(self.merged.items()):
            covers = cell.page == row.page and cell.bbox[3] >= own_bottom - slack
            name = self.fields[col] if col < len(self.fields) else None
            if not covers:
                del self.merged[col]
            elif col not in present and name == "ref" and not cells.get(name):
                ref = (cell, text)
            elif col not in present and name and not cells.get(name):
                cells[name] = text
                boxes.append(_box(name, cell))
        for cell in row.cells:
            name = self.fields[cell.col] if 0 <= cell.col < len(self.fields) else None
            if name in _MERGE_KEYS or name is None or cell.bbox[3] <= own_bottom + slack:
                continue  # (a cell reaching past its row is merged down)
            if cell.text.strip():
                self.merged[cell.col] = (cell, cells.get(name, self.text(cell)))
            elif name == "ref" and opens_page and self.rows:
                last = self.rows[-1]
                above = last["cells"].get("ref")
                if above and self.recs and last["rec"] is self.recs[-1]:
                    self.merged[cell.col] = (cell, above)
                    ref = ref or (cell, above)  # for this row too, if a new action
        return ref

    def _wrapped_on(self, rec: _Rec, cells: list[RawCell]) -> bool:
        """The recommendation's last line is full: the first word of the text in its column
        on the next page would not have fitted on it, and Word ends a line short only where
        a paragraph ends. A row the page broke, whatever letter the rest opens with."""
        tail = rec.tail
        if tail is None or not tail.lines or any(c.col != tail.col for c in cells):
            return False
        edge = self.section.right_edges.get(tail.col)
        first = cells[0].text.split()
        if edge is None or not first:
            return False
        last = tail.lines[-1]
        return last.x1 + (len(first[0]) + 1) * last.char_width > edge

    def _inline_banner(self, row: RawRow, texts: list[str]) -> None:
        ref_col = self.fields.index("ref")
        cells = [c for c in row.cells if c.text.strip() and c.col != ref_col]
        text = " ".join(self.text(c) for c in cells)
        anchor = cells[-1] if cells else row.cells[0]
        number = texts[ref_col].strip("() .")
        printed, body = split_number(text)
        if printed is not None and printed.strip("() .") == number:
            text = body  # "Recommendation 1: ..." beside its number in the ref column
        rec = self._open_rec(number, fold_ws(text), anchor)
        rec.banner = True
        ref_cell = next(c for c in row.cells if c.col == ref_col)
        rec.boxes.append(_box("rec_number", ref_cell))

    def _banner(self, row: RawRow, opens_page: bool) -> None:
        filled = [c for c in row.cells if c.text.strip()]
        if len(filled) == 2 and _beside_merged_column(*filled, self.section.n_cols, self.settings):
            filled = filled[1:]  # the merged first column's cell is not the recommendation's
        cell = filled[-1]
        text = " ".join(self.text(c) for c in filled)
        number, body = split_number(text)
        if number is None and self._last_is_rec() and _context_label(text):
            # "Rationale: ..." / "Finding 4: ..." under the recommendation's row, before its
            # actions: why it was made, not its text (said in the document's warnings)
            self.context.append((row.page, self.recs[-1].number, fold_ws(text)))
            return
        if number is None and self.recs and (opens_page or not self.rows or self._last_is_rec()):
            self.recs[-1].text = fold_ws(self.recs[-1].text + " " + text)
            self.recs[-1].boxes.append(_box("recommendation", cell))
            return
        last = self.recs[-1] if self.recs else None
        if (
            last is not None
            and (last.banner or fold_ws(last.printed or "") == fold_ws(text))
            and number is not None
            and number == last.number
            and fold_ws(body) == fold_ws(last.text)
            and last.owner == self.owner
        ):
            # the same recommendation printed again over its next action (a form plan
            # opening every form with its recommendation's row): one recommendation. So
            # too where the rows before printed it whole in its own column (a form's
            # "Recommendation:" row): the same row alone, a form the page broke after it,
            # prints the same recommendation again, not a banner opening another
            last.boxes.append(_box("recommendation", cell))
            return
        self._open_rec(number, fold_ws(body), cell).banner = True

    def _no_action_yet(self, row: RawRow, texts: list[str], opens_page: bool) -> bool:
        """A row saying its recommendation has no action yet ("Actions to be agreed"),
        beside the recommendation's own cell or under it: the recommendation is read (from
        its column, if any), no action is made, and the row is noted for a warning."""
        col = self.fields.index("recommendation") if "recommendation" in self.fields else None
        own = texts[col].strip() if col is not None and col < len(texts) else ""
        if not _says_no_action([t for i, t in enumerate(texts) if i != col]):
            return False
        idle = bool(self.recs) and not any(r["rec"] is self.recs[-1] for r in self.rows)
        if own:  # the recommendation's cell beside it: read as on any row
            kept = [c for c in row.cells if c.col == col]
            self._data_row(RawRow(row.page, row.bbox, kept), opens_page)
            idle = bool(self.recs) and not any(r["rec"] is self.recs[-1] for r in self.rows)
        elif not idle:
            return False  # under a recommendation with actions: a row of its own
        said = " ".join(t for i, t in enumerate(texts) if t and i != col)
        number = self.recs[-1].number if idle else None
        self.no_action.append((row.page, number, said))
        return True

    def _ended_above_last_row(self, rec: _Rec | None) -> bool:
        """The recommendation's text ended on its page above the top of its last action's
        row there: its cell ran on beside that row with nothing printed, so the cell is
        whole, and an unnumbered text at the top of the next page, beside a new action,
        opens the next recommendation (an unruled merged column, where no rule marks where
        one cell ends). A cell the page broke runs on to the foot, beside the last row."""
        if rec is None or not self.rows or self.rows[-1]["rec"] is not rec:
            return False
        own = [b for b in rec.boxes if b["field"] == "recommendation"]
        if not own:
            return False
        tail = max(own, key=lambda b: (b["page"], b["bottom"]))
        last = self.rows[-1]
        tops = [
            b["top"]
            for b in last["boxes"]
            if b["page"] == last["page_start"] and b["field"] != "recommendation"
        ]
        if not tops or last["page_start"] != tail["page"]:
            return False
        return tail["bottom"] <= min(tops) + self.settings.layout.edge_tolerance

    def _lower_numbers(self) -> bool:
        """A merged recommendation cell may open with its number in lower case ("i.",
        "(b)") unless the section's recommendations so far are numbered otherwise: a plan
        numbers its recommendations in one style, and "(a) ..." after recommendation 4
        (at the top of a page, or in a cell cut by a row rule) is a point of its text."""
        return all(
            rec.number is None or rec.by_order or is_lower_label(rec.number) for rec in self.recs
        )

    def _last_is_rec(self) -> bool:
        return bool(self.recs) and (not self.rows or self.rows[-1]["rec"] is not self.recs[-1])

    def _open_rec(self, number: str | None, text: str, cell) -> _Rec:
        self.rec_sequence += 1
        rec = _Rec(
            number, text, cell.page, [_box("recommendation", cell)], owner=self.owner, tail=cell
        )
        self.recs.append(rec)
        return rec

    def _tops_under(self, rec: _Rec) -> set[str]:
        """The numbers the refs of the actions read under `rec` so far sit under ("2" of
        "2.1"): a recommendation printed with no number is numbered by its actions' refs,
        so a ref under one of these is one more of its actions, not the next one's (its
        number by order in the section is no printed number to compare a ref with)."""
        tops: set[str] = set()
        for r in self.rows:
            ref = r["cells"].get("ref") or ""
            if r["rec"] is rec and is_ref(ref) and (top := top_level(ref)) is not None:
                tops.add(top)
        return tops

    def _part_merged(self, row: RawRow, cells: dict[str, str]) -> None:
        """The last recommendation's merged cell runs down beside this row, which has no
        cell of its own in that column, and the row's ref is numbered under another
        recommendation ("2.1" beside recommendation 1's cell): where the cell's text
        starts again level with the row's first line, that text is the next
        recommendation's, the rule between the two cells not drawn (a style ruling
        alternate rows). Two signs together, the numbering and the text resuming at the
        row's top, since a cell's own paragraphs may fall level with a row by chance."""
        last = self.recs[-1] if self.recs else None
        ref = cells.get("ref") or ""
        if last is None or last.tail is None or last.number is None or not is_ref(ref):
            return
        merged = last.tail
        top = top_level(ref)
        if (
            merged.page != row.page
            or top is None
            or top == fold_ws(ref).strip("() .")
            or is_child(ref, last.number)
            or merged.bbox[3] <= row.bbox[1] + 1
            or top in self._tops_under(last)
        ):
            return
        firsts = [c.lines[0].top for c in row.cells if c.lines]
        if not firsts:
            return
        level = min(firsts)
        tolerance = self.settings.layout.line_tolerance
        rest = [ln for ln in merged.lines if ln.top >= level - tolerance]
        head = [ln for ln in merged.lines if ln.top < level - tolerance]
        if not rest or not head or abs(rest[0].top - level) > tolerance:
            return
        edge = self.section.right_edges.get(merged.col)
        rest_text = join_lines(rest, edge, self.words, self.settings.cells)
        folded = fold_ws(rest_text)
        if not fold_ws(last.text).endswith(folded) or fold_ws(last.text) == folded:
            return
        last.text = fold_ws(last.text)[: -len(folded)].rstrip()
        if last.printed:
            last.printed = fold_ws(last.printed)[: -len(folded)].rstrip()
        x0, _, x1, bottom = merged.bbox
        for box in last.boxes:
            if box["field"] == "recommendation" and box["bottom"] == bottom:
                box["bottom"] = row.bbox[1]
        number, body = split_number(rest_text, lower=self._lower_numbers())
        rec = self._open_rec(number or top, fold_ws(body) if number else folded, merged)
        rec.printed = rest_text
        rec.boxes = [
            {
                "field": "recommendation",
                "page": merged.page,
                "x0": x0,
                "top": row.bbox[1],
                "x1": x1,
                "bottom": bottom,
            }
        ]

    def _data_row(self, row: RawRow, opens_page: bool) -> None:
        cells: dict[str, str] = {}
        extra: dict[str, str] = {}
        boxes: list[dict] = []
        colours: dict[str, str] = {}  # RAG read from the background of a status/rag cell
        ocr_confidences: list[float] = []  # of the words OCR read in the row's cells
        ocr_fixes: list[str] = []  # values OCR misread, corrected (normalise/ocrfix.py)
        rec_cell = None
        rest_of_row = False  # the page broke this row (seen in its recommendation cell)
        for cell in row.cells:
            if not 0 <= cell.col < len(self.fields):
                continue
            name = self.fields[cell.col]
            text = self.text(cell)
            if name == "recommendation":
                rec_cell = (cell, text)
                continue
            if name is None:
                label = self.section.columns[cell.col].label or f"column {cell.col + 1}"
                if text:
                    extra[label] = text
                boxes.append(_box(f"extra:{label}", cell))
                continue
            if cell.ocr_confidences:
                ocr_confidences.extend(cell.ocr_confidences)
                mended = ocrfix.correct(name, text, cell.ocr_confidences, self.settings.ocr)
                if mended != text:
                    ocr_fixes.append(f"{name}: {text!r} -> {mended!r}")
                    text = mended
            cells[name] = text
            boxes.append(_box(name, cell))
            if name in ("status", "rag") and (colour := rag_from_colour(cell.fill)):
                colours[name] = colour
        if rec_cell is not None and self._numbers_action(rec_cell[1], cells):
            cell, text = rec_cell
            cells["ref"] = fold_ws(text)
            boxes.append(_box("ref", cell))
            rec_cell = None
        if rec_cell is None:
            self._part_merged(row, cells)
        if rec_cell is not None and rec_cell[1]:
            cell, text = rec_cell
            number, body = split_number(text, lower=self._lower_numbers())
            if number is None and (is_ref(text) or (self._lower_numbers() and is_sub_label(text))):
                # "I", "B", "ii": a number alone (its text listed apart, or none)
                number, body = fold_ws(text).strip("() ."), ""
            before = (self.recs[-1].printed or self.recs[-1].text) if self.recs else ""
            spills = number is None and bool(self.recs) and _carries_on(before, text)
            # Numbered recommendations whose last one stops mid-sentence (no full stop):
            # an unnumbered cell under it is its rest, whatever its first letter ("Royal"
            # / "College of ...": a merged cell cut by a row rule).
            spills = spills or (
                number is None
                and bool(before)
                and before.rstrip()[-1:] not in ".!?;:)"
                and split_number(before, lower=is_lower_label(self.recs[-1].number))[0] is not None
            )
            # A merged cell broken by a page, or (unruled tables) by the rows beside it:
            # the rest of the last recommendation, not a new one.
            last = self.recs[-1] if self.recs else None
            again = last is not None and _printed_again(last, number, text)
            # ... unless the last one was printed whole again on its rows: the plan repeats
            # each recommendation on its actions' rows, and another text is another one
            spills = spills and not (last is not None and last.repeated)
            # The row's own ref numbered under another recommendation ("4.1" after
            # recommendation 3): its merged cell opens that one, though the page broke there.
            ref = cells.get("ref") or ""
            top = top_level(ref) if is_ref(ref) else None
            elsewhere = (
                last is not None
                and top is not None
                and top != fold_ws(ref).strip("() .")
                and last.number is not None
                and not is_child(ref, last.number)
            )
            if again and elsewhere and number is None and last is not None:
                # the same wording, but the refs read under the last one sit under another
                # number than this row's ("1a", "1b", then "2a"): two recommendations may
                # share one wording, and the refs number them
                tops = self._tops_under(last)
                again = not tops or top in tops
            if again and last is not None and fold_ws(text) == fold_ws(last.printed or ""):
                last.repeated = True
            own = fold_ws(ref).strip("() .") if self.refs_number_recs and ref.strip() else None
            if number is None and own and (last is None or last.number != own):
                # "Rec No." beside its text: a new number opens a recommendation, whatever
                # its text (two recommendations may share one wording)
                rec = self._open_rec(own, fold_ws(text), cell)
                rec.printed = text
            elif again:
                pass  # the same recommendation printed again on its rows (or cut by a page)
            elif elsewhere and number is None:
                rec = self._open_rec(top, text, cell)
                rec.printed = text
            elif (
                number is None
                and (spills or (opens_page and not self._ended_above_last_row(last)))
                and last is not None
            ):
                # A plan that prints each recommendation whole on every action row merges
                # no cells down that column: its rest at the top of a page is the rest of
                # the row the page broke, not a merged cell beside a new action.
                rest_of_row = opens_page and any(r.repeated for r in self.recs)
                rec = last
                rec.text = glue(rec.text, text, self.words)
                rec.printed = glue(rec.printed or "", text, self.words)
                rec.boxes.append(_box("recommendation", cell))
                if rest_of_row:
                    rec = self._same_as_above(rec)
            elif number is not None:
                rec = self._open_rec(number, fold_ws(body), cell)
                rec.printed = text
            else:
                rec = self._open_rec(str(self.rec_sequence + 1), text, cell)
                rec.printed = text
                rec.by_order = True
        own = {name for name, text in {**cells, **extra}.items() if text}
        merged_ref = self._merged_down(row, cells, boxes, opens_page)
        if not any(cells.values()) and not extra:
            return
        if self.rows and (
            (
                opens_page
                and (
                    (rest_of_row and self.rows[-1]["rec"] is self.recs[-1])
                    or self._continues(cells, extra, ref_carried=merged_ref is not None)
                )
            )
            or (not (rec_cell and rec_cell[1]) and self._update_of_last(own))
        ):
            self._join(self.rows[-1], cells, extra, boxes, row)
            self.rows[-1]["ocr_confidences"].extend(ocr_confidences)
            self.rows[-1]["ocr_fixes"].extend(ocr_fixes)
            rest = self._owner_text(row) if self.owner_col is not None else ""
            if rest:
                last = self.rows[-1]
                if last["owner_printed"]:  # the agency's name the page broke: its rest
                    self.owner = glue(last["owner"], rest, self.words)
                last["owner"], last["owner_printed"] = self.owner, True
            return
        if merged_ref is not None:  # a new action beside a ref cell merged down to it
            cells["ref"] = merged_ref[1]
            boxes.append(_box("ref", merged_ref[0]))
        rec = self.recs[-1] if self.recs else None
        if rec is not None:
            rec.n_actions += 1
        self.rows.append(
            {
                "cells": cells,
                "extra": extra,
                "boxes": boxes,
                "rec": rec,
                "page_start": row.page,
                "page_end": row.page,
                "joined": False,
                "colours": colours,
                "last_field": boxes[-1]["field"] if boxes else None,
                "ocr_confidences": ocr_confidences,
                "ocr_fixes": ocr_fixes,
                "owner": self.owner,
                "owner_printed": self.owner_col is not None and bool(self._owner_text(row)),
            }
        )

    def _same_as_above(self, rec: _Rec) -> _Rec:
        """`rec`, opened by the last row's recommendation cell and made whole by its rest
        at the top of this page, printing the text of the recommendation above it: that
        one, printed again on its next row (a plan repeating each recommendation on its
        rows; the page left too few words at its foot to tell them, `_printed_again`).
        The last row goes to the recommendation above; `rec` is dropped."""
        if len(self.recs) < 2 or self.recs[-1] is not rec or not self.rows:
            return rec
        above = self.recs[-2]
        last = self.rows[-1]
        if (
            last["rec"] is not rec
            or rec.n_actions != 1
            or rec.owner != above.owner
            or fold_ws(rec.printed or "") != fold_ws(above.printed or "")
        ):
            return rec
        self.recs.pop()
        self.rec_sequence -= 1
        above.n_actions += 1
        above.repeated = True
        above.boxes.extend(rec.boxes)
        last["rec"] = above
        return above

    def _continues(
        self, cells: dict[str, str], extra: dict[str, str], ref_carried: bool = False
    ) -> bool:
        """The first row on a page carries on the last action of the page before.

        A broken row only continues cells that were already printed, and shows
        it by a missing ref or action, or by every cell starting mid-sentence. A ref
        carried by the empty rest of a merged ref cell the page cut (`ref_carried`) is
        missing from every row that cell covers: no sign either way.
        """
        last = self.rows[-1]
        if last["rec"] is not (self.recs[-1] if self.recs else None):
            return False
        before = {**last["cells"], **last["extra"]}
        now = {k: v for k, v in {**cells, **extra}.items() if v}
        if not now:
            return False
        if self.section.form and all(not before.get(k) or k == last["last_field"] for k in now):
            # the rest of a form the page broke: fields the action lacked, and the rest of
            # the value printed last
            return True
        if any(not before.get(k) for k in now):
            return False
        if "action" in self.fields and not cells.get("action"):
            return True
        if (
            "ref" in self.fields
            and not cells.get("ref")
            and last["cells"].get("ref")
            and not ref_carried
        ):
            return True
        # No ref column: a row printing afresh every cell that names an action (its
        # action, lead and target date, as the row before printed them), none of its
        # texts reading as the rest of a sentence the page broke off (a date opening
        # with a figure is no sign), is a new action, however few of its other cells
        # (completion, status) are filled yet.
        naming = [k for k in NAMING_FIELDS if k in self.fields and before.get(k)]
        if (
            "ref" not in self.fields
            and "action" in naming
            and len(naming) >= 2
            and all(now.get(k) for k in naming)
            and not any(_carries_on(before[k], now[k]) for k in naming if k != "target_date")
        ):
            return False
        # No ref column: an action prints its lead, dates and status; the rest of a row the
        # page broke prints fewer than half of those the row before it printed.
        printed = [k for k in ACTION_ONLY_FIELDS if before.get(k)]
        if "ref" not in self.fields and 2 * sum(1 for k in printed if now.get(k)) < len(printed):
            return True
        mid_sentence = sum(_carries_on(before[k], text) for k, text in now.items())
        return mid_sentence * 2 >= len(now)

    def _numbers_action(self, text: str, cells: dict[str, str]) -> bool:
        """The recommendation column of an action row holds the action's own number.

        Plans that print each recommendation as a row across the table ("1. Agencies
        should ...") often number the actions under it in the same first column ("i",
        "ii", "1.1"): a sub-numbering label, or a ref numbered under that recommendation,
        alone in the column is the row's ref, not another recommendation.
        """
        last = self.recs[-1] if self.recs else None
        if last is None or not last.banner or cells.get("ref"):
            return False
        return is_sub_label(text) or (is_ref(text) and is_child(text, last.number))

    def _update_of_last(self, own: set[str]) -> bool:
        """A row that names no action of its own is an update of the action above it.

        Progress logs add a row under an action for each update, printing only
        columns the action already filled (progress, status, notes): no ref, no
        action text, no lead and no date of its own. Another action prints at
        least its text or its ref.
        """
        last = self.rows[-1]
        if self.section.form:  # a form's rows are its label | value pairs, read apart
            return False
        if "action" not in self.fields or not own or own & _NAMING_FIELDS:
            return False
        if last["rec"] is not (self.recs[-1] if self.recs else None):
            return False
        before = {k for k, v in {**last["cells"], **last["extra"]}.items() if v}
        return own <= before

    def _join(self, last: dict, cells: dict, extra: dict, boxes: list, row: RawRow) -> None:
        for name, text in cells.items():
            if text:
                last["cells"][name] = glue(last["cells"].get(name, ""), text, self.words)
        for label, text in extra.items():
            last["extra"][label] = glue(last["extra"].get(label, ""), text, self.words)
        last["boxes"].extend(boxes)
        last["page_end"] = row.page
        last["joined"] = True


def normalise_document(
    raw: RawDocument,
    registry: AgencyRegistry | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> NormalisedDocument:
    """Typed action and recommendation records of one extracted document."""
    plan_texts = [
        raw.title or "",
        *raw.prose,
        *(t.heading or "" for t in raw.tables),
        *(c.text for t in raw.tables for r in t.rows for c in r.cells),
        *_glossary_definitions(raw),
    ]
    registry = (registry or AgencyRegistry.load()).for_document(plan_texts)
    registry = registry.with_short_names(_glossary_pairs(raw, settings))
    warnings = list(raw.warnings)
    unread: list[tuple[int, int]] = []
    catalogue: dict[str, tuple[str, RawCell]] = {}
    words = vocabulary(c.lines for t in raw.tables for r in t.rows for c in r.cells)
    # a Word file's paragraphs are whole: each is a line of its own, set apart
    listed = raw.loose_lines or [
        LooseLine(1, (0.0, 2.0 * k, 1.0, 2.0 * k), text, (0.0,)) for k, text in enumerate(raw.prose)
    ]
    for number, item in _list_items_heading_tables(raw, listed, settings).items():
        catalogue.setdefault(number, item)
    printed_pages = {t.page for t in raw.tables} | {ln.page for ln in raw.loose_lines}
    blank = frozenset(p for p in range(1, raw.pages + 1) if p not in printed_pages)
    sections = build_sections(
        raw.tables, warnings, settings, unread, raw.title, catalogue, words, blank
    )
    sections = split_at_agency_rows(sections, registry, raw.title, warnings)
    # a local body a sub-heading row names is known by its name, as a lead cell names it
    registry = registry.with_bodies(s.agency for s in sections if s.agency is not None)
    # and so is one a section heading names (a role-only lead under it is that body's)
    registry = registry.with_bodies(
        body
        for s in sections
        if not s.kind_row and (body := _heading_body(s.heading, registry)) is not None
    )
    for number, item in _listed_recommendations(listed, settings).items():
        catalogue.setdefault(number, item)  # a list table, where printed, comes first
    tally = Tally()
    counted_loose: set[int] = set()
    for page, count in unread:
        tally.add(page, count, False)
    again = vocabulary(c.lines for t in raw.tables for r in t.rows for c in r.cells)
    # the same set kept where the sections left the words as they were: the cells' word
    # checks remember their answers per set, and an equal set met anew is compared whole
    words = words if again == words else again
    if not sections:
        warnings.append("no action-plan table found")
    actions: list[dict] = []
    recommendations: list[dict] = []
    engines: list[str] = []
    keys = section_keys(section.heading for section in sections)
    pooled = ambiguous_column_values(sections, settings)
    read: list[tuple[str, Section, _SectionReader, bool]] = []
    previous: str | None = None  # the last recommendation's number, section to section
    for index, (section, key) in enumerate(zip(sections, keys), start=1):
        reader = _SectionReader(
            raw.doc_id, index, section, registry, words, settings, pooled, previous
        )
        reader.read()
        if reader.recs:
            previous = reader.recs[-1].number
        _drop_word_prefix(reader.recs, reader.rows)
        for page, text in reader.closing:
            warnings.append(
                f"page {page}: a line under the last action is no recommendation: {text}"
            )
        for page, text in reader.summaries:
            warnings.append(f"page {page}: a row summing up the table is no action: {text}")
        for page, text in reader.sign_offs:
            warnings.append(f"page {page}: a row signing the plan off is no action: {text}")
        for page, text in reader.unnumbered:
            warnings.append(
                f"page {page}: a row of words alone in the ref column is no action: {text}"
            )
        for page, number, text in reader.no_action:
            warnings.append(f"page {page}: recommendation {number} has no action yet: {text}")
        for page, number, text in reader.context:
            warnings.append(
                f"page {page}: a row under recommendation {number} gives its context,"
                f" not its text: {text}"
            )
        for rec in reader.recs:
            # a recommendation named by its number only: its text from the list of them
            if not rec.text and rec.number in catalogue:
                text, cell = catalogue[rec.number]
                rec.text = text
                rec.boxes.append(_box("recommendation", cell))
        tally.merge(reader.tally)
        for page, *_ in section.placements[:1]:
            tally.add(page, section.header_words, True)
        for line in loose_words(raw.loose_lines, section.placements, settings.plan.loose_row_slack):
            if id(line) not in counted_loose:
                counted_loose.add(id(line))
                tally.add(line.page, count_words(line.text), False)
        for engine in section.engines:
            if engine not in engines:
                engines.append(engine)
        rec_style_none = "recommendation" not in reader.fields and not reader.recs
        for rec in reader.recs:
            for heading, n_actions in _rec_sections(rec, reader, section):
                recommendations.append(
                    {
                        "rec_id": rec_id(raw.doc_id, key, rec.number),
                        "doc_id": raw.doc_id,
                        "section": heading,
                        "rec_number": rec.number,
                        "text": rec.text,
                        "n_actions": n_actions,
                        "page": rec.page,
                        "cells": rec.boxes,
                    }
                )
        read.append((key, section, reader, rec_style_none))
    # Organisations the lead cells name that the registry does not know, and their short
    # forms ("Pathway" for "Pathway Domestic Abuse Services"), from all the plan's tables.
    registry = registry.with_local_names(
        (_lead_text(reader, row) for _, _, reader, _ in read for row in reader.rows),
        [fold_ws(t) for t in plan_texts if t],
    )
    for key, section, reader, rec_style_none in read:
        for row in reader.rows:
            record = _action_record(raw.doc_id, key, section, reader, row, registry)
            if rec_style_none:
                record["rec_number"] = None
                record["recommendation"] = None
            actions.append(record)
        if rec_style_none:
            recommendations.extend(
                _unprinted_recommendations(raw.doc_id, key, section, actions, catalogue)
            )
    warnings.extend(fuzzy_header_warnings(sections))
    _resolve_generic_acronyms(actions, registry)
    unmatched = [
        a["lead_agency"] for a in actions if a["lead_agency"] and not a["lead_agency_type"]
    ]
    _type_unregistered(actions)
    dedupe_ids(recommendations, "rec_id")
    dedupe_ids(actions, "action_id")
    warnings.extend(tally.warnings())
    return NormalisedDocument(
        actions=actions,
        recommendations=recommendations,
        n_sections=len(sections),
        engines=engines,
        warnings=warnings,
        unmatched_agencies=sorted(set(unmatched)),
        words_in_tables=tally.words_in_tables,
        words_accounted=tally.words_accounted,
    )


def fuzzy_header_warnings(sections: list[Section]) -> list[str]:
    """Header labels matched to their field below a perfect score (misspelt, wrapped): a
    note on the tables, not their rows, said once per document for each set of labels,
    with the pages of the tables that print it."""
    pages: dict[tuple[str, ...], list[int]] = {}
    for section in sections:
        fuzzy = tuple(c.label for c in section.columns if c.field and c.score < 100)
        if fuzzy:
            where = pages.setdefault(fuzzy, [])
            page = section.placements[0][0] if section.placements else None
            if page is not None and page not in where:
                where.append(page)
    out = []
    for labels, where in pages.items():
        said = f"page {where[0]}" if len(where) == 1 else f"pages {', '.join(map(str, where))}"
        out.append(f"fuzzy header ({said if where else 'a table'}): " + "; ".join(labels))
    return out


def _unprinted_recommendations(
    doc_id: str,
    section_key: str,
    section: Section,
    actions: list[dict],
    catalogue: Mapping[str, tuple[str, RawCell]] | None = None,
) -> list[dict]:
    """A section that prints no recommendation text still numbers its actions under
    recommendations (refs "1.1", "1.2" under 1; "3" alone is 3): one recommendation per
    top-level number, found from the refs, or, with no ref, from the number opening each
    action's own text (`_opening_refs`); the actions get its number. Its text is empty
    (FORMAT.md, rec_style none), unless the plan lists its recommendations apart
    (`catalogue`: a "No. | Recommendation" table or a numbered list before the plan) and
    that list numbers every recommendation the refs give: the listed text, joined by the
    refs' top level, is the recommendation's."""
    found: dict[tuple, dict] = {}
    prefix = f"{doc_id}/{section_key}/"
    own = [a for a in actions if a["action_id"].startswith(prefix)]
    lettered = _lettered_recommendations([(a.get("ref") or "").strip() for a in own])
    opening = _opening_refs(own)
    numbers: list[str | None] = []
    for action in own:
        ref = (action.get("ref") or "").strip()
        number = top_level(ref) if is_ref(ref) else None
        if number is None and is_sub_label(ref) and ref.strip("() .") in (catalogue or {}):
            number = ref.strip("() .")  # "ii" under a list numbered "i.", "ii.": its number
        if lettered and number is not None:
            number = ref[0]  # "B2": the second action of recommendation B
        if number is None and id(action) in opening:
            number = top_level(opening[id(action)])
        numbers.append(number)
    _number_runs_under_bare_numbers(own, numbers)
    listed = catalogue or {}
    joined = bool(listed) and all(n in listed for n in numbers if n is not None)
    for action, number in zip(own, numbers):
        if number is None:
            continue
        action["rec_number"] = number
        text, cell = listed[number] if joined else ("", None)
        if text:
            action["recommendation"] = text
        rec = found.setdefault(
            (action["section"], number),  # an agency column parts the section (FORMAT.md)
            {
                "rec_id": rec_id(doc_id, section_key, number),
                "doc_id": doc_id,
                "section": action["section"],
                "rec_number": number,
                "text": text,
                "n_actions": 0,
                "page": action["page_start"],
                "cells": [_box("recommendation", cell)] if text and cell is not None else [],
            },
        )
        rec["n_actions"] += 1
        field = "ref" if action.get("ref") else "action"
        rec["cells"].extend(box for box in action["cells"] if box["field"] == field)
    return list(found.values())


def _number_runs_under_bare_numbers(actions: Sequence[dict], numbers: list[str | None]) -> None:
    """A recommendation's number printed once, on the first of its actions' rows, the cells
    under it blank ("Rec No." merged down its actions, read without the merge's rules):
    every printed ref a bare number ("2", not "2.1"), each printed on one row only, in
    increasing order. An action with no ref after such a number is that recommendation's
    (`numbers` filled in place). A number printed on several rows repeats on each of its
    rows, so a blank there numbers nothing."""
    refs = [(a.get("ref") or "").strip().strip("() .") for a in actions]
    printed = [(ref, n) for ref, n in zip(refs, numbers) if ref]
    if not printed or len(printed) == len(refs):
        return
    if any(n is None or ref != n or not ref.isdigit() for ref, n in printed):
        return
    values = [int(ref) for ref, _ in printed]
    if len(set(values)) < len(values) or values != sorted(values):
        return
    current = None
    for k, (ref, number) in enumerate(zip(refs, numbers)):
        if ref:
            current = number
        elif number is None and current is not None:
            numbers[k] = current


def _opening_refs(actions: Sequence[dict]) -> dict[int, str]:
    """id(action) -> the number its own text opens with ("1.1 Produce the guidance ..."),
    for the actions of a section that prints no ref column: plans that number each action
    at the start of its cell instead. Only where every such action opens with a number of
    two levels or more ("1.1", "2.3"), whose top level is its recommendation's: a lone
    figure opening an action ("3 staff briefings", "2024 audit") is its text, and numbers
    counting the actions alone ("1.", "2.") number no recommendation."""
    bare = [a for a in actions if not (a.get("ref") or "").strip() and (a.get("action") or "")]
    found: dict[int, str] = {}
    for action in bare:
        number, rest = split_number(action["action"])
        if number is None or not rest or not is_ref(number) or top_level(number) == number:
            return {}
        found[id(action)] = number
    return found


_LETTER_NUMBER = re.compile(r"^([A-Z])(\d{1,3})$")


def _lettered_recommendations(refs: list[str]) -> bool:
    """Refs of a capital and a number ("A1", "A2", "B1") whose letters run A, B, C... from
    A, each letter's numbers counting again from 1: the actions of lettered
    recommendations (A, B, C), numbered under each. A letter that stays the same ("R1",
    "R2", "R3"), or letters that do not run from A ("R1", "R2", "M1": single- and
    multi-agency recommendations), number recommendations themselves."""
    parsed = [_LETTER_NUMBER.match(ref) for ref in refs if ref]
    if not parsed or not all(parsed):
        return False
    letters = list(dict.fromkeys(m.group(1) for m in parsed))
    if len(letters) < 2 or letters != [chr(ord("A") + k) for k in range(len(letters))]:
        return False
    for letter in letters:
        numbers = [int(m.group(2)) for m in parsed if m.group(1) == letter]
        if numbers != list(range(1, len(numbers) + 1)):
            return False
    return True


@lru_cache(maxsize=1)
def _word_prefixes() -> frozenset[str]:
    """Letters printed before a recommendation's number as a short form of the word
    Recommendation ("R1:"), schemas/number_words.csv."""
    return frozenset(r["prefix"] for r in schemas.read_vocabulary(schemas.NUMBER_WORDS_CSV))


def _drop_word_prefix(recs: Sequence[_Rec], rows: Sequence[dict]) -> None:
    """ "R1: text" over actions "1a", "1b": the letter is the word Recommendation cut
    short, not part of the number, which is "1" as "Recommendation 1:" gives it. Plans
    whose recommendations carry a series letter ("N1" national) number the actions under
    them with it ("N1.1"); plans that print the word short number them under the bare
    number. So the letter (one of number_words.csv) is taken off only where every ref
    printed under these recommendations opens with the bare number, at least one is
    printed, and the bare numbers stay distinct from the section's others."""
    found = {}
    for rec in recs:
        match = re.fullmatch(r"([A-Z]{1,3})\s?(\d{1,3})", rec.number or "")
        if match and match.group(1) in _word_prefixes():
            found[id(rec)] = (rec, match.group(2))
    if not found:
        return
    refs = [
        (found[id(row["rec"])][1], fold_ws(row["cells"].get("ref") or ""))
        for row in rows
        if row["rec"] is not None and id(row["rec"]) in found
    ]
    refs = [(number, ref) for number, ref in refs if ref]
    if not refs or not all(re.match(rf"{number}(?!\d)", ref) for number, ref in refs):
        return
    others = {rec.number for rec in recs if id(rec) not in found}
    bare = [number for _, number in found.values()]
    if len(set(bare)) != len(bare) or others & set(bare):
        return
    for rec, number in found.values():
        rec.number = number


@lru_cache(maxsize=1)
def _generic_acronyms() -> dict[str, str]:
    rows = schemas.read_vocabulary(schemas.GENERIC_ACRONYMS_CSV)
    return {r["acronym"]: r["type"] for r in rows}


# doubts about the first reading of a lead, replaced when its acronym is resolved
_SUPERSEDED_AGENCY_DOUBTS = ("agency not in registry", "agency matched below threshold")


def _resolve_generic_acronyms(actions: list[dict], registry: AgencyRegistry) -> None:
    """'ICB Designated Nurse': the plan's own ICB, when the plan names exactly one.

    A role read as its section's agency (FORMAT.md) is resolved too when its acronym
    names another kind of body: the role says whose it is ("ICB Designated Nurse" in a
    police table is the ICB's nurse)."""
    named: dict[str, Counter[str]] = {}
    for action in actions:
        if action["lead_agency_type"] and action["lead_agency_source"] != "section":
            named.setdefault(action["lead_agency_type"], Counter())[action["lead_agency"]] += 1
    for action in actions:
        by_section = action["lead_agency_source"] == "section"
        if (action["lead_agency_type"] and not by_section) or not action["lead_agency"]:
            continue
        printed = (
            (action["lead_agency_raw"] or action["lead_officer"] or "")
            if by_section
            else action["lead_agency"]
        )
        for token in re.findall(r"\b[A-Z]{2,5}\b", printed):
            kind = _generic_acronyms().get(token)
            if kind == action["lead_agency_type"]:
                break  # the section's own kind: its agency already
            if kind and len(named.get(kind, ())) == 1:
                name = next(iter(named[kind]))
                agency = registry.get(name)
                action["lead_agency"], action["lead_agency_type"] = name, agency.type
                action["lead_agency_source"] = "acronym_in_plan"
                action["warnings"] = [
                    w for w in action["warnings"] if not w.startswith(_SUPERSEDED_AGENCY_DOUBTS)
                ] + [f"agency resolved from the plan's own {token}: {name}"]
                break
            rest = printed.split(token, 1)[1]
            if kind and printed.startswith(token) and registry.names_role(rest):
                # a role of another kind of body ("ICB Designated Nurse"), and the plan
                # names none (or several) of that kind: which body is not printed, so no
                # agency rather than a guess
                n_named = len(named.get(kind, ()))
                action["lead_agency"] = action["lead_agency_type"] = None
                action["lead_agency_source"] = None
                action["warnings"] = [
                    w for w in action["warnings"] if not w.startswith(_SUPERSEDED_AGENCY_DOUBTS)
                ] + [
                    f"lead is a role at an {token}, a kind of body the plan names {n_named} of:"
                    " agency unknown"
                ]
                break


@lru_cache(maxsize=1)
def _type_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    rows = schemas.read_vocabulary(schemas.AGENCY_TYPE_PATTERNS_CSV)
    return tuple((re.compile(r["pattern"], re.IGNORECASE), r["type"]) for r in rows)


_NAME_WORD = re.compile(r"[a-z0-9']+")
_JOINING = frozenset({"and", "of", "the", "for", "nhs", "&"})


def _agency_alone(text: str, registry: AgencyRegistry) -> bool:
    """The cell is an agency's name and nothing more (its full name, a part of it, or its
    acronym): no person ("DI Jones, West Midlands Police") and no role ("Safeguarding Lead,
    SHSC")."""
    if registry.whole_name(text) is not None:
        return True  # a name or alias as a whole ("Heddlu Dyfed-Powys")
    match = registry.match(text)
    if match.agency is None or match.method in ("none", "section", "fuzzy"):
        return False
    if match.method == "area" and not text.strip().isupper():
        return False  # a kind of body ("Police") read as the plan's own: no name printed
    printed = set(_NAME_WORD.findall(text.casefold())) - _JOINING
    if len(printed) == 1 and (match.method == "acronym" or text.strip().isupper()):
        return True  # its acronym ("DWP", "SLaM")
    return printed <= set(_NAME_WORD.findall(match.agency.name.casefold()))


_NAME_PARTS = re.compile(r"\s+[-\u2013\u2014]\s+|:\s+")  # "Council – Children's Social Care"
_SHORT_FORM = re.compile(r"\s*\(\s*[A-Z][A-Za-z&]{1,9}\s*\)$")  # "Kent Police (KP)"


def _title_cased(text: str) -> bool:
    """A name's words (a service: "Children's Social Care"), not a sentence's: every word
    but the joining ones opens with a capital."""
    words = text.split()
    return bool(words) and all(
        not w[0].isalpha() or w[0].isupper() or w.casefold() in FUNCTION_WORDS for w in words
    )


def _names_organisation(text: str, registry: AgencyRegistry) -> bool:
    """A row that names an organisation and nothing more: a registry body's name or alias
    alone, maybe with its short form in brackets or a service of it after a dash ("Birmingham
    City Council – Children's Social Care"); no number and no sentence (a recommendation
    names its body and goes on to say what it should do)."""
    text = _SHORT_FORM.sub("", fold_ws(text).strip())
    if not text or split_number(text)[0] is not None:
        return False
    first, *rest = _NAME_PARTS.split(text, maxsplit=1)
    return _agency_alone(first, registry) and all(_title_cased(part) for part in rest)


#: A sub-heading row is a few words: a name, not a sentence.
SUB_HEADING_MAX_WORDS = 10
_WHITE = 0.97  # a fill this light in every channel is no shading


def _set_apart(cell: RawCell, text: str) -> bool:
    """A row printed as a heading, not as data: it ends with a colon ("Police:"), or its
    cell is shaded (plans shade their agency sub-heading rows)."""
    return text.endswith(":") or (cell.fill is not None and min(cell.fill) < _WHITE)


def _has_body_form(text: str) -> bool:
    """Some run of the text's words ends in a word saying what kind of body it is ("...
    Medical Centre", "... Housing Group", "... Council": agency_type_patterns.csv)."""
    words = fold_ws(text).strip(" .,;:").split()[:SUB_HEADING_MAX_WORDS]  # a lead, not prose
    return any(
        pattern.search(" ".join(words[i:j]))
        for j in range(1, len(words) + 1)
        for i in range(j)
        for pattern, _ in _type_patterns()
    )


def _local_body(text: str, registry: AgencyRegistry) -> bool:
    """A local organisation's name, which no registry holds: a few capitalised words whose
    form says what kind of body ("Thorpe Health Centre", agency_type_patterns.csv)."""
    words = text.split()
    return (
        2 <= len(words) <= 8
        and _title_cased(text)
        and registry.match(text).method in ("none", "section")
        and any(pattern.search(text) for pattern, _ in _type_patterns())
    )


def _ends_in_body_name(text: str, registry: AgencyRegistry) -> bool:
    """A local body's name (`_local_body`) whose kind of body ends it ("Elmbury City
    Council", "Thorpe Health Centre"): a name's last words say what it is, and a role that
    mentions a kind of body goes on past it ("Senior Probation Officer")."""
    text = fold_ws(text).strip()
    return _local_body(text, registry) and any(
        m is not None and m.end() == len(text)
        for pattern, _ in _type_patterns()
        for m in [pattern.search(text)]
    )


def _sub_heading_body(
    cell: RawCell, registry: AgencyRegistry, title: str | None
) -> tuple[bool, Agency | None, str | None]:
    """A sub-heading row inside a shared table naming a kind of body or a local body, set
    apart as a heading (a colon or shading), no number: ("Police:", "Adult Social Care",
    "GP Practice - Thorpe Health Centre:"). Many multi-agency plans print one table with
    such a row over each agency's actions. Returns (is one, its agency, its kind where the
    kind alone is printed). A kind resolves to the one body of it the plan names or its
    area holds (AgencyRegistry.body_of_kind), a local body is itself; else no agency."""
    text = fold_ws(cell.text).strip()
    bare = _SHORT_FORM.sub("", text.rstrip(":").strip())
    if (
        not bare
        or len(text.split()) > SUB_HEADING_MAX_WORDS
        or not _set_apart(cell, text)
        or split_number(text)[0] is not None
        or names_recommendation(text)
    ):
        return False, None, None
    parts = [p.strip() for p in _NAME_PARTS.split(bare) if p.strip()]
    kinds = [registry.kind_of(p) for p in parts]
    if len(parts) == 1 and kinds[0]:
        return True, registry.body_of_kind(kinds[0], title), kinds[0]
    if len(parts) == 2 and kinds[0]:
        # "GP Practice - Thorpe Health Centre": the kind, then the body's own name
        if _agency_alone(parts[1], registry):
            return True, registry.find(parts[1]).agency, None
        if _local_body(parts[1], registry):
            return True, Agency(parts[1], ""), None
    if len(parts) == 1 and _local_body(parts[0], registry):
        return True, Agency(parts[0], ""), None
    return False, None, None


@lru_cache(maxsize=1)
def _heading_tails() -> re.Pattern[str]:
    """Words ending an agency table's heading that say what the table is ("Action Plan",
    "actions"): schemas/heading_tails.csv, one pattern."""
    rows = schemas.read_vocabulary(schemas.HEADING_TAILS_CSV)
    return re.compile("|".join(f"(?:{r['pattern']})" for r in rows), re.IGNORECASE)


def _heading_body(heading: str | None, registry: AgencyRegistry) -> Agency | None:
    """The local body a section heading names where the registry knows none ("Leeds
    Primary Care Trust", "2. Oakfield Domestic Abuse Service (ODAS)", "Agency: Thorpe
    Health Centre"): its number, a label before a colon and its short form in brackets
    left off, a part whose form says what kind of body (_local_body). Plans print the
    agency owning a table over it, and bodies long gone or local to one area (primary
    care trusts, health authorities, local services) are in no registry; a role-only lead
    under it is still that body's (FORMAT.md)."""
    if not heading or registry.find(heading).agency is not None:
        return None
    text = fold_ws(heading).strip()
    text = split_number(text)[1].strip() or text
    text = _SHORT_FORM.sub("", text.rstrip(":").strip())
    # "<body> Action Plan", "<body> actions": what the table is, after whose it is
    # (schemas/heading_tails.csv)
    text = _SHORT_FORM.sub("", _heading_tails().sub("", text).strip()) or text
    for part in (p.strip() for p in _NAME_PARTS.split(text)):
        if part and registry.defined_name(part):  # "<acronym> – Action Plan"
            part = registry.defined_name(part) or part
        if not part or registry.names_role(part):
            continue
        if _local_body(part, registry) or _organisation_heading(part, registry):
            return Agency(part, "")
    return None


def _organisation_heading(text: str, registry: AgencyRegistry) -> bool:
    """A heading's name of an organisation whose form no type pattern knows: a few
    capitalised words naming no registry body that end in a word saying what kind of
    body ("Kestrel Row Family Project", agencies.LOCAL_NAME_WORDS) or that the plan
    defines by an acronym ("Larkfield Families in Crisis (LFIC)"): a plan defines the short forms
    of the bodies it names, not of its tables' subjects."""
    words = text.split()
    return (
        2 <= len(words) <= 8
        and _title_cased(text)
        and registry.match(text).method in ("none", "section")
        and (
            # "agency" alone ends a kind of plan ("Single Agency"), not a body's name here:
            # bodies named "... Agency" are national ones the registry holds
            words[-1].casefold().strip(".,:;") in LOCAL_NAME_WORDS - {"agency"}
            or registry.defines(text)
        )
    )


def _short_name_row(row: RawRow, section: Section, registry: AgencyRegistry) -> bool:
    """A row across the table whose name is short enough to fit in its first column: a
    grid read from text alignment (no cell borders) gives a cell only the columns its
    words reach, so an agency row "SPFT" reads as a first cell alone. Read as one when it
    is set apart as a heading (shaded or a colon) and names an organisation alone (a
    registry body, or an acronym the plan defines): a data row holds more than a name."""
    filled = _filled(row)
    if len(filled) != 1 or filled[0].col != 0 or not section.engines:
        return False
    if any(engine_info(e).exact for e in section.engines):
        return False  # a drawn or structured grid: a lone first cell is a data row's
    text = fold_ws(filled[0].text).strip()
    return _set_apart(filled[0], text) and _names_organisation(text.rstrip(":"), registry)


def _led_below(
    row: RawRow, section: Section, below: list[tuple[RawRow, bool]], registry: AgencyRegistry
) -> bool:
    """A row of a few words alone in its first cell (or across the table), set apart as a
    heading (shaded, a colon: ``_set_apart``), no number, naming the body the lead cells of
    the rows under it name beside their officer's role ("<role> – <body>"): an agency
    sub-heading row of a local body the registry does not know and whose name says no
    kind of body. A sub-heading names whose actions follow, and the leads under it say
    so; the rows read up to the next lone row, and every lead naming a body there names
    this one."""
    filled = _filled(row)
    if len(filled) != 1 or filled[0].col != 0:
        return False
    if any(engine_info(e).exact for e in section.engines) and not _is_title_row(
        row, section.n_cols
    ):
        return False  # a drawn or structured grid: a lone first cell is a data row's
    text = fold_ws(filled[0].text).strip()
    name = text.rstrip(":").strip()
    if (
        not name
        or len(name.split()) > SUB_HEADING_MAX_WORDS
        or not _set_apart(filled[0], text)
        or split_number(name)[0] is not None
        or not _title_cased(name)
        or registry.reads_as_role(name)
    ):
        return False
    leads = [i for i, c in enumerate(section.columns) if c.field in ("lead_agency", "lead_officer")]
    if not leads:
        return False
    bodies: list[str] = []
    for under, _ in below:
        cells = _filled(under)
        if len(cells) == 1 and cells[0].col == 0:
            break  # the next sub-heading (or a lone row): this one's rows end
        for cell in cells:
            if cell.col in leads:
                lead = fold_ws(cell.text).strip()
                body = registry.body_beside_role(lead)
                if body != lead:
                    bodies.append(body)
    return bool(bodies) and all(name_key(b) == name_key(name) for b in bodies)


def split_at_agency_rows(
    sections: list[Section],
    registry: AgencyRegistry,
    title: str | None = None,
    warnings: list[str] | None = None,
) -> list[Section]:
    """One shared table holding several agencies' plans, each opened by a row across the
    table that names the agency alone (many single-table plans print their agency parts
    so): that row is the heading of a section of its own over the rows under it, in the
    table's columns; the heading of the rows above it stays theirs. Its words are the
    section's heading (classified, as a title row over a header is). A row naming a kind
    of body or a local body, set apart as a heading (_sub_heading_body), opens one too:
    its agency is what the row resolves to, or none (said in `warnings`)."""
    out: list[Section] = []
    for section in sections:
        current = section
        rows: list[tuple[RawRow, bool]] = []
        printed = list(section.rows)  # as printed: `current` may be `section` itself
        for index, (row, opens_page) in enumerate(printed):
            filled = _filled(row)
            led = not section.form and _led_below(row, section, printed[index + 1 :], registry)
            if section.form or not (
                _is_title_row(row, section.n_cols) or _short_name_row(row, section, registry) or led
            ):
                rows.append((row, opens_page))
                continue
            kind_row, body, kind = False, None, None
            if not _names_organisation(filled[0].text, registry):
                kind_row, body, kind = _sub_heading_body(filled[0], registry, title)
                if not kind_row and led:
                    # a local body the rows under it name as their lead's
                    kind_row, body = True, Agency(fold_ws(filled[0].text).strip(" :"), "")
                if not kind_row:
                    rows.append((row, opens_page))
                    continue
            heading = fold_ws(filled[0].text).strip()
            if kind_row and warnings is not None:
                if kind and body is not None:
                    warnings.append(
                        f"page {row.page}: sub-heading '{heading}' names a kind of body"
                        f" ({kind}): read as the plan's own, {body.name}"
                    )
                elif kind:
                    warnings.append(
                        f"page {row.page}: sub-heading '{heading}' names a kind of body"
                        f" ({kind}) and no one body of it: section agency unknown"
                    )
            words = count_words(filled[0].text)
            if not rows and current is not section:
                current.heading = heading  # two agency rows one over the other: the nearer
                current.header_words += words
                current.kind_row, current.agency = kind_row, body
                continue
            if rows:
                current.rows = rows
                out.append(current)
                current = replace(
                    section,
                    rows=[],
                    engines=list(section.engines),
                    placements=[p for p in section.placements if p[0] >= row.page]
                    or section.placements[-1:],
                    header_words=0,
                )
                rows = []
            current.heading = heading
            current.header_words += words
            current.kind_row, current.agency = kind_row, body
        current.rows = rows
        out.append(current)
    return out


_ACRONYM_CELL = re.compile(r"^[A-Z](?:[A-Za-z&]|\d(?=[A-Za-z&])){1,9}$")


def _two_part_rows(raw: RawDocument) -> list[tuple[str, str]]:
    """(first, second) of each row of a glossary or key: a table row of two filled cells,
    or a printed line of two phrases parted at a gutter (a glossary set without rules
    down it, which no table engine keeps as a table: its lines are loose lines)."""
    pairs = []
    for table in raw.tables:
        for row in table.rows:
            filled = [fold_ws(c.text) for c in row.cells if c.text.strip()]
            if len(filled) == 2:
                pairs.append((filled[0], filled[1]))
    pairs.extend((ln.phrases[0], ln.phrases[1]) for ln in raw.loose_lines if len(ln.phrases) == 2)
    return pairs


#: One item of a glossary run on in a paragraph ("Abbreviations: ABC – Alder Bay Council;
#: DEF – ..."): an acronym, a spaced dash, a name, up to the next ";" or the sentence's end.
_GLOSSARY_ITEM = re.compile(
    r"(?:^|[:;]\s*)([A-Z][A-Za-z0-9&]{1,9})\s+[-\u2013\u2014]\s+([^;:]+?)\s*(?=;|\.\s|\.?$)"
)


def _glossary_definitions(raw: RawDocument) -> list[str]:
    """A glossary row (an acronym | what it stands for: "LTHT | Leeds Teaching Hospitals
    NHS Trust"), ruled or not, or an item of a glossary run on in a paragraph ("LTHT –
    Leeds Teaching Hospitals NHS Trust; ..."), written as the definition a plan prints in
    its text ("... Trust (LTHT)"), so the agency registry learns it the same way."""
    pairs = list(_two_part_rows(raw))
    for text in raw.prose:
        for m in _GLOSSARY_ITEM.finditer(fold_ws(text)):
            words = m.group(2).split()
            if all(w[0].isupper() or w in NAME_SMALL_WORDS or w == "&" for w in words):
                pairs.append((m.group(1), m.group(2)))
    return [
        f"{long} ({short})"
        for short, long in pairs
        if _ACRONYM_CELL.match(short)
        and sum(ch.isupper() for ch in short) >= 2
        and len(long.split()) >= 2
    ]


def _glossary_pairs(
    raw: RawDocument, settings: Settings = DEFAULT_SETTINGS
) -> list[tuple[str, str]]:
    """(short, long) of each two-part glossary row, ruled (a table row of two cells) or
    not (a line of two phrases): "Cambs Police | Cambridgeshire Constabulary"."""
    pairs = _two_part_rows(raw)

    def short_name(text: str) -> bool:
        # a name ("Cambs Police"): a few capitalised words, no column label ("Lead
        # officer | Kent Police" is a form's row)
        words = text.split()
        return (
            len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and score_label(text, settings=settings.headers)[1]
            < settings.headers.foreign_label_cutoff
        )

    return [(s, long) for s, long in pairs if short_name(s) and len(long.split()) >= 2]


def _names_many(text: str | None) -> bool:
    """A lead cell naming every agency or a group of them ("All agencies"): schemas/
    collective_leads.csv."""
    return bool(text) and bool(
        _row_patterns(schemas.COLLECTIVE_LEADS_CSV).fullmatch(fold_ws(text).strip(" ."))
    )


def _type_unregistered(actions: list[dict]) -> None:
    """An organisation not in the registry still gets a type from the form of its name
    ("Leeds City Council": local_authority), so analysts can group by type."""
    for action in actions:
        name = action["lead_agency"]
        if action["lead_agency_type"] or not name or len(name.split()) > 8:
            continue
        folded = re.sub(r"\s+", " ", name.strip(" .,;:"))
        kind = next((t for pattern, t in _type_patterns() if pattern.search(folded)), None)
        if kind:
            action["lead_agency_type"] = kind
            action["warnings"].append(f"agency type read from the name: {kind}")


def _name_before_role(text: str, registry: AgencyRegistry) -> str:
    """An organisation the registry does not know and its officer's role, the one parted
    from the other by a dash or a comma, in either order ("Next Chapter Domestic Abuse
    Service - CEO", "Practice Manager, Elmfield Medical Centre"), or in brackets
    ("Practice Manager (Elmfield Medical Centre)", "Elmfield Medical Centre (GP
    practice)"), or after the officer's name and role ("J. Smith, Service Manager,
    Elmfield Medical Centre"): the organisation's name alone. Plans print a lead as "role,
    body" as often as "body - role", and a named officer as "name, role, body"."""
    text = text or ""
    parts = [p.strip() for p in re.split(r"\s+[-\u2013\u2014]\s+|,\s+", text)]
    if len(parts) == 2:
        # a role is told by its form, not known word for word: a role the vocabulary
        # knows, or capitalised words ending in a job word ("Contracts Manager")
        first, second = parts
        if registry.reads_as_role(second) and first and not registry.reads_as_role(first):
            return first
        if registry.reads_as_role(first) and second and not registry.reads_as_role(second):
            return second
    if len(parts) == 3 and all(parts):
        person, role, body = parts
        # "name, role, body": the one part after a role is the body; the part before the
        # role is the officer (no role, no body the registry knows)
        if (
            registry.names_role(role)
            and not registry.names_role(body)
            and not registry.names_role(person)
            and registry.find(person).agency is None
        ):
            return body
    bracket = re.fullmatch(r"([^()]+?)\s*\(([^()]+)\)", text.strip())
    if bracket and len(parts) == 1:
        outside, inside = (g.strip() for g in bracket.groups())
        if registry.names_role(outside) and not registry.names_role(inside):
            return inside
        if registry.names_role(inside) and not registry.names_role(outside):
            return outside
    return text


def _lead_text(reader: _SectionReader, row: dict) -> str:
    """The cell a row's lead agency is read from: its lead agency cell, else its lead
    officer cell."""
    fields = set(reader.fields)
    cells = row["cells"]
    lead = cells.get("lead_agency", "") if "lead_agency" in fields else None
    officer = cells.get("lead_officer", "") if "lead_officer" in fields else None
    return lead or officer or ""


def _rec_sections(
    rec: _Rec, reader: _SectionReader, section: Section
) -> list[tuple[str | None, int]]:
    """(section heading, actions) of a recommendation: one, or, where an agency column parts
    the section, one per run of its actions under one agency (FORMAT.md: each agency's
    section lists the recommendation with its actions), so actions and recommendations
    join on (section, rec_number)."""
    owners = [row["owner"] for row in reader.rows if row["rec"] is rec]
    if reader.owner_col is None or not owners or None in owners:
        return [(rec.owner or section.heading, rec.n_actions)]
    return [(owner, len(list(run))) for owner, run in groupby(owners)]


def _refs_number_recs(section: Section, fields: list[str | None], settings: Settings) -> bool:
    """The ref column holds the recommendation's number, not the action's: a spreadsheet
    plan printing "Rec No." and the recommendation's text again on every action row.
    Told by the rows: every ref is a bare number ("2", not "2.1"), each number goes with
    one recommendation text, and some number is printed on several rows (an action's own
    ref is never printed twice), beside its text or beside a recommendation cell merged
    down from the row above. A text a reader cut at the rows (a merged cell read
    without its rules: "... is shared" / "between agencies ...") is one text: each part
    carries the one before it on."""
    if "ref" not in fields or "recommendation" not in fields:
        return False
    ref_col, rec_col = fields.index("ref"), fields.index("recommendation")
    texts: dict[str, set[str]] = {}
    last: dict[str, str] = {}  # each number's text so far, its parts joined
    printed: dict[str, int] = {}  # rows printing each number
    for row, _ in section.rows:
        if _is_banner(row, section.n_cols, settings):
            continue
        cells = {c.col: fold_ws(c.text) for c in row.cells}
        ref, text = cells.get(ref_col, ""), cells.get(rec_col, "")
        if not ref:
            continue
        number = ref.strip("() .")
        if not is_ref(ref) or top_level(ref) != number:
            return False
        printed[number] = printed.get(number, 0) + 1
        if not text:
            continue  # beside a recommendation cell merged down from a row above
        before = last.get(number)
        if before is not None and text != before and _carries_on(before, text):
            texts[number] = {f"{before} {text}"}
            last[number] = f"{before} {text}"
        else:
            texts.setdefault(number, set()).add(text)
            last.setdefault(number, text)
    return (
        bool(texts)
        and all(len(t) == 1 for t in texts.values())
        and any(n > 1 for n in printed.values())
    )


def _printed_again(rec: _Rec, number: str | None, text: str) -> bool:
    """A recommendation cell printing `rec` again: the same text on each of its rows, or
    the part of it a page break left on either side ("5. The partnership should review
    how" at the foot of a page, "information is shared." at the top of the next)."""
    printed = fold_ws(rec.printed or "")
    text = fold_ws(text)
    if not printed or not text:
        return False
    if text == printed:
        return True
    if number is not None:
        return number == rec.number and printed.startswith(text)
    # unnumbered: the part the page left at the foot (its first words), or at the top of
    # the next page (its last words)
    return printed.endswith(" " + text) or (
        len(text.split()) >= 3 and printed.startswith(text + " ")
    )


def _heading_of(
    section: Section, reader: _SectionReader, owner: str | None, registry: AgencyRegistry
) -> tuple[str | None, str | None]:
    """The section heading of a record and its agency's name: the agency column's text over
    the record where the section has one (FORMAT.md), else the section's heading."""
    if owner:
        found = registry.find(owner).agency
        return owner, found.name if found else None
    return section.heading, reader.agency.name if reader.agency else None


def _action_record(
    doc_id: str,
    section_key: str,
    section: Section,
    reader: _SectionReader,
    row: dict,
    registry: AgencyRegistry,
) -> dict:
    cells: dict[str, str] = row["cells"]
    fields = set(reader.fields)
    warnings: list[str] = []  # reasons for a person to look
    notes: list[str] = []  # documented rules applied (provenance), not doubts
    penalty = 0.0
    cost = reader.settings.penalties

    def printed(name: str) -> str | None:
        # a ref read from another column (the recommendation column's "ii") counts as printed
        return cells.get(name, "") if name in fields else cells.get(name)

    lead_raw = printed("lead_agency")
    lead_text = _lead_text(reader, row)
    heading, agency = _heading_of(section, reader, row.get("owner"), registry)
    match = registry.match(lead_text, section_agency=agency)
    local = _name_before_role(match.text, registry) if match.source == "section" else ""
    if local and local != match.text and _local_body(local, registry):
        # "<Housing Group> - <role>" in another body's table: the cell names its own body
        # (a form agency_type_patterns.csv knows) beside the officer's role, so it is
        # that body, not the table's owner
        lead_agency, lead_type = local, None
        warnings.append(f"agency not in registry: {lead_agency}")
        penalty += cost.agency_unregistered
    elif match.agency is not None:
        # a local organisation learnt from the plan has no registry type (""): None, as
        # for any name not in the registry (its type is then read from its form)
        lead_agency, lead_type = match.agency.name, match.agency.type or None
        # A role resolved to the section's agency follows a documented rule (FORMAT.md):
        # provenance (lead_agency_source = section), not a warning; a cell not understood
        # at all, given the section's agency, is a guess.
        ok = (
            reader.settings.plan.agency_section_score_ok
            if match.source == "section"
            else reader.settings.plan.agency_score_ok
        )
        if match.method == "area":
            # an acronym several bodies share, read as the one in the plan's area: likely,
            # not printed
            warnings.append(f"agency read from the plan's area: {lead_text} -> {lead_agency}")
            penalty += cost.agency_fuzzy
        elif match.method == "fuzzy" or match.score < ok:
            warnings.append(f"agency matched below threshold ({match.score:.0f}): {lead_text}")
            penalty += cost.agency_fuzzy
    elif _names_many(match.text):
        lead_agency, lead_type = None, None  # no one organisation: FORMAT.md's lead is one
        notes.append(f"lead names several agencies: {match.text}")
    elif section.kind_row and reader.agency is None and registry.names_role(match.text):
        # a role under a sub-heading naming only a kind of body the plan does not settle
        # ("Police:", no force named): whose role is not printed, so no agency, not the role
        lead_agency, lead_type = None, None
        warnings.append(f"lead is a role under a kind of body, which one unknown: {match.text}")
        penalty += cost.agency_unregistered
    elif registry.only_roles(match.text):
        # a role alone where the section's agency is unknown: whose role is not printed,
        # and a role is never an organisation's name (FORMAT.md: the section's agency)
        lead_agency, lead_type = None, None
        warnings.append(f"lead is a role and the section's agency is unknown: {match.text}")
        penalty += cost.agency_unregistered
    elif (
        registry.names_role(match.text)
        and _name_before_role(match.text, registry) == match.text
        and not _has_body_form(match.text)
    ):
        # a job title with more words ("<role> <team>", "<role> for <group>") where the
        # section's agency is unknown: no body parted from the role by a dash, comma or
        # brackets, and no kind of body in its words (agency_type_patterns.csv), so it
        # names no organisation, and a role is never an organisation's name
        lead_agency, lead_type = None, None
        warnings.append(f"lead is a role and the section's agency is unknown: {match.text}")
        penalty += cost.agency_unregistered
    else:
        lead_agency = _name_before_role(match.text, registry) or None
        lead_type = None
        if lead_agency:
            warnings.append(f"agency not in registry: {lead_agency}")
            penalty += cost.agency_unregistered

    dates = {}
    for name in ("target_date", "completion_date"):
        raw = printed(name)
        detail = parse_date_detail(raw) if raw else None
        dates[name] = (raw, detail.value if detail else None)
        if detail is not None and detail.value is not None and detail.guessed:
            doubts = [r for r in detail.reasons if not documented_date_rule(r)]
            if doubts:
                warnings.append(f"{name} guessed from text ({', '.join(doubts)}): {raw}")
                penalty += cost.date_guessed
            else:  # month or quarter alone, latest of several: FORMAT.md's rules
                notes.append(f"{name} by rule ({', '.join(detail.reasons)}): {raw}")

    status_raw, rag_raw = printed("status"), printed("rag")
    status, rag = "unknown", None
    if status_raw is not None:
        parsed = parse_status(status_raw)
        status, rag = parsed.status, parsed.rag
        if status_raw and not parsed.matched:
            warnings.append(f"status not recognised: {status_raw}")
            penalty += cost.status_unrecognised
        done = status_date(status_raw) if status == "completed" else None
        if done is not None and "completion_date" not in fields:
            # "Y – 03/05/22" in a completion column, and no column of completion dates:
            # the day it was done (the date printed after the status word, alone with it)
            detail = parse_date_detail(done)
            if detail.value is not None:
                dates["completion_date"] = (done, detail.value)
                notes.append(f"completion_date read from the status cell: {status_raw}")
    if rag_raw is not None:
        parsed = parse_status(rag_raw)
        rag = parsed.rag or rag
        if status_raw is None:
            status = parsed.status
    colour = row["colours"].get("rag") or row["colours"].get("status")
    if colour and rag is None:
        rag = colour  # the rating printed as the cell's colour, not as text
        notes.append(f"rag read from the cell colour: {colour}")
        if status == "unknown":
            status = RAG_STATUS[colour]
    if status_raw is None and rag_raw is None and not colour:
        inferred = infer_status(printed("completion_date")) or infer_status(printed("progress"))
        if inferred:  # the README's rule for plans without a status column: provenance
            status = inferred
            notes.append("status read from the completion/progress text")

    if row["joined"]:  # a row broken by a page break, joined back: pages in page_start/end
        notes.append("row joined across a page break")
    # A header matched fuzzily is a note on the table, once, in the document's warnings
    # (fuzzy_header_warnings), not on every row of it.
    ocr_confidence = ocrfix.mean_confidence(row.get("ocr_confidences") or [])
    if any(is_ocr(e) for e in section.engines):
        warnings.append("text read by OCR")
        penalty += cost.ocr
        low = reader.settings.ocr.warn_confidence / 100
        if ocr_confidence is not None and ocr_confidence < low:
            warnings.append(f"OCR word confidence low: {ocr_confidence:.0%}")
        warnings.extend(f"OCR value corrected: {fix}" for fix in row.get("ocr_fixes") or [])
    elif not all(engine_info(e).exact for e in section.engines):
        penalty += cost.inferred_grid

    rec = row["rec"]
    record = {
        "action_id": "",  # from the printed text, below
        "doc_id": doc_id,
        "section": heading,
        "section_agency": agency,
        "rec_number": rec.number if rec else None,
        "recommendation": rec.text if rec else None,
        "lead_agency_raw": lead_raw,
        "lead_agency": lead_agency,
        "lead_agency_type": lead_type,
        "lead_agency_source": match.source if lead_agency else None,
        "target_date_raw": dates["target_date"][0],
        "target_date": dates["target_date"][1],
        "completion_date_raw": dates["completion_date"][0],
        "completion_date": dates["completion_date"][1],
        "status_raw": status_raw,
        "status": status,
        "rag_raw": rag_raw,
        "rag": rag,
        "extra": row["extra"] or None,
        "page_start": row["page_start"],
        "page_end": row["page_end"],
        "cells": row["boxes"],
        "engine": "+".join(section.engines),
        # scaled by how sure OCR was of the row's words (1.0 for text read from the PDF)
        "confidence": round(max(cost.floor, (1.0 - penalty) * (ocr_confidence or 1.0)), 3),
        "warnings": warnings,
        "notes": notes,
    }
    for name in TEXT_FIELDS:
        record[name] = printed(name)
    record["action_id"] = action_id(
        doc_id, section_key, record["rec_number"], record["ref"], record["action"]
    )
    return record

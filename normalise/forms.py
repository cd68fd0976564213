"""Transposed ("form") plans: each action printed as a small two-column table, label | value.

Some templates print every action as its own block: `Ref | R1.1`, `Action | ...`,
`Lead agency | ...`, one field a row. Such a table is the same record as one row of an
ordinary plan, with the header down its first column. It is recognised by that first
column (most of its cells read as column labels, one of them the action) and turned into
an ordinary table of a header row and one data row, so everything after it (sections,
recommendations, fields, provenance) is the same code for both.
"""

from __future__ import annotations

from dataclasses import replace

from dhrplans.extract.layout import union_bbox
from dhrplans.extract.model import RawCell, RawRow, RawTable, TextLine
from dhrplans.normalise.cells import fold_ws
from dhrplans.normalise.headers import score_label
from dhrplans.normalise.numbering import names_recommendation
from dhrplans.schemas import fold_label

from dhrplans.settings import DEFAULT_SETTINGS, Settings

#: A form has at least this many label rows.
MIN_FORM_ROWS = 3


def _label_cell(row: RawRow) -> RawCell | None:
    return next((c for c in row.cells if c.col == 0 and c.colspan == 1), None)


def _value_cell(row: RawRow) -> RawCell | None:
    return next((c for c in row.cells if c.col == 1), None)


def is_form(table: RawTable, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Two columns whose first cells read as column labels, the action among them. A
    shorter form than `MIN_FORM_ROWS` (the page cut the plan's first form after a few
    rows) counts when every one of its first cells is a label."""
    if table.n_cols != 2 or not table.rows:
        return False
    fields = []
    for row in table.rows:
        cell = _label_cell(row)
        field, score = score_label(cell.text, settings=settings.headers) if cell else (None, 0.0)
        fields.append(field if score >= settings.headers.label_cutoff else None)
    known = [f for f in fields if f]
    need = settings.headers.min_labels
    if len(table.rows) < MIN_FORM_ROWS:
        if len(table.rows) < 2 or len(known) < len(fields):
            return False
        need = len(fields)
    return (
        len(known) >= need
        and len(known) >= settings.headers.label_share * len(fields)
        and bool({"action", "recommendation"} & set(known))
    )


def cut_before_action(
    table: RawTable, rest: RawTable, settings: Settings = DEFAULT_SETTINGS
) -> tuple[RawTable, RawTable | None] | None:
    """A plan's form the page broke before its action (forms that print the action
    last): at the foot of one page, label | value rows whose labels are all known but the
    action's, and at the top of the next, with no heading of its own, the rest of those
    rows, the action among them and no label printed twice. The two as one form (each
    cell keeps its page), with the rows of `rest` after the form's rest: the next forms,
    printed under it with no gap (a run of forms prints its labels in one order, so the
    next form starts where the cut form's first label is printed again), as a table of
    their own, or None; else None."""
    if table.n_cols != 2 or rest.n_cols != 2 or rest.heading is not None:
        return None
    if rest.page != table.page + 1 or not table.rows or not rest.rows:
        return None
    if is_form(table, settings):
        return None
    labels = []
    for row in [*table.rows, *rest.rows]:
        cell = _label_cell(row)
        if cell is None or not _is_label(cell.text, settings):
            return None
        labels.append(fold_label(cell.text))
    cut = len(table.rows) + next(
        (k for k, label in enumerate(labels[len(table.rows) :]) if k and label == labels[0]),
        len(rest.rows),
    )
    if len(labels[:cut]) > len(set(labels[:cut])):
        return None
    k = cut - len(table.rows)
    joined = replace(table, bbox=table.bbox, rows=[*table.rows, *rest.rows[:k]])
    if not is_form(joined, settings):
        return None
    after = None
    if k < len(rest.rows):
        rows = rest.rows[k:]
        after = replace(rest, bbox=union_bbox(r.bbox for r in rows), rows=rows)
    return joined, after


def _is_label(text: str, settings: Settings) -> bool:
    field, score = score_label(text, settings=settings.headers)
    return field is not None and score >= settings.headers.label_cutoff


def _is_banner(row: RawRow, n_cols: int, settings: Settings) -> bool:
    """One filled cell across the whole row: a recommendation or a title printed over the
    forms that follow it (a label whose value is blank is no banner)."""
    filled = [c for c in row.cells if c.text.strip()]
    return (
        len(filled) == 1
        and filled[0].col == 0  # a value carried on from the page before sits in its column
        and (filled[0].colspan >= n_cols or len(row.cells) == 1)
        and (names_recommendation(filled[0].text) or not _is_label(filled[0].text, settings))
        and not filled[0].text.strip()[:1].islower()  # the rest of a label the page cut
    )


def _pairs(row: RawRow) -> list[tuple[RawCell, RawCell | None]]:
    """The row's cells read left to right as (label, value) pairs."""
    cells = sorted(row.cells, key=lambda c: c.col)
    return [
        (cells[i], cells[i + 1] if i + 1 < len(cells) else None) for i in range(0, len(cells), 2)
    ]


def split_paired_form(
    table: RawTable,
    settings: Settings = DEFAULT_SETTINGS,
    after_forms: bool = False,
    opener: str | None = None,
) -> list[RawTable]:
    """A form that holds many actions in one table, as one two-column form per action.

    Some templates print the label | value pairs of a form side by side (`Ref | 1.1 |
    Lead Agency | X` over `Action | ...`), and put every action of a recommendation, or of
    the plan, in one table: a label printed again opens the next action, and a row of one
    cell across the table (a recommendation) sits between them. Such a table is told by
    its rows, not its labels' wording: every row but the spanning ones opens with a known
    label and goes on in label | value pairs, its values are not labels (a header row's
    cells all are), and the action is among its labels. Each action becomes a two-column
    form in the form's place, the spanning row its heading (a numbered recommendation
    heading becomes the form's banner); anything else returns `[table]` unchanged. A form
    the page cut after a few rows, under its recommendation's row, is parted the same way
    (the rest of it, on the next page, names the action); so is one that follows a table
    of such forms (`after_forms`): the start of the next form, cut before its action.

    A run of forms prints the same labels in the same order, so a form starts where the
    label that run printed first (after a recommendation's row, or at the table's start)
    appears again, whatever label that is (a form may print its action last). A table
    that carries on the forms of the last one, a page having broken a form (`opener`: the
    first label of the run it carries on, folded), opens with that form's rest, not with
    a new form. A label printed twice before the first comes again also parts them."""
    if table.n_cols < 2:
        return [table]
    # a first row across the whole table opening in lower case: the rest of the
    # recommendation the page broke (its start closed the last page's table). A value
    # the page broke sits in its own column, beside a label cell however blank, so a
    # cell across even two columns is no value's rest
    first = table.rows[0] if table.rows else None
    cont = (
        first
        if first is not None
        and len(filled := [c for c in first.cells if c.text.strip()]) == 1
        and filled[0].colspan >= table.n_cols >= 2
        and filled[0].text.strip()[:1].islower()
        else None
    )
    pair_rows = [
        r for r in table.rows if r is not cont and not _is_banner(r, table.n_cols, settings)
    ]
    banners = len(pair_rows) < len(table.rows)
    # the rest of a form the page broke, read in the columns of a wider table of forms
    # (a label in the first, its value across the others): a form of its own rows
    fragment = (
        table.n_cols > 2
        and not banners
        and all(len(r.cells) == 2 and [c.col for c in r.cells] == [0, 1] for r in pair_rows)
    )
    short = len(table.rows) < MIN_FORM_ROWS and not (banners or fragment or after_forms)
    if not pair_rows or short:
        return [table]
    labels: list[str] = []
    values = known_values = 0
    side_by_side = False
    for row in pair_rows:
        pairs = _pairs(row)
        side_by_side |= len(pairs) > 1
        for label, value in pairs:
            if not _is_label(label.text, settings):
                return [table]
            labels.append(fold_label(label.text))
            if value is not None and value.text.strip():
                values += 1
                known_values += _is_label(value.text, settings)
    fields = {score_label(x, settings=settings.headers)[0] for x in labels}
    repeats = len(labels) > len(set(labels))
    whole = bool({"action", "recommendation"} & fields)
    if not (side_by_side or repeats or banners or fragment) or 2 * known_values > values:
        return [table]
    if not whole and not banners and not fragment and not after_forms:
        return [table]
    forms: list[RawTable] = []
    block: list[RawRow] = []
    seen: set[str] = set()
    heading, heading_bbox = table.heading, table.heading_bbox
    outer, outer_bbox = table.outer_heading, table.outer_heading_bbox

    first = opener

    def close() -> None:
        nonlocal heading, heading_bbox, outer, outer_bbox
        if block:
            forms.append(_form_of(table, block, heading, heading_bbox, outer, outer_bbox))
            heading = heading_bbox = outer = outer_bbox = None
        block.clear()
        seen.clear()

    for row in table.rows:
        if row is cont:
            cell = next(c for c in row.cells if c.text.strip())
            heading = f"{heading} {fold_ws(cell.text)}" if heading else fold_ws(cell.text)
            heading_bbox = heading_bbox or cell.bbox
            continue
        if _is_banner(row, table.n_cols, settings):
            close()
            cell = next(c for c in row.cells if c.text.strip())
            if heading is not None and (outer is None or not forms):
                # the section over the recommendation: the heading nearest the table (a
                # heading further up, "Appendix 1 - Action Plan" or an export's stamp, is
                # over the section)
                outer, outer_bbox = heading, heading_bbox
            heading, heading_bbox = fold_ws(cell.text), cell.bbox
            first = None  # the next run's first label, printed next
            continue
        for label, value in _pairs(row):
            key = fold_label(label.text)
            if first is None:
                first = key
            if key in seen or (key == first and block):
                close()
            seen.add(key)
            cells = [replace(label, col=0, colspan=1)]
            if value is not None:
                cells.append(replace(value, col=1, colspan=1))
            block.append(RawRow(row.page, union_bbox(c.bbox for c in cells), cells))
    close()
    return forms


def split_paired_forms(
    tables: list[RawTable], settings: Settings = DEFAULT_SETTINGS
) -> list[RawTable]:
    """`split_paired_form` over a document's tables in order. A table of forms can end in
    a recommendation's row, its forms in the next table (spacing or the page parted
    them): that row is the heading of the next table when it has none of its own."""
    tables = mend_cut_labels(tables, settings)
    out: list[RawTable] = []
    pending: RawRow | None = None
    parted = False
    opener: str | None = None  # the first label of the last table's run of forms
    for table in tables:
        carried = parted and pending is None and table.heading is None
        if pending is not None and table.heading is None and table.rows:
            cell = next(c for c in pending.cells if c.text.strip())
            table = replace(table, heading=fold_ws(cell.text), heading_bbox=cell.bbox)
        pending = None
        opener = opener if carried else None
        forms = split_paired_form(table, settings, after_forms=parted, opener=opener)
        out.extend(forms)
        last = table.rows[-1] if table.rows else None
        parted = not (len(forms) == 1 and forms[0] is table)  # read as forms of pairs
        opener = _run_opener(table, settings, opener) if parted else None
        if parted and last is not None and _is_banner(last, table.n_cols, settings):
            pending = last  # no form under it in this table
    return out


def mend_cut_labels(
    tables: list[RawTable], settings: Settings = DEFAULT_SETTINGS
) -> list[RawTable]:
    """A table of forms of pairs whose last row the page cut inside its labels, wrapped
    over two lines ("Target" / "date", "Current" / "status"): the labels' rest opens the
    next page, above its first table, where it reads as that table's heading. A run of
    forms prints the same labels again, so the rest is told by them: in lower case (a
    heading opens with a capital), it is wholly the ends of the last row's labels, in
    order, each cut label with its part making a label the table printed before. The
    rest goes back to its labels, and the next table keeps the heading over it, if any."""
    out = list(tables)
    for k in range(len(out) - 1):
        table, nxt = out[k], out[k + 1]
        rest = (nxt.heading or "").strip()
        if nxt.page != table.page + 1 or not rest[:1].islower() or len(table.rows) < 2:
            continue
        mended = _mend_last_labels(table, rest, settings)
        if mended is None:
            continue
        out[k] = mended
        out[k + 1] = replace(
            nxt,
            heading=nxt.outer_heading,
            heading_bbox=nxt.outer_heading_bbox,
            outer_heading=None,
            outer_heading_bbox=None,
        )
    return out


def _mend_last_labels(table: RawTable, rest: str, settings: Settings) -> RawTable | None:
    """`table` with its last row's labels completed by the words of `rest` (see
    `mend_cut_labels`), else None."""
    last = table.rows[-1]
    if table.n_cols < 4 or _is_banner(last, table.n_cols, settings):
        return None  # pairs side by side: a label | value | label | value row
    printed = {
        fold_label(label.text)
        for row in table.rows[:-1]
        if not _is_banner(row, table.n_cols, settings)
        for label, _ in _pairs(row)
    }
    labels = [label for label, _ in _pairs(last)]
    words = rest.split()

    def parts(i: int, w: int) -> list[list[str]] | None:
        if i == len(labels):
            return [] if w == len(words) else None
        key = fold_label(labels[i].text)
        for n in range(len(words) - w, -1, -1):
            part = words[w : w + n]
            if n and fold_label(" ".join([key, *part])) not in printed:
                continue
            after = parts(i + 1, w + n)
            if after is not None:
                return [part, *after]
        return None

    found = parts(0, 0)
    if not found or not any(found):
        return None
    ends = {id(label): part for label, part in zip(labels, found) if part}
    cells = []
    for cell in last.cells:
        part = ends.get(id(cell))
        if part and cell.lines:
            end = cell.lines[-1]
            text = " ".join(part)
            height = end.bottom - end.top
            line = TextLine(
                text,
                end.x0,
                end.x0 + end.char_width * len(text),
                end.bottom,
                end.bottom + height,
                end.char_width,
            )
            cell = replace(cell, lines=[*cell.lines, line])
        cells.append(cell)
    return replace(table, rows=[*table.rows[:-1], replace(last, cells=cells)])


def _run_opener(table: RawTable, settings: Settings, opener: str | None) -> str | None:
    """The first label (folded) of the run of forms a table of forms ends in: the label
    printed first after its last recommendation's row, else at its start, else (a table
    of no new run, carrying on the last) `opener`."""
    for row in table.rows:
        if _is_banner(row, table.n_cols, settings):
            opener = None
            continue
        filled = [c for c in row.cells if c.text.strip()]
        if not filled or (len(filled) == 1 and filled[0].colspan >= table.n_cols > 2):
            continue  # no pair: a recommendation's rest carried over the page
        label = _pairs(row)[0][0]
        if opener is None and label.text.strip():
            opener = fold_label(label.text)
    return opener


def _form_of(table, rows, heading, heading_bbox, outer, outer_bbox) -> RawTable:
    bbox = union_bbox(r.bbox for r in rows)
    label_x1 = max(r.cells[0].bbox[2] for r in rows)
    return RawTable(
        page=table.page,
        bbox=bbox,
        engine=table.engine,
        n_cols=2,
        col_edges=[bbox[0], label_x1, bbox[2]],
        rows=list(rows),
        heading=heading,
        heading_bbox=heading_bbox,
        outer_heading=outer,
        outer_heading_bbox=outer_bbox,
        score=table.score,
    )


def form_part(
    table: RawTable,
    labels: list[str],
    settings: Settings = DEFAULT_SETTINGS,
    last_col: int | None = None,
):
    """A form of a form section, whole or the rest of one broken by a page: a two-column
    table whose labels are all among the section's `labels` (folded), as one row in the
    section's columns; else None. A first row with no label carries on the value of the
    label printed last before the break (`last_col`). A page can also cut a label wrapped
    over lines: the last row's label is then the start of one of the section's labels,
    and the next page's first row label the end of one."""
    if table.n_cols != 2 or not table.rows:
        return None
    cells = []
    for k, row in enumerate(table.rows):
        label, value = _label_cell(row), _value_cell(row)
        key = fold_label(label.text) if label else ""
        if not key and k == 0 and last_col is not None:
            col = last_col
        elif key in labels:
            col = labels.index(key)
        elif _unslashed(key) and _unslashed(key) in (bare := [_unslashed(x) for x in labels]):
            col = bare.index(_unslashed(key))  # "Cyf" over "Ref", read as "Cyf / Ref"
        elif k == len(table.rows) - 1 and (cut := _one(labels, key, str.startswith)) is not None:
            col = cut  # the page cut the label
        elif k == 0 and key and last_col is not None and ends_label(labels[last_col], key):
            col = last_col  # the rest of the label printed last before the break
        elif k == 0 and (rest := _one(labels, key, str.endswith)) is not None:
            col = rest  # its rest, on the next page
        else:
            return None
        if value is not None:
            cells.append(
                RawCell(col, 1, value.page, value.bbox, value.lines, value.bold, value.fill)
            )
    return _flat(table, len(labels), [RawRow(table.page, table.bbox, cells)])


def mend_label_cut_after_a_label(
    table: RawTable, nxt: RawTable, labels: list[str]
) -> tuple[RawTable, RawTable | None] | None:
    """A form's label wrapped over two lines whose first line is a label of its own
    ("Outcome" / "measure"), cut between them by the page: `table` ends in a row labelled
    "Outcome" at the foot of one page, `nxt` opens the next with "measure", in lower case
    (a label starts with a capital), no value beside it. When the two read together as
    one of the section's `labels` (folded), which a run of forms printed whole before,
    the rest goes back to its label: (table, nxt without that row, None when it held no
    other), else None."""
    if table.n_cols != 2 or nxt.n_cols != 2 or nxt.page != table.page + 1:
        return None
    if not table.rows or not nxt.rows or nxt.heading is not None:
        return None
    label, rest = _label_cell(table.rows[-1]), _label_cell(nxt.rows[0])
    value = _value_cell(nxt.rows[0])
    if label is None or rest is None or (value is not None and value.text.strip()):
        return None
    if not rest.text.strip()[:1].islower():
        return None
    whole = fold_label(f"{label.text} {rest.text}")
    if fold_label(label.text) not in labels or whole not in labels:
        return None
    last = table.rows[-1]
    mended = replace(label, lines=[*label.lines, *rest.lines])
    cells = [mended if c is label else c for c in last.cells]
    table = replace(table, rows=[*table.rows[:-1], replace(last, cells=cells)])
    rows = nxt.rows[1:]
    return table, replace(nxt, bbox=union_bbox(r.bbox for r in rows), rows=rows) if rows else None


def _unslashed(label: str) -> str:
    """A folded label with the "/" between its languages aside: a label printed in two
    languages on two lines ("Cyf" over "Ref") is read as "cyf / ref" in a header (its
    lines joined by the mark), and as "cyf ref" in the cell of a form."""
    return " ".join(label.replace("/", " ").split())


def ends_label(label: str, part: str) -> bool:
    """`part` is the last words of `label`, after a space or a slash ("national" of
    "local/regional/national")."""
    return label.endswith((" " + part, "/" + part))


def _one(labels: list[str], part: str, test) -> int | None:
    """The index of the one label that starts (`test` = str.startswith) or ends
    (str.endswith) with the words `part`; None when none or several do."""
    if test is str.startswith:  # "local/regional/" is already cut at its slash
        joints = [part] if part.endswith("/") else [part + " ", part + "/"]
    else:
        joints = [" " + part, "/" + part]
    found = [i for i, label in enumerate(labels) if part and any(test(label, j) for j in joints)]
    return found[0] if len(found) == 1 else None


def transpose_form(table: RawTable) -> RawTable:
    """The form as an ordinary table: its labels as the header row, its values as one row.
    Cells keep their page and bbox; a label with no value gives an empty cell."""
    header: list[RawCell] = []
    values: list[RawCell] = []
    for col, row in enumerate(r for r in table.rows if _label_cell(r) is not None):
        label = _label_cell(row)
        header.append(RawCell(col, 1, label.page, label.bbox, label.lines, label.bold, label.fill))
        value = _value_cell(row)
        if value is not None:
            values.append(
                RawCell(col, 1, value.page, value.bbox, value.lines, value.bold, value.fill)
            )
    x0, top, x1, bottom = table.bbox
    header_box = (x0, top, x1, header[0].bbox[3] if header else bottom)
    rows = [RawRow(table.page, header_box, header), RawRow(table.page, table.bbox, values)]
    return _flat(table, len(header), rows)


def _flat(table: RawTable, n_cols: int, rows: list[RawRow]) -> RawTable:
    """A form's cells as an ordinary table of `n_cols` columns in the form's place, with
    its headings (columns of equal width: a form prints no column edges)."""
    x0, _, x1, _ = table.bbox
    return RawTable(
        page=table.page,
        bbox=table.bbox,
        engine=table.engine,
        n_cols=n_cols,
        col_edges=[x0 + (x1 - x0) * i / n_cols for i in range(n_cols + 1)],
        rows=rows,
        heading=table.heading,
        heading_bbox=table.heading_bbox,
        outer_heading=table.outer_heading,
        outer_heading_bbox=table.outer_heading_bbox,
        score=table.score,
    )

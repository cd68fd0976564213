"""Extract stage entry point: one PDF in, its raw tables (with page and bbox) out.

Each page is parsed once (words, drawn rules, shading) while it is open. What concerns
the whole document is read next: the body type size, running headers and footers, the
title. Then each page goes through the table engines in their registered order
(extract/engines.py), with what the last page ended in (an unruled table, a form, a
heading at its foot); the free lines left are headings and loose lines. Each table is
scored (how much of its top rows reads as a known header) and the engine that produced
it is recorded.
"""

from __future__ import annotations

import copy
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber
from dhrplans.extract import cellocr, fastpage, ocr
from dhrplans.extract.aligned import ColumnLayout
from dhrplans.extract.engines import PageContext, inside, read_page
from dhrplans.extract.forms import FormEdges
from dhrplans.extract.headers import is_header_phrase, table_score
from dhrplans.extract.headings import heading_above as _heading_above
from dhrplans.extract.headings import headings_over
from dhrplans.extract.headings import join_heading as _join_heading
from dhrplans.extract.layout import (
    PageLine,
    Word,
    group_lines,
    is_contents_entry,
    space_width,
    split_phrases,
)
from dhrplans.extract.model import ExtractError, LooseLine, RawDocument, RawTable
from dhrplans.extract.ruled import is_shading, row_rules, ruling_edges
from dhrplans.extract.sideways import sideways_words

from dhrplans.settings import DEFAULT_SETTINGS, LayoutSettings, Settings

WORD_ATTRS = ["fontname", "size"]
PAGE_NUMBER = re.compile(r"^(page )?#( (of|/) #)?$|^- # -$")
# "Page 3" inside a longer footer ("Version 2.1 - Page 3", "Action plan | Page 3 of 9").
PAGE_LABEL = re.compile(r"\bpage\s+(\d+)(?:\s*(?:of|/)\s*\d+)?\s*$", re.IGNORECASE)


# --- opening and repair -------------------------------------------------------------

REPAIRED_XREF = "repaired broken cross-reference table with pikepdf"
_XREF_DAMAGE = ("xref", "cross-reference", "reconstruct")
_NOT_PDF = (  # what a file with a .pdf name but no PDF header often is
    (b"PK\x03\x04", "a ZIP archive (a Word .docx?)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc?)"),
    (b"{\\rtf", "an RTF document"),
    (b"<!doctype html", "a web page (HTML)"),
    (b"<html", "a web page (HTML)"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG", "a PNG image"),
)


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(str(text).split())[:limit]


def _not_a_pdf(head: bytes) -> str:
    start = head.lstrip()[:64].lower()
    for magic, what in _NOT_PDF:
        if start.startswith(magic.lower()):
            return f"not a PDF: the file is {what}"
    return "not a PDF: no %PDF- header in its first 1024 bytes"


def _qpdf_reason(exc: Exception, path: Path) -> str:
    """qpdf's message without the file path it starts with."""
    text = str(exc).replace(str(path), "").strip()
    return _one_line(re.sub(r"^(\([^)]*\))?:\s*", "", text)) or type(exc).__name__


@contextmanager
def prepared_pdf(path: str | Path, rewrite: bool = False) -> Iterator[tuple[Path, list[str]]]:
    """Check one PDF before parsing; yields (the file to parse, warnings about it).

    Raises ExtractError for what cannot be read: an empty file, a file that is no PDF,
    one qpdf cannot open even with its recovery (truncated, corrupt), one that needs a
    user password. An owner password alone (restrictions on printing, copying) does not
    stop reading. A file whose cross-reference table is broken is rewritten by pikepdf
    (qpdf rebuilds the table) into a temporary folder, and that copy is parsed;
    `rewrite` asks for such a copy whatever qpdf found. The copy's name is fixed, never
    taken from the PDF, and it is deleted when the block ends.
    """
    import pikepdf  # imported here: only the opening stage needs it

    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    if not head:
        raise ExtractError("empty file")
    if b"%PDF-" not in head:
        raise ExtractError(_not_a_pdf(head))
    truncated = b"%%EOF" not in tail
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise ExtractError("encrypted: a user password is needed to open it") from None
    except Exception as exc:  # qpdf could not recover the file
        cause = "ends before its %%EOF marker; " if truncated else ""
        raise ExtractError(f"truncated or corrupt PDF: {cause}{_qpdf_reason(exc, path)}") from None
    with pdf:
        damaged = [w for w in pdf.get_warnings() if any(k in w.lower() for k in _XREF_DAMAGE)]
        if damaged or rewrite:
            scratch = tempfile.TemporaryDirectory(prefix="dhrplans-repair-")
            copy = Path(scratch.name) / "repaired.pdf"
            try:
                pdf.save(copy)
            except Exception as exc:
                scratch.cleanup()
                raise ExtractError(
                    f"corrupt PDF: pikepdf could not rewrite it: {_qpdf_reason(exc, path)}"
                ) from None
    if not (damaged or rewrite):
        yield path, []
        return
    notes = [REPAIRED_XREF] if damaged else []
    if damaged and truncated:
        notes.append("the file ends before its %%EOF marker: pages or text may be missing")
    with scratch:
        yield copy, notes


def _open_error(exc: Exception) -> ExtractError:
    """pdfminer's many exception types (pdfplumber wraps them) as one clear line."""
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if any(word in type(cause).__name__ for word in ("Password", "Encrypt")):
        return ExtractError("encrypted: a user password is needed to open it")
    return ExtractError(f"cannot open as PDF: {_one_line(cause) or type(cause).__name__}")


def _title_block(
    first_lines: Sequence[PageLine], settings: LayoutSettings
) -> set[tuple[float, str]]:
    """The document title: the first lines of page 1 in (about) its largest type, when
    that type is larger than the rest of the page, up to the first paragraph gap
    (headings in the same or a larger type may follow it). A title is not a heading."""
    if len(first_lines) < 2:
        return set()
    biggest = max(ln.size for ln in first_lines)
    if all(ln.size == biggest for ln in first_lines):
        return set()
    large = biggest - settings.title_size_slack
    start = next(i for i, ln in enumerate(first_lines) if ln.size >= large)
    top: list[PageLine] = []
    for ln in first_lines[start:]:
        if ln.size < large or (top and ln.size != top[0].size):
            break
        if top and ln.top - top[-1].bottom > settings.heading_line_gap * (ln.bottom - ln.top):
            break
        top.append(ln)
    return {(round(ln.top, 1), ln.text) for ln in top}


def _title(
    pdf, first_lines: Sequence[PageLine], settings: LayoutSettings = DEFAULT_SETTINGS.layout
) -> str | None:
    """The title in the PDF's metadata, else the first two lines of page 1 in its largest
    type. A line heading a contents page (the lines under it are entries ending in page
    numbers) is not the title's, though printed in the same type."""
    meta = _meta_title(pdf)
    if meta:
        return meta
    if not first_lines:
        return None
    biggest = max(ln.size for ln in first_lines)
    top = [
        ln
        for k, ln in enumerate(first_lines)
        if ln.size == biggest and not _heads_contents(first_lines[k + 1 :], settings)
    ]
    return " ".join(ln.text for ln in top[:2]) if biggest > 0 and top else None


def _meta_title(pdf) -> str | None:
    meta = ((pdf.metadata if pdf is not None else None) or {}).get("Title")
    return meta.strip() if isinstance(meta, str) and meta.strip() else None


def _table_heading_lines(
    lines: Sequence[PageLine], tables: Sequence[RawTable], settings: LayoutSettings
) -> set[int]:
    """The lines (their ids) set directly over a table: for each table, the nearest line
    above its top, within the gap a heading keeps to its table (`heading_gap_lines`).
    Such a line heads the table (a section's name over its actions), wherever its type
    stands among the page's: a plan may set its title in the body's bold type and each
    section's name larger, over its table."""
    found: set[int] = set()
    for table in tables:
        top = table.bbox[1]
        above = [ln for ln in lines if ln.bottom <= top + 1]
        if not above:
            continue
        near = max(above, key=lambda ln: ln.bottom)
        if top - near.bottom <= settings.heading_gap_lines * (near.bottom - near.top):
            found.add(id(near))
    return found


def _title_before(
    title: set[tuple[float, str]], heads: set[int], lines: Sequence[PageLine]
) -> set[tuple[float, str]]:
    """The title block cut at its first line that heads a table (`_table_heading_lines`):
    a title does not run on into the line heading the first table, when the block does
    not open the page (`lines`: the page's, furniture aside). A block under a line or
    two printed above it (a title in the body's bold type, an introduction) is a
    section's heading; the page's opening lines directly over its table are its title."""
    start = min((top for top, _ in title), default=None)
    if start is None or not any(round(ln.top, 1) < start for ln in lines):
        return title
    cut = min(
        (
            round(ln.top, 1)
            for ln in lines
            if id(ln) in heads and (round(ln.top, 1), ln.text) in title
        ),
        default=None,
    )
    return title if cut is None else {(top, text) for top, text in title if top < cut}


def _bold_opening(lines: Sequence[PageLine]) -> str | None:
    """The page's opening bold lines (two at most), when a line follows them in plain
    type: a title set in the body's bold type over its introduction."""
    opening: list[PageLine] = []
    for ln in lines:
        if not ln.bold:
            break
        opening.append(ln)
    if not opening or len(opening) == len(lines):
        return None
    return " ".join(ln.text for ln in opening[:2])


def _heads_contents(below: Sequence[PageLine], settings: LayoutSettings) -> bool:
    """The lines under a line open a table of contents (see `is_contents_entry`)."""
    n = settings.contents_entries
    return len(below) >= n and all(
        is_contents_entry(ln, settings.contents_number_gap) for ln in below[:n]
    )


_LONE_DASHES = ocr.SPACED_DASHES | {ocr.EN_DASH}


def _furniture_key(line: PageLine) -> str:
    """A running line's text, numbers aside, and a dash standing alone as one dash: a
    scan's lone dash is told hyphen or en dash by the width of its ink
    (`ocr.settle_dashes`), which the page's tilt and noise move across the line between
    them, so one running header reads "OFFICIAL - SENSITIVE" on a page and "OFFICIAL –
    SENSITIVE" on the next."""
    words = ["-" if w in _LONE_DASHES else w for w in line.text.lower().split()]
    return re.sub(r"\d+", "#", " ".join(words))


def _page_furniture(
    pages: list[list[PageLine]],
    body: float,
    settings: Settings,
    sizes: Sequence[tuple[float, float]] | None = None,
) -> set[str]:
    """Running headers and footers: the same text (numbers aside) on many pages. In a
    document too short for that, on every page, in type no larger than the body's and
    not bold (a heading repeated over a continued table is bold or larger). `sizes`: each
    page's (width, height), where furniture keeps its place (see `_fixed_lines`)."""
    counts: Counter[str] = Counter()
    plain: set[str] = set()
    for lines in pages:
        edge = [ln for ln in lines[:1] + lines[-1:] if not _header_like(ln, settings)]
        counts.update({_furniture_key(ln) for ln in edge})
        plain.update(_furniture_key(ln) for ln in edge if not ln.bold and ln.size <= body)
    every = len(pages) >= 2
    return {
        key
        for key, n in counts.items()
        if (
            n >= settings.layout.furniture_min_pages
            and n >= settings.layout.furniture_page_share * len(pages)
        )
        or (every and n == len(pages) and key in plain)
    } | _fixed_lines(pages, settings, sizes)


def _fixed_lines(
    pages: list[list[PageLine]],
    settings: Settings,
    sizes: Sequence[tuple[float, float]] | None = None,
) -> set[str]:
    """Lines of a page header or footer of a few lines ("OFFICIAL SENSITIVE" over the
    partnership's name, over the review's name): the same text at the same height among
    the first or last `furniture_depth` lines of every page, whatever its type. Word sets
    a header and footer from the page's edges, so pages of another size or orientation
    (a landscape appendix after portrait pages) hold them at heights of their own: the
    height is compared among pages of one size. A heading over a table continued from
    page to page is printed where the table starts, not at one height on every page."""
    if len(pages) < 2:
        return set()
    depth = settings.layout.furniture_depth
    sizes = list(sizes) if sizes is not None else [(0.0, 0.0)] * len(pages)
    places: dict[str, dict[tuple[float, float], list[float]]] = {}
    for lines, size in zip(pages, sizes):
        seen = {}
        for line in lines[:depth] + lines[-depth:]:
            if not _table_header_line(line, settings):
                seen.setdefault(line.text, line.top)  # the text itself: "R3.1" is not "R2.1"
        for text, top in seen.items():
            places.setdefault(text, {}).setdefault(size, []).append(top)
    slack = settings.layout.line_tolerance
    return {
        _furniture_key(lines[0])
        for text, by_size in places.items()
        if sum(map(len, by_size.values())) == len(pages)
        and all(max(tops) - min(tops) <= slack for tops in by_size.values())
        for lines in [[ln for ln in pages[0] if ln.text == text]]
        if lines
    }


def _furniture_lines(
    lines: Sequence[PageLine], page_number: int, repeated: set[str], settings: Settings
) -> set[tuple[float, str]]:
    """The page's first and last lines (`furniture_depth` each, for a running header or
    footer of a few lines) when they are a running header or footer, or a page number
    ("12", "Page 3 of 9", "Version 2 - Page 3": its number within 2 of the page's) as its
    first or last."""
    found = set()
    depth = settings.layout.furniture_depth
    edge = {id(ln) for ln in lines[:1] + lines[-1:]}  # a page number is a page's first or last
    for line in {id(ln): ln for ln in lines[:depth] + lines[-depth:]}.values():
        key = _furniture_key(line)
        if id(line) not in edge:
            if key in repeated and not _table_header_line(line, settings):
                found.add((round(line.top, 1), line.text))
            continue
        numbers = [int(n) for n in re.findall(r"\d+", line.text)[:1]]
        paged = PAGE_NUMBER.match(key) and (
            "page" in key
            or (numbers and abs(numbers[0] - page_number) <= settings.layout.page_number_slack)
        )
        label = PAGE_LABEL.search(line.text)
        if label and abs(int(label.group(1)) - page_number) <= settings.layout.page_number_slack:
            paged = True
        # the same test as a page's inner lines and `_fixed_lines`: a running line of a
        # few label words ("DHR 04/2019 Action Plan - v3 updated ...") is furniture at
        # the page's edge too; only a table's header printed again stays
        if (key in repeated and not _table_header_line(line, settings)) or paged:
            found.add((round(line.top, 1), line.text))
    return found


def _table_header_line(line: PageLine, settings: Settings) -> bool:
    """A line that may be a table's header printed again on every page (`_header_like`),
    unless it is one phrase of several words: a running title ("Overview Report and Action
    Plan") runs on as words do, a header's labels part at the columns' gutters (and a
    label's wrapped rest is a word or two)."""
    if not _header_like(line, settings):
        return False
    one_phrase = len(split_phrases(line, settings.layout.gutter_min)) == 1
    return not (one_phrase and len(line.words) >= settings.layout.furniture_title_words)


def _header_like(line: PageLine, settings: Settings) -> bool:
    """Repeated table headers look like running page headers, but must stay: a line of
    known column labels (two or more words that start one, or half its words). A running
    footer that names the plan ("Safer X Partnership - DHR 22 - Action Plan v3") has one
    such word among many."""
    labels = sum(1 for w in line.words if is_header_phrase(w["text"], settings.headers))
    return labels >= 2 or (labels > 0 and 2 * labels >= len(line.words))


def _is_heading_block(block: Sequence[PageLine], body: float, settings: LayoutSettings) -> bool:
    return 0 < len(block) <= 2 and all(
        ln.bold or ln.size > body + settings.heading_size_step for ln in block
    )


def _inside_any(line: PageLine, boxes: Sequence[tuple]) -> bool:
    return any(
        b[0] - 1 <= line.x0 and line.x1 <= b[2] + 1 and b[1] - 1 <= line.top <= b[3] + 1
        for b in boxes
    )


def extract_document(
    path: str | Path, doc_id: str | None = None, settings: Settings = DEFAULT_SETTINGS
) -> RawDocument:
    """Raw tables of every page of one PDF, in reading order."""
    # The OCR'd copy of a scan lives until the end: its cells are read from its images.
    with ExitStack() as scratch:
        return _extract_document(path, doc_id, settings, scratch)


def _extract_document(
    path: str | Path, doc_id: str | None, settings: Settings, scratch: ExitStack
) -> RawDocument:
    layout = settings.layout
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many types for broken files
        raise _open_error(exc) from exc
    with pdf:
        n_pages = len(pdf.pages)
        # PDFium reads the pages (extract/fastpage.py), pdfplumber those it declines.
        fast = fastpage.open_document(pdf, path)
        parsed = []
        for i, page in enumerate(pdf.pages):
            parsed.append(fastpage.parse(fast, page, _parse_page, i + 1, path, settings))
            page.close()  # drop pdfplumber's caches of the page: memory stays flat
        if fast is not None:
            fast.close()
        todo = [p.number for p in parsed if p.needs_ocr]  # pages without a text layer
        started = time.monotonic()
        ocr_note, ocr_failed = (
            _read_by_ocr(path, parsed, todo, settings, scratch) if todo else (None, None)
        )
        ocr_seconds = time.monotonic() - started if todo else 0.0
        ocr.settle_words([p.words for p in parsed if p.scan])
        page_lines = {
            p.number: group_lines(p.words, layout.line_tolerance) for p in parsed if p.words
        }
        first_lines = page_lines.get(parsed[0].number, []) if parsed else []
        title = _title(pdf, first_lines, layout)
        title_from_lines = not _meta_title(pdf)
    all_words = [w for p in parsed for w in p.words]
    body = _body_size(all_words)
    sizes = [(round(p.width), round(p.height)) for p in parsed if p.words]
    furniture = _page_furniture(list(page_lines.values()), body, settings, sizes)
    title_lines = _title_block(first_lines, layout)
    tables: list[RawTable] = []
    loose: list[LooseLine] = []
    unread_headers: list[str] = []
    carry: ColumnLayout | None = None
    form_carry: FormEdges | None = None  # the edges of a form the last page ended in
    # the heading printed at the foot of the last page, and the heading over it
    pending: tuple[str, tuple, str | None, tuple | None] | None = None
    for page in parsed:
        if not page.words:
            carry, pending, form_carry = None, None, None
            continue
        skip = _furniture_lines(page_lines[page.number], page.number, furniture, settings)
        text_top = float("-inf")
        if page.number == 1:
            skip |= title_lines
            if title_lines:
                # above the title: a letterhead or running header, never a section heading
                text_top = min(top for top, _ in title_lines)
        gutter = max(layout.gutter_min, layout.gutter_space_factor * space_width(page.words))
        context = PageContext(
            path=path,
            number=page.number,
            height=page.height,
            words=page.words,
            edges=page.edges,
            shading=page.shading,
            rulings=page.rulings,
            scan=page.scan,
            body=body,
            gutter=gutter,
            settings=settings,
            skip=frozenset(skip),
            text_top=text_top,
            previous=tables[-1] if tables else None,
            carry=carry,
            form_carry=form_carry,
            grids=page.grids,
            hrules=_scan_rows(page) if page.scan else row_rules(page.edges, page.grids),
        )
        started = time.monotonic()
        if page.number == 1 and title_lines:
            trial = replace(context, grids=copy.deepcopy(page.grids))
            trial, page_tables = _page_tables(page, trial)
            heads = _table_heading_lines(first_lines, page_tables, layout)
            furniture_here = _furniture_lines(first_lines, 1, furniture, settings)
            printed = [
                ln for ln in first_lines if (round(ln.top, 1), ln.text) not in furniture_here
            ]
            kept = _title_before(title_lines, heads, printed)
            if kept == title_lines:
                context = trial
            else:
                # the title ran on into a line heading a table: that line is the table's
                skip = furniture_here | kept
                title_lines = kept
                text_top = min((top for top, _ in kept), default=float("-inf"))
                context = replace(context, skip=frozenset(skip), text_top=text_top)
                context, page_tables = _page_tables(page, context)
                if title_from_lines:
                    rest = [ln for ln in printed if id(ln) not in heads]
                    title = _bold_opening(rest) or _title(None, rest, layout)
        else:
            context, page_tables = _page_tables(page, context)
        if page.scan:
            ocr_seconds += time.monotonic() - started
        lines, used = context.lines, context.used
        carry, form_carry = context.next_carry, context.next_form_carry
        used_set = set(used)
        free = _part_beside(
            [ln for i, ln in enumerate(lines) if i not in used_set], page_tables, gutter
        )
        floor = _attach_headings(page_tables, free, page.width, body, pending, layout)
        for table in page_tables:
            table.score = table_score(table, settings.headers)
        heading_boxes = [t.heading_bbox for t in page_tables if t.heading_bbox]
        page_loose = len(loose)  # this page's loose lines start here
        for ln in free:
            if _inside_any(ln, heading_boxes):
                continue
            phrases = split_phrases(ln, gutter)
            loose.append(
                LooseLine(
                    page.number,
                    tuple(round(v, 2) for v in (ln.x0, ln.top, ln.x1, ln.bottom)),
                    ln.text,
                    tuple(round(p[0]["x0"], 2) for p in phrases),
                    tuple(" ".join(w["text"] for w in p) for p in phrases),
                    tuple(round(p[-1]["x1"], 2) for p in phrases),
                )
            )
        pending = _foot_heading(free, floor, page_tables, page.width, body, pending, layout)
        unread = _unread_header(loose[page_loose:], settings)
        if unread is not None:
            unread_headers.append(unread)
        tables.extend(page_tables)
    if any(p.scan for p in parsed):
        ocr.mend_repeated_headers(tables)
        cellocr.mend_lost_dots(tables)
        cellocr.mend_ref_sequence(tables)
    text_pages = sum(1 for p in parsed if p.words)
    warnings = [ocr_note] if ocr_note else []
    warnings.extend(unread_headers)
    earlier = sum(1 for p in parsed if p.scan and p.number not in todo)
    if earlier:
        warnings.append(f"{earlier} scanned page(s) read from their existing OCR text layer")
    if text_pages == 0 and todo:
        why = (
            f"but {ocr_failed}" if ocr_failed else f"and OCR found no text on its {n_pages} page(s)"
        )
        raise ExtractError(f"no text layer: needs OCR, {why}")
    if text_pages == 0 and n_pages:
        warnings.append("no text layer on any page: the document needs OCR")
    # Other pages without words and with nothing drawn to read (ocr.needs_ocr) are blank
    # (an empty last page of a Word document): nothing to say about them.
    return RawDocument(
        doc_id=doc_id,
        source_file=path.name,
        pages=n_pages,
        title=title,
        tables=tables,
        text_pages=text_pages,
        warnings=warnings,
        loose_lines=loose,
        prose=[
            " ".join(ln.text for ln in loose if ln.page == number)
            for number in dict.fromkeys(ln.page for ln in loose)
        ],
        ocr_pages=sum(1 for p in parsed if p.scan),
        ocr_seconds=round(ocr_seconds, 3),
    )


def _page_tables(page: _Page, ctx: PageContext) -> tuple[PageContext, list[RawTable]]:
    """The page's tables, top to bottom: the page read by every engine in turn
    (extract/engines.py), then what a scan needs (its tables marked as read by OCR,
    each cell read again from its own crop of the image, the grid being known). Returns
    the engines' context and the tables; the page ends in a form (its `next_form_carry`
    opens the next page) only when its last table is one."""
    if page.scan:  # OCR's word boxes, and each page's deskew, are a point or two off
        layout = replace(
            ctx.settings.layout,
            align_slack=ctx.settings.ocr.align_slack,
            column_start_slack=ctx.settings.ocr.column_start_slack,
        )
        ctx = replace(ctx, settings=replace(ctx.settings, layout=layout))
        if ctx.carry is not None:
            ctx = replace(ctx, carry=_shifted_carry(ctx.carry, ctx))
    ctx = read_page(ctx)
    text = ctx.text + ctx.forms
    for table in text if page.scan else []:
        table.engine += ocr.SUFFIX
    if page.scan and page.image is not None:
        cellocr.reread_tables(ctx.grids + text, page.image, page.number, ctx.settings.ocr)
    found = sorted(ctx.grids + text, key=lambda t: t.bbox[1])
    if not (ctx.forms and found[-1] is ctx.forms[-1]):
        ctx = replace(ctx, next_form_carry=None)
    return ctx, found


def _shifted_carry(carry: ColumnLayout, ctx: PageContext) -> ColumnLayout:
    """The columns a scanned page continues from the page before, moved to where this
    page's phrases start (`ocr.page_shift`): each page of a scan lies a few points
    across from the last, and a carried column start 5 points off puts every word of a
    column in the one before it."""
    boxes = [t.bbox for t in ctx.grids]
    words = [w for w in ctx.words if not inside(w, boxes)]
    starts = [
        p[0]["x0"]
        for ln in group_lines(words, ctx.settings.layout.line_tolerance)
        for p in split_phrases(ln, ctx.gutter)
    ]
    dx = ocr.page_shift(carry.starts, starts)
    if not dx:
        return carry
    return replace(carry, starts=[s + dx for s in carry.starts], right=carry.right + dx)


def _attach_headings(
    page_tables: list[RawTable],
    free: list[PageLine],
    page_width: float,
    body: float,
    pending: tuple[str, tuple, str | None, tuple | None] | None,
    settings: LayoutSettings,
) -> float:
    """Each table's heading (and the heading over it) from the free lines above it, down
    to the table before; the first table with nothing above it takes the heading printed
    at the foot of the last page. Returns where the page's last table ends.

    Tables set side by side (`_side_by_side`) each take the lines over their own span: a
    line printed over the table beside is that table's, and the table beside, however
    far down it ends, is no table before this one."""
    floor = 0.0
    for n, table in enumerate(page_tables):
        beside = [t for t in page_tables if t is not table and _side_by_side(t, table)]
        own = [ln for ln in free if not any(_over_span(ln, t) for t in beside)]
        floor = max(
            (t.bbox[3] for t in page_tables[:n] if not _side_by_side(t, table)), default=0.0
        )
        (
            table.heading,
            table.heading_bbox,
            table.outer_heading,
            table.outer_heading_bbox,
        ) = headings_over(table.bbox[1], own, floor, page_width, body, settings)
        if n == 0 and table.heading is None and pending is not None:
            if not [ln for ln in free if ln.bottom <= table.bbox[1] + 1]:
                table.heading, table.heading_bbox = pending[:2]
                table.outer_heading, table.outer_heading_bbox = pending[2:]
                _heading_rest_in_table(table)
        elif n == 0 and pending is not None and _goes_on(table.heading, table.outer_heading):
            # the rest of the heading at the foot of the last page, over this table
            table.heading = f"{pending[0]} {table.heading}"
            table.outer_heading, table.outer_heading_bbox = pending[2:]
    return max((t.bbox[3] for t in page_tables), default=0.0)


def _side_by_side(a: RawTable, b: RawTable) -> bool:
    """Two tables of one page sharing a band of its height but none of its width: set
    side by side (each in a cell of a borderless layout table, or in two columns)."""
    return (
        a.bbox[1] < b.bbox[3]
        and b.bbox[1] < a.bbox[3]
        and (a.bbox[2] <= b.bbox[0] + 1 or b.bbox[2] <= a.bbox[0] + 1)
    )


def _over_span(line: PageLine, table: RawTable) -> bool:
    """A line printed within a table's width (its heading, if it is set over it)."""
    return table.bbox[0] - 1 <= line.x0 and line.x1 <= table.bbox[2] + 1


def _part_beside(
    free: list[PageLine], page_tables: Sequence[RawTable], gutter: float
) -> list[PageLine]:
    """Lines printed above two tables side by side, parted at the gap between them.

    A heading is the text directly above a table, within its span; the headings of two
    tables set side by side stand on one baseline, and a page's line runs across both
    ("Single-agency actions      Multi-agency actions"). Such a line is two, parted at
    the gap between the tables, when no word of it crosses the gap and its words part
    there by more than a word's space (`gutter`): a title running across the page over
    both is one phrase and stays whole."""
    pairs = [
        (a, b)
        for a in page_tables
        for b in page_tables
        if _side_by_side(a, b) and a.bbox[2] <= b.bbox[0] + 1
    ]
    if not pairs:
        return free
    out: list[PageLine] = []
    for line in free:
        parts = [line]
        for a, b in pairs:
            cut = (a.bbox[2] + b.bbox[0]) / 2
            above = [
                p
                for p in parts
                if p.bottom <= min(a.bbox[1], b.bbox[1]) + 1 and _parts_at(p, cut, gutter)
            ]
            for p in above:
                k = parts.index(p)
                left = [w for w in p.words if w["x1"] <= cut]
                parts[k : k + 1] = [PageLine(left), PageLine(p.words[len(left) :])]
        out.extend(parts)
    return out


def _parts_at(line: PageLine, cut: float, gutter: float) -> bool:
    """The line's words lie either side of `cut`, none across it, with more than a
    word's space (`gutter`) between the last word before it and the first after."""
    left = [w for w in line.words if w["x1"] <= cut]
    right = line.words[len(left) :]
    return (
        bool(left)
        and bool(right)
        and all(w["x0"] >= cut for w in right)
        and right[0]["x0"] - left[-1]["x1"] > gutter
    )


def _goes_on(heading: str | None, outer: str | None) -> bool:
    """A heading over a page's first table that opens in lower case, with no heading over
    it, is no heading of its own: the rest of a sentence (a recommendation printed across
    the table) that the page broke, its first lines at the foot of the page before. A
    heading, like any sentence, opens with a capital or a number."""
    return bool(heading) and outer is None and heading[:1].islower()


def _heading_rest_in_table(table: RawTable) -> None:
    """A table that takes the heading printed at the foot of the last page and opens with
    a row of one cell in lower case: the heading's last line, printed in the table's
    band (a recommendation banner the page broke), not a row of it. Moved to the heading."""
    if not table.rows or len(table.rows) < 2 or table.heading is None:
        return
    first = table.rows[0]
    filled = [c for c in first.cells if c.text.strip()]
    if len(filled) != 1 or filled[0].col != 0 or not filled[0].text.strip()[:1].islower():
        return
    table.heading = f"{table.heading} {' '.join(filled[0].text.split())}"
    table.rows = table.rows[1:]
    x0, _, x1, y1 = table.bbox
    table.bbox = (x0, min(r.bbox[1] for r in table.rows), x1, y1)


def _foot_heading(
    free: list[PageLine],
    floor: float,
    page_tables: list[RawTable],
    page_width: float,
    body: float,
    pending: tuple[str, tuple, str | None, tuple | None] | None,
    settings: LayoutSettings,
) -> tuple[str, tuple, str | None, tuple | None] | None:
    """A heading printed at the foot of the page, under its last table: it belongs to the
    first table of the next page, with the heading over it (a section's name over a
    recommendation printed as a paragraph). Kept when the page has nothing else to say."""
    trailing = [ln for ln in free if ln.top >= floor - 1]
    block = trailing[-2:]
    if len(trailing) > 1 and block[0].top - trailing[-3 if len(trailing) > 2 else 0].bottom < 0:
        block = trailing[-1:]
    if page_tables and _is_heading_block(block, body, settings):
        # a heading wrapped over more lines (a recommendation across the table): the lines
        # above it in its type, as closely set, up to the table
        rest = trailing[: len(trailing) - len(block)]
        while (
            rest
            and len(block) < settings.heading_max_lines
            and _is_heading_block(rest[-1:], body, settings)
            and abs(rest[-1].size - block[0].size) < 0.5
            and 0
            <= block[0].top - rest[-1].bottom
            <= settings.heading_line_gap * (rest[-1].bottom - rest[-1].top)
        ):
            block.insert(0, rest.pop())
        bbox = (
            min(ln.x0 for ln in block),
            block[0].top,
            max(ln.x1 for ln in block),
            block[-1].bottom,
        )
        outer, outer_bbox = _heading_above(
            block[0].top - 1, trailing, floor, page_width, body, settings
        )
        return _join_heading(block), tuple(round(v, 2) for v in bbox), outer, outer_bbox
    if page_tables or trailing:
        return None
    return pending


def _sideways_read(page, words: list[Word], rules: Sequence[dict] = ()) -> list[Word]:
    """The page's upright words, and its text set sideways read in its own direction,
    one word per wrapped sideways text (extract/sideways.py); `rules`: the page's ruling
    edges, which part the cells. Only the characters that are not upright are read again."""
    if all(w.get("upright", True) for w in words):
        return words
    turned = [c for c in page.chars if not c.get("upright", True)]
    return [w for w in words if w.get("upright", True)] + sideways_words(turned, rules, WORD_ATTRS)


@dataclass(slots=True)
class _Page:
    """What is read of one page while it is open (the engines read the rest later)."""

    number: int
    width: float
    words: list[Word]
    height: float = 0.0
    edges: list[dict] = field(default_factory=list)  # its drawn rules (ruled.ruling_edges)
    shading: list[dict] = field(default_factory=list)  # its filled shapes
    rulings: int = 0  # ruling lines and thin boxes drawn on the page
    needs_ocr: bool = False  # no usable text layer (see extract/ocr.py)
    scan: bool = False  # text from OCR over a page image: tables marked "+ocr"
    image: Path | None = None  # scans: the file whose page image the words were read from
    # scans: the grids camelot found in the image, read before the document's OCR type is
    # settled (extract/ocr.py); other pages' grids are read by the engines
    grids: list[RawTable] = field(default_factory=list)
    # scans: the horizontal rules read from the page image, as (top, x0, x1)
    image_rules: list[tuple[float, float, float]] = field(default_factory=list)


def _scan_rows(page: _Page) -> list[tuple[float, float, float]]:
    """A scan's row rules for the text engines: the rules in its image outside its grids."""
    boxes = [t.bbox for t in page.grids]
    return [r for r in page.image_rules if not any(b[1] - 1 <= r[0] <= b[3] + 1 for b in boxes)]


def _parse_page(
    page,
    number: int,
    source: Path,
    settings: Settings = DEFAULT_SETTINGS,
    scan: bool | None = None,
) -> _Page:
    """Everything read from one page, parsed once. `scan`: True for a page OCR'd by
    `_read_by_ocr` (`source` is then the OCR'd copy), None to tell from the page."""
    words = page.extract_words(extra_attrs=WORD_ATTRS)
    edges = None
    if not all(w.get("upright", True) for w in words):
        edges = ruling_edges(page, settings.layout.rule_max_thickness)
        words = _sideways_read(page, words, edges)
    needs = scan is None and ocr.needs_ocr(page, words)
    if not words or needs:
        return _Page(number, float(page.width), [], float(page.height), needs_ocr=needs)
    scan = ocr.is_scan(page, words, source) if scan is None else scan
    if edges is None:
        edges = ruling_edges(page, settings.layout.rule_max_thickness)
    grids = []
    if scan:
        # The rules of a scan are in its image: camelot finds them there.
        words = ocr.scan_words(
            page,
            source,
            number,
            lambda found, letters, scale: cellocr.dropped_words(
                found, letters, scale, source, number, settings.ocr
            ),
        )
        grids = ocr.scan_tables(source, number, float(page.height), words)
    return _Page(
        number,
        float(page.width),
        words,
        float(page.height),
        edges,
        [r for r in getattr(page, "rects", []) if r.get("fill")],
        0 if scan else _rulings(page, settings.layout.rule_max_thickness),
        scan=scan,
        image=Path(source) if scan else None,
        grids=grids,
        image_rules=ocr.rules_off_text(ocr.scan_hrules(source, number), words) if scan else [],
    )


def _unread_header(loose: Sequence[LooseLine], settings: Settings) -> str | None:
    """A line of column labels left outside every table with lines under it: a table's
    header whose rows no engine read (a layout no rule yet covers). Said as a warning,
    since its rows are then lost without a word of it in the tables' counts."""
    for k, line in enumerate(loose[:-1]):
        labels = [p for p in line.phrases if is_header_phrase(p, settings.headers)]
        if (
            len(labels) >= settings.headers.min_labels
            and len(labels) >= settings.headers.label_share * len(line.phrases)
            and any(below.bbox[1] > line.bbox[3] for below in loose[k + 1 :])
        ):
            return (
                f"page {line.page}: a line of column labels heads no table read "
                f"({' | '.join(line.phrases)}); the lines under it are not read as rows"
            )
    return None


def _rulings(page, thin: float) -> int:
    """The page's ruling lines and boxes: its lines and the rectangles that are no shading.
    Shaded cells of an unruled table (a form's label column, banners, a header) have edges
    in the page image, which camelot's lattice would read as a grid."""
    return len(page.lines) + sum(1 for r in page.rects if not is_shading(r, thin))


def _read_by_ocr(
    path: Path, parsed: list[_Page], todo: list[int], settings: Settings, scratch: ExitStack
) -> tuple[str, str | None]:
    """OCR the pages `todo` of the document once, into a temporary copy (removed when
    `scratch` closes), and parse them again from it (in place in `parsed`). Returns the
    document warning and, when OCR could not run, why."""
    try:
        folder = scratch.enter_context(tempfile.TemporaryDirectory(prefix="dhrplans-ocr-"))
        target = Path(folder) / "ocr.pdf"
        ocr.ocr_pdf(path, target, todo)
        with pdfplumber.open(target) as done:
            for n in todo:
                page = done.pages[n - 1]
                parsed[n - 1] = _parse_page(page, n, target, settings, scan=True)
                page.close()
    except ocr.OcrError as exc:
        return f"{len(todo)} page(s) without a text layer not read: {exc}", str(exc)
    blank = sum(1 for n in todo if not parsed[n - 1].words)
    found = f", no text found on {blank}" if blank else ""
    return f"{len(todo)} page(s) read by OCR{found}", None


def _body_size(words: Sequence[Word]) -> float:
    sizes = sorted(round(w.get("size", 0.0), 1) for w in words)
    return sizes[len(sizes) // 2] if sizes else 0.0

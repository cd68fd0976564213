"""Word path: one DOCX in, its raw tables out, shaped as the PDF extractor shapes them.

A DOCX states its table structure, so nothing is inferred from geometry: cells,
their grid columns and merges come from the WordprocessingML (python-docx's lxml
tree), and the normalise stage reads the result unchanged.

Body. The body is walked in order (paragraphs and tables, content controls
opened), so a table's heading is read from what precedes it, as on a printed page:
the paragraphs since the previous table are laid out as lines (wrapped at the text
width, widths guessed from length and type size, placed by alignment, parted by their
spacing) and read by the PDF path's own rule (extract/headings.py): the short block
of bold, larger or narrow lines just above the table, the heading over a line or two
introducing it, never narrative, the plan's title over an introduction or a version
line. A Heading or outline-level style reads as bold. The title is the core
property `title`, else the first paragraph in Title style, else the leading
paragraphs in the largest type when the document has smaller type too (the PDF
path's rule); a title paragraph is never a heading.

Tables. One `RawTable` per body table; a nested table is read as text of the
cell that holds it, but for a table that lays tables out (one row whose cells hold
tables of two rows and two columns or more: tables set side by side, or framed): its
cells' paragraphs and tables are read as the body's, cell by cell. `n_cols` is the
number of `w:gridCol`s (more if a row reaches further). A cell's `col` is its
position on that grid: `w:gridBefore` of its row plus the `w:gridSpan`s of the cells
before it; `colspan` is its `w:gridSpan` (a legacy `w:hMerge` continuation widens the
cell it continues).
A vertical merge (`w:vMerge`) is one cell, given in its first row only and
omitted from the rows it covers, as pdfplumber gives a merged cell. A repeated
header row (`w:tblHeader`) prints on every page of a PDF but occurs once in
the DOCX; normalise reads both the same way. Rows deleted as tracked changes
are left out. A table that prints one cell (no table inside it, a heading's
lines at most) is no table: its paragraphs join the body where it stands, so a
section heading boxed and shaded over its action table is that table's heading,
as the PDF path, which keeps no ruled table of one cell, reads the box's lines.

Text. What Word prints: runs, hyperlinks, field results (not field codes),
tracked insertions (not deletions), automatic list labels computed from
numbering.xml ("1.", "2.3", "a)", bullets as "•"), caps as capitals; hidden
text is left out. Each paragraph of a cell, and each part of a paragraph ended
by a line break, is one `TextLine`, white space folded; empty ones are dropped.

Provenance. A DOCX has no pages, so the whole document is page 1 (`pages` = 1,
`text_pages` = 1 when anything is printed) and every bbox is in grid units of
its table: a cell is `(col, row, col + colspan, row + rows)`, `row` being the
0-based index of its `w:tr` among the table's rows and `rows` how many it
covers; a row is `(0, row, n_cols, row + 1)`, a table `(0, 0, n_cols, n_rows)`
and `col_edges` is 0..n_cols. The engine is "python-docx". (An auditor also
needs to know which table: the section heading says so for most plans; the
model has no field for a table's ordinal yet.)

Line geometry. There is none and none is needed: the reader never breaks a
paragraph at the column width, so `normalise.cells.join_lines` must join a
cell's lines with a space. It glues a one-word line to the next without one
when the line ends within 1.2 character widths (char_width is 1 here) of the
column's text edge: for this engine the right end of the column's longest
line, for a header cell its bbox right less 1. So a cell's last line runs
across the cell (x0 = col, x1 = col + colspan, which puts every column's edge
at col + 1 or further right) and each earlier line is a point two units left
of the cell (x0 = x1 = col - 2), beyond reach of any edge; a cell's last line
is never tested, as nothing follows it. Lines share the cell's height in
order. join_lines' word rules still apply: a paragraph ending in "multi-"
followed by one starting "agency" reads "multi-agency".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from dhrplans.extract.forms import colon_label_words, names_recommendation_line
from dhrplans.extract.headers import is_header_phrase, table_score
from dhrplans.extract.headings import headings_over
from dhrplans.extract.layout import PageLine, is_contents_entry_text
from dhrplans.extract.model import (
    ExtractError,
    RawCell,
    RawDocument,
    RawRow,
    RawTable,
    TextLine,
)
from dhrplans.extract.provenance import DOCX
from dhrplans.schemas import fold_label

from dhrplans.settings import DEFAULT_SETTINGS, LayoutSettings, Settings

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
EMU_PER_PT = 12700
OFF_EDGE = 2.0  # grid units left of its cell where a line other than a cell's last sits
CHAR_WIDTH = 1.0
AVG_CHAR_EM = 0.5  # mean width of a character of proportional type, in ems (line-length guess)
LINE_HEIGHT_EM = 1.15
DEFAULT_SIZE = 10.0  # pt, when neither the styles nor the document defaults set one
TAB_STOP = 36.0  # pt, Word's default tab stops (half an inch)
A4 = (595.3, 481.9)  # page width and text width (25 mm margins) in pt, if a section has none

_WS = re.compile(r"\s+")
_LEVEL_REF = re.compile(r"%([1-9])")
_SKIPPED_IN_PARAGRAPH = {"pPr", "rPr", "del", "moveFrom", "proofErr", "bookmarkStart"}


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _local(element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _val(element, default: str | None = None) -> str | None:
    return default if element is None else element.get(_w("val"), default)


def _int(text: str | None, default: int = 0) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _on(element) -> bool:
    """An OOXML on/off property that is present (w:b, w:b w:val="0", ...)."""
    return (_val(element, "true") or "true").lower() not in ("0", "false", "off", "none")


def _fold(text: str) -> str:
    return _WS.sub(" ", text).strip()


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True, slots=True)
class _Look:
    """How a run prints, after style inheritance."""

    bold: bool = False
    size: float = DEFAULT_SIZE
    caps: bool = False
    hidden: bool = False


class _Styles:
    """Run and paragraph properties through style inheritance (table styles aside)."""

    def __init__(self, document):
        root = document.styles.element
        self.by_id: dict[str, object] = {}
        self.default: dict[str, str] = {}
        for style in root.findall(_w("style")):
            sid = style.get(_w("styleId"))
            if sid is None:
                continue
            self.by_id[sid] = style
            if (style.get(_w("default")) or "").lower() in ("1", "true", "on"):
                self.default.setdefault(style.get(_w("type")) or "paragraph", sid)
        defaults = root.find(_w("docDefaults"))
        self.rpr_default = (
            None if defaults is None else defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
        )
        self.ppr_default = (
            None if defaults is None else defaults.find(f"{_w('pPrDefault')}/{_w('pPr')}")
        )
        self._looks: dict[tuple, _Look] = {}

    def chain(self, sid: str | None, kind: str) -> list:
        """The style and those it is based on, nearest first (the kind's default if unset)."""
        sid = sid if sid in self.by_id else self.default.get(kind)
        out, seen = [], set()
        while sid in self.by_id and sid not in seen:
            seen.add(sid)
            out.append(self.by_id[sid])
            sid = _val(self.by_id[sid].find(_w("basedOn")))
        return out

    def name(self, p_style: str | None) -> str:
        chain = self.chain(p_style, "paragraph")
        return (_val(chain[0].find(_w("name")), "") or "").lower() if chain else ""

    def look(self, rpr, p_style: str | None) -> _Look:
        r_style = _val(rpr.find(_w("rStyle"))) if rpr is not None else None
        key = (None if rpr is None else _rpr_key(rpr), r_style, p_style)
        if key not in self._looks:
            sources = [rpr]
            sources += [s.find(_w("rPr")) for s in self.chain(r_style, "character")]
            sources += [s.find(_w("rPr")) for s in self.chain(p_style, "paragraph")]
            sources.append(self.rpr_default)
            found: dict[str, object] = {}
            for props in sources:
                if props is None:
                    continue
                for key_, tag in (("bold", "b"), ("caps", "caps"), ("small", "smallCaps")):
                    if key_ not in found and props.find(_w(tag)) is not None:
                        found[key_] = _on(props.find(_w(tag)))
                if "hidden" not in found and props.find(_w("vanish")) is not None:
                    found["hidden"] = _on(props.find(_w("vanish")))
                if "size" not in found and props.find(_w("sz")) is not None:
                    found["size"] = _int(_val(props.find(_w("sz"))), int(2 * DEFAULT_SIZE)) / 2
            self._looks[key] = _Look(
                bold=bool(found.get("bold")),
                size=float(found.get("size", DEFAULT_SIZE)),
                caps=bool(found.get("caps") or found.get("small")),
                hidden=bool(found.get("hidden")),
            )
        return self._looks[key]

    def para_prop(self, ppr, p_style: str | None, tag: str):
        """The nearest `tag` element (e.g. numPr) set on a paragraph, its styles or defaults."""
        sources = [ppr] + [s.find(_w("pPr")) for s in self.chain(p_style, "paragraph")]
        for props in sources + [self.ppr_default]:
            if props is not None and props.find(_w(tag)) is not None:
                return props.find(_w(tag))
        return None

    def spacing(self, ppr, p_style: str | None, side: str) -> float:
        """Space before or after a paragraph, in pt (the nearest setting of that side)."""
        sources = [ppr] + [s.find(_w("pPr")) for s in self.chain(p_style, "paragraph")]
        for props in sources + [self.ppr_default]:
            spacing = None if props is None else props.find(_w("spacing"))
            if spacing is not None and spacing.get(_w(side)) is not None:
                return _int(spacing.get(_w(side))) / 20
        return 0.0


def _rpr_key(rpr) -> tuple:
    return tuple((_local(e), tuple(sorted(e.attrib.items()))) for e in rpr)


# --------------------------------------------------------------------------- numbering

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def format_number(n: int, fmt: str) -> str:
    """A list counter in one of Word's number formats (decimal for those not handled)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        out = []
        for value, letters in _ROMAN:
            while n >= value:
                out.append(letters)
                n -= value
        return "".join(out).upper() if fmt == "upperRoman" else "".join(out)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass(frozen=True, slots=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    font: str = ""


class _Numbering:
    """Automatic list labels, counted in document order as Word counts them."""

    def __init__(self, document):
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, list[int | None]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(_w("abstractNum")):
            levels = {}
            for lvl in abstract.findall(_w("lvl")):
                fonts = lvl.find(f"{_w('rPr')}/{_w('rFonts')}")
                levels[_int(lvl.get(_w("ilvl")))] = _Level(
                    start=_int(_val(lvl.find(_w("start"))), 1),
                    fmt=_val(lvl.find(_w("numFmt")), "decimal") or "decimal",
                    text=_val(lvl.find(_w("lvlText")), "") or "",
                    suffix=_val(lvl.find(_w("suff")), "tab") or "tab",
                    font=(fonts.get(_w("ascii")) or "") if fonts is not None else "",
                )
            self.abstract[abstract.get(_w("abstractNumId")) or ""] = levels
        for num in root.findall(_w("num")):
            overrides = {
                _int(o.get(_w("ilvl"))): _int(_val(o.find(_w("startOverride"))), 1)
                for o in num.findall(_w("lvlOverride"))
                if o.find(_w("startOverride")) is not None
            }
            abstract_id = _val(num.find(_w("abstractNumId")), "") or ""
            self.nums[num.get(_w("numId")) or ""] = (abstract_id, overrides)

    def label(self, num_id: str | None, ilvl: int) -> str:
        """The next label of list `num_id` at level `ilvl`, with its separator ('' if none)."""
        if not num_id or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels or not 0 <= ilvl < 9:
            return ""
        counters = self.counters.setdefault(abstract_id, [None] * 9)
        if num_id not in self.started:  # a list restarted by its num's startOverride
            self.started.add(num_id)
            for level, start in overrides.items():
                if 0 <= level < 9:
                    counters[level] = start - 1
        level = levels[ilvl]
        counters[ilvl] = level.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = None
        if level.fmt == "bullet":
            symbol = level.font.lower() in ("symbol", "wingdings") or any(
                0xF000 <= ord(c) <= 0xF0FF for c in level.text
            )
            text = "•" if symbol or not level.text.strip() else level.text
        else:

            def number(match: re.Match) -> str:
                k = int(match.group(1)) - 1
                lvl = levels.get(k, _Level())
                return format_number(counters[k] if counters[k] is not None else lvl.start, lvl.fmt)

            text = _LEVEL_REF.sub(number, level.text)
        if not text:
            return ""
        return text if level.suffix == "nothing" else text + " "


# --------------------------------------------------------------------------- paragraphs


@dataclass(slots=True)
class _Para:
    lines: list[str]  # printed lines, white space folded, empty ones dropped
    bold: bool = False
    size: float = DEFAULT_SIZE
    heading_style: bool = False
    title_style: bool = False
    space_before: float = 0.0
    space_after: float = 0.0
    page_width: float = A4[0]
    text_width: float = A4[1]
    word_sizes: list[float] = field(default_factory=list)
    is_title: bool = False
    align: str = "left"  # w:jc: left, center, right, both...
    # a one-line paragraph set with tabs: its text between them ("1.1", "Audit ...", ...)
    tabbed: list[str] | None = None

    @property
    def text(self) -> str:
        return " ".join(self.lines)


@dataclass(slots=True)
class _Cell:
    col: int
    span: int
    row: int
    paras: list[_Para]
    rows: int = 1
    fill: tuple[float, float, float] | None = None  # w:shd background, RGB 0..1

    def raw(self) -> RawCell:
        texts = [ln for p in self.paras for ln in p.lines]
        chars = sum(len(p.text) for p in self.paras)
        bold = sum(len(p.text) for p in self.paras if p.bold)
        box = (self.col, self.row, self.col + self.span, self.row + self.rows)
        return RawCell(
            col=self.col,
            colspan=self.span,
            page=1,
            bbox=tuple(float(v) for v in box),
            lines=cell_lines(texts, self.col, self.span, self.row, self.rows),
            bold=chars > 0 and bold * 2 > chars,
            fill=self.fill,
        )


def _shading(tcpr) -> tuple[float, float, float] | None:
    """A cell's solid background (w:shd fill), as printed; "auto" or none is None."""
    shd = None if tcpr is None else tcpr.find(_w("shd"))
    fill = None if shd is None else shd.get(_w("fill"))
    if not fill or not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    return tuple(int(fill[i : i + 2], 16) / 255 for i in (0, 2, 4))


def cell_lines(texts: list[str], col: int, span: int, row: int, rows: int) -> list[TextLine]:
    """A cell's printed lines placed on the grid (see "Line geometry" in the module doc)."""
    out = []
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        out.append(
            TextLine(
                text=text,
                x0=float(col) if last else col - OFF_EDGE,
                x1=float(col + span) if last else col - OFF_EDGE,
                top=row + rows * i / len(texts),
                bottom=row + rows * (i + 1) / len(texts),
                char_width=CHAR_WIDTH,
            )
        )
    return out


def _blocks(container) -> Iterator:
    """Paragraph and table elements of a body or cell, in order, content controls opened."""
    for child in container:
        name = _local(child)
        if name in ("p", "tbl"):
            yield child
        elif name == "sdt":
            content = child.find(_w("sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif name == "customXml":
            yield from _blocks(child)


def _body_blocks(container) -> Iterator:
    """`_blocks`, with the cells of a layout table opened in their place, cell by cell,
    left to right (`_layout_cells`): the tables and paragraphs it lays out are the body's."""
    for block in _blocks(container):
        cells = _layout_cells(block) if _local(block) == "tbl" else None
        if cells is None:
            yield block
            continue
        for tc in cells:
            yield from _body_blocks(tc)


def _layout_cells(tbl) -> list | None:
    """The cells of a table that lays tables out, else None. Word users set two tables side
    by side, or frame one, by nesting them in the cells of a table of one row: such a row
    is no record, and a table of two rows and two columns or more nested in one of its
    cells is a table of its own (a smaller one, a boxed word, stays the cell's text)."""
    rows = _children(tbl, "tr")
    if len(rows) != 1:
        return None
    cells = _children(rows[0], "tc")
    for tc in cells:
        for block in _blocks(tc):
            if _local(block) != "tbl":
                continue
            inner = _children(block, "tr")
            if len(inner) >= 2 and max(len(_children(tr, "tc")) for tr in inner) >= 2:
                return cells
    return None


def _children(element, tag: str) -> list:
    """Child `tag` elements (w:tr of a table, w:tc of a row), content controls opened."""
    out = []
    for child in element:
        name = _local(child)
        if name == tag:
            out.append(child)
        elif name == "sdt":
            content = child.find(_w("sdtContent"))
            out.extend(_children(content, tag) if content is not None else [])
        elif name == "customXml":
            out.extend(_children(child, tag))
    return out


class _Reader:
    """One pass over the body in document order (list numbering counts in that order)."""

    def __init__(self, document):
        self.styles = _Styles(document)
        self.numbering = _Numbering(document)
        self.widths = [_section_widths(s) for s in document.sections] or [A4]
        self.section = 0
        self.warnings: list[str] = []
        self.n_tables = 0

    @property
    def page(self) -> tuple[float, float]:
        return self.widths[min(self.section, len(self.widths) - 1)]

    # ---- paragraphs
    def paragraph(self, p) -> _Para:
        ppr = p.find(_w("pPr"))
        p_style = _val(ppr.find(_w("pStyle"))) if ppr is not None else None
        pieces: list[tuple[str, _Look]] = []
        num = self.styles.para_prop(ppr, p_style, "numPr")
        if num is not None:
            num_id = _val(num.find(_w("numId")))
            if num_id is None:  # the level set on the paragraph, the list by its style
                styled = self.styles.para_prop(None, p_style, "numPr")
                num_id = _val(styled.find(_w("numId"))) if styled is not None else None
            label = self.numbering.label(num_id, _int(_val(num.find(_w("ilvl"))), 0))
            if label:
                pieces.append((label, self.styles.look(None, p_style)))
        self._collect(p, p_style, pieces)
        lines, current = [], []
        chars = bold = 0
        sizes: list[float] = []
        for text, look in pieces:
            if look.hidden:
                continue
            text = text.upper() if look.caps else text
            for i, part in enumerate(text.split("\n")):
                if i:
                    lines.append("".join(current))
                    current = []
                current.append(part)
            visible = len("".join(text.split()))
            chars += visible
            bold += visible if look.bold else 0
            sizes.extend([look.size] * len(text.split()))
        lines.append("".join(current))
        name = self.styles.name(p_style)
        outline = self.styles.para_prop(ppr, p_style, "outlineLvl")
        jc = self.styles.para_prop(ppr, p_style, "jc")
        page_width, text_width = self.page
        if ppr is not None and ppr.find(_w("sectPr")) is not None:
            self.section += 1  # this paragraph ends its section
        raw = [x for x in lines if x.strip()]
        tabbed = (
            [_fold(x) for x in raw[0].split("\t")] if len(raw) == 1 and "\t" in raw[0] else None
        )
        return _Para(
            tabbed=tabbed,
            lines=[ln for ln in (_fold(x) for x in lines) if ln],
            bold=chars > 0 and bold * 2 > chars,
            size=max(sizes, default=self.styles.look(None, p_style).size),
            heading_style=name.startswith("heading")
            or name in ("title", "subtitle")
            or (outline is not None and _int(_val(outline), 9) < 9),
            title_style=name == "title",
            space_before=self.styles.spacing(ppr, p_style, "before"),
            space_after=self.styles.spacing(ppr, p_style, "after"),
            page_width=page_width,
            text_width=text_width,
            word_sizes=sizes,
            align={"start": "left", "end": "right"}.get(_val(jc) or "left", _val(jc) or "left"),
        )

    def _collect(self, element, p_style, pieces: list) -> None:
        """A paragraph's printed text, run by run, in order."""
        for child in element:
            name = _local(child)
            if name == "r":
                self._run(child, p_style, pieces)
            elif name in _SKIPPED_IN_PARAGRAPH or child.tag == MC_FALLBACK:
                continue
            elif name:  # hyperlink, ins, moveTo, smartTag, sdt, sdtContent, fldSimple, ...
                self._collect(child, p_style, pieces)

    def _run(self, run, p_style, pieces: list) -> None:
        out = []
        for child in run:
            name = _local(child)
            if name == "t":
                out.append(child.text or "")
            elif name in ("tab", "ptab"):
                out.append("\t")  # folded to a space in the lines, kept in `tabbed`
            elif name in ("br", "cr"):
                out.append("\n")
            elif name == "noBreakHyphen":
                out.append("-")
            elif name == "sym":
                char = child.get(_w("char")) or ""
                code = int(char, 16) if re.fullmatch(r"[0-9A-Fa-f]{1,4}", char) else 0
                out.append(
                    "•" if code in (0xF0B7, 0xB7) else chr(code) if 0x20 < code < 0xF000 else ""
                )
        if out:
            pieces.append(("".join(out), self.styles.look(run.find(_w("rPr")), p_style)))

    # ---- tables
    def cell_paragraphs(self, tc) -> list[_Para]:
        out = []
        for block in _blocks(tc):
            if _local(block) == "p":
                out.append(self.paragraph(block))
            else:  # a nested table: the text of its cells in reading order
                for tr in _children(block, "tr"):
                    for inner in _children(tr, "tc"):
                        out.extend(self.cell_paragraphs(inner))
        return out

    def table(self, tbl) -> tuple[RawTable, list[_Para]]:
        self.n_tables += 1
        grid = tbl.find(_w("tblGrid"))
        n_cols = 0 if grid is None else len(grid.findall(_w("gridCol")))
        built: list[list[_Cell]] = []
        merging: dict[int, _Cell] = {}  # grid column -> cell merged down from an earlier row
        paragraphs: list[_Para] = []
        for tr in _children(tbl, "tr"):
            trpr = tr.find(_w("trPr"))
            if trpr is not None and trpr.find(_w("del")) is not None:
                continue  # deleted as a tracked change
            r = len(built)
            col = 0 if trpr is None else _int(_val(trpr.find(_w("gridBefore"))))
            cells: list[_Cell] = []
            continued: set[int] = set()
            for tc in _children(tr, "tc"):
                tcpr = tc.find(_w("tcPr"))
                span = 1 if tcpr is None else max(1, _int(_val(tcpr.find(_w("gridSpan"))), 1))
                vmerge = None if tcpr is None else tcpr.find(_w("vMerge"))
                hmerge = None if tcpr is None else tcpr.find(_w("hMerge"))
                paras = self.cell_paragraphs(tc)
                paragraphs.extend(paras)
                if hmerge is not None and _val(hmerge) != "restart" and cells:
                    cells[-1].span += span  # legacy horizontal merge
                    cells[-1].paras.extend(paras)
                elif vmerge is not None and _val(vmerge) != "restart" and col in merging:
                    above = merging[col]
                    above.rows = r - above.row + 1
                    continued.add(col)
                    if any(p.lines for p in paras):
                        self.warnings.append(
                            f"table {self.n_tables} row {r + 1}: text in the covered part of a "
                            "vertically merged cell, which Word does not print: left out"
                        )
                else:
                    cell = _Cell(col, span, r, paras, fill=_shading(tcpr))
                    cells.append(cell)
                    if vmerge is not None:
                        merging[col] = cell
                        continued.add(col)
                col += span
            for start in [c for c in merging if c not in continued]:
                del merging[start]
            after = 0 if trpr is None else _int(_val(trpr.find(_w("gridAfter"))))
            n_cols = max(n_cols, col + after)
            built.append(cells)
        rows = [
            RawRow(
                page=1, bbox=(0.0, float(r), float(n_cols), r + 1.0), cells=[c.raw() for c in cells]
            )
            for r, cells in enumerate(built)
            if cells
        ]
        return _grid_table(rows, n_cols, len(built)), paragraphs


def _lone_cell(table: RawTable, tbl, settings: LayoutSettings) -> bool:
    """A table that prints one cell, with no table inside it, of at most a heading's
    lines: many Word plans box each agency's section heading so (a one-row, one-column
    table, or a row of one merged cell, often shaded) over its action table. The PDF path
    keeps no ruled table of one cell (extract/ruled.py), so its lines are free lines there
    and a heading when they read as one; here its paragraphs join the body likewise."""
    cells = [c for r in table.rows for c in r.cells]
    if len(cells) != 1 or tbl.find(f".//{_w('tc')}//{_w('tbl')}") is not None:
        return False
    return 0 < len(cells[0].lines) <= settings.heading_max_lines


def _section_widths(section) -> tuple[float, float]:
    """Page width and the width between the margins, in pt."""
    width = section.page_width
    if not width:
        return A4
    margins = (section.left_margin or 0) + (section.right_margin or 0)
    return width / EMU_PER_PT, max(1.0, (width - margins) / EMU_PER_PT)


# --------------------------------------------------------------------------- document


def _mark_title(
    paragraphs: list[_Para],
    sizes: list[float],
    core: str,
    entries: int = 2,
    last_heads_table: bool = False,
) -> list[_Para]:
    """The title paragraphs before the first table: the first in Title style, else the
    leading ones in the largest type when some text is smaller (the PDF path's rule);
    and one that prints the core title. A paragraph heading a contents page (the
    `entries` paragraphs under it are contents entries, tabbed to their page numbers)
    ends the title, though in the same type. `last_heads_table`: the last printed
    paragraph is set directly over the first table: under a paragraph that opens the
    document outside the block (a title in the body's bold type, an introduction) it
    is the table's heading, and the title never runs on into it (the PDF path's
    `_title_before`)."""
    for para in paragraphs:
        if core and _fold(para.text).lower() == _fold(core).lower():
            para.is_title = True
    for para in paragraphs:
        if para.lines and para.title_style:
            para.is_title = True
            return [para]
    if not sizes or max(sizes) == min(sizes):
        return []
    biggest = max(sizes)
    block: list[_Para] = []
    printed = [p for p in paragraphs if p.lines]
    for k, para in enumerate(printed):
        if k == len(printed) - 1 and last_heads_table and (block or [para])[0] is not printed[0]:
            break  # set directly over the first table, under the opening: its heading
        below = printed[k + 1 : k + 1 + entries]
        if len(below) == entries and all(
            p.tabbed is not None and is_contents_entry_text(p.tabbed) for p in below
        ):
            break  # the contents' heading
        if para.size == biggest:
            block.append(para)
        elif block:
            break
    for para in block:
        para.is_title = True
    return block


def _bold_opening(paragraphs: list[_Para]) -> str | None:
    """The opening bold paragraphs (two at most), when a paragraph in plain type follows
    them before the first table: a title set in the body's bold type over its
    introduction (the PDF path's `_bold_opening`)."""
    printed = [p for p in paragraphs if p.lines]
    opening: list[_Para] = []
    for para in printed:
        if not para.bold:
            break
        opening.append(para)
    if not opening or len(opening) == len(printed):
        return None
    return " ".join(p.text for p in opening[:2])


def _laid_out(paragraphs: list[_Para]) -> tuple[list[PageLine], float, float]:
    """The paragraphs since the last table set as lines on a page, as Word prints them:
    each wrapped at the text width (its widths guessed from its length and type size),
    placed by its alignment, one line height apart, paragraphs parted by their spacing
    (the space after one and before the next, added as Word adds them; an empty paragraph
    prints a blank line). Returns the lines, where the table starts
    under them, and the page width: what the PDF path reads a heading from. The title
    paragraphs, and any before them, are left out, as the PDF path leaves out the title
    and what is printed above it."""
    titled = [k for k, p in enumerate(paragraphs) if p.is_title]
    if titled:
        paragraphs = paragraphs[titled[-1] + 1 :]
    lines: list[PageLine] = []
    y, after = 0.0, 0.0
    page_width = paragraphs[0].page_width if paragraphs else A4[0]
    for n, para in enumerate(paragraphs):
        em = para.size
        y += after + para.space_before if n else 0.0
        after = para.space_after
        margin = max(0.0, (para.page_width - para.text_width) / 2)
        font = "Bold" if para.bold or para.heading_style else "Regular"
        for printed in _wrapped(para) or [[]]:
            if printed:
                width = printed[-1][1]
                shift = {"center": (para.text_width - width) / 2, "right": para.text_width - width}
                x0 = margin + max(0.0, shift.get(para.align, 0.0))
                words = [
                    {
                        "text": t,
                        "x0": x0 + a,
                        "x1": x0 + b,
                        "top": y,
                        "bottom": y + LINE_HEIGHT_EM * em,
                        "size": em,
                        "fontname": font,
                    }
                    for t, a, b in (w[0] for w in printed)
                ]
                lines.append(PageLine(words))
            y += LINE_HEIGHT_EM * em
    return lines, y + after, page_width


def _wrapped(para: _Para) -> list[list[tuple[tuple[str, float, float], float]]]:
    """A paragraph's printed lines, each a list of ((word, x0, x1), line width so far)
    from the line's start: words of len * AVG_CHAR_EM ems less a quarter em, a quarter
    em apart (one character each way, as `_Para.printed_lines` counts); a tab moves to
    the next half-inch stop."""
    em, width = para.size, max(para.text_width, 1.0)
    out: list[list[tuple[tuple[str, float, float], float]]] = []
    for text in para.lines if para.tabbed is None else ["\t".join(para.tabbed)]:
        line: list[tuple[tuple[str, float, float], float]] = []
        x = 0.0
        for part_no, part in enumerate(text.split("\t")):
            if part_no:
                x = (int((x + 0.5 * em) // TAB_STOP) + 1) * TAB_STOP
            for word in part.split():
                w = (len(word) + 0.5) * AVG_CHAR_EM * em
                if line and x + w > width and part_no == 0:
                    out.append(line)
                    line, x = [], 0.0
                line.append(((word, x, x + w), x + w))
                x += w + 0.25 * em
        if line:
            out.append(line)
    return out


def _colon_forms(
    blocks: list[tuple[_Para | None, RawTable | None]], settings: Settings
) -> list[tuple[_Para | None, RawTable | None]]:
    """Runs of "Label: value" paragraphs with no table (a web form's export) as forms,
    read by the PDF path's rule (extract/forms.colon_form_tables): "Recommendation N: ..."
    a row across the form, the paragraphs before the first recommendation left to the
    headings. Other paragraphs stay as they were."""
    out: list[tuple[_Para | None, RawTable | None]] = []
    run: list[tuple[_Para, list[str] | None, list[str]]] = []  # (para, label, value)

    def flush() -> None:
        first = next((k for k, (_, label, _) in enumerate(run) if label is None), 0)
        kept = run[first:]
        known = {fold_label(" ".join(label)) for _, label, _ in kept if label}
        if len(known) < settings.headers.min_labels:
            out.extend((para, None) for para, _, _ in run)
        else:
            out.extend((para, None) for para, _, _ in run[:first])
            out.append((None, _form_table(kept)))
        run.clear()

    for para, table in blocks:
        if para is None or not para.lines:
            flush()
            out.append((para, table))
            continue
        words = para.text.split()
        k = colon_label_words(words, settings)
        if k is not None:
            last = words[k - 1][:-1]
            run.append((para, [*words[: k - 1], *([last] if last else [])], words[k:]))
        elif names_recommendation_line(para.text):
            run.append((para, None, words))
        else:
            flush()
            out.append((para, None))
    flush()
    return out


def _tabbed_tables(
    blocks: list[tuple[_Para | None, RawTable | None]], settings: Settings
) -> list[tuple[_Para | None, RawTable | None]]:
    """Tables typed with tab stops instead of a Word table: a paragraph whose tabbed parts
    read as column labels is a header, and the tabbed paragraphs under it its rows, a
    part per column (an empty part skips a column). A paragraph whose first part is empty
    goes on the row above (a cell's wrapped lines, typed line by line); a paragraph with
    no tab between tabbed ones is a row across the table (a recommendation). The PDF
    path reads the same page by text alignment."""
    out: list[tuple[_Para | None, RawTable | None]] = []
    k = 0
    while k < len(blocks):
        para, table = blocks[k]
        header = para.tabbed if para is not None else None
        labels = [p for p in header or [] if p]
        known = sum(is_header_phrase(p, settings.headers) for p in labels)
        if (
            header is None
            or known < settings.headers.min_labels
            or known < settings.headers.label_share * len(labels)
        ):
            out.append((para, table))
            k += 1
            continue
        rows: list[list[list[str]]] = [[[p] if p else [] for p in header]]
        n_cols = len(header)
        k += 1
        while k < len(blocks):
            para, table = blocks[k]
            if table is not None:
                break
            if not para.lines:
                k += 1
                continue
            if para.tabbed is None:
                # a row across the table when tabbed rows follow it; else the table ended
                after = next((p for p, t in blocks[k + 1 :] if t is not None or p.lines), None)
                if after is None or after.tabbed is None:
                    break
                rows.append([[para.text]])
                k += 1
                continue
            parts = para.tabbed[: n_cols - 1] + [" ".join(para.tabbed[n_cols - 1 :])]
            parts += [""] * (n_cols - len(parts))
            if parts[0] or len(rows[-1]) == 1 or len(rows) == 1:
                rows.append([[p] if p else [] for p in parts])
            else:
                for cell, part in zip(rows[-1], parts):
                    if part:
                        cell.append(part)
            k += 1
        out.append((None, _tabbed_table(rows, n_cols)))
    return out


def _tabbed_table(rows: list[list[list[str]]], n_cols: int) -> RawTable:
    raw_rows = []
    for r, cells in enumerate(rows):
        span = n_cols if len(cells) == 1 else 1
        built = [
            RawCell(
                c,
                span,
                1,
                (float(c), float(r), float(c + span), r + 1.0),
                cell_lines(texts, c, span, r, 1),
            )
            for c, texts in enumerate(cells)
            if texts
        ]
        raw_rows.append(RawRow(page=1, bbox=(0.0, float(r), float(n_cols), r + 1.0), cells=built))
    return _grid_table(raw_rows, n_cols, len(raw_rows))


def _grid_table(rows: list[RawRow], n_cols: int, height: int) -> RawTable:
    """A Word table's rows as a RawTable in grid units (`height` grid rows), scored."""
    raw = RawTable(
        page=1,
        bbox=(0.0, 0.0, float(n_cols), float(height)),
        engine=DOCX.name,
        n_cols=n_cols,
        col_edges=[float(c) for c in range(n_cols + 1)],
        rows=rows,
    )
    raw.score = table_score(raw)
    return raw


def _form_table(run: list[tuple[_Para, list[str] | None, list[str]]]) -> RawTable:
    rows = []
    for r, (para, label, value) in enumerate(run):
        cells = []
        if label is None:
            cells.append(_text_cell(" ".join(value), 0, 2, r, para.bold))
        else:
            cells.append(_text_cell(" ".join(label), 0, 1, r, para.bold))
            if value:
                cells.append(_text_cell(" ".join(value), 1, 1, r, para.bold))
        rows.append(RawRow(page=1, bbox=(0.0, float(r), 2.0, r + 1.0), cells=cells))
    raw = RawTable(
        page=1,
        bbox=(0.0, 0.0, 2.0, float(len(rows))),
        engine=DOCX.name,
        n_cols=2,
        col_edges=[0.0, 1.0, 2.0],
        rows=rows,
    )
    raw.score = table_score(raw)
    return raw


def _text_cell(text: str, col: int, span: int, row: int, bold: bool) -> RawCell:
    box = (float(col), float(row), float(col + span), row + 1.0)
    return RawCell(col, span, 1, box, cell_lines([text], col, span, row, 1), bold)


def extract_docx(
    path: str | Path, doc_id: str | None = None, settings: Settings = DEFAULT_SETTINGS
) -> RawDocument:
    """Raw tables of a Word document, in body order; see the module doc for the mapping."""
    path = Path(path)
    doc_id = doc_id or path.stem
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - python-docx is an optional dependency
        raise ExtractError("python-docx is needed to read DOCX files") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # zipfile, lxml and python-docx raise many types
        raise ExtractError(f"cannot open as DOCX: {type(exc).__name__}: {exc}".strip()) from exc
    reader = _Reader(document)
    blocks: list[tuple[_Para | None, RawTable | None]] = []
    paragraphs: list[_Para] = []
    sizes: list[float] = []
    for block in _body_blocks(document.element.body):
        if _local(block) == "p":
            para = reader.paragraph(block)
            paragraphs.append(para)
            sizes.extend(para.word_sizes)
            blocks.append((para, None))
        else:
            table, cell_paras = reader.table(block)
            sizes.extend(s for p in cell_paras for s in p.word_sizes)
            if _lone_cell(table, block, settings.layout):
                # a line boxed (and often shaded) as a table of one cell: read as the
                # paragraphs it prints, as the PDF path reads a ruled box of one cell
                paragraphs.extend(cell_paras)
                blocks.extend((p, None) for p in cell_paras)
            else:
                blocks.append((None, table))
    blocks = _tabbed_tables(_colon_forms(blocks, settings), settings)
    leading = []
    over_table = False  # the leading paragraphs end at a table
    for para, table in blocks:
        if table is not None:
            over_table = True
            break
        leading.append(para)
    core = _fold(document.core_properties.title or "")
    title_block = _mark_title(leading, sizes, core, settings.layout.contents_entries, over_table)
    body = median(sizes) if sizes else DEFAULT_SIZE
    tables: list[RawTable] = []
    since: list[_Para] = []
    for para, table in blocks:
        if para is not None:
            since.append(para)
            continue
        lines, top, page_width = _laid_out(since)
        heading, box, outer, outer_box = headings_over(
            top, lines, 0.0, page_width, body, settings.layout
        )
        # Grid units: the heading is the line above the table, a heading over it the line
        # above that (normalise reads a numbered heading as a recommendation).
        table.heading, table.outer_heading = heading, outer if heading else None
        if heading:
            table.heading_bbox = (0.0, -1.0, float(table.n_cols), 0.0)
            if table.outer_heading:
                table.outer_heading_bbox = (0.0, -2.0, float(table.n_cols), -1.0)
        tables.append(table)
        since = []
    title = core or " ".join(p.text for p in title_block[:2]) or None
    leading_printed = [p for p in leading if p.lines]
    if title is None and over_table and leading_printed and len(set(sizes)) > 1:
        if leading_printed[-1].size == max(sizes):  # the largest type heads the first table
            title = _bold_opening(leading[: leading.index(leading_printed[-1])])
    printed = any(p.lines for p in paragraphs) or any(
        c.lines for t in tables for r in t.rows for c in r.cells
    )
    return RawDocument(
        doc_id=doc_id,
        source_file=path.name,
        pages=1,
        title=title,
        tables=tables,
        text_pages=1 if printed else 0,
        warnings=reader.warnings,
        prose=[p.text for p in paragraphs if p.lines],
    )

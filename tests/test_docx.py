"""extract.docx_reader: a plan's DOCX gives the records its PDF gives, through the same normalise.

Each fixture DOCX is the original its PDF was rendered from (tests/fixtures/render.py). The
Birmingham sample has no DOCX original in the corpus: `tests/fixtures/docx/bdhr-2012-13-04.docx`
is built from its gold with render.py's builder and the layout options below, which reproduce the
ruled landscape sample page for page (LibreOffice 7.4 renders it to the same text on all 22
pages as tests/corpus/bdhr-2012-13-04.pdf). Rebuild it with

    .venv/bin/python tests/test_docx.py
"""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from dhrplans.extract.document import ExtractError, extract_document  # noqa: E402
from dhrplans.extract.docx_reader import extract_docx  # noqa: E402
from dhrplans.extract.provenance import DOCX  # noqa: E402
from docx.shared import Pt  # noqa: E402

ENGINE = DOCX.name
from dhrplans.normalise.cells import join_lines  # noqa: E402
from dhrplans.normalise.plan import normalise_document  # noqa: E402
from docx.enum.text import WD_BREAK  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls  # noqa: E402

from dhrplans import writer  # noqa: E402
from dhrplans.evaluation.compare import evaluate  # noqa: E402
from dhrplans.evaluation.report import format_report  # noqa: E402

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
BIRMINGHAM = "bdhr-2012-13-04"

#: The content fields of an action record (provenance, ids and confidence left out).
CONTENT_FIELDS = (
    "ref",
    "action",
    "lead_agency_raw",
    "lead_agency",
    "lead_officer",
    "target_date_raw",
    "target_date",
    "desired_outcome",
    "monitoring",
    "success_measure",
    "progress",
    "completion_date_raw",
    "completion_date",
    "scope",
    "status_raw",
    "status",
    "rag_raw",
    "rag",
    "extra",
    "section",
    "section_agency",
    "rec_number",
    "recommendation",
)

#: DOCX -> (PDF, gold folder) it must agree with.
PAIRS = {
    path.stem: (FIXTURES / "pdf" / f"{path.stem}.pdf", FIXTURES / "gold")
    for path in sorted((FIXTURES / "docx").glob("*.docx"))
    if path.stem != BIRMINGHAM
}
PAIRS[BIRMINGHAM] = (TESTS / "corpus" / f"{BIRMINGHAM}.pdf", TESTS / "gold")

#: (doc_id, action index, field): the PDF record is wrong, the DOCX one right. The printed cell
#: reads "Assistant Directors- Early Years and Safeguarding" (gold and DOCX alike); every PDF
#: render wraps it after "Directors-", and normalise.cells.broke_mid_word's compound rule (a
#: line ending in letter + "-" then a line starting with a letter is one hyphenated word, as
#: in "multi-" / "agency", "Pre-" / "Tenancy") joins it as "Directors-Early".
_DIRECTORS = (
    "PDF path joins the wrapped 'Directors-' / 'Early Years' without the printed space "
    "(normalise.cells compound-hyphen rule)"
)
PDF_WRONG = {
    (doc_id, 34, "lead_agency_raw"): _DIRECTORS
    for doc_id in (BIRMINGHAM, f"{BIRMINGHAM}--hrule-portrait")
}

#: Layout of the rebuilt Birmingham DOCX (render.py options, plus three builder tweaks below).
BIRMINGHAM_OPTIONS = {
    "orientation": "landscape",
    "borders": "all",
    "repeat_header": True,
    "font_size": 8,
    "heading_size": 10,
    "title_size": 12,
    "margins_mm": 12,
    "column_widths": {
        "ref": 29.8,
        "action": 119.1,
        "lead_agency": 83.4,
        "lead_officer": 77.0,
        "target_date": 53.6,
        "desired_outcome": 101.3,
        "monitoring": 83.5,
        "success_measure": 83.4,
        "progress": 166.7,
        "status": 53.4,
    },
}


def _render_module():
    spec = importlib.util.spec_from_file_location("fixtures_render", FIXTURES / "render.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_birmingham(out: Path) -> Path:
    """tests/fixtures/docx/bdhr-2012-13-04.docx from tests/gold/bdhr-2012-13-04.json.

    On top of the options: line spacing 1.15 (Word's default, which the sample has), no spacer
    paragraph between tables, headings 10 pt before and after and not kept with the table (the
    sample prints one heading at the foot of page 13), title 6 pt after.
    """
    render = _render_module()
    gold = json.loads((TESTS / "gold" / f"{BIRMINGHAM}.json").read_text(encoding="utf-8"))
    opts = {**render.DEFAULTS, **BIRMINGHAM_OPTIONS}

    class Builder(render.DocBuilder):
        def _setup(self):
            super()._setup()
            self.doc.styles["Normal"].paragraph_format.line_spacing = 1.15

        def title(self, text):
            super().title(text)
            self.doc.paragraphs[-1].paragraph_format.space_after = self.Pt(6)

        def heading(self, text):
            super().heading(text)
            fmt = self.doc.paragraphs[-1].paragraph_format
            fmt.space_before = fmt.space_after = self.Pt(10)
            fmt.keep_with_next = False

        def spacer(self):
            pass

    render.save_docx(Builder(gold, opts).build(), out)
    return out


# --- DOCX and PDF give the same records --------------------------------------------------------


def _records(doc_id: str):
    pdf, _ = PAIRS[doc_id]
    from_docx = normalise_document(extract_docx(FIXTURES / "docx" / f"{doc_id}.docx"))
    from_pdf = normalise_document(extract_document(pdf))
    return from_docx, from_pdf


_CACHE: dict[str, tuple] = {}


def records(doc_id: str):
    if doc_id not in _CACHE:
        _CACHE[doc_id] = _records(doc_id)
    return _CACHE[doc_id]


@pytest.mark.parametrize("doc_id", sorted(PAIRS))
def test_docx_and_pdf_give_the_same_actions(doc_id: str) -> None:
    from_docx, from_pdf = records(doc_id)
    assert len(from_docx.actions) == len(from_pdf.actions) > 0
    differences = [
        (i, name, a[name], b[name])
        for i, (a, b) in enumerate(zip(from_docx.actions, from_pdf.actions))
        for name in CONTENT_FIELDS
        if (doc_id, i, name) not in PDF_WRONG and a[name] != b[name]
    ]
    assert differences == []


@pytest.mark.parametrize("doc_id", sorted(PAIRS))
def test_docx_and_pdf_give_the_same_recommendations(doc_id: str) -> None:
    from_docx, from_pdf = records(doc_id)
    keys = ("section", "rec_number", "text", "n_actions")
    assert [[r[k] for k in keys] for r in from_docx.recommendations] == [
        [r[k] for k in keys] for r in from_pdf.recommendations
    ]


@pytest.mark.parametrize(
    "doc_id, index, name",
    [
        pytest.param(*key, marks=pytest.mark.xfail(strict=True, reason=reason))
        for key, reason in PDF_WRONG.items()
    ],
)
def test_known_pdf_errors(doc_id: str, index: int, name: str) -> None:
    from_docx, from_pdf = records(doc_id)
    assert from_docx.actions[index][name] == from_pdf.actions[index][name]


def test_docx_records_carry_grid_provenance() -> None:
    from_docx, _ = records("kent-dhr-fx-homeoffice")
    assert from_docx.engines == [ENGINE]
    for action in from_docx.actions:
        assert action["page_start"] == action["page_end"] == 1
        assert action["engine"] == ENGINE
        for box in action["cells"]:
            assert box["page"] == 1
            assert box["x0"] < box["x1"] and box["top"] < box["bottom"]
            assert all(float(v).is_integer() for v in (box["x0"], box["x1"], box["top"]))


# --- the DOCX path scored against the gold -----------------------------------------------------


@pytest.mark.parametrize("gold_dir", sorted({gold for _, gold in PAIRS.values()}), ids=str)
def test_docx_path_against_gold(gold_dir: Path, tmp_path: Path) -> None:
    actions, recs = [], []
    for doc_id, (_, gold) in PAIRS.items():
        if gold == gold_dir:
            doc = normalise_document(extract_docx(FIXTURES / "docx" / f"{doc_id}.docx"))
            actions += doc.actions
            recs += doc.recommendations
    writer.write_dataset(
        tmp_path,
        {
            "actions": writer.to_table("actions", actions),
            "recommendations": writer.to_table("recommendations", recs),
        },
    )
    report = evaluate(gold_dir, tmp_path)
    assert report.recall == 1.0, format_report(report)
    assert report.precision == 1.0, format_report(report)
    assert report.printed_exact >= 0.995, format_report(report)
    assert report.normalised_accuracy >= 0.99, format_report(report)


def test_birmingham_docx_is_what_the_builder_makes(tmp_path: Path) -> None:
    """The checked-in file's body is the builder's (styles come with python-docx's template)."""
    built = build_birmingham(tmp_path / f"{BIRMINGHAM}.docx")
    parts = []
    for path in (built, FIXTURES / "docx" / f"{BIRMINGHAM}.docx"):
        with zipfile.ZipFile(path) as archive:
            parts.append(archive.read("word/document.xml"))
    assert parts[0] == parts[1], "rebuild it: .venv/bin/python tests/test_docx.py"


# --- a tiny DOCX built here -------------------------------------------------------------------

HEADER = ["Ref", "Action", "Lead Agency", "Target Date", "Status"]


def _fill(cell, *paragraphs: str) -> None:
    cell.paragraphs[0].add_run(paragraphs[0])
    for text in paragraphs[1:]:
        cell.add_paragraph(text)


def _table(document, rows: list[list[str]], n_cols: int):
    table = document.add_table(rows=len(rows), cols=n_cols)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                _fill(table.cell(r, c), value)
    return table


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    document = docx.Document()
    document.core_properties.title = ""
    document.add_paragraph("Tiny DHR Action Plan", style="Title")
    document.add_paragraph(
        "This narrative paragraph explains at some length that the review was commissioned by "
        "the partnership and that the agencies' actions are set out in the tables that follow, "
        "which is body text and not the heading of any table."
    )
    # Table 1 (no heading): banner rows across the table, a blank status cell.
    banner = _table(
        document,
        [
            HEADER,
            ["Recommendation 1: Train all staff"],
            ["1.1", "Deliver training", "Kent Police", "Mar-23", "Complete"],
            ["1.2", "Audit files", "Kent Police", "30/06/2023", ""],
            ["Recommendation 2: Share information"],
            ["2.1", "Write a protocol", "Kent Police", "Dec 2023", "Not started"],
        ],
        5,
    )
    for r in (1, 4):
        banner.cell(r, 0).merge(banner.cell(r, 4))
    document.add_paragraph()
    heading = document.add_paragraph()
    heading.add_run("Kent County Council").bold = True
    # Table 2: the first column merged down over a recommendation's actions.
    merged = _table(
        document,
        [
            ["Recommendation", "Action", "Lead Agency", "Target Date"],
            ["1. Review the policy", "Draft a new policy", "KCC", "31/12/2022"],
            ["", "Brief the teams", "KCC", "March 2023"],
            ["2. Audit the cases", "Audit 20 cases", "KCC", "Q2 2023/24"],
        ],
        4,
    )
    merged.cell(1, 0).merge(merged.cell(2, 0))
    # Two paragraphs and a line break in one cell; none of them is a broken word.
    cell = merged.cell(3, 3)
    cell.paragraphs[0].runs[0].text = "31/12/2022"
    cell.add_paragraph("01/06/2023")
    run = merged.cell(3, 1).paragraphs[0].runs[0]
    run.add_break(WD_BREAK.LINE)
    run.add_text("and report")
    path = tmp_path_factory.mktemp("docx") / "tiny.docx"
    document.save(path)
    return path


@pytest.fixture(scope="module")
def tiny_raw(tiny: Path):
    return extract_docx(tiny)


def test_document_level(tiny_raw) -> None:
    assert tiny_raw.doc_id == "tiny"
    assert tiny_raw.source_file == "tiny.docx"
    assert (tiny_raw.pages, tiny_raw.text_pages) == (1, 1)
    assert tiny_raw.title == "Tiny DHR Action Plan"
    assert [t.heading for t in tiny_raw.tables] == [None, "Kent County Council"]
    assert all(t.engine == ENGINE and t.page == 1 for t in tiny_raw.tables)
    assert [t.n_cols for t in tiny_raw.tables] == [5, 4]
    assert tiny_raw.tables[0].col_edges == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]


def test_banner_row_is_one_cell_across_the_table(tiny_raw) -> None:
    rows = tiny_raw.tables[0].rows
    banner = rows[1].cells
    assert len(banner) == 1
    assert (banner[0].col, banner[0].colspan) == (0, 5)
    assert banner[0].bbox == (0.0, 1.0, 5.0, 2.0)
    assert banner[0].text == "Recommendation 1: Train all staff"


def test_blank_cell_is_present_without_lines(tiny_raw) -> None:
    row = tiny_raw.tables[0].rows[3]
    assert [c.col for c in row.cells] == [0, 1, 2, 3, 4]
    assert row.cells[4].lines == []
    assert row.cells[4].bbox == (4.0, 3.0, 5.0, 4.0)


def test_vertical_merge_is_given_in_its_first_row_only(tiny_raw) -> None:
    rows = tiny_raw.tables[1].rows
    first, covered = rows[1].cells, rows[2].cells
    assert first[0].col == 0 and first[0].text == "1. Review the policy"
    assert first[0].bbox == (0.0, 1.0, 1.0, 3.0)  # two rows high
    assert [c.col for c in covered] == [1, 2, 3]


def test_lines_are_paragraphs_and_breaks(tiny_raw) -> None:
    row = tiny_raw.tables[1].rows[3]
    action, target = row.cells[1], row.cells[3]
    assert [ln.text for ln in action.lines] == ["Audit 20 cases", "and report"]
    assert [ln.text for ln in target.lines] == ["31/12/2022", "01/06/2023"]
    # A one-word line never reaches a text edge: joined with a space whatever the edge.
    for edge in (None, target.bbox[2] - 1.0, target.bbox[2], target.bbox[2] + 5.0):
        assert join_lines(target.lines, edge) == "31/12/2022 01/06/2023"


def test_tiny_normalised(tiny_raw) -> None:
    doc = normalise_document(tiny_raw)
    assert doc.n_sections == 2
    recs = [(r["section"], r["rec_number"], r["text"], r["n_actions"]) for r in doc.recommendations]
    assert recs == [
        (None, "1", "Train all staff", 2),
        (None, "2", "Share information", 1),
        ("Kent County Council", "1", "Review the policy", 2),
        ("Kent County Council", "2", "Audit the cases", 1),
    ]
    actions = doc.actions
    assert [a["rec_number"] for a in actions] == ["1", "1", "2", "1", "1", "2"]
    assert actions[1]["status_raw"] == "" and actions[1]["status"] == "unknown"
    assert actions[2]["status"] == "not_started"
    # as in recommendations.parquet: the merged cell's number is split off (issue 10)
    assert [a["recommendation"] for a in actions[3:]] == [
        "Review the policy",
        "Review the policy",
        "Audit the cases",
    ]
    assert actions[5]["action"] == "Audit 20 cases and report"
    assert actions[5]["target_date_raw"] == "31/12/2022 01/06/2023"
    assert actions[3]["lead_agency"] == "Kent County Council"


# --- structure and text read from the XML -----------------------------------------------------


def _doc_with_table(rows_xml: str, grid: int, before: str = "") -> Path:
    document = docx.Document()
    body = document.element.body
    tbl = parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr/><w:tblGrid>"
        + "<w:gridCol w:w='1000'/>" * grid
        + f"</w:tblGrid>{rows_xml}</w:tbl>"
    )
    if before:
        body.insert(0, parse_xml(before))
    body.insert(1 if before else 0, tbl)
    return document


def _cell(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_grid_before_and_grid_span_set_the_column(tmp_path: Path) -> None:
    rows = (
        "<w:tr>" + "".join(_cell(t) for t in ("A", "B", "C", "D")) + "</w:tr>"
        "<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>"
        + _cell("wide", "<w:gridSpan w:val='2'/>")
        + _cell("last")
        + "</w:tr>"
    )
    path = tmp_path / "grid.docx"
    _doc_with_table(rows, 4).save(path)
    table = extract_docx(path).tables[0]
    assert table.n_cols == 4
    assert [(c.col, c.colspan, c.text) for c in table.rows[1].cells] == [
        (1, 2, "wide"),
        (3, 1, "last"),
    ]


def test_printed_text_only(tmp_path: Path) -> None:
    """Deleted revisions, field codes and hidden runs are not printed; field results are."""
    paragraph = (
        f"<w:p {nsdecls('w')}>"
        "<w:r><w:t xml:space='preserve'>Lead: </w:t></w:r>"
        "<w:del w:id='1' w:author='a'><w:r><w:delText>Old Agency</w:delText></w:r></w:del>"
        "<w:ins w:id='2' w:author='a'><w:r><w:t>Kent Police</w:t></w:r></w:ins>"
        "<w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        "<w:r><w:t xml:space='preserve'> (page 3)</w:t></w:r>"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        "</w:p>"
    )
    rows = "<w:tr>" + _cell("Ref") + f"<w:tc>{paragraph}</w:tc>" + "</w:tr>"
    path = tmp_path / "text.docx"
    _doc_with_table(rows, 2).save(path)
    cell = extract_docx(path).tables[0].rows[0].cells[1]
    assert cell.text == "Lead: Kent Police (page 3)"


def test_list_numbers_are_printed(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Ref", style="List Number")
    table = document.add_table(rows=2, cols=2)
    for r in range(2):
        paragraph = table.cell(r, 0).paragraphs[0]
        paragraph.style = document.styles["List Number"]
        paragraph.add_run(f"item {r}")
        table.cell(r, 1).paragraphs[0].add_run("x")
    path = tmp_path / "numbers.docx"
    document.save(path)
    cells = extract_docx(path).tables[0].rows
    assert [row.cells[0].text for row in cells] == ["2. item 0", "3. item 1"]


def test_bold_short_paragraph_is_a_heading_narrative_is_not(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Plan title").font.size = docx.shared.Pt(20)
    document.add_paragraph("Short plain line")  # narrow: a heading, as in the PDF path
    _table(document, [HEADER], 5)
    section = document.add_paragraph()
    section.add_run("Section 3").bold = True
    section.paragraph_format.space_after = docx.shared.Pt(0)
    document.add_paragraph().add_run("Kent Police").bold = True  # one two-line heading
    _table(document, [HEADER], 5)
    document.add_paragraph().add_run("Section 4").bold = True  # 10 pt after (Normal style)
    document.add_paragraph().add_run("Essex Police").bold = True
    _table(document, [HEADER], 5)
    document.add_paragraph("word " * 60)
    _table(document, [HEADER], 5)
    document.add_paragraph().add_run("Heading after space").bold = True
    document.add_paragraph()
    _table(document, [HEADER], 5)
    path = tmp_path / "headings.docx"
    document.save(path)
    raw = extract_docx(path)
    assert raw.title == "Plan title"
    assert [t.heading for t in raw.tables] == [
        "Short plain line",
        "Section 3 Kent Police",
        "Essex Police",
        None,
        "Heading after space",
    ]


def test_one_cell_table_over_a_table_is_its_heading(tmp_path: Path) -> None:
    # Section headings boxed as a table of one cell (one column, or one row of a cell
    # merged across), shaded, over each action table: read as the heading, as the PDF path
    # reads the box's line. A table of one cell holding a nested table stays a table.
    document = docx.Document()
    box = document.add_table(rows=1, cols=1)
    box.cell(0, 0).paragraphs[0].add_run("Kent County Council").bold = True
    document.add_paragraph()
    _table(document, [HEADER], 5)
    merged = document.add_table(rows=1, cols=3)
    merged.cell(0, 0).merge(merged.cell(0, 2)).paragraphs[0].add_run("Kent Police").bold = True
    _table(document, [HEADER], 5)
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run("Box").bold = True
    path = tmp_path / "boxed.docx"
    document.save(path)
    raw = extract_docx(path)
    assert [t.heading for t in raw.tables[:2]] == ["Kent County Council", "Kent Police"]
    assert [t.n_cols for t in raw.tables] == [5, 5, 1]


def test_tables_set_side_by_side_in_a_layout_tables_cells_are_read(tmp_path: Path) -> None:
    # Word users set two tables side by side (or frame one) by nesting them in the cells
    # of a one-row table with no borders: each cell's heading and action table are read
    # as the body's would be, cell by cell, left to right.
    document = docx.Document()
    layout = document.add_table(rows=1, cols=2)
    for k, agency in enumerate(["Kent Police", "Kent County Council"]):
        cell = layout.cell(0, k)
        cell.paragraphs[0].add_run(agency).bold = True
        inner = cell.add_table(rows=2, cols=5)
        for c, (label, value) in enumerate(
            zip(HEADER, [f"{k + 1}.1", "Train staff", agency, "Mar-24", "Open"])
        ):
            inner.cell(0, c).text = label
            inner.cell(1, c).text = value
    path = tmp_path / "side-by-side.docx"
    document.save(path)
    raw = extract_docx(path)
    assert [t.heading for t in raw.tables] == ["Kent Police", "Kent County Council"]
    out = normalise_document(raw)
    assert [a["ref"] for a in out.actions] == ["1.1", "2.1"]
    assert [a["section"] for a in out.actions] == ["Kent Police", "Kent County Council"]


def test_centred_line_over_a_left_heading_is_not_part_of_it(tmp_path: Path) -> None:
    # A centred "Action Plan" line right above a left-aligned section heading: two headings
    # (the PDF path reads them as two blocks), the table's the nearer one.
    document = docx.Document()
    centred = document.add_paragraph()
    centred.add_run("Action Plan / Cynllun Gweithredu").bold = True
    centred.alignment = docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    centred.paragraph_format.space_after = docx.shared.Pt(0)
    document.add_paragraph().add_run("Multi-Agency Recommendations").bold = True
    _table(document, [HEADER], 5)
    path = tmp_path / "aligned.docx"
    document.save(path)
    raw = extract_docx(path)
    assert raw.tables[0].heading == "Multi-Agency Recommendations"
    assert raw.tables[0].outer_heading == "Action Plan / Cynllun Gweithredu"


def test_larger_line_over_a_heading_is_not_part_of_it(tmp_path: Path) -> None:
    document = docx.Document()
    part = document.add_paragraph()
    run = part.add_run("Action Plan")
    run.bold, run.font.size = True, docx.shared.Pt(14)
    part.paragraph_format.space_after = docx.shared.Pt(0)
    document.add_paragraph().add_run("Recommendations for all agencies").bold = True
    _table(document, [HEADER], 5)
    path = tmp_path / "sizes.docx"
    document.save(path)
    assert extract_docx(path).tables[0].heading == "Recommendations for all agencies"


def test_recommendation_caption_over_a_paragraph_of_its_text(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph().add_run("Recommendation 2").bold = True
    document.add_paragraph("The partnership should review how information is shared. " * 2)
    _table(document, [HEADER], 5)
    path = tmp_path / "caption.docx"
    document.save(path)
    heading = extract_docx(path).tables[0].heading
    assert heading.startswith("Recommendation 2 The partnership should review")


def test_title_paragraph_is_not_a_heading(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "The Plan"
    document.add_paragraph().add_run("The Plan").bold = True
    _table(document, [HEADER], 5)
    path = tmp_path / "title.docx"
    document.save(path)
    raw = extract_docx(path)
    assert raw.title == "The Plan"
    assert raw.tables[0].heading is None


def test_contents_heading_under_the_title_is_not_the_title(tmp_path: Path) -> None:
    # the title, then a contents page's heading in the same type, then its entries
    # tabbed to their page numbers: the heading is the contents', not the title's
    document = docx.Document()
    document.core_properties.title = ""
    for text in ("Some DHR Action Plan", "Contents"):
        run = document.add_paragraph().add_run(text)
        run.bold, run.font.size = True, docx.shared.Pt(14)
    for entry, page in (("1. Introduction", 1), ("2. Kent Police", 2), ("3. Essex Police", 3)):
        document.add_paragraph(f"{entry}\t{page}")
    document.add_paragraph("The actions agreed by each agency follow.")
    _table(document, [HEADER], 5)
    path = tmp_path / "contents.docx"
    document.save(path)
    assert extract_docx(path).title == "Some DHR Action Plan"


def test_not_a_docx_is_an_extract_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"%PDF-1.4 not a zip")
    with pytest.raises(ExtractError, match="cannot open as DOCX"):
        extract_docx(path)


def test_empty_document_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    raw = extract_docx(path)
    assert (raw.pages, raw.text_pages, raw.tables) == (1, 0, [])


if __name__ == "__main__":
    print(build_birmingham(FIXTURES / "docx" / f"{BIRMINGHAM}.docx"))


def test_label_colon_value_paragraphs_are_a_form(tmp_path: Path) -> None:
    # A web form's export: "Label: value" paragraphs, no table; read as the PDF reads its
    # lines (extract/forms.colon_label_words), the form's reference left out.
    document = docx.Document()
    for text in [
        "Form reference: HSC-0417",
        "Recommendation 1: All agencies should ask about abuse.",
        "Action reference: 1.1",
        "Action: Audit the referrals made to MARAC",
        "Lead officer: DA Strategic Lead",
        "Target date: Within 3 months",
        "",
        "Action reference: 1.2",
        "Action: Train the staff",
        "Lead officer: DA Strategic Lead",
        "Target date: end Q3",
    ]:
        document.add_paragraph(text)
    path = tmp_path / "webform.docx"
    document.save(str(path))
    raw = extract_docx(path)
    assert len(raw.tables) == 2
    first = [[c.text for c in r.cells] for r in raw.tables[0].rows]
    assert first[0] == ["Recommendation 1: All agencies should ask about abuse."]
    assert first[1] == ["Action reference", "1.1"]
    assert "Form reference: HSC-0417" in raw.prose


def test_caption_under_a_section_heading_is_a_heading_of_its_own(tmp_path: Path) -> None:
    # "Kent Police" then "Recommendation 1" (both bold, one line each) over a table whose
    # first row is the recommendation's text: the caption is the table's heading, the
    # agency the heading over it (they were one heading, "Kent Police Recommendation 1").
    from docx.shared import Pt

    document = docx.Document()
    for text in ("Kent Police", "Recommendation 1"):
        para = document.add_paragraph()
        para.add_run(text).bold = True
        para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(6), Pt(4)
    _table(
        document,
        [
            ["Train all staff in the risk checklist.", "", ""],
            ["Action", "Lead agency", "Target date"],
            ["Run training", "Kent Police", "Mar-22"],
        ],
        3,
    )
    path = tmp_path / "caption.docx"
    document.save(str(path))
    (table,) = extract_docx(path).tables
    assert (table.heading, table.outer_heading) == ("Recommendation 1", "Kent Police")


def test_recommendation_named_with_its_text_under_a_section_heading_is_its_own(
    tmp_path: Path,
) -> None:
    # "DHR Action Plan" then "Recommendation I: Train all staff." (bold, one line each)
    # over a form: the recommendation, named with its text on the line, is the table's
    # heading and the section the heading over it (they were one heading).
    from docx.shared import Pt

    document = docx.Document()
    for text in ("DHR Action Plan", "Recommendation I: Train all staff."):
        para = document.add_paragraph()
        para.add_run(text).bold = True
        para.paragraph_format.space_before, para.paragraph_format.space_after = Pt(6), Pt(4)
    _table(document, [["Ref", "I.1"], ["Action", "Run training"], ["Lead agency", "Kent"]], 2)
    path = tmp_path / "named.docx"
    document.save(str(path))
    (table,) = extract_docx(path).tables
    assert (table.heading, table.outer_heading) == (
        "Recommendation I: Train all staff.",
        "DHR Action Plan",
    )


def test_heading_over_a_line_introducing_the_table_is_the_tables(tmp_path: Path) -> None:
    # A bold agency heading, then a sentence introducing the table ("... has agreed the
    # actions below."), then the table: the heading names the section (as on the PDF
    # path); a paragraph of narrative longer than an introduction does not.
    document = docx.Document()
    document.add_paragraph().add_run(
        "Sheffield Health and Social Care NHS Foundation Trust"
    ).bold = True
    document.add_paragraph("The Trust (SHSC) has agreed the actions below with the panel.")
    _table(
        document, [["Action", "Lead agency", "Target date"], ["Run training", "SHSC", "Mar-22"]], 3
    )
    path = tmp_path / "intro.docx"
    document.save(str(path))
    (table,) = extract_docx(path).tables
    assert table.heading == "Sheffield Health and Social Care NHS Foundation Trust"


def test_word_heading_is_chosen_by_the_pdf_rule(tmp_path: Path) -> None:
    # Paragraphs laid out as lines and read by the PDF path's rule (extract/headings.py):
    # a short sentence of narrative right over a table is no heading (it was, being
    # narrow); the plan's title over a line introducing the table is the document's, not
    # the table's; a version line right over a table names no section.
    document = docx.Document()
    document.add_paragraph().add_run("Oxford Community Safety Partnership").font.size = Pt(16)
    document.add_paragraph().add_run("DHR \u2018Lucy\u2019 \u2013 Action Plan").bold = True
    document.add_paragraph("Agreed by the Review Panel on 11 October 2023.")
    _table(document, [HEADER], 5)
    document.add_paragraph("Version 3 \u2013 updated for the Board, 9 January 2025")
    _table(document, [HEADER], 5)
    document.add_paragraph().add_run("Kent Police").bold = True
    document.add_paragraph("The recommendations below are numbered as in the report.")
    _table(document, [HEADER], 5)
    path = tmp_path / "rule.docx"
    document.save(path)
    assert [t.heading for t in extract_docx(path).tables] == [None, None, "Kent Police"]


def test_a_table_typed_with_tab_stops_is_read_as_a_table(tmp_path: Path) -> None:
    # No Word table: a header paragraph of labels parted by tabs, then a paragraph per
    # printed line, its parts at the same stops. A line whose first part is empty goes on
    # the row above (a wrapped cell); an untabbed paragraph between rows is a row across.
    document = docx.Document()
    for text in (
        "Kent Police",
        "Ref\tAction\tLead\tTarget date\tStatus",
        "Recommendation 1: Agencies should hear the victim's voice.",
        "1.1\tRaise awareness of economic abuse among staff in the\tNCIC\tDec-13\tCompleted",
        "\tbenefits teams through an e-learning module\t\t\t- evidence received",
        "",
        "1.2\tAudit 20 case records\tKent Police\t30/04/2013\tComplete",
        "The panel thanks the family.",
    ):
        document.add_paragraph(text)
    path = tmp_path / "tabbed.docx"
    document.save(str(path))
    raw = extract_docx(path)
    (table,) = raw.tables
    texts = [[c.text for c in r.cells] for r in table.rows]
    assert texts[0] == ["Ref", "Action", "Lead", "Target date", "Status"]
    assert texts[1] == ["Recommendation 1: Agencies should hear the victim's voice."]
    assert texts[2] == [
        "1.1",
        "Raise awareness of economic abuse among staff in the"
        " benefits teams through an e-learning module",
        "NCIC",
        "Dec-13",
        "Completed - evidence received",
    ]
    assert texts[3][0] == "1.2" and len(texts) == 4
    assert table.heading == "Kent Police"
    assert "The panel thanks the family." in raw.prose


def test_larger_section_heading_over_the_first_table_is_not_the_title(tmp_path: Path) -> None:
    # The title in the body's bold type, an introduction, then the first section's name
    # bold and 2 pt larger directly over its table: the section's heading, not the title.
    document = docx.Document()
    document.core_properties.title = ""
    run = document.add_paragraph().add_run("Some Partnership DHR Action Plan")
    run.bold, run.font.size = True, Pt(10)
    document.add_paragraph().add_run("The actions agreed by each agency follow.").font.size = Pt(10)
    run = document.add_paragraph().add_run("Northshire Police Action Plan")
    run.bold, run.font.size = True, Pt(12)
    _table(document, [HEADER], 5)
    path = tmp_path / "section.docx"
    document.save(path)
    raw = extract_docx(path)
    assert raw.tables[0].heading == "Northshire Police Action Plan"
    assert raw.title == "Some Partnership DHR Action Plan"

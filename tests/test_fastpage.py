"""extract.fastpage: PDFium's reading of a page agrees with pdfplumber's.

On every page of the sample corpus and the fixtures, and on hand-written pages that
exercise what PDFium does differently (page rotation, MediaBox offsets, text scaling,
rise and kerning, text objects out of order, line-end hyphens, ligatures, forms,
images, clipping paths, curves), the FastPage gives pdfplumber's words (text, font,
size; boxes within 0.5 pt) and pdfplumber's ruled tables (cells within 0.5 pt), or
declines the page. The document extracted either way is the same.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pdfplumber
import pytest
from dhrplans.extract import document, fastpage
from dhrplans.extract.document import WORD_ATTRS

TESTS = Path(__file__).parent
PDFS = sorted((TESTS / "corpus").glob("*.pdf")) + sorted((TESTS / "fixtures" / "pdf").glob("*.pdf"))
TOLERANCE = 0.5  # points

TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


# --- comparing a FastPage with pdfplumber's page ------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE


def assert_same_words(plumber_page, fast_page) -> None:
    theirs = plumber_page.extract_words(extra_attrs=WORD_ATTRS)
    ours = fast_page.extract_words(extra_attrs=WORD_ATTRS)
    assert [w["text"] for w in ours] == [w["text"] for w in theirs]
    for a, b in zip(theirs, ours):
        assert (a["fontname"], a["upright"]) == (b["fontname"], b["upright"]), a["text"]
        for key in ("x0", "x1", "top", "bottom", "doctop", "size"):
            assert _close(a[key], b[key]), (a["text"], key, a[key], b[key])


def assert_same_tables(plumber_page, fast_page) -> None:
    theirs = plumber_page.find_tables(TABLE_SETTINGS)
    ours = fast_page.find_tables(TABLE_SETTINGS)
    assert len(ours) == len(theirs)
    for a, b in zip(theirs, ours):
        assert len(a.cells) == len(b.cells)
        for ca, cb in zip(a.cells, b.cells):
            assert all(_close(p, q) for p, q in zip(ca, cb)), (ca, cb)
        assert len(a.rows) == len(b.rows)


def assert_same_graphics(plumber_page, fast_page) -> None:
    for kind in ("lines", "rects", "curves", "images"):
        assert len(getattr(fast_page, kind)) == len(getattr(plumber_page, kind)), kind

    def edges(page):
        return [
            (e["orientation"] or "", e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges
        ]

    ours = edges(fast_page)
    for edge in edges(plumber_page):
        match = next(
            (
                i
                for i, e in enumerate(ours)
                if e[0] == edge[0] and all(map(_close, e[1:], edge[1:]))
            ),
            None,
        )
        assert match is not None, edge
        ours.pop(match)
    assert not ours


def assert_same_page(plumber_page, fast_page) -> None:
    assert (fast_page.width, fast_page.height, fast_page.bbox) == (
        plumber_page.width,
        plumber_page.height,
        plumber_page.bbox,
    )
    assert_same_words(plumber_page, fast_page)
    assert_same_tables(plumber_page, fast_page)
    assert_same_graphics(plumber_page, fast_page)


# --- the sample corpus and the fixtures ----------------------------------------------------


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_every_page_agrees_with_pdfplumber(path: Path) -> None:
    with pdfplumber.open(path) as pdf, fastpage.FastDocument(pdf, path) as fast:
        for page in pdf.pages:
            fast_page = fast.page(page)  # the fast path takes every page of these plans
            assert_same_page(page, fast_page)
            page.close()


@pytest.mark.parametrize("name", ["bdhr-2012-13-04.pdf", "kent-dhr-fx-homeoffice.pdf"])
def test_document_is_the_same_read_either_way(name: str, monkeypatch) -> None:
    path = next(p for p in PDFS if p.name == name)
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfplumber")
    slow = dataclasses.asdict(document.extract_document(path))
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfium")
    fast = dataclasses.asdict(document.extract_document(path))
    assert_equivalent(fast, slow)


def assert_equivalent(a, b, where: str = "") -> None:
    """Equal, numbers within a hundredth of a point (float32 against float64)."""
    if isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) <= 0.011, where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_equivalent(a[key], b[key], f"{where}/{key}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b)):
            assert_equivalent(x, y, f"{where}[{i}]")
    else:
        assert a == b, where


def test_declined_or_failing_pages_fall_back_to_pdfplumber(monkeypatch) -> None:
    path = next(p for p in PDFS if p.name == "kent-dhr-fx-homeoffice.pdf")
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfplumber")
    slow = dataclasses.asdict(document.extract_document(path))
    real = fastpage.FastDocument.page
    handed: list[int] = []

    def flaky(self, page):
        if page.page_number == 2:
            raise fastpage.Declined("test")
        fast_page = real(self, page)
        if page.page_number == 3:
            del fast_page.lines  # a page the pipeline cannot read: AttributeError
        handed.append(page.page_number)
        return fast_page

    monkeypatch.setattr(fastpage.FastDocument, "page", flaky)
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfium")
    assert_equivalent(dataclasses.asdict(document.extract_document(path)), slow)
    assert handed == [1, 3]


def test_parser_choice(monkeypatch) -> None:
    monkeypatch.delenv(fastpage.PARSER_ENV, raising=False)
    assert fastpage.parser_name() == "pdfium"
    monkeypatch.setenv(fastpage.PARSER_ENV, "PDFPlumber")
    assert fastpage.parser_name() == "pdfplumber"
    assert fastpage.parser_name("pdfium") == "pdfium"
    with pdfplumber.open(PDFS[0]) as pdf:
        assert fastpage.open_document(pdf, PDFS[0]) is None
    monkeypatch.setenv(fastpage.PARSER_ENV, "mupdf")
    with pytest.raises(ValueError, match="DHRPLANS_PARSER"):
        fastpage.parser_name()


def test_parse_uses_the_fast_page_then_pdfplumber(tmp_path) -> None:
    path = tmp_path / "t.pdf"
    path.write_bytes(minimal_pdf([{"content": SIMPLE}, {"content": TYPE3 + SIMPLE}], FONTS))
    with pdfplumber.open(path) as pdf, fastpage.FastDocument(pdf, path) as fast:
        kinds = [fastpage.parse(fast, page, lambda p: type(p).__name__) for page in pdf.pages]
        assert kinds == ["FastPage", "Page"]
        assert list(fast.declined) == [2] and "font resource" in fast.declined[2]
        assert fastpage.parse(None, pdf.pages[0], lambda p: type(p).__name__) == "Page"


# --- hand-written pages ----------------------------------------------------------------------


def minimal_pdf(pages: list[dict], fonts: dict, xobjects: dict | None = None) -> bytes:
    """A PDF of `pages` (content, and optionally mediabox, cropbox, rotate) sharing the
    `fonts` (name -> (dict source, {key: (dict source, stream data or None)}), where
    `{key}` in the source is the reference to that extra object) and `xobjects`."""
    bodies: list[bytes] = [b"", b""]  # catalog, page tree

    def add(body: bytes) -> int:
        bodies.append(body)
        return len(bodies)

    def stream(head: str, data: bytes) -> bytes:
        return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (head.encode(), len(data), data)

    font_refs = []
    for name, (source, extra) in fonts.items():
        for key, (head, data) in extra.items():
            ref = add(head.encode() if data is None else stream(head, data))
            source = source.replace("{" + key + "}", f"{ref} 0 R")
        font_refs.append(f"/{name} {add(source.encode())} 0 R")
    xobject_refs = [f"/{n} {add(stream(h, d))} 0 R" for n, (h, d) in (xobjects or {}).items()]
    resources = f"<< /Font << {' '.join(font_refs)} >> /XObject << {' '.join(xobject_refs)} >> >>"
    kids = []
    for page in pages:
        contents = add(stream("", page["content"]))
        box = " ".join(str(v) for v in page.get("mediabox", (0, 0, 612, 792)))
        more = f" /Rotate {page['rotate']}" if page.get("rotate") else ""
        if page.get("cropbox"):
            more += f" /CropBox [{' '.join(str(v) for v in page['cropbox'])}]"
        kids.append(
            add(
                f"<< /Type /Page /Parent 2 0 R /MediaBox [{box}]{more} /Resources {resources} "
                f"/Contents {contents} 0 R >>".encode()
            )
        )
    bodies[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    bodies[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        " ".join(f"{k} 0 R" for k in kids).encode(),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


TO_UNICODE = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test def 1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfchar <41> <00660069> endbfchar
1 beginbfrange <61> <7A> <0061> endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end"""
WIDTHS = " ".join(str(500 + (c * 37) % 400) for c in range(32, 123))
FONTS = {
    "F1": ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>", {}),
    "F2": (
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        {},
    ),
    # A standard font whose codes print other text: pdfminer's widths are not PDFium's.
    "F3": (
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
        "/ToUnicode {tu} >>",
        {"tu": ("", TO_UNICODE)},
    ),
    "F4": (
        "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000] /FontMatrix [0.001 0 0 0.001 0 0]"
        " /CharProcs << /a {cp} >> /Encoding << /Type /Encoding /Differences [97 /a] >>"
        " /FirstChar 97 /LastChar 97 /Widths [600] /Resources << >> >>",
        {"cp": ("", b"600 0 0 0 600 700 d1 0 0 600 700 re f")},
    ),
    # Widths and a descent of its own; code A prints the ligature "fi".
    "F5": (
        "<< /Type /Font /Subtype /TrueType /BaseFont /LigaFont /FirstChar 32 /LastChar 122 "
        f"/Widths [{WIDTHS}] /FontDescriptor {{fd}} /Encoding /WinAnsiEncoding "
        "/ToUnicode {tu} >>",
        {
            "fd": (
                "<< /Type /FontDescriptor /FontName /LigaFont /Flags 32 /FontBBox [0 -200 1000 800]"
                " /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
                None,
            ),
            "tu": ("", TO_UNICODE),
        },
    ),
}
# Fractional widths: PDFium advances by their integer part, pdfminer by the whole.
FONTS["F6"] = (
    FONTS["F5"][0]
    .replace("LigaFont", "FracFont")
    .replace(WIDTHS, " ".join(f"{500 + (c * 37) % 400}.{c % 10}" for c in range(32, 123))),
    {
        "fd": (FONTS["F5"][1]["fd"][0].replace("LigaFont", "FracFont"), None),
        "tu": ("", TO_UNICODE),
    },
)
FORM = {
    "Fm1": (
        "/Type /XObject /Subtype /Form /BBox [0 0 200 100] /Matrix [1 0 0 1 10 5] "
        "/Resources << /Font << >> >>",
        b"0 0 m 150 0 l S 0 0 150 60 re S",
    )
}


def grid(x: float, y: float, cols: int, rows: int, w: float, h: float) -> bytes:
    """A ruled table: its lines, and a few words in each cell."""
    out = [b"%g %g m %g %g l S" % (x, y - r * h, x + cols * w, y - r * h) for r in range(rows + 1)]
    out += [b"%g %g m %g %g l S" % (x + c * w, y, x + c * w, y - rows * h) for c in range(cols + 1)]
    out += [
        b"BT /F1 9 Tf %g %g Td (Cell %d-%d text) Tj ET" % (x + c * w + 3, y - r * h - 12, r, c)
        for r in range(rows)
        for c in range(cols)
    ]
    return b"\n".join(out)


SIMPLE = b"\n".join(
    [
        b"BT /F1 10 Tf 72 740 Td (Plain page text) Tj ET",
        grid(72, 700, 2, 2, 150, 40),
        b"BT /F1 10 Tf 0 1 -1 0 560 300 Tm (Sideways) Tj ET",
    ]
)
FEATURES = b"\n".join(
    [
        b"BT /F1 10 Tf 72 740 Td (Hello World) Tj ET",
        b"BT /F1 10 Tf 150 Tz 72 725 Td (Scaled text here) Tj ET",
        b"BT /F1 10 Tf 72 710 Td (Base) Tj 3 Ts (sup) Tj 0 Ts ( after) Tj ET",
        b"BT /F1 10 Tf 1 Tc 2 Tw 72 695 Td (Char spaced words) Tj 0 Tc 0 Tw 100 Tz ET",
        b"BT /F1 10 Tf 72 680 Td [(foo) -600 ( bar) -200 (baz) -50 (qux)] TJ ET",
        # PDFium drops the real space after the one it adds for the kerning: put back.
        b"BT /F1 6 Tf 72 590 Td [(tight) -180 ( join)] TJ 0 -8 Td [(tight) -180 (glue)] TJ ET",
        # One line in three text objects, out of order and in two fonts.
        b"BT /F2 10 Tf 200 665 Td (Right) Tj ET BT /F1 10 Tf 72 665 Td (Left) Tj ET "
        b"BT /F2 10 Tf 110 665 Td (Mid) Tj ET",
        b"BT /F1 10 Tf 0 1 -1 0 560 300 Tm (Rotated upward text) Tj ET",
        b"BT /F1 10 Tf 1 0 0 -1 300 300 Tm (Mirrored) Tj ET",
        b"q 2 0 0 2 0 0 cm BT /F1 6 Tf 36 320 Td (Doubled) Tj ET Q",
        b"BT /F1 10 Tf 72 650 Td (a hyphen-) Tj 0 -12 Td (ated word) Tj ET",
        b"BT /F5 10 Tf 72 620 Td (xAy Ant) Tj ET",
        b"BT /F6 10 Tf 72 575 Td (fractional widths drift along a long line of text) Tj ET",
        b"BT /F1 10 Tf 72 605 Td (two  spaces and a\\240nbsp) Tj ET",
        b"q 0 0 1 rg 72 560 300 0.5 re f Q",
        b"72 540 m 372 540 l S",
        b"72 520 300 10 re S",
        b"72 500 m 372 500 l 372 490 l 72 490 l h S",
        b"72 480 m 100 470 130 470 160 480 c S",
        b"72 400 m 72 460 l 150 460 l S",
        b"0 0 612 792 re W n",
        b"q 1 0 0 1 300 400 cm /Fm1 Do Q",
        b"q 50 0 0 30 400 100 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q",
        grid(72, 380, 3, 3, 120, 30),
    ]
)
TYPE3 = b"BT /F4 12 Tf 72 760 Td (aaa) Tj ET\n"
FAKE_BOLD = b"BT /F2 10 Tf 72 760 Td (Fake bold) Tj ET BT /F2 10 Tf 72.3 760 Td (Fake bold) Tj ET\n"
LIGATURE_IN_STANDARD_FONT = b"BT /F3 10 Tf 72 760 Td (xAy Ant) Tj ET\n"

AGREEING = {
    "features": {"content": FEATURES},
    "rotated 90": {"content": SIMPLE, "rotate": 90},
    "mediabox offset": {
        "content": SIMPLE,
        "mediabox": (10, 20, 622, 812),
        "cropbox": (30, 40, 600, 800),
    },
    "rotated 180, offset": {"content": SIMPLE, "rotate": 180, "mediabox": (-5, 15, 607, 807)},
    "rotated 270": {"content": SIMPLE, "rotate": 270},
}
DECLINED = {
    "Type3 font": (TYPE3, "font resource"),
    "duplicated text (fake bold)": (FAKE_BOLD, "left out of its text page"),
    "ligature of a standard font": (LIGATURE_IN_STANDARD_FONT, "no width of 'fi' to check"),
}


@pytest.fixture(scope="module")
def hand_written(tmp_path_factory) -> Path:
    pages = list(AGREEING.values()) + [{"content": c + SIMPLE} for c, _ in DECLINED.values()]
    path = tmp_path_factory.mktemp("fastpage") / "hand-written.pdf"
    path.write_bytes(minimal_pdf(pages, FONTS, FORM))
    return path


@pytest.mark.parametrize("number", range(1, len(AGREEING) + 1), ids=list(AGREEING))
def test_hand_written_page_agrees(hand_written: Path, number: int) -> None:
    with pdfplumber.open(hand_written) as pdf, fastpage.FastDocument(pdf, hand_written) as fast:
        page = pdf.pages[number - 1]
        fast_page = fast.page(page)
        assert fast_page.chars and fast_page.find_tables(TABLE_SETTINGS)
        assert_same_page(page, fast_page)


def test_features_page_reads_as_pdfplumber_reads_it(hand_written: Path) -> None:
    with pdfplumber.open(hand_written) as pdf, fastpage.FastDocument(pdf, hand_written) as fast:
        ours = fast.page(pdf.pages[0]).extract_words()
        theirs = pdf.pages[0].extract_words()
    for a, b in zip(ours, theirs):  # closer than the 0.5 pt asked: float32's precision
        assert all(abs(a[k] - b[k]) < 1e-3 for k in ("x0", "x1", "top", "bottom")), a["text"]
    words = [w["text"] for w in ours]
    for expected in (["tight", "join"], ["tightglue"], ["xfiy", "fint"], ["Left", "Mid", "Right"]):
        at = words.index(expected[0])
        assert words[at : at + len(expected)] == expected
    assert "hyphen-" in words and "Scaled" in words and "Basesup" in words
    assert "fractional" in words and "text" in words


@pytest.mark.parametrize("number", range(len(DECLINED)), ids=list(DECLINED))
def test_hand_written_page_declined(hand_written: Path, number: int) -> None:
    reason = list(DECLINED.values())[number][1]
    with pdfplumber.open(hand_written) as pdf, fastpage.FastDocument(pdf, hand_written) as fast:
        page = pdf.pages[len(AGREEING) + number]
        with pytest.raises(fastpage.Declined, match=reason):
            fast.page(page)
        assert reason in fast.declined[page.page_number]


def test_gap_of_the_word_tolerance_is_left_to_pdfplumber(tmp_path) -> None:
    # Characters exactly x_tolerance apart: one word or two is float64 arithmetic's call.
    path = tmp_path / "gap.pdf"
    path.write_bytes(minimal_pdf([{"content": b"BT /F1 10 Tf 3 Tc 72 700 Td (abc) Tj ET"}], FONTS))
    with pdfplumber.open(path) as pdf, fastpage.FastDocument(pdf, path) as fast:
        fast_page = fast.page(pdf.pages[0])
        with pytest.raises(fastpage.Declined, match="gap"):
            fast_page.extract_words()
        assert fast_page.extract_words(x_tolerance=1)  # clear of it
        kinds = fastpage.parse(fast, pdf.pages[0], lambda p: (p.extract_words(), type(p))[1])
        assert kinds is pdfplumber.page.Page


def test_hand_written_document_read_either_way(hand_written: Path, monkeypatch) -> None:
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfplumber")
    slow = dataclasses.asdict(document.extract_document(hand_written))
    monkeypatch.setenv(fastpage.PARSER_ENV, "pdfium")
    assert_equivalent(dataclasses.asdict(document.extract_document(hand_written)), slow)

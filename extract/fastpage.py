"""A cheaper source for pdfplumber's page: characters and ruling graphics read by PDFium.

pdfplumber interprets every page in Python (pdfminer); PDFium (pypdfium2) does the
same in C, many times faster. `FastPage` is a duck-typed pdfplumber page built from
PDFium's text page and page objects: `chars`, `lines`, `rects`, `curves`, `images`
and `edges` are dicts with pdfplumber's keys and pdfplumber's coordinates (origin
top left, pdfminer's page rotation and MediaBox offset), and `extract_words` and
`find_tables` run pdfplumber's own `WordExtractor` and `TableFinder` on them. So
words and tables come out as pdfplumber's, from the same code, on the same numbers
(to float32 precision: PDFium keeps coordinates as 32-bit floats).

What PDFium does not tell, pdfminer's own font objects do (they are cheap: no page
is interpreted): each PDFium font is matched to the page's font resources (by name,
then by embedded font program), which give pdfplumber's `fontname`, the descent that
places a character's box, and the text and advance width of each code (looked up by
the text PDFium printed). PDFium's text page is turned back into pdfminer's
characters: the spaces and line breaks it adds are dropped (but a real space it
dropped after one it added is put back), its U+0002 for a hyphen ending a line is
the hyphen again, a ligature it splits into characters at one origin is one
character, and the text objects of a line, which it orders by position, are put
back in content-stream order. Paths are classified as pdfminer does (line, rect,
curve; one object per subpath; clipping paths not drawn).

The fast path declines a page (raises `Declined`; `parse` then gives pdfplumber's
page) when it cannot vouch for matching pdfplumber: a font it cannot match, or
fonts of one name that disagree; a Type3 font or vertical writing; a text no code
of the font prints (no Unicode, ActualText); a text two codes print at different
widths; a width pdfminer takes from elsewhere than the font's /Widths (standard
font metrics) that PDFium does not share; right-to-left text (PDFium reorders it);
a text object PDFium left out of its text page (duplicated "fake bold" text, empty
or zero-width text); a path not starting with a move. `DHRPLANS_PARSER=pdfplumber`
turns the fast path off.
"""

from __future__ import annotations

import ctypes
import hashlib
import math
import os
from collections.abc import Callable
from itertools import compress, repeat
from typing import Any, TypeVar

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from dhrplans.extract.words import CharColumns
from dhrplans.extract.words import extract_words as fast_words
from pdfminer.pdffont import PDFCIDFont, PDFType3Font, PDFUnicodeNotDefined
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, list_value, resolve1
from pdfminer.psparser import PSLiteral, literal_name
from pdfplumber import utils
from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE, LIGATURES

PARSER_ENV = "DHRPLANS_PARSER"
#: Points: how far a gap between two characters may be from pdfminer's (float32 sums).
GAP_PRECISION = 1e-3
PARSERS = ("pdfium", "pdfplumber")

Obj = dict[str, Any]
T = TypeVar("T")
Matrix = tuple[float, float, float, float, float, float]


class Declined(Exception):
    """The fast path cannot vouch for this page: parse it with pdfplumber."""


def parser_name(choice: str | None = None) -> str:
    """The page parser asked for: `choice`, else `$DHRPLANS_PARSER`, else pdfium."""
    name = (choice or os.environ.get(PARSER_ENV) or "pdfium").strip().lower()
    if name not in PARSERS:
        raise ValueError(f"{PARSER_ENV} must be one of {', '.join(PARSERS)}, not {name!r}")
    return name


# --- PDFium calls -----------------------------------------------------------------------
# Private prototypes on the library's own entry points, with plain integers for handles:
# the per-character calls are the hot loop, and pointer objects cost more than the call.


def _proto(name: str, restype, *argtypes):
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P = ctypes.c_void_p
_PD = ctypes.POINTER(ctypes.c_double)
_PF = ctypes.POINTER(ctypes.c_float)
_text_object = _proto("FPDFText_GetTextObject", _P, _P, ctypes.c_int)
_unicode = _proto("FPDFText_GetUnicode", ctypes.c_uint, _P, ctypes.c_int)
# The origin's x and y written to two addresses given as integers: one call per character
# over a buffer, driven by `map` (no Python frame, no pointer object per character).
_origin_at = _proto("FPDFText_GetCharOrigin", ctypes.c_int, _P, ctypes.c_int, _P, _P)
_char_matrix = _proto(
    "FPDFText_GetMatrix", ctypes.c_int, _P, ctypes.c_int, ctypes.POINTER(pdfium_c.FS_MATRIX)
)
_count_chars = _proto("FPDFText_CountChars", ctypes.c_int, _P)
_object_font = _proto("FPDFTextObj_GetFont", _P, _P)
_font_size = _proto("FPDFTextObj_GetFontSize", ctypes.c_int, _P, _PF)
_base_font_name = _proto(
    "FPDFFont_GetBaseFontName", ctypes.c_size_t, _P, ctypes.c_char_p, ctypes.c_size_t
)
_font_embedded = _proto("FPDFFont_GetIsEmbedded", ctypes.c_int, _P)
_font_data = _proto(
    "FPDFFont_GetFontData",
    ctypes.c_int,
    _P,
    ctypes.c_char_p,
    ctypes.c_size_t,
    ctypes.POINTER(ctypes.c_size_t),
)
_count_objects = _proto("FPDFPage_CountObjects", ctypes.c_int, _P)
_get_object = _proto("FPDFPage_GetObject", _P, _P, ctypes.c_int)
_form_count = _proto("FPDFFormObj_CountObjects", ctypes.c_int, _P)
_form_object = _proto("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _proto("FPDFPageObj_GetType", ctypes.c_int, _P)
_object_matrix = _proto(
    "FPDFPageObj_GetMatrix", ctypes.c_int, _P, ctypes.POINTER(pdfium_c.FS_MATRIX)
)
_draw_mode = _proto(
    "FPDFPath_GetDrawMode",
    ctypes.c_int,
    _P,
    ctypes.POINTER(ctypes.c_int),
    ctypes.POINTER(ctypes.c_int),
)
_PU = ctypes.POINTER(ctypes.c_uint)
_fill_color = _proto("FPDFPageObj_GetFillColor", ctypes.c_int, _P, _PU, _PU, _PU, _PU)
_count_segments = _proto("FPDFPath_CountSegments", ctypes.c_int, _P)
_get_segment = _proto("FPDFPath_GetPathSegment", _P, _P, ctypes.c_int)
_segment_point = _proto("FPDFPathSegment_GetPoint", ctypes.c_int, _P, _PF, _PF)
_segment_type = _proto("FPDFPathSegment_GetType", ctypes.c_int, _P)
_segment_close = _proto("FPDFPathSegment_GetClose", ctypes.c_int, _P)
_glyph_width = _proto(
    "FPDFFont_GetGlyphWidth", ctypes.c_int, _P, ctypes.c_uint32, ctypes.c_float, _PF
)
_is_generated = _proto("FPDFText_IsGenerated", ctypes.c_int, _P, ctypes.c_int)
_is_hyphen = _proto("FPDFText_IsHyphen", ctypes.c_int, _P, ctypes.c_int)

_TEXT, _PATH, _IMAGE, _FORM = (
    pdfium_c.FPDF_PAGEOBJ_TEXT,
    pdfium_c.FPDF_PAGEOBJ_PATH,
    pdfium_c.FPDF_PAGEOBJ_IMAGE,
    pdfium_c.FPDF_PAGEOBJ_FORM,
)
_LINETO, _BEZIERTO, _MOVETO = (
    pdfium_c.FPDF_SEGMENT_LINETO,
    pdfium_c.FPDF_SEGMENT_BEZIERTO,
    pdfium_c.FPDF_SEGMENT_MOVETO,
)


def _handle(raw) -> int:
    return ctypes.cast(raw, ctypes.c_void_p).value or 0


class _Shortened(dict):
    """`float(f"{v:.7g}")` of the floats met, remembered (a page repeats its sizes,
    matrices and path points); zeros are not kept (-0.0 would find 0.0's entry)."""

    def __missing__(self, value: float) -> float:
        out = float(f"{value:.7g}")
        if value == value and value != 0:
            if len(self) >= 1 << 16:
                self.clear()
            self[value] = out
        return out


_SHORTENED = _Shortened()


def _short(value: float) -> float:
    """A single-precision number from PDFium as the decimal it was written as (PDFium
    keeps coordinates as 32-bit floats; pdfminer as the decimals of the file)."""
    if type(value) is float and value != 0:
        return _SHORTENED[value]
    return float(f"{value:.7g}")


def _round4(values: np.ndarray) -> np.ndarray:
    """Python's `round(v, 4)` of each value (correctly rounded, half to even on the
    exact binary value): numpy's scaled rounding, redone by Python where the scaled
    value lies so near a half that the scaling's own rounding could tip it."""
    scaled = values * 1e4
    out = np.round(scaled) / 1e4
    near = ~(np.abs(scaled - np.floor(scaled) - 0.5) >= 1e-6)  # NaN and inf too
    for i in np.flatnonzero(near).tolist():
        out[i] = round(float(values[i]), 4)
    return out


def _matrix(m) -> Matrix:
    return (_short(m.a), _short(m.b), _short(m.c), _short(m.d), _short(m.e), _short(m.f))


def _mult(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 then m0 (pdfminer's `mult_matrix`)."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# --- fonts ------------------------------------------------------------------------------


def _strip_subset(name: str) -> str:
    """`ABCDEF+Calibri` -> `Calibri` (PDFium reports base font names without the tag)."""
    head, plus, tail = name.partition("+")
    return tail if plus and len(head) == 6 and head.isalpha() and head.isupper() else name


def _key(text: str) -> str:
    return "".join(LIGATURES.get(c, c) for c in text)


class _Font:
    """What pdfplumber takes from one font resource: its name, its descent and, per
    printed text, the text pdfminer reports and the advance width (text space units)."""

    __slots__ = ("name", "fontname", "descent", "widths", "program", "problem", "pdffont")

    def __init__(self, spec: dict, pdffont) -> None:
        base = resolve1(spec.get("BaseFont"))
        self.name = _strip_subset(literal_name(base) if isinstance(base, PSLiteral) else str(base))
        self.pdffont = pdffont
        self.fontname = pdffont.fontname
        if isinstance(self.fontname, bytes):  # pragma: no cover - pdfplumber's rare case
            self.fontname = self.fontname.decode("latin-1")
        self.descent = pdffont.get_descent()
        self.program = _program(spec)
        self.problem: str | None = None
        self.widths: dict[str, tuple[str, float]] = {}
        if isinstance(pdffont, PDFType3Font):
            self.problem = "Type3 font"
        elif pdffont.is_vertical():
            self.problem = "vertical writing"
        else:
            self._read_widths()

    def _cids(self) -> list[tuple[int, int]]:
        """(tier, code) of every code the font can print. A text several codes print
        takes the width of its codes of the first tier: those of the ToUnicode map with
        a /Widths entry, of the ToUnicode map, of the encoding with a /Widths entry,
        then the rest of the encoding (a subset font maps and lists only the codes it
        uses; its encoding names codes it never uses)."""
        umap = getattr(self.pdffont, "unicode_map", None)
        table = getattr(umap, "cid2unichr", None) if umap is not None else None
        if type(umap).__name__ == "IdentityUnicodeMap":
            table = None  # every code is its own character: looked up when met
        if isinstance(self.pdffont, PDFCIDFont):
            return [(0, cid) for cid in table] if table else []
        listed = self.pdffont.widths
        table = table or {}
        return [((cid not in listed) + (0 if cid in table else 2), cid) for cid in range(256)]

    def _read_widths(self) -> None:
        cid_font = isinstance(self.pdffont, PDFCIDFont)
        listed = self.pdffont.widths
        best: dict[str, tuple[int, str, set[float], bool]] = {}
        for tier, cid in self._cids():
            try:
                text = self.pdffont.to_unichr(cid)
            except (PDFUnicodeNotDefined, KeyError, ValueError, TypeError):
                continue
            width = self.pdffont.char_width(cid)
            # A simple font's width from its /Widths is PDFium's too; one pdfminer takes
            # elsewhere (standard font metrics by name, a default) may not be.
            sure = cid_font or cid in listed
            key = _key(text)
            found = best.get(key)
            if found is None or tier < found[0]:
                best[key] = (tier, text, {width}, sure)
            elif tier == found[0]:
                found[2].add(width)
                best[key] = (tier, found[1], found[2], found[3] and sure)
        for key, (_, text, widths, sure) in best.items():
            # Two codes print the same text at different widths: which one was used,
            # PDFium does not tell.
            width = widths.pop() if len(widths) == 1 else float("nan")
            self.widths[key] = (text, width, sure)

    def lookup(self, text: str) -> tuple[str, float, bool] | None:
        """(pdfminer's text, advance width, whether PDFium has that width too) of a text
        PDFium printed in this font; None if no code of the font prints it."""
        found = self.widths.get(_key(text))
        if found is None and len(text) == 1 and isinstance(self.pdffont, PDFCIDFont):
            umap = self.pdffont.unicode_map
            if umap is not None and type(umap).__name__ == "IdentityUnicodeMap":
                found = (text, self.pdffont.char_width(ord(text)), True)
                self.widths[_key(text)] = found
        if found is not None and found[1] != found[1]:  # NaN: two widths
            raise Declined(f"font {self.fontname}: {text!r} printed at two widths")
        return found


class _Choice:
    """The font resources a PDFium font may be (one, mostly): those of its name, and of
    its embedded program when several. Fonts of one name that print a text alike are
    as good as one; where they differ, the ones that cannot print it drop out."""

    __slots__ = ("handle", "fonts", "fontname", "descent", "_seen", "_glyphs")

    def __init__(self, handle: int, fonts: list[_Font]) -> None:
        self.handle = handle
        self.fonts = fonts
        self._seen: dict[str, tuple[str, float]] = {}
        self._glyphs: dict[str, tuple[str, float, float]] = {}
        self._agree()

    def _agree(self) -> None:
        first = self.fonts[0]
        for font in self.fonts:
            if font.problem:
                raise Declined(f"font {font.fontname}: {font.problem}")
            if (font.fontname, font.descent) != (first.fontname, first.descent):
                raise Declined(f"fonts {first.fontname}, {font.fontname} under one name")
        self.fontname, self.descent = first.fontname, first.descent

    def width(self, text: str) -> tuple[str, float]:
        """(pdfminer's text, advance width) of a text PDFium printed in this font."""
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = self._width(text)
        return found

    def glyph(self, text: str) -> tuple[str, float, float]:
        """(pdfminer's text, advance width, the part of the width, in thousandths of
        the size as written, that PDFium truncates, over 1000) of a text PDFium
        printed in this font."""
        found = self._glyphs.get(text)
        if found is None:
            printed, width = self.width(text)
            thousandths = round(width * 1000.0, 6)
            fraction = (thousandths - math.trunc(thousandths)) / 1000.0
            found = self._glyphs[text] = (printed, width, fraction)
        return found

    def _width(self, text: str) -> tuple[str, float]:
        results = [(font, font.lookup(text)) for font in self.fonts]
        results = [(font, found) for font, found in results if found is not None]
        if not results:
            raise Declined(f"font {self.fontname}: no code prints {text!r}")
        if any(found != results[0][1] for _, found in results):
            raise Declined(f"fonts named {self.fontname} print {text!r} differently")
        if len(results) < len(self.fonts):
            self.fonts = [font for font, _ in results]
            self._agree()
        printed, width, sure = results[0][1]
        if not sure:
            # pdfminer places the characters after this one by its own width: it must
            # be the width PDFium placed them by.
            theirs = ctypes.c_float()
            if len(text) != 1 or not _glyph_width(
                self.handle, ord(text), 1.0, ctypes.byref(theirs)
            ):
                raise Declined(f"font {self.fontname}: no width of {text!r} to check")
            if abs(theirs.value - width) > 5e-4:
                raise Declined(
                    f"font {self.fontname}: {text!r} is {width} wide, not {theirs.value}"
                )
        return printed, width


def _program(spec: dict) -> PDFStream | None:
    """The embedded font program of a font resource, if any."""
    try:
        if literal_name(resolve1(spec.get("Subtype"))) == "Type0":
            spec = dict_value(list_value(spec.get("DescendantFonts"))[0])
        descriptor = dict_value(spec.get("FontDescriptor"))
    except Exception:
        return None
    for key in ("FontFile", "FontFile2", "FontFile3"):
        stream = resolve1(descriptor.get(key))
        if isinstance(stream, PDFStream):
            return stream
    return None


def _digest(data: bytes) -> tuple[int, bytes]:
    return len(data), hashlib.blake2b(data, digest_size=16).digest()


def _width_truncation_shift(objs: list, inc: np.ndarray) -> np.ndarray:
    """PDFium advances by a font's widths as integers (a width of 864.6 thousandths of
    the size advances by 864), pdfminer by the widths as written: within a text
    object, pdfminer's characters drift right of PDFium's by the fractions. `inc` is
    each character's fraction (user space), `objs` its text object, in PDFium's order;
    returns the drift (user space, along the text) that puts each where pdfminer does:
    the sum of the fractions before it in its object, added in order as pdfminer does."""
    drift = np.zeros(len(objs))
    if not inc.any():
        return drift
    busy = {objs[k] for k in np.flatnonzero(inc).tolist()}
    obj, total = None, 0.0
    for k, (here, step) in enumerate(zip(objs, inc.tolist())):
        if here != obj:
            obj, total = here, 0.0
        if here not in busy:
            continue
        drift[k] = total
        if step:
            total += step
    return drift


class _ObjectReading:
    """(font, font size, 2x2 matrix in pdfminer's device space, upright) of a page's
    text objects, each read at one of its characters (the matrix is the object's, forms
    included). PDFium's font, size and matrix are read into the same buffers each time,
    and what they give is computed once per distinct (font, size, matrix without its
    translation: the part that counts), compared bit for bit."""

    __slots__ = ("size", "matrix", "_psize", "_pmatrix", "_at_size", "_at_matrix", "_seen")

    def __init__(self) -> None:
        self.size = ctypes.c_float()
        self.matrix = pdfium_c.FS_MATRIX()
        self._psize = ctypes.byref(self.size)
        self._pmatrix = ctypes.byref(self.matrix)
        self._at_size = ctypes.addressof(self.size)
        self._at_matrix = ctypes.addressof(self.matrix)
        self._seen: dict[tuple, tuple] = {}

    def of(self, page: FastPage, obj: int, text_page: int, i: int) -> tuple:
        if not _font_size(obj, self._psize):
            self.size.value = 0.0  # as a fresh buffer PDFium did not write
        if not _char_matrix(text_page, i, self._pmatrix):
            ctypes.memset(self._at_matrix, 0, ctypes.sizeof(self.matrix))
        handle = _object_font(obj)
        key = (
            handle,
            ctypes.string_at(self._at_size, 4),
            ctypes.string_at(self._at_matrix, 16),  # a, b, c, d (float32 each)
        )
        found = self._seen.get(key)
        if found is None:
            a, b, c, d, _, _ = _mult(_matrix(self.matrix), page._ctm)
            font = page._font(handle)
            upright = a * d > 0 and b * c <= 0
            found = self._seen[key] = (font, _short(self.size.value), (a, b, c, d), upright)
        return found


# --- the document -----------------------------------------------------------------------


class FastDocument:
    """One PDF open in PDFium beside its pdfplumber `PDF` (which gives the page boxes
    and the font resources, and parses the pages the fast path declines)."""

    def __init__(self, pdf, source) -> None:
        self.pdf = pdf
        self.doc = pdfium.PdfDocument(source)
        if len(self.doc) != len(pdf.pages):
            n = len(self.doc)
            self.doc.close()
            raise Declined(f"PDFium sees {n} pages, pdfplumber {len(pdf.pages)}")
        self._fonts: dict[Any, _Font] = {}  # font resource (objid or id) -> _Font
        self._programs: dict[int, tuple[int, bytes] | None] = {}
        self.declined: dict[int, str] = {}  # page number -> why the fast path declined

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> FastDocument:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def page(self, page) -> FastPage:
        """The FastPage of a pdfplumber page of this document; raises `Declined`."""
        try:
            return FastPage(self, page)
        except Declined as exc:
            self.declined[page.page_number] = str(exc)
            raise

    # Font resources of a page, its forms included, as pdfminer builds them.
    def page_fonts(self, resources, depth: int = 0, seen: set | None = None) -> list[_Font]:
        seen = set() if seen is None else seen
        resources = resolve1(resources)
        if not isinstance(resources, dict):
            return []
        fonts: list[_Font] = []
        for spec in (resolve1(resources.get("Font")) or {}).values():
            key = spec.objid if isinstance(spec, PDFObjRef) else id(spec)
            font = self._fonts.get(key)
            if font is None:
                objid = spec.objid if isinstance(spec, PDFObjRef) else None
                spec = dict_value(spec)
                font = _Font(spec, self.pdf.rsrcmgr.get_font(objid, spec))
                self._fonts[key] = font
            fonts.append(font)
        if depth < 8:
            for xobj in (resolve1(resources.get("XObject")) or {}).values():
                objid = xobj.objid if isinstance(xobj, PDFObjRef) else id(xobj)
                stream = resolve1(xobj)
                if objid in seen or not isinstance(stream, PDFStream):
                    continue
                seen.add(objid)
                if literal_name(resolve1(stream.get("Subtype"))) == "Form":
                    inner = stream.get("Resources")
                    if inner is not None:
                        fonts.extend(self.page_fonts(inner, depth + 1, seen))
        return fonts

    def program_digest(self, font: _Font) -> tuple[int, bytes] | None:
        key = id(font)
        if key not in self._programs:
            stream = font.program
            self._programs[key] = None if stream is None else _digest(stream.get_data())
        return self._programs[key]


# --- the page ---------------------------------------------------------------------------


class FastPage:
    """A pdfplumber page (the parts pdfplumber's word extractor and table finder read,
    and what this project reads) built from PDFium."""

    def __init__(self, document: FastDocument, page) -> None:
        self.root_page = page
        self.pdf = page.pdf
        self.page_number = page.page_number
        self.initial_doctop = page.initial_doctop
        self.rotation = page.rotation
        self.mediabox = page.mediabox
        self.cropbox = page.cropbox
        self.bbox = page.bbox
        self.width = page.width
        self.height = page.height
        self._document = document
        # pdfminer's device matrix (MediaBox origin and /Rotate), then pdfplumber's flip.
        x0, y0, x1, y1 = page.page_obj.mediabox
        rotate = page.page_obj.rotate
        if rotate == 90:
            self._ctm: Matrix = (0, -1, 1, 0, -y0, x1)
        elif rotate == 180:
            self._ctm = (-1, 0, 0, -1, x1, y1)
        elif rotate == 270:
            self._ctm = (0, 1, -1, 0, y1, -x0)
        else:
            self._ctm = (1, 0, 0, 1, -x0, -y0)
        self._dx = float(self.mediabox[0])
        self._flip = float(self.height) + float(self.mediabox[1])  # top = flip - y
        self._doctop = float(self.initial_doctop)
        self._edges: list[Obj] | None = None
        self._chars_dicts: list[Obj] | None = None
        self._char_extra: dict[str, Any] = {}
        handle = document.doc[page.page_number - 1]
        try:
            text_page = handle.get_textpage()
            try:
                self._fonts = document.page_fonts(page.page_obj.resources)
                self._font_of: dict[int, _Choice] = {}
                objects: dict[str, list[Obj]] = {"line": [], "rect": [], "curve": [], "image": []}
                order: dict[int, int] = {}  # text object -> its place in the content stream
                page_handle = _handle(handle.raw)
                top_level = [
                    _get_object(page_handle, i) for i in range(_count_objects(page_handle))
                ]
                self._walk(top_level, IDENTITY, objects, order)
                self.columns = self._read_chars(_handle(text_page.raw), order)
            finally:
                text_page.close()
        finally:
            handle.close()
        self.lines = objects["line"]
        self.rects = objects["rect"]
        self.curves = objects["curve"]
        self.images = objects["image"]
        self._objects = objects

    @property
    def objects(self) -> dict[str, list[Obj]]:
        return {k: v for k, v in (("char", self.chars), *self._objects.items()) if v}

    # -- characters --------------------------------------------------------------------

    def _font(self, font_handle: int) -> _Choice:
        """The font resource(s) behind a PDFium font."""
        choice = self._font_of.get(font_handle)
        if choice is not None:
            return choice
        size = _base_font_name(font_handle, None, 0)
        buffer = ctypes.create_string_buffer(max(size, 1))
        _base_font_name(font_handle, buffer, size)
        name = _strip_subset(buffer.value.decode("utf-8", "replace"))
        candidates = list({id(f): f for f in self._fonts if f.name == name}.values())
        if len(candidates) > 1 and _font_embedded(font_handle):
            length = ctypes.c_size_t()
            _font_data(font_handle, None, 0, ctypes.byref(length))
            data = ctypes.create_string_buffer(length.value)
            _font_data(font_handle, data, length.value, ctypes.byref(length))
            program = _digest(data.raw[: length.value])
            same = [f for f in candidates if self._document.program_digest(f) == program]
            candidates = same or candidates
        if not candidates:
            raise Declined(f"no font resource for PDFium font {name!r}")
        choice = self._font_of[font_handle] = _Choice(font_handle, candidates)
        return choice

    def _read_chars(self, text_page: int, order: dict[int, int]) -> CharColumns:
        """pdfminer's characters, in content-stream order, from PDFium's text page.

        PDFium's text page differs from pdfminer's characters in ways undone here: it
        adds spaces and line breaks (dropped; one it adds inside a text object in front
        of a real space replaces that space, which is put back), prints a hyphen ending
        a line as U+0002, splits a ligature into characters at one origin (joined), and
        orders the text objects of a line by position (put back in stream order)."""
        n = _count_chars(text_page)
        # PDFium's characters; those of no text object are what it added between
        # objects (a space or line break): only the gap they leave is kept.
        handles = list(map(_text_object, repeat(text_page, n), range(n)))
        index = list(compress(range(n), handles))  # no object: None (a handle is never 0)
        m = len(index)
        codes = list(map(_unicode, repeat(text_page, m), index))
        origins = (ctypes.c_double * (2 * m))()
        base = ctypes.addressof(origins)
        if not all(
            map(
                _origin_at,
                repeat(text_page, m),
                index,
                range(base, base + 16 * m, 16),
                range(base + 8, base + 16 * m + 8, 16),
            )
        ):
            raise Declined("a character without an origin")
        xy = np.frombuffer(origins, dtype=np.float64)
        # 1: a space PDFium generated inside a text object; 2: a hyphen ending a line.
        code_a = np.array(codes, dtype=np.int64)
        flag = np.zeros(m, dtype=np.int8)
        index_a = np.array(index, dtype=np.int64)
        for code, ask, value in ((32, _is_generated, 1), (2, _is_hyphen, 2)):
            at = np.flatnonzero(code_a == code)
            if len(at):
                said = list(map(ask, repeat(text_page, len(at)), index_a[at].tolist()))
                flag[at[np.array(said, dtype=bool)]] = value
        objs = list(filter(None, handles))
        # The text object of each character: read once, where it is first met.
        obj_ids = np.array(objs, dtype=np.uint64)
        _, met, of_char = np.unique(obj_ids, return_index=True, return_inverse=True)
        # Each character's object as its place among the objects in the order first met.
        rank = np.empty(len(met), dtype=np.intp)
        rank[np.argsort(met, kind="stable")] = np.arange(len(met))
        slots = rank[of_char.reshape(-1)]
        objects: dict[int, tuple] = {}
        reading = _ObjectReading()
        for k in np.sort(met).tolist():
            obj = objs[k]
            if obj not in order:
                raise Declined("a text object outside the page's objects")
            objects[obj] = reading.of(self, obj, text_page, index[k])
        if set(order) - set(objects):
            raise Declined("a text object PDFium left out of its text page")
        pending = flag == 1
        rtl = (
            ((code_a >= 0x590) & (code_a <= 0x8FF))
            | ((code_a >= 0xFB1D) & (code_a <= 0xFDFF))
            | ((code_a >= 0xFE70) & (code_a <= 0xFEFF))
        )
        if (rtl & ~pending).any():
            raise Declined("right-to-left text")
        # Each character against the next one PDFium gives (none across a gap it added):
        # same object, same origin.
        x_a, y_a = xy[0::2].copy(), xy[1::2].copy()
        same_next = np.zeros(m, dtype=bool)
        if m > 1:
            same_next[:-1] = (
                (np.diff(index_a) == 1)
                & (obj_ids[1:] == obj_ids[:-1])
                & (x_a[1:] == x_a[:-1])
                & (y_a[1:] == y_a[:-1])
            )
        # A generated space stands for a real space PDFium dropped after it (put back)
        # unless the next character is that space: plain, at the same origin.
        next_plain = np.zeros(m, dtype=bool)
        next_plain[:-1] = flag[1:] == 0
        put_back = pending & ~(same_next & next_plain)
        # A character at the origin of the one before it in the same object is the
        # next piece of a ligature (one code printed as several characters): joined.
        # After a generated space, only a put-back space takes a piece (a hyphen).
        join = np.zeros(m, dtype=bool)
        join[1:] = same_next[:-1] & (~pending[:-1] | (flag[1:] == 2)) & ~pending[1:]
        starts = put_back | (~pending & ~join)
        # One character of pdfminer's per start: its text, object, origin.
        first = np.flatnonzero(starts)
        chosen = first.tolist()
        single = code_a[first]  # each one's code while its text is that one character
        texts = list(map(chr, single.tolist()))
        for j in np.flatnonzero(pending[first] | (flag[first] == 2)).tolist():
            k = chosen[j]
            texts[j] = " " if pending[k] else self._hyphen(objects[objs[k]][0])
            single[j] = ord(texts[j])
        for k in np.flatnonzero(join).tolist():  # ligature pieces, onto the one before
            j = int(np.searchsorted(first, k)) - 1
            texts[j] += self._hyphen(objects[objs[k]][0]) if flag[k] == 2 else chr(codes[k])
            single[j] = -1
        return self._chars(
            slots[first],
            single,
            texts,
            x_a[first],
            y_a[first],
            index_a[first],
            objects,
            order,
        )

    @staticmethod
    def _hyphen(font: _Choice) -> str:
        """The hyphen PDFium printed as U+0002: '-' or a soft hyphen, whichever the font
        has (both: it cannot tell)."""
        found = [h for h in ("-", "\u00ad") if any(f.lookup(h) for f in font.fonts)]
        if len(found) != 1:
            raise Declined(f"font {font.fontname}: a line-end hyphen of unknown code")
        return found[0]

    def _chars(
        self,
        k: np.ndarray,
        single: np.ndarray,
        raws: list[str],
        xs: np.ndarray,
        ys: np.ndarray,
        char_index: np.ndarray,
        objects: dict[int, tuple],
        order: dict[int, int],
    ) -> CharColumns:
        """pdfminer's char (LTChar) of each character PDFium printed (its text object as
        its place in `objects`, the code of its printed text where that is one character
        (else -1), printed text, origin and index, in PDFium's order), in pdfplumber's
        coordinates and content-stream order, as columns: pdfminer's arithmetic element
        by element."""
        ca, cb, cc, cd, ce, cf = self._ctm
        f64 = np.float64
        n = len(raws)
        # What a text object gives all its characters, once per object.
        infos = list(objects.values())
        fonts = [info[0] for info in infos]
        # Each (font, text) pair's glyph, looked up once, the pairs in the order first
        # met (so a font's candidates narrow as they would text by text).
        font_ids: dict[int, int] = {}
        font_of = np.array([font_ids.setdefault(id(f), len(font_ids)) for f in fonts], np.int64)
        key = np.where(single >= 0, font_of[k] * 0x110000 + single, -1 - np.arange(n))
        _, met, pair = np.unique(key, return_index=True, return_inverse=True)
        pair = pair.reshape(-1)
        found: list[tuple[str, float, float]] = [("", 0.0, 0.0)] * len(met)
        k_list = k.tolist()
        for u in np.argsort(met, kind="stable").tolist():
            at = int(met[u])
            found[u] = fonts[k_list[at]].glyph(raws[at])
        sizes = np.array([info[1] for info in infos], f64)[k]
        ma, mb, mc, md = (np.array([info[2][j] for info in infos], f64)[k] for j in range(4))
        fractions = np.array([g[2] for g in found], f64)[pair]
        inc = fractions * sizes
        drift = _width_truncation_shift(k_list, inc) if inc.any() else np.zeros(n)
        # Content-stream order (PDFium's within an object kept).
        stream = np.array([order[obj] for obj in objects], dtype=np.int64)[k]
        perm = np.lexsort((char_index, stream))
        if (perm != np.arange(n)).any():
            pair, k, sizes, drift = pair[perm], k[perm], sizes[perm], drift[perm]
            ma, mb, mc, md = ma[perm], mb[perm], mc[perm], md[perm]
            xs, ys = xs[perm], ys[perm]
        printed = [g[0] for g in found]
        texts = list(map(printed.__getitem__, pair.tolist()))
        names = [font.fontname for font in fonts]
        fontnames = list(map(names.__getitem__, k.tolist()))
        name_code: dict[str, int] = {}
        font_code = np.array([name_code.setdefault(v, len(name_code)) for v in names], np.int64)
        advs = np.array([g[1] for g in found], f64)[pair]
        descents = np.array([font.descent for font in fonts], f64)[k]
        uprights = np.array([info[3] for info in infos], dtype=bool)[k]
        xs, ys = _round4(xs), _round4(ys)
        shifted = drift != 0
        if shifted.any():
            xs[shifted] += drift[shifted] * ma[shifted]
            ys[shifted] += drift[shifted] * mb[shifted]
        x, y = xs, ys
        if (ca, cb, cc, cd) == (1, 0, 0, 1):
            ox, oy = x + ce, y + cf
        else:
            ox, oy = ca * x + cc * y + ce, cb * x + cd * y + cf
        fontsize = sizes
        a, b, c, d = ma, mb, mc, md
        adv = advs * fontsize
        low = descents * fontsize
        high = low + fontsize
        # Unrotated, unskewed text: two corners; otherwise the four corners' extremes.
        plain = (b == 0) & (c == 0)
        px0, px1 = ox, ox + a * adv
        py0, py1 = oy + d * low, oy + d * high
        cx = (ox + c * low, ox + a * adv + c * low, ox + a * adv + c * high, ox + c * high)
        cy = (oy + d * low, oy + b * adv + d * low, oy + b * adv + d * high, oy + d * high)
        x0 = np.where(plain, np.minimum(px0, px1), np.minimum.reduce(cx))
        x1 = np.where(plain, np.maximum(px0, px1), np.maximum.reduce(cx))
        y0 = np.where(plain, np.minimum(py0, py1), np.minimum.reduce(cy))
        y1 = np.where(plain, np.maximum(py0, py1), np.maximum.reduce(cy))
        top = self._flip - y1
        self._char_extra = {
            "adv": adv,
            "matrix": (a, b, c, d, ox, oy),
            "y0": y0,
            "y1": y1,
            "width": x1 - x0,
        }
        return CharColumns(
            text=texts,
            fontname=fontnames,
            x0=x0 + self._dx,
            x1=x1 + self._dx,
            top=top,
            bottom=self._flip - y0,
            doctop=self._doctop + top,
            size=y1 - y0,
            upright=uprights,
            font_code=font_code[k],
        )

    @property
    def chars(self) -> list[Obj]:
        """pdfplumber's character dicts, built when first asked for (words and tables
        are read from the columns)."""
        if self._chars_dicts is None:
            cols, extra = self.columns, self._char_extra
            if not len(cols):
                self._chars_dicts = []
                return self._chars_dicts
            a, b, c, d, ox, oy = (v.tolist() for v in extra["matrix"])
            number = self.page_number
            size = cols.size.tolist()
            self._chars_dicts = [
                {
                    "object_type": "char",
                    "page_number": number,
                    "text": text,
                    "fontname": fontname,
                    "size": sz,
                    "adv": adv,
                    "upright": upright,
                    "matrix": (ma, mb, mc, md, mx, my),
                    "x0": x0,
                    "x1": x1,
                    "y0": y0,
                    "y1": y1,
                    "width": width,
                    "height": sz,
                    "top": top,
                    "bottom": bottom,
                    "doctop": doctop,
                }
                for (
                    text,
                    fontname,
                    sz,
                    adv,
                    upright,
                    ma,
                    mb,
                    mc,
                    md,
                    mx,
                    my,
                    x0,
                    x1,
                    y0,
                    y1,
                    width,
                    top,
                    bottom,
                    doctop,
                ) in zip(
                    cols.text,
                    cols.fontname,
                    size,
                    extra["adv"].tolist(),
                    cols.upright.tolist(),
                    a,
                    b,
                    c,
                    d,
                    ox,
                    oy,
                    cols.x0.tolist(),
                    cols.x1.tolist(),
                    extra["y0"].tolist(),
                    extra["y1"].tolist(),
                    extra["width"].tolist(),
                    cols.top.tolist(),
                    cols.bottom.tolist(),
                    cols.doctop.tolist(),
                )
            ]
        return self._chars_dicts

    # -- graphics ----------------------------------------------------------------------

    def _walk(self, handles, parent: Matrix, objects, order: dict[int, int]) -> None:
        """The page's objects in content-stream order, forms entered where drawn: text
        objects numbered, paths and images as pdfplumber's objects."""
        fs_matrix = pdfium_c.FS_MATRIX()
        for obj in handles:
            kind = _object_type(obj)
            if kind == _TEXT:
                order[obj] = len(order)
                continue
            if kind not in (_PATH, _IMAGE, _FORM):
                continue
            _object_matrix(obj, ctypes.byref(fs_matrix))
            m = _mult(_matrix(fs_matrix), parent)
            if kind == _FORM:
                inner = [_form_object(obj, i) for i in range(_form_count(obj))]
                self._walk(inner, m, objects, order)
            elif kind == _IMAGE:
                box = _mult(m, self._ctm)
                pts = [_apply(box, px, py) for px, py in ((0, 0), (1, 0), (0, 1), (1, 1))]
                xs, ys = [p[0] for p in pts], [p[1] for p in pts]
                objects["image"].append(self._boxed("image", (min(xs), min(ys), max(xs), max(ys))))
            else:
                self._path(obj, _mult(m, self._ctm), objects)

    def _boxed(self, kind: str, bbox) -> Obj:
        """An object dict for a box (x0, y0, x1, y1) in pdfminer's device space."""
        x0, y0, x1, y1 = bbox
        top = self._flip - y1
        return {
            "object_type": kind,
            "page_number": self.page_number,
            "x0": x0 + self._dx,
            "y0": y0,
            "x1": x1 + self._dx,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "top": top,
            "bottom": self._flip - y0,
            "doctop": self._doctop + top,
        }

    def _path(self, obj: int, m: Matrix, objects) -> None:
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        _draw_mode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        if not fill.value and not stroke.value:
            return  # a clipping path only: pdfminer draws nothing
        colour = None
        if fill.value:
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            if _fill_color(obj, *(ctypes.byref(v) for v in (r, g, b, a))):
                colour = (r.value / 255, g.value / 255, b.value / 255)
        px, py = ctypes.c_float(), ctypes.c_float()
        path: list[tuple[str, tuple[float, float]]] = []
        start = None
        bezier = 0
        for i in range(_count_segments(obj)):
            segment = _get_segment(obj, i)
            kind = _segment_type(segment)
            _segment_point(segment, ctypes.byref(px), ctypes.byref(py))
            point = _apply(m, _short(px.value), _short(py.value))
            if kind == _MOVETO:
                path.append(("m", point))
                start = point
                bezier = 0
            elif kind == _LINETO:
                if _segment_close(segment) and point == start and path and path[-1][0] != "m":
                    path.append(("h", point))  # pdfminer's closing "h" (or "l" to start, "h")
                    continue
                path.append(("l", point))
            elif kind == _BEZIERTO:
                bezier += 1
                if bezier % 3:
                    continue  # control points: pdfminer keeps a curve's end points only
                path.append(("c", point))
            else:
                raise Declined("a path segment of unknown type")
            if _segment_close(segment) and start is not None:
                path.append(("h", start))
        if not path:
            return
        if path[0][0] != "m":
            raise Declined("a path not starting with a move")
        subpath: list[tuple[str, tuple[float, float]]] = []
        for op in path + [("m", (0.0, 0.0))]:
            if op[0] == "m" and subpath:
                if len(subpath) > 1:
                    self._paint(subpath, bool(stroke.value), bool(fill.value), objects, colour)
                subpath = []
            subpath.append(op)

    def _paint(self, path, stroke: bool, fill: bool, objects, colour=None) -> None:
        """pdfminer's `paint_path` for one subpath: a line, a rect or a curve."""
        shape = "".join(op for op, _ in path)
        pts = [p for _, p in path]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        if shape in ("mlh", "ml"):
            kind, pts = "line", pts[:2]
        elif shape in ("mlllh", "mllll"):
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            closed = pts[0] == pts[4]
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if closed and square:
                kind = "rect"
                (ax, ay), (bx, by) = pts[0], pts[2]
                pts = [(ax, ay), (bx, ay), (bx, by), (ax, by)]
            else:
                kind = "curve"
        else:
            kind = "curve"
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        item = self._boxed(kind, (min(xs), min(ys), max(xs), max(ys)))
        item["pts"] = [(px + self._dx, self._flip - py) for px, py in pts]
        item["stroke"] = stroke
        item["fill"] = fill
        item["non_stroking_color"] = colour  # RGB 0..1 (pdfplumber keeps the PDF's space)
        objects[kind].append(item)

    # -- pdfplumber's API on these objects ---------------------------------------------

    @property
    def edges(self) -> list[Obj]:
        if self._edges is None:
            lines = [utils.line_to_edge(line) for line in self.lines]
            rects = [e for rect in self.rects for e in utils.rect_to_edges(rect)]
            curves = [e for curve in self.curves for e in utils.curve_to_edges(curve)]
            self._edges = lines + rects + curves
        return self._edges

    @property
    def horizontal_edges(self) -> list[Obj]:
        return [e for e in self.edges if e["orientation"] == "h"]

    @property
    def vertical_edges(self) -> list[Obj]:
        return [e for e in self.edges if e["orientation"] == "v"]

    def extract_words(self, **kwargs: Any) -> list[Obj]:
        """pdfplumber's words (grouped from the columns by `extract.words`, or by
        pdfplumber itself for settings that module leaves to it). Declined where two
        characters of a line stand apart by the word gap (`x_tolerance`) give or take
        float32's precision: whether they make one word or two, only pdfminer's own
        arithmetic tells."""
        tolerance = kwargs.get("x_tolerance", DEFAULT_X_TOLERANCE)
        cols = self.columns
        if kwargs.get("x_tolerance_ratio") is None and len(cols) > 1:
            # Each character against the one before it in stream order.
            near = (
                cols.upright[1:]
                & (cols.top[1:] == cols.top[:-1])
                & (np.abs(cols.x0[1:] - cols.x1[:-1] - tolerance) < GAP_PRECISION)
            )
            if near.any():
                raise Declined(f"a gap of {tolerance} pt between characters, give or take")
        words = fast_words(cols, **kwargs)
        return utils.extract_words(self.chars, **kwargs) if words is None else words

    def find_tables(self, table_settings=None) -> list[Table]:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables

    def extract_tables(self, table_settings=None) -> list[list[list[str | None]]]:
        settings = TableSettings.resolve(table_settings)
        tables = self.find_tables(settings)
        return [table.extract(**(settings.text_settings or {})) for table in tables]

    def close(self) -> None:
        """pdfplumber's page has caches to drop; this one holds plain lists."""


def open_document(pdf, source, parser: str | None = None) -> FastDocument | None:
    """PDFium's reading of the document pdfplumber has open as `pdf` (from the file
    `source`); None when pdfplumber is to parse every page (`parser` or
    `$DHRPLANS_PARSER` is "pdfplumber") or PDFium cannot read the file."""
    if parser_name(parser) == "pdfplumber":
        return None
    try:
        return FastDocument(pdf, source)
    except Exception:  # PDFium cannot open it, or sees other pages: pdfplumber alone
        return None


def parse(fast: FastDocument | None, page, parse_page: Callable[..., T], *args) -> T:
    """`parse_page(FastPage, *args)`, or `parse_page(page, *args)` on the pdfplumber
    page itself where the fast path declines it or fails on it."""
    if fast is not None:
        try:
            return parse_page(fast.page(page), *args)
        except Declined:
            pass  # recorded in fast.declined
        except (MemoryError, RecursionError):
            raise
        except Exception as exc:
            fast.declined[page.page_number] = f"failed: {type(exc).__name__}: {exc}"
    return parse_page(page, *args)

"""Bad and hostile inputs for `dhrplans run`, each with the outcome it must get.

    python tests/make_bad_inputs.py FOLDER

writes one file per kind into FOLDER and prints the expected outcomes. Everything is
built with pikepdf or by byte surgery on the sample plan (no other PDF library), and
in a second or two: the 2,000-page document shares one font and has a few words a page.

`make_bad_inputs(folder)` returns {file name: Expected}. An Expected says whether the
document must fail (`error` is a phrase its one-line error must contain), or be read
(`status` ok, with `warning` a phrase one of its warnings must contain and
`actions` the number of actions, or None for "any").
"""

from __future__ import annotations

import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

TESTS = Path(__file__).parent
PLAN = TESTS / "corpus" / "bdhr-2012-13-04.pdf"  # 22 pages, 87 actions
PLAN_ACTIONS = 87
SMALL_PLAN = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"  # 2 pages
SMALL_PLAN_ACTIONS = 22
MANY_PAGES = 2000


@dataclass(frozen=True)
class Expected:
    status: str  # "ok" | "failed"
    error: str | None = None  # phrase of the one-line error (failed)
    warning: str | None = None  # phrase of one document warning (ok)
    actions: int | None = None  # number of actions (ok), None: any
    kind: str = ""


def _font(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.make_indirect(
        Dictionary(
            Type=Name.Font,
            Subtype=Name.Type1,
            BaseFont=Name.Helvetica,
            Encoding=Name.WinAnsiEncoding,
        )
    )


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _text_page(pdf: pikepdf.Pdf, font: pikepdf.Object, lines: list[str]) -> None:
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 770 Td"]
    ops += [f"({_escape(line)}) Tj T*" for line in lines]
    ops.append("ET")
    page = Dictionary(
        Type=Name.Page,
        MediaBox=[0, 0, 595, 842],
        Resources=Dictionary(Font=Dictionary(F1=font)),
        Contents=pdf.make_stream("\n".join(ops).encode("latin-1")),
    )
    pdf.pages.append(pikepdf.Page(page))


NARRATIVE = [
    "Domestic Homicide Review: overview report",
    "This page is narrative text only. The review panel met six times and",
    "heard from every agency that had contact with the victim and the perpetrator.",
]


def no_tables(path: Path) -> None:
    """A readable text-only document: no table at all."""
    with pikepdf.new() as pdf:
        font = _font(pdf)
        _text_page(pdf, font, NARRATIVE)
        _text_page(pdf, font, ["Chapter 2", *NARRATIVE[1:]])
        pdf.save(path)


def zero_pages(path: Path) -> None:
    with pikepdf.new() as pdf:
        pdf.save(path)


def image_only(path: Path) -> None:
    """A scanned page: an image XObject and nothing else."""
    width = height = 64
    pixels = bytes((x * 4 + y * 2) % 256 for y in range(height) for x in range(width))
    with pikepdf.new() as pdf:
        image = pdf.make_stream(
            zlib.compress(pixels),
            Type=Name.XObject,
            Subtype=Name.Image,
            Width=width,
            Height=height,
            ColorSpace=Name.DeviceGray,
            BitsPerComponent=8,
            Filter=Name.FlateDecode,
        )
        for _ in range(2):
            page = Dictionary(
                Type=Name.Page,
                MediaBox=[0, 0, 595, 842],
                Resources=Dictionary(XObject=Dictionary(Im0=image)),
                Contents=pdf.make_stream(b"q 451 0 0 698 72 72 cm /Im0 Do Q"),
            )
            pdf.pages.append(pikepdf.Page(page))
        pdf.save(path)


def many_pages(path: Path, n: int = MANY_PAGES) -> None:
    """Thousands of pages, a little text on each (one shared font)."""
    with pikepdf.new() as pdf:
        font = _font(pdf)
        for i in range(1, n + 1):
            _text_page(pdf, font, [f"Appendix page {i}", "Intentionally left nearly blank."])
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.generate)


def encrypted(path: Path, user: str, owner: str, source: Path = SMALL_PLAN) -> None:
    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner=owner, user=user, R=6))


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"1" + b"]" * depth


def _hand_pdf(objects: list[bytes]) -> bytes:
    """A PDF written byte by byte: objects numbered from 1, object 1 the catalog."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (
        len(objects) + 1,
        len(objects),
    )
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def deeply_nested(path: Path, depth: int = 20000) -> None:
    """Arrays nested 20,000 deep in the page, its resources and the document info."""
    content = b"BT /F1 11 Tf 72 770 Td (Nested objects test page) Tj ET"
    nested = _nested(depth)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> /Deep " + nested + b" >> /Deep " + nested + b" >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Nested) /Deep " + nested + b" >>",
    ]
    path.write_bytes(_hand_pdf(objects))


def broken_xref(path: Path, source: Path = SMALL_PLAN) -> None:
    """A plan with every offset in its cross-reference table wrong and startxref off."""
    data = source.read_bytes()
    start = data.rindex(b"\nxref")
    table = data[start:]

    def shift(match: re.Match) -> bytes:
        return b"%010d %s n" % (int(match.group(1)) + 17, match.group(2))

    table = re.sub(rb"(\d{10}) (\d{5}) n", shift, table)
    table = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % (start - 40), table)
    path.write_bytes(data[:start] + table)


def truncated(path: Path, source: Path = PLAN) -> None:
    """The first 45% of the plan: no cross-reference table, no catalog."""
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.45)])


def corrupt(path: Path) -> None:
    """A PDF header, then bytes that are no PDF objects."""
    junk = bytes((i * 7919 + 13) % 251 for i in range(20000))
    path.write_bytes(b"%PDF-1.7\n" + junk.replace(b"obj", b"xbj") + b"\n%%EOF\n")


def make_bad_inputs(folder: str | Path) -> dict[str, Expected]:
    """Write every bad kind into folder; return {file name: expected outcome}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Expected] = {}

    def add(name: str, exp: Expected, make) -> None:
        make(folder / name)
        expected[name] = exp

    add("empty.pdf", Expected("failed", error="empty file", kind="empty file"), Path.touch)
    add(
        "not-a-pdf.pdf",
        Expected("failed", error="not a PDF", kind="non-PDF with a .pdf name"),
        lambda p: p.write_text("<html><body>Action plan: see attached</body></html>\n"),
    )
    add(
        "truncated.pdf",
        Expected("failed", error="truncated or corrupt PDF", kind="truncated PDF"),
        truncated,
    )
    add(
        "corrupt.pdf",
        Expected("failed", error="truncated or corrupt PDF", kind="corrupt PDF"),
        corrupt,
    )
    add(
        "broken-xref.pdf",
        Expected(
            "ok",
            warning="repaired broken cross-reference table with pikepdf",
            actions=SMALL_PLAN_ACTIONS,
            kind="broken cross-reference table",
        ),
        broken_xref,
    )
    add(
        "user-password.pdf",
        Expected("failed", error="encrypted", kind="user password needed"),
        lambda p: encrypted(p, user="secret", owner="owner-secret"),
    )
    add(
        "owner-password-only.pdf",
        Expected("ok", actions=SMALL_PLAN_ACTIONS, kind="owner password only"),
        lambda p: encrypted(p, user="", owner="owner-secret"),
    )
    add("zero-pages.pdf", Expected("failed", error="no pages", kind="zero pages"), zero_pages)
    add(
        "image-only.pdf",
        Expected("failed", error="no text layer: needs OCR", kind="image-only"),
        image_only,
    )
    add(
        "no-tables.pdf",
        Expected("ok", warning="no action-plan table found", actions=0, kind="no tables"),
        no_tables,
    )
    add(
        "many-pages.pdf",
        Expected(
            "ok",
            warning="no action-plan table found",
            actions=0,
            kind=f"{MANY_PAGES} pages",
        ),
        many_pages,
    )
    add(
        "deeply-nested.pdf",
        Expected("ok", actions=0, kind="deeply nested objects"),
        deeply_nested,
    )
    add(
        "plan with spaces – Ünïcødé ‘name’.pdf",
        Expected("ok", actions=SMALL_PLAN_ACTIONS, kind="spaces and non-ASCII in the file name"),
        lambda p: p.write_bytes(SMALL_PLAN.read_bytes()),
    )
    return expected


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/make_bad_inputs.py FOLDER", file=sys.stderr)
        return 2
    for name, exp in make_bad_inputs(argv[0]).items():
        outcome = exp.error or exp.warning or ""
        print(f"{exp.status:6} {name}: {exp.kind}" + (f" -> {outcome}" if outcome else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

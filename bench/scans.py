"""Benchmark of scanned plans: generated layouts printed to paper and scanned back.

    python bench/scans.py [--n 12] [--seed S] [--dpi 150,200,300] [--out data/interim/scans]
    python bench/scans.py --from tests/fixtures/generated --docs gen-000015,gen-000024 ...
    python bench/scans.py --fixture   # rewrite tests/fixtures/scanned-generated (the sample)

Renders N seeded plans as `bench/layouts.py` does (or takes the PDFs and gold of a folder
with `--from`), rasterises every page with pdfium at one of the `--dpi` values (in turn,
plan by plan), turns it by up to 2 degrees either way, adds light noise and writes
image-only PDFs (no text layer, no vector rules) named `<doc_id>--scan<dpi>.pdf`, so that
`dhrplans eval` pairs each with its gold. `--mixed K` keeps every second page of K plans
born-digital: one file with scanned and text pages. Then ``dhrplans run --no-cache`` and
the scores: action recall and precision, mean printed-text similarity (rapidfuzz ratio per
printed cell, `dhrplans.evaluation.ocr_score`), refs exact, normalised values, overall and
per dpi, and the OCR seconds per page from the run manifest. Not a test.

Every random draw comes from the seed, and img2pdf writes no date: the same arguments give
the same bytes.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

FIXTURE = ROOT / "tests" / "fixtures" / "scanned-generated"
#: The committed sample: (generated plan, dpi, pages kept born-digital). Chosen for a spread
#: of layouts on few pages: landscape and portrait; all rules, horizontal rules only and
#: none; 150, 200 and 300 dpi; one file of scanned and born-digital pages.
SAMPLE = [
    ("gen-000015", 150, ()),  # landscape, all rules, 1 page
    ("gen-000024", 200, ()),  # portrait, unruled, 1 page
    ("gen-000008", 300, ()),  # landscape, horizontal rules, 6.5 pt, 1 page
    ("gen-000018", 200, ()),  # landscape, all rules, RAG, 2 pages
    ("gen-000021", 150, ()),  # landscape, horizontal rules, 2 pages
    ("gen-000027", 300, ()),  # portrait, unruled, 6.5 pt, 1 page
    ("gen-000011", 200, (2,)),  # portrait, unruled: page 1 scanned, page 2 born-digital
]
SAMPLE_SOURCE = ROOT / "tests" / "fixtures" / "generated"
SAMPLE_SEED = 20261130
MAX_ANGLE = 2.0  # degrees, either way


def scan_page(page: pdfium.PdfPage, dpi: int, rng: np.random.Generator) -> bytes:
    """One page as an office scanner gives it: turned up to MAX_ANGLE degrees, a little
    blur, off-white paper, grey ink, noise and specks; greyscale JPEG or, one page in
    two, black and white (CCITT G4, noise before the threshold)."""
    image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    angle = float(rng.uniform(-MAX_ANGLE, MAX_ANGLE))
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    out = io.BytesIO()
    if rng.random() < 0.5:
        grey = np.asarray(image, dtype=np.float32) + rng.normal(0.0, 12.0, image.size[::-1])
        grey[rng.random(grey.shape) < 0.0001] = 0.0
        bits = Image.fromarray((grey > 150).astype(np.uint8) * 255).convert("1")
        bits.save(out, "TIFF", compression="group4", dpi=(dpi, dpi))
    else:
        image = image.filter(ImageFilter.GaussianBlur(0.5))
        grey = np.asarray(image, dtype=np.float32) * 0.88 + 20.0
        grey += rng.normal(0.0, 3.0, grey.shape)
        specks = rng.random(grey.shape) < 0.0001
        grey[specks] -= rng.uniform(60.0, 160.0, int(specks.sum()))
        Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).save(
            out, "JPEG", quality=60, dpi=(dpi, dpi)
        )
    return out.getvalue()


def scan_pdf(source: Path, dpi: int, seed: int, digital: tuple[int, ...] = ()) -> bytes:
    """The PDF `source` scanned at `dpi`; pages in `digital` (1-based) kept as they are."""
    rng = np.random.default_rng(seed)
    doc = pdfium.PdfDocument(str(source))
    try:
        n = len(doc)
        images = [scan_page(doc[i], dpi, rng) for i in range(n) if i + 1 not in digital]
    finally:
        doc.close()
    scanned = img2pdf.convert(images, nodate=True, engine=img2pdf.Engine.internal)
    if not digital:
        return scanned
    with pikepdf.open(source) as text, pikepdf.open(io.BytesIO(scanned)) as imgs:
        out = pikepdf.new()
        k = 0
        for i in range(n):
            if i + 1 in digital:
                out.pages.append(text.pages[i])
            else:
                out.pages.append(imgs.pages[k])
                k += 1
        buf = io.BytesIO()
        out.save(buf, deterministic_id=True)
    return buf.getvalue()


def scan_folder(
    pdfs: list[Path], gold_dir: Path, out: Path, dpis: list[int], seed: int, mixed: int = 0
) -> dict[str, int]:
    """Scan each PDF (dpi in turn) into out/pdf, copy its gold to out/gold; the first
    `mixed` plans of more than one page keep their even pages born-digital. Returns
    doc_id -> dpi."""
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    dpi_of: dict[str, int] = {}
    for i, pdf in enumerate(sorted(pdfs)):
        dpi = dpis[i % len(dpis)]
        digital: tuple[int, ...] = ()
        if mixed > 0:
            n = len(pdfium.PdfDocument(str(pdf)))
            if n > 1:
                digital = tuple(range(2, n + 1, 2))
                mixed -= 1
        name = f"{pdf.stem}--scan{dpi}" + ("-mixed" if digital else "")
        (out / "pdf" / f"{name}.pdf").write_bytes(scan_pdf(pdf, dpi, seed + i, digital))
        shutil.copy(gold_dir / f"{pdf.stem}.json", out / "gold" / f"{pdf.stem}.json")
        dpi_of[name] = dpi
    return dpi_of


def write_fixture() -> None:
    """The committed sample (SAMPLE) into tests/fixtures/scanned-generated."""
    for sub in ("pdf", "gold"):
        shutil.rmtree(FIXTURE / sub, ignore_errors=True)
        (FIXTURE / sub).mkdir(parents=True)
    for i, (doc_id, dpi, digital) in enumerate(SAMPLE):
        name = f"{doc_id}--scan{dpi}" + ("-mixed" if digital else "")
        data = scan_pdf(SAMPLE_SOURCE / "pdf" / f"{doc_id}.pdf", dpi, SAMPLE_SEED + i, digital)
        (FIXTURE / "pdf" / f"{name}.pdf").write_bytes(data)
        shutil.copy(SAMPLE_SOURCE / "gold" / f"{doc_id}.json", FIXTURE / "gold")
        print(f"{name}.pdf  {len(data) / 1024:.0f} KiB")


def score(gold_dir: Path, out_dir: Path) -> dict:
    """The scan figures of a run in `out_dir` against `gold_dir`, overall and per dpi
    (read from the `--scan<dpi>` in each file name)."""
    import pyarrow.parquet as pq

    from dhrplans.evaluation.compare import evaluate
    from dhrplans.evaluation.ocr_score import printed_similarity

    report = evaluate(gold_dir, out_dir)
    similarity = printed_similarity(gold_dir, out_dir)

    def figures(docs, cells) -> dict:
        gold = sum(d.n_gold for d in docs)
        pred = sum(d.n_predicted for d in docs)
        matched = sum(d.n_matched for d in docs)
        ratios = [c.ratio for c in cells]
        refs = [d.printed["ref"] for d in docs if "ref" in d.printed]
        ref_ok, ref_all = sum(c.correct for c in refs), sum(c.total for c in refs)
        norm = [d.normalised_total for d in docs]
        norm_ok, norm_all = sum(c.correct for c in norm), sum(c.total for c in norm)
        return {
            "docs": len(docs),
            "recall": matched / gold if gold else None,
            "precision": matched / pred if pred else None,
            "similarity": sum(ratios) / len(ratios) if ratios else None,
            "refs_exact": ref_ok / ref_all if ref_all else None,
            "normalised": norm_ok / norm_all if norm_all else None,
        }

    result = {"overall": figures(report.docs, similarity.cells)}
    by_dpi: dict[int, list] = defaultdict(list)
    for d in report.docs:
        found = re.search(r"--scan(\d+)", d.doc_id)
        if found:
            by_dpi[int(found.group(1))].append(d)
    if len(by_dpi) > 1:
        for dpi, docs in sorted(by_dpi.items()):
            names = {d.doc_id for d in docs}
            cells = [c for c in similarity.cells if c.doc_id in names]
            result[f"{dpi} dpi"] = figures(docs, cells)
    manifest = out_dir / "run-manifest.json"
    if manifest.is_file():
        result["ocr"] = json.loads(manifest.read_text()).get("ocr")
    docs_table = pq.read_table(out_dir / "documents.parquet").to_pylist()
    result["pages"] = sum(d["pages"] or 0 for d in docs_table)
    return result


def show(figures: dict) -> None:
    def pct(x) -> str:
        return "   -  " if x is None else f"{100 * x:5.1f}%"

    heads = ("recall", "prec.", "simil.", "refs", "norm.")
    print(f"{'':10s} {'docs':>4s} " + " ".join(f"{h:>7s}" for h in heads))
    for key, f in figures.items():
        if not isinstance(f, dict) or "recall" not in f:
            continue
        print(
            f"{key:10s} {f['docs']:4d} {pct(f['recall'])} {pct(f['precision'])} "
            f"{pct(f['similarity'])} {pct(f['refs_exact'])} {pct(f['normalised'])}"
        )
    if figures.get("ocr"):
        print("OCR:", json.dumps(figures["ocr"]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--seed", type=int, default=None, help="default: from the clock")
    ap.add_argument("--dpi", default="150,200,300", help="comma-separated, used in turn")
    ap.add_argument("--mixed", type=int, default=1, help="plans with born-digital even pages")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "interim" / "scans")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--soffice", default=None)
    ap.add_argument("--from", dest="source", type=Path, help="a folder with pdf/ and gold/")
    ap.add_argument("--docs", default="", help="with --from: the doc_ids to take (default all)")
    ap.add_argument("--fixture", action="store_true", help="rewrite the committed sample")
    ap.add_argument(
        "--score-only", nargs=2, type=Path, metavar=("GOLD", "OUT"), help="score a run's output"
    )
    args = ap.parse_args(argv)
    if args.fixture:
        write_fixture()
        return 0
    if args.score_only:
        show(score(*args.score_only))
        return 0
    dpis = [int(x) for x in args.dpi.split(",") if x.strip()]
    seed = args.seed if args.seed is not None else int(time.time()) % 1_000_000
    out = args.out
    if out.is_dir() and any(out.iterdir()) and not (out / "gold").is_dir():
        print(f"{out} is not empty and is not a previous scans run: not overwriting it")
        return 2
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if args.source:
        wanted = {d for d in args.docs.split(",") if d}
        pdfs = [
            p for p in sorted((args.source / "pdf").glob("*.pdf")) if not wanted or p.stem in wanted
        ]
        gold_dir = args.source / "gold"
        print(f"scans: {len(pdfs)} plans from {args.source}, dpi {dpis}, seed {seed}", flush=True)
    else:
        import layouts  # bench/layouts.py

        print(f"scans: {args.n} generated plans, dpi {dpis}, seed {seed}", flush=True)
        born = out / "digital"
        born.mkdir()
        seeds = [seed * 100_000 + i for i in range(args.n)]
        golds, _ = layouts.render(seeds, born, args.soffice)
        pdfs = [born / "pdf" / f"{g['doc_id']}.pdf" for g in golds]
        gold_dir = born / "gold"
    scan_folder(pdfs, gold_dir, out, dpis, seed, args.mixed)
    bindir = Path(sys.executable).parent
    dhr = str(bindir / "dhrplans") if (bindir / "dhrplans").exists() else "dhrplans"
    t0 = time.monotonic()
    run = subprocess.run(
        [dhr, "run", str(out / "pdf"), "--out", str(out / "out"), "--no-cache"]
        + ["--jobs", str(args.jobs)],
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - t0
    (out / "run.log").write_text(run.stdout + run.stderr)
    if run.returncode not in (0, 1):
        print(run.stdout[-2000:], run.stderr[-2000:])
        return run.returncode
    print((run.stdout.strip().splitlines() or [""])[-1])
    figures = score(out / "gold", out / "out")
    figures.update(seed=seed, dpi=dpis, seconds=round(seconds, 1))
    figures["pages_per_second"] = round(figures["pages"] / seconds, 3) if seconds else None
    show(figures)
    print(f"{figures['pages']} pages in {seconds:.0f} s ({figures['pages_per_second']} pages/s)")
    (out / "summary.json").write_text(json.dumps(figures, indent=1))
    print(f"written: {out}/summary.json; re-run: python bench/scans.py --seed {seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the full pipeline against plain pdfplumber on the same pages.

    python bench/run.py [--n 200] [--jobs N] [--json bench/results.json]

Builds a corpus of N plans (copies of the test plans under new names), then
times, each in a fresh child process so memory figures are per process:

- baseline: pdfplumber `page.extract_tables()` over every page (the cost of parsing);
- pipeline, --jobs 1: `dhrplans run` in one worker;
- pipeline, --jobs J: all cores, filling a result cache;
- the same again: an incremental re-run where nothing changed;
- OCR: the scanned plans of the tests (tests/fixtures/scanned-generated and
  tests/fixtures/scanned, image-only pages) with --jobs J: pages per second, and the OCR
  seconds per page the run manifest reports (--ocr 0 skips it).

Prints a table and writes the figures as JSON. Ratios are against the baseline
run here, on this machine, in the same session: never compare absolute seconds
across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "corpus").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")
)

BASELINE = """
import sys, pdfplumber
pages = 0
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            pages += 1
print(pages)
"""


def build_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        source = SOURCES[i % len(SOURCES)]
        target = folder / f"{source.stem}--bench{i:04d}.pdf"
        shutil.copyfile(source, target)
        paths.append(target)
    return paths


MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"\\nPEAK_RSS_KB {peak}\\n")
sys.exit(done.returncode)
"""


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest process under `cmd`, and stdout.

    Each command runs under its own small parent, so the peak is this step's alone
    (the largest of the command and its worker processes)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"benchmark step failed: {' '.join(cmd[:3])}...\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
    return seconds, peak_kb / 1024.0, done.stdout


SCANS = sorted((ROOT / "tests" / "fixtures" / "scanned-generated" / "pdf").glob("*.pdf")) + sorted(
    (ROOT / "tests" / "fixtures" / "scanned" / "pdf").glob("*.pdf")
)


def ocr_throughput(dhrplans: str, tmp: Path, jobs: int) -> dict | None:
    """Pages per second of `dhrplans run` on the scanned test plans, and the OCR seconds
    per page its manifest reports."""
    if not SCANS:
        return None
    out = tmp / "ocr-out"
    seconds, _, _ = timed(
        [dhrplans, "run", *map(str, SCANS), "--out", str(out), "--jobs", str(jobs), "--no-cache"]
    )
    manifest = json.loads((out / "run-manifest.json").read_text())
    pages = manifest["ocr"]["pages"]
    return {
        "files": len(SCANS),
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 3) if seconds else None,
        "ocr_seconds_per_page": manifest["ocr"]["seconds_per_page"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="plans in the corpus")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--ocr", type=int, default=1, help="1: time the scanned plans too")
    args = parser.parse_args(argv)

    dhrplans = str(Path(sys.executable).with_name("dhrplans"))
    with tempfile.TemporaryDirectory(prefix="dhrplans-bench-") as tmp:
        corpus = build_corpus(Path(tmp) / "raw", args.n)
        base_s, base_rss, pages_out = timed([sys.executable, "-c", BASELINE, *map(str, corpus)])
        pages = int(pages_out.strip())
        raw = str(Path(tmp) / "raw")
        one_s, one_rss, _ = timed(
            [dhrplans, "run", raw, "--out", f"{tmp}/o1", "--jobs", "1", "--no-cache"]
        )
        cache = ["--cache", f"{tmp}/cache"]
        many_s, many_rss, _ = timed(
            [dhrplans, "run", raw, "--out", f"{tmp}/oj", "--jobs", str(args.jobs), *cache]
        )
        again_s, _, _ = timed([dhrplans, "run", raw, "--out", f"{tmp}/oj", *cache])
        ocr = ocr_throughput(dhrplans, Path(tmp), args.jobs) if args.ocr else None
    figures = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "n_plans": args.n,
        "pages": pages,
        "baseline_pages_per_s": round(pages / base_s, 2),
        "pipeline_jobs1_pages_per_s": round(pages / one_s, 2),
        "ratio_pipeline_to_baseline": round(one_s / base_s, 3),
        "jobs": args.jobs,
        "pipeline_jobsN_pages_per_s": round(pages / many_s, 2),
        "speedup_jobsN_over_jobs1": round(one_s / many_s, 3),
        "incremental_rerun_s": round(again_s, 2),
        "peak_rss_mb_baseline": round(base_rss, 1),
        "peak_rss_mb_per_worker": round(max(one_rss, many_rss), 1),
        "ocr": ocr,
        "seconds": {
            "baseline": round(base_s, 2),
            "jobs1": round(one_s, 2),
            "jobsN": round(many_s, 2),
        },
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    rows = [
        ("plans / pages", f"{args.n} / {pages}"),
        ("baseline pdfplumber extract_tables", f"{figures['baseline_pages_per_s']} pages/s"),
        ("pipeline --jobs 1", f"{figures['pipeline_jobs1_pages_per_s']} pages/s"),
        ("ratio pipeline / baseline (time)", f"{figures['ratio_pipeline_to_baseline']}x"),
        (f"pipeline --jobs {args.jobs}", f"{figures['pipeline_jobsN_pages_per_s']} pages/s"),
        (f"speed-up --jobs {args.jobs} over --jobs 1", f"{figures['speedup_jobsN_over_jobs1']}x"),
        ("peak RSS per worker", f"{figures['peak_rss_mb_per_worker']} MB"),
        ("incremental re-run, nothing changed", f"{figures['incremental_rerun_s']} s"),
    ]
    if ocr:
        rows.append(
            (
                f"OCR, scanned plans, --jobs {args.jobs}",
                f"{ocr['pages_per_s']} pages/s ({ocr['pages']} pages, "
                f"{ocr['ocr_seconds_per_page']} s of OCR per page)",
            )
        )
    width = max(len(r[0]) for r in rows)
    print(f"dhrplans benchmark, {figures['machine']}, {figures['date']}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the full pipeline against plain pdfplumber on the same pages.

    python bench/run.py [--n 200] [--jobs N] [--json bench/results.json]

Builds a corpus of N plans (copies of the test plans under new names), then
times, each in a fresh child process so memory figures are per process:

- baseline: pdfplumber `page.extract_tables()` over every page (the cost of parsing);
- PDFium read limit: every character's code and box and every page object's type
  and bounds read through PDFium, nothing else (the floor for any reader of the page);
- pipeline, --jobs 1: `dhrplans run` in one worker;
- pipeline, --jobs J: all cores; both with --no-cache, so the speed-up compares the same
  work (a cache costs writes the --jobs 1 run would not pay);
  (--repeat R runs these two R times, alternately, each with a fresh output:
  the figures are the best of R, the lowest time, with every run's time in the JSON;
  on a machine shared with other work the best run is the one least disturbed)
- an incremental re-run where nothing changed: a --jobs J run fills a cache, then runs again;
- OCR: the scanned plans of the tests (tests/fixtures/scanned-generated and
  tests/fixtures/scanned, image-only pages) with --jobs J: pages per second, and the OCR
  seconds per page the run manifest reports (--ocr 0 skips it).

Peak memory: each run's manifest records the peak RSS of the run process (it gathers
the results and writes the Parquet files) and of its largest child process (a worker,
one per document); the largest process under the command is reported too.

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

# Every character's code and box, every page object's type and bounds: what any
# reader of the page must at least ask PDFium for.
READ_LIMIT = """
import ctypes, sys
import pypdfium2 as pdfium
import pypdfium2.raw as raw
pages = 0
box = [ctypes.c_double() for _ in range(4)]
refs = [ctypes.byref(v) for v in box]
fbox = [ctypes.c_float() for _ in range(4)]
frefs = [ctypes.byref(v) for v in fbox]
for path in sys.argv[1:]:
    doc = pdfium.PdfDocument(path)
    for i in range(len(doc)):
        page = doc[i]
        text = page.get_textpage()
        tp = text.raw
        for c in range(raw.FPDFText_CountChars(tp)):
            raw.FPDFText_GetUnicode(tp, c)
            raw.FPDFText_GetCharBox(tp, c, *refs)
        for o in range(raw.FPDFPage_CountObjects(page.raw)):
            obj = raw.FPDFPage_GetObject(page.raw, o)
            raw.FPDFPageObj_GetType(obj)
            raw.FPDFPageObj_GetBounds(obj, *frefs)
        text.close()
        page.close()
        pages += 1
    doc.close()
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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\nPEAK_RSS_KB {usage.ru_maxrss}\\n")
sys.stderr.write(f"CPU_S {usage.ru_utime + usage.ru_stime}\\n")
sys.exit(done.returncode)
"""


LOAD_BEFORE: list[float] = []
CPU: dict[str, float] = {}  # CPU seconds (user + system) of each step, by its label


def timed(cmd: list[str], label: str | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the largest process under `cmd`, and stdout; the
    CPU seconds of the command and its workers go to `CPU[label]`.

    Each command runs under its own small parent, so the peak is this step's alone
    (the largest of the command and its worker processes). On a machine shared with
    other work, wall time depends on the load; CPU time much less."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"benchmark step failed: {' '.join(cmd[:3])}...\n{done.stderr[-2000:]}")
    peak_kb = int(done.stderr.rsplit("PEAK_RSS_KB", 1)[1].split()[0])
    if label:
        CPU[label] = float(done.stderr.rsplit("CPU_S", 1)[1].split()[0])
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
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of --jobs 1 and --jobs J: the best"
    )
    args = parser.parse_args(argv)

    global LOAD_BEFORE
    LOAD_BEFORE = list(os.getloadavg())
    dhrplans = str(Path(sys.executable).with_name("dhrplans"))
    with tempfile.TemporaryDirectory(prefix="dhrplans-bench-") as tmp:
        corpus = build_corpus(Path(tmp) / "raw", args.n)
        base_s, base_rss, pages_out = timed(
            [sys.executable, "-c", BASELINE, *map(str, corpus)], "baseline"
        )
        pages = int(pages_out.strip())
        limit_s, _, _ = timed([sys.executable, "-c", READ_LIMIT, *map(str, corpus)], "read_limit")
        raw = str(Path(tmp) / "raw")
        runs: dict[str, list[dict]] = {"jobs1": [], "jobsN": []}
        for r in range(max(1, args.repeat)):
            for label, jobs in (("jobs1", 1), ("jobsN", args.jobs)):
                out = Path(tmp) / f"{label}-{r}"
                load = os.getloadavg()[0]
                cmd = [dhrplans, "run", raw, "--out", str(out), "--jobs", str(jobs), "--no-cache"]
                seconds, tree_rss, _ = timed(cmd, label)
                manifest = json.loads((out / "run-manifest.json").read_text())
                runs[label].append(
                    {
                        "seconds": round(seconds, 2),
                        "cpu_seconds": round(CPU[label], 2),
                        "load_average": round(load, 2),
                        "peak_rss_mb": manifest.get("peak_rss_mb", {}),
                        "peak_rss_mb_largest_process": round(tree_rss, 1),
                    }
                )
        best = {label: min(rs, key=lambda x: x["seconds"]) for label, rs in runs.items()}
        one_s, many_s = best["jobs1"]["seconds"], best["jobsN"]["seconds"]
        CPU["jobs1"] = min(x["cpu_seconds"] for x in runs["jobs1"])
        CPU["jobsN"] = min(x["cpu_seconds"] for x in runs["jobsN"])
        all_runs = runs["jobs1"] + runs["jobsN"]
        worker_rss = max(x["peak_rss_mb"].get("largest_child", 0.0) for x in all_runs)
        run_rss = max(x["peak_rss_mb"].get("run_process", 0.0) for x in all_runs)
        tree_rss = max(x["peak_rss_mb_largest_process"] for x in all_runs)
        # the incremental re-run: a --jobs J run filling a cache, then the same again
        again = ["--out", f"{tmp}/cached", "--cache", f"{tmp}/cache", "--jobs", str(args.jobs)]
        timed([dhrplans, "run", raw, *again])
        again_s, _, _ = timed([dhrplans, "run", raw, *again])
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
        "read_limit_pages_per_s": round(pages / limit_s, 2),
        "ratio_read_limit_to_baseline": round(limit_s / base_s, 3),
        "jobs": args.jobs,
        "pipeline_jobsN_pages_per_s": round(pages / many_s, 2),
        "ratio_pipeline_jobsN_to_baseline": round(many_s / base_s, 3),
        "speedup_jobsN_over_jobs1": round(one_s / many_s, 3),
        "repeat": max(1, args.repeat),
        "speedup_each_pair": [
            round(a["seconds"] / b["seconds"], 3) for a, b in zip(runs["jobs1"], runs["jobsN"])
        ],
        "runs": runs,
        "incremental_rerun_s": round(again_s, 2),
        "peak_rss_mb_baseline": round(base_rss, 1),
        "peak_rss_mb_per_worker": round(worker_rss, 1),
        "peak_rss_mb_run_process": round(run_rss, 1),
        "peak_rss_mb_largest_process": round(tree_rss, 1),
        "ocr": ocr,
        "load_average_before": LOAD_BEFORE,
        "load_average_after": list(os.getloadavg()),
        "cpu_seconds": {k: round(v, 2) for k, v in CPU.items()},
        "ratio_cpu_pipeline_to_baseline": round(CPU["jobs1"] / CPU["baseline"], 3),
        "ratio_cpu_read_limit_to_baseline": round(CPU["read_limit"] / CPU["baseline"], 3),
        "seconds": {
            "baseline": round(base_s, 2),
            "read_limit": round(limit_s, 2),
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
        (
            f"ratio pipeline --jobs {args.jobs} / baseline (time)",
            f"{figures['ratio_pipeline_jobsN_to_baseline']}x",
        ),
        (
            f"speed-up --jobs {args.jobs} over --jobs 1"
            + (f" (best of {figures['repeat']})" if figures["repeat"] > 1 else ""),
            f"{figures['speedup_jobsN_over_jobs1']}x"
            + (
                f" (run by run: {', '.join(map(str, figures['speedup_each_pair']))})"
                if figures["repeat"] > 1
                else ""
            ),
        ),
        (
            "PDFium read limit (chars, boxes, objects)",
            f"{figures['read_limit_pages_per_s']} pages/s",
        ),
        ("ratio read limit / baseline (time)", f"{figures['ratio_read_limit_to_baseline']}x"),
        (
            "CPU ratios pipeline --jobs 1, read limit / baseline",
            f"{figures['ratio_cpu_pipeline_to_baseline']}x, "
            f"{figures['ratio_cpu_read_limit_to_baseline']}x",
        ),
        ("peak RSS per worker", f"{figures['peak_rss_mb_per_worker']} MB"),
        ("peak RSS of the run process (writer)", f"{figures['peak_rss_mb_run_process']} MB"),
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
    load = ", ".join(f"{v:.2f}" for v in figures["load_average_before"])
    print(f"  (load average before the run {load}; wall times depend on it, CPU times less)")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

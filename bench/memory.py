"""Benchmark: does the run's own memory stay flat as the corpus grows?

    python bench/memory.py [--small 100] [--large 1000]

Workers each handle one document, so their memory does not depend on the corpus
size; what could grow is the parent that gathers results and writes the dataset.
This measures exactly that: one real plan is extracted once, then a child process
runs `dhrplans.run.runner.run` over SMALL and over LARGE documents whose results are copies
of it (renamed, so every id is distinct), and reports each child's peak RSS.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "tests" / "corpus" / "bdhr-2012-13-04.pdf"

CHILD = """
import copy, resource, sys, tempfile
from pathlib import Path
from dhrplans.run import document, runner

n, plan = int(sys.argv[1]), Path(sys.argv[2])
template = document.process_file(plan)

def renamed(i):
    result = copy.deepcopy(template)
    old, new = template.doc_id, f"plan-{i:05d}"
    result.doc_id, result.source_file = new, f"{new}.pdf"
    for row in result.actions + result.recommendations:
        row["doc_id"] = new
        for key in ("action_id", "rec_id"):
            if key in row:
                row[key] = row[key].replace(old, new, 1)
    return result

paths = [Path(f"plan-{i:05d}.pdf") for i in range(n)]
runner.process_all = lambda todo, *a, **k: (renamed(i) for i in range(len(todo)))
with tempfile.TemporaryDirectory() as out:
    summary = runner.run(paths, out)
print(summary.actions, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def measure(n: int) -> tuple[int, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(n), str(PLAN)],
        capture_output=True,
        text=True,
        check=True,
    )
    actions, peak_kb = done.stdout.split()[-2:]
    return int(actions), int(peak_kb) / 1024.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "memory.json")
    args = parser.parse_args(argv)
    small_actions, small_mb = measure(args.small)
    large_actions, large_mb = measure(args.large)
    figures = {
        "small_plans": args.small,
        "small_actions": small_actions,
        "small_peak_rss_mb": round(small_mb, 1),
        "large_plans": args.large,
        "large_actions": large_actions,
        "large_peak_rss_mb": round(large_mb, 1),
        "ratio_large_to_small": round(large_mb / small_mb, 3),
    }
    args.json.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"run process peak RSS, {args.small} plans ({small_actions} actions): {small_mb:.1f} MB")
    print(f"run process peak RSS, {args.large} plans ({large_actions} actions): {large_mb:.1f} MB")
    print(f"ratio: {large_mb / small_mb:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

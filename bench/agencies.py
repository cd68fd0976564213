"""Benchmark of the agency registry (not a test): load time and matching speed.

    python bench/agencies.py [--cells 1000] [--repeat 5] [--vocab DIR]

Load: the shipped registry read from its CSV (uncached, ``AgencyRegistry.from_csv``), the
median of ``--repeat`` loads. Matching: ``--cells`` distinct lead-agency cells matched one
after the other on a fresh registry (its word-correction caches empty), the median of
``--repeat`` rounds. The cells are the lead-agency cells printed in the gold files
(tests/gold, tests/fixtures/generated/gold) and seeded variants of them (case, a role
before, a department after, a dropped letter): they do not depend on the registry, so
two versions of it are timed on the same cells.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = (
    "{c}",
    "{u}",
    "{l}",
    "Head of Safeguarding, {c}",
    "Service Manager ({c})",
    "{c} (Housing)",
    "{c} - Public Protection Unit",
    "{c} and partners",
    "{t}",
    "Designated Nurse, {t}",
    "{c} / Police",
    "Lead: {c}",
    "{c}, Quality and Safeguarding Team",
)


def gold_cells() -> list[str]:
    """Lead-agency cells printed in the gold files, sorted."""
    cells: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            printed = node.get("cells")
            if isinstance(printed, dict) and printed.get("lead_agency"):
                cells.add(printed["lead_agency"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    pattern = ("tests/gold/*.json", "tests/fixtures/generated/gold/*.json")
    for path in sorted(p for g in pattern for p in glob.glob(str(ROOT / g))):
        walk(json.loads(Path(path).read_text(encoding="utf-8")))
    return sorted(cells)


def bench_cells(n: int, seed: int = 11) -> list[str]:
    """n distinct cells: the gold cells and their variants, in a seeded order."""
    rng = random.Random(seed)
    out: dict[str, None] = {}
    for cell in gold_cells():
        for variant in VARIANTS:
            drop = rng.randrange(len(cell)) if len(cell) > 4 else 0
            typo = cell[:drop] + cell[drop + 1 :]
            out[variant.format(c=cell, u=cell.upper(), l=cell.lower(), t=typo)] = None
    cells = list(out)
    rng.shuffle(cells)
    if len(cells) < n:
        sys.exit(f"only {len(cells)} distinct cells; ask for fewer")
    return cells[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--vocab", type=Path, default=None, help="a user vocabulary folder")
    args = ap.parse_args(argv)

    from dhrplans.normalise.agencies import AgencyRegistry

    from dhrplans import schemas

    extra: tuple = ()
    if args.vocab:
        from dhrplans.schemas import vocab

        extra = vocab.load(args.vocab).agencies
    csv_path = schemas.AGENCIES_CSV
    roles = Path(csv_path).with_name("agency_roles.csv")
    cells = bench_cells(args.cells)

    def fresh() -> AgencyRegistry:
        if extra:
            return AgencyRegistry.from_csv(csv_path, roles, extra)
        return AgencyRegistry.from_csv(csv_path, roles)

    loads, rounds = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        registry = fresh()
        loads.append(time.perf_counter() - t0)
    for _ in range(args.repeat):
        registry = fresh()
        t0 = time.perf_counter()
        for cell in cells:
            registry.match(cell)
        rounds.append(time.perf_counter() - t0)
    matched = sum(registry.match(c).agency is not None for c in cells)
    print(
        f"registry: {len(registry)} agencies; load median {statistics.median(loads) * 1000:.0f} ms "
        f"(min {min(loads) * 1000:.0f}); {len(cells)} distinct cells matched in median "
        f"{statistics.median(rounds) * 1000:.0f} ms (min {min(rounds) * 1000:.0f}); "
        f"{matched} named a registry agency"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

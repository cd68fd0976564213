"""Scheduling of the local workers: largest file first within a bounded lookahead, results
still in input order and the same records as one worker; the run's peak memory recorded."""

from __future__ import annotations

import json
import shutil
from collections import deque
from pathlib import Path

from dhrplans.run import runner, workers
from dhrplans.run.cache import ResultCache

TESTS = Path(__file__).parent
PLANS = [
    TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-ragfill.pdf",  # 1 page
    TESTS / "fixtures" / "pdf" / "kent-dhr-fx-homeoffice.pdf",  # 3 pages
    TESTS / "corpus" / "bdhr-2012-13-04--portrait.pdf",  # 17 pages
    TESTS / "fixtures" / "pdf" / "southwark-dhr-fx-agency-hrule.pdf",  # 4 pages
    TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf",  # 2 pages
]


def _order(sizes: list[int], window: int, finished_in_order: bool = False) -> list[int]:
    """The order `_next` starts documents in, with results handed on at once (or never)."""
    queue = deque((i, Path(f"{i}.pdf")) for i in range(len(sizes)))
    started: list[int] = []
    next_out = 0
    while queue:
        i, _ = workers._next(queue, sizes, max(next_out + window, queue[0][0] + 1))
        started.append(i)
        if finished_in_order:
            while next_out in started:
                next_out += 1
    return started


def test_largest_first_within_the_lookahead() -> None:
    sizes = [1, 5, 3, 9, 2, 8, 7, 1]
    # Nothing handed on: only the first three may be taken out of order, then input order.
    assert _order(sizes, 3) == [1, 2, 0, 3, 4, 5, 6, 7]
    # Results handed on as they come: the window moves, the largest goes first in it.
    assert _order(sizes, 3, finished_in_order=True) == [1, 2, 0, 3, 5, 6, 4, 7]
    # Without sizes (one worker), input order.
    queue = deque(enumerate("abc"))
    assert [workers._next(queue, [], 99)[0] for _ in range(3)] == [0, 1, 2]


def test_two_workers_give_the_records_of_one_in_input_order(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for k, plan in enumerate(PLANS):
        shutil.copy(plan, raw / f"{k:02d}-{plan.name}")
    paths = runner.find_inputs([raw])
    results = list(workers.process_all(paths, jobs=2))
    assert [r.source_file for r in results] == [p.name for p in paths]
    assert all(r.error is None and r.actions for r in results)
    runner.run(paths, tmp_path / "one", jobs=1)
    runner.run(paths, tmp_path / "two", jobs=2, cache=ResultCache(tmp_path / "cache"))
    for name in ("actions", "recommendations", "documents"):
        one = (tmp_path / "one" / f"{name}.parquet").read_bytes()
        assert one == (tmp_path / "two" / f"{name}.parquet").read_bytes(), name
    manifest = json.loads((tmp_path / "two" / runner.MANIFEST).read_text())
    memory = manifest["peak_rss_mb"]
    assert memory["run_process"] > 0 and memory["largest_child"] > 0

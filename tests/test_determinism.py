"""Two runs of `dhrplans run` on the same input give byte-identical Parquet and snapshots.

The runs are separate processes with different hash seeds, so anything that
depends on set or dict-of-str iteration order, timestamps or paths shows up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dhrplans.audit.snapshot import TABLE_NAMES, write_snapshot

CORPUS = Path(__file__).parent / "corpus"


def _smallest_pdf() -> Path | None:
    pdfs = sorted(CORPUS.glob("*.pdf"), key=lambda p: (p.stat().st_size, p.name))
    return pdfs[0] if pdfs else None


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> tuple[Path, Path]:
    pdf = _smallest_pdf()
    if pdf is None:
        pytest.skip("no PDF in tests/corpus")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path_factory.mktemp(f"run-{seed}")
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-m", "dhrplans.cli", "run", str(pdf), "--out", str(out), "-j", "1"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    return outs[0], outs[1]


def test_parquet_files_are_byte_identical(two_runs):
    a, b = two_runs
    for name in TABLE_NAMES:
        first, second = (a / f"{name}.parquet").read_bytes(), (b / f"{name}.parquet").read_bytes()
        assert first == second, f"{name}.parquet differs between two runs on the same input"


def test_snapshots_are_byte_identical(two_runs, tmp_path):
    a, b = two_runs
    write_snapshot(a, tmp_path / "a")
    write_snapshot(b, tmp_path / "b")
    for name in TABLE_NAMES:
        first = (tmp_path / "a" / f"{name}.jsonl").read_bytes()
        assert first == (tmp_path / "b" / f"{name}.jsonl").read_bytes()
        assert first  # the document has actions, recommendations and a document row

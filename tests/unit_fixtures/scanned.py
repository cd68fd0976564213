"""The scaffolding of the scanned samples' tests (tests/test_scans.py and
tests/test_independent7_scans.py): skip where OCR cannot run, run a sample, score it with
bench/scans.py's figures."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from dhrplans.extract import cellocr, ocr

from dhrplans.run import runner

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import scans  # noqa: E402  (bench/scans.py: the scan figures)


def needs_ocr() -> None:
    reason = ocr.unavailable()
    if reason:
        pytest.skip(f"OCR not testable here: {reason}")
    if not cellocr.available():
        pytest.skip("tesserocr not installed or no Tesseract English data")


def run_sample(sample: Path, out: Path, name: str) -> tuple[runner.RunSummary, dict]:
    """Every PDF of `sample`/pdf run into `out` (2 workers), scored against `sample`/gold;
    the figures and the seconds taken printed under `name`."""
    needs_ocr()
    start = time.monotonic()
    summary = runner.run(sorted((sample / "pdf").glob("*.pdf")), out, jobs=2)
    seconds = time.monotonic() - start
    figures = scans.score(sample / "gold", out)
    print(f"\n{name}:", json.dumps({**figures, "seconds": round(seconds, 1)}))
    return summary, figures

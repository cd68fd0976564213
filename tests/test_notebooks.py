"""The analyst notebooks run top to bottom on a real output (so they never rot)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dhrplans.run import runner

TESTS = Path(__file__).parent
NOTEBOOKS = sorted((TESTS.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("clean")
    runner.run(runner.find_inputs([TESTS / "fixtures" / "pdf"]), out, jobs=2)
    return out


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"overview", "data_quality"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_is_stored_without_outputs(path, dataset, monkeypatch):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "strip outputs"
    monkeypatch.setenv("DHRPLANS_DATA", str(dataset))
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = " ".join(str(o.get("text", "")) for o in outputs)
    assert "documents," in text
    assert os.environ["DHRPLANS_DATA"] == str(dataset)

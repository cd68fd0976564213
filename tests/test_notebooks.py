"""The analyst notebooks run top to bottom on a real output (so they never rot), and show
their plots: each plotting cell yields an image, drawn in the one status palette."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from dhrplans import schemas
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
    # Jupyter's own inline backend, as a notebook opened in Jupyter has it; headless here
    # because it renders PNGs into the cell outputs.
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    plotting = [c for c in nb.cells if c.cell_type == "code" and _plots(c.source)]
    assert plotting, "a notebook of plots"
    for cell in plotting:  # checked while its figure is still open
        cell.source += "\n_status_colours_checked(plt.gcf())"
    nb.cells.insert(0, nbformat.v4.new_code_cell(PALETTE_CHECK))
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = " ".join(str(o.get("text", "")) for o in outputs)
    assert "documents," in text
    assert "status colours checked" in text, "a chart of status in every notebook"
    for cell in plotting:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert images, f"no image shown by:\n{cell.source}"
    assert os.environ["DHRPLANS_DATA"] == str(dataset)


# Every bar or patch a legend labels with a status is drawn in that status's colour of
# schemas.STATUS_COLOURS (matplotlib's own cycle coloured not_started green, unknown red).
PALETTE_CHECK = """\
def _status_colours_checked(figure):
    from matplotlib.colors import to_hex
    from dhrplans.schemas import STATUS_COLOURS
    for ax in figure.axes:
        handles, labels = ax.get_legend_handles_labels()
        pairs = [(h, lab) for h, lab in zip(handles, labels) if lab in STATUS_COLOURS]
        for handle, label in pairs:
            patches = getattr(handle, "patches", None) or [handle]
            drawn = {to_hex(p.get_facecolor()) for p in patches}
            assert drawn == {STATUS_COLOURS[label]}, (label, drawn)
        if pairs:
            print("status colours checked:", len(pairs))
"""


def _plots(source: str) -> bool:
    return ".plot" in source or "plt." in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_leave_the_backend_to_jupyter(path):
    """A backend forced in the notebook (Agg) shows nothing: Jupyter's inline one is used."""
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells)
    assert "matplotlib.use(" not in source and "%matplotlib" not in source


def test_status_palette():
    colours = schemas.STATUS_COLOURS
    assert tuple(colours) == schemas.STATUSES
    named = {"completed": "green", "in_progress": "amber", "not_started": "red", "unknown": "grey"}
    for status, name in named.items():
        red, green, blue = (int(colours[status][i : i + 2], 16) for i in (1, 3, 5))
        hue = {
            "green": green > red and green > blue,
            "amber": red > green > blue and green > 120,
            "red": red > 150 and green < 80 and blue < 80,
            "grey": red == green == blue,
        }
        assert hue[name], (status, colours[status])

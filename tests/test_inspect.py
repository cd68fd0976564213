"""`dhrplans inspect`: a PNG of the page with what was read from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from dhrplans.cli import app
from dhrplans.inspect import LEGEND_HEIGHT, RESOLUTION, InspectError, inspect_page

TESTS = Path(__file__).parent
PDF = TESTS / "fixtures" / "pdf" / "kent-dhr-fx-homeoffice.pdf"
EVENINGS = "kent-dhr-fx-homeoffice/scec7ea/a0a4bff9c"  # rec 4 "Extend the hospital IDVA..."


def test_png_has_page_size_plus_legend_and_draws_every_kind(tmp_path):
    picture = inspect_page(PDF, 2, tmp_path / "p2.png", record=EVENINGS)
    image = Image.open(picture.path)
    width, height = 841.89, 595.3  # A4 landscape, points
    expected = (width * RESOLUTION / 72, height * RESOLUTION / 72 + LEGEND_HEIGHT)
    assert all(abs(got - want) <= 1 for got, want in zip(image.size, expected, strict=True))
    assert picture.boxes["table"] == 1 and picture.boxes["header row"] == 1
    assert picture.boxes["recommendation"] >= 1 and picture.boxes["joined across pages"] >= 1
    assert picture.boxes["selected record"] >= 5


def test_bad_page_and_record_are_clear_errors(tmp_path):
    with pytest.raises(InspectError, match="out of range"):
        inspect_page(PDF, 9, tmp_path / "x.png")
    with pytest.raises(InspectError, match="no record"):
        inspect_page(PDF, 1, tmp_path / "x.png", record="nope")


def test_cli(tmp_path):
    out = tmp_path / "page.png"
    result = CliRunner().invoke(app, ["inspect", str(PDF), "--page", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "wrote" in result.stdout
    bad = CliRunner().invoke(app, ["inspect", str(PDF), "--page", "7", "--out", str(out)])
    assert bad.exit_code == 2

"""The README documents the output contract as it is (printed by `python -m dhrplans.schemas`)."""

from __future__ import annotations

from pathlib import Path

from dhrplans.schemas.__main__ import markdown

README = Path(__file__).parent.parent / "README.md"


def test_readme_schema_section_is_current():
    assert markdown().strip() in README.read_text(encoding="utf-8")


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "make extract" in text and "make test" in text

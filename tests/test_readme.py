"""The README says what is so: the output contract (printed by `python -m dhrplans.schemas`)
and the two commands, which are make targets running the CLI and the tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dhrplans.schemas.__main__ import markdown

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


def test_readme_schema_section_is_current():
    assert markdown().strip() in README.read_text(encoding="utf-8")


def _two_commands() -> list[str]:
    """The make targets in the code block of the README's "The two commands" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line.split()[1] for line in block.splitlines() if line.startswith("make ")]


def test_readme_gives_the_two_commands():
    assert _two_commands() == ["extract", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))
    assert set(_two_commands()) <= targets


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
@pytest.mark.parametrize(
    ("target", "command"),
    [("extract", ".venv/bin/dhrplans run data/raw --out data/clean"), ("test", "-m pytest")],
)
def test_the_two_commands_run_the_cli_and_the_tests(target, command):
    """`make -n` prints what a target would run (installing nothing)."""
    done = subprocess.run(
        ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert any(command in line for line in done.stdout.splitlines()), done.stdout

"""Issue 13, the analyst's side: the dataset never shrinks by surprise, one run writes
an output folder at a time, an unwritable output is found before any work, inspect and
--version/--help speak plainly."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dhrplans import __version__
from dhrplans.cli import app
from dhrplans.run.runner import LOCK

TESTS = Path(__file__).parent
PDFS = TESTS / "fixtures" / "pdf"
SMALL = PDFS / "cumbria-dhr-fx-unruled.pdf"
OTHER = PDFS / "cumbria-dhr-fx-ragfill.pdf"
BIN = Path(sys.executable).with_name("dhrplans")
cli = CliRunner()


def _doc_ids(out: Path) -> list[str]:
    return sorted(d["doc_id"] for d in pq.read_table(out / "documents.parquet").to_pylist())


def test_named_inputs_to_default_output_need_add_or_replace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    shutil.copy(SMALL, raw)
    shutil.copy(OTHER, raw)
    clean = Path("data/clean")
    assert cli.invoke(app, ["run", "--jobs", "1"]).exit_code == 0
    before = _doc_ids(clean)
    assert len(before) == 2
    (tmp_path / "notes.txt").write_text("a stray file\n")

    refused = cli.invoke(app, ["run", "notes.txt", "--jobs", "1"])
    assert refused.exit_code == 2
    assert "--add" in refused.output and "--replace" in refused.output
    assert "Traceback" not in refused.output
    assert _doc_ids(clean) == before  # untouched

    new = tmp_path / "new-plan.pdf"
    shutil.copy(SMALL, new)
    added = cli.invoke(app, ["run", str(new), "--add", "--jobs", "1"])
    assert added.exit_code == 0, added.output
    assert _doc_ids(clean) == sorted([*before, "new-plan"])
    assert "dataset now 3 documents" in added.stdout.strip().splitlines()[-1]

    again = cli.invoke(app, ["run", str(raw / SMALL.name), "--add", "--jobs", "1"])
    assert again.exit_code == 0, again.output
    assert _doc_ids(clean) == sorted([*before, "new-plan"])  # same name: replaced
    actions = pq.read_table(clean / "actions.parquet").column("action_id").to_pylist()
    assert len(actions) == len(set(actions))

    replaced = cli.invoke(app, ["run", str(new), "--replace", "--jobs", "1"])
    assert replaced.exit_code == 0, replaced.output
    assert _doc_ids(clean) == ["new-plan"]
    assert "dataset now 1 documents" in replaced.stdout

    both = cli.invoke(app, ["run", str(new), "--add", "--replace"])
    assert both.exit_code == 2


def _hold_lock(out: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the output's lock for a while."""
    code = (
        "import sys, time; from filelock import FileLock\n"
        f"with FileLock({str(out / LOCK)!r}):\n"
        "    print('held', flush=True); time.sleep(float(sys.argv[1]))\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_output_held_by_another_run_stops_or_waits(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    holder = _hold_lock(out, 3)
    try:
        busy = cli.invoke(app, ["run", str(SMALL), "--out", str(out), "--jobs", "1"])
        assert busy.exit_code == 2
        assert "another dhrplans run is writing" in busy.output
        assert not (out / "documents.parquet").exists()
        waited = cli.invoke(
            app, ["run", str(SMALL), "--out", str(out), "--jobs", "1", "--wait", "60"]
        )
        assert waited.exit_code == 0, waited.output
    finally:
        holder.wait(timeout=30)
    assert _doc_ids(out) == [SMALL.stem]


def test_two_runs_adding_to_one_output_at_once_lose_nothing(tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "DHRPLANS_CACHE": str(tmp_path / "cache")}
    runs = [
        subprocess.Popen(
            [str(BIN), "run", str(pdf), "--out", str(out), "--add", "--wait", "300", "-j", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for pdf in (SMALL, OTHER)
    ]
    for proc in runs:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    assert _doc_ids(out) == sorted([SMALL.stem, OTHER.stem])


@pytest.fixture
def readonly_dir(tmp_path):
    """An existing folder nobody may write to (as root: a read-only tmpfs)."""
    folder = tmp_path / "readonly"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        pytest.skip(f"cannot make a read-only folder as root: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_read_only_output_is_a_usage_error_before_any_work(readonly_dir):
    started = time.monotonic()
    result = cli.invoke(app, ["run", str(SMALL), "--out", str(readonly_dir), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert f"cannot write to the output folder {readonly_dir}" in result.output
    assert "ok " not in result.output  # no document was processed
    assert ".tmp" not in result.output and "Traceback" not in result.output
    assert time.monotonic() - started < 10


def test_inspect_a_file_that_is_not_a_pdf(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes\n")
    result = cli.invoke(
        app, ["inspect", str(notes), "--page", "1", "--out", str(tmp_path / "x.png")]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "cannot read notes.txt as a PDF" in lines[0]


def test_inspect_record_on_another_page_names_its_pages(tmp_path):
    pdf = PDFS / "kent-dhr-fx-homeoffice.pdf"
    record = "kent-dhr-fx-homeoffice/scec7ea/ae06b2730"  # rec 7 "Offer...": pages 2, 3
    out = tmp_path / "p1.png"
    result = cli.invoke(
        app, ["inspect", str(pdf), "--page", "1", "--out", str(out), "--record", record]
    )
    assert result.exit_code == 2
    assert "is not on page 1: it is on page(s) 2, 3" in result.output
    assert not out.exists()


def test_version_and_help():
    version = cli.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.strip() == f"dhrplans {__version__}"
    top = cli.invoke(app, ["--help"]).stdout
    run_help = cli.invoke(app, ["run", "--help"]).stdout
    assert ".docx" in top and ".docx" in run_help
    for text in (top, run_help, cli.invoke(app, ["inspect", "--help"]).stdout):
        assert "<bool>" not in text and "[inputs]" not in text and "<path>" not in text


def test_no_typer_placeholders_in_any_help():
    """Every command's help names its arguments and option values in plain words, never
    Typer's own type labels (`<list[Path]>`, `<int range>`) or parameter names in braces."""
    import re

    import typer

    commands = sorted(typer.main.get_command(app).commands)
    assert {"run", "eval", "diff", "snapshot", "export", "inspect"} <= set(commands)
    for name in [None, *commands]:
        result = cli.invoke(app, [name, "--help"] if name else ["--help"])
        assert result.exit_code == 0, name
        text = result.stdout
        assert not re.findall(r"<[^>\s]+>", text), (name, re.findall(r"<[^>\s]+>", text))
        usage = text.splitlines()[0]
        assert "{" not in usage and not re.search(r"\b[a-z]+_[a-z_]+\b", usage), usage

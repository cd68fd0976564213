"""A run killed or interrupted part-way leaves the previous dataset as it was.

`dhrplans run` over a copy of the sample corpus, into a folder that holds a
previous dataset, is stopped once its first document is done and the second is
being read: by SIGKILL (nothing can clean up) and by Ctrl-C (SIGINT to the whole
process group, as a terminal sends it). The previous files must be byte-identical
and readable, no temporary file may be left in the folder, and no worker process
may outlive the run.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dhrplans.run import runner, workers

TESTS = Path(__file__).parent
BIN = Path(sys.executable).parent / "dhrplans"
NAMES = ("actions.parquet", "documents.parquet", "recommendations.parquet", "run-manifest.json")
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for pdf in sorted((TESTS / "corpus").glob("*.pdf")):
        shutil.copy(pdf, inputs)
        # more plans after them (named to sort last): a run interrupted after its first
        # document still has work left on a fast or an idle machine
        for k in (1, 2):
            shutil.copy(pdf, inputs / f"zz{k}-{pdf.name}")
    out = tmp_path / "out"
    small = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
    summary = runner.run([small], out, jobs=1)
    assert summary.failures == 0 and summary.actions > 0
    before = {name: (out / name).read_bytes() for name in NAMES}
    return inputs, out, before


def _start(inputs: Path, out: Path) -> subprocess.Popen:
    scratch = out.parent / "tmp"
    scratch.mkdir(exist_ok=True)
    return subprocess.Popen(
        [str(BIN), "run", str(inputs), "--out", str(out), "--jobs", "1", "--no-cache"],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
    )


def _first_document_done(proc: subprocess.Popen, limit: float = 60) -> list[str]:
    """Lines of stderr up to the first finished document."""
    lines: list[str] = []
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stderr], [], [], 0.5)
        if not ready:
            continue
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if line.startswith("ok "):
            return lines
    proc.kill()
    pytest.fail(f"no document finished: {lines}")


def _workers_of(out: Path) -> list[int]:
    """Processes whose command line names this run's output folder."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = next(
                (ln for ln in (entry / "status").read_text().splitlines() if ln[:6] == "State:"),
                "",
            )
        except OSError:
            continue
        if str(out).encode() in cmdline and "zombie" not in state:
            found.append(int(entry.name))
    return found


def _worker_running(proc: subprocess.Popen, out: Path, limit: float = 30) -> None:
    """Wait until the run has a worker process reading the next document."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if [pid for pid in _workers_of(out) if pid != proc.pid]:
            time.sleep(0.3)
            return
        time.sleep(0.05)
    pytest.fail("no worker started")


def _assert_untouched(out: Path, before: dict[str, bytes]) -> None:
    names = sorted(p.name for p in out.iterdir())
    # The dataset as it was. A run killed while streaming may leave hidden temp files
    # (`.actions.*.parquet.tmp`): never read as data, removed by the next run's writer;
    # and the run's lock file (`runner.LOCK`), held no longer once its process is gone.
    names = [n for n in names if n != runner.LOCK]
    assert [n for n in names if not n.endswith(".parquet.tmp")] == sorted(NAMES)
    assert all(n.startswith(".") for n in names if n.endswith(".parquet.tmp"))
    for name, data in before.items():
        assert (out / name).read_bytes() == data, name
        if name.endswith(".parquet"):
            assert pq.read_table(out / name).num_rows > 0
    # At once, not when the document would have been done (a plan takes 3 s or more).
    deadline = time.monotonic() + 1.5
    while _workers_of(out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _workers_of(out) == [], "a worker outlived the run"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigkill_midway_leaves_previous_dataset(setup, monkeypatch) -> None:
    inputs, out, before = setup
    proc = _start(inputs, out)
    lines = _first_document_done(proc)
    _worker_running(proc, out)
    assert proc.poll() is None, "the run ended before it could be killed"
    proc.send_signal(signal.SIGKILL)  # the main process only: its worker is orphaned
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    assert lines and lines[-1].startswith("ok bdhr-2012-13-04--portrait.pdf")
    _assert_untouched(out, before)
    # Its scratch folder outlives it; the next run removes it.
    scratch = out.parent / "tmp"
    assert [p.name.split("-")[2] for p in scratch.iterdir()] == [str(proc.pid)]
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    small = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
    assert [r.error for r in workers.process_all([small])] == [None]
    assert list(scratch.iterdir()) == []


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_ctrl_c_stops_cleanly(setup) -> None:
    inputs, out, before = setup
    proc = _start(inputs, out)
    _first_document_done(proc)
    _worker_running(proc, out)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # what the terminal does: the whole group
    stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stdout + stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("dhrplans: interrupted") and str(out) in last, stderr
    assert stdout == ""  # no summary line: nothing was written
    _assert_untouched(out, before)


def test_ctrl_c_during_the_write_lets_it_finish(tmp_path: Path, monkeypatch) -> None:
    """Once the writer starts replacing files, a Ctrl-C waits: the dataset is whole."""
    from dhrplans import writer

    real = writer.write_dataset

    def interrupted_write(out_dir, tables):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # a KeyboardInterrupt would have been raised by now
        return real(out_dir, tables)

    monkeypatch.setattr(writer, "write_dataset", interrupted_write)
    small = TESTS / "fixtures" / "pdf" / "cumbria-dhr-fx-unruled.pdf"
    summary = runner.run([small], tmp_path, jobs=1)
    assert summary.actions > 0
    assert pq.read_table(tmp_path / "actions.parquet").num_rows == summary.actions
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler

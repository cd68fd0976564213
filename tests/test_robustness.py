"""Bad and hostile input never crashes a run and never loses data.

The bad files come from tests/make_bad_inputs.py; `dhrplans run` runs as a
subprocess so what reaches the terminal is real. Hangs, runaway memory and crashes
are provoked in a worker by patching the pipeline (the workers are forked, so they
see the patch).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from dhrplans.cli import app
from dhrplans.run import document, runner, workers
from dhrplans.run.inputs import INPUT_SUFFIXES

sys.path.insert(0, str(Path(__file__).parent))
from make_bad_inputs import (  # noqa: E402
    PLAN,
    PLAN_ACTIONS,
    SMALL_PLAN,
    make_bad_inputs,
    no_tables,
)

BIN = Path(sys.executable).parent / "dhrplans"
needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="patches reach forked workers"
)


def _run(args: list[str], tmp: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    scratch = tmp / "tmpdir"
    scratch.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(scratch), "COLUMNS": "80"}
    return subprocess.run(
        [str(BIN), "run", *args, "--no-cache"],  # every document really extracted
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_bad_inputs_fail_alone_with_one_line_reasons(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    expected = make_bad_inputs(inputs)
    shutil.copy(PLAN, inputs)
    out = tmp_path / "out"
    proc = _run([str(inputs), "--out", str(out), "--jobs", "2"], tmp_path)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "Traceback" not in output
    n_failed = sum(e.status == "failed" for e in expected.values())
    summary = proc.stdout.strip().splitlines()[-1]
    run_part, dataset_part = summary.split("; ")
    assert run_part.startswith(f"documents {len(expected) + 1}, ") and run_part.endswith(
        f"failures {n_failed}"
    ), summary
    assert dataset_part.startswith(f"dataset now {len(expected) + 1} documents, "), summary

    docs = {d["source_file"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    actions = pq.read_table(out / "actions.parquet").to_pylist()
    assert set(docs) == set(expected) | {PLAN.name}
    stderr_lines = proc.stderr.splitlines()
    for name, exp in expected.items():
        doc = docs[name]
        assert doc["status"] == exp.status, (name, doc)
        if exp.status == "failed":
            assert exp.error in doc["error"], (name, doc["error"])
            assert "\n" not in doc["error"]
            assert f"FAILED {name}: {doc['error']}" in stderr_lines, (name, proc.stderr)
        else:
            assert doc["error"] is None, (name, doc["error"])
            if exp.warning:
                assert any(exp.warning in w for w in doc["warnings"]), (name, doc["warnings"])
            if exp.actions is not None:
                assert doc["n_actions"] == exp.actions, (name, doc["n_actions"])
            assert f"ok {name}: " in proc.stderr
    # The good plan: every action. The repaired, the owner-password and the oddly named
    # copies of the small plan: the same actions, word for word.
    assert sum(a["doc_id"] == PLAN.stem for a in actions) == PLAN_ACTIONS
    copies = [n for n in expected if expected[n].status == "ok" and expected[n].actions]
    assert "broken-xref.pdf" in copies and "owner-password-only.pdf" in copies

    def texts(name: str) -> list[tuple]:
        rows = [a for a in actions if a["doc_id"] == Path(name).stem]
        return sorted((a["action_id"].split("/", 1)[1], a["action"], a["status"]) for a in rows)

    assert len({tuple(texts(name)) for name in copies}) == 1
    # Nothing lost between documents.parquet and actions.parquet.
    for doc in docs.values():
        assert sum(a["doc_id"] == doc["doc_id"] for a in actions) == doc["n_actions"]
    assert docs["many-pages.pdf"]["pages"] == 2000
    # Only the dataset is written, under its fixed names, beside the run's lock file;
    # scratch space is cleaned up.
    assert sorted(p.name for p in out.iterdir()) == [
        runner.LOCK,
        "actions.parquet",
        "documents.parquet",
        "recommendations.parquet",
        "run-manifest.json",
    ]
    assert list((tmp_path / "tmpdir").iterdir()) == []


def test_names_in_the_pdf_are_never_file_names(tmp_path: Path) -> None:
    """A hostile title in the PDF's metadata is data, never a path."""
    import pikepdf

    inputs = tmp_path / "in"
    inputs.mkdir()
    target = inputs / "hostile-title.pdf"
    no_tables(target)
    with pikepdf.open(target, allow_overwriting_input=True) as pdf:
        pdf.docinfo["/Title"] = "../../escaped/../../../tmp/evil.parquet"
        pdf.save(target)
    out = tmp_path / "out"
    proc = _run([str(inputs), "--out", str(out), "--jobs", "1"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    (doc,) = pq.read_table(out / "documents.parquet").to_pylist()
    assert doc["title"] == "../../escaped/../../../tmp/evil.parquet"
    written = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert written == [
        "in/hostile-title.pdf",
        f"out/{runner.LOCK}",
        "out/actions.parquet",
        "out/documents.parquet",
        "out/recommendations.parquet",
        "out/run-manifest.json",
    ]


# --- hangs, runaway memory, crashes: a worker's problem, not the run's -----------------


def _misbehave(doc_id: str) -> None:
    if doc_id == "hang":
        time.sleep(600)
    elif doc_id == "hog":
        import numpy as np

        chunks = []
        while True:  # grows until the memory limit stops it (pages never touched)
            chunks.append(np.empty(256 * 1024 * 1024, dtype=np.uint8))
    elif doc_id == "crash":
        os.kill(os.getpid(), signal.SIGSEGV)


@pytest.fixture
def misbehaving(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    real = document.normalise_document

    def normalise(raw):
        _misbehave(raw.doc_id)
        return real(raw)

    monkeypatch.setattr(document, "normalise_document", normalise)
    names = ["a-good", "crash", "hang", "hog", "z-good"]
    for name in names:
        shutil.copy(SMALL_PLAN, tmp_path / f"{name}.pdf")
    return [tmp_path / f"{name}.pdf" for name in names]


@needs_fork
@pytest.mark.parametrize("jobs", [1, 2])
def test_hang_memory_and_crash_are_isolated(misbehaving: list[Path], jobs: int) -> None:
    start = time.monotonic()
    results = list(workers.process_all(misbehaving, jobs=jobs, timeout=2, max_memory_mb=3072))
    assert time.monotonic() - start < 30
    assert [r.doc_id for r in results] == [p.stem for p in misbehaving]  # input order
    by_id = {r.doc_id: r for r in results}
    assert by_id["hang"].error == "timed out after 2 s"
    assert by_id["hog"].error == "ran out of memory (limit 3072 MB)"
    assert by_id["crash"].error.startswith("worker process crashed (SIGSEGV")
    for bad in ("hang", "hog", "crash"):
        assert by_id[bad].actions == [] and by_id[bad].sha256
    assert by_id["a-good"].error is None and by_id["a-good"].actions
    assert len(by_id["a-good"].actions) == len(by_id["z-good"].actions)


@needs_fork
def test_cli_timeout_and_memory_options(misbehaving: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    folder = str(misbehaving[0].parent)
    args = ["run", folder, "--out", str(out), "--timeout", "2", "--max-memory", "3000"]
    args.append("--no-cache")  # every document really processed
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "FAILED hang.pdf: timed out after 2 s" in result.output
    assert "FAILED hog.pdf: ran out of memory (limit 3000 MB)" in result.output
    docs = {d["doc_id"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert docs["hang"]["error"] == "timed out after 2 s"
    assert docs["a-good"]["status"] == docs["z-good"]["status"] == "ok"
    assert result.stdout.strip().splitlines()[-1].split("; ")[0].endswith("failures 3")


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x")
    cli = CliRunner()
    not_a_folder = cli.invoke(app, ["run", str(SMALL_PLAN), "--out", str(tmp_path / "afile")])
    assert not_a_folder.exit_code == 2 and "not a folder" in not_a_folder.output
    assert cli.invoke(app, ["run", str(SMALL_PLAN), "--timeout", "-1"]).exit_code == 2
    assert cli.invoke(app, ["run", str(SMALL_PLAN), "--max-memory", "-5"]).exit_code == 2


def test_docx_is_dispatched(tmp_path: Path) -> None:
    """A .docx goes to extract.docx_reader; a file named .docx that is not one fails
    with a one-line reason."""
    docx = Path(__file__).parent / "fixtures" / "docx" / "cumbria-dhr-fx-unruled.docx"
    assert ".docx" in INPUT_SUFFIXES
    (tmp_path / "fake.docx").write_text("not a zip")
    assert runner.find_inputs([tmp_path]) == [tmp_path / "fake.docx"]
    assert document.process_file(tmp_path / "fake.docx").error == (
        "not a DOCX (Word) file: no ZIP header"
    )
    result = document.process_file(docx)
    assert result.error is None and result.actions
